"""What is waiting to reach the HIS (the outbox), its error queue, and the HIS endpoints.

The delivery itself lives in the ``sync`` package; this is the part the status
bar, the crisis dashboard, the command line and the sync window all read.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from continuity import oids
from continuity.domain.outbox import EventStatus, OutboxEvent
from continuity.domain.site import TRANSFER_NATURES
from continuity.domain.users import Permission
from continuity.errors import InvalidInput, NotFound
from continuity.his_ids import IPP_PATTERN_KEY, NDA_PATTERN_KEY, PATTERN_RULE, check_pattern, kits_own_name
from continuity.session import Session
from continuity.text import check_text

HIS_ENDPOINT_KEY = "sync.his_endpoint"
EXERCISE_ENDPOINT_KEY = "sync.exercise_endpoint"
LAST_RUN_KEY = "sync.last_run"
HIS_IPP_SYSTEM_KEY = "sync.his_ipp_system"  # FHIR identifier system of the HIS's IPP
HIS_NDA_SYSTEM_KEY = "sync.his_nda_system"  # FHIR identifier system of the HIS's NDA
HIS_AUTHORITY_KEY = "sync.his_authority"  # HL7 assigning authority of the HIS (PID-3)
PAM_FR_VERSION_KEY = "sync.pam_fr_version"  # IHE PAM France version in MSH-12 (2.10, 2.11)
PAM_FR_VERSIONS = ("2.10", "2.11")
DEFAULT_PAM_FR_VERSION = "2.11"
ACK_MODE_KEY = "sync.ack_mode"  # HL7 acknowledgement mode: original (MSH-15/16 empty) | enhanced
ACK_MODES = ("original", "enhanced")
DEFAULT_ACK_MODE = "original"
# Enhanced mode: an event committed by the HIS (CA) whose application ACK has not come after
# this long is shown as overdue (sync status, doctor); it is never resent without IT.
APP_ACK_OVERDUE = timedelta(hours=1)
TRANSFER_NATURE_KEY = "sync.transfer_nature"  # ZBE-9 nature of a change of UF (HMS, M, H, S...)
EMERGENCY_UFS_KEY = "sync.emergency_ufs"  # UFs whose stays go out as emergencies (PV1-2 E), space-separated
HIS_IPP_PATTERN_KEY = IPP_PATTERN_KEY  # format of the HIS's IPP (continuity.his_ids)
HIS_NDA_PATTERN_KEY = NDA_PATTERN_KEY
# The establishment's FINESS and the OIDs of its identifier domains (site file [his]).
DOMAIN_KEYS: dict[str, str] = {
    "finess": "sync.finess",
    "ipp_oid": "sync.ipp_oid",
    "nda_oid": "sync.nda_oid",
    "movement_oid": "sync.movement_oid",
    "provisional_ipp_oid": "sync.provisional_ipp_oid",
    "provisional_nda_oid": "sync.provisional_nda_oid",
}


class SyncPhase(StrEnum):
    """Where the hand-back to the HIS stands, for the crisis cell."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    RESTORED = "restored"


PHASE_LABELS: dict[SyncPhase, tuple[str, str]] = {
    SyncPhase.NOT_STARTED: ("reprise non commencée", "hand-back not started"),
    SyncPhase.IN_PROGRESS: ("reprise en cours", "hand-back in progress"),
    SyncPhase.BLOCKED: (
        "reprise bloquée : événements refusés par le DPI",
        "hand-back blocked: events refused by the HIS",
    ),
    SyncPhase.RESTORED: ("rétabli : tout est dans le DPI", "restored: everything is in the HIS"),
}


class LastRun(BaseModel):
    model_config = ConfigDict(frozen=True)
    target: str
    started_at: datetime
    finished_at: datetime
    acknowledged: int
    refused: int
    remaining: int
    stopped_reason: str | None = None


