"""Three real Syncthing instances on loopback carrying the exchange folder (no mock, no discovery).

Each has its own home and exchange folder, listens on its own port of 127.0.0.1 and knows
the two others at their static addresses, as ``sync.syncthing`` configures a workstation.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from continuity import doctor
from continuity.domain.crisis import DegradedStatus
from continuity.services import crisis, exchange_peers, patients
from continuity.session import Workspace
from sync import bundles
from sync.syncthing import Device, Instance, Plan, free_port, probe, read_rest, start_for
from sync.watch_service import WatchService
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    PNEUMO_NURSE,
    PNEUMO_PW,
    identity,
)
from tests.exchange_helpers import WORKSTATIONS, Site

NAMES = ("A", "B", "C")
FOLDER_ID = "continuity-echange-test"
TIMEOUT = 60.0


def wait_until(condition: Callable[[], bool], timeout: float = TIMEOUT, what: str = "") -> float:
    """Seconds it took for ``condition`` to hold (fails after ``timeout``)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s: {what}")
        time.sleep(0.02)
    return time.monotonic() - start


def drop(folder: Path, name: str, data: bytes) -> Path:
    """As ``sync.bundles.write_bundle`` does: a hidden partial file, then renamed in."""
    partial = folder / f".{name}.partial"
    partial.write_bytes(data)
    target = folder / name
    os.replace(partial, target)
    return target


def digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


@dataclass
class Peer:
    instance: Instance
    plan: Plan

    @property
    def folder(self) -> Path:
        return self.plan.folder

    def start(self, max_recv_kbps: int = 0) -> None:
        self.instance.start(replace(self.plan, max_recv_kbps=max_recv_kbps))

    def has(self, name: str, data: bytes) -> bool:
        return digest(self.folder / name) == hashlib.sha256(data).hexdigest()

    def wait_has(self, name: str, data: bytes) -> float:
        return wait_until(lambda: self.has(name, data), what=f"{name} in {self.plan.name}")


class Trio:
    def __init__(self, root: Path):
        instances = {n: Instance(root / n / "syncthing") for n in NAMES}
        ids = {n: i.device_id() for n, i in instances.items()}
        ports = {n: free_port() for n in NAMES}
        self.peers = {
            n: Peer(
                instances[n],
                Plan(
                    folder=root / n / "echange",
                    folder_id=FOLDER_ID,
                    listen=f"tcp://127.0.0.1:{ports[n]}",
                    devices=tuple(Device(ids[o], f"tcp://127.0.0.1:{ports[o]}", o) for o in NAMES if o != n),
                    name=n,
                    reconnect_s=2,
                ),
            )
            for n in NAMES
        }
        self.ids = ids

    def __getitem__(self, name: str) -> Peer:
        return self.peers[name]

    def connected(self, name: str, others: tuple[str, ...] = NAMES) -> bool:
        peer = self[name]
        names = {self.ids[o]: o for o in others if o != name}
        return all(p.connected for p in peer.instance.rest.peers(FOLDER_ID, names))

    def all_connected(self) -> bool:
        return all(self.connected(n) for n in NAMES)

    def stop(self) -> None:
        for peer in self.peers.values():
            try:
                peer.instance.stop(timeout=5)
            finally:
                peer.instance.kill()


@pytest.fixture(scope="module")
def trio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trio]:
    found = Trio(tmp_path_factory.mktemp("syncthing"))
    try:
        for peer in found.peers.values():
            peer.start()
        wait_until(found.all_connected, what="the three instances connected")
        yield found
    finally:
        found.stop()


@pytest.fixture
def connected(trio: Trio) -> Trio:
    """Every test starts with the three running and connected (a failed test may leave one down)."""
    for peer in trio.peers.values():
        if not peer.instance.running:
            peer.start()
    wait_until(trio.all_connected, what="the three instances connected")
    return trio


def test_the_home_is_owner_only_and_the_instance_talks_to_no_one_else(connected: Trio) -> None:
    home = connected["A"].instance.home
    assert home.stat().st_mode & 0o777 == 0o700
    for name in ("cert.pem", "key.pem", "config.xml", "syncthing.log"):
        assert (home / name).stat().st_mode & 0o077 == 0, name
    config = (home / "config.xml").read_text(encoding="utf-8")
    for setting in (
        "<globalAnnounceEnabled>false<",
        "<localAnnounceEnabled>false<",
        "<relaysEnabled>false<",
        "<natEnabled>false<",
        "<urAccepted>-1<",
        "<autoUpgradeIntervalH>0<",
        "<crashReportingEnabled>false<",
    ):
        assert setting in config, setting
    assert connected["A"].instance.rest.base.startswith("http://127.0.0.1:")
    root = ET.fromstring(config)
    others = [d for d in root.findall("device") if d.get("id") != connected.ids["A"]]
    assert sorted(d.get("name", "") for d in others) == ["B", "C"]
    assert all((d.findtext("address") or "").startswith("tcp://127.0.0.1:") for d in others)
    assert [f.get("id") for f in root.findall("folder")] == [FOLDER_ID]
    assert connected["A"].instance.rest.my_id() == connected.ids["A"]


