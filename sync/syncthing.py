"""The kit's own Syncthing: it carries the exchange folder between workstations on the crisis network.

One instance per data folder, its home in ``<data>/syncthing/`` (owner-only: its keys, its
config with the REST API key, its index database and its log). It is configured from
scratch at each start: GUI and REST API on 127.0.0.1 only (a free port, a new API key, a
GUI password nobody knows), no global or local discovery, no relay, no NAT traversal, no
usage or crash report, no upgrade; it listens where the site says and talks only to the
declared devices at their static addresses; one folder, the exchange folder, in which only
the bundles (``*.cxb``) travel. Syncthing adds nothing to the trust of a bundle: each is
signed and sealed (``sync.bundles``), and its name is opaque (site, workstation, number).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from continuity.domain.transport import BASE32, PeerState, SyncthingState, Transport, luhn32
from continuity.folders import write_private

BINARY = "syncthing"
HOME_DIR = "syncthing"
LOG_NAME = "syncthing.log"
CONFIG_NAME = "config.xml"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
REST_TIMEOUT = 5.0
GENERATE_FLAGS = ("--no-default-folder", "--gui-user=continuity", "--gui-password=-")
SERVE_FLAGS: tuple[str, ...] = ("--no-browser", "--no-restart", "--no-upgrade", "--logflags=3")
SERVE_FLAGS += ("--log-max-size=1048576", "--log-max-old-files=2")
# Only the bundles travel: the kit's partial files (hidden) and anything else stay where written.
IGNORE_TEXT = "// Écrit par le kit / written by the kit: only exchange bundles travel.\n.*\n!*.cxb\n*\n"


class SyncthingError(Exception):
    """Syncthing could not be started or asked (the exchange folder still works by hand)."""


@dataclass(frozen=True)
class Device:
    device_id: str
    address: str
    name: str


@dataclass(frozen=True)
class Plan:
    """What the instance is configured with (see ``plan_for``); the tests set the timings."""

    folder: Path
    folder_id: str
    listen: str
    devices: tuple[Device, ...]
    name: str
    watcher_delay_s: int = 1  # after a change seen by the file-system watcher
    rescan_s: int = 60  # full rescan, where the watcher misses something (network shares)
    reconnect_s: int = 10
    max_recv_kbps: int = 0  # 0: no limit (the tests slow a transfer down to interrupt it)


def folder_id(site_code: str) -> str:
    """The exchange folder's id, the same on every workstation of a site."""
    return f"continuity-echange-{site_code.lower()}"


def plan_for(transport: Transport, folder: Path) -> Plan:
    """The instance of this workstation, from its settings (``services.exchange_peers``)."""
    devices = tuple(
        Device(p.device_id, p.address, p.workstation or p.device_id[:7])
        for p in transport.peers
        if p.workstation != transport.workstation
    )
    return Plan(
        folder=folder,
        folder_id=folder_id(transport.site_code),
        listen=transport.listen,
        devices=devices,
        name=transport.workstation,
    )


def binary_path(binary: str = BINARY) -> str | None:
    return shutil.which(binary)


def version(binary: str = BINARY) -> str | None:
    """``1.19.2`` (None if Syncthing is not installed or says nothing readable)."""
    path = binary_path(binary)
    if path is None:
        return None
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=REST_TIMEOUT, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"v(\d+\.\d+\.\d+)", out)
    return found[1] if found else None


