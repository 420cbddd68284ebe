"""The head of the audit chain anchored outside the store: the witness file, the bundles, paper.

An insider with the database key who cuts the chain and puts the records back as they
were at the cut leaves a chain that holds together: only a witness of the head kept
elsewhere shows the cut.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from continuity.domain.crisis import LogCategory
from continuity.errors import PermissionDenied
from continuity.services import admin, crisis, paper, patients
from continuity.session import Workspace
from continuity.store import cipher
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity

WITNESS = "temoin-audit.json"


def _verify(workspace: Workspace, given: list[tuple[int, str]] | None = None) -> admin.AuditCheck:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        return admin.verify_audit(session, given) if given else admin.verify_audit(session)


def _raw(folder: Path, key: bytes, *statements: str) -> list[Any]:
    conn = sqlcipher3.connect(str(folder / Workspace.DB_NAME), isolation_level=None)
    try:
        cipher.unlock(conn, key)
        conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        out = [conn.execute(s).fetchall() for s in statements]
    finally:
        conn.close()
    return out


def _cut_last_log_entry(workspace: Workspace) -> tuple[int, str]:
    """Admit, then write a log entry; cut the entry's transaction off the chain and delete the
    row it wrote: what is left is a whole chain whose records all match. The cut head."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        seq, digest = tuple(nurse.store._one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
    with workspace.unlock(CRISIS.username, CRISIS_PW) as c:
        crisis.add_log_entry(c, "Entrée qui sera effacée", LogCategory.INFO)
        key = c.db_key
    _raw(
        workspace.folder,
        key,
        "DELETE FROM crisis_log",
        f"DELETE FROM audit WHERE seq > {seq}",
        f"UPDATE meta SET value = '{seq}:{digest}' WHERE key = 'audit_head'",
    )
    return seq, digest


def test_a_chain_cut_with_its_records_put_back_is_found_by_the_witness_file(workspace: Workspace) -> None:
    _cut_last_log_entry(workspace)
    check = _verify(workspace)
    assert check.ok and check.head_matches and check.records == []  # the chain alone holds
    assert not check.valid
    assert [(w.source, w.held) for w in check.witnesses] == [("recorded", False), ("file", False)]


def test_the_witness_file_is_never_moved_back_over_the_evidence(workspace: Workspace) -> None:
    _cut_last_log_entry(workspace)
    seen = json.loads((workspace.folder / WITNESS).read_text())
    with workspace.unlock(CRISIS.username, CRISIS_PW) as c:  # work goes on after the cut
        crisis.add_log_entry(c, "Nouvelle entrée", LogCategory.INFO)
        crisis.add_log_entry(c, "Encore une", LogCategory.INFO)
    assert json.loads((workspace.folder / WITNESS).read_text()) == seen
    assert not _verify(workspace).valid


def test_the_witness_file_is_signed_and_follows_every_commit(workspace: Workspace) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        head = nurse.store.audit.head()
    found = json.loads((workspace.folder / WITNESS).read_text())
    assert head is not None and (found["seq"], found["hash"]) == head and found["signature"]
    assert (workspace.folder / WITNESS).stat().st_mode & 0o777 == 0o600
    assert "LEFÈVRE" not in (workspace.folder / WITNESS).read_text()
    check = _verify(workspace)
    assert check.valid and [(w.source, w.held, w.signed) for w in check.witnesses] == [("file", True, True)]


def test_a_witness_file_rewritten_without_the_signing_key_is_found(workspace: Workspace) -> None:
    seq, digest = _cut_last_log_entry(workspace)
    path = workspace.folder / WITNESS
    forged = {**json.loads(path.read_text()), "seq": seq, "hash": digest}
    path.write_text(json.dumps(forged))
    check = _verify(workspace)
    assert not check.valid and [(w.held, w.signed) for w in check.witnesses] == [(True, False)]


def test_a_chain_emptied_with_its_witness_file_removed_is_not_intact(workspace: Workspace) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        key = nurse.db_key
    _raw(workspace.folder, key, "DELETE FROM audit", "DELETE FROM meta WHERE key = 'audit_head'")
    (workspace.folder / WITNESS).unlink()
    check = _verify(workspace)
    assert check.entries == 0 and not check.valid


