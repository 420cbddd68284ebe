"""A 200,000-identity HIS index on a real store: a returning patient found by name is admitted
under the HIS's IPP; after a sync run against the real hl7apy MLLP peer, PID-3 carries that
IPP and there is nothing to reconcile for them."""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import hl7
import pytest

from continuity.domain.his_index import IndexEntry, IndexHeader, IndexHit, IndexOutcome
from continuity.domain.identity import Identity, IdentityStatus, Sex
from continuity.domain.records import HIS_PREFIX, Source
from continuity.errors import InvalidInput
from continuity.services import his_index, patients, reconciliation
from continuity.services.his_index import import_index
from continuity.session import Workspace
from sync import engine
from sync.his_index_files import read_index
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW
from tests.index_files import IndexPerson, write_index
from tests.peers.hl7_his import Hl7His
from tests.sync_helpers import FAST
from tests.test_sync_hl7 import his  # noqa: F401 - the hl7apy MLLP peer fixture

SIZE = 200_000
FAMILIES = [
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT",
    "SIMON", "MICHEL", "LEFÈVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD",
    "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT", "MULLER", "LEFEBVRE", "FAURE",
    "ANDRÉ", "MERCIER", "BLANC", "GUÉRIN", "BOYER", "GARNIER", "CHEVALIER", "FRANÇOIS", "LEGRAND",
    "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLÉMENT", "MORIN", "NICOLAS", "HENRY", "ROUSSEL",
    "MATHIEU", "GAUTIER", "MASSON", "LE GOFF", "D'ALMEIDA", "GUEVARA", "GUEVEL", "GUÉVILLE",
]  # fmt: skip
FIRSTS = [
    "JEAN", "MARIE", "PIERRE", "ANNE", "LOUIS", "JULIE", "PAUL", "CLAIRE", "LUC", "SOPHIE", "JULES",
    "EMMA", "HUGO", "LÉA", "NATHAN", "CHLOÉ", "JULIETTE", "JULIA", "JUSTIN", "JUDITH", "ANNE-SOPHIE",
]  # fmt: skip
RETURNING = "R0066666"  # not of the H0000000 series of the others


def identities(seed: int = 17) -> Iterator[IndexEntry]:
    """SIZE identities, cheaply (validated models would take longer than the import): a seeded
    random name, first names and birth date each; one returning patient among them."""
    rng = random.Random(seed)
    start = date(1920, 1, 1)
    for n in range(SIZE):
        if n == SIZE // 3:
            i = Identity(
                birth_name="GUÉVAL",
                first_names=["JULIEN", "MARC"],
                birth_date=date(1972, 6, 14),
                sex=Sex.M,
                birth_place_insee="29019",
                status=IdentityStatus.VALIDEE,
            )
            yield IndexEntry.model_construct(ipp=RETURNING, authority=None, identity=i, removed=False)
            continue
        i = Identity.model_construct(
            birth_name=rng.choice(FAMILIES),
            first_names=[rng.choice(FIRSTS)] + ([rng.choice(FIRSTS)] if rng.random() < 0.3 else []),
            birth_date=start + timedelta(days=rng.randrange(36_000)),
            sex=Sex.M if rng.random() < 0.5 else Sex.F,
            status=IdentityStatus.VALIDEE if rng.random() < 0.5 else IdentityStatus.PROVISOIRE,
        )
        yield IndexEntry.model_construct(ipp=f"H{n:07d}", authority=None, identity=i, removed=False)


