"""The registry of key slots: the slots the encrypted store knows (``REGISTRY_KEY`` in
``meta``), so that a slot added to ``keyslots.json`` by someone holding the key (a user
signed in) is refused at unlock, reported by doctor and dropped at the next re-key
(``continuity.session``, ``continuity.rekey``, docs/security.md « Clés / Keys »)."""

from __future__ import annotations

import json

from continuity import keyslots
from continuity.store import Store

# The slots the store knows: slot name -> ``keyslots.fingerprint`` (sealed by the audit like
# every meta row). A slot of the file that is not in it was not made by the kit: refused at
# unlock, reported by doctor, dropped at the next re-key.
REGISTRY_KEY = "keyslots.registry"


def read_registry(store: Store) -> dict[str, str] | None:
    """The slots the store knows (``REGISTRY_KEY``), or None on a store that has none yet."""
    text = store.get_meta(REGISTRY_KEY)
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def trusted_slot_ids(store: Store) -> set[str]:
    """The slot names a store may have: its recovery key and its active users."""
    users = {keyslots.user_slot_id(u.username) for u in store.users.list_users() if u.active}
    return users | {keyslots.RECOVERY_SLOT}


def update_registry(store: Store, slots: keyslots.SlotFile, changes: dict[str, str | None]) -> None:
    """Record slots made (name -> fingerprint) or removed (None) by the kit, inside a
    transaction of the store; a store with no registry yet first gets its users' slots."""
    registry = read_registry(store)
    if registry is None:
        trusted = trusted_slot_ids(store)
        registry = {sid: keyslots.fingerprint(s) for sid, s in slots.slots.items() if sid in trusted}
    for sid, value in changes.items():
        if value is None:
            registry.pop(sid, None)
        else:
            registry[sid] = value
    write_registry(store, registry)


def write_registry(store: Store, registry: dict[str, str]) -> None:
    """Record the slots the store knows (call inside a transaction of the store)."""
    store.set_meta(REGISTRY_KEY, json.dumps(registry, sort_keys=True))
