"""Key slots: unlock, wrong passwords and their rate limit, recovery key, user changes.

On the production argon2id parameters (the other tests use cheap ones, TEST_KDF)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from continuity import keyslots
from continuity.domain.users import Role, User
from continuity.errors import AuthenticationFailed, InvalidInput, PermissionDenied, RateLimited, SessionLocked
from continuity.provisioning import parse_site, provision
from continuity.services import admin
from continuity.session import Workspace
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    SITE_TOML,
    TEST_KDF,
    Clock,
    make_template,
)

PRODUCTION = keyslots.KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=2)


@pytest.fixture(scope="module")
def provisioned_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This module's store is provisioned as in production: no KDF parameters given."""
    return make_template(tmp_path_factory.mktemp("template-production-kdf") / "data", None)


def _counter(workspace: Workspace, slot_id: str) -> keyslots.Counter:
    slots = workspace.load_slots()
    return slots.counters.get(keyslots.counter_tag(slots.store_id, slot_id)) or keyslots.Counter()


def _failures(workspace: Workspace, username: str) -> int:
    return _counter(workspace, keyslots.user_slot_id(username)).failures


def _params(workspace: Workspace) -> dict[str, keyslots.KdfParams]:
    return {sid: slot.kdf for sid, slot in workspace.load_slots().slots.items()}


def test_production_parameters_are_unchanged() -> None:
    assert keyslots.KdfParams() == PRODUCTION


def test_a_store_provisioned_normally_gets_the_production_parameters_for_every_slot(
    workspace: Workspace, clock: Clock
) -> None:
    slots = _params(workspace)
    assert set(slots) == {"recovery", "user:admin", "user:crise", "user:ide", "user:ide.pneumo", "user:civ"}
    assert set(slots.values()) == {PRODUCTION}  # provisioning and users added since
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert session.store.get_meta(admin.KDF_META_KEY) is None
        assert keyslots.kdf_from_text(session.store.get_meta(admin.KDF_META_KEY)) is None
        admin.add_user(
            session, User(username="interne", display_name="I", role=Role.CRISIS_CELL), "interne-pw-1"
        )
        admin.change_password(session, NURSE.username, "new-nurse-password")
        admin.new_recovery_key(session, lambda _key: None)
    for sid, kdf in _params(workspace).items():
        assert kdf == PRODUCTION, sid
    raw = json.loads(workspace.slots_path.read_text(encoding="utf-8"))
    assert {json.dumps(s["kdf"], sort_keys=True) for s in raw["slots"].values()} == {
        json.dumps(asdict(PRODUCTION), sort_keys=True)
    }


