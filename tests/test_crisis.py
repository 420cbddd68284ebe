"""Crisis cell: degraded-mode status per service and the main courante."""

from __future__ import annotations

from datetime import timedelta

import pytest

from continuity.domain.crisis import DegradedStatus, LogCategory
from continuity.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from continuity.services import crisis as crisis_service
from continuity.session import Session
from tests.conftest import Clock


def test_every_service_starts_normal(crisis: Session) -> None:
    statuses = crisis_service.service_statuses(crisis)
    assert [s.code for s in statuses] == ["CARDIO", "PNEUMO", "LABO"]
    assert all(s.status is DegradedStatus.NORMAL and s.changed_at is None for s in statuses)


def test_status_changes_record_who_and_when(crisis: Session, clock: Clock) -> None:
    view = crisis_service.set_status(crisis, "labo", DegradedStatus.DEGRADED, "SIL arrêté")
    assert (view.code, view.status, view.changed_by, view.note) == (
        "LABO",
        DegradedStatus.DEGRADED,
        "crise",
        "SIL arrêté",
    )
    assert view.changed_at == clock()
    clock.advance(hours=30)
    view = crisis_service.set_status(crisis, "LABO", DegradedStatus.RECOVERY)
    assert view.changed_at == clock() and view.note is None
    with pytest.raises(Conflict, match="déjà"):
        crisis_service.set_status(crisis, "LABO", DegradedStatus.RECOVERY)
    history = crisis.store._all("SELECT status FROM status_changes WHERE service_code = 'LABO'")
    assert [r[0] for r in history] == ["degraded", "recovery"]
    audit = crisis.store._all("SELECT action, entity_id FROM audit WHERE action = 'service.status'")
    assert len(audit) == 2


def test_a_status_change_is_written_to_the_main_courante(
    crisis: Session, nurse: Session, clock: Clock
) -> None:
    crisis_service.add_log_entry(crisis, "Appel du DSI : DPI arrêté", LogCategory.ALERT)
    clock.advance(minutes=5)
    crisis_service.set_status(crisis, "labo", DegradedStatus.DEGRADED, "  SIL arrêté ")
    entry = crisis_service.log_entries(crisis)[0]
    assert (entry.author, entry.service_code, entry.category, entry.at) == (
        "crise",
        "LABO",
        LogCategory.DECISION,
        clock(),
    )
    assert entry.text == "Statut du service LABO : normal → mode dégradé. Note : SIL arrêté"
    clock.advance(hours=2)
    crisis_service.set_status(crisis, "LABO", DegradedStatus.RECOVERY)
    assert crisis_service.log_entries(crisis, service_code="LABO")[0].text == (
        "Statut du service LABO : mode dégradé → reprise (ressaisie et synchronisation)."
    )
    # Refused changes write nothing, in the main courante either.
    with pytest.raises(Conflict):
        crisis_service.set_status(crisis, "LABO", DegradedStatus.RECOVERY)
    with pytest.raises(NotFound):
        crisis_service.set_status(crisis, "NOPE", DegradedStatus.DEGRADED)
    with pytest.raises(PermissionDenied):
        crisis_service.set_status(nurse, "CARDIO", DegradedStatus.DEGRADED)
    assert len(crisis_service.log_entries(crisis)) == 3
    # One transaction: the status change, its entry, and an audit entry for each.
    audit = crisis.store._all("SELECT action FROM audit WHERE action IN ('service.status', 'log.add')")
    assert [r[0] for r in audit] == ["log.add", "service.status", "log.add", "service.status", "log.add"]
    # A very long note is kept whole in the status; the entry stays within the limit.
    crisis_service.set_status(crisis, "CARDIO", DegradedStatus.DEGRADED, "n" * 5000)
    cardio = crisis_service.service_statuses(crisis)[0]
    assert cardio.note == "n" * 5000
    text = crisis_service.log_entries(crisis, service_code="CARDIO")[0].text
    assert len(text) == 4000 and text.startswith("Statut du service CARDIO : normal → mode dégradé. Note : n")
    assert text.endswith("…")


def test_status_errors(crisis: Session, nurse: Session) -> None:
    with pytest.raises(NotFound, match="Service inconnu"):
        crisis_service.set_status(crisis, "NOPE", DegradedStatus.DEGRADED)
    with pytest.raises(PermissionDenied):
        crisis_service.set_status(nurse, "CARDIO", DegradedStatus.DEGRADED)
    assert crisis_service.service_statuses(nurse)[0].status is DegradedStatus.NORMAL


def test_main_courante(crisis: Session, nurse: Session, clock: Clock) -> None:
    start = clock()
    crisis_service.add_log_entry(crisis, "Déclenchement du plan blanc", LogCategory.DECISION)
    clock.advance(minutes=10)
    crisis_service.add_log_entry(crisis, "Bascule procédure papier", LogCategory.ACTION, "cardio")
    clock.advance(minutes=10)
    crisis_service.add_log_entry(crisis, "  Point presse à 14 h  ")
    entries = crisis_service.log_entries(crisis)
    assert [e.text for e in entries] == [
        "Point presse à 14 h",
        "Bascule procédure papier",
        "Déclenchement du plan blanc",
    ]
    assert entries[1].service_code == "CARDIO" and entries[1].author == "crise"
    assert [e.text for e in crisis_service.log_entries(crisis, category=LogCategory.DECISION)] == [
        "Déclenchement du plan blanc"
    ]
    assert len(crisis_service.log_entries(crisis, since=start + timedelta(minutes=5))) == 2
    assert len(crisis_service.log_entries(crisis, service_code="cardio")) == 1
    assert len(crisis_service.log_entries(nurse)) == 3  # ward staff may read it
    with pytest.raises(PermissionDenied):
        crisis_service.add_log_entry(nurse, "pas autorisé")


def test_log_bad_input_writes_nothing(crisis: Session) -> None:
    with pytest.raises(InvalidInput, match="texte vide"):
        crisis_service.add_log_entry(crisis, "   ")
    with pytest.raises(InvalidInput, match="trop long"):
        crisis_service.add_log_entry(crisis, "x" * 4001)
    with pytest.raises(NotFound):
        crisis_service.add_log_entry(crisis, "ok", service_code="NOPE")
    assert crisis_service.log_entries(crisis) == []


def test_exercise_mode(crisis: Session, nurse: Session) -> None:
    assert not crisis_service.exercise_mode(nurse)
    crisis_service.set_exercise_mode(crisis, True)
    assert crisis_service.exercise_mode(nurse)
    with pytest.raises(PermissionDenied):
        crisis_service.set_exercise_mode(nurse, False)
    crisis_service.set_exercise_mode(crisis, False)
    assert not crisis_service.exercise_mode(crisis)
    actions = [r[0] for r in crisis.store._all("SELECT action FROM audit")]
    assert actions.count("site.exercise_mode") == 2
