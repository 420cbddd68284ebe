"""Benchmark of HIS snapshot import and of the watched inbox, with baselines from the same run.

What is measured
----------------
1. **Import of a ``--patients`` snapshot (5,000 by default)** in each format (CSV, HL7 v2
   batch, FHIR R4 Bundle): reading the file (``sync.snapshots.parse_snapshot``) and
   applying it in one transaction (``continuity.services.snapshots.import_snapshot``)
   into a fresh store of a 5,000-bed site. Baseline: the same code into the same
   schema on plain SQLite (``Store.open_plain_for_benchmark``). Target: under 10 s.
2. **Latency from file closed to data visible**: ``--drops`` small snapshot files
   written (open, write, close) into a folder watched by the real ``WatchService``
   (watchdog observer, real SQLCipher store); the time from ``close()`` returning to
   the import transaction committed. Baseline: the same writes to a folder watched
   by a bare watchdog observer, timed from ``close()`` to its close event (the
   operating system's and watchdog's share). Target: under 1 s.

Run: ``python -m bench.bench_snapshot [--patients N] [--drops N]``; results in
``bench/results/snapshot-latest.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from watchdog.events import FileClosedEvent, FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from bench.bench_store import BenchClock, machine, open_side, percentile
from continuity.domain.site import Room, Site, Ward, WorkstationSpec
from continuity.domain.users import Role, User
from continuity.services import snapshots
from continuity.session import Session
from sync.snapshots import parse_snapshot
from sync.watch_service import Result, WatchService
from tests.snapshot_files import (
    HisPatient,
    csv_snapshot,
    fhir_bundle,
    his_patients,
    hl7_batch,
    moved,
)

ROOT = Path(__file__).resolve().parent.parent
UFS = 50
BEDS_PER_UF = 100
USER = User(username="cellule", display_name="Cellule de crise", role=Role.CRISIS_CELL)
KEY = bytearray(range(32))
FORMATS: dict[str, Callable[[list[HisPatient], datetime], bytes]] = {
    "csv": csv_snapshot,
    "hl7v2": hl7_batch,
    "fhir": fhir_bundle,
}


def bench_site() -> Site:
    ufs = [
        Ward(
            code=f"UF{u:02d}",
            name=f"Unité {u:02d}",
            rooms=[
                Room(code=f"R{r:03d}", beds=[f"{u:02d}-{2 * r - 1:03d}", f"{u:02d}-{2 * r:03d}"])
                for r in range(1, BEDS_PER_UF // 2 + 1)
            ],
        )
        for u in range(1, UFS + 1)
    ]
    return Site(
        code="CH-BENCH",
        name="Centre hospitalier de banc d'essai",
        ufs=ufs,
        workstations=[WorkstationSpec(code="BENCH-01", name="Poste", block=(1, 99_999))],
    )


def beds(site: Site) -> dict[str, list[str]]:
    return {u.code: u.bed_codes() for u in site.ufs}


def fresh_session(folder: Path, site: Site, encrypted: bool) -> Session:
    return open_side(
        "enc" if encrypted else "plain", folder, BenchClock(), site, USER, KEY if encrypted else None
    ).session


def import_once(session: Session, raw: bytes, taken: datetime) -> tuple[float, float, int]:
    """(seconds reading, seconds applying, stays added)."""
    start = time.perf_counter()
    snapshot = parse_snapshot(raw, "bench", taken)
    parsed = time.perf_counter()
    report = snapshots.import_snapshot(session, snapshot, hashlib.sha256(raw).hexdigest())
    done = time.perf_counter()
    return parsed - start, done - parsed, report.stays_added


def measure_import(count: int, root: Path) -> list[dict[str, Any]]:
    site = bench_site()
    taken = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    people = his_patients(count, beds(site), taken)
    rows = []
    for name, make in FORMATS.items():
        raw = make(people, taken)
        row: dict[str, Any] = {"format": name, "patients": count, "file_mb": len(raw) / 1e6}
        # The next periodic snapshot: one hour later, a tenth of the patients in other beds.
        later = taken + timedelta(hours=1)
        shuffled = [p for p in people]
        for i in range(0, len(shuffled) - 1, 20):
            a, b = shuffled[i], shuffled[i + 1]
            shuffled[i], shuffled[i + 1] = moved(a, b.uf, b.bed), moved(b, a.uf, a.bed)
        newer = make(shuffled, later)
        for label, encrypted in (("sqlcipher", True), ("plain_sqlite", False)):
            session = fresh_session(root / f"{name}-{label}", site, encrypted)
            read, apply, added = import_once(session, raw, taken)
            assert added == count, (name, label, added)
            again_read, again_apply, _ = import_once(session, newer, later)
            row[label] = {
                "read_s": read,
                "apply_s": apply,
                "total_s": read + apply,
                "refresh_s": again_read + again_apply,
            }
            session.store.close()
        rows.append(row)
    return rows


class _CloseTimes(FileSystemEventHandler):
    def __init__(self) -> None:
        self.seen: dict[str, float] = {}

    def on_any_event(self, event: FileSystemEvent) -> None:
        if isinstance(event, FileClosedEvent):
            self.seen[str(event.src_path)] = time.perf_counter()


def _drop(folder: Path, n: int, taken: datetime) -> tuple[Path, float]:
    patient = his_patients(1, {"UF01": ["01-001"]}, taken, seed=n, ipp_start=1_000_000 + n)[0]
    path = folder / f"depot-{n:04d}.hl7"
    data = hl7_batch([patient], taken + timedelta(seconds=n), identity_only=True)
    with open(path, "wb") as f:
        f.write(data)
    return path, time.perf_counter()


def measure_latency(drops: int, root: Path) -> dict[str, Any]:
    site = bench_site()
    taken = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    # Baseline: close() -> close event, bare watchdog observer.
    bare = root / "bare"
    bare.mkdir()
    handler = _CloseTimes()
    observer = Observer()
    observer.schedule(handler, str(bare))
    observer.start()
    baseline = []
    for n in range(drops):
        path, closed = _drop(bare, n, taken)
        while str(path) not in handler.seen:
            time.sleep(0.0005)
        baseline.append((handler.seen[str(path)] - closed) * 1000)
    observer.stop()
    observer.join()
    # The kit: close() -> import committed in the encrypted store.
    session = fresh_session(root / "watched-store", site, True)
    inbox = root / "inbox"
    service = WatchService(inbox, None)
    done: dict[str, float] = {}

    def record(result: Result) -> None:
        done[result.name] = time.perf_counter()

    stop, started = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=service.run,
        args=(session, stop, record),
        kwargs={"interval": 0.01, "started": started},
        daemon=True,
    )
    thread.start()
    started.wait(10)
    kit = []
    for n in range(drops):
        path, closed = _drop(inbox, n, taken)
        deadline = time.monotonic() + 10
        while path.name not in done:
            if time.monotonic() > deadline:
                raise RuntimeError("file never imported")
            time.sleep(0.0005)
        kit.append((done[path.name] - closed) * 1000)
    stop.set()
    thread.join(10)
    visible = session.store.patients.count_patients()
    session.store.close()
    assert visible == drops

    def stats(samples: Sequence[float]) -> dict[str, float]:
        return {
            "n": len(samples),
            "p50_ms": percentile(samples, 50),
            "p95_ms": percentile(samples, 95),
            "max_ms": max(samples),
            "mean_ms": statistics.fmean(samples),
        }

    return {"kit_close_to_visible": stats(kit), "baseline_close_to_event": stats(baseline)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--drops", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-snapshot-") as tmp:
        root = Path(tmp)
        imports = measure_import(args.patients, root)
        latency = measure_latency(args.drops, root)
    print(f"Import of a {args.patients:,}-patient HIS snapshot (read + apply, one transaction)")
    print(
        f"{'format':<8} {'file MB':>8} {'SQLCipher s':>12} {'plain SQLite s':>15} {'x':>6}"
        f" {'read s':>7} {'next snapshot s':>16} {'target < 10 s':>14}"
    )
    for row in imports:
        enc, plain = row["sqlcipher"]["total_s"], row["plain_sqlite"]["total_s"]
        refresh = row["sqlcipher"]["refresh_s"]
        print(
            f"{row['format']:<8} {row['file_mb']:>8.1f} {enc:>12.2f} {plain:>15.2f}"
            f" {enc / plain:>6.2f} {row['sqlcipher']['read_s']:>7.2f} {refresh:>16.2f}"
            f" {'PASS' if max(enc, refresh) < 10 else 'FAIL':>14}"
        )
    print(
        "(next snapshot: the same 5,000 an hour later, one in ten in another bed, applied over"
        " the first; plain SQLite: "
        + ", ".join(f"{r['format']} {r['plain_sqlite']['refresh_s']:.2f} s" for r in imports)
        + ")"
    )
    kit, base = latency["kit_close_to_visible"], latency["baseline_close_to_event"]
    print(f"\nFile closed -> data visible ({args.drops} drops into the watched inbox)")
    print(
        f"  kit (watch + read + import, SQLCipher): p50 {kit['p50_ms']:.1f} ms, "
        f"p95 {kit['p95_ms']:.1f} ms, max {kit['max_ms']:.1f} ms "
        f"(target < 1000 ms: {'PASS' if kit['max_ms'] < 1000 else 'FAIL'})"
    )
    print(
        f"  baseline (bare watchdog close event):   p50 {base['p50_ms']:.1f} ms, "
        f"p95 {base['p95_ms']:.1f} ms, max {base['max_ms']:.1f} ms"
    )
    result = {
        "machine": machine(),
        "at": datetime.now(UTC).isoformat(),
        "imports": imports,
        "latency": latency,
    }
    out = ROOT / "bench" / "results" / "snapshot-latest.json"
    out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nResults: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
