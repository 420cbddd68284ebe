"""Admissions, movements, identity updates, search and census."""

from __future__ import annotations

import contextlib
import difflib
import re
import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from continuity.dates import try_parse_date
from continuity.domain import placeholder
from continuity.domain.identity import PLACEHOLDER_BIRTH_NAME, Identity, UnknownPatient
from continuity.domain.movement import (
    DischargeDestination,
    DischargeMode,
    Movement,
    MovementKind,
    StayState,
    replay,
)
from continuity.domain.records import BedView, PatientRecord, PatientSummary, StayRecord
from continuity.domain.users import Permission
from continuity.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PossibleDuplicates,
)
from continuity.ids import format_id, looks_like_id, parse_id
from continuity.names import search_key
from continuity.services import paper
from continuity.services._common import event_time, require_uf
from continuity.services._movements import check_bed, movement_payload, record
from continuity.session import Session
from continuity.text import check_text

SEARCH_LIMIT = 50
# The site file's rule for placeholder identities, and this store's counter of them.
PLACEHOLDER_NAME_KEY = "placeholder_name"
PLACEHOLDER_WORDS_KEY = "placeholder_words"  # the words, separated by spaces
PLACEHOLDER_SEQUENCE_KEY = "placeholder_sequence"  # the last number given here


class Admission(BaseModel):
    model_config = ConfigDict(frozen=True)
    patient: PatientRecord
    stay: StayRecord
    movement_id: str


class UfCensus(BaseModel):
    model_config = ConfigDict(frozen=True)
    uf_code: str
    uf_name: str
    beds: list[BedView]
    without_bed: list[PatientSummary]

    @property
    def occupied(self) -> int:
        """Beds taken (present or on leave); bedless patients are ``bedless``, not beds."""
        return sum(1 for b in self.beds if b.occupant)

    @property
    def bedless(self) -> int:
        return len(self.without_bed)


# --------------------------------------------------------------------------- duplicates
def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, search_key(a), search_key(b)).ratio()


def find_possible_duplicates(
    session: Session, identity: Identity, exclude_id: str | None = None
) -> list[PatientRecord]:
    """Existing identities born the same day (or with day and month swapped) with a close name."""
    session.require(Permission.READ_PATIENTS)
    days = {identity.birth_date}
    d = identity.birth_date
    if d.day <= 12 and d.day != d.month:
        with contextlib.suppress(ValueError):
            days.add(date(d.year, d.day, d.month))
    new_families = [n for n in (identity.birth_name, identity.used_name) if n]
    found = []
    for other in session.store.patients.patients_born_on(sorted(days)):
        if other.id == exclude_id:
            continue
        o = other.identity
        families = [n for n in (o.birth_name, o.used_name) if n]
        family = max(_similar(a, b) for a in new_families for b in families)
        first = _similar(identity.first_names[0], o.first_names[0])
        if family >= 0.8 or (family >= 0.6 and first >= 0.8):
            found.append(other)
    return found


# --------------------------------------------------------------------------- admission
def _identity_payload(identity: Identity) -> dict[str, Any]:
    return identity.data()


def _placeholder_identity(session: Session, unknown: UnknownPatient) -> Identity:
    """A placeholder identity under a name no other patient of the site gets.

    Called inside the admission's transaction: the counter moves only if the
    admission is written. Stores provisioned before the rule existed use its defaults.
    """
    store = session.store
    name = store.get_meta(PLACEHOLDER_NAME_KEY) or PLACEHOLDER_BIRTH_NAME
    words = (store.get_meta(PLACEHOLDER_WORDS_KEY) or "").split() or list(placeholder.NATO_WORDS)
    sequence = int(store.get_meta(PLACEHOLDER_SEQUENCE_KEY) or 0) + 1
    birth_name = placeholder.placeholder_birth_name(name, words, store.reference.local_rank(), sequence)
    store.set_meta(PLACEHOLDER_SEQUENCE_KEY, str(sequence))
    return placeholder.placeholder_identity(unknown, birth_name)


