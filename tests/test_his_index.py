"""The HIS identity index: streamed full imports, deltas over their base, cancel and errors
leaving the index in use untouched, its compact seal; on the real SQLCipher store."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from continuity.domain.his_index import IndexOutcome, IndexReport
from continuity.errors import InvalidInput
from continuity.names import search_key
from continuity.services import his_index, patients, sync_state
from continuity.session import Session, Workspace
from sync import inbox
from sync.his_index_files import is_index_file, read_index
from sync.snapshots import SnapshotRejected
from tests.conftest import ADMIN, ADMIN_PW, CRISIS_PW
from tests.index_files import IndexPerson, index_people, write_index
from tests.store_costs import vm_steps
from tests.test_cli import Cli


@pytest.fixture
def cli(
    provisioned: tuple[object, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    return Cli(provisioned[0].folder, capsys, monkeypatch)  # type: ignore[attr-defined]


def load(session: Session, path: Path, *, workers: int = 0, batch: int = 500, **kw: object) -> IndexReport:
    header, entries = read_index(path, workers=workers)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return his_index.import_index(session, header, entries, sha, batch=batch, **kw)  # type: ignore[arg-type]


def found(session: Session, *words: str) -> set[str]:
    return {h.ipp for h in session.store.his_index.search([search_key(w) for w in words], [], 50)}


def test_a_full_index_is_imported_in_batches_and_searched(crisis: Session, tmp_path: Path) -> None:
    people = index_people(2_300)
    path = write_index(tmp_path / "index.csv", people, "EXT-1")
    assert is_index_file(path)
    report = load(crisis, path)
    assert (report.outcome, report.added, report.total) == (IndexOutcome.IMPORTED, 2_300, 2_300)
    state = his_index.index_state(crisis)
    assert state is not None and (state.extraction, state.count) == ("EXT-1", 2_300)
    one = people[1234]
    hit = crisis.store.his_index.by_ipp(one.ipp)
    assert hit is not None and hit.identity.birth_date == one.born
    assert one.ipp in found(crisis, one.family.split(" ")[-1].split("-")[0][:3], one.firsts[0][:2])
    assert his_index.verify_index(crisis)
    assert crisis.store.audit.audit_of("his_index", "EXT-1", ["his_index.import"])


def test_worker_processes_read_the_same_index(crisis: Session, tmp_path: Path) -> None:
    people = index_people(5_000, seed=3)
    path = write_index(tmp_path / "index.csv", people, "EXT-W")
    assert load(crisis, path, workers=2).total == 5_000
    digest = crisis.store.his_index.state()
    assert digest is not None and his_index.verify_index(crisis)
    expected = {p.ipp for p in people if search_key(p.family).startswith("GUEVAL")}
    assert found(crisis, "gueval") == set(sorted(expected)[:50]) or len(expected) > 50


def test_a_second_full_index_replaces_the_first(crisis: Session, tmp_path: Path) -> None:
    load(crisis, write_index(tmp_path / "a.csv", index_people(800, first_ipp=1_000), "EXT-A"))
    first_gen = crisis.store.his_index.generation()
    load(crisis, write_index(tmp_path / "b.csv", index_people(300, first_ipp=9_000), "EXT-B"))
    assert crisis.store.his_index.generation() != first_gen
    assert crisis.store.his_index.count() == 300
    assert crisis.store.his_index.by_ipp("1000") is None and crisis.store.his_index.by_ipp("9000")
    spare = crisis.store.his_index.spare()
    assert crisis.store._one(f"SELECT count(*) FROM his_index_{spare}")[0] == 0  # the old one freed
    assert his_index.verify_index(crisis)


def test_a_delta_applies_over_its_base_only(crisis: Session, tmp_path: Path) -> None:
    people = index_people(1_000)
    load(crisis, write_index(tmp_path / "full.csv", people, "EXT-1"))
    changed = IndexPerson(people[5].ipp, "NOUVEAUNOM", ("ZOÉ",), people[5].born, "F")
    newcomer = IndexPerson("990001", "ARRIVANT", ("JULES",), people[0].born, "M")
    delta = write_index(
        tmp_path / "d1.csv", [changed, newcomer], "EXT-2", base="EXT-1", removed=(people[7].ipp,)
    )
    report = load(crisis, delta)
    assert (report.outcome, report.added, report.updated, report.removed) == (IndexOutcome.DELTA, 1, 1, 1)
    assert report.total == 1_000
    index = crisis.store.his_index
    assert index.by_ipp(people[7].ipp) is None
    hit = index.by_ipp(people[5].ipp)
    assert hit is not None and hit.identity.birth_name == "NOUVEAUNOM"
    assert people[5].ipp in found(crisis, "nouveaunom") and newcomer.ipp in found(crisis, "arriv")
    state = index.state()
    assert state is not None and state.extraction == "EXT-2"
    assert his_index.verify_index(crisis)  # the digest followed the delta
    # the same delta again: its base is no longer the index in use
    with pytest.raises(InvalidInput) as refused:
        load(crisis, write_index(tmp_path / "d1b.csv", [changed], "EXT-2b", base="EXT-1"))
    assert "EXT-1" in refused.value.message_fr and "EXT-2" in refused.value.message_en


def test_a_delta_without_its_base_is_refused(crisis: Session, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        load(crisis, write_index(tmp_path / "d.csv", index_people(10), "EXT-9", base="EXT-8"))
    assert "index complet" in refused.value.message_fr and "full index" in refused.value.message_en
    assert crisis.store.his_index.state() is None


def test_the_same_extraction_twice_is_a_duplicate(crisis: Session, tmp_path: Path) -> None:
    path = write_index(tmp_path / "i.csv", index_people(50), "EXT-1")
    load(crisis, path)
    assert load(crisis, path).outcome is IndexOutcome.DUPLICATE


def test_cancel_leaves_the_index_in_use_untouched(crisis: Session, tmp_path: Path) -> None:
    load(crisis, write_index(tmp_path / "a.csv", index_people(400, first_ipp=1_000), "EXT-A"))
    before = crisis.store.his_index.state()
    seen: list[his_index.Progress] = []
    report = load(
        crisis,
        write_index(tmp_path / "b.csv", index_people(3_000, first_ipp=9_000), "EXT-B"),
        progress=seen.append,
        cancelled=lambda: len(seen) >= 3,
    )
    assert report.outcome is IndexOutcome.CANCELLED and report.read == 2_000  # asked after the 4th batch
    assert crisis.store.his_index.state() == before and crisis.store.his_index.count() == 400
    assert crisis.store.his_index.leftover_runs() == []
    spare = crisis.store.his_index.spare()
    assert crisis.store._one(f"SELECT count(*) FROM his_index_{spare}")[0] == 0
    assert [p.done for p in seen] == [500, 1_000, 1_500]
    assert seen[-1].total == 3_000 and seen[-1].remaining is not None
    fr, en = report.summary()
    assert "annulé" in fr and "cancelled" in en


def test_an_error_late_in_the_file_changes_nothing(crisis: Session, tmp_path: Path) -> None:
    load(crisis, write_index(tmp_path / "a.csv", index_people(400, first_ipp=1_000), "EXT-A"))
    people = index_people(2_000, first_ipp=9_000)
    bad = IndexPerson("9999999", "SECRETNOM", ("JEAN",), people[0].born, "X")  # sex X
    path = write_index(tmp_path / "b.csv", [*people, bad], "EXT-B")
    with pytest.raises(SnapshotRejected) as refused:
        load(crisis, path)
    assert "Ligne 2005" in refused.value.message_fr and "SECRETNOM" not in str(refused.value.detail_pairs)
    assert crisis.store.his_index.count() == 400 and crisis.store.his_index.state() is not None
    assert crisis.store.his_index.leftover_runs() == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"declared": 12}, ("annonce", "declares")),
        ({"end": False}, None),
    ],
)
def test_a_file_that_is_not_whole_is_refused(
    crisis: Session, tmp_path: Path, change: dict[str, object], words: tuple[str, str] | None
) -> None:
    path = write_index(tmp_path / "i.csv", index_people(20), "EXT-1", **change)  # type: ignore[arg-type]
    if words is None:
        path.write_bytes(path.read_bytes().rstrip(b"\n"))
    with pytest.raises(InvalidInput) as refused:
        load(crisis, path)
    if words:
        assert words[0] in refused.value.message_fr and words[1] in refused.value.message_en
    assert crisis.store.his_index.state() is None


@pytest.mark.parametrize("batch", [500, 10], ids=["same batch", "two batches"])
def test_one_ipp_twice_is_refused(crisis: Session, tmp_path: Path, batch: int) -> None:
    people = index_people(30)
    with pytest.raises(InvalidInput) as refused:
        load(crisis, write_index(tmp_path / "i.csv", [*people, people[3]], "EXT-1"), batch=batch)
    assert "deux fois" in refused.value.message_fr
    assert crisis.store.his_index.state() is None
    assert not crisis.store.his_index.leftover_runs()  # the build's runs are gone


def test_a_removal_in_a_full_index_is_refused(crisis: Session, tmp_path: Path) -> None:
    with pytest.raises(SnapshotRejected):
        load(crisis, write_index(tmp_path / "i.csv", index_people(5), "EXT-1", removed=("500001",)))


def test_hostile_index_files_are_refused_without_echo(crisis: Session, tmp_path: Path) -> None:
    long_line = write_index(tmp_path / "l.csv", index_people(3), "EXT-1", extra_lines=("1;" + "A" * 40_000,))
    with pytest.raises(SnapshotRejected):
        load(crisis, long_line)
    latin1 = tmp_path / "x.csv"
    latin1.write_bytes(
        write_index(tmp_path / "u.csv", index_people(3), "EXT-1").read_bytes() + "É;".encode("latin-1")
    )
    with pytest.raises(SnapshotRejected) as refused:
        load(crisis, latin1)
    assert "UTF-8" in refused.value.message_fr
    bad_id = write_index(tmp_path / "b.csv", index_people(3), "EXT 1 ; DROP")
    with pytest.raises(SnapshotRejected):
        read_index(bad_id)
    assert crisis.store.his_index.state() is None


def test_the_compact_seal_sees_a_row_changed_behind_the_kits_back(crisis: Session, tmp_path: Path) -> None:
    load(crisis, write_index(tmp_path / "i.csv", index_people(200), "EXT-1"))
    gen = crisis.store.his_index.generation()
    with crisis.store.transaction():
        crisis.store._write(
            f"UPDATE his_index_{gen} SET data = replace(data, 'validee', 'qualifiee') WHERE rid = 7"
        )
    assert not his_index.verify_index(crisis)


def test_a_ward_nurse_cannot_verify_the_index(nurse: Session) -> None:
    from continuity.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        his_index.verify_index(nurse)


def test_the_cli_imports_an_index_with_its_progress(cli: Cli, tmp_path: Path) -> None:
    path = write_index(tmp_path / "index.csv", index_people(1_200), "EXT-CLI")
    code, out, err = cli.crisis("snapshot", "import-index", str(path), "--workers", "0")
    assert code == 0, err
    assert "1200 identité(s) ajoutée(s)" in out and "1200 in the index" in out
    assert "identités / identities" in err  # the progress line
    code, out, _ = cli.crisis("snapshot", "index", "--verify")
    assert code == 0 and "EXT-CLI" in out and "seal verified" in out
    delta = write_index(tmp_path / "d.csv", index_people(3), "EXT-D", base="EXT-X")
    code, _, err = cli.crisis("snapshot", "import-index", str(delta))
    assert code != 0 and "EXT-X" in err and "index complet" not in err  # an index is in place


def test_an_index_dropped_in_the_inbox_is_streamed_then_deleted(crisis: Session, tmp_path: Path) -> None:
    path = write_index(tmp_path / "index.csv", index_people(900), "EXT-IN")
    result = inbox.import_file(crisis, path, grace=0)
    assert result.outcome is inbox.FileOutcome.IMPORTED and not path.exists()
    assert isinstance(result.report, IndexReport) and result.report.total == 900
    delta = write_index(tmp_path / "delta.csv", index_people(2), "EXT-2", base="EXT-OTHER")
    waiting = inbox.import_file(crisis, delta, grace=0)  # its base may still be on its way
    assert waiting.outcome is inbox.FileOutcome.RETRY and "EXT-OTHER" in (waiting.error_fr or "")
    old = time.time() - inbox.DELTA_WAIT_SECONDS - 60
    os.utime(delta, (old, old))
    refused = inbox.import_file(crisis, delta, grace=0)  # waited long enough: quarantined
    assert refused.outcome is inbox.FileOutcome.QUARANTINED and "EXT-OTHER" in (refused.error_fr or "")
    reports = list((tmp_path / inbox.QUARANTINE_DIR).glob("*.erreur.txt"))
    assert len(reports) == 1 and "NOM" not in reports[0].read_text(encoding="utf-8")


def test_a_killed_import_leaves_the_index_in_use(cli: Cli, tmp_path: Path) -> None:
    """A real `continuity snapshot import-index` process killed while it writes: the index in
    use is the one before, and the next import clears what the killed one left."""
    small = write_index(tmp_path / "small.csv", index_people(300, first_ipp=1_000), "EXT-A")
    assert cli.crisis("snapshot", "import-index", str(small))[0] == 0
    big = write_index(tmp_path / "big.csv", index_people(150_000, first_ipp=100_000), "EXT-B")
    env = {**os.environ, "CONTINUITY_USER": "crise", "CONTINUITY_PASSWORD": CRISIS_PW}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli",
            "--data",
            str(cli.data),
            "snapshot",
            "import-index",
            str(big),
            "--workers",
            "0",
        ],
        stderr=subprocess.PIPE,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert proc.stderr is not None
    seen = b""
    while b"identit" not in seen and proc.poll() is None:
        seen += os.read(proc.stderr.fileno(), 256)  # its first progress line: batches are written
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # killed, not finished
    code, out, _ = cli.crisis("snapshot", "index", "--verify", "--json")
    state = json.loads(out)
    assert code == 0 and state["index"]["extraction"] == "EXT-A" and state["index"]["count"] == 300
    assert state["intact"] is True
    again = write_index(tmp_path / "b2.csv", index_people(500, first_ipp=100_000), "EXT-B2")
    assert cli.crisis("snapshot", "import-index", str(again))[0] == 0
    code, out, _ = cli.crisis("snapshot", "index", "--json")
    assert json.loads(out)["index"]["count"] == 500


def test_doctor_warns_without_an_index_and_shows_the_one_in_use(workspace: Workspace, tmp_path: Path) -> None:
    from continuity import doctor

    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        check = next(
            c for c in doctor.run(workspace, session.clock(), session=session).checks if c.name == "his_index"
        )
        assert check.level is doctor.Level.WARN and "IPP provisoire" in check.message_fr
        load(
            session,
            write_index(
                tmp_path / "i.csv", index_people(40), "EXT-DOC", taken_at=session.clock().isoformat()
            ),
        )
        check = next(
            c for c in doctor.run(workspace, session.clock(), session=session).checks if c.name == "his_index"
        )
    assert (
        check.level is doctor.Level.PASS
        and "EXT-DOC" in check.message_en
        and "40 identities" in check.message_en
    )


def test_an_error_read_by_a_worker_process_changes_nothing(crisis: Session, tmp_path: Path) -> None:
    load(crisis, write_index(tmp_path / "a.csv", index_people(100, first_ipp=1_000), "EXT-A"))
    people = index_people(9_000, first_ipp=9_000)
    bad = IndexPerson("9999999", "SECRETNOM", ("JEAN",), people[0].born, "X")
    with pytest.raises(SnapshotRejected) as refused:
        load(
            crisis,
            write_index(tmp_path / "b.csv", [*people[:7_000], bad, *people[7_000:]], "EXT-B"),
            workers=2,
        )
    assert "Ligne 7005" in refused.value.message_fr and "SECRETNOM" not in str(refused.value)
    assert crisis.store.his_index.count() == 100 and crisis.store.his_index.leftover_runs() == []


def test_a_worker_process_killed_refuses_the_file(crisis: Session, tmp_path: Path) -> None:
    from sync import his_index_files

    path = write_index(tmp_path / "b.csv", index_people(40_000), "EXT-B")
    header, entries = his_index_files.read_index(path, workers=2)
    first = next(entries)  # the workers are running
    assert first is not None
    killed = 0
    for proc in Path("/proc").iterdir():  # this test's own worker processes, not another's
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == os.getpid() and b"sync.index_worker" in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
                killed += 1
        except (OSError, ValueError, IndexError):
            continue
    assert killed == 2
    with pytest.raises(SnapshotRejected) as refused:
        his_index.import_index(crisis, header, entries, "sha", batch=1_000)
    assert "processus" in refused.value.message_fr
    assert crisis.store.his_index.state() is None


def test_a_delta_refreshes_the_patients_admitted_from_the_index(
    crisis: Session, nurse: Session, tmp_path: Path
) -> None:
    """A patient admitted under the HIS's identity gets the identity a later index gives (the
    HIS qualified it, say), as snapshots refresh HIS patients; not once corrected here."""
    people = index_people(50)
    load(crisis, write_index(tmp_path / "full.csv", people, "EXT-1"))
    first, second = people[3], people[4]
    a = patients.admit(nurse, "CARDIO", index_ipp=first.ipp).patient
    b = patients.admit(nurse, "CARDIO", index_ipp=second.ipp).patient
    patients.update_identity(
        nurse, b.id, b.identity.model_copy(update={"used_first_name": "MIMI"}), expected_version=b.version
    )
    renamed = [
        IndexPerson(p.ipp, p.family, p.firsts, p.born, p.sex, status="validee", used="NOUVEAU")
        for p in (first, second)
    ]
    report = load(crisis, write_index(tmp_path / "d.csv", renamed, "EXT-2", base="EXT-1"))
    assert report.patients_refreshed == 1
    after_a = crisis.store.patients.get_patient(a.id)
    after_b = crisis.store.patients.get_patient(b.id)
    assert after_a is not None and after_a.identity.used_name == "NOUVEAU"
    assert after_b is not None and after_b.identity.used_name is None  # corrected here: kept


def _delta_steps(crisis: Session, tmp_path: Path, size: int) -> int:
    """SQLite VM steps (deterministic, unlike time) to apply a delta of 20 changes over an
    index of ``size`` identities."""
    people = index_people(size, first_ipp=700_000)
    load(crisis, write_index(tmp_path / f"full-{size}.csv", people, f"FULL-{size}"), batch=5_000)
    changed = [dataclasses.replace(p, family="NOUVEAU") for p in people[:10]]
    delta = write_index(
        tmp_path / f"delta-{size}.csv",
        changed,
        f"DELTA-{size}",
        base=f"FULL-{size}",
        removed=tuple(p.ipp for p in people[10:20]),
    )
    with vm_steps(crisis.store) as steps:
        report = load(crisis, delta)
    assert (report.outcome, report.updated, report.removed) == (IndexOutcome.DELTA, 10, 10)
    assert found(crisis, "nouveau") == {p.ipp for p in changed}
    assert his_index.verify_index(crisis)
    return steps.value


def test_a_delta_costs_the_same_over_a_small_or_a_big_index(crisis: Session, tmp_path: Path) -> None:
    """A change used to delete its old search keys by scanning the whole key table (a delta of
    a thousand changes over 2 million identities: a thousand scans of 10 million rows)."""
    small = _delta_steps(crisis, tmp_path, 2_000)
    big = _delta_steps(crisis, tmp_path, 20_000)
    assert big < 1.5 * small, (small, big)


@pytest.mark.parametrize(
    ("pattern", "bad_ipp", "number"),
    [
        (None, "12ab34", 4),  # letters and digits, but not the default IPP rule (capitals)
        ("[0-9]{6}", "1234567", 4),  # the HIS's declared rule
        ("[0-9]{6}", "12 456", 4),  # not letters and digits only: the full check says why
    ],
)
def test_an_ipp_against_the_his_rules_is_refused_with_its_number(
    crisis: Session, tmp_path: Path, pattern: str | None, bad_ipp: str, number: int
) -> None:
    if pattern:
        with crisis.store.transaction():
            crisis.store.set_meta(sync_state.HIS_IPP_PATTERN_KEY, pattern)
    people = index_people(6, first_ipp=100_000)
    people[number - 1] = dataclasses.replace(people[number - 1], ipp=bad_ipp)
    with pytest.raises((InvalidInput, SnapshotRejected)) as refused:
        load(crisis, write_index(tmp_path / "i.csv", people, "EXT-1"))
    message = refused.value.message_fr
    assert "IPP" in message and (f"n°{number}" in message or f"Ligne {number}" in message), message
    assert bad_ipp not in message and crisis.store.his_index.state() is None