def test_a_bundle_written_in_one_folder_appears_in_the_two_others(connected: Trio) -> None:
    data = os.urandom(20_000)
    drop(connected["A"].folder, "echange-T-A-000001.cxb", data)
    took = wait_until(
        lambda: (
            connected["B"].has("echange-T-A-000001.cxb", data)
            and connected["C"].has("echange-T-A-000001.cxb", data)
        ),
        what="the bundle in B and C",
    )
    print(f"\nA -> B and C: {took * 1000:.0f} ms (fs watcher, loopback)")
    # Only bundles travel: the kit's partial files and anything else stay where written.
    (connected["A"].folder / "notes.txt").write_text("local", encoding="utf-8")
    (connected["A"].folder / ".echange-T-A-000002.cxb.partial").write_bytes(b"half")
    drop(connected["A"].folder, "echange-T-A-000003.cxb", b"after")
    wait_until(lambda: connected["C"].has("echange-T-A-000003.cxb", b"after"), what="the next bundle")
    for name in ("B", "C"):
        assert not (connected[name].folder / "notes.txt").exists()
        assert not (connected[name].folder / ".echange-T-A-000002.cxb.partial").exists()


def test_a_peer_stopped_mid_transfer_completes_the_file_once_restarted(connected: Trio) -> None:
    c = connected["C"]
    c.instance.stop()
    c.start(max_recv_kbps=500)  # ~0.5 MB/s: the 6 MB file takes a dozen seconds
    wait_until(lambda: connected.connected("C"), what="C connected again")
    data = os.urandom(6 * 1024 * 1024)
    drop(connected["A"].folder, "echange-T-A-000010.cxb", data)

    def partly_there() -> bool:
        temporaries = [p for p in c.folder.iterdir() if p.name.startswith(".syncthing.")]
        return any(p.stat().st_size > 0 for p in temporaries)

    wait_until(partly_there, what="C receiving the file")
    c.instance.kill()  # as a power cut would, mid-transfer
    assert not (c.folder / "echange-T-A-000010.cxb").exists()
    c.start()
    wait_until(lambda: c.has("echange-T-A-000010.cxb", data), what="the file complete in C")
    assert connected["B"].has("echange-T-A-000010.cxb", data)


def test_the_same_file_arriving_twice_is_harmless(connected: Trio) -> None:
    """A bundle carried by hand too (USB) before Syncthing brought it: one file, no conflict copy."""
    data = os.urandom(50_000)
    b = connected["B"]
    b.instance.stop()
    drop(b.folder, "echange-T-A-000020.cxb", data)  # the stick got there first
    drop(connected["A"].folder, "echange-T-A-000020.cxb", data)
    b.start()
    wait_until(lambda: connected.connected("B"), what="B connected again")
    for name in NAMES:
        connected[name].wait_has("echange-T-A-000020.cxb", data)
    drop(connected["C"].folder, "echange-T-A-000021.cxb", b"end marker")
    for name in NAMES:
        connected[name].wait_has("echange-T-A-000021.cxb", b"end marker")
        assert not [p for p in connected[name].folder.iterdir() if "sync-conflict" in p.name]
        assert connected[name].has("echange-T-A-000020.cxb", data)


def test_a_partition_heals(connected: Trio) -> None:
    c = connected["C"]
    c.instance.stop()
    written = {
        "echange-T-A-000030.cxb": (connected["A"], os.urandom(3000)),
        "echange-T-B-000030.cxb": (connected["B"], os.urandom(3000)),
        "echange-T-C-000030.cxb": (c, os.urandom(3000)),  # written while cut off
    }
    for name, (peer, data) in written.items():
        drop(peer.folder, name, data)
    wait_until(lambda: connected["B"].has("echange-T-A-000030.cxb", written["echange-T-A-000030.cxb"][1]))
    assert not (c.folder / "echange-T-A-000030.cxb").exists()
    c.start()
    for peer in connected.peers.values():
        for name, (_, data) in written.items():
            peer.wait_has(name, data)