def device_id_of(cert_pem: str) -> str:
    """The device ID of a certificate: SHA-256 of its DER form in base32, Luhn characters added."""
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(cert_pem)).digest()
    text = base64.b32encode(digest).decode().rstrip("=")
    assert all(c in BASE32 for c in text)
    checked = "".join(text[i : i + 13] + luhn32(text[i : i + 13]) for i in range(0, 52, 13))
    return "-".join(checked[i : i + 7] for i in range(0, 56, 7))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Rest:
    """Syncthing's REST API on loopback, with its API key."""

    def __init__(self, address: str, api_key: str, timeout: float = REST_TIMEOUT):
        self.base = f"http://{address}"
        self._key = api_key
        self.timeout = timeout

    def call(self, path: str, method: str = "GET", **query: str) -> Any:
        url = self.base + path + (("?" + urllib.parse.urlencode(query)) if query else "")
        request = urllib.request.Request(url, method=method, headers={"X-API-Key": self._key})  # noqa: S310 - http://127.0.0.1 only
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            body = response.read()
        return json.loads(body) if body else None

    def ping(self) -> bool:
        try:
            return bool(self.call("/rest/system/ping"))
        except (OSError, ValueError):
            return False

    def version(self) -> str:
        return str(self.call("/rest/system/version")["version"])

    def my_id(self) -> str:
        return str(self.call("/rest/system/status")["myID"])

    def scan(self, folder: str) -> None:
        self.call("/rest/db/scan", "POST", folder=folder)

    def folder_status(self, folder: str) -> dict[str, Any]:
        return dict(self.call("/rest/db/status", folder=folder))

    def peers(self, folder: str, names: dict[str, str]) -> tuple[PeerState, ...]:
        """Each declared device: connected, from where, last seen, what of the folder it lacks."""
        connections = self.call("/rest/system/connections")["connections"]
        stats = self.call("/rest/stats/device")
        found = []
        for device, name in names.items():
            link = connections.get(device, {})
            seen = _time(stats.get(device, {}).get("lastSeen"))
            completion = self.call("/rest/db/completion", folder=folder, device=device)
            found.append(
                PeerState(
                    device_id=device,
                    name=name,
                    connected=bool(link.get("connected")),
                    address=link.get("address") or None,
                    last_seen=seen,
                    need_items=int(completion.get("needItems", 0)),
                    need_bytes=int(completion.get("needBytes", 0)),
                )
            )
        return tuple(found)

    def shutdown(self) -> None:
        self.call("/rest/system/shutdown", "POST")


def _time(text: str | None) -> datetime | None:
    """Syncthing's times (RFC 3339, nanoseconds); its "never" is the year 1970 or 1."""
    if not text:
        return None
    cut = re.sub(r"(\.\d{6})\d+", r"\1", text).replace("Z", "+00:00")
    try:
        value = datetime.fromisoformat(cut)
    except ValueError:
        return None
    return value if value.year > 1970 else None


