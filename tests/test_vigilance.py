"""The identity-vigilance review queue (continuity.services.vigilance), on real encrypted stores."""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from continuity.domain.outbox import IdentifierKind, IdentifierSource
from continuity.domain.records import PatientRecord
from continuity.errors import InvalidInput, PermissionDenied
from continuity.services import identity_merge, indicators, patients, reconciliation, vigilance
from continuity.services.vigilance import ReviewKind
from continuity.session import Session, Workspace
from tests.conftest import ADMIN, ADMIN_PW, CIV, CIV_PW, NURSE, NURSE_PW, Clock, identity


@pytest.fixture
def civ(workspace: Workspace) -> Iterator[Session]:
    session = workspace.unlock(CIV.username, CIV_PW)
    yield session
    session.lock()


def _admit(workspace: Workspace, *people: dict[str, object]) -> list[str]:
    ids = []
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        for person in people:
            ident = identity(**person)  # type: ignore[arg-type]
            ids.append(patients.admit(nurse, "CARDIO", identity=ident, not_a_duplicate="vu").patient.id)
    return ids


def _pairs(queue: vigilance.ReviewQueue) -> set[frozenset[str]]:
    return {frozenset(i.patient_ids) for i in queue.items if i.kind is ReviewKind.DUPLICATE}


def test_only_the_civ_reviews_the_queue(workspace: Workspace, civ: Session, crisis: Session) -> None:
    with pytest.raises(PermissionDenied):
        vigilance.review_queue(crisis)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse, pytest.raises(PermissionDenied):
        vigilance.review_queue(nurse)
    assert vigilance.review_queue(civ).items == []


def test_possible_duplicates_spelled_heard_swapped_or_compound(workspace: Workspace, civ: Session) -> None:
    born, swapped = date(1950, 3, 12), date(1950, 12, 3)
    ids = _admit(
        workspace,
        {"birth_name": "GAUTHIER", "first": "Philippe", "born": born},
        {"birth_name": "GAUTIER", "first": "Filipe", "born": born},  # heard alike
        {"birth_name": "MARTIN-DUPONT", "first": "Jean-Pierre", "born": swapped},
        {"birth_name": "MARTIN DUPONT", "first": "Jean", "born": born},  # day/month swapped
        {"birth_name": "LEFEBVRE", "first": "Anne", "born": born},
        {"birth_name": "DURAND", "first": "Anne", "born": born},  # same day, another name
        {"birth_name": "GAUTIER", "first": "Philippe", "born": date(1951, 3, 12)},  # another day
    )
    queue = vigilance.review_queue(civ)
    assert _pairs(queue) == {frozenset(ids[0:2]), frozenset(ids[2:4])}
    assert queue.counts[ReviewKind.DUPLICATE] == 2


def test_a_merged_identity_leaves_the_queue(workspace: Workspace, civ: Session) -> None:
    from continuity.domain.movement import DischargeMode

    ids = _admit(workspace, {"birth_name": "DUPOND"}, {"birth_name": "DUPONT"})
    assert _pairs(vigilance.review_queue(civ)) == {frozenset(ids)}
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        for pid in ids[1:]:
            stay = nurse.store.stays.open_stay(pid)
            assert stay is not None
            patients.discharge(nurse, stay.id, DischargeMode.HOME)
    identity_merge.merge(civ, ids[0], ids[1], reason="même personne")
    assert _pairs(vigilance.review_queue(civ)) == set()


def test_identities_still_provisional_after_the_delay(
    workspace: Workspace, civ: Session, clock: Clock
) -> None:
    [old] = _admit(workspace, {"birth_name": "ANCIEN"})
    clock.advance(hours=23)
    [young] = _admit(workspace, {"birth_name": "RECENT", "born": date(1960, 1, 1)})
    assert vigilance.provisional_hours(civ) == 24
    clock.advance(hours=2)
    late = {i.patient_ids for i in vigilance.review_queue(civ).items if i.kind is ReviewKind.PROVISIONAL}
    assert late == {(old,)}
    vigilance.set_provisional_hours(civ, 1)
    late = {i.patient_ids for i in vigilance.review_queue(civ).items if i.kind is ReviewKind.PROVISIONAL}
    assert late == {(old,), (young,)}
    entry = next(r for r in civ.store.audit.audit_rows() if r.action == "vigilance.provisional_hours")
    assert json.loads(entry.payload) == {"before": 24, "after": 1}
    for wrong in (0, -3, 24 * 366):
        with pytest.raises(InvalidInput):
            vigilance.set_provisional_hours(civ, wrong)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it, pytest.raises(PermissionDenied):
        vigilance.set_provisional_hours(it, 12)