# ------------------------------------------------------------------ with the kit's bundles
def test_admissions_and_a_status_change_converge_on_three_workstations_through_syncthing(
    three_workstations: Site, tmp_path: Path
) -> None:
    """Each workstation's store, its Syncthing configured from its own settings (declared by IT
    through ``services.exchange_peers``), and its watcher importing what arrives."""
    site = three_workstations
    ports = {ws: free_port() for ws in WORKSTATIONS}
    folders = {ws: tmp_path / ws / "echange" for ws in WORKSTATIONS}
    ids = {ws: Instance.of(site.spaces[ws].folder).device_id() for ws in WORKSTATIONS}
    for ws in WORKSTATIONS:
        with site.login(ws, ADMIN.username, ADMIN_PW) as admin:
            exchange_peers.configure(admin, syncthing=True, listen=f"tcp://127.0.0.1:{ports[ws]}")
            for other in WORKSTATIONS:
                if other != ws:
                    exchange_peers.add_device(admin, ids[other], f"tcp://127.0.0.1:{ports[other]}", other)
    running: dict[str, Instance] = {}
    watches = {ws: WatchService(None, folders[ws], settle=0.2, grace=5.0) for ws in WORKSTATIONS}
    try:
        for ws in WORKSTATIONS:
            with site.login(ws, CRISIS.username, CRISIS_PW) as session:
                transport = exchange_peers.transport(session)
            instance = start_for(transport, site.spaces[ws].folder, folders[ws])
            assert instance is not None
            running[ws] = instance
            watches[ws].start()
        with site.login("WS-A", NURSE.username, NURSE_PW) as a:
            patients.admit(a, "CARDIO", identity=identity(birth_name="ALPHA"), bed_code="1A")
            assert bundles.write_bundle(a, folders["WS-A"]) is not None
        with site.login("WS-B", PNEUMO_NURSE.username, PNEUMO_PW) as b:
            patients.admit(b, "PNEUMO", identity=identity(birth_name="CHARLIE"), bed_code="3A")
            assert bundles.write_bundle(b, folders["WS-B"]) is not None
        with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:  # the crisis cell
            crisis.set_status(c, "LABO", DegradedStatus.DEGRADED, "automate en panne")
            assert bundles.write_bundle(c, folders["WS-C"]) is not None
        imported: dict[str, list[str]] = {ws: [] for ws in WORKSTATIONS}

        def labo(ws: str) -> DegradedStatus:
            with site.login(ws, NURSE.username, NURSE_PW) as session:
                return next(v.status for v in crisis.service_statuses(session) if v.code == "LABO")

        def converged() -> bool:
            for ws in WORKSTATIONS:
                files = watches[ws].ready()
                if files:
                    with site.login(ws, CRISIS.username, CRISIS_PW) as session:
                        results = watches[ws].process(session, files)
                    imported[ws] += [r.outcome.value for r in results]
            return all(
                len(beds(site, ws)) == 2 and labo(ws) is DegradedStatus.DEGRADED for ws in WORKSTATIONS
            )

        wait_until(converged, what=f"the three stores agreeing; imported: {imported}")
        assert {ws: beds(site, ws) for ws in WORKSTATIONS} == {
            ws: {("CARDIO", "1A"), ("PNEUMO", "3A")} for ws in WORKSTATIONS
        }
        assert imported["WS-C"].count("imported") == 2
        assert all("refused" not in outcomes for outcomes in imported.values())
    finally:
        for watch in watches.values():
            watch.stop()
        for instance in running.values():
            try:
                instance.stop(timeout=5)
            finally:
                instance.kill()


def beds(site: Site, ws: str) -> set[tuple[str | None, str | None]]:
    with site.login(ws, CRISIS.username, CRISIS_PW) as session:
        store = session.store
        found = set()
        for (pid,) in store._all("SELECT id FROM patients"):
            for stay in store.stays.stays_of(pid):
                found.add((stay.uf_code, stay.bed_code))
        return found


def test_the_probe_the_doctor_reports_sees_peers_come_and_go(connected: Trio) -> None:
    state = probe(connected["A"].instance.home)
    assert state.installed and state.running and state.version and state.device_id == connected.ids["A"]
    assert {p.name: p.connected for p in state.peers} == {"B": True, "C": True}
    assert all(p.last_seen is not None and p.address for p in state.peers)
    connected["C"].instance.stop()
    wait_until(lambda: not connected.connected("A", ("A", "C")), what="A seeing C gone")
    checks = doctor.syncthing_checks(probe(connected["A"].instance.home), datetime.now(UTC))
    assert [(c.message_en.split()[0], c.level) for c in checks[1:]] == [
        ("B", doctor.Level.PASS),
        ("C", doctor.Level.WARN),
    ]
    assert not probe(connected["C"].instance.home).running


def test_continuity_watch_runs_the_sites_syncthing_and_stops_it(
    provisioned: tuple[Workspace, str], tmp_path: Path
) -> None:
    workspace = provisioned[0]
    with workspace.unlock(ADMIN.username, ADMIN_PW) as admin:
        exchange_peers.configure(admin, syncthing=True, listen=f"tcp://127.0.0.1:{free_port()}")
    env = {**os.environ, "CONTINUITY_USER": CRISIS.username, "CONTINUITY_PASSWORD": CRISIS_PW}
    exchange = tmp_path / "echange"
    watch = subprocess.Popen(
        [sys.executable, "-m", "cli", "--data", str(workspace.folder), "watch", "--exchange", str(exchange)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    home = Instance.of(workspace.folder).home
    try:
        wait_until(lambda: (rest := read_rest(home)) is not None and rest.ping(), what="its Syncthing up")
        assert (exchange / ".stfolder").is_dir()
        rest = read_rest(home)
        assert rest is not None
        watch.send_signal(signal.SIGTERM)
        assert watch.wait(30) == 0
        assert not rest.ping()  # stopped with the watch
    finally:
        if watch.poll() is None:
            watch.kill()
            watch.wait()
        Instance(home).stop_leftover()
    err = watch.stderr.read().decode() if watch.stderr else ""
    assert "Syncthing" in err and "Surveillance arrêtée" in err
