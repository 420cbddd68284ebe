"""The sorted runs of a full HIS index import: per batch, its search keys, IPPs and birth
dates, each sorted, in a table of its own until ``HisIndexManager.finish_spare`` merges each
kind into its generation's table in one ordered pass (``continuity.store.his_index``)."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from continuity.errors import InvalidInput
from continuity.his_index_rows import IndexRow

RUN_PREFIX = "his_index_run_"
# Per kind (the suffix of the generation's table, ``continuity.schema.HIS_INDEX_KEYED_TABLES``,
# whose shape a run has: an IPP twice in a batch is caught by its primary key): its columns,
# and the order of the merge.
RUN_KINDS = {
    "keys": ("key, rid, names", "key, rid"),
    "ipps": ("ipp, rid", "ipp"),
    "births": ("birth_date, rid", "birth_date, rid"),
}
_FIRST = operator.itemgetter(0)


def sorted_runs(first: int, rows: Sequence[IndexRow]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of each kind's run for a batch whose identities get rids from ``first``.

    Sorted on their first column only: the sort is stable and the rids come in increasing
    order, so (key, rid) order follows, five times faster than comparing whole tuples."""
    return {
        "keys": sorted([(key, first + i, r.names) for i, r in enumerate(rows) for key in r.keys], key=_FIRST),
        "ipps": sorted([(r.ipp, first + i) for i, r in enumerate(rows)], key=_FIRST),
        "births": sorted([(r.birth_date, first + i) for i, r in enumerate(rows)], key=_FIRST),
    }


def listed_twice() -> InvalidInput:
    return InvalidInput(
        "Index refusé : un même IPP y figure deux fois.", "Index refused: one IPP is listed twice."
    )