def admit(
    session: Session,
    uf_code: str,
    *,
    identity: Identity | None = None,
    patient_id: str | None = None,
    bed_code: str | None = None,
    at: datetime | None = None,
    reason: str | None = None,
    not_a_duplicate: str | None = None,
    paper_number: str | None = None,
    unknown: UnknownPatient | None = None,
) -> Admission:
    """Admit a new identity, or readmit a known patient (``patient_id``), to a UF and bed.

    A new identity that resembles existing ones raises ``PossibleDuplicates``
    unless the user has looked at them and said why this is someone else
    (``not_a_duplicate``, the reason): the candidates and the reason go in the audit.
    ``paper_number`` keys in a pre-numbered paper form: its number, checked
    and marked used in the same transaction, becomes the provisional IPP.
    ``unknown`` (instead of ``identity``) admits an unknown or unconscious patient
    under a placeholder identity whose name, distinct across the site, is given here
    by the site file's rule (``continuity.domain.placeholder``); such a name is new
    by construction and its other traits are guesses, so no duplicate is looked for.
    """
    if sum(x is not None for x in (identity, patient_id, unknown)) != 1:
        raise InvalidInput(
            "Donnez soit une nouvelle identité, soit un patient existant.",
            "Give either a new identity or an existing patient.",
        )
    if paper_number is not None and identity is None and unknown is None:
        raise InvalidInput(
            "Un formulaire papier se saisit avec l'identité qu'il porte.",
            "A paper form is keyed in with the identity written on it.",
        )
    store = session.store
    uf = require_uf(session, uf_code)
    session.require(Permission.RECORD_MOVEMENTS, uf)
    when = event_time(session, at)
    check_text(reason, "Motif", "Reason")
    not_a_duplicate = check_text(not_a_duplicate, "Motif (pas un doublon)", "Reason (not a duplicate)")
    dups: list[str] = []
    if identity is not None:
        dups = [p.id for p in find_possible_duplicates(session, identity)]
        if dups and not_a_duplicate is None:
            raise PossibleDuplicates(dups)
        if dups and not (not_a_duplicate or "").strip():
            raise InvalidInput(
                "Dites pourquoi c'est un autre patient que les identités proches (motif obligatoire).",
                "Say why this is another patient than the similar identities (a reason is required).",
            )
    with store.transaction():
        bed = check_bed(session, uf, bed_code)
        now = session.clock()
        if unknown is not None:
            identity = _placeholder_identity(session, unknown)
        if identity is not None:
            if paper_number is not None:
                number = paper.check_paper_form(session, paper_number).number
            else:
                number = format_id(store.reference.allocate_number())
            patient = PatientRecord(
                id=str(uuid.uuid4()),
                provisional_ipp=number,
                ipp=None,
                identity=identity,
                created_at=now,
                version=1,
            )
            store.patients.insert_patient(patient, session.actor)
            if paper_number is not None:
                store.paper.use_paper_form(number, session.actor, patient.id)
            store.audit.append_audit(
                session.actor,
                "patient.create",
                "patient",
                patient.id,
                1,
                {
                    "identity": _identity_payload(identity),
                    "provisional_ipp": patient.provisional_ipp,
                    "paper_form": paper_number is not None,
                    **(
                        {"not_a_duplicate": {"candidates": dups, "reason": (not_a_duplicate or "").strip()}}
                        if dups
                        else {}
                    ),
                },
            )
        else:
            found = store.patients.get_patient(patient_id or "")
            if found is None:
                raise NotFound("Patient inconnu.", "Unknown patient.")
            patient = found
            if patient.merged_into is not None:
                raise Conflict(
                    "Cette identité a été fusionnée dans une autre par l'identitovigilance : "
                    "admettez le patient sous l'identité gardée.",
                    "This identity was merged into another one by identity vigilance: admit the "
                    "patient under the kept identity.",
                )
            if store.stays.open_stay(patient.id) is not None:
                raise Conflict(
                    "Ce patient a déjà un séjour en cours.", "This patient already has an open stay."
                )
            if any(
                s.discharged_at is not None and when < s.discharged_at
                for s in store.stays.stays_of(patient.id)
                if s.state is not StayState.CANCELLED
            ):
                raise Conflict(
                    "Date d'admission avant la fin d'un séjour précédent du patient : "
                    "il serait dans deux séjours à la fois.",
                    "Admission time before the end of an earlier stay of the patient: "
                    "they would be in two stays at once.",
                )
        movement = Movement(
            id=str(uuid.uuid4()),
            kind=MovementKind.ADMISSION,
            at=when,
            uf_code=uf,
            bed_code=bed,
            reason=reason,
        )
        view = replay([movement])
        assert view is not None
        stay = StayRecord(
            id=str(uuid.uuid4()),
            patient_id=patient.id,
            provisional_nda=format_id(store.reference.allocate_number()),
            nda=None,
            state=view.state,
            uf_code=view.uf_code,
            bed_code=view.bed_code,
            admitted_at=view.admitted_at,
            discharged_at=None,
            version=1,
        )
        store.stays.insert_stay(stay)
        store.movements.insert_movement(stay.id, movement, session.actor, first=True)
        store.audit.append_audit(
            session.actor,
            "stay.admission",
            "stay",
            stay.id,
            1,
            {
                "movement": movement_payload(movement),
                "patient_id": patient.id,
                "provisional_nda": stay.provisional_nda,
            },
        )
        store.outbox.enqueue(
            "admission",
            patient.id,
            stay.id,
            movement.id,
            {
                "movement": movement_payload(movement),
                "identity": _identity_payload(patient.identity),
                "provisional_ipp": patient.provisional_ipp,
                "provisional_nda": stay.provisional_nda,
            },
        )
    return Admission(patient=patient, stay=stay, movement_id=movement.id)


