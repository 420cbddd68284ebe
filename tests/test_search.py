"""Search by identifier, accent-insensitive name prefix and birth date; census."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from continuity.domain.movement import DischargeMode
from continuity.errors import InvalidInput, NotFound
from continuity.ids import format_id, parse_id
from continuity.names import name_keys, search_key
from continuity.services import patients
from continuity.session import Session
from tests.conftest import identity


@pytest.fixture
def filled(nurse: Session) -> Session:
    people: list[tuple[str, str, date, str, dict[str, Any]]] = [
        ("LEFÈVRE", "Jeanne", date(1950, 3, 12), "F", {"used_name": "Dupont-Moreau"}),
        ("LEFEBVRE", "Jean", date(1961, 7, 1), "M", {}),
        ("D'ALMEIDA", "Inès", date(1990, 1, 2), "F", {}),
        ("CŒURDEROY", "Loïc", date(1975, 5, 5), "M", {"first_names": ["Loïc", "Gaël"]}),
        ("LE GOFF", "Anne-Sophie", date(1980, 8, 8), "F", {}),
    ]
    beds = iter(["1A", "1B", "2A", "2B", None])
    for name, first, born, sex, extra in people:
        patients.admit(
            nurse,
            "CARDIO",
            identity=identity(name, first, born, sex, **extra),
            bed_code=next(beds),
            not_a_duplicate="autre patient",
        )
    return nurse


def names(found: list) -> list[str]:  # type: ignore[type-arg]
    return [s.patient.identity.birth_name for s in found]


def test_search_keys() -> None:
    assert search_key("Lefèvre") == "LEFEVRE"
    assert search_key("d’Œillet") == "DOEILLET"
    assert name_keys("LE GOFF-D'ALMEIDA") == {"LEGOFFDALMEIDA", "LE", "GOFF", "D", "ALMEIDA"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lefevre", ["LEFÈVRE"]),
        ("LEFÈ", ["LEFEBVRE", "LEFÈVRE"]),  # accents are ignored both ways
        ("LEFEV", ["LEFÈVRE"]),
        ("lef", ["LEFEBVRE", "LEFÈVRE"]),
        ("lef jean", ["LEFEBVRE", "LEFÈVRE"]),
        ("lef jeanne", ["LEFÈVRE"]),
        ("jeanne lef", ["LEFÈVRE"]),
        ("dupont", ["LEFÈVRE"]),  # used name
        ("moreau", ["LEFÈVRE"]),  # second part of a compound used name
        ("dalm", ["D'ALMEIDA"]),
        ("almeida", ["D'ALMEIDA"]),
        ("coeur", ["CŒURDEROY"]),
        ("gael", ["CŒURDEROY"]),  # second first name
        ("goff", ["LE GOFF"]),
        ("sophie", ["LE GOFF"]),
        ("lef 12/03/1950", ["LEFÈVRE"]),
        ("12031950", ["LEFÈVRE"]),
        ("1950-03-12", ["LEFÈVRE"]),
        ("zzz", []),
        ("  ", []),
    ],
)
def test_name_and_birth_date_search(filled: Session, query: str, expected: list[str]) -> None:
    assert sorted(names(patients.search(filled, query))) == sorted(expected)


def test_search_by_identifiers(filled: Session) -> None:
    lefevre = patients.search(filled, "lefevre")[0]
    assert lefevre.stay is not None
    for ident in (
        lefevre.patient.provisional_ipp,
        lefevre.stay.provisional_nda,
        f"{lefevre.patient.provisional_ipp[:5]} {lefevre.patient.provisional_ipp[5:]}",
    ):
        assert names(patients.search(filled, ident)) == ["LEFÈVRE"]
        assert patients.find_patient(filled, ident).patient.id == lefevre.patient.id


def test_scanned_id_with_a_wrong_check_digit_is_an_error(filled: Session) -> None:
    good = patients.search(filled, "lefevre")[0].patient.provisional_ipp
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(InvalidInput, match="chiffre de contrôle"):
        patients.search(filled, bad)
    with pytest.raises(InvalidInput):
        patients.find_patient(filled, bad)
    unused = format_id(parse_id(good) + 500)
    assert patients.search(filled, unused) == []
    with pytest.raises(NotFound):
        patients.find_patient(filled, unused)


def test_search_shows_the_open_stay_only(filled: Session) -> None:
    found = patients.search(filled, "lefebvre")[0]
    assert found.stay is not None and found.stay.bed_code == "1B"
    patients.discharge(filled, found.stay.id, DischargeMode.HOME)
    assert patients.search(filled, "lefebvre")[0].stay is None


def test_search_limit(nurse: Session) -> None:
    for i in range(12):
        patients.admit(
            nurse, "CARDIO", identity=identity("MARTIN", f"Jean{'abcdefghijkl'[i]}", date(1950, 1, 1 + i))
        )
    assert len(patients.search(nurse, "mart", limit=5)) == 5
    assert len(patients.search(nurse, "mart")) == 12


def test_census(filled: Session) -> None:
    (cardio,) = patients.census(filled)
    assert cardio.uf_code == "CARDIO" and cardio.uf_name == "Cardiologie"
    assert [b.bed_code for b in cardio.beds] == ["1A", "1B", "2A", "2B"]
    assert [b.occupant.patient.identity.birth_name for b in cardio.beds if b.occupant] == [
        "LEFÈVRE",
        "LEFEBVRE",
        "D'ALMEIDA",
        "CŒURDEROY",
    ]
    assert [s.patient.identity.birth_name for s in cardio.without_bed] == ["LE GOFF"]
    assert (cardio.occupied, cardio.bedless) == (4, 1)  # beds taken; the bedless patient apart


def test_census_of_empty_uf(crisis: Session) -> None:
    pneumo = patients.census(crisis, ["pneumo"])[0]
    assert pneumo.occupied == 0 and all(b.occupant is None for b in pneumo.beds)
    with pytest.raises(NotFound):
        patients.census(crisis, ["NOPE"])


def test_results_are_ordered_by_matched_name_then_identity(nurse: Session) -> None:
    for name, first in [("MARTINEZ", "Zoé"), ("MARTIN", "Paul"), ("MARTIN", "Anne"), ("MARTINEAU", "Luc")]:
        patients.admit(
            nurse, "CARDIO", identity=identity(name, first, date(1970, 1, 1)), not_a_duplicate="autre patient"
        )
    found = patients.search(nurse, "mart")
    assert [(s.patient.identity.birth_name, s.patient.identity.first_names[0]) for s in found] == [
        ("MARTIN", "ANNE"),
        ("MARTIN", "PAUL"),
        ("MARTINEAU", "LUC"),
        ("MARTINEZ", "ZOÉ"),
    ]


def test_free_beds_and_patients_by_id(filled: Session) -> None:
    assert patients.free_beds(filled, "cardio") == []
    assert patients.free_beds(filled, "PNEUMO") == ["3A", "3B", "3C"]
    first = patients.search(filled, "lefevre")[0]
    got = patients.get_patients(filled, [first.patient.id, "nobody"])
    assert [g.patient.id for g in got] == [first.patient.id] and got[0].stay is not None
    assert patients.ufs_of(filled) == [("CARDIO", "Cardiologie")]
