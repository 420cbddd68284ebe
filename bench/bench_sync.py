"""Benchmark of the hand-back to the HIS: MLLP beside a raw socket loop, FHIR and files.

What is measured
----------------
A workstation store is filled with ``--events`` outbox events (admissions and
leave/return movements, written by the real services into a real SQLCipher
file). Then, in the same run:

* **raw MLLP loop** (baseline): one TCP connection, the same framed ADT
  message sent ``--events`` times, each ACK read back before the next send.
  This is the floor a request/response protocol imposes on loopback with
  this HIS peer;
* **kit over MLLP**: ``sync.engine.synchronise`` to the same peer: each event
  read from the encrypted store, its message built, sent, its ACK parsed and
  checked, acknowledgements committed to the store;
* **raw FHIR POST** (baseline): the kit's own transaction Bundles for
  ``--fhir-events`` events (taken from a file export), POSTed one after the
  other with httpx to Medplum's FHIR engine (FhirRouter over a MemoryRepository,
  a Node process: ``tests/peers/medplum_fhir.mjs``), emptied before each run;
* **kit to FHIR**: the same events (reset to pending) delivered by the kit to
  the same engine: Bundles built from the store, sent, each transaction
  response read back (server ids, the HIS's IPP) and committed;
* **kit to files**: the same events written as an HL7 batch and FHIR NDJSON.

The HIS peer is python-hl7's asyncio MLLP server in a separate process
(persistent connection, parses each message and answers ``create_ack``), so it
does not share the kit's interpreter. Targets from the issue: at least
500 messages/s and at least half the raw loop's rate.

Run: ``python -m bench.bench_sync [--events N]``; results in
``bench/results/sync-latest.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

from continuity.domain.users import Role, User
from continuity.provisioning import parse_site, provision
from continuity.services import admin, patients
from continuity.session import Workspace
from sync import engine
from tests.conftest import SITE_TOML, identity
from tests.peers.medplum import MedplumFhir
from tests.sync_helpers import letters

ADMIN = User(username="admin", display_name="Admin", role=Role.IT_ADMIN)
NURSE = User(username="ide", display_name="IDE", role=Role.WARD_STAFF, ufs=("CARDIO",))
PASSWORD = "bench-password-1"


def _peer(port_out: Any) -> None:
    import asyncio

    import hl7
    from hl7.mllp import start_hl7_server

    async def handle(reader: Any, writer: Any) -> None:
        try:
            while not writer.is_closing():
                message = await reader.readmessage()
                writer.writemessage(message.create_ack())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await start_hl7_server(handle, "127.0.0.1", 0, encoding="utf-8")
        port_out.send(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    del hl7
    asyncio.run(main())


def _fill(folder: Path, events: int) -> Workspace:
    workspace = Workspace(folder)
    site = SITE_TOML.replace("block = [100000, 100999]", "block = [200000, 299999]")
    provision(workspace, parse_site(site), "WS-A", ADMIN, PASSWORD)
    with workspace.unlock(ADMIN.username, PASSWORD) as session:
        admin.add_user(session, NURSE, PASSWORD)
    with workspace.unlock(NURSE.username, PASSWORD) as nurse:
        n = 0
        while n < events:
            who = identity(birth_name=f"BANC-{letters(n)}", first="Anaïs")
            stay = patients.admit(nurse, "CARDIO", identity=who, not_a_duplicate="autre patient").stay
            n += 1
            if n < events:
                patients.start_leave(nurse, stay.id)
                n += 1
            if n < events:
                patients.end_leave(nurse, stay.id)
                n += 1
    return workspace


def _raw_loop(port: int, message: bytes, count: int) -> float:
    framed = b"\x0b" + message + b"\x1c\r"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        start = time.perf_counter()
        for _ in range(count):
            sock.sendall(framed)
            reply = b""
            while not reply.endswith(b"\x1c\r"):
                chunk = sock.recv(65536)
                if not chunk:
                    raise RuntimeError("peer closed")
                reply += chunk
        return time.perf_counter() - start


def _raw_fhir(base: str, bundles: list[bytes]) -> tuple[float, float, float]:
    """The floor: the same transaction Bundles POSTed one after the other, replies parsed.

    Also the mean time of the first and of the last 50 transactions (ms): Medplum's memory
    repository scans every stored resource for a conditional request, so it grows with them.
    """
    import httpx

    headers = {"Content-Type": "application/fhir+json", "Prefer": "return=representation"}
    times: list[float] = []
    with httpx.Client(base_url=base, timeout=120.0) as client:
        start = time.perf_counter()
        for body in bundles:
            before = time.perf_counter()
            response = client.post("", content=body, headers=headers)
            response.raise_for_status()
            assert response.json()["type"] == "transaction-response"
            times.append(time.perf_counter() - before)
        spent = time.perf_counter() - start
    n = min(50, len(times))
    return spent, round(1000 * sum(times[:n]) / n, 1), round(1000 * sum(times[-n:]) / n, 1)


def _node_version() -> str:
    import subprocess

    from tests.peers.medplum import node

    return subprocess.run([node(), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def _reset(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, PASSWORD) as session:
        session.store._conn.execute("UPDATE outbox SET status = 'pending', exported_at = NULL")


def _timed_sync(workspace: Workspace, target: str) -> tuple[float, engine.RunReport]:
    with workspace.unlock(ADMIN.username, PASSWORD) as session:
        start = time.perf_counter()
        report = engine.synchronise(session, target, options=engine.SyncOptions(chunk=500))
        return time.perf_counter() - start, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--fhir-events", type=int, default=900)
    parser.add_argument(
        "--fhir-only", action="store_true", help="only the FHIR part (its figures merged into the results)"
    )
    args = parser.parse_args()
    if args.fhir_only:
        args.events = max(args.fhir_events, 1)
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    peer = ctx.Process(target=_peer, args=(send,), daemon=True)
    peer.start()
    port = receive.recv()
    results: dict[str, Any] = {
        "events": args.events,
        "machine": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        workspace = _fill(Path(tmp) / "data", args.events)
        results["fill_seconds"] = round(time.perf_counter() - t0, 1)
        with workspace.unlock(ADMIN.username, PASSWORD) as session:
            from continuity.services import delivery
            from sync.hl7_adt import build_message

            first = session.store.outbox.deliverable_events(1)[0]
            sample = build_message(
                delivery.event_context(session, first), delivery.sending_site(session), session.clock()
            ).encode()
        if not args.fhir_only:
            raw = _raw_loop(port, sample, args.events)
            kit, report = _timed_sync(workspace, f"mllp://127.0.0.1:{port}")
            assert report.acknowledged == args.events, report
            results["raw_msgs_per_s"] = round(args.events / raw)
            results["kit_mllp_msgs_per_s"] = round(args.events / kit)
            results["ratio_to_raw"] = round(raw / kit, 2)

            _reset(workspace)
            files_dir = Path(tmp) / "drop"
            files_dir.mkdir()
            spent, report = _timed_sync(workspace, f"file:{files_dir}")
            assert report.exported == args.events
            results["files_events_per_s"] = round(args.events / spent)

        _reset(workspace)
        with workspace.unlock(ADMIN.username, PASSWORD) as session:
            session.store._conn.execute(
                "UPDATE outbox SET status = 'acknowledged' WHERE seq > ?", (args.fhir_events,)
            )
        fhir_drop = Path(tmp) / "fhir-drop"
        fhir_drop.mkdir()
        _timed_sync(workspace, f"file:{fhir_drop}")
        [ndjson] = fhir_drop.glob("*.ndjson")
        bundles = ndjson.read_bytes().splitlines()
        server = MedplumFhir()
        try:
            raw_fhir, first_ms, last_ms = _raw_fhir(server.base, bundles)
            server.reset()
            spent, report = _timed_sync(workspace, server.url)
            assert report.acknowledged == args.fhir_events, report
            assert server.stats()["transactions"] == len(bundles)
        finally:
            server.stop()
        results["fhir_raw_bundles_per_s"] = round(len(bundles) / raw_fhir)
        results["fhir_raw_events_per_s"] = round(args.fhir_events / raw_fhir)
        results["fhir_events_per_s"] = round(args.fhir_events / spent)
        results["fhir_ratio_to_raw"] = round(raw_fhir / spent, 2)
        results["fhir_raw_first_50_ms"] = first_ms
        results["fhir_raw_last_50_ms"] = last_ms
        results["fhir_events"] = args.fhir_events
        results["fhir_bundles"] = len(bundles)
        results["fhir_engine"] = "Medplum FhirRouter + MemoryRepository 5.2.13 (Node " + _node_version() + ")"
    peer.terminate()
    out = Path(__file__).parent / "results" / "sync-latest.json"
    if args.fhir_only:
        kept = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        kept.update({k: v for k, v in results.items() if k.startswith("fhir")})
        out.write_text(json.dumps(kept, indent=2) + "\n", encoding="utf-8")
        _print_fhir(results, args.fhir_events)
        return
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    ok_abs = results["kit_mllp_msgs_per_s"] >= 500
    ok_rel = results["ratio_to_raw"] >= 0.5
    print(f"Machine: {results['machine']}, {results['cpus']} CPUs, Python {results['python']}")
    print(f"{args.events} events over MLLP on loopback (peer: python-hl7 asyncio server, separate process)")
    print(f"  raw socket request/response loop : {results['raw_msgs_per_s']:>7} msg/s (baseline)")
    print(
        f"  kit (store -> HL7 -> ACK -> store): {results['kit_mllp_msgs_per_s']:>7} msg/s  "
        f"= {results['ratio_to_raw']:.2f} x raw   "
        f"[target >= 500 msg/s: {'PASS' if ok_abs else 'FAIL'}; >= 0.5 x raw: "
        f"{'PASS' if ok_rel else 'FAIL'}]"
    )
    print(f"  files (HL7 batch + FHIR NDJSON)  : {results['files_events_per_s']:>7} events/s")
    _print_fhir(results, args.fhir_events)


def _print_fhir(results: dict[str, Any], events: int) -> None:
    print(
        f"{events} events as {results['fhir_bundles']} FHIR transactions to "
        f"{results['fhir_engine']}, loopback HTTP"
    )
    print(
        f"  raw httpx POST of the same Bundles: {results['fhir_raw_events_per_s']:>7} events/s "
        f"({results['fhir_raw_bundles_per_s']} Bundles/s, baseline)"
    )
    print(
        f"  kit (store -> Bundle -> engine -> ids -> store): {results['fhir_events_per_s']:>7} events/s  "
        f"= {results['fhir_ratio_to_raw']:.2f} x raw"
    )
    print(
        f"  engine, mean per transaction: first 50 {results['fhir_raw_first_50_ms']} ms, "
        f"last 50 {results['fhir_raw_last_50_ms']} ms (conditional requests scan the stored resources)"
    )


if __name__ == "__main__":
    main()