# --------------------------------------------------------------------------- movements
def transfer(
    session: Session,
    stay_id: str,
    uf_code: str,
    bed_code: str | None = None,
    *,
    at: datetime | None = None,
    reason: str | None = None,
    expected_version: int | None = None,
) -> StayRecord:
    uf = require_uf(session, uf_code)
    when = event_time(session, at)

    def build(stay: StayRecord, _: list[Movement]) -> Movement:
        bed = check_bed(session, uf, bed_code, moving_stay=stay.id)
        return Movement(
            id=str(uuid.uuid4()), kind=MovementKind.TRANSFER, at=when, uf_code=uf, bed_code=bed, reason=reason
        )

    return record(session, stay_id, expected_version, build)


def _in_place(
    session: Session,
    stay_id: str,
    kind: MovementKind,
    at: datetime | None,
    reason: str | None,
    expected_version: int | None,
) -> StayRecord:
    when = event_time(session, at)

    def build(stay: StayRecord, _: list[Movement]) -> Movement:
        return Movement(
            id=str(uuid.uuid4()),
            kind=kind,
            at=when,
            uf_code=stay.uf_code,
            bed_code=stay.bed_code,
            reason=reason,
        )

    return record(session, stay_id, expected_version, build)


def start_leave(
    session: Session,
    stay_id: str,
    *,
    at: datetime | None = None,
    reason: str | None = None,
    expected_version: int | None = None,
) -> StayRecord:
    """Temporary leave: the patient keeps the bed."""
    return _in_place(session, stay_id, MovementKind.LEAVE, at, reason, expected_version)


def end_leave(
    session: Session,
    stay_id: str,
    *,
    at: datetime | None = None,
    reason: str | None = None,
    expected_version: int | None = None,
) -> StayRecord:
    return _in_place(session, stay_id, MovementKind.RETURN, at, reason, expected_version)


