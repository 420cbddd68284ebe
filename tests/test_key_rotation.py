"""Revocation that revokes: copies opened through the live slots, re-keying (``keys rotate``),
format-1 slots converted, on real SQLCipher files and real folders (issue 15, "Keys")."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli import main
from continuity import doctor, keyslots, maintenance, upgrade
from continuity.errors import AuthenticationFailed, Conflict
from continuity.services import admin, patients
from continuity.session import Workspace
from continuity.store import Store
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    PNEUMO_NURSE,
    PNEUMO_PW,
    Clock,
    identity,
)
from tests.old_release import PREVIOUS, opens_raw, previous_release


def _key_from(slot_file: Path, slot_id: str, secret: bytes) -> bytearray | None:
    """What an old copy of keyslots.json gives with an old secret (no counter saved)."""
    try:
        return keyslots.unwrap(keyslots.load(slot_file), slot_id, secret, keyslots.now_utc())
    except AuthenticationFailed:
        return None


def _all_databases(workspace: Workspace) -> list[Path]:
    return sorted(workspace.folder.rglob("continuity.db"))


# ------------------------------------------------------------------------ copies keep no slots
def test_copies_keep_no_slot_file_and_open_through_the_live_slots(workspace: Workspace) -> None:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        drill = maintenance.start_exercise(crisis)
    assert not (drill.folder / "keyslots.json").exists()
    with drill.unlock(NURSE.username, NURSE_PW) as session:
        assert session.store.get_meta("exercise_mode") == "on"
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        finished = maintenance.stop_exercise(crisis)
    assert finished is not None and not (finished / "keyslots.json").exists()
    with Workspace(finished).unlock(NURSE.username, NURSE_PW) as session:  # for the debriefing
        assert session.store.get_meta("exercise_mode") == "on"


def test_a_removed_user_opens_no_exercise(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        drill = maintenance.start_exercise(crisis)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        admin.remove_user(it, NURSE.username)
    with pytest.raises(AuthenticationFailed):
        drill.unlock(NURSE.username, NURSE_PW)
    monkeypatch.setenv("CONTINUITY_PASSWORD", NURSE_PW)
    assert main(["--data", str(workspace.folder), "--exercise", "census", "--user", NURSE.username]) == 3


OLD_KIT_SLOT_FIELDS = {"slot_id", "salt", "nonce", "wrapped", "kdf", "failures", "retry_after"}


def test_pre_upgrade_copy_keeps_no_slots_and_a_rollback_gives_the_old_kit_the_live_ones(
    tmp_path: Path,
) -> None:
    workspace = previous_release(tmp_path)
    with workspace.unlock("crise", "demo-crise-2026"):  # migrates (a copy is kept), converts its slot
        pass
    [(copy, _info)] = upgrade.upgrade_copies(workspace)
    assert not (copy / "keyslots.json").exists()
    with Workspace(copy, Clock()).unlock("crise", "demo-crise-2026") as old:  # through the live slots
        assert old.store.patients.count_patients() == 12
    other = workspace.unlock("crise", "demo-crise-2026")  # open elsewhere: the re-key waits
    try:
        with workspace.unlock("admin", "demo-admin-2026") as it:
            assert not admin.remove_user(it, "ide.urg").done
    finally:
        other.lock()
    done = upgrade.rollback_upgrade(workspace)
    assert done is not None
    # the kit up to 0.2.0 reads format 1 only: the live slots, written so, same secrets
    raw = json.loads(workspace.slots_path.read_text(encoding="utf-8"))
    original = set(json.loads((PREVIOUS / "keyslots.json").read_text(encoding="utf-8"))["slots"])
    assert raw["format"] == 1 and set(raw["slots"]) == original - {"user:ide.urg"}
    assert all(set(slot) == OLD_KIT_SLOT_FIELDS for slot in raw["slots"].values())
    with pytest.raises(AuthenticationFailed):  # the removed user stays removed after a rollback
        workspace.unlock("ide.urg", "demo-urg-2026")
    with workspace.unlock("crise", "demo-crise-2026") as session:
        assert session.store.patients.count_patients() == 12
    _source, aside = done
    with Workspace(aside, Clock()).unlock("crise", "demo-crise-2026") as session:  # kept aside
        assert session.store.patients.count_patients() == 12


def test_a_rollback_to_an_older_kit_is_refused_once_the_key_changed(tmp_path: Path) -> None:
    workspace = previous_release(tmp_path)
    with workspace.unlock("admin", "demo-admin-2026") as it:
        admin.rotate_key(it, "test", drop_unconverted=True, show_recovery=lambda _key: None)
    before = sorted(p.name for p in workspace.folder.iterdir())
    with pytest.raises(Conflict, match="ne pourrait pas l'ouvrir"):
        upgrade.rollback_upgrade(workspace)
    assert sorted(p.name for p in workspace.folder.iterdir()) == before
    with workspace.unlock("admin", "demo-admin-2026"):
        pass


def test_a_rollback_between_kits_of_slot_format_2_keeps_the_live_slots(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:  # as a migration past v8 would
        copy = upgrade.keep_before_upgrade(workspace, it.store, it.db_key, it.store.user_version())
        admin.remove_user(it, PNEUMO_NURSE.username)
    slots = workspace.slots_path.read_bytes()
    done = upgrade.rollback_upgrade(workspace)
    assert done is not None and done[0] == copy
    assert workspace.slots_path.read_bytes() == slots
    with pytest.raises(AuthenticationFailed):
        workspace.unlock(PNEUMO_NURSE.username, PNEUMO_PW)
    with workspace.unlock(NURSE.username, NURSE_PW):
        pass


def test_stray_slot_files_in_copies_are_removed_at_the_next_rotate(workspace: Workspace) -> None:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        drill = maintenance.start_exercise(crisis)
    stray = drill.folder / "keyslots.json"  # as kits up to 0.2.0 left them
    shutil.copy2(workspace.slots_path, stray)
    before_upgrade = workspace.folder / "avant-mise-a-jour" / "schema-v007-20260101-000000"
    before_upgrade.mkdir(parents=True)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        it.store.backup.backup_into(before_upgrade / "continuity.db", it.db_key)
    shutil.copy2(workspace.slots_path, before_upgrade / "keyslots.json")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        rotation = admin.rotate_key(it, "test")
    assert rotation.stray_slot_files_removed == 2 and rotation.copies_rekeyed == 2
    assert not stray.exists() and not (before_upgrade / "keyslots.json").exists()
    with drill.unlock(NURSE.username, NURSE_PW):
        pass


# ------------------------------------------------------------------------ re-keying
def test_old_secrets_open_nothing_even_with_an_old_slot_file(provisioned: tuple[Workspace, str]) -> None:
    workspace, old_recovery = provisioned
    kept = workspace.folder.parent / "keyslots-gardé.json"
    shutil.copy2(workspace.slots_path, kept)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        drill = maintenance.start_exercise(crisis)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        admin.change_password(it, NURSE.username, "nurse-new-password")
        rotation = admin.remove_user(it, PNEUMO_NURSE.username)
        assert rotation.done
        change = admin.new_recovery_key(it, lambda _key: None)
        assert change.rotation.done
    with workspace.unlock(NURSE.username, "nurse-new-password") as nurse:
        patients.admit(nurse, "CARDIO", identity=identity("APRÈS", "Retrait"), bed_code="1A")
    old_secrets = [
        (keyslots.user_slot_id(PNEUMO_NURSE.username), PNEUMO_PW.encode()),  # removed user
        (keyslots.user_slot_id(NURSE.username), NURSE_PW.encode()),  # old password
        (keyslots.RECOVERY_SLOT, keyslots.parse_recovery_key(old_recovery)),  # old recovery key
    ]
    for slot_id, secret in old_secrets:
        old_key = _key_from(kept, slot_id, secret)
        assert old_key is not None  # the old file still gives the old key...
        for db in _all_databases(workspace):
            assert not opens_raw(db, old_key), (slot_id, db)  # ...which opens nothing any more
        assert _key_from(workspace.slots_path, slot_id, secret) is None
    assert drill.db_path in _all_databases(workspace)
    with workspace.unlock_with_recovery(change.key) as session:
        assert session.store.patients.count_patients() == 1
    with drill.unlock(NURSE.username, "nurse-new-password"):
        pass


def test_keys_rotate_on_the_command_line(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        old_key = nurse.db_key
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        maintenance.start_exercise(crisis)
        maintenance.stop_exercise(crisis)
        drill = maintenance.start_exercise(crisis)
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    argv = [
        "--data",
        str(workspace.folder),
        "keys",
        "rotate",
        "--reason",
        "clé USB perdue",
        "--user",
        "admin",
    ]
    assert main(argv) == 0
    databases = _all_databases(workspace)
    assert len(databases) == 3  # live, running exercise, finished exercise
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        new_key = nurse.db_key
        assert patients.census(nurse, ["CARDIO"])[0].beds[0].occupant is not None
    assert new_key != old_key
    for db in databases:
        assert not opens_raw(db, old_key) and opens_raw(db, new_key), db
    with drill.unlock(CRISIS.username, CRISIS_PW):
        pass
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        assert admin.verify_audit(it).valid
        [row] = it.store.audit.audit_of("keyslot", "database", ["key.rotate"])
    assert json.loads(row.payload)["reason"] == "clé USB perdue"


def test_rotate_needs_the_store_alone_and_a_removal_says_it_waits(workspace: Workspace) -> None:
    nurse = workspace.unlock(NURSE.username, NURSE_PW)
    try:
        with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
            with pytest.raises(Conflict):
                admin.rotate_key(it, "test")
            rotation = admin.remove_user(it, PNEUMO_NURSE.username)
            assert not rotation.done
            assert admin.rotation_due(it) == "user.remove ide.pneumo"
            assert nurse.store.patients.count_patients() == 0  # the other session goes on
    finally:
        nurse.lock()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        assert admin.rotate_key(it, "due").done
        assert admin.rotation_due(it) is None
        assert it.store.users.get_user(NURSE.username) is not None  # the session goes on


def test_format_1_slots_are_converted_at_unlock_and_a_rotate_names_the_others(tmp_path: Path) -> None:
    workspace = previous_release(tmp_path)
    assert json.loads((workspace.folder / "keyslots.json").read_text())["format"] == 1
    with workspace.unlock("admin", "demo-admin-2026"):
        pass
    versions = {sid: s.version for sid, s in workspace.load_slots().slots.items()}
    assert versions["user:admin"] == 2
    assert versions["user:crise"] == 1 and versions["recovery"] == 1
    with workspace.unlock("crise", "demo-crise-2026"):
        pass
    shown: list[str] = []
    with workspace.unlock("admin", "demo-admin-2026") as it:
        rotation = admin.rotate_key(it, "test", drop_unconverted=True, show_recovery=shown.append)
        assert "ide.urg" in rotation.users_without_slot and "crise" not in rotation.users_without_slot
        assert "admin" not in rotation.users_without_slot
        assert len(shown) == 1  # the format-1 recovery slot could not follow: a new key, shown first
    with workspace.unlock("crise", "demo-crise-2026"):
        pass
    with pytest.raises(AuthenticationFailed):
        workspace.unlock("ide.urg", "demo-urg-2026")
    with workspace.unlock_with_recovery(shown[0]) as it:
        admin.change_password(it, "ide.urg", "girafe-tulipe-violon")
    with workspace.unlock("ide.urg", "girafe-tulipe-violon") as session:
        assert session.store.patients.count_patients() == 12


def test_rotate_prints_which_users_need_a_new_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = previous_release(tmp_path).folder
    monkeypatch.setenv("CONTINUITY_PASSWORD", "demo-admin-2026")
    assert main(["--data", str(folder), "keys", "rotate", "--user", "admin", "--drop-unconverted"]) == 0
    out = capsys.readouterr().out
    assert "ide.urg" in out and "nouveau mot de passe" in out and "new password" in out
    assert "CLÉ DE SECOURS" in out


def test_a_slot_planted_without_the_key_gets_nothing_at_a_rotate(workspace: Workspace) -> None:
    slots = workspace.load_slots()
    planted = keyslots.SlotFile(store_id=slots.store_id)
    keyslots.wrap(planted, "user:intrus", b"intrus-password", keyslots.new_database_key())
    slots.slots["user:intrus"] = planted.slots["user:intrus"]  # its own key pair, a made-up key
    workspace.save_slots(slots)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        admin.rotate_key(it, "test")
        key = it.db_key
    assert "user:intrus" not in workspace.load_slots().slots
    assert _key_from(workspace.slots_path, "user:intrus", b"intrus-password") is None
    assert Store.key_opens(workspace.db_path, key)


def test_backup_keeps_the_slots_it_was_made_with(workspace: Workspace, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        backup = admin.backup(it, usb)
        admin.remove_user(it, PNEUMO_NURSE.username)
    # documented: a backup holds the slots of its day, a rotate does not reach it
    with Workspace(backup).unlock(PNEUMO_NURSE.username, PNEUMO_PW):
        pass
    with pytest.raises(AuthenticationFailed):
        workspace.unlock(PNEUMO_NURSE.username, PNEUMO_PW)


# ------------------------------------------------------------------------ killed while re-keying
CHILD = Path(__file__).with_name("rekey_child.py")
ROOT = Path(__file__).resolve().parents[1]


def _run_child(folder: Path, *args: str, kill_after: float | None = None) -> str:
    """Run the re-key child; SIGKILL it ``kill_after`` s after it is ready (it may kill itself)."""
    env = {
        **os.environ,
        "REKEY_CHILD_PASSWORD": ADMIN_PW,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(folder), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        if kill_after is not None:
            time.sleep(kill_after)
            proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, err
    return out


def _check_after_kill(workspace: Workspace, drill: Workspace, finished: Path) -> None:
    """Every store opens, for every user, with one key; no re-key is left half-way."""
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:  # finishes an interrupted re-key
        key = it.db_key
        assert it.store.integrity_ok()
        assert it.store.patients.count_patients() == 2
        assert admin.verify_audit(it).valid
    slots = workspace.load_slots()
    assert slots.pending is None
    assert {keyslots.user_slot_id(NURSE.username), keyslots.RECOVERY_SLOT} <= set(slots.slots)
    for db in _all_databases(workspace):
        assert Store.key_opens(db, key), db
    assert not list(workspace.folder.rglob("*.rekey*"))
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        assert nurse.db_key == key
    with drill.unlock(CRISIS.username, CRISIS_PW) as session:
        assert session.store.patients.count_patients() == 2
    with Workspace(finished).unlock(CRISIS.username, CRISIS_PW):
        pass


@pytest.fixture
def with_copies(workspace: Workspace) -> tuple[Workspace, Workspace, Path]:
    """Two patients, a finished exercise and a running one."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        patients.admit(nurse, "CARDIO", identity=identity("MARTIN", "Paul"), bed_code="1B")
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        maintenance.start_exercise(crisis)
        finished = maintenance.stop_exercise(crisis)
        drill = maintenance.start_exercise(crisis)
    assert finished is not None
    return workspace, drill, finished


