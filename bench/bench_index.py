"""Benchmark of the HIS identity index at a CHU's size, encrypted store beside plain SQLite.

What is measured
----------------
1. A CSV index file of ``--identities`` identities (2,000,000 by default) is generated once,
   with French names (accents, compound names, particles: ``bench.bench_store.NameMaker``'s
   pools), 1-3 first names, 30 % of women with a used name, 20 % qualified with a valid INS.
2. Import: ``sync.his_index_files.read_index`` + ``continuity.services.his_index.import_index``
   (the code the watcher and the GUI run), in a child process per store, one after the other
   (the machine has 2 cores): wall time, CPU time and peak resident memory of the child
   (``ru_maxrss``), and the size of the store afterwards. The encrypted store is the real
   SQLCipher one; the baseline is the stdlib sqlite3 with the same ``Store``, schema, pragmas
   and code (``Store.open_plain_for_benchmark``).
3. Search, both stores open in this process, calls interleaved (encrypted then plain, then
   plain then encrypted) so that machine noise hits both alike, through
   ``continuity.services.patients.search`` (what the admission dialog calls): a 2-4 letter
   family-name prefix; "family-name first-name-prefix" ("gueval ju"); a birth date; an IPP.

Targets of issue 17, printed beside the figures: import under 90 s and under 400 MB peak
memory, every search kind p99 under 10 ms and within 1.3x of plain SQLite, store under
1.5 GB. Results go to ``bench/results/index-latest.json``.

Run: ``python -m bench.bench_index [--identities N]`` (``make bench`` runs it at 2,000,000).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.bench_store import (
    _FIRST_F,
    _FIRST_M,
    SEED,
    USERNAME,
    BenchClock,
    Figure,
    NameMaker,
    Side,
    build_site,
    machine,
    open_side,
    paired,
    percentile,
    print_table,
)
from continuity import keyslots
from continuity.domain.users import Role, User
from continuity.names import search_key
from continuity.services import his_index, patients
from sync.his_index_files import read_index

ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = ROOT / "bench" / "results" / "index-latest.json"
IMPORT_S, MEMORY_MB, SEARCH_P99_MS, SEARCH_RATIO, STORE_GB = 90.0, 400.0, 10.0, 1.3, 1.5
WORKERS = 2  # what sync.his_index_files.default_workers gives here
COLUMNS = "ipp;nom_naissance;nom_usage;prenoms;date_naissance;sexe;statut_identite;ins;lieu_naissance"


def _nir(sex: str, born: date, place: str, order: int) -> str:
    body = f"{1 if sex == 'M' else 2}{born.year % 100:02d}{born.month:02d}{place}{order:03d}"
    return body + f"{97 - int(body) % 97:02d}"


def write_index(path: Path, count: int, rng: random.Random) -> list[dict[str, str]]:
    """Write the index file; return a sample of its identities (every 97th) for the queries."""
    names = NameMaker(rng)
    sample: list[dict[str, str]] = []
    start = date(1925, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(f"# index: BENCH-{count}\n# instantane: 2026-11-30T22:00:00+01:00\n# nombre: {count}\n")
        f.write(COLUMNS + "\n")
        for i in range(count):
            sex = "F" if rng.random() < 0.52 else "M"
            firsts = rng.sample(_FIRST_F if sex == "F" else _FIRST_M, k=rng.choice((1, 1, 1, 2, 3)))
            born = start + timedelta(days=rng.randrange(100 * 365))
            family = names.family()
            used = names.family() if sex == "F" and rng.random() < 0.3 else ""
            place = f"{rng.randint(1, 95):02d}{rng.randint(1, 999):03d}"
            qualified = rng.random() < 0.2
            status = "qualifiee" if qualified else ("validee" if rng.random() < 0.6 else "provisoire")
            ins = _nir(sex, born, place, rng.randint(1, 999)) if qualified else ""
            ipp = f"{10_000_000 + i * 7:09d}"
            f.write(
                f"{ipp};{family};{used};{' '.join(firsts)};{born.isoformat()};{sex};{status};{ins};{place}\n"
            )
            if i % 97 == 0:
                sample.append(
                    {"ipp": ipp, "family": used or family, "first": firsts[0], "born": born.isoformat()}
                )
        f.write(f"# fin: {count}\n")
    return sample


# ----------------------------------------------------------------------------- child: one import
def child_import(folder: Path, csv_path: Path, key_hex: str | None) -> dict[str, Any]:
    clock = BenchClock()
    site = build_site(1000)
    user = User(username=USERNAME, display_name="Banc d'essai", role=Role.IT_ADMIN)
    key = bytearray(bytes.fromhex(key_hex)) if key_hex else None
    side = open_side("encrypted" if key else "plain", folder, clock, site, user, key)
    t0, c0 = time.perf_counter(), time.process_time()
    last = [0.0]

    def progress(p: his_index.Progress) -> None:
        if p.elapsed - last[0] >= 10:
            last[0] = p.elapsed
            left = f", {p.remaining:.0f} s left" if p.remaining is not None else ""
            print(
                f"    {side.label}: {p.phase} {p.done:,} ({p.rate:,.0f}/s{left})", file=sys.stderr, flush=True
            )

    header, entries = read_index(csv_path, workers=WORKERS)
    report = his_index.import_index(side.session, header, entries, "bench", progress=progress)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    side.store.checkpoint()
    side.store.close()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        # this process, plus each worker process at the largest one's peak (an upper bound)
        "peak_rss_mb": (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            + WORKERS * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        )
        / 1024,
        "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "db_bytes": side.db_path.stat().st_size,
        "total": report.total,
    }


def run_child(folder: Path, csv_path: Path, key_hex: str | None) -> dict[str, Any]:
    env = {**os.environ, "BENCH_INDEX_KEY": key_hex or ""}
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_index", "--child", str(folder), str(csv_path)],
        check=True,
        stdout=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    return dict(json.loads(out.stdout))


# ----------------------------------------------------------------------------- parent
def reopen(label: str, folder: Path, key: bytearray | None) -> Side:
    from continuity.session import Session, Workspace
    from continuity.store import Store

    clock = BenchClock()
    workspace = Workspace(folder, clock)
    path = workspace.db_path
    store = Store.open_encrypted(path, key, clock) if key else Store.open_plain_for_benchmark(path, clock)
    user = store.users.get_user(USERNAME)
    assert user is not None
    session = Session(
        workspace, user.model_copy(update={"role": Role.CRISIS_CELL}), store, key or bytearray(32)
    )
    return Side(label, store, session, path)


def find(side: Side, text: str) -> list[Any]:
    """What the admission dialog and the ward search run: the patients here, then the index."""
    return list(patients.search_all(side.session, text))


def queries(sample: Sequence[dict[str, str]], rng: random.Random, n: int) -> dict[str, list[str]]:
    picks = [rng.choice(sample) for _ in range(n)]
    family = [search_key(p["family"].split(" ")[-1].split("-")[0]) for p in picks]
    return {
        "one word (2-4 letter prefix)": [f[: rng.randint(2, 4)].lower() for f in family],
        "two words (name + first-name prefix)": [
            f"{f.lower()} {search_key(p['first'])[: rng.randint(2, 3)].lower()}"
            for f, p in zip(family, picks, strict=True)
        ],
        "birth date": [date.fromisoformat(p["born"]).strftime("%d/%m/%Y") for p in picks],
        "IPP": [p["ipp"] for p in picks],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--identities", type=int, default=2_000_000)
    parser.add_argument("--searches", type=int, default=2000)  # p99: the 20th slowest
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(
            json.dumps(child_import(args.child[0], args.child[1], os.environ.get("BENCH_INDEX_KEY") or None))
        )
        return 0
    started = time.perf_counter()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="continuity-bench-index-") as tmp:
        csv_path = Path(tmp) / "index.csv"
        t0 = time.perf_counter()
        sample = write_index(csv_path, args.identities, rng)
        print(
            f"  wrote {args.identities:,} identities ({csv_path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
        )
        key = keyslots.new_database_key()
        imports: dict[str, dict[str, Any]] = {}
        for label, key_hex in (("encrypted", bytes(key).hex()), ("plain", None)):
            print(f"  importing into the {label} store...", file=sys.stderr, flush=True)
            imports[label] = run_child(Path(tmp) / label, csv_path, key_hex)
        enc = reopen("encrypted", Path(tmp) / "encrypted", key)
        plain = reopen("plain", Path(tmp) / "plain", None)
        gc.collect()
        gc.freeze()
        figures: list[Figure] = []
        hits: dict[str, list[int]] = {"encrypted": [], "plain": []}

        def search(side: Side, texts: Sequence[str]) -> Callable[[int], object]:
            def go(i: int) -> None:
                hits[side.label].append(len(find(side, texts[i])))

            return go

        warm = queries(sample, rng, 50)
        for texts in warm.values():
            paired(Figure("warm-up"), len(texts), search(enc, texts), search(plain, texts))
        for name, texts in queries(sample, rng, args.searches).items():
            figures.append(paired(Figure(name), len(texts), search(enc, texts), search(plain, texts)))
        assert hits["encrypted"] == hits["plain"]
        for side in (enc, plain):
            side.store.close()
    total = time.perf_counter() - started
    result = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "identities": args.identities,
        "import": imports,
        "figures": [f.as_json() for f in figures],
        "targets": _targets(imports["encrypted"], figures),
        "total_seconds": total,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _report(result, figures)
    return 0


def _targets(enc: dict[str, Any], figures: Sequence[Figure]) -> list[dict[str, Any]]:
    checks = [
        ("import < 90 s", enc["seconds"], IMPORT_S, "s"),
        ("import peak memory < 400 MB", enc["peak_rss_mb"], MEMORY_MB, "MB"),
        ("store < 1.5 GB", enc["db_bytes"] / 1e9, STORE_GB, "GB"),
    ]
    for f in figures:
        checks.append((f"{f.name}: p99 < 10 ms", percentile(f.encrypted, 99), SEARCH_P99_MS, "ms"))
        checks.append((f"{f.name}: p99 within 1.3x plain", f.ratio(99), SEARCH_RATIO, "x"))
    return [
        {"target": t, "value": v, "limit": limit, "unit": u, "met": v < limit} for t, v, limit, u in checks
    ]


def _report(result: dict[str, Any], figures: Sequence[Figure]) -> None:
    print(
        f"\nHIS identity index, {result['identities']:,} identities ({result['machine']['cpu']}, "
        f"{result['machine']['cores']} cores)"
    )
    for label, r in result["import"].items():
        print(
            f"  import {label:<9}: {r['seconds']:6.1f} s wall, {r['cpu_seconds']:6.1f} s CPU, "
            f"peak {r['peak_rss_mb']:5.0f} MB, store {r['db_bytes'] / 1e6:6.0f} MB"
        )
    enc, plain = result["import"]["encrypted"], result["import"]["plain"]
    print(f"  import ratio encrypted / plain: {enc['seconds'] / plain['seconds']:.2f}x wall\n")
    print_table(figures)
    print()
    for t in result["targets"]:
        mark = "met" if t["met"] else "MISSED"
        print(f"  [{mark:>6}] {t['target']}: {t['value']:.2f} {t['unit']} (limit {t['limit']})")
    print(f"\n(total {result['total_seconds']:.0f} s; results in {RESULTS_PATH.relative_to(ROOT)})")


if __name__ == "__main__":
    raise SystemExit(main())