def discharge(
    session: Session,
    stay_id: str,
    mode: DischargeMode,
    *,
    destination: DischargeDestination | None = None,
    destination_detail: str | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> StayRecord:
    when = event_time(session, at)

    def build(stay: StayRecord, _: list[Movement]) -> Movement:
        return Movement(
            id=str(uuid.uuid4()),
            kind=MovementKind.DISCHARGE,
            at=when,
            uf_code=stay.uf_code,
            bed_code=stay.bed_code,
            discharge_mode=mode,
            destination=destination,
            destination_detail=destination_detail,
        )

    return record(session, stay_id, expected_version, build)


def update_identity(
    session: Session, patient_id: str, identity: Identity, expected_version: int
) -> PatientRecord:
    """Correct identity traits (identity vigilance); refused if changed meanwhile."""
    store = session.store
    with store.transaction():
        patient = store.patients.get_patient(patient_id)
        if patient is None:
            raise NotFound("Patient inconnu.", "Unknown patient.")
        stay = store.stays.open_stay(patient_id)
        # While the patient is in a stay, only staff of that UF correct the identity.
        session.require(Permission.RECORD_MOVEMENTS, stay.uf_code if stay else None)
        version = store.patients.update_identity(patient_id, identity, expected_version)
        store.audit.append_audit(
            session.actor,
            "patient.update",
            "patient",
            patient_id,
            version,
            {"before": _identity_payload(patient.identity), "after": _identity_payload(identity)},
        )
        store.outbox.enqueue(
            "identity_update",
            patient_id,
            stay.id if stay else None,
            None,
            {"identity": _identity_payload(identity), "provisional_ipp": patient.provisional_ipp},
        )
        updated = store.patients.get_patient(patient_id)
    assert updated is not None
    return updated


# --------------------------------------------------------------------------- reading
def _current(session: Session, record: PatientRecord | None) -> PatientRecord | None:
    """A patient merged by the identity-vigilance cell is found as the patient it was merged into."""
    seen: set[str] = set()
    while record is not None and record.merged_into is not None and record.id not in seen:
        seen.add(record.id)
        record = session.store.patients.get_patient(record.merged_into)
    return record


def find_patient(session: Session, identifier: str) -> PatientSummary:
    """The patient whose provisional IPP, IPP or NDA is ``identifier`` (typed or scanned)."""
    session.require(Permission.READ_PATIENTS)
    text = re.sub(r"[\s.\-/]", "", identifier)
    record = _current(session, session.store.patients.patient_by_identifier(text))
    if record is None and looks_like_id(text):
        parse_id(text)
    if record is None:
        raise NotFound("Aucun patient avec cet identifiant.", "No patient with this identifier.")
    return PatientSummary(patient=record, stay=session.store.stays.open_stay(record.id))


def search(session: Session, query: str, limit: int = SEARCH_LIMIT) -> list[PatientSummary]:
    """Find patients by identifier, name prefixes (accent and case insensitive) and birth date.

    ``"lefevre"`` finds LEFÈVRE; ``"lef jea 12/03/1950"`` narrows by first
    name and birth date; a scanned or typed identifier finds its patient.
    """
    session.require(Permission.READ_PATIENTS)
    text = query.strip()
    if not text:
        return []
    compact = re.sub(r"[\s.\-/]", "", text)
    if compact.isdigit():
        record = _current(session, session.store.patients.patient_by_identifier(compact))
        if record is not None:
            return [PatientSummary(patient=record, stay=session.store.stays.open_stay(record.id))]
        if try_parse_date(text) is None and try_parse_date(compact) is None:
            if looks_like_id(compact):
                parse_id(compact)
            return []
    prefixes, dates = [], []
    for token in re.split(r"[\s,;]+", text):
        day = try_parse_date(token)
        if day is not None:
            dates.append(day)
        elif key := search_key(token):
            prefixes.append(key)
    records = session.store.patients.search_names(prefixes, dates, limit)
    stays = session.store.stays.open_stays_of([r.id for r in records])
    return [PatientSummary(patient=r, stay=stays.get(r.id)) for r in records]


def census(session: Session, uf_codes: list[str] | None = None) -> list[UfCensus]:
    """Who is in which bed now, per UF, for the UFs the user may see."""
    session.require(Permission.READ_PATIENTS)
    store = session.store
    all_ufs = store.reference.list_ufs()
    if uf_codes:
        wanted = [c.strip().upper() for c in uf_codes]
    else:
        wanted = [c for c, _ in all_ufs if session.user.sees_uf(c)]
    names = dict(all_ufs)
    for code in wanted:
        if code not in names:
            raise NotFound(f"UF inconnue : {code}.", f"Unknown UF: {code}.")
        if not session.user.sees_uf(code):
            raise PermissionDenied(
                f"Recensement de l'UF {code} non autorisé pour votre rôle.",
                f"Census of UF {code} not allowed for your role.",
            )
    by_uf: dict[str, list[PatientSummary]] = {c: [] for c in wanted}
    for line in store.stays.census(wanted):
        assert line.stay is not None and line.stay.uf_code is not None
        by_uf[line.stay.uf_code].append(line)
    result = []
    for code in wanted:
        by_bed = {s.stay.bed_code: s for s in by_uf[code] if s.stay and s.stay.bed_code}
        beds = [
            BedView(uf_code=code, bed_code=b, room=room, blocked=blocked, occupant=by_bed.get(b))
            for b, room, blocked in store.reference.beds_of(code)
        ]
        without = [s for s in by_uf[code] if s.stay and not s.stay.bed_code]
        result.append(UfCensus(uf_code=code, uf_name=names[code], beds=beds, without_bed=without))
    return result


def stay_movements(session: Session, stay_id: str) -> list[Movement]:
    session.require(Permission.READ_PATIENTS)
    return session.store.movements.movements_of(stay_id)


def free_beds(session: Session, uf_code: str) -> list[str]:
    """Beds of a UF that are neither occupied nor blocked, in site order."""
    session.require(Permission.READ_PATIENTS)
    uf = require_uf(session, uf_code)
    occupied = {s.stay.bed_code for s in session.store.stays.census([uf]) if s.stay}
    return [
        code
        for code, _room, blocked in session.store.reference.beds_of(uf)
        if not blocked and code not in occupied
    ]


def get_patients(session: Session, patient_ids: list[str]) -> list[PatientSummary]:
    """Patients by internal id (for example the candidates of a duplicate warning)."""
    session.require(Permission.READ_PATIENTS)
    records = [r for r in (session.store.patients.get_patient(pid) for pid in patient_ids) if r]
    stays = session.store.stays.open_stays_of([r.id for r in records])
    return [PatientSummary(patient=r, stay=stays.get(r.id)) for r in records]


def ufs_of(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the UFs where the user may record movements."""
    return [
        (c, n)
        for c, n in session.store.reference.list_ufs()
        if session.user.can(Permission.RECORD_MOVEMENTS, c)
    ]


def list_ufs(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every UF of the site, for choosing a transfer destination."""
    session.require(Permission.READ_PATIENTS)
    return session.store.reference.list_ufs()
