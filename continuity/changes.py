"""What a piece of work changed in the store, by concern: the screens reload only what it touched.

Derived from what the store actually wrote, never declared by the caller: every
write of ``continuity.store`` goes through one method, which notes the table of each
statement here (``WriteLog``). The tables of a transaction count once it commits;
a rollback forgets them. ``Store.take_changes()`` then maps the tables to the
concerns below. A table that is not in ``TABLE_CONCERNS`` (or a statement whose
table cannot be read) counts as a change of everything, so a new table is never
silently missed: it only costs a full refresh until it is given its concern.

``meta`` is read by key: every audit entry moves its ``audit_head`` and a snapshot
import its time, which must not look like a change of the store's settings.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Self

from continuity.schema import his_index_table_names


@dataclass(frozen=True)
class Changes:
    """One flag per concern of the screens; ``bool(changes)`` is "something changed"."""

    patients: bool = False  # identities, their name index, the HIS's identifiers for them
    census: bool = False  # stays and movements: who is in which bed
    statuses: bool = False  # the services followed by the crisis cell and their statuses
    main_courante: bool = False  # the crisis cell's log
    instructions: bool = False  # the crisis cell's instructions and their acknowledgements
    outbox: bool = False  # events waiting to be handed back to the HIS (the sync backlog)
    users: bool = False
    snapshots: bool = False  # HIS snapshots imported (or refused)
    exchange: bool = False  # bundles and changes from other workstations, conflicts
    site: bool = False  # the site, its UFs and beds (written when the workstation is provisioned)
    settings: bool = False  # the store's settings and markers (``meta``)
    workstations: bool = False  # the site's workstations and this one's identifier block
    paper_forms: bool = False  # pre-numbered paper admission forms
    drafts: bool = False  # forms being typed, kept as drafts (no screen shows them: nothing reloads)
    audit: bool = False  # the audit trail (almost every write adds to it)
    his_index: bool = False  # the HIS identity index (patients known to the HIS, not admitted here)

    @classmethod
    def none(cls) -> Self:
        return cls()

    @classmethod
    def all(cls) -> Self:
        return cls(**{f.name: True for f in dataclasses.fields(cls)})

    @classmethod
    def of(cls, *concerns: str) -> Self:
        """``Changes.of("census", "patients")``: a mask naming the concerns a screen reads."""
        return cls(**dict.fromkeys(concerns, True))

    def names(self) -> frozenset[str]:
        return frozenset(f.name for f in dataclasses.fields(self) if getattr(self, f.name))

    def __or__(self, other: Changes) -> Self:
        return type(self).of(*(self.names() | other.names()))

    def __and__(self, other: Changes) -> Self:
        return type(self).of(*(self.names() & other.names()))

    def __bool__(self) -> bool:
        return bool(self.names())


# Every table of ``continuity.schema``, by concern (a test checks that none is missing).
TABLE_CONCERNS: dict[str, Changes] = {
    "patients": Changes(patients=True),
    "patient_name_keys": Changes(patients=True),
    "his_identifiers": Changes(patients=True),
    "stays": Changes(census=True),
    "bed_claims": Changes(census=True),
    "stay_claims": Changes(census=True),
    "movements": Changes(census=True),
    "beds": Changes(site=True),
    "ufs": Changes(site=True),
    "site": Changes(site=True),
    "services": Changes(statuses=True),
    "status_changes": Changes(statuses=True),
    "crisis_log": Changes(main_courante=True),
    "instructions": Changes(instructions=True),
    "instruction_acks": Changes(instructions=True),
    "outbox": Changes(outbox=True),
    "users": Changes(users=True),
    "snapshot_imports": Changes(snapshots=True),
    "changes": Changes(exchange=True),
    "exchange_bundles": Changes(exchange=True),
    "exchange_refused": Changes(exchange=True),
    "peer_keys": Changes(exchange=True),
    "audit_witnesses": Changes(exchange=True),
    "conflicts": Changes(exchange=True),
    "meta": Changes(settings=True),
    "workstations": Changes(workstations=True),
    "paper_forms": Changes(paper_forms=True),
    "drafts": Changes(drafts=True),
    "audit": Changes(audit=True),
    "identity_merges": Changes(patients=True, census=True),
    **{t: Changes(his_index=True) for g in "ab" for t in his_index_table_names(g)},
}

# ``meta`` rows that are not settings (by key, or key prefix ending in "."); others: settings.
META_CONCERNS: dict[str, Changes] = {
    "audit_head": Changes(audit=True),
    "last_snapshot_at": Changes(snapshots=True),
    "his_census_at": Changes(snapshots=True),
    "exchange.": Changes(exchange=True),
    "audit.": Changes(exchange=True),  # the head last exported in a bundle (continuity.witness)
    "placeholder_sequence": Changes(workstations=True),  # like the identifier block's next number
    "keyslots.registry": Changes(users=True),  # the key slots the store knows: one per user
    "his_index.": Changes(his_index=True),  # which generation is in use, the extraction it holds
}

_HIS_INDEX = "his_index_"  # the tables of the HIS identity index (continuity.store.his_index)
_UNKNOWN = "?"  # a write whose table could not be read: everything may have changed
_META = "meta:"  # "meta:<key>" is noted for a row of ``meta`` written by key
_WRITTEN_TABLE = re.compile(
    r"""^\s*(?:
        INSERT\s+(?:OR\s+\w+\s+)?INTO
        | REPLACE\s+INTO
        | UPDATE(?:\s+OR\s+\w+)?
        | DELETE\s+FROM
    )\s+["`\[]?(\w+)""",
    re.IGNORECASE | re.VERBOSE,
)