def test_a_rekey_killed_at_each_of_its_steps_leaves_stores_that_open(
    with_copies: tuple[Workspace, Workspace, Path],
) -> None:
    workspace, drill, finished = with_copies
    # each step of a re-key, for sure: 2 slot-file saves, 3 exports (live + 2 copies),
    # 5 renames (pending slots, 3 databases, promotion)
    points = [("save", n) for n in (1, 2)] + [("export", n) for n in (1, 2, 3)]
    points += [("replace", n) for n in range(1, 6)]
    for what, n in points:
        _run_child(workspace.folder, "at", what, str(n))
        _check_after_kill(workspace, drill, finished)


@pytest.mark.slow
def test_a_rekey_killed_at_random_moments_leaves_stores_that_open(
    with_copies: tuple[Workspace, Workspace, Path],
) -> None:
    workspace, drill, finished = with_copies
    rng = random.Random(20261201)
    for _ in range(8):  # while it re-keys again and again
        _run_child(workspace.folder, "loop", kill_after=rng.uniform(0.0, 0.6))
        _check_after_kill(workspace, drill, finished)


def test_doctor_says_when_to_rotate(workspace: Workspace) -> None:
    def keys_check(session: object | None = None) -> tuple[str, str]:
        report = doctor.run(workspace, keyslots.now_utc(), session)  # type: ignore[arg-type]
        [check] = [c for c in report.checks if c.name == "keys"]
        return check.level.value, check.message_fr + check.message_en

    level, text = keys_check()
    assert level == "pass" and "keys rotate" in text and "perte" in text and "lost" in text
    nurse = workspace.unlock(NURSE.username, NURSE_PW)
    try:
        with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
            admin.remove_user(it, PNEUMO_NURSE.username)  # open elsewhere: the re-key waits
            level, text = keys_check(it)
            assert level == "warn" and "en attente" in text and "keys rotate" in text
    finally:
        nurse.lock()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        admin.rotate_key(it, "due")
        assert keys_check(it)[0] == "pass"
