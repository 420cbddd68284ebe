"""Placeholder identities (RNIV "identité d'attente") for unknown patients.

Each unknown patient gets a distinct, pronounceable name, the same on screen, on
paper and in what goes to the HIS, following the rule of the site file; distinct
across the site's workstations, which admit offline and merge later.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import hl7
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication

from cli import main
from continuity.domain.identity import IdentityStatus, Sex, UnknownPatient
from continuity.domain.outbox import EventStatus
from continuity.domain.placeholder import NATO_WORDS, french_number, workstation_word
from continuity.domain.users import Role, User
from continuity.errors import Conflict, InvalidInput, PermissionDenied
from continuity.names import is_valid_name
from continuity.provisioning import load_site, parse_site, provision
from continuity.services import admin, paper, patients
from continuity.services.patients import Admission
from continuity.session import Session, Workspace
from continuity.validation import build
from forms import documents
from forms.wristband import BANDS, label_stock
from sync import bundles, engine
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    SITE_TOML,
    TEST_KDF,
    identity,
)
from tests.exchange_helpers import Site
from tests.pdf_tools import flat, pages_text
from tests.sync_helpers import FAST


def _unknown(session: Session, sex: Sex = Sex.M, year: int = 1970, **kw: object) -> Admission:
    return patients.admit(
        session,
        "CARDIO",
        unknown=UnknownPatient(sex=sex, estimated_birth_year=year),
        **kw,  # type: ignore[arg-type]
    )


# ------------------------------------------------------------------ the rule
def test_french_numbers_are_spelled_in_letters_only() -> None:
    spelled = {
        1: "UN",
        7: "SEPT",
        16: "SEIZE",
        17: "DIX-SEPT",
        21: "VINGT-ET-UN",
        22: "VINGT-DEUX",
        70: "SOIXANTE-DIX",
        71: "SOIXANTE-ET-ONZE",
        77: "SOIXANTE-DIX-SEPT",
        80: "QUATRE-VINGTS",
        81: "QUATRE-VINGT-UN",
        91: "QUATRE-VINGT-ONZE",
        100: "CENT",
        101: "CENT-UN",
        200: "DEUX-CENTS",
        201: "DEUX-CENT-UN",
        1000: "MILLE",
        1001: "MILLE-UN",
        2000: "DEUX-MILLE",
        80_000: "QUATRE-VINGT-MILLE",
        200_000: "DEUX-CENT-MILLE",
        999_999: "NEUF-CENT-QUATRE-VINGT-DIX-NEUF-MILLE-NEUF-CENT-QUATRE-VINGT-DIX-NEUF",
    }
    assert {n: french_number(n) for n in spelled} == spelled
    with pytest.raises(ValueError):
        french_number(0)


def test_every_sequence_number_is_a_distinct_valid_name() -> None:
    seen = {french_number(n) for n in range(1, 20_001)}
    assert len(seen) == 20_000
    assert all(is_valid_name(text) for text in seen)


@given(st.lists(st.integers(0, 5000), min_size=2, max_size=20, unique=True), st.integers(1, 30))
def test_workstation_positions_give_distinct_words(positions: list[int], size: int) -> None:
    words = NATO_WORDS[:size]
    made = [workstation_word(words, p) for p in positions]
    assert len(set(made)) == len(made)
    assert all(is_valid_name(w) for w in made)
    assert workstation_word(NATO_WORDS, 0) == "ALPHA" and workstation_word(NATO_WORDS, 1) == "BRAVO"


def _site_with(settings: str) -> str:
    return SITE_TOML + "\n[settings]\n" + settings + "\n"


@pytest.mark.parametrize(
    ("settings", "fragment_fr", "fragment_en"),
    [
        (
            'placeholder_name = "INCONNU3"',
            "nom des identités d'attente : caractères non autorisés",
            "placeholder",
        ),
        (
            'placeholder_name = "   "',
            "nom des identités d'attente : doit contenir au moins une lettre",
            "letter",
        ),
        ('placeholder_name = "' + "A" * 31 + '"', "nom des identités d'attente : trop long", "too long"),
        ("placeholder_words = []", "mots des identités d'attente : au moins 1", "at least 1"),
        (
            'placeholder_words = ["ROSE", "IRIS BLEU"]',
            "mots des identités d'attente n°2 : un seul mot de lettres",
            "one word of letters",
        ),
        ('placeholder_words = ["ROSE", "K2"]', "mots des identités d'attente n°2 : un seul mot", "one word"),
        (
            'placeholder_words = ["ÉCHO", "ROSE", "echo"]',
            "mots des identités d'attente : mot en double : ECHO",
            "duplicate word: ECHO",
        ),
    ],
)
def test_site_file_rule_is_validated_in_french_and_english(
    settings: str, fragment_fr: str, fragment_en: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_site(_site_with(settings))
    text = "\n".join([str(caught.value), *caught.value.details])
    assert fragment_fr in text and fragment_en in text


def test_site_file_rule_defaults_and_cleaning() -> None:
    default = parse_site(SITE_TOML).settings
    assert default.placeholder_name == "INCONNU" and default.placeholder_words[:3] == (
        "ALPHA",
        "BRAVO",
        "CHARLIE",
    )
    custom = parse_site(
        _site_with('placeholder_name = " patient  inconnu "\nplaceholder_words = ["rose", "Iris"]')
    )
    assert custom.settings.placeholder_name == "PATIENT INCONNU"
    assert custom.settings.placeholder_words == ("ROSE", "IRIS")


def test_unknown_patient_traits_are_validated() -> None:
    with pytest.raises(InvalidInput) as caught:
        build(UnknownPatient, {"sex": "F", "estimated_birth_year": 1850}, "Identité", "Identity")
    assert "année de naissance estimée : date antérieure à 1890" in caught.value.details[0]
    with pytest.raises(InvalidInput) as caught:
        build(UnknownPatient, {"estimated_birth_year": date.today().year + 1}, "Identité", "Identity")
    assert any("date dans le futur" in d for d in caught.value.details)
    assert any("sexe : champ obligatoire" in d for d in caught.value.details)


# ------------------------------------------------------------------ the service
def test_two_unknown_patients_get_distinct_placeholder_names(nurse: Session) -> None:
    a = _unknown(nurse, bed_code="1A")
    b = _unknown(nurse, bed_code="1B")  # same sex, same year: no duplicate warning either
    ia, ib = a.patient.identity, b.patient.identity
    assert ia.display_name != ib.display_name
    assert (ia.birth_name, ib.birth_name) == ("INCONNU ALPHA UN", "INCONNU ALPHA DEUX")
    for i in (ia, ib):
        assert i.placeholder and i.status is IdentityStatus.PROVISOIRE
        assert (i.first_names, i.birth_date, i.sex) == (["X"], date(1970, 1, 1), Sex.M)
    # stored as built, found by the spoken code
    [found] = patients.search(nurse, "inconnu deux")
    assert found.patient.id == b.patient.id and found.patient.identity == ib
    # the census shows them apart
    [cardio] = [c for c in patients.census(nurse) if c.uf_code == "CARDIO"]
    names = {bed.bed_code: bed.occupant.patient.identity.display_name for bed in cardio.beds if bed.occupant}
    assert names == {"1A": ia.display_name, "1B": ib.display_name}
    # the audit and the HIS event carry the placeholder identity
    events = nurse.store.outbox.outbox_by_status(EventStatus.PENDING)
    assert [e.payload["identity"]["birth_name"] for e in events] == ["INCONNU ALPHA UN", "INCONNU ALPHA DEUX"]


def test_unknown_admission_keeps_the_other_rules(nurse: Session) -> None:
    with pytest.raises(InvalidInput):
        patients.admit(
            nurse, "CARDIO", identity=identity(), unknown=UnknownPatient(sex=Sex.F, estimated_birth_year=1980)
        )
    with pytest.raises(PermissionDenied):
        patients.admit(nurse, "PNEUMO", unknown=UnknownPatient(sex=Sex.F, estimated_birth_year=1980))
    # refused admissions consume no placeholder number
    assert nurse.store.patients.count_patients() == 0
    assert _unknown(nurse, Sex.F, 1980).patient.identity.birth_name == "INCONNU ALPHA UN"
    assert _unknown(nurse, bed_code="1A").patient.identity.birth_name == "INCONNU ALPHA DEUX"
    with pytest.raises(Conflict):
        _unknown(nurse, bed_code="1A")  # the bed is taken: nothing written, no number used
    assert nurse.store.patients.count_patients() == 2
    assert _unknown(nurse).patient.identity.birth_name == "INCONNU ALPHA TROIS"
    # an ordinary identity is untouched, and a known patient is readmitted as before
    other = patients.admit(nurse, "CARDIO", identity=identity())
    assert other.patient.identity.birth_name == "LEFÈVRE" and not other.patient.identity.placeholder
    # a paper form filled in for an unknown patient is keyed in with its number
    [form] = paper.reserve_blank_forms(nurse, "CARDIO", 1)
    keyed = _unknown(nurse, paper_number=form.number)
    assert keyed.patient.provisional_ipp == form.number
    assert keyed.patient.identity.birth_name == "INCONNU ALPHA QUATRE"


def test_custom_rule_from_the_site_file(tmp_path: Path) -> None:
    text = _site_with('placeholder_name = "Patient inconnu"\nplaceholder_words = ["ROSE", "IRIS", "LYS"]')
    workspace = Workspace(tmp_path / "data")
    provision(workspace, parse_site(text), "WS-B", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        admin.add_user(session, NURSE, NURSE_PW)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = _unknown(nurse, Sex.F, 1990)
    # WS-B holds the second block of the site: the second word
    assert a.patient.identity.birth_name == "PATIENT INCONNU IRIS UN"


def test_workstation_word_follows_block_order_not_file_order(tmp_path: Path) -> None:
    # WS-A listed first but given the highest block: it is the third workstation of the site
    text = SITE_TOML.replace("[100000, 100999]", "[TMP]").replace("[102000, 102999]", "[100000, 100999]")
    text = text.replace("[TMP]", "[102000, 102999]")
    site = parse_site(text)
    assert site.workstation("WS-A").block[0] > site.workstation("WS-C").block[0]  # type: ignore[union-attr]
    workspace = Workspace(tmp_path / "data")
    provision(workspace, site, "WS-A", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        admin.add_user(session, NURSE, NURSE_PW)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        assert _unknown(nurse).patient.identity.birth_name == "INCONNU CHARLIE UN"


def test_distinct_across_workstations_after_they_merge(three_workstations: Site) -> None:
    site = three_workstations
    made = {}
    for ws in ("WS-A", "WS-B"):
        with site.login(ws, NURSE.username, NURSE_PW) as nurse:
            made[ws] = [_unknown(nurse).patient for _ in range(2)]
    assert [p.identity.birth_name for p in made["WS-A"]] == ["INCONNU ALPHA UN", "INCONNU ALPHA DEUX"]
    assert [p.identity.birth_name for p in made["WS-B"]] == ["INCONNU BRAVO UN", "INCONNU BRAVO DEUX"]
    for source, target in (("WS-A", "WS-B"), ("WS-B", "WS-A")):
        assert site.deliver(target, site.export(source)).outcome is bundles.BundleOutcome.IMPORTED
    for ws in ("WS-A", "WS-B"):
        with site.login(ws, NURSE.username, NURSE_PW) as nurse:
            found = patients.search(nurse, "inconnu")
            names = sorted(s.patient.identity.display_name for s in found)
            assert len(found) == 4 and len(set(names)) == 4, names
            assert all(s.patient.identity.placeholder for s in found)


# ------------------------------------------------------------------ the command line
def test_cli_unknown_patients_get_distinct_names(
    provisioned: tuple[Workspace, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = str(provisioned[0].folder)
    monkeypatch.setenv("CONTINUITY_USER", NURSE.username)
    monkeypatch.setenv("CONTINUITY_PASSWORD", NURSE_PW)
    admit = [
        "--data",
        data,
        "admit",
        "--uf",
        "CARDIO",
        "--unknown",
        "--sex",
        "M",
        "--estimated-birth-year",
        "1970",
    ]
    ipps = []
    for _ in range(2):
        # the same traits twice: a distinct patient each time, with no duplicate warning
        assert main([*admit, "--json"]) == 0
        ipps.append(json.loads(capsys.readouterr().out)["patient"]["provisional_ipp"])
    monkeypatch.setenv("CONTINUITY_USER", "crise")
    monkeypatch.setenv("CONTINUITY_PASSWORD", CRISIS_PW)
    lines = []
    for ipp in ipps:
        assert main(["--data", data, "search", ipp]) == 0
        lines.append(capsys.readouterr().out.strip())
    assert lines[0] != lines[1]
    assert lines[0].startswith("INCONNU ALPHA UN X [IDENTITÉ D'ATTENTE]")
    assert lines[1].startswith("INCONNU ALPHA DEUX X [IDENTITÉ D'ATTENTE]")


# ------------------------------------------------------------------ paper and the HIS
def test_placeholder_names_on_wristbands_labels_and_census(qapp: QApplication, nurse: Session) -> None:
    a, b = _unknown(nurse, bed_code="1A"), _unknown(nurse, bed_code="1B")
    bands = [flat(t) for t in pages_text(documents.wristbands(nurse, BANDS["adulte"], uf_code="CARDIO"))]
    assert len(bands) == 2
    assert "INCONNU ALPHA UN" in bands[0] and "INCONNU ALPHA DEUX" not in bands[0]
    assert "INCONNU ALPHA DEUX" in bands[1]
    assert all("IDENTITÉ D'ATTENTE" in t for t in bands)
    sheet = label_stock("3x8")
    labels = pages_text(documents.labels(nurse, sheet, [b.patient.provisional_ipp]))[0]
    assert labels.count("INCONNU ALPHA DEUX") == sheet.per_sheet and "INCONNU ALPHA UN" not in labels
    census = flat(" ".join(pages_text(documents.census(nurse, ["CARDIO"]))))
    assert "INCONNU ALPHA UN" in census and "INCONNU ALPHA DEUX" in census
    assert a.patient.provisional_ipp in census


def test_placeholder_names_in_hl7_pid5_and_fhir_patient_name(workspace: Workspace, tmp_path: Path) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a, b = _unknown(nurse, Sex.F, 1985), _unknown(nurse, Sex.M, 1960)
    drop = tmp_path / "usb"
    drop.mkdir()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        report = engine.synchronise(session, f"file:{drop}", options=FAST)
    assert report.exported == 2
    text = next(drop.glob("*.hl7")).read_bytes().decode("utf-8")
    messages = ["MSH|" + m.split("\rBTS|")[0] for m in text.split("\rMSH|")[1:]]
    pids = [hl7.parse(m).segment("PID") for m in messages]
    assert [str(pid(5)) for pid in pids] == [
        "INCONNU ALPHA UN^X^X^^^^L",
        "INCONNU ALPHA DEUX^X^X^^^^L",
    ]  # PID-5.3: the birth first names
    assert [str(pid(32)) for pid in pids] == ["PROV", "PROV"]  # still a provisional identity
    assert [str(pid(3)(1)(1)) for pid in pids] == [a.patient.provisional_ipp, b.patient.provisional_ipp]
    bundles_out = [json.loads(line) for line in next(drop.glob("*.ndjson")).read_text("utf-8").splitlines()]
    names = [
        entry["resource"]["name"]
        for bundle in bundles_out
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Patient"
    ]
    birth_list = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name"
    assert names == [  # FR Core: the first names' list in the official name
        [
            {
                "extension": [{"url": birth_list, "valueString": "X"}],
                "use": "official",
                "family": family,
                "given": ["X"],
            }
        ]
        for family in ("INCONNU ALPHA UN", "INCONNU ALPHA DEUX")
    ]


def test_example_site_file_rule_is_applied(tmp_path: Path) -> None:
    example = Path(__file__).parent.parent / "installer" / "site-exemple.toml"
    site = load_site(example)
    assert site.settings.placeholder_name == "INCONNU" and site.settings.placeholder_words[0] == "ALPHA"
    workspace = Workspace(tmp_path / "poste")
    provision(workspace, site, "CRISE-01", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    ward = User(username="ide.urg", display_name="IDE", role=Role.WARD_STAFF, ufs=("URG",))
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        admin.add_user(session, ward, NURSE_PW)
    with workspace.unlock(ward.username, NURSE_PW) as nurse:
        made = [
            patients.admit(nurse, "URG", unknown=UnknownPatient(sex=Sex.I, estimated_birth_year=2000))
            for _ in range(2)
        ]
    # CRISE-01's block is above URG-01's: the second word
    assert [a.patient.identity.birth_name for a in made] == ["INCONNU BRAVO UN", "INCONNU BRAVO DEUX"]


def test_a_store_provisioned_before_the_rule_uses_its_defaults(nurse: Session) -> None:
    with nurse.store.transaction():
        nurse.store._conn.execute("DELETE FROM meta WHERE key LIKE 'placeholder%'")
    assert nurse.store.get_meta(patients.PLACEHOLDER_NAME_KEY) is None
    assert _unknown(nurse).patient.identity.birth_name == "INCONNU ALPHA UN"
    assert _unknown(nurse).patient.identity.birth_name == "INCONNU ALPHA DEUX"
