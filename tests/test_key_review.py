"""The security review of the key work (issue 15, "Keys"): planted slots, the recovery key's
replacement, a re-key that cannot finish, the delay, removals right after an upgrade, and
what a password change does not do. Real SQLCipher files, real folders, real processes."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main
from continuity import doctor, keyslots, rekey
from continuity.errors import AuthenticationFailed, Conflict, DiskFull, RateLimited
from continuity.services import admin, patients
from continuity.session import Workspace
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS,
    NURSE,
    NURSE_PW,
    PNEUMO_NURSE,
    PNEUMO_PW,
    Clock,
    identity,
)
from tests.disk_helpers import fill, free, small_disk
from tests.old_release import opens_raw, previous_release

ROOT = Path(__file__).resolve().parents[1]


def _plant(workspace: Workspace, username: str, password: str, slot_id: str, secret: bytes) -> bytearray:
    """What any user can do with their own password: open the key, add a slot with a valid MAC."""
    slots = workspace.load_slots()
    key = keyslots.unwrap(slots, keyslots.user_slot_id(username), password.encode(), keyslots.now_utc())
    params = slots.slots[keyslots.user_slot_id(username)].kdf
    salt = secrets.token_bytes(16)
    kek = keyslots._derive(secret, salt, params)
    slots.slots[slot_id] = keyslots._new_slot(slots.store_id, slot_id, kek, salt, params, key)
    assert keyslots.slot_is_authentic(slots.store_id, slots.slots[slot_id], key)
    workspace.save_slots(slots)
    return key


def _keys_check(workspace: Workspace, session: object | None) -> tuple[str, str]:
    report = doctor.run(workspace, keyslots.now_utc(), session)  # type: ignore[arg-type]
    [check] = [c for c in report.checks if c.name == "keys"]
    return check.level.value, check.message_fr + " " + check.message_en


# ------------------------------------------------------------------ 1. planted slots
def test_a_slot_planted_by_a_user_survives_no_removal_and_no_rotate(workspace: Workspace) -> None:
    _plant(workspace, PNEUMO_NURSE.username, PNEUMO_PW, "user:zz.cache", b"backdoor-pw")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        level, text = _keys_check(workspace, it)
        assert level == "warn" and "zz.cache" in text
        rotation = admin.remove_user(it, PNEUMO_NURSE.username)
        assert rotation.done and "user:zz.cache" in rotation.slots_dropped
        rotation = admin.rotate_key(it, "test")
    assert "user:zz.cache" not in workspace.load_slots().slots
    with pytest.raises(AuthenticationFailed):
        keyslots.unwrap(workspace.load_slots(), "user:zz.cache", b"backdoor-pw", keyslots.now_utc())


def test_a_slot_replaced_in_the_file_is_refused_at_unlock(workspace: Workspace) -> None:
    """A user puts their own password in someone else's slot: that slot is not the store's."""
    _plant(workspace, NURSE.username, NURSE_PW, keyslots.user_slot_id(CRISIS.username), b"nurse-as-crisis")
    with pytest.raises(AuthenticationFailed) as refused:
        workspace.unlock(CRISIS.username, "nurse-as-crisis")
    assert "informatique" in refused.value.message_fr
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        level, text = _keys_check(workspace, it)
        assert level == "warn" and "crise" in text
        rotation = admin.rotate_key(it, "test")
        assert keyslots.user_slot_id(CRISIS.username) in rotation.slots_dropped
        admin.change_password(it, CRISIS.username, "crise-nouveau-mot-2")
    with workspace.unlock(CRISIS.username, "crise-nouveau-mot-2"):
        pass


# ------------------------------------------------------------------ 2. the recovery key
def test_a_new_recovery_key_on_a_full_disk_keeps_the_old_one(
    provisioned: tuple[Workspace, str], tmp_path: Path
) -> None:
    template, old_recovery = provisioned
    with small_disk(tmp_path / "disque", 3 * 1024) as disk:
        shutil.copytree(template.folder, disk / "data")
        workspace = Workspace(disk / "data", Clock())
        shown: list[str] = []
        with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
            fillers = fill(disk, leave_kib=64)  # room for the slot file, not for a re-encrypted copy
            try:
                with pytest.raises(DiskFull) as caught:
                    admin.new_recovery_key(it, shown.append)
                assert "Disque plein" in caught.value.message_fr
            finally:
                free(fillers, disk)
        with workspace.unlock_with_recovery(old_recovery):
            pass
        for key in shown:
            with pytest.raises(AuthenticationFailed):
                workspace.unlock_with_recovery(key)
        assert workspace.load_slots().pending is None


RECOVERY_CHILD = """
import os, signal, sys
from pathlib import Path
from continuity.services import admin
from continuity.session import Workspace
session = Workspace(Path(sys.argv[1])).unlock("admin", os.environ["PW"])
def show(key: str) -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # killed before the key reached the screen
admin.new_recovery_key(session, show)
"""


def test_a_new_recovery_key_whose_display_was_killed_keeps_the_old_one(
    provisioned: tuple[Workspace, str],
) -> None:
    workspace, old_recovery = provisioned
    env = {**os.environ, "PW": ADMIN_PW, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", RECOVERY_CHILD, str(workspace.folder)], env=env, cwd=ROOT, capture_output=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        level, text = _keys_check(workspace, it)
        assert level == "warn" and "clé de secours" in text and "recovery-key" in text
    with workspace.unlock_with_recovery(old_recovery):
        pass
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        shown: list[str] = []
        change = admin.new_recovery_key(it, shown.append)
        assert shown == [change.key] and change.rotation.done
        assert _keys_check(workspace, it)[0] == "pass"
    with pytest.raises(AuthenticationFailed):
        workspace.unlock_with_recovery(old_recovery)
    with workspace.unlock_with_recovery(change.key):
        pass


# ------------------------------------------------------------------ 3. a re-key that cannot finish
def _leave_a_rekey_pending(workspace: Workspace) -> None:
    """Step 1 of a re-key (the pending slots written), as a kill right after it leaves it."""
    slots = workspace.load_slots()
    new_key = keyslots.new_database_key()
    slots.pending = {sid: keyslots.resealed(slots.store_id, s, new_key) for sid, s in slots.slots.items()}
    workspace.save_slots(slots)


def test_an_unfinished_rekey_on_a_full_disk_still_lets_users_read(
    provisioned: tuple[Workspace, str], tmp_path: Path
) -> None:
    template, _ = provisioned
    with small_disk(tmp_path / "disque", 3 * 1024) as disk:
        shutil.copytree(template.folder, disk / "data")
        workspace = Workspace(disk / "data", Clock())
        with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
            patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        _leave_a_rekey_pending(workspace)
        fillers = fill(disk, leave_kib=64)
        try:
            with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
                assert any("Disque plein" in fr for fr, _ in nurse.notices)
                assert patients.census(nurse, ["CARDIO"])[0].beds[0].occupant is not None
        finally:
            free(fillers, disk)
        with workspace.unlock(NURSE.username, NURSE_PW) as nurse:  # room again: finished
            assert nurse.notices == []
        assert workspace.load_slots().pending is None


def test_rotate_refuses_when_there_is_no_room_for_the_copies(
    provisioned: tuple[Workspace, str], tmp_path: Path
) -> None:
    template, _ = provisioned
    with small_disk(tmp_path / "disque", 3 * 1024) as disk:
        shutil.copytree(template.folder, disk / "data")
        workspace = Workspace(disk / "data", Clock())
        before = workspace.slots_path.read_bytes()
        with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
            fillers = fill(disk, leave_kib=64)
            try:
                with pytest.raises(DiskFull) as caught:
                    admin.rotate_key(it, "test")
                assert "Disque plein" in caught.value.message_fr and "keys rotate" not in str(caught.value)
            finally:
                free(fillers, disk)
        assert workspace.slots_path.read_bytes() == before


# ------------------------------------------------------------------ 4. the delay
def _strip_deadlines(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    for counter in raw["counters"].values():
        counter["retry_after"] = None
    path.write_text(json.dumps(raw), encoding="utf-8")


def test_the_delay_cannot_be_bypassed_by_erasing_the_deadline(workspace: Workspace, clock: Clock) -> None:
    refused = 0
    for _ in range(8):
        try:
            workspace.unlock(NURSE.username, "guess-password")
        except RateLimited:
            refused += 1
        except AuthenticationFailed:
            pass
        _strip_deadlines(workspace.slots_path)
    assert refused == 8 - keyslots.FREE_FAILURES


def test_a_sign_in_says_how_many_wrong_attempts_were_made(workspace: Workspace, clock: Clock) -> None:
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            workspace.unlock(NURSE.username, "guess-password")
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        assert any("2" in fr and "essai" in fr for fr, _ in nurse.notices)
        [row] = nurse.store.audit.audit_of("user", NURSE.username, ["user.failed_attempts"])
        assert json.loads(row.payload)["count"] == 2
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        assert nurse.notices == []


# ------------------------------------------------------------------ 5. removal right after an upgrade
def test_a_removal_right_after_an_upgrade_postpones_the_rekey(tmp_path: Path) -> None:
    workspace = previous_release(tmp_path)
    with workspace.unlock("admin", "demo-admin-2026") as it:
        rotation = admin.remove_user(it, "crise")
        assert not rotation.done and "ide.urg" in rotation.must_sign_in
        assert "recovery" not in rotation.must_sign_in and rotation.recovery_unconverted
        assert admin.rotation_due(it)
        level, text = _keys_check(workspace, it)
        assert level == "warn" and "ide.urg" in text
        with pytest.raises(Conflict) as refused:
            admin.rotate_key(it, "manual")
        assert "ide.urg" in refused.value.message_fr
    with workspace.unlock("ide.urg", "demo-urg-2026"):  # still signs in
        pass
    with pytest.raises(AuthenticationFailed):
        workspace.unlock("crise", "demo-crise-2026")


def test_keys_rotate_drops_unconverted_slots_only_when_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = previous_release(tmp_path)
    monkeypatch.setenv("CONTINUITY_PASSWORD", "demo-admin-2026")
    argv = ["--data", str(workspace.folder), "keys", "rotate", "--user", "admin"]
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert "ide.urg" in err and "--drop-unconverted" in err
    assert main([*argv, "--drop-unconverted"]) == 0
    out = capsys.readouterr().out
    assert "ide.urg" in out and "CLÉ DE SECOURS" in out
    key = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    with pytest.raises(AuthenticationFailed):
        workspace.unlock("ide.urg", "demo-urg-2026")
    with workspace.unlock_with_recovery(key):
        pass


# ------------------------------------------------------------------ 6. a password change
def test_an_admin_password_change_says_it_does_not_rekey_and_offers_rotate(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("CONTINUITY_NEW_PASSWORD", "ide-nouveau-mot-2")
    base = ["--data", str(workspace.folder), "user", "passwd", NURSE.username, "--user", "admin"]
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        key = nurse.db_key
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "keys rotate" in out and "--rotate" in out
    assert opens_raw(workspace.db_path, key)
    monkeypatch.setenv("CONTINUITY_NEW_PASSWORD", "ide-nouveau-mot-3")
    assert main([*base, "--rotate"]) == 0
    assert not opens_raw(workspace.db_path, key)
    assert rekey.ROTATION_DUE_KEY