@functools.lru_cache(maxsize=1024)  # the store writes with a few hundred distinct statements
def written_table(sql: str) -> str | None:
    """The table an ``INSERT``/``REPLACE``/``UPDATE``/``DELETE`` statement writes, lower case."""
    match = _WRITTEN_TABLE.match(sql)
    return match.group(1).lower() if match else None


def _meta_concern(key: str) -> Changes:
    for known, concern in META_CONCERNS.items():
        if key == known or (known.endswith(".") and key.startswith(known)):
            return concern
    return TABLE_CONCERNS["meta"]


def concerns_of(tables: Iterable[str]) -> Changes:
    result = Changes.none()
    for table in tables:
        if table.startswith(_META):
            result |= _meta_concern(table.removeprefix(_META))
        else:
            result |= table_concern(table) or Changes.all()
    return result


def table_concern(table: str) -> Changes | None:
    """What a write to a table changes (None: a table this module does not know)."""
    if table.startswith(_HIS_INDEX):  # a generation's tables, or the sorted runs of an import
        return Changes(his_index=True)
    return TABLE_CONCERNS.get(table)


class WriteLog:
    """The tables a store wrote: those of the open transaction, and those committed since
    the last ``take()``."""

    def __init__(self) -> None:
        self._open: set[str] = set()
        self._committed: set[str] = set()

    def note(self, sql: str, params: Sequence[Any] = ()) -> None:
        table = written_table(sql) or _UNKNOWN
        if table == "meta" and sql.lstrip()[:6].upper() == "INSERT" and params and isinstance(params[0], str):
            table = _META + params[0]  # ``Store.set_meta``: the key comes first
        self._open.add(table)

    def note_everything(self) -> None:
        """Written outside ``note`` (a schema migration): every concern may have changed."""
        self._committed.add(_UNKNOWN)

    def commit(self) -> None:
        self._committed |= self._open
        self._open.clear()

    def rollback(self) -> None:
        self._open.clear()

    def take(self) -> Changes:
        """What was committed since the last call (the open transaction is not included)."""
        tables, self._committed = self._committed, set()
        return concerns_of(tables)