def test_a_head_given_from_a_peer_or_from_paper_is_checked(workspace: Workspace) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        seq, digest = tuple(nurse.store._one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
    assert _verify(workspace, [(seq, digest[:12])]).valid
    assert not _verify(workspace, [(seq, "0123456789ab")]).valid
    assert not _verify(workspace, [(seq + 5, digest[:12])]).valid


def test_a_removed_store_takes_its_witness_aside_with_it(
    workspace: Workspace, tmp_path: Path, provisioned: tuple[Workspace, str]
) -> None:
    from continuity import maintenance

    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        backup = admin.backup(it, tmp_path)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:  # the live chain goes on
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    maintenance.check_backup(backup, ADMIN.username, ADMIN_PW)
    aside = maintenance.restore_backup(backup, workspace, replace=True)
    assert aside is not None and (aside / WITNESS).exists()
    assert _verify(workspace).valid  # the restored chain gets its own witness at unlock


# ------------------------------------------------------------- the other workstations
def _head(session: Any) -> tuple[int, str]:
    return tuple(session.store._one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))


def test_peers_hold_the_head_and_catch_a_full_insider(
    three_workstations: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """WS-A's insider holds the database key and the signing key: they put back a copy of the
    store and of its witness file taken earlier (the chain cut, every record, the exported
    head as they were). WS-A alone says intact; WS-C, which received a later head, does not."""
    from cli import main
    from continuity.services import witnesses

    site = three_workstations
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity(), bed_code="1A")
    first = site.export("WS-A")
    folder = site.spaces["WS-A"].folder
    kept = folder.parent / "copie-de-l-initie"
    kept.mkdir()
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a:
        cut_seq, _ = _head(a)
    for name in (Workspace.DB_NAME, WITNESS):  # the store as it was, its witness with it
        shutil.copy2(folder / name, kept / name)
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity("MARTIN", "Paul"), bed_code="2A")
    site.deliver("WS-C", first)
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        [held] = witnesses.peer_heads(c)
    assert held.head.workstation == "WS-A" and held.head.seq > cut_seq and held.contradicted_by is None

    for name in (Workspace.DB_NAME, WITNESS):  # everything WS-A holds put back as it was
        shutil.copy2(kept / name, folder / name)
    alone = _verify(site.spaces["WS-A"])
    assert alone.valid, (alone.records[:3], alone.witnesses)  # what one workstation cannot see alone
    held_given = [(held.head.seq, held.head.short)]
    assert not _verify(site.spaces["WS-A"], held_given).valid  # the head WS-C holds: not in the chain

    # Work goes on at WS-A; its next bundle shows WS-C a shorter chain than the one it saw.
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        paper.reserve_blank_forms(a, "CARDIO", 1)
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        [held] = witnesses.peer_heads(c)
    assert held.contradicted_by is not None and held.contradicted_by.seq < held.head.seq
    monkeypatch.setenv("CONTINUITY_USER", CRISIS.username)
    monkeypatch.setenv("CONTINUITY_PASSWORD", CRISIS_PW)
    capsys.readouterr()
    assert main(["--data", str(site.spaces["WS-C"].folder), "audit", "witness"]) == 8
    out = capsys.readouterr()
    assert f"[{held.head.seq}:{held.head.short}]" in out.out and "CONTREDIT" in out.err
    given = f"{held.head.seq}:{held.head.short}"
    assert main(["--data", str(folder), "audit", "verify", "--witness", given]) == 8
    assert "TÉMOIN (donné) n°" in capsys.readouterr().err


def test_the_situation_report_prints_the_heads(three_workstations: Any) -> None:
    from forms import documents
    from tests.pdf_tools import flat, pages_text

    site = three_workstations
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity(), bed_code="1A")
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        seq, digest = _head(c)
        pdf = documents.situation_report(c)
        seq_after = _head(c)[0]
    text = flat(" ".join(pages_text(pdf)))
    assert seq_after == seq  # printing writes nothing
    assert f"WS-C : entrée n°{seq}, empreinte {digest[:12]}" in text and "(ce poste)" in text
    assert "WS-A : entrée n°" in text


# ------------------------------------------------- a witness file deleted or left behind
def _entries(workspace: Workspace, action: str) -> list[Any]:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as c:
        return list(c.store._all("SELECT seq, actor, payload FROM audit WHERE action = ?", (action,)))


