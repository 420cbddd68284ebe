"""How the exchange folder travels between workstations: by hand (USB), or by Syncthing.

Syncthing names a device by the SHA-256 of its certificate: 52 base32 characters, cut in
four groups of 13, each followed by a Luhn mod 32 check character (56 in all), written in
8 groups of 7 with dashes. A device ID mistyped by one character fails its check here,
instead of leaving a workstation waiting for a device that does not exist.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from continuity.validation import custom

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
DEVICE_ID_CHARS = 56
DEFAULT_PORT = 22000
DEFAULT_LISTEN = f"tcp://0.0.0.0:{DEFAULT_PORT}"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*")


def luhn32(text: str) -> str:
    """Syncthing's check character of ``text`` (base32 letters), as its ``luhn.go`` computes it."""
    factor, total = 1, 0
    for char in text:
        addend = factor * BASE32.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return BASE32[(32 - total % 32) % 32]


def device_id(value: str) -> str:
    """A device ID written with or without dashes or spaces, any case: its canonical form."""
    text = re.sub(r"[\s\-]", "", value).upper()
    if len(text) != DEVICE_ID_CHARS or any(c not in BASE32 for c in text):
        raise custom("device_id.format")
    for start in range(0, DEVICE_ID_CHARS, 14):
        if luhn32(text[start : start + 13]) != text[start + 13]:
            raise custom("device_id.check")
    return "-".join(text[i : i + 7] for i in range(0, DEVICE_ID_CHARS, 7))


def address(value: str) -> str:
    """``tcp://HOST:PORT``: an IPv4 address, an [IPv6] address or a host name, port 1-65535."""
    text = value.strip()
    found = re.fullmatch(r"tcp://(\[[0-9A-Fa-f:.]+\]|[^\[\]:/\s]+):(\d{1,5})", text)
    if found is None or not 1 <= int(found[2]) <= 65535:
        raise custom("syncthing_address.format")
    host = found[1]
    try:
        if host.startswith("["):
            ipaddress.IPv6Address(host[1:-1])
        elif re.fullmatch(r"[\d.]+", host):
            ipaddress.IPv4Address(host)
        elif not _HOSTNAME.fullmatch(host):
            raise ValueError(host)
    except ValueError:
        raise custom("syncthing_address.format") from None
    return text


def _workstation(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9\-]{0,19}", text):
        raise custom("code.format")
    return text


DeviceId = Annotated[str, AfterValidator(device_id)]
Address = Annotated[str, AfterValidator(address)]
WorkstationCode = Annotated[str | None, AfterValidator(_workstation)]


class SyncthingPeer(BaseModel):
    """Another workstation's Syncthing: its device ID and where it listens on the crisis network."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    device_id: DeviceId
    address: Address
    workstation: WorkstationCode = None


class Transport(BaseModel):
    """What this workstation's exchange folder is carried by (``continuity.services.exchange_peers``)."""

    model_config = ConfigDict(frozen=True)
    syncthing: bool = False
    listen: str = DEFAULT_LISTEN
    peers: tuple[SyncthingPeer, ...] = ()
    site_code: str = ""
    workstation: str = ""  # this one's code (a device declared for it is its own, skipped)


class PeerState(BaseModel):
    """One declared device as the running Syncthing sees it (no patient data: ids, addresses, times)."""

    model_config = ConfigDict(frozen=True)
    device_id: str
    name: str
    connected: bool
    address: str | None = None
    last_seen: datetime | None = None
    need_items: int = 0  # files of the exchange folder that device still lacks
    need_bytes: int = 0


class SyncthingState(BaseModel):
    """What ``continuity doctor`` reports of the kit's Syncthing (probed by ``sync.syncthing``)."""

    model_config = ConfigDict(frozen=True)
    installed: bool
    version: str | None = None
    running: bool = False
    device_id: str | None = None
    peers: tuple[PeerState, ...] = ()
    error: str | None = None  # why it could not be asked (no patient data: a type or a path)
