"""Benchmark of the Syncthing transport: how long a bundle takes from one exchange folder to another.

What is measured
----------------
Two of the kit's Syncthing instances (``sync.syncthing``, configured as a workstation is:
file-system watcher on, ``fsWatcherDelayS`` 1, no discovery, no relay) on 127.0.0.1,
connected. ``--files`` bundle-sized files (``--kib`` KiB of random bytes) are dropped one at a
time in A's folder as the kit writes a bundle (hidden partial file, then renamed in); the
time until the whole file is in B's folder is measured for each (polled every 5 ms).

Baseline, in the same run: the same files written and renamed into a folder directly (what a
copy by hand costs the writer, without any carrying). The figure that matters is Syncthing's
latency itself; the baseline shows what of it is the file system.

Run: ``python -m bench.bench_syncthing [--files N] [--kib K]``; results in
``bench/results/syncthing-latest.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sync.syncthing import Device, Instance, Plan, free_port, version

POLL = 0.005


def _drop(folder: Path, name: str, data: bytes) -> None:
    partial = folder / f".{name}.partial"
    with open(partial, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, folder / name)


def _arrived(path: Path, sha: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha
    except FileNotFoundError:
        return False


def _wait(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        time.sleep(POLL)


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=15)
    parser.add_argument("--kib", type=int, default=64)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        a, b = Instance(root / "a" / "syncthing"), Instance(root / "b" / "syncthing")
        ports = free_port(), free_port()
        ida, idb = a.device_id(), b.device_id()
        listen_a, listen_b = (f"tcp://127.0.0.1:{port}" for port in ports)
        plan_a = Plan(root / "a" / "echange", "bench", listen_a, (Device(idb, listen_b, "B"),), "A")
        plan_b = Plan(root / "b" / "echange", "bench", listen_b, (Device(ida, listen_a, "A"),), "B")
        baseline_dir = root / "copie"
        baseline_dir.mkdir()
        baseline: list[float] = []
        carried: list[float] = []
        try:
            a.start(plan_a)
            b.start(plan_b)
            _wait(lambda: all(p.connected for p in a.rest.peers("bench", {idb: "B"})))
            for n in range(args.files):
                data = os.urandom(args.kib * 1024)
                sha = hashlib.sha256(data).hexdigest()
                name = f"echange-BENCH-A-{n:06d}.cxb"
                start = time.perf_counter()
                _drop(baseline_dir, name, data)
                _wait(lambda: _arrived(baseline_dir / name, sha))  # noqa: B023 - used at once
                baseline.append(time.perf_counter() - start)
                start = time.perf_counter()
                _drop(plan_a.folder, name, data)
                _wait(lambda: _arrived(plan_b.folder / name, sha))  # noqa: B023 - used at once
                carried.append(time.perf_counter() - start)
        finally:
            a.stop()
            b.stop()
    results = {
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "syncthing": version(),
        "files": args.files,
        "kib": args.kib,
        "fs_watcher_delay_s": plan_a.watcher_delay_s,
        "baseline_local_rename": _summary(baseline),
        "syncthing_a_to_b": _summary(carried),
    }
    out = Path(__file__).parent / "results" / "syncthing-latest.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Machine: {results['machine']}, {results['cpus']} CPUs, Syncthing {results['syncthing']}")
    print(f"{args.files} files of {args.kib} KiB, one at a time, written in A, awaited whole in B (loopback)")
    base, st = results["baseline_local_rename"], results["syncthing_a_to_b"]
    print(f"  written and renamed locally (baseline): median {base['median_ms']} ms, max {base['max_ms']} ms")
    print(
        f"  carried by Syncthing A -> B           : median {st['median_ms']} ms, "
        f"p90 {st['p90_ms']} ms, max {st['max_ms']} ms (fs watcher delay {results['fs_watcher_delay_s']} s)"
    )


if __name__ == "__main__":
    main()