class SyncStatus(BaseModel):
    model_config = ConfigDict(frozen=True)
    counts: dict[EventStatus, int]
    last_run: LastRun | None
    his_endpoint: str | None
    exercise_endpoint: str | None
    awaiting_since: datetime | None = None  # oldest commit (CA) whose application ACK is awaited

    @property
    def awaiting(self) -> int:
        """Events the HIS committed (CA), its application ACK not received yet (enhanced mode)."""
        return self.counts.get(EventStatus.COMMITTED, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def backlog(self) -> int:
        return (
            self.total
            - self.counts.get(EventStatus.ACKNOWLEDGED, 0)
            - self.counts.get(EventStatus.SUPERSEDED, 0)
        )

    @property
    def phase(self) -> SyncPhase:
        if self.counts.get(EventStatus.ERROR, 0):
            return SyncPhase.BLOCKED
        if self.backlog == 0:
            return SyncPhase.RESTORED if self.total else SyncPhase.NOT_STARTED
        if self.counts.get(EventStatus.ACKNOWLEDGED, 0) or self.last_run is not None:
            return SyncPhase.IN_PROGRESS
        return SyncPhase.NOT_STARTED


def backlog(session: Session) -> int:
    """Events recorded here and not yet acknowledged by the HIS."""
    session.require(Permission.READ_STATUS)
    return session.store.outbox.count_unacknowledged()


def status(session: Session) -> SyncStatus:
    session.require(Permission.READ_STATUS)
    store = session.store
    counts = {s: 0 for s in EventStatus}
    for name, n in store.outbox.outbox_counts().items():
        counts[EventStatus(name)] = int(n)
    raw = store.get_meta(LAST_RUN_KEY)
    return SyncStatus(
        counts=counts,
        last_run=LastRun.model_validate_json(raw) if raw else None,
        his_endpoint=store.get_meta(HIS_ENDPOINT_KEY),
        exercise_endpoint=store.get_meta(EXERCISE_ENDPOINT_KEY),
        awaiting_since=store.outbox.oldest_committed_at() if counts[EventStatus.COMMITTED] else None,
    )


def record_run(session: Session, run: LastRun) -> None:
    session.require(Permission.SYNC)
    with session.store.transaction():
        session.store.set_meta(LAST_RUN_KEY, run.model_dump_json())


class ErrorView(BaseModel):
    """An event the HIS refused, with what the HIS said. No names: identifiers only."""

    model_config = ConfigDict(frozen=True)
    event: OutboxEvent
    provisional_ipp: str
    provisional_nda: str | None
    waiting_behind: int


def refused_events(session: Session) -> list[ErrorView]:
    session.require(Permission.SYNC)
    store = session.store
    views = []
    for event in store.outbox.outbox_by_status(EventStatus.ERROR):
        patient = store.patients.get_patient(event.patient_id)
        stay = store.stays.get_stay(event.stay_id) if event.stay_id else None
        later = [
            e
            for e in store.outbox.outbox_of_patient(event.patient_id)
            if e.seq > event.seq and e.status is not EventStatus.ACKNOWLEDGED
        ]
        views.append(
            ErrorView(
                event=event,
                provisional_ipp=patient.provisional_ipp if patient else "?",
                provisional_nda=stay.provisional_nda if stay else None,
                waiting_behind=len(later),
            )
        )
    return views


class AwaitingView(BaseModel):
    """An event the HIS committed (CA, enhanced mode) whose application ACK has not come."""

    model_config = ConfigDict(frozen=True)
    event: OutboxEvent
    provisional_ipp: str
    committed_at: datetime | None


def awaiting_events(session: Session) -> list[AwaitingView]:
    session.require(Permission.SYNC)
    store = session.store
    views = []
    for event in store.outbox.outbox_by_status(EventStatus.COMMITTED):
        patient = store.patients.get_patient(event.patient_id)
        views.append(
            AwaitingView(
                event=event,
                provisional_ipp=patient.provisional_ipp if patient else "?",
                committed_at=store.outbox.committed_since(event.event_id),
            )
        )
    return views


def resend(session: Session, event_id: str) -> None:
    """Put an event back in the queue: one refused (after the data was corrected), or one the
    HIS committed and never answered (enhanced mode). It goes out with the same message
    control ID, so the HIS recognises a message it already holds."""
    session.require(Permission.SYNC)
    store = session.store
    with store.transaction():
        if store.outbox.outbox_event(event_id) is None:
            raise NotFound("Événement inconnu.", "Unknown event.")
        was = store.outbox.requeue_event(event_id)
        store.audit.append_audit(session.actor, "sync.resend", "outbox", event_id, 1, {"from": was})


def endpoints(session: Session) -> tuple[str | None, str | None]:
    """(real HIS endpoint, exercise endpoint) configured for this site."""
    session.require(Permission.READ_STATUS)
    return (session.store.get_meta(HIS_ENDPOINT_KEY), session.store.get_meta(EXERCISE_ENDPOINT_KEY))


def set_endpoints(
    session: Session,
    his: str | None,
    exercise: str | None,
    *,
    his_ipp_system: str | None = None,
    his_nda_system: str | None = None,
    his_authority: str | None = None,
) -> None:
    """Record the endpoints (already checked by the caller, which knows their syntax) and
    how the HIS names its identifiers; a value left at None is kept as it was."""
    session.require(Permission.SYNC)
    for value, fr, en, namespace in (
        (his_ipp_system, "système des IPP", "IPP system", False),
        (his_nda_system, "système des NDA", "NDA system", False),
        (his_authority, "autorité d'affectation", "assigning authority", True),
    ):
        check_text(value, f"DPI : {fr}", f"HIS: {en}")
        if kits_own_name(value if namespace else None, None if namespace else value):
            raise InvalidInput(
                f"DPI : {fr} : c'est le nom des propres identifiants provisoires du kit "
                "(CONTINUITE…, urn:continuite:…), pas celui du DPI.",
                f"HIS: {en}: that is the name of the kit's own provisional identifiers "
                "(CONTINUITE…, urn:continuite:…), not the HIS's.",
            )
    store = session.store
    with store.transaction():
        changes: dict[str, str] = {}
        for key, value in (
            (HIS_ENDPOINT_KEY, his),
            (EXERCISE_ENDPOINT_KEY, exercise),
            (HIS_IPP_SYSTEM_KEY, his_ipp_system),
            (HIS_NDA_SYSTEM_KEY, his_nda_system),
            (HIS_AUTHORITY_KEY, his_authority),
        ):
            if value is not None:
                store.set_meta(key, value)
                changes[key] = value
        store.audit.append_audit(session.actor, "sync.endpoints", "site", "sync", 1, changes)


def pam_fr_version(session: Session) -> str:
    """The IHE PAM France version the HIS's interface declares (MSH-12 ``2.5^FRA^<version>``)."""
    session.require(Permission.READ_STATUS)
    return session.store.get_meta(PAM_FR_VERSION_KEY) or DEFAULT_PAM_FR_VERSION


def set_pam_fr_version(session: Session, version: str) -> None:
    """Declare the PAM France version of the HIS's interface (IT): 2.10 or 2.11."""
    _set_choice(
        session,
        PAM_FR_VERSION_KEY,
        version.strip(),
        PAM_FR_VERSIONS,
        "Version IHE PAM France inconnue",
        "Unknown IHE PAM France version",
    )


def _set_choice(
    session: Session, key: str, value: str, allowed: tuple[str, ...], unknown_fr: str, unknown_en: str
) -> None:
    """Record one of the ``allowed`` values of a site setting (IT), audited."""
    session.require(Permission.SYNC)
    if value not in allowed:
        choices = ", ".join(allowed)
        raise InvalidInput(
            f"{unknown_fr} : choisissez parmi {choices}.", f"{unknown_en}: choose among {choices}."
        )
    store = session.store
    with store.transaction():
        store.set_meta(key, value)
        store.audit.append_audit(session.actor, "sync.endpoints", "site", "sync", 1, {key: value})


def ack_mode(session: Session) -> str:
    """How the HIS acknowledges: ``original`` (MSH-15/16 empty: AA/AE/AR) or ``enhanced``."""
    session.require(Permission.READ_STATUS)
    return session.store.get_meta(ACK_MODE_KEY) or DEFAULT_ACK_MODE


def set_ack_mode(session: Session, mode: str) -> None:
    """Choose the HL7 acknowledgement mode of the HIS's interface (IT): original or enhanced."""
    _set_choice(
        session,
        ACK_MODE_KEY,
        mode.strip().lower(),
        ACK_MODES,
        "Mode d'accusé de réception HL7 inconnu",
        "Unknown HL7 acknowledgement mode",
    )


def set_pam_options(
    session: Session, *, transfer_nature: str | None = None, emergency_ufs: list[str] | None = None
) -> None:
    """Set how movements read in PAM FR (IT): the ZBE-9 nature of a change of UF, the emergency UFs."""
    session.require(Permission.SYNC)
    store = session.store
    changes: dict[str, str] = {}
    if transfer_nature is not None:
        nature = transfer_nature.strip().upper()
        if nature not in TRANSFER_NATURES:
            allowed = ", ".join(TRANSFER_NATURES)
            raise InvalidInput(
                f"Nature de mutation inconnue : choisissez parmi {allowed}.",
                f"Unknown transfer nature: choose among {allowed}.",
            )
        changes[TRANSFER_NATURE_KEY] = nature
    if emergency_ufs is not None:
        codes = [c.strip().upper() for c in emergency_ufs if c.strip()]
        known = {code for code, _ in store.reference.list_ufs()}
        for code in codes:
            if code not in known:
                raise InvalidInput(
                    f"UF d'urgence {code[:20]} inconnue du site.",
                    f"Emergency UF {code[:20]} is not a UF of the site.",
                )
        changes[EMERGENCY_UFS_KEY] = " ".join(codes)
    if not changes:
        return
    with store.transaction():
        for key, value in changes.items():
            store.set_meta(key, value)
        store.audit.append_audit(session.actor, "sync.endpoints", "site", "sync", 1, changes)


def pam_options(session: Session) -> tuple[str, tuple[str, ...]]:
    """The ZBE-9 nature of a change of UF and the emergency UFs."""
    session.require(Permission.READ_STATUS)
    store = session.store
    return (
        store.get_meta(TRANSFER_NATURE_KEY) or "HMS",
        tuple((store.get_meta(EMERGENCY_UFS_KEY) or "").split()),
    )


class IdentifierDomains(BaseModel):
    """The FINESS and the OIDs the messages name the identifier domains with (None: not declared)."""

    model_config = ConfigDict(frozen=True)
    finess: str | None = None
    ipp_oid: str | None = None
    nda_oid: str | None = None
    movement_oid: str | None = None
    provisional_ipp_oid: str | None = None
    provisional_nda_oid: str | None = None

    def missing(self) -> list[str]:
        """The names of the values not declared."""
        return [name for name, value in self.model_dump().items() if not value]


def identifier_domains(session: Session) -> IdentifierDomains:
    session.require(Permission.READ_STATUS)
    store = session.store
    return IdentifierDomains(**{name: store.get_meta(key) or None for name, key in DOMAIN_KEYS.items()})


def set_identifier_domains(session: Session, **values: str | None) -> IdentifierDomains:
    """Declare the FINESS and OIDs (IT); a value left at None is kept, "" removes it."""
    session.require(Permission.SYNC)
    changes: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name == "finess":
            text = value.strip().upper()
            if text and not oids.is_finess(text):
                raise InvalidInput(
                    "Numéro FINESS invalide : 9 caractères, département puis 7 chiffres.",
                    "Invalid FINESS number: 9 characters, département then 7 digits.",
                )
        else:
            text = value.strip()
            if text and not oids.is_oid(text):
                raise InvalidInput(
                    f"OID invalide ({name}) : chiffres séparés par des points, "
                    "par exemple 1.2.250.1.999.1.1.",
                    f"Invalid OID ({name}): numbers separated by dots, for example 1.2.250.1.999.1.1.",
                )
        changes[DOMAIN_KEYS[name]] = text
    store = session.store
    after = {
        name: changes.get(key, store.get_meta(key) or "") or None
        for name, key in DOMAIN_KEYS.items()
        if name != "finess"
    }
    clash = oids.domain_clash(after)
    if clash is not None:
        name, other = clash
        if other is None:
            raise InvalidInput(
                f"{name} : OID de l'INS, jamais celui d'un domaine de l'établissement.",
                f"{name}: an OID of the INS, never that of a domain of the establishment.",
            )
        raise InvalidInput(
            f"{name} et {other} auraient le même OID : un OID nomme un seul domaine d'identifiants.",
            f"{name} and {other} would have the same OID: one OID names one identifier domain.",
        )
    with store.transaction():
        for key, text in changes.items():
            store.set_meta(key, text)
        store.audit.append_audit(session.actor, "sync.domains", "site", "sync", 1, changes)
    return identifier_domains(session)


def identifier_patterns(session: Session) -> tuple[str | None, str | None]:
    """(IPP pattern, NDA pattern) declared for the HIS; None: the default (``continuity.his_ids``)."""
    session.require(Permission.READ_STATUS)
    store = session.store
    return store.get_meta(HIS_IPP_PATTERN_KEY) or None, store.get_meta(HIS_NDA_PATTERN_KEY) or None


def set_identifier_patterns(session: Session, *, ipp: str | None, nda: str | None) -> None:
    """Declare the formats of the HIS's IPP and NDA (IT); None keeps one, "" restores the default."""
    session.require(Permission.SYNC)
    for value, fr, en in ((ipp, "IPP", "IPP"), (nda, "NDA", "NDA")):
        if value:
            try:
                check_pattern(value)
            except ValueError:
                raise InvalidInput(
                    f"Format des {fr} du DPI : expression régulière invalide ou non admise "
                    f"(seulement : {PATTERN_RULE[0]}).",
                    f"Format of the HIS {en}: invalid or unsafe regular expression "
                    f"(only: {PATTERN_RULE[1]}).",
                ) from None
    store = session.store
    with store.transaction():
        changes: dict[str, str] = {}
        for key, value in ((HIS_IPP_PATTERN_KEY, ipp), (HIS_NDA_PATTERN_KEY, nda)):
            if value is not None:
                store.set_meta(key, value.strip())
                changes[key] = value.strip()
        store.audit.append_audit(session.actor, "sync.patterns", "site", "sync", 1, changes)