def test_a_store_provisioned_with_explicit_parameters_keeps_them_for_new_slots(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "data")
    provision(workspace, parse_site(SITE_TOML), "WS-A", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert (
            keyslots.kdf_from_text(session.store.get_meta(admin.KDF_META_KEY)) == TEST_KDF
        )  # recorded inside the encrypted store
        admin.add_user(session, NURSE, NURSE_PW)
        admin.change_password(session, ADMIN.username, "new-admin-password")
        admin.new_recovery_key(session, lambda _key: None)
    assert set(_params(workspace).values()) == {TEST_KDF}
    with workspace.unlock(NURSE.username, NURSE_PW) as session:
        assert session.user == NURSE
    with pytest.raises(AuthenticationFailed):  # an unknown user still costs a derivation
        workspace.unlock("nobody", "whatever-password")


def test_unreadable_recorded_parameters_fall_back_to_production() -> None:
    for text in (
        None,
        "",
        "{",
        '{"time_cost": 1}x',
        '{"rounds": 1}',
        "[]",
        '{"time_cost": "1"}',
        '{"time_cost": 0}',
    ):
        assert keyslots.kdf_from_text(text) is None, text
    assert keyslots.kdf_from_text(keyslots.kdf_text(TEST_KDF)) == TEST_KDF


def test_each_user_unlocks_with_their_own_password(workspace: Workspace) -> None:
    for user, pw in ((ADMIN, ADMIN_PW), (CRISIS, CRISIS_PW), (NURSE, NURSE_PW)):
        with workspace.unlock(user.username, pw) as session:
            assert session.user == user
            assert session.store.reference.site_name()[0] == "TEST-CH"


def test_all_slots_wrap_the_same_database_key(workspace: Workspace) -> None:
    keys = set()
    for user, pw in ((ADMIN, ADMIN_PW), (NURSE, NURSE_PW)):
        with workspace.unlock(user.username, pw) as session:
            keys.add(session.db_key)
    assert len(keys) == 1


def test_wrong_password_and_unknown_user_give_the_same_refusal(workspace: Workspace) -> None:
    with pytest.raises(AuthenticationFailed) as wrong:
        workspace.unlock(NURSE.username, "not-the-password")
    with pytest.raises(AuthenticationFailed) as unknown:
        workspace.unlock("nobody", "whatever-password")
    assert str(wrong.value) == str(unknown.value)
    assert "incorrect" in wrong.value.message_fr


def test_wrong_passwords_are_rate_limited_and_counted_on_disk(workspace: Workspace, clock: Clock) -> None:
    for _ in range(keyslots.FREE_FAILURES):
        with pytest.raises(AuthenticationFailed):
            workspace.unlock(NURSE.username, "bad-password")
    # now locked for a while, even with the right password, and even after a "restart"
    with pytest.raises(RateLimited) as limited:
        Workspace(workspace.folder, clock).unlock(NURSE.username, NURSE_PW)
    assert "réessayez" in limited.value.message_fr
    clock.advance(seconds=1.5)
    with pytest.raises(AuthenticationFailed):
        workspace.unlock(NURSE.username, "bad-password-2")
    assert _failures(workspace, NURSE.username) == keyslots.FREE_FAILURES + 1
    with pytest.raises(RateLimited) as longer:
        workspace.unlock(NURSE.username, NURSE_PW)
    assert longer.value.seconds > 1.5  # the delay doubles
    clock.advance(seconds=2.5)
    with workspace.unlock(NURSE.username, NURSE_PW):
        pass
    assert _failures(workspace, NURSE.username) == 0
    # other users were never slowed down
    with workspace.unlock(CRISIS.username, CRISIS_PW):
        pass


def test_delay_is_capped(workspace: Workspace, clock: Clock) -> None:
    slots = workspace.load_slots()
    slots.counters[keyslots.counter_tag(slots.store_id, keyslots.user_slot_id(NURSE.username))] = (
        keyslots.Counter(failed=50)
    )
    workspace.save_slots(slots)
    with pytest.raises(AuthenticationFailed):
        workspace.unlock(NURSE.username, "bad-password")
    with pytest.raises(RateLimited) as limited:
        workspace.unlock(NURSE.username, NURSE_PW)
    assert limited.value.seconds <= keyslots.MAX_DELAY_SECONDS


def test_slot_file_holds_no_key_or_password(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        key = session.db_key
    raw = workspace.slots_path.read_bytes()
    for secret in (
        key,
        key.hex().encode(),
        base64.b64encode(key),
        ADMIN_PW.encode(),
        NURSE_PW.encode(),
        CRISIS_PW.encode(),
    ):
        assert secret not in raw
    data = json.loads(raw)
    assert set(data["slots"]) == {
        "recovery",
        "user:admin",
        "user:crise",
        "user:ide",
        "user:ide.pneumo",
        "user:civ",
    }
    assert workspace.slots_path.stat().st_mode & 0o077 == 0


def test_recovery_key_opens_and_resets_a_password(provisioned: tuple[Workspace, str]) -> None:
    workspace, recovery = provisioned
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        key = session.db_key
    with workspace.unlock_with_recovery(recovery.lower().replace("-", " ")) as session:
        assert session.db_key == key
        admin.change_password(session, ADMIN.username, "brand-new-admin-pw")
    with pytest.raises(AuthenticationFailed):
        workspace.unlock(ADMIN.username, ADMIN_PW)
    with workspace.unlock(ADMIN.username, "brand-new-admin-pw") as session:
        assert session.db_key == key  # a password change never re-encrypts the data


def test_mistyped_recovery_key_is_caught_by_its_check_character(provisioned: tuple[Workspace, str]) -> None:
    workspace, recovery = provisioned
    i = 3
    typo = recovery[:i] + ("A" if recovery[i] != "A" else "B") + recovery[i + 1 :]
    with pytest.raises(InvalidInput, match="Clé de secours invalide"):
        workspace.unlock_with_recovery(typo)


def test_new_recovery_key_replaces_the_old_one(provisioned: tuple[Workspace, str]) -> None:
    workspace, old = provisioned
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        new = admin.new_recovery_key(session, lambda _key: None).key
    with pytest.raises(AuthenticationFailed):
        workspace.unlock_with_recovery(old)
    with workspace.unlock_with_recovery(new) as session, pytest.raises(PermissionDenied):
        admin.new_recovery_key(session, lambda _key: None)


def test_add_change_remove_user(workspace: Workspace) -> None:
    newcomer = User(username="Interne.1", display_name="Interne", role=Role.WARD_STAFF, ufs=("PNEUMO",))
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        with pytest.raises(InvalidInput, match="trop court"):
            admin.add_user(session, newcomer, "short")
        admin.add_user(session, newcomer, "interne-password")
    with workspace.unlock("interne.1", "interne-password") as session:
        admin.change_password(session, "interne.1", "interne-password-2")
        with pytest.raises(PermissionDenied):
            admin.change_password(session, NURSE.username, "hijack-password")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        admin.remove_user(session, "interne.1")
        assert not session.store.users.get_user("interne.1").active  # type: ignore[union-attr]
    with pytest.raises(AuthenticationFailed):
        workspace.unlock("interne.1", "interne-password-2")


def test_cannot_remove_self_or_last_admin(admin_session: object, workspace: Workspace) -> None:
    from continuity.errors import Conflict

    with pytest.raises(Conflict, match="propre compte"):
        admin.remove_user(admin_session, ADMIN.username)  # type: ignore[arg-type]
    other = User(username="admin2", display_name="Admin 2", role=Role.IT_ADMIN)
    admin.add_user(admin_session, other, "admin2-password")  # type: ignore[arg-type]
    with workspace.unlock("admin2", "admin2-password") as session:
        admin.remove_user(session, ADMIN.username)
        with pytest.raises(Conflict):
            admin.remove_user(session, "admin2")


def test_only_admins_manage_users(workspace: Workspace) -> None:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session, pytest.raises(PermissionDenied):
        admin.add_user(session, User(username="x1", display_name="X", role=Role.CRISIS_CELL), "password-x1")


def test_locked_session_refuses_work(workspace: Workspace) -> None:
    session = workspace.unlock(NURSE.username, NURSE_PW)
    session.lock()
    assert session.is_locked
    with pytest.raises(SessionLocked, match="verrouillée"):
        _ = session.store
    with pytest.raises(SessionLocked, match="verrouillée"):
        _ = session.db_key


# ------------------------------------------------------------ the counters, across processes
CHILD = Path(__file__).with_name("attempt_child.py")
ROOT = Path(__file__).resolve().parents[1]


def _parallel_attempts(workspace: Workspace, username: str, password: str, n: int) -> list[tuple[float, str]]:
    """``n`` real processes try at the same moment; their answers, in the order they came."""
    go = workspace.folder.parent / f"go-{username}"
    env = {
        **os.environ,
        "ATTEMPT_CHILD_PASSWORD": password,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, str(CHILD), str(workspace.folder), username, str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        go.touch()
        lines = [proc.communicate(timeout=120)[0].split() for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return sorted((float(at), answer) for answer, at in lines)


@pytest.mark.parametrize("username", [NURSE.username, "personne.inconnue"])
def test_parallel_wrong_passwords_are_counted_one_by_one(workspace: Workspace, username: str) -> None:
    timed = _parallel_attempts(workspace, username, "not-the-password", 12)
    answers = [answer for _at, answer in timed]
    failed_at = [at for at, answer in timed if answer == "failed"]
    # One after the other: the first three free, then each only once the delay it caused ran out
    assert answers[: keyslots.FREE_FAILURES] == ["failed"] * keyslots.FREE_FAILURES, timed
    for k in range(keyslots.FREE_FAILURES, len(failed_at)):
        delay = 2.0 ** (k - keyslots.FREE_FAILURES)
        assert failed_at[k] - failed_at[k - 1] >= delay - 0.05, timed
    assert answers.count("limited") > 0, timed
    # ...and every wrong password evaluated is counted (none lost)
    assert _failures(workspace, username) == len(failed_at), timed
    with pytest.raises(RateLimited):
        workspace.unlock(username, NURSE_PW)


def test_known_and_unknown_names_get_the_same_answers_and_delays(workspace: Workspace, clock: Clock) -> None:
    def answers(username: str) -> list[str]:
        seen = []
        for _ in range(keyslots.FREE_FAILURES + 1):
            try:
                workspace.unlock(username, "bad-password")
            except (AuthenticationFailed, RateLimited) as exc:
                seen.append(f"{type(exc).__name__}: {exc}")
        return seen

    known, unknown = answers(NURSE.username), answers("personne")
    assert known == unknown
    assert known[-1].startswith("RateLimited")
    clock.advance(seconds=1.5)
    assert answers(NURSE.username)[0] == answers("personne")[0]


def test_counters_of_unknown_names_are_bounded_and_never_push_out_a_users(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "data")
    provision(workspace, parse_site(SITE_TOML), "WS-A", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    with pytest.raises(AuthenticationFailed):
        workspace.unlock(ADMIN.username, "bad-password")
    for i in range(keyslots.MAX_UNKNOWN_COUNTERS + 40):
        with pytest.raises(AuthenticationFailed):
            workspace.unlock(f"inconnu{i}", "bad-password")
    slots = workspace.load_slots()
    assert len(slots.counters) == keyslots.MAX_UNKNOWN_COUNTERS + 1
    assert _failures(workspace, ADMIN.username) == 1
    assert slots.total_failed == keyslots.MAX_UNKNOWN_COUNTERS + 41


def _set_counters_back(path: Path) -> None:
    """What someone who can write the data folder does: every counter back to zero."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    for slot in raw["slots"].values():
        slot.pop("failures", None), slot.pop("retry_after", None)
    raw.pop("counters", None), raw.pop("total_failed", None)
    path.write_text(json.dumps(raw), encoding="utf-8")


def test_a_counter_set_back_in_the_file_is_caught_recorded_and_put_back(workspace: Workspace) -> None:
    for _ in range(keyslots.FREE_FAILURES):
        with pytest.raises(AuthenticationFailed):
            workspace.unlock(NURSE.username, "guess-password")
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:  # the store sees the counters
        assert crisis.notices == []
    older = workspace.slots_path.read_bytes()
    _set_counters_back(workspace.slots_path)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        assert crisis.notices and "remis en arrière" in crisis.notices[0][0]
        [row] = crisis.store.audit.audit_of("keyslot", "counters", ["key.counter_rollback"])
        assert keyslots.user_slot_id(NURSE.username) in json.loads(row.payload)["slots"]
    with pytest.raises(RateLimited):  # the delay applies again
        workspace.unlock(NURSE.username, NURSE_PW)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:  # once: it was put back
        assert crisis.notices == []
    workspace.slots_path.write_bytes(older)  # an older copy of the whole file is not a way either
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:
        assert crisis.notices == []  # that copy already held the three failures
    _set_counters_back(workspace.slots_path)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        assert it.notices


def test_a_successful_unlock_leaves_the_slot_file_untouched(workspace: Workspace) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW):  # (converts a format-1 slot, if any)
        pass
    before = workspace.slots_path.stat()
    content = workspace.slots_path.read_bytes()
    for user, pw in ((NURSE, NURSE_PW), (ADMIN, ADMIN_PW), (NURSE, NURSE_PW)):
        with workspace.unlock(user.username, pw):
            pass
    after = workspace.slots_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert workspace.slots_path.read_bytes() == content
    with pytest.raises(AuthenticationFailed):
        workspace.unlock(NURSE.username, "bad-password")
    failed = workspace.slots_path.read_bytes()
    with workspace.unlock(NURSE.username, NURSE_PW):  # a failure to clear: written once
        pass
    cleared = workspace.slots_path.stat()
    assert workspace.slots_path.read_bytes() != failed  # (an inode number may be reused)
    with workspace.unlock(NURSE.username, NURSE_PW):
        pass
    again = workspace.slots_path.stat()
    assert (again.st_ino, again.st_mtime_ns) == (cleared.st_ino, cleared.st_mtime_ns)