def test_doubtful_fictitious_and_mappings_waiting(workspace: Workspace, civ: Session) -> None:
    doubtful, fictitious, mapped = _admit(
        workspace,
        {"birth_name": "DOUTE", "doubtful": True},
        {"birth_name": "FICTIF", "fictitious": True, "born": date(1970, 1, 1)},
        {"birth_name": "RAPPROCHE", "born": date(1980, 1, 1)},
    )
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it, it.store.transaction():
        reconciliation.record_in_transaction(
            it, "patient", mapped, IdentifierKind.IPP, "IPP777", IdentifierSource.FHIR_SEARCH
        )
    queue = vigilance.review_queue(civ)
    kinds = {(i.kind, i.patient_ids) for i in queue.items}
    assert (ReviewKind.DOUBTFUL, (doubtful,)) in kinds
    assert (ReviewKind.FICTITIOUS, (fictitious,)) in kinds
    assert (ReviewKind.MAPPING, (mapped,)) in kinds
    [mapping] = [i for i in queue.items if i.kind is ReviewKind.MAPPING]
    assert mapping.mapping_id is not None


def test_counts_on_the_crisis_dashboard(workspace: Workspace, crisis: Session) -> None:
    _admit(
        workspace, {"birth_name": "DUPOND"}, {"birth_name": "DUPONT"}, {"birth_name": "X", "doubtful": True}
    )
    board = indicators.dashboard(crisis)
    assert board.identity_review is not None
    assert board.identity_review.duplicates == 1 and board.identity_review.doubtful == 1
    assert board.identity_review.total >= 2


def test_the_comparison_puts_strict_traits_first(workspace: Workspace, civ: Session) -> None:
    a, b = _admit(workspace, {"birth_name": "DUPOND", "used_name": "MARTIN"}, {"birth_name": "DUPONT"})
    rows = vigilance.compare(civ, a, b)
    strict = [r for r in rows if r.strict]
    assert rows[: len(strict)] == strict  # strict traits first
    assert [r.label_en for r in strict][:3] == ["birth name", "birth first names", "first birth first name"]
    birth = rows[0]
    assert (birth.left, birth.right, birth.same) == ("DUPOND", "DUPONT", False)
    assert next(r for r in rows if r.label_en == "birth date").same


def test_the_queue_of_thousands_costs_little_more_than_reading_them(
    workspace: Workspace, civ: Session
) -> None:
    rng = random.Random(17)
    families = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU"]
    firsts = ["Jeanne", "Marie", "Louis", "Paul", "Anne", "Jean", "Lucie", "Hugo", "Emma", "Léa"]
    store = civ.store
    now = civ.clock()
    with store.transaction():  # written straight to the store: the setup, not what is measured
        for n in range(4000):
            born = date(1930, 1, 1) + timedelta(days=rng.randrange(365 * 8))  # ~1.4 a day: blocks
            ident = identity(rng.choice(families), rng.choice(firsts), born)
            store.patients.insert_patient(
                PatientRecord(
                    id=str(uuid.uuid4()),
                    provisional_ipp=f"P{n:09d}",
                    ipp=None,
                    identity=ident,
                    created_at=now,
                    version=1,
                ),
                "setup",
            )
    # Beside its baseline in the same run (reading the identities, which any queue must do),
    # best of three: a shared CI machine slows both alike. A pairwise comparison of 4,000
    # identities would be 8 million pairs, dozens of times the reading.
    reading, building = [], []
    for _ in range(3):
        started = time.perf_counter()
        store.patients.unmerged_patients()
        reading.append(time.perf_counter() - started)
        started = time.perf_counter()
        queue = vigilance.review_queue(civ)
        building.append(time.perf_counter() - started)
    assert min(building) < 4 * min(reading) + 0.1, (reading, building)
    assert min(building) < 2.0, building
    assert queue.counts[ReviewKind.DUPLICATE] > 0
    assert all(i.kind is not ReviewKind.PROVISIONAL for i in queue.items)  # all new
