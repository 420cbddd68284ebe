"""Upgrade from the previous release, rollback, restore on a replacement workstation, doctor,
exercise store: the IT side of a workstation, on real encrypted files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli import main
from continuity import doctor, keyslots, maintenance, upgrade
from continuity.domain.identity import Sex
from continuity.errors import Conflict
from continuity.schema import LATEST_VERSION
from continuity.services import admin, crisis, patients, sync_state, undo
from continuity.session import Workspace
from continuity.store import Store
from sync import engine
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, TEST_KDF, Clock
from tests.old_release import PREVIOUS, previous_release

DEMO = {"admin": "demo-admin-2026", "crise": "demo-crise-2026", "ide.urg": "demo-urg-2026"}


@pytest.fixture
def previous(tmp_path: Path) -> Workspace:
    return previous_release(tmp_path)


def _version_without_migrating(workspace: Workspace, user: str, password: str) -> int:
    slots = workspace.load_slots()
    key = keyslots.unwrap(slots, keyslots.user_slot_id(user), password.encode(), keyslots.now_utc())
    store = Store.open_encrypted(workspace.db_path, key, keyslots.now_utc)
    try:
        return store.user_version()
    finally:
        store.close()


def _census_lines(census: list[dict[str, object]]) -> set[tuple[object, ...]]:
    lines: set[tuple[object, ...]] = set()
    for uf in census:
        for bed in uf["beds"]:  # type: ignore[attr-defined]
            occupant = bed["occupant"]
            if occupant:
                p = occupant["patient"]
                lines.add(
                    (
                        uf["uf_code"],
                        bed["bed_code"],
                        p["id"],
                        p["provisional_ipp"],
                        p["identity"]["birth_name"],
                        p["identity"]["birth_date"],
                        occupant["stay"]["state"],
                    )
                )
    return lines


def test_store_of_the_previous_release_is_migrated_with_nothing_lost(previous: Workspace) -> None:
    assert _version_without_migrating(previous, "admin", DEMO["admin"]) == 6 < LATEST_VERSION
    with previous.unlock("crise", DEMO["crise"]) as session:
        assert session.store.user_version() == LATEST_VERSION
        now = [c.model_dump(mode="json") for c in patients.census(session)]
        assert _census_lines(now) == _census_lines(
            json.loads((PREVIOUS / "census.json").read_text(encoding="utf-8"))
        )
        assert admin.verify_audit(session).ok
    with previous.unlock("admin", DEMO["admin"]) as session:
        before = json.loads((PREVIOUS / "sync-status.json").read_text(encoding="utf-8"))
        assert sync_state.status(session).backlog == before["backlog"] == 12
    [(copy, info)] = upgrade.upgrade_copies(previous)
    assert copy.name.startswith("schema-v006-") and info["schema"] == 6
    assert _version_without_migrating(Workspace(copy, Clock()), "admin", DEMO["admin"]) == 6
    with Workspace(copy, Clock()).unlock("crise", DEMO["crise"]) as old:  # (migrates this copy)
        assert old.store.patients.count_patients() == 12


def test_rollback_puts_back_the_pre_upgrade_store_and_keeps_the_upgraded_one(previous: Workspace) -> None:
    with previous.unlock("ide.urg", DEMO["ide.urg"]) as session:
        from continuity.domain.identity import Identity

        patients.admit(session, "URG", identity=Identity.unknown(Sex.M, 1970))
    done = upgrade.rollback_upgrade(previous)
    assert done is not None
    source, aside = done
    assert _version_without_migrating(previous, "admin", DEMO["admin"]) == 6
    moved = Workspace(aside, Clock())
    assert _version_without_migrating(moved, "admin", DEMO["admin"]) == LATEST_VERSION
    with moved.unlock("crise", DEMO["crise"]) as session:  # what was done since is still there
        assert session.store.patients.count_patients() == 13
    assert source.parent.name == upgrade.BEFORE_UPGRADE_DIR


def test_backup_restored_on_a_replacement_workstation(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        from tests.conftest import identity

        admitted = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    assert main(["--data", str(workspace.folder), "backup", "create", str(usb), "--user", "admin"]) == 0
    [backup] = list(usb.iterdir())
    replacement = tmp_path / "nouveau-poste"
    assert main(["--data", str(replacement), "backup", "restore", str(backup), "--user", "admin"]) == 0
    with Workspace(replacement).unlock(CRISIS.username, CRISIS_PW) as session:
        found = patients.find_patient(session, admitted.patient.provisional_ipp)
        assert found.stay is not None and found.stay.bed_code == "1A"
    assert (
        main(["--data", str(replacement), "backup", "restore", str(backup), "--user", "admin"]) == 6
    )  # refuses to overwrite without --replace
    assert (
        main(["--data", str(replacement), "backup", "restore", str(backup), "--replace", "--user", "admin"])
        == 0
    )
    assert [p.name for p in replacement.iterdir() if p.name.startswith("remplacee-")]


def test_doctor_reports_pass_warn_fail(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    report = doctor.run(workspace, keyslots.now_utc())
    by_name = {c.name: c.level for c in report.checks}
    assert by_name["sqlcipher"] is doctor.Level.PASS and by_name["data_folder"] is doctor.Level.PASS
    assert by_name["store"] is doctor.Level.SKIP  # nobody unlocked: state unknown
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    assert main(["--data", str(workspace.folder), "doctor", "--json", "--user", "admin"]) == 0
    full = json.loads(capsys.readouterr().out)
    names = {c["name"]: c["level"] for c in full["checks"]}
    assert names["integrity"] == "pass" and names["snapshot"] == "warn"  # no HIS snapshot yet
    assert names["identifiers"] == "pass"
    # Without a key, the state recorded by the unlocked run is reported, with its age.
    assert main(["--data", str(workspace.folder), "doctor"]) == 0
    assert "état enregistré il y a" in capsys.readouterr().out
    # A folder that is not a workstation fails.
    assert main(["--data", str(workspace.folder.parent / "vide"), "doctor"]) == 9


def test_exercise_runs_in_its_own_store_and_touches_nothing_real(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        drill = maintenance.start_exercise(session)
        with pytest.raises(Conflict):
            maintenance.start_exercise(session)
    with drill.unlock(NURSE.username, NURSE_PW) as nurse:  # same accounts
        assert crisis.exercise_mode(nurse)
        from tests.conftest import identity

        patients.admit(nurse, "CARDIO", identity=identity(birth_name="EXERCICE"))
    with workspace.unlock(CRISIS.username, CRISIS_PW) as real:
        assert not crisis.exercise_mode(real) and real.store.patients.count_patients() == 0
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    assert (
        main(
            [
                "--data",
                str(workspace.folder),
                "--exercise",
                "sync",
                "--to",
                "mllp://127.0.0.1:9",
                "--user",
                "admin",
            ]
        )
        == 6
    )
    assert "envoi au DPI réel refusé" in capsys.readouterr().err
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        kept = maintenance.stop_exercise(session)
    assert kept is not None and (kept / "continuity.db").exists() and not drill.folder.exists()


def test_real_and_exercise_bundles_do_not_mix(three_workstations: object, tmp_path: Path) -> None:
    from sync import bundles
    from tests.conftest import identity
    from tests.exchange_helpers import Site

    assert isinstance(three_workstations, Site)
    site = three_workstations
    with site.login("WS-A", CRISIS.username, CRISIS_PW) as session:
        drill = maintenance.start_exercise(session)
    with drill.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity())
    with drill.unlock(ADMIN.username, ADMIN_PW) as session:
        path = bundles.write_bundle(session, tmp_path / "cle")
    assert path is not None and b'"exercise":true' in path.read_bytes().split(b"\n")[1]
    refused = site.deliver("WS-B", path)  # a real workstation of the same site, same key
    assert refused.outcome is bundles.BundleOutcome.REFUSED and "exercice" in (refused.error_fr or "")
    with site.login("WS-B", CRISIS.username, CRISIS_PW) as b:
        assert b.store.patients.count_patients() == 0


def test_site_file_settings_are_applied_and_checked(tmp_path: Path) -> None:
    from continuity.errors import InvalidInput
    from continuity.provisioning import load_site, parse_site, provision
    from continuity.services import indicators, snapshots

    example = Path(__file__).parent.parent / "installer" / "site-exemple.toml"
    site = load_site(example)
    workspace = Workspace(tmp_path / "poste", Clock())
    provision(workspace, site, "URG-01", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert sync_state.endpoints(session) == (
            "mllp://dpi.hopital.local:2575",
            "mllp://dpi-formation.hopital.local:2575",
        )
        assert admin.idle_lock_minutes(session) == 5
        assert indicators.snapshot_max_age(session).total_seconds() == 6 * 3600
        assert undo.undo_window(session).total_seconds() == 12 * 3600
        assert snapshots.watch_folders(session) == (None, None)
        assert not crisis.exercise_mode(session)
    text = example.read_text(encoding="utf-8")
    for bad, where in (
        ('endpoint = "mllp://dpi.hopital.local:2575"', 'endpoint = "http://x"'),
        ("idle_lock_minutes = 5 ", "idle_lock_minutes = 500 "),
        ("undo_hours = 12 ", "undo_hours = 0 "),
    ):
        with pytest.raises(InvalidInput) as caught:
            parse_site(text.replace(bad, where))
        assert caught.value.details


def test_a_drill_store_cannot_be_turned_into_a_real_one(workspace: Workspace) -> None:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        drill = maintenance.start_exercise(session)
    with drill.unlock(CRISIS.username, CRISIS_PW) as session:
        with pytest.raises(Conflict):
            crisis.set_exercise_mode(session, False)
        assert crisis.exercise_mode(session)


def test_rollback_puts_back_only_what_this_kit_migrated(previous: Workspace) -> None:
    with previous.unlock("crise", DEMO["crise"]):
        pass
    assert upgrade.rollback_upgrade(previous, kit_version="9.9.9") is None  # not its doing
    assert _version_without_migrating(previous, "admin", DEMO["admin"]) == LATEST_VERSION


def test_maintenance_waits_for_the_store_to_be_closed(previous: Workspace) -> None:
    session = previous.unlock("crise", DEMO["crise"])
    try:
        with pytest.raises(Conflict, match="ouverte"):
            upgrade.rollback_upgrade(previous)
    finally:
        session.lock()
    assert upgrade.rollback_upgrade(previous) is not None


def test_restore_checks_the_backup_before_touching_anything(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        backup = admin.backup(session, usb)
    target = tmp_path / "poste"
    target.mkdir()
    (target / "continuity.db").write_bytes(b"partial store left by a crash")
    before = (target / "continuity.db").read_bytes()
    monkeypatch.setenv("CONTINUITY_PASSWORD", "not-the-password")
    assert (
        main(["--data", str(target), "backup", "restore", str(backup), "--replace", "--user", "admin"]) == 3
    )
    monkeypatch.setenv("CONTINUITY_PASSWORD", NURSE_PW)
    assert (
        main(["--data", str(target), "backup", "restore", str(backup), "--replace", "--user", NURSE.username])
        == 4
    )  # ward staff do not restore
    assert (target / "continuity.db").read_bytes() == before  # untouched so far
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    assert (
        main(["--data", str(target), "backup", "restore", str(backup), "--user", "admin"]) == 6
    )  # a partial store counts: --replace needed
    assert (
        main(["--data", str(target), "backup", "restore", str(backup), "--replace", "--user", "admin"]) == 0
    )
    [aside] = [p for p in target.iterdir() if p.name.startswith("remplacee-")]
    assert (aside / "continuity.db").read_bytes() == before


def test_doctor_fails_a_store_in_clear_and_a_damaged_one(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    clear = workspace.folder.parent / "en-clair"
    shutil.copytree(workspace.folder, clear)
    (clear / "continuity.db").unlink()
    sqlite3.connect(clear / "continuity.db").execute("CREATE TABLE t (x)").connection.close()
    report = doctor.run(Workspace(clear), keyslots.now_utc())
    assert {c.name: c.level for c in report.checks}["store_file"] is doctor.Level.FAIL
    damaged = workspace.folder.parent / "abimee"
    shutil.copytree(workspace.folder, damaged)
    raw = bytearray((damaged / "continuity.db").read_bytes())
    raw[5000:9000] = bytes(4000)
    (damaged / "continuity.db").write_bytes(bytes(raw))
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    code = main(["--data", str(damaged), "doctor", "--json", "--user", "admin"])
    out = json.loads(capsys.readouterr().out)
    assert code == 9 and out["worst"] == "fail"


RELEASE_030 = Path(__file__).parent / "data" / "release-0.3.0-schema-v10"


def test_a_0_3_0_store_keeps_an_ins_only_for_its_qualified_identity(tmp_path: Path) -> None:
    """A real 0.3.0 store (schema v10), whose validated and retrieved identities were given an
    INS: after v11/v12, their INS is the unverified trait and never leaves in an export (HL7
    batch, FHIR NDJSON), the qualified one keeps and sends its own, and the audit chain and
    every record's state still verify (the migration's changes adopted by ``records.adopt``)."""
    folder = tmp_path / "donnees"
    folder.mkdir(mode=0o700)
    for name in ("continuity.db", "keyslots.json", "temoin-audit.json"):
        shutil.copy2(RELEASE_030 / name, folder / name)
    workspace = Workspace(folder, Clock())
    assert _version_without_migrating(workspace, "admin", DEMO["admin"]) == 10
    avant, recup, qualif = "260027505600176", "170037505600239", "175057505600319"
    with workspace.unlock("crise", DEMO["crise"]) as session:
        assert session.store.user_version() == LATEST_VERSION
        found = {
            ipp: patients.find_patient(session, ipp).patient.identity
            for ipp in ("9001000047", "9001000060", "9001000083")
        }
        assert (found["9001000047"].ins, found["9001000047"].ins_unverified) == (None, avant)
        assert (found["9001000060"].ins, found["9001000060"].ins_unverified) == (None, recup)
        assert (found["9001000083"].ins, found["9001000083"].ins_unverified) == (qualif, None)
        assert admin.verify_audit(session).ok
    out = tmp_path / "export"
    out.mkdir()
    with workspace.unlock("admin", DEMO["admin"]) as session:
        report = engine.synchronise(session, f"file:{out}")
        assert report.exported == 5
        assert admin.verify_audit(session).ok
    written = "".join(p.read_text(encoding="utf-8") for p in sorted(out.iterdir()))
    assert avant not in written and recup not in written
    assert qualif in written