def test_a_witness_file_deleted_after_a_cut_is_recorded_and_verify_fails_until_acknowledged(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reviewer's finding: cut the chain, delete the witness file; the unlock used to write
    a new one at the cut head before ``audit verify`` ran, which then said intact."""
    from cli import main
    from continuity.services import witnesses

    _cut_last_log_entry(workspace)
    (workspace.folder / WITNESS).unlink()
    check = _verify(workspace)
    assert not check.valid
    assert [w.source for w in check.witnesses if not w.ok] == ["recorded"]
    [(_, actor, _)] = _entries(workspace, "witness.missing")  # once, not at every unlock
    assert actor == CRISIS.username
    with workspace.unlock(CRISIS.username, CRISIS_PW) as c, pytest.raises(PermissionDenied):
        witnesses.acknowledge(c, "vu")  # the crisis cell may not clear it
    monkeypatch.setenv("CONTINUITY_USER", CRISIS.username)
    monkeypatch.setenv("CONTINUITY_PASSWORD", CRISIS_PW)
    capsys.readouterr()
    assert main(["--data", str(workspace.folder), "audit", "verify"]) == 8
    assert "fichier témoin absent" in capsys.readouterr().err
    monkeypatch.setenv("CONTINUITY_USER", ADMIN.username)
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    why = "poste réinstallé, vu avec M. X"
    code = main(["--data", str(workspace.folder), "audit", "witness", "--acknowledge", why])
    assert code == 0, capsys.readouterr()
    [(_, actor, payload)] = _entries(workspace, "witness.acknowledged")
    assert actor == ADMIN.username and "poste réinstallé" in payload
    assert _verify(workspace).valid
    assert main(["--data", str(workspace.folder), "audit", "verify"]) == 0


def test_a_witness_file_only_deleted_is_recorded_too(workspace: Workspace) -> None:
    (workspace.folder / WITNESS).unlink()
    check = _verify(workspace)
    assert not check.valid and _entries(workspace, "witness.missing")
    assert (workspace.folder / WITNESS).exists()  # the chain after it is witnessed again


def test_a_witness_file_the_chain_does_not_hold_is_recorded_and_acknowledged(workspace: Workspace) -> None:
    from continuity.services import witnesses

    _cut_last_log_entry(workspace)
    assert not _verify(workspace).valid
    assert not _verify(workspace).valid
    [(_, _, payload)] = _entries(workspace, "witness.unheld")  # the evidence, in the chain
    assert json.loads(payload)["seq"] == json.loads((workspace.folder / WITNESS).read_text())["seq"]
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        witnesses.acknowledge(it, "coupure examinée")
        head = it.store.audit.head()
    assert head is not None and json.loads((workspace.folder / WITNESS).read_text())["seq"] == head[0]
    assert _verify(workspace).valid


def test_a_new_store_and_a_store_upgraded_from_a_kit_without_witness_raise_nothing(
    tmp_path: Path, site: Any
) -> None:
    """A store provisioned, or upgraded from a kit that wrote no witness, has a chain and no
    witness file, and has never written one: its first unlock writes it, nothing recorded."""
    from continuity.provisioning import provision
    from tests.conftest import TEST_KDF

    workspace = Workspace(tmp_path / "data")
    provision(workspace, site, "WS-A", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    assert not (workspace.folder / WITNESS).exists()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        check = admin.verify_audit(it)
        assert it.store._all("SELECT seq FROM audit WHERE action LIKE 'witness.%'") == []
    assert check.valid, check.witnesses
    assert (workspace.folder / WITNESS).exists()


def test_an_exercise_copy_gets_its_own_witness_without_a_finding(workspace: Workspace) -> None:
    from continuity import maintenance

    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        drill = maintenance.start_exercise(it)
    with drill.unlock(ADMIN.username, ADMIN_PW) as d:
        assert admin.verify_audit(d).valid
    assert _verify(workspace).valid


def test_doctor_reports_a_witness_finding_not_acknowledged(workspace: Workspace) -> None:
    from continuity import doctor
    from continuity.keyslots import now_utc

    (workspace.folder / WITNESS).unlink()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        report = doctor.run(workspace, now_utc(), it)
    [found] = [c for c in report.checks if c.name == "audit_witness"]
    assert found.level.value == "fail" and "acknowledge" in found.message_en
