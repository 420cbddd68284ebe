"""The INS Datamatrix as a keyboard scanner types it: read, checked, never trusted.

The sample codes are built here after ANS's layout (a 2D-Doc header, then data
identifiers S1 to S7); the identities are synthetic.
"""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continuity.errors import InvalidInput
from continuity.ins_datamatrix import (
    MAX_LENGTH,
    looks_like_ins_datamatrix,
    parse_ins_datamatrix,
)

GS, US = "\x1d", "\x1f"
IS_HEADER = "IS01" + "0" * 22
DC_HEADER = "DC04" + "FR05" + "0001" + "2A1B" + "2A1B" + "L1" + "01" + "FR"


def nir(body: str) -> str:
    digits = body.replace("2A", "19").replace("2B", "18")
    return f"{body}{97 - int(digits) % 97:02d}"


INS = nir("2500376540123")  # a woman born in March 1950 in Rouen (76540)
NIA = nir("8500399350123")


def code(
    header: str = IS_HEADER,
    sep: str = GS,
    *,
    ins: str = INS,
    oid: str = "1.2.250.1.213.1.4.8",
    first: str = "JEANNE MARIE",
    name: str = "LEFEVRE",
    sex: str = "F",
    born: str = "12-03-1950",
    place: str | None = "76540",
    order: str = "1234567",
) -> str:
    fields = {
        "1": f"S1{ins}",
        "2": f"S2{oid}{sep}",
        "3": f"S3{first}{sep}",
        "4": f"S4{name}{sep}",
        "5": f"S5{sex}",
        "6": f"S6{born}",
        "7": f"S7{place}" if place else "",
    }
    return header + "".join(fields[k] for k in order)


def test_an_is01_code_with_its_group_separators() -> None:
    scanned = parse_ins_datamatrix(code())
    assert (scanned.ins, scanned.oid) == (INS, "1.2.250.1.213.1.4.8")
    assert (scanned.birth_name, scanned.first_names) == ("LEFEVRE", ["JEANNE", "MARIE"])
    assert (scanned.sex, scanned.birth_date, scanned.birth_place_insee) == ("F", date(1950, 3, 12), "76540")
    data = scanned.identity_data()
    assert data["ins_unverified"] == INS and "ins" not in data and data["collection_mode"] == "CB"
    assert "status" not in data  # provisional: the INS is an unverified trait


def test_a_2d_doc_header_fields_in_any_order_no_separators_and_a_signature() -> None:
    """A keyboard scanner often drops GS; the fields still end at the next identifier. The
    2D-Doc signature after US is not read (nor trusted)."""
    text = "]d2" + code(DC_HEADER, "", order="1235674") + US + "ABCDEFGHIJKLMNOP234567" + "\r\n"
    assert looks_like_ins_datamatrix(text)
    scanned = parse_ins_datamatrix(text)
    assert (scanned.birth_name, scanned.first_names, scanned.birth_place_insee) == (
        "LEFEVRE",
        ["JEANNE", "MARIE"],
        "76540",
    )


def test_a_nia_and_a_birth_abroad_without_place() -> None:
    scanned = parse_ins_datamatrix(code(ins=NIA, oid="1.2.250.1.213.1.4.9", place=None))
    assert scanned.ins == NIA and scanned.birth_place_insee is None


def test_a_test_arc_is_kept_with_the_identity() -> None:
    scanned = parse_ins_datamatrix(code(oid="1.2.250.1.213.1.4.10"))
    assert scanned.identity_data()["ins_oid"] == "1.2.250.1.213.1.4.10"


def test_a_name_typed_by_hand_does_not_look_like_a_code() -> None:
    assert not looks_like_ins_datamatrix("Lefèvre")
    assert not looks_like_ins_datamatrix("DC")


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"ins": INS[:-2] + f"{(int(INS[-2:]) + 1) % 97:02d}"}, "clé de contrôle"),
        ({"oid": "1.2.250.1.213.1.4.99"}, "OID de l'INS"),
        ({"oid": "1.2.250.1.213.1.4.9"}, "ne correspond pas au matricule"),
        ({"sex": "M"}, "sexe"),
        ({"born": "12-04-1950"}, "date de naissance"),
        ({"born": "31-02-1950"}, "JJ-MM-AAAA"),
        ({"place": "75056"}, "lieu de naissance"),
        ({"name": "LEFEVRE" * 20}, "trop long"),
        ({"order": "123456"}, None),  # S7 is optional: accepted
        ({"order": "12356"}, "nom de naissance (S4) absent"),
        ({"order": "1234566"}, "en double"),
        ({"sex": "X"}, "M ou F"),
    ],
)
def test_every_check_refuses_bilingually_without_echoing_the_content(
    kw: dict[str, str], words: str | None
) -> None:
    text = code(**kw)
    if words is None:
        parse_ins_datamatrix(text)
        return
    with pytest.raises(InvalidInput) as refused:
        parse_ins_datamatrix(text)
    message = str(refused.value)
    assert words in message and "INS Datamatrix refused" in message
    for secret in ("LEFEVRE", "JEANNE", INS, "1950"):
        assert secret not in message


def test_a_hostile_code() -> None:
    hostile = [
        IS_HEADER + "S1" + "9" * 10_000,  # far too long
        IS_HEADER + "S4ROBERT'); DROP TABLE patients;--",  # a character not allowed
        IS_HEADER + "S4\x1b[31mROUGE",  # a terminal escape
        IS_HEADER + "S9" + "A" * 30,  # an unknown identifier
        "IS01" + "\u202e" * 22 + code()[26:],  # bidi override in the header
        code().replace("JEANNE MARIE", "JEANNE MARIE" + " X" * 12),  # eleven first names
        IS_HEADER,  # nothing
        code()[:40],  # cut
    ]
    for text in hostile:
        with pytest.raises(InvalidInput) as refused:
            parse_ins_datamatrix(text)
        assert "ROBERT" not in str(refused.value) and "ROUGE" not in str(refused.value)
    assert len(hostile[0]) > MAX_LENGTH


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=700))
def test_any_text_is_read_or_refused_bilingually(text: str) -> None:
    for candidate in (text, IS_HEADER + text, code()[:60] + text):
        with contextlib.suppress(InvalidInput):
            parse_ins_datamatrix(candidate)
