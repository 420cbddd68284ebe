"""The Syncthing devices this workstation's exchange folder is carried to, and whether it is.

Seeded from the site file's ``[exchange]`` at provisioning, then kept by IT on each
workstation (``continuity exchange device add|remove|list|config``). Kept in the store's
meta: a device ID and an address are no secret, but a device declared here is one the
exchange folder is sent to, so each change is audited. Syncthing never authenticates a
bundle: each stays signed and sealed (``sync.bundles``), whoever carried it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter, ValidationError

from continuity.domain.transport import DEFAULT_LISTEN, Address, DeviceId, SyncthingPeer, Transport
from continuity.domain.users import Permission
from continuity.errors import InvalidInput, NotFound
from continuity.session import Session
from continuity.store import Store
from continuity.validation import bilingual_error, build

SYNCTHING_KEY = "exchange.syncthing"  # "on" | "off"
LISTEN_KEY = "exchange.syncthing_listen"
DEVICES_KEY = "exchange.syncthing_devices"  # JSON list of SyncthingPeer
_PEERS = TypeAdapter(tuple[SyncthingPeer, ...])
_DEVICE_ID: TypeAdapter[str] = TypeAdapter(DeviceId)
_ADDRESS: TypeAdapter[str] = TypeAdapter(Address)


def _encode(peers: tuple[SyncthingPeer, ...]) -> str:
    """The meta value of ``DEVICES_KEY`` (also written at provisioning from the site file)."""
    return json.dumps([p.model_dump() for p in peers], sort_keys=True)


def _peers(store: Store) -> tuple[SyncthingPeer, ...]:
    raw = store.get_meta(DEVICES_KEY)
    if not raw:
        return ()
    try:
        return _PEERS.validate_json(raw)
    except ValidationError:  # written by this module only: a damaged value carries nothing
        return ()


def transport(session: Session) -> Transport:
    """How this workstation's exchange folder travels (read by the watch and the app)."""
    session.require(Permission.EXCHANGE)
    store = session.store
    return Transport(
        syncthing=store.get_meta(SYNCTHING_KEY) == "on",
        listen=store.get_meta(LISTEN_KEY) or DEFAULT_LISTEN,
        peers=_peers(store),
        site_code=store.reference.site_name()[0],
        workstation=store.reference.local_workstation().code,
    )


def devices(session: Session) -> tuple[SyncthingPeer, ...]:
    session.require(Permission.READ_STATUS)
    return _peers(session.store)


def add_device(session: Session, device: str, where: str, workstation: str | None = None) -> SyncthingPeer:
    """Declare (or replace, by its device ID) another workstation's Syncthing device."""
    session.require(Permission.MANAGE_KEYS)
    peer = build(
        SyncthingPeer,
        {"device_id": device, "address": where, "workstation": workstation},
        "Appareil Syncthing",
        "Syncthing device",
    )
    store = session.store
    if peer.workstation is not None:
        known = {c: is_local for c, _, is_local in store.exchange.workstations()}
        if peer.workstation not in known:
            raise NotFound(
                f"Poste {peer.workstation} absent du site : déclarez un poste du fichier de site.",
                f"Workstation {peer.workstation} is not on the site: declare a workstation of the site file.",
            )
        if known[peer.workstation]:
            raise InvalidInput(
                "C'est ce poste-ci : son appareil est le sien, rien à déclarer.",
                "This is this very workstation: its device is its own, nothing to declare.",
            )
    with store.transaction():
        kept = tuple(p for p in _peers(store) if p.device_id != peer.device_id)
        store.set_meta(DEVICES_KEY, _encode((*kept, peer)))
        _audit(session, "exchange.device_add", peer.device_id, peer.model_dump())
    return peer


def remove_device(session: Session, device: str) -> SyncthingPeer:
    """Withdraw a device (a stolen or retired workstation): nothing is sent to it any more."""
    session.require(Permission.MANAGE_KEYS)
    wanted = _device_id(device)
    store = session.store
    with store.transaction():
        peers = _peers(store)
        found = next((p for p in peers if p.device_id == wanted), None)
        if found is None:
            raise NotFound(
                "Appareil Syncthing non déclaré sur ce poste.", "Syncthing device not declared here."
            )
        store.set_meta(DEVICES_KEY, _encode(tuple(p for p in peers if p is not found)))
        _audit(session, "exchange.device_remove", wanted, found.model_dump())
    return found


def configure(session: Session, *, syncthing: bool | None = None, listen: str | None = None) -> Transport:
    """Turn the Syncthing transport on or off here, or change where it listens; None: unchanged."""
    session.require(Permission.SYNC)
    where = _address(listen) if listen is not None else None
    store = session.store
    with store.transaction():
        if syncthing is not None:
            store.set_meta(SYNCTHING_KEY, "on" if syncthing else "off")
        if where is not None:
            store.set_meta(LISTEN_KEY, where)
        _audit(session, "exchange.transport", "syncthing", {"syncthing": syncthing, "listen": where})
    return transport(session)


def _audit(session: Session, action: str, entity_id: str, payload: dict[str, Any]) -> None:
    session.store.audit.append_audit(session.actor, action, "exchange_device", entity_id, 1, payload)


def _device_id(text: str) -> str:
    try:
        return _DEVICE_ID.validate_python(text)
    except ValidationError as exc:
        raise bilingual_error(exc, "Appareil Syncthing", "Syncthing device") from None


def _address(text: str) -> str:
    try:
        return _ADDRESS.validate_python(text)
    except ValidationError as exc:
        raise bilingual_error(exc, "Adresse d'écoute Syncthing", "Syncthing listen address") from None