@pytest.mark.slow
def test_a_returning_patient_of_a_200k_index_is_admitted_under_the_his_ipp(
    workspace: Workspace,
    his: Hl7His,  # noqa: F811
) -> None:
    header = IndexHeader(
        format="csv", taken_at=datetime(2026, 11, 30, 22, tzinfo=UTC), extraction="X200K", count=SIZE
    )
    with workspace.unlock(CRISIS.username, CRISIS_PW) as crisis:  # ward staff may not import it
        started = time.perf_counter()
        report = import_index(crisis, header, identities(), sha256=hashlib.sha256(b"200k").hexdigest())
        imported = time.perf_counter() - started
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        assert report.total == SIZE and nurse.store.his_index.count() == SIZE
        started = time.perf_counter()
        found = patients.search_all(nurse, "gueval ju")
        searched = time.perf_counter() - started
        hits = [f for f in found if isinstance(f, IndexHit)]
        assert [h.ipp for h in hits] == [RETURNING], found
        assert searched < 1.0  # a few ms in practice; generous for a loaded machine
        a = patients.admit(nurse, "CARDIO", index_ipp=hits[0].ipp, bed_code="1A")
        assert (a.patient.source, a.patient.ipp, a.patient.from_index) == (Source.HIS, RETURNING, True)
        assert a.patient.identity == hits[0].identity and a.patient.identity.status is IdentityStatus.VALIDEE
        assert patients.search_index(nurse, "gueval ju") == []  # a patient here now
        patient_id = a.patient.id
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        run = engine.synchronise(session, his.url, options=FAST)
        assert (run.acknowledged, run.refused, run.remaining) == (1, 0, 0)
        assert [m for m in reconciliation.mappings(session) if m.mapping.entity_id == patient_id] == []
        record = session.store.patients.get_patient(patient_id)
        assert record is not None and record.ipp == RETURNING and record.source is Source.HIS
    (applied,) = his.state.applied
    assert applied.trigger == "A01" and applied.patient == RETURNING
    pid3 = [str(r) for r in hl7.parse(applied.raw.replace("\n", "\r")).segment("PID")(3)]
    assert len(pid3) == 1 and pid3[0].startswith(RETURNING + "^^^") and HIS_PREFIX not in applied.raw
    print(f"\n200k index: import {imported:.1f} s, search 'gueval ju' {searched * 1000:.1f} ms")


def _person(entry: IndexEntry) -> IndexPerson:
    i = entry.identity
    assert i is not None
    return IndexPerson(
        entry.ipp, i.birth_name, tuple(i.first_names), i.birth_date, i.sex.value, i.status.value
    )


@pytest.mark.slow
def test_a_delta_over_a_200k_index_and_one_without_its_base(workspace: Workspace, tmp_path: Path) -> None:
    """Deltas at a CHU's scale: one over the 200,000 identities in use applies (changes,
    additions, removals, the digest followed), one over another extraction is refused."""
    header = IndexHeader(
        format="csv", taken_at=datetime(2026, 11, 30, 22, tzinfo=UTC), extraction="X200K", count=SIZE
    )
    changed = [
        IndexPerson(f"H{n:07d}", "DELTANOM", ("JULES",), date(1980, 1, 1), "M") for n in range(0, 3_000, 3)
    ]
    added = [IndexPerson(f"N{n:07d}", "NOUVEAU", ("ZOÉ",), date(1990, 2, 2), "F") for n in range(500)]
    removed = tuple(f"H{n:07d}" for n in range(1, 3_000, 30))
    full = write_index(tmp_path / "full.csv", [_person(e) for e in identities()], "X200K")
    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        full_header, full_entries = read_index(full, workers=2)  # the file, through the worker processes
        assert full_header.extraction == header.extraction
        import_index(session, full_header, full_entries, sha256="full")
        path = write_index(
            tmp_path / "delta.csv", [*changed, *added], "X200K-D1", base="X200K", removed=removed
        )
        delta_header, entries = read_index(path)
        report = import_index(session, delta_header, entries, sha256="d1")
        assert (report.outcome, report.updated, report.added, report.removed) == (
            IndexOutcome.DELTA,
            len(changed),
            len(added),
            len(removed),
        )
        assert report.total == SIZE + len(added) - len(removed)
        index = session.store.his_index
        assert index.by_ipp(removed[0]) is None and index.by_ipp("N0000499") is not None
        assert len(patients.search_index(session, "deltanom jul", limit=2_000)) == len(changed)
        assert his_index.verify_index(session)
        stale = write_index(tmp_path / "stale.csv", added[:3], "X200K-D2", base="X200K")
        stale_header, stale_entries = read_index(stale)
        with pytest.raises(InvalidInput) as refused:
            import_index(session, stale_header, stale_entries, sha256="d2")
        assert "X200K-D1" in refused.value.message_fr
        assert index.count() == report.total
