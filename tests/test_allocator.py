"""Property tests for the provisional identifier allocator across workstations."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continuity.domain.site import Site, Ward, WorkstationSpec
from continuity.errors import IdentifiersExhausted, InvalidInput
from continuity.ids import format_id, parse_id
from continuity.provisioning import parse_site
from continuity.store import Store
from continuity.validation import build
from tests.conftest import SITE_TOML, Clock


@st.composite
def disjoint_blocks(draw: st.DrawFn) -> list[tuple[int, int]]:
    """2 to 4 disjoint blocks, some adjacent, some small enough to run out."""
    count = draw(st.integers(2, 4))
    cuts = sorted(draw(st.lists(st.integers(1, 5000), min_size=2 * count, max_size=2 * count, unique=True)))
    return [(cuts[2 * i], cuts[2 * i + 1]) for i in range(count)]


def _site(blocks: list[tuple[int, int]]) -> Site:
    base = parse_site(SITE_TOML)
    workstations = [WorkstationSpec(code=f"WS-{i}", name=f"Poste {i}", block=b) for i, b in enumerate(blocks)]
    return Site(code=base.code, name=base.name, ufs=list(base.ufs), workstations=workstations)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    disjoint_blocks(),
    st.lists(st.integers(0, 40), min_size=4, max_size=4),
    st.lists(st.booleans(), min_size=40, max_size=40),
)
def test_workstations_never_allocate_the_same_number(
    blocks: list[tuple[int, int]], wanted: list[int], rollbacks: list[bool]
) -> None:
    site = _site(blocks)
    issued: dict[int, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, ws in enumerate(site.workstations):
            store = Store.open_encrypted(
                Path(tmp) / f"{ws.code}.db", secrets.token_bytes(32), Clock(), create=True
            )
            store.migrate()
            with store.transaction():
                store.reference.insert_site(site, ws.code)
            mine: list[int] = []
            for k in range(wanted[i]):
                try:
                    with store.transaction():
                        number = store.reference.allocate_number()
                        if rollbacks[k]:
                            raise RuntimeError("aborted transaction")
                except RuntimeError:
                    continue
                except IdentifiersExhausted:
                    assert len(mine) == ws.block[1] - ws.block[0] + 1
                    break
                mine.append(number)
            store.close()
            # committed numbers only move forward, stay in the block, and are never reused
            assert mine == sorted(set(mine))
            assert all(ws.block[0] <= n <= ws.block[1] for n in mine)
            for n in mine:
                assert n not in issued, f"{n} issued by {issued.get(n)} and {ws.code}"
                issued[n] = ws.code
                assert parse_id(format_id(n)) == n


@given(disjoint_blocks(), st.data())
def test_overlapping_blocks_are_refused(blocks: list[tuple[int, int]], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(blocks) - 1))
    start, end = blocks[i]
    other = data.draw(st.integers(0, len(blocks) - 1).filter(lambda j: j != i))
    o_start, o_end = blocks[other]
    # make block `other` reach into block `i`
    overlapping = (min(o_start, start), max(o_end, data.draw(st.integers(start, end))))
    bad = list(blocks)
    bad[other] = overlapping
    raw = {
        "code": "S",
        "name": "S",
        "ufs": [Ward(code="A", name="A").model_dump()],
        "workstations": [{"code": f"W{k}", "name": "w", "block": b} for k, b in enumerate(bad)],
    }
    with pytest.raises(InvalidInput, match="se chevauchent"):
        build(Site, raw, "Fichier de site", "Site file")
