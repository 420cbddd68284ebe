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
from continuity.domain.his_index import IndexHit
from continuity.domain.identity import (
    DOCUMENT_LABELS,
    PLACEHOLDER_BIRTH_NAME,
    Identity,
    IdentityStatus,
    UnknownPatient,
    homonym_key,
    ins_birth_place_matches,
    strict_traits,
    validating_documents,
)
from continuity.domain.movement import (
    DischargeDestination,
    DischargeMode,
    Movement,
    MovementKind,
    StayState,
    replay,
)
from continuity.domain.records import HIS_PREFIX, BedView, PatientRecord, PatientSummary, Source, StayRecord
from continuity.domain.users import Permission
from continuity.errors import (
    Conflict,
    FieldError,
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
from continuity.services.snapshots import his_patient_id
from continuity.session import Session
from continuity.text import check_text
from continuity.validation import MESSAGES

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


def _birth_days(identity: Identity) -> list[date]:
    """The birth date, and the one with day and month swapped (a common slip)."""
    days = {identity.birth_date}
    d = identity.birth_date
    if d.day <= 12 and d.day != d.month:
        with contextlib.suppress(ValueError):
            days.add(date(d.year, d.day, d.month))
    return sorted(days)


def _resembles(identity: Identity, o: Identity) -> bool:
    new_families = [n for n in (identity.birth_name, identity.used_name) if n]
    families = [n for n in (o.birth_name, o.used_name) if n]
    family = max(_similar(a, b) for a in new_families for b in families)
    first = _similar(identity.first_names[0], o.first_names[0])
    return family >= 0.8 or (family >= 0.6 and first >= 0.8)


def find_possible_duplicates(
    session: Session, identity: Identity, exclude_id: str | None = None
) -> list[PatientRecord]:
    """Existing identities born the same day (or with day and month swapped) with a close name."""
    session.require(Permission.READ_PATIENTS)
    return [
        other
        for other in session.store.patients.patients_born_on(_birth_days(identity))
        if other.id != exclude_id and _resembles(identity, other.identity)
    ]


def _here(session: Session, ipp: str) -> bool:
    """A patient of this store already carries this HIS IPP (census, index, reconciled)."""
    return bool(session.store.patients.patients_with_ipp(ipp))


def find_index_duplicates(session: Session, identity: Identity) -> list[IndexHit]:
    """Identities of the HIS index, not patients here yet, that resemble ``identity`` (the same
    rule as ``find_possible_duplicates``: the birth date or its day/month swap, a close name)."""
    session.require(Permission.READ_PATIENTS)
    return [
        hit
        for hit in session.store.his_index.born_on(_birth_days(identity))
        if _resembles(identity, hit.identity) and not _here(session, hit.ipp)
    ]


def index_entries(session: Session, ipps: list[str]) -> list[IndexHit]:
    """Identities of the HIS index by IPP (for example the index candidates of a duplicate warning)."""
    session.require(Permission.READ_PATIENTS)
    return [hit for hit in (session.store.his_index.by_ipp(ipp) for ipp in ipps) if hit is not None]


# --------------------------------------------------------------------------- RNIV rules
def _refused(field: str, fr: str, en: str) -> InvalidInput:
    return InvalidInput(
        f"Identité refusée : {fr}", f"Identity refused: {en}", fields=[FieldError(field, fr, en)]
    )


def _as_given_by_user(session: Session, identity: Identity, before: Identity | None = None) -> Identity:
    """The RNIV rules on an identity a user gives (``before``: the identity it replaces).

    Offline, nothing qualifies an identity: its INS would have to come from INSi, so a
    qualified identity comes only from the HIS, and a user may change only its
    complementary traits (used name, used first name...). A validated identity needs a
    high-trust identity document, not expired, which the signed-in user checked: the
    service records who and when, whatever the caller says. An INS typed stays an
    unverified trait and must agree with the birth place (the sex and birth date are
    checked by the domain).
    """
    today = session.clock().astimezone().date()
    kept = before is not None and strict_traits(before) == strict_traits(identity)
    if identity.status is IdentityStatus.QUALIFIEE and not (
        kept and before is not None and before.status is IdentityStatus.QUALIFIEE
    ):
        raise _refused(
            "status",
            "une identité ne peut pas être qualifiée hors ligne : la qualification exige l'INS "
            "obtenu du téléservice INSi ; seules les identités qualifiées du DPI le sont ici.",
            "an identity cannot be qualified offline: qualification requires the INS obtained "
            "from the INSi teleservice; only the HIS's qualified identities are qualified here.",
        )
    if identity.status is IdentityStatus.RECUPEREE and not (
        kept and before is not None and before.status is IdentityStatus.RECUPEREE
    ):
        raise _refused(
            "status",
            "une identité ne peut pas être « récupérée » hors ligne : ce statut dit que l'INS a été "
            "récupéré du téléservice INSi ; gardez-la provisoire, ou validée sur pièce d'identité.",
            "an identity cannot be 'retrieved' offline: that status says its INS was retrieved "
            "from the INSi teleservice; keep it provisional, or validated on an identity document.",
        )
    number = identity.ins_unverified
    changed = before is None or (number, identity.birth_place_insee) != (
        before.ins_unverified,
        before.birth_place_insee,
    )
    if number and changed and not ins_birth_place_matches(number, identity.birth_place_insee):
        fr, en = MESSAGES["ins.birth_place"]
        raise _refused("ins", fr, en)
    update: dict[str, Any] = {}
    if identity.status is IdentityStatus.VALIDEE:
        same_check = (
            kept
            and before is not None
            and before.status is IdentityStatus.VALIDEE
            and (before.document_type, before.document_expires_on)
            == (identity.document_type, identity.document_expires_on)
        )
        if same_check and before is not None:
            update = {"validated_by": before.validated_by, "validated_on": before.validated_on}
        else:
            allowed = validating_documents(identity, today)
            if identity.document_type not in allowed:
                names = ", ".join(DOCUMENT_LABELS[d][0] for d in sorted(allowed))
                names_en = ", ".join(DOCUMENT_LABELS[d][1] for d in sorted(allowed))
                raise _refused(
                    "document_type",
                    "la validation exige une pièce d'identité à haut niveau de confiance, vue et "
                    f"vérifiée : {names} (une carte Vitale n'est pas une pièce d'identité).",
                    f"validation requires a high-trust identity document, seen and checked: {names_en} "
                    "(a Carte Vitale is no identity document).",
                )
            if identity.document_expires_on is not None and identity.document_expires_on < today:
                raise _refused(
                    "document_expires_on",
                    "la pièce d'identité a expiré : elle ne valide pas l'identité.",
                    "the identity document has expired: it does not validate the identity.",
                )
            user = session.user
            update = {"validated_by": user.display_name or user.username, "validated_on": today}
    elif identity.status is IdentityStatus.QUALIFIEE and before is not None:
        update = {"validated_by": before.validated_by, "validated_on": before.validated_on}
    else:
        update = {"validated_by": None, "validated_on": None}
    if all(getattr(identity, k) == v for k, v in update.items()):
        return identity
    return identity.model_copy(update=update)


class Homonyms(BaseModel):
    """Identities sharing the strict traits' name (birth name, first birth first name) and
    the birth date of a patient: the local ones, and how many in the HIS's index."""

    model_config = ConfigDict(frozen=True)
    patients: list[PatientSummary]
    in_his_index: int = 0

    @property
    def count(self) -> int:
        return len(self.patients) + self.in_his_index


def homonyms(session: Session, patient_id: str) -> Homonyms:
    """The patient's homonyms (RNIV): other identities of the same birth name, first birth
    first name (accents, case, hyphens and spaces ignored) and birth date."""
    session.require(Permission.READ_PATIENTS)
    store = session.store
    patient = store.patients.get_patient(patient_id)
    if patient is None:
        raise NotFound("Patient inconnu.", "Unknown patient.")
    key = homonym_key(patient.identity)
    others = [
        p
        for p in store.patients.patients_born_on([patient.identity.birth_date])
        if p.id != patient.id and p.merged_into is None and homonym_key(p.identity) == key
    ]
    local_ipps = {p.ipp for p in others if p.ipp} | ({patient.ipp} if patient.ipp else set())
    in_index = sum(
        1
        for hit in store.his_index.born_on([patient.identity.birth_date])
        if hit.ipp not in local_ipps and homonym_key(hit.identity) == key
    )
    stays = store.stays.open_stays_of([p.id for p in others])
    return Homonyms(
        patients=[PatientSummary(patient=p, stay=stays.get(p.id)) for p in others], in_his_index=in_index
    )


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
    index_ipp: str | None = None,
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
    ``index_ipp`` admits a returning patient of the HIS identity index under the HIS's IPP
    and identity, as the HIS has them (``Source.HIS``, ``from_index``, the same patient id
    on every workstation): no provisional IPP, nothing to reconcile. A patient already here
    with that IPP (census snapshot, admitted before) is readmitted instead.
    """
    if sum(x is not None for x in (identity, patient_id, unknown, index_ipp)) != 1:
        raise InvalidInput(
            "Donnez soit une nouvelle identité, soit un patient existant.",
            "Give either a new identity or an existing patient.",
        )
    if paper_number is not None and identity is None and unknown is None:  # index_ipp too
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
    index_dups: list[str] = []
    if index_ipp is not None and (hit := store.his_index.by_ipp(index_ipp.strip())) is not None:
        # a provisional identity created here for this person (before the index came, or on
        # a workstation without it): admitting the HIS's would make the duplicate
        dups = [
            p.id
            for p in find_possible_duplicates(session, hit.identity)
            if p.source is Source.KIT and p.ipp != hit.ipp and p.merged_into is None
        ]
    if identity is not None:
        identity = _as_given_by_user(session, identity)
        dups = [p.id for p in find_possible_duplicates(session, identity)]
        index_dups = [h.ipp for h in find_index_duplicates(session, identity)]
    if dups or index_dups:
        if not_a_duplicate is None:
            raise PossibleDuplicates(dups, index_dups)
        if not (not_a_duplicate or "").strip():
            raise InvalidInput(
                "Dites pourquoi c'est un autre patient que les identités proches (motif obligatoire).",
                "Say why this is another patient than the similar identities (a reason is required).",
            )
    with store.transaction():
        bed = check_bed(session, uf, bed_code)
        now = session.clock()
        if index_ipp is not None:
            not_dup = {"candidates": dups, "reason": (not_a_duplicate or "").strip()} if dups else None
            patient_id = _from_index(session, index_ipp.strip(), now, not_dup)
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
                        {
                            "not_a_duplicate": {
                                "candidates": dups,
                                **({"index_candidates": index_dups} if index_dups else {}),
                                "reason": (not_a_duplicate or "").strip(),
                            }
                        }
                        if dups or index_dups
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


def _from_index(session: Session, ipp: str, now: datetime, not_a_duplicate: dict[str, Any] | None) -> str:
    """The patient id for the index identity ``ipp``: the patient already here with that
    IPP, else a new HIS patient created from the index (in the admission's transaction)."""
    store = session.store
    hit = store.his_index.by_ipp(ipp)
    state = store.his_index.state()
    if hit is None or state is None:
        raise NotFound(
            "Aucune identité avec cet IPP dans l'index du DPI.", "No identity with this IPP in the HIS index."
        )
    site_code, _ = store.reference.site_name()
    patient_id = his_patient_id(site_code, ipp)
    if store.patients.get_patient(patient_id) is not None:
        return patient_id
    here = store.patients.patients_with_ipp(ipp)
    if here:
        return here[0].id  # an identity created here and reconciled with this IPP since
    patient = PatientRecord(
        id=patient_id,
        provisional_ipp=HIS_PREFIX + ipp,
        ipp=ipp,
        identity=hit.identity,
        created_at=now,
        version=1,
        source=Source.HIS,
        from_index=True,
    )
    store.patients.insert_patient(patient, session.actor, his_as_of=state.taken_at)
    store.audit.append_audit(
        session.actor,
        "patient.create",
        "patient",
        patient.id,
        1,
        {
            "identity": _identity_payload(hit.identity),
            "ipp": ipp,
            "from_index": {"extraction": state.extraction, "ipp": ipp},
            **({"not_a_duplicate": not_a_duplicate} if not_a_duplicate else {}),
        },
    )
    return patient_id


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
        identity = _as_given_by_user(session, identity, patient.identity)
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
    elif not re.search(r"\s", text):  # an HIS IPP or NDA with letters, typed or scanned
        for ident in dict.fromkeys((text, compact, compact.upper())):
            record = session.store.patients.patient_by_identifier(ident)
            if record is not None:
                return [PatientSummary(patient=record, stay=session.store.stays.open_stay(record.id))]
    prefixes, dates = _terms(text)
    records = session.store.patients.search_names(prefixes, dates, limit)
    stays = session.store.stays.open_stays_of([r.id for r in records])
    return [PatientSummary(patient=r, stay=stays.get(r.id)) for r in records]


def _terms(text: str) -> tuple[list[str], list[date]]:
    """A query's name prefixes (search keys) and birth dates."""
    prefixes, dates = [], []
    for token in re.split(r"[\s,;]+", text):
        day = try_parse_date(token)
        if day is not None:
            dates.append(day)
        elif key := search_key(token):
            prefixes.append(key)
    return prefixes, dates


def search_index(session: Session, query: str, limit: int = SEARCH_LIMIT) -> list[IndexHit]:
    """Identities of the HIS identity index that are not patients here, for the same query
    as ``search``: name prefixes and birth date, or the HIS's IPP typed or scanned exactly."""
    session.require(Permission.READ_PATIENTS)
    text = query.strip()
    index = session.store.his_index
    if not text or limit <= 0 or index.generation() is None:
        return []
    compact = re.sub(r"[\s.\-/]", "", text)
    for ipp in dict.fromkeys((text, compact, text.upper(), compact.upper())):
        hit = index.by_ipp(ipp)
        if hit is not None:
            return [] if _here(session, hit.ipp) else [hit]
    prefixes, dates = _terms(text)
    if not prefixes and not dates:
        return []
    found: list[IndexHit] = []
    asked = limit
    while True:  # the index's own order; a few may be patients here already: ask a little more
        hits = index.search(prefixes, dates, asked)
        found = [h for h in hits if not _here(session, h.ipp)]
        if len(found) >= limit or len(hits) < asked:
            return found[:limit]
        asked += limit


Found = PatientSummary | IndexHit


def search_all(session: Session, query: str, limit: int = SEARCH_LIMIT) -> list[Found]:
    """``search``, then the identities of the HIS index that are not patients here
    (``search_index``), within ``limit`` in all: the local patients first."""
    session.require(Permission.READ_PATIENTS)
    try:
        local: list[PatientSummary] = search(session, query, limit)
    except InvalidInput:  # a ten-digit number whose kit check digit is wrong: maybe the HIS's IPP
        hits = search_index(session, query, limit)
        if hits:
            return list(hits)
        raise
    return [*local, *search_index(session, query, limit - len(local))]


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