@dataclass
class Instance:
    """The kit's Syncthing of one data folder: keys, config, process."""

    home: Path
    binary: str = BINARY
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _rest: Rest | None = field(default=None, repr=False)

    @classmethod
    def of(cls, data_folder: Path, binary: str = BINARY) -> Instance:
        return cls(Path(data_folder) / HOME_DIR, binary)

    @property
    def config_path(self) -> Path:
        return self.home / CONFIG_NAME

    @property
    def log_path(self) -> Path:
        return self.home / LOG_NAME

    @property
    def rest(self) -> Rest:
        if self._rest is None:
            self._rest = read_rest(self.home)
            if self._rest is None:
                raise SyncthingError(f"Syncthing non configuré : {self.home}")
        return self._rest

    def _binary(self) -> str:
        path = binary_path(self.binary)
        if path is None:
            raise SyncthingError("syncthing absent")
        return path

    def device_id(self) -> str:
        """This workstation's device ID (its keys made at first need)."""
        self.ensure_keys()
        return device_id_of((self.home / "cert.pem").read_text(encoding="ascii"))

    def ensure_keys(self) -> None:
        """Make the home folder (0700) and Syncthing's keys, once."""
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        if (self.home / "cert.pem").is_file() and self.config_path.is_file():
            return
        # A GUI password nobody knows: the REST API is reached with the API key only.
        password = secrets.token_urlsafe(24)
        done = subprocess.run(
            [self._binary(), "generate", f"--home={self.home}", *GENERATE_FLAGS],
            input=password.encode(),
            capture_output=True,
            timeout=START_TIMEOUT,
            check=False,
            env=_env(),
            umask=0o077,
        )
        if done.returncode != 0 or not (self.home / "cert.pem").is_file():
            raise SyncthingError(f"syncthing generate: code {done.returncode}")
        for name in ("cert.pem", "key.pem", CONFIG_NAME):
            os.chmod(self.home / name, 0o600)

    def configure(self, plan: Plan) -> None:
        """Write config.xml for ``plan`` (only while stopped: Syncthing rewrites it itself)."""
        self.ensure_keys()
        own = self.device_id()
        tree = ET.parse(self.config_path)  # noqa: S314 - the kit's own file, owner-only
        root = tree.getroot()
        defaults = root.find("defaults")
        device_template = defaults.find("device") if defaults is not None else None
        folder_template = defaults.find("folder") if defaults is not None else None
        for child in list(root):
            if child.tag in ("device", "folder"):
                root.remove(child)
        folder = _element(folder_template, "folder")
        folder.attrib.update(
            id=plan.folder_id,
            label=plan.folder_id,
            path=str(plan.folder),
            type="sendreceive",
            rescanIntervalS=str(plan.rescan_s),
            fsWatcherEnabled="true",
            fsWatcherDelayS=str(plan.watcher_delay_s),
        )
        for old in folder.findall("device"):
            folder.remove(old)
        _set(folder, "maxConflicts", "0")  # bundles are immutable: never a conflict copy
        _set(folder, "paused", "false")
        for position, device_id in enumerate([own, *(d.device_id for d in plan.devices)]):
            shared = ET.Element("device", id=device_id, introducedBy="")
            ET.SubElement(shared, "encryptionPassword")
            folder.insert(position, shared)
        root.insert(0, folder)
        devices = [Device(own, "dynamic", plan.name), *plan.devices]
        for position, device in enumerate(devices):
            element = _element(device_template, "device")
            element.attrib.update(id=device.device_id, name=device.name, introducer="false")
            for old in element.findall("address"):
                element.remove(old)
            address = ET.Element("address")
            address.text = device.address
            element.insert(0, address)
            _set(element, "autoAcceptFolders", "false")
            _set(element, "paused", "false")
            root.insert(position, element)
        gui = root.find("gui")
        if gui is None:
            gui = ET.SubElement(root, "gui")
        gui.attrib.update(enabled="true", tls="false")
        _set(gui, "address", f"127.0.0.1:{free_port()}")
        _set(gui, "apikey", secrets.token_urlsafe(32))
        options = root.find("options")
        if options is None:
            options = ET.SubElement(root, "options")
        for old in options.findall("listenAddress") + options.findall("globalAnnounceServer"):
            options.remove(old)
        listen = ET.SubElement(options, "listenAddress")
        listen.text = plan.listen
        for name, value in {
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "stunKeepaliveStartS": "0",  # no STUN either
            "announceLANAddresses": "false",
            "urAccepted": "-1",
            "urSeen": "3",
            "crashReportingEnabled": "false",
            "autoUpgradeIntervalH": "0",
            "startBrowser": "false",
            "reconnectionIntervalS": str(plan.reconnect_s),
            "maxRecvKbps": str(plan.max_recv_kbps),
            "limitBandwidthInLan": "true" if plan.max_recv_kbps else "false",
        }.items():
            _set(options, name, value)
        write_private(self.config_path, ET.tostring(root, encoding="unicode"))
        self._rest = None
        plan.folder.mkdir(parents=True, exist_ok=True)
        (plan.folder / ".stfolder").mkdir(exist_ok=True)
        ignore = plan.folder / ".stignore"
        if not ignore.is_file() or ignore.read_text(encoding="utf-8") != IGNORE_TEXT:
            ignore.write_text(IGNORE_TEXT, encoding="utf-8")

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, plan: Plan, *, wait: bool = True, timeout: float = START_TIMEOUT) -> None:
        """Configure and start; ``wait``: until the REST API answers (else ``SyncthingError``)."""
        if self.running:
            return
        self.stop_leftover()
        self.configure(plan)
        if not self.log_path.exists():
            os.close(os.open(self.log_path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._process = subprocess.Popen(  # its own output goes to its log file, owner-only
            [self._binary(), "serve", f"--home={self.home}", f"--logfile={self.log_path}", *SERVE_FLAGS],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_env(),
            umask=0o077,
        )
        if wait:
            try:
                self.wait_ready(timeout)
            except BaseException:
                self.kill()
                raise

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        end = time.monotonic() + timeout
        while not self.rest.ping():
            if self._process is not None and self._process.poll() is not None:
                code = self._process.returncode
                self._process = None
                raise SyncthingError(f"syncthing arrêté / stopped (code {code}), voir / see {self.log_path}")
            if time.monotonic() > end:
                raise SyncthingError(f"syncthing muet / not answering, voir / see {self.log_path}")
            time.sleep(0.1)

    def stop_leftover(self) -> None:
        """An instance of this home left running (the kit killed): asked to stop."""
        rest = read_rest(self.home)
        if rest is None or not rest.ping():
            return
        with contextlib.suppress(OSError, ValueError):
            rest.shutdown()
        end = time.monotonic() + STOP_TIMEOUT
        while rest.ping() and time.monotonic() < end:
            time.sleep(0.1)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Shut down through the REST API, then terminate, then kill."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(OSError, ValueError, SyncthingError):
                self.rest.shutdown()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def kill(self) -> None:
        """As a power cut would (the tests)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STTRACE")}
    env.update(STNODEFAULTFOLDER="1", STNOUPGRADE="1", STNORESTART="1")
    return env


def _element(template: ET.Element | None, tag: str) -> ET.Element:
    element = copy.deepcopy(template) if template is not None else ET.Element(tag)
    element.tail = None
    return element


def _set(parent: ET.Element, name: str, value: str) -> None:
    child = parent.find(name)
    if child is None:
        child = ET.SubElement(parent, name)
    child.text = value


def read_rest(home: Path) -> Rest | None:
    """The REST API of the instance of ``home`` as its config says (None: not configured)."""
    try:
        root = ET.parse(home / CONFIG_NAME).getroot()  # noqa: S314 - the kit's own file
    except (OSError, ET.ParseError):
        return None
    address, key = root.findtext("gui/address"), root.findtext("gui/apikey")
    return Rest(address, key) if address and key else None


def probe(home: Path, binary: str = BINARY) -> SyncthingState:
    """What ``continuity doctor`` reports: installed, version, running, each declared device."""
    found = version(binary)
    if found is None:
        return SyncthingState(installed=False)
    rest = read_rest(home)
    if rest is None or not rest.ping():
        return SyncthingState(installed=True, version=found, running=False)
    try:
        root = ET.parse(home / CONFIG_NAME).getroot()  # noqa: S314 - the kit's own file
        folder = root.find("folder")
        own = rest.my_id()
        names = {
            d.get("id", ""): d.get("name", "")
            for d in root.findall("device")
            if d.get("id") and d.get("id") != own
        }
        peers = rest.peers(folder.get("id", "") if folder is not None else "", names)
        return SyncthingState(installed=True, version=found, running=True, device_id=own, peers=peers)
    except (OSError, ValueError, KeyError, ET.ParseError, urllib.error.URLError) as exc:
        return SyncthingState(installed=True, version=found, running=True, error=type(exc).__name__)


def start_for(
    transport: Transport, data_folder: Path, exchange_dir: Path, *, wait: bool = True
) -> Instance | None:
    """The workstation's Syncthing started for its exchange folder; None where the site does not
    use it (the folder is then carried by hand, as ever). ``SyncthingError``: enabled, but not
    installed or not starting (the folder still works by hand meanwhile)."""
    if not transport.syncthing:
        return None
    instance = Instance.of(data_folder)
    instance.start(plan_for(transport, exchange_dir), wait=wait)
    return instance
