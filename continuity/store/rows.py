"""Row converters shared by the managers: column lists, row-to-model functions, value helpers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from continuity.domain.identity import CollectionMode, Identity, IdentityDocument, IdentityStatus, Sex
from continuity.domain.movement import StayState
from continuity.domain.outbox import (
    EventStatus,
    HisIdentifier,
    IdentifierKind,
    IdentifierSource,
    MappingStatus,
    OutboxEvent,
)
from continuity.domain.records import PaperForm, PatientRecord, Source, StayRecord
from continuity.domain.users import Role, User
from continuity.errors import NotFound, StaleRecord


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


_IDENTITY_COLS = (
    "birth_name, used_name, first_names, used_first_name, birth_date, sex, birth_place_insee, ins,"
    " identity_status, placeholder, ins_unverified, birth_place_name, collection_mode, document_type,"
    " insi_queried_on, ins_oid, doubtful, fictitious, document_expires_on, validated_by, validated_on"
)
_IDENTITY_SET = ", ".join(f"{c.strip()} = ?" for c in _IDENTITY_COLS.split(","))


def _identity_values(i: Identity) -> tuple[Any, ...]:
    return (
        i.birth_name,
        i.used_name,
        json.dumps(i.first_names, ensure_ascii=False),
        i.used_first_name,
        i.birth_date.isoformat(),
        i.sex.value,
        i.birth_place_insee,
        i.ins,
        i.status.value,
        int(i.placeholder),
        i.ins_unverified,
        i.birth_place_name,
        i.collection_mode.value if i.collection_mode else None,
        i.document_type.value if i.document_type else None,
        _iso(i.insi_queried_on),
        i.ins_oid,
        int(i.doubtful),
        int(i.fictitious),
        _iso(i.document_expires_on),
        i.validated_by,
        _iso(i.validated_on),
    )


_PATIENT_COLS = (
    "p.id, p.provisional_ipp, p.ipp, p.birth_name, p.used_name, p.first_names,"
    " p.used_first_name, p.birth_date, p.sex, p.birth_place_insee, p.ins,"
    " p.identity_status, p.placeholder, p.created_at, p.version, p.source,"
    " p.ins_unverified, p.birth_place_name, p.collection_mode, p.document_type, p.insi_queried_on,"
    " p.ins_oid, p.doubtful, p.fictitious, p.document_expires_on, p.validated_by, p.validated_on,"
    " p.from_index, p.merged_into"
)
_STAY_COLS = (
    "s.id, s.patient_id, s.provisional_nda, s.nda, s.state, s.uf_code, s.bed_code,"
    " s.admitted_at, s.discharged_at, s.version, s.source"
)


_OUTBOX_COLS = (
    "o.seq, o.event_id, o.created_at, o.kind, o.patient_id, o.stay_id, o.movement_id,"
    " o.payload, o.status, o.attempts, o.last_error, o.his_reply, o.next_attempt_at,"
    " o.delivered_to, o.exported_at"
)


def _outbox_event(r: Sequence[Any]) -> OutboxEvent:
    return OutboxEvent.model_construct(
        seq=r[0],
        event_id=r[1],
        created_at=datetime.fromisoformat(r[2]),
        kind=r[3],
        patient_id=r[4],
        stay_id=r[5],
        movement_id=r[6],
        payload=json.loads(r[7]),
        status=EventStatus(r[8]),
        attempts=r[9],
        last_error=r[10],
        his_reply=r[11],
        next_attempt_at=_dt(r[12]),
        delivered_to=r[13],
        exported_at=_dt(r[14]),
    )


_HIS_ID_COLS = "id, entity, entity_id, kind, value, source, status, proposed_at, decided_at, decided_by"


def _his_identifier(r: Sequence[Any]) -> HisIdentifier:
    return HisIdentifier(
        id=r[0],
        entity=r[1],
        entity_id=r[2],
        kind=IdentifierKind(r[3]),
        value=r[4],
        source=IdentifierSource(r[5]),
        status=MappingStatus(r[6]),
        proposed_at=datetime.fromisoformat(r[7]),
        decided_at=_dt(r[8]),
        decided_by=r[9],
    )


_PAPER_COLS = "number, uf_code, batch, reserved_at, reserved_by, used_at, used_by, patient_id"


def _paper_form(r: Sequence[Any]) -> PaperForm:
    return PaperForm(
        number=r[0],
        uf_code=r[1],
        batch=r[2],
        reserved_at=datetime.fromisoformat(r[3]),
        reserved_by=r[4],
        used_at=_dt(r[5]),
        used_by=r[6],
        patient_id=r[7],
    )


def _patient(r: Sequence[Any]) -> PatientRecord:
    identity = Identity.model_construct(
        birth_name=r[3],
        used_name=r[4],
        first_names=json.loads(r[5]),
        used_first_name=r[6],
        birth_date=date.fromisoformat(r[7]),
        sex=Sex(r[8]),
        birth_place_insee=r[9],
        ins=r[10],
        status=IdentityStatus(r[11]),
        placeholder=bool(r[12]),
        ins_unverified=r[16],
        birth_place_name=r[17],
        collection_mode=CollectionMode(r[18]) if r[18] else None,
        document_type=IdentityDocument(r[19]) if r[19] else None,
        insi_queried_on=date.fromisoformat(r[20]) if r[20] else None,
        ins_oid=r[21],
        doubtful=bool(r[22]),
        fictitious=bool(r[23]),
        document_expires_on=date.fromisoformat(r[24]) if r[24] else None,
        validated_by=r[25],
        validated_on=date.fromisoformat(r[26]) if r[26] else None,
    )
    return PatientRecord.model_construct(
        id=r[0],
        provisional_ipp=r[1],
        ipp=r[2],
        identity=identity,
        created_at=datetime.fromisoformat(r[13]),
        version=r[14],
        source=Source(r[15]),
        from_index=bool(r[27]),
        merged_into=r[28],
    )


def _stay(r: Sequence[Any]) -> StayRecord:
    return StayRecord.model_construct(
        id=r[0],
        patient_id=r[1],
        provisional_nda=r[2],
        nda=r[3],
        state=StayState(r[4]),
        uf_code=r[5],
        bed_code=r[6],
        admitted_at=_dt(r[7]),
        discharged_at=_dt(r[8]),
        version=r[9],
        source=Source(r[10]),
    )


def _user(r: Sequence[Any]) -> User:
    return User(
        username=r[0], display_name=r[1], role=Role(r[2]), ufs=tuple(json.loads(r[3])), active=bool(r[4])
    )


def _stale_or_missing(exists: Any) -> Exception:
    if exists is None:
        return NotFound("Enregistrement introuvable.", "Record not found.")
    return StaleRecord(
        "Ce dossier a été modifié entre-temps (autre poste ou autre fenêtre) : rechargez-le "
        "avant de recommencer.",
        "This record was changed meanwhile (another workstation or window): reload it and try again.",
    )
