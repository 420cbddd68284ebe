"""HL7 v2 ADT snapshot: a batch (FHS/BHS ... BTS/FTS, or bare messages) per IHE PAM France 2.11.

Per patient, A28/A31 (and the PID of every message) give the identity; A01/A04/A05
open a stay, A02/A08/A12/A13/A21... (re)place it, A03/A11/A38 close it, a Z99 updating
the current movement re-places it: the stays still open at the end of the file are the
census. The IPP and NDA are those of the establishment's domains (HD ``namespace&OID&ISO``,
``HisIdentifiers``), never another domain's; the identity traits are PAM FR's (L and D
names, BDL birth place, PID-32, ZFD). Messages are read with python-hl7; the field by
field rules are in docs/snapshots-and-exchange.md.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import hl7

from continuity import oids
from continuity.domain.identity import CollectionMode, IdentityDocument
from continuity.domain.snapshot import HisIdentifiers, Snapshot, SnapshotFormat, SnapshotPatient, SnapshotStay
from continuity.his_ids import KIT_NAMESPACE
from sync import hl7_read
from sync.snapshots.common import PROVISIONAL_ATTRIBUTES, RELIABILITY, SnapshotRejected, aware, identity

OPENING = {"A01", "A04", "A05"}
# Movements that leave the stay open where PV1-3 says: transfers, changes of class, updates,
# cancellations of a transfer or a discharge, leave of absence and return (A21/A22, A52/A53),
# changes of the responsible doctor (A54/A55).
PLACING = {"A02", "A08", "A12", "A13", "A06", "A07", "A21", "A22", "A52", "A53", "A54", "A55"}
CLOSING = {"A03", "A11", "A38"}
IDENTITY_ONLY = {"A28", "A31"}
UPDATING = {"Z99"}  # PAM FR movement update: ZBE-4 UPDATE, ZBE-5 historic, ZBE-6 original trigger
SUPPORTED = OPENING | PLACING | CLOSING | IDENTITY_ONLY | UPDATING
# PID-3 INS: type INS (INS-NIR, INS-NIA) under the INS authorities (NIR, NIA, and their test arcs).
INS_OIDS = oids.INS_OIDS
INS_TYPES = {"INS", "INS-NIR", "INS-NIA"}
COLLECTION_MODES = {m.value for m in CollectionMode}  # ZFD-5, FR Core fr-core-cs-method-collection
DOCUMENTS = {d.value for d in IdentityDocument}  # ZFD-7, FR Core fr-core-cs-mode-validation-identity
INSEE_CODE = re.compile(r"\d{5}|2[AB]\d{3}", re.IGNORECASE)
_DTM = re.compile(r"\d{8}(\d{2}(\d{2}(\d{2}(\.\d{1,4})?)?)?)?([+-]\d{4})?")


def _time(text: str) -> datetime | None:
    if not _DTM.fullmatch(text):
        return None
    moment: datetime = hl7.parse_datetime(text)
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return aware(moment)


def _messages(raw: bytes) -> tuple[list[str], datetime | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # HL7 v2 files are often ISO 8859-1 (MSH-18)
    segments = [s for s in re.split(r"\r\n|\r|\n", text) if s.strip()]
    kinds = [s[:3] for s in segments]
    for opener, closer in (("FHS", "FTS"), ("BHS", "BTS")):
        if opener in kinds and closer not in kinds:
            raise SnapshotRejected(
                f"Lot HL7 coupé : {closer} manquant.",
                f"HL7 batch cut short: {closer} missing.",
                incomplete=True,
            )
    taken_at = None
    for seg in segments:
        if seg[:3] in ("FHS", "BHS") and taken_at is None:
            fields = seg.split(seg[3]) if len(seg) > 3 else []
            taken_at = _time(fields[6]) if len(fields) > 6 else None
    messages: list[list[str]] = []
    for seg in segments:
        if seg[:3] == "MSH":
            messages.append([seg])
        elif seg[:3] in ("FHS", "BHS", "BTS", "FTS"):
            continue
        elif not messages:
            raise SnapshotRejected(
                "Segment HL7 hors message (avant le premier MSH).",
                "HL7 segment outside a message (before the first MSH).",
            )
        else:
            messages[-1].append(seg)
    bts = next((s for s in segments if s[:3] == "BTS"), None)
    if bts is not None:
        count = bts.split(bts[3])[1] if len(bts) > 4 else ""
        if count.isdigit() and int(count) != len(messages):
            raise SnapshotRejected(
                "Lot HL7 incomplet : BTS annonce un autre nombre de messages.",
                "Incomplete HL7 batch: BTS gives another message count.",
                incomplete=True,
            )
    return ["\r".join(m) for m in messages], taken_at


def parse(raw: bytes, ids: HisIdentifiers) -> Snapshot:
    texts, taken_at = _messages(raw)
    if not texts:
        raise SnapshotRejected("Lot HL7 sans message.", "HL7 batch without any message.")
    patients: dict[str, SnapshotPatient] = {}
    stays: dict[str, SnapshotStay] = {}
    census = False
    latest: datetime | None = None
    for number, text in enumerate(texts, start=1):
        where_fr, where_en = f"Message {number}", f"Message {number}"
        try:
            msg = hl7_read.parse(text)
        except hl7_read.Unreadable:
            raise SnapshotRejected(
                f"{where_fr} : message HL7 illisible (en-tête MSH ou séparateurs invalides).",
                f"{where_en}: unreadable HL7 message (invalid MSH header or separators).",
            ) from None
        msh, pid = hl7_read.segment(msg, "MSH"), hl7_read.segment(msg, "PID")
        if msh is None or pid is None:
            raise SnapshotRejected(
                f"{where_fr} : message HL7 illisible (MSH ou PID manquant).",
                f"{where_en}: unreadable HL7 message (MSH or PID missing).",
            )
        trigger = hl7_read.value(msh, 9, 1, 2)
        if hl7_read.value(msh, 9) != "ADT" or trigger not in SUPPORTED:
            raise SnapshotRejected(
                f"{where_fr} : type non pris en charge (ADT A01, A02, A03, A08, A21, A28, A31, Z99… "
                "attendus).",
                f"{where_en}: unsupported type (ADT A01, A02, A03, A08, A21, A28, A31, Z99… expected).",
            )
        sent = _time(hl7_read.value(msh, 7))
        if sent is not None and (latest is None or sent > latest):
            latest = sent
        patient = _patient(msg, pid, ids, where_fr, where_en)
        patients[patient.ipp] = patient
        if trigger in IDENTITY_ONLY:
            continue
        census = True
        zbe = hl7_read.segment(msg, "ZBE")
        if trigger in UPDATING and not _updates_current_movement(zbe):
            continue  # a past movement corrected: the patient is where the later messages put them
        pv1 = hl7_read.segment(msg, "PV1")
        nda, nda_authority = _nda(pid, pv1, ids, where_fr, where_en)
        if trigger in CLOSING:
            stays.pop(nda, None)
            continue
        admitted = _time(hl7_read.value(pv1, 44))
        if admitted is None:
            previous = stays.get(nda)
            if previous is None:
                raise SnapshotRejected(
                    f"{where_fr} : date d'entrée manquante (PV1-44).",
                    f"{where_en}: admission time missing (PV1-44).",
                )
            admitted = previous.admitted_at
        # PV1-3 (PL) is the lodging UF^room^bed; without it, ZBE-8 (care UF) or ZBE-7 (medical
        # responsibility UF), whose code is the XON's tenth component (PAM FR).
        uf = (
            hl7_read.value(pv1, 3, 1, 1, 1) or hl7_read.value(zbe, 8, 1, 10) or hl7_read.value(zbe, 7, 1, 10)
        ).upper()
        if not uf:
            raise SnapshotRejected(
                f"{where_fr} : UF manquante (PV1-3, ZBE-8 ou ZBE-7).",
                f"{where_en}: UF missing (PV1-3, ZBE-8 or ZBE-7).",
            )
        stays[nda] = SnapshotStay(
            nda=nda,
            ipp=patient.ipp,
            uf_code=uf,
            bed_code=hl7_read.value(pv1, 3, 1, 3, 1).upper() or None,
            admitted_at=admitted,
            nda_authority=nda_authority,
        )
    when = taken_at or latest
    if when is None:
        raise SnapshotRejected(
            "Date de l'instantané absente (FHS-7, BHS-7 ou MSH-7).",
            "Snapshot time missing (FHS-7, BHS-7 or MSH-7).",
        )
    return Snapshot(
        format=SnapshotFormat.HL7,
        taken_at=when,
        patients=list(patients.values()),
        stays=list(stays.values()),
        census=census,
    )


def _updates_current_movement(zbe: Any) -> bool:
    """A Z99 changes the census only when it updates the current movement (ZBE-5 not ``Y``)
    of a stay still open (ZBE-6, the updated movement's trigger, not a discharge)."""
    historic = hl7_read.value(zbe, 5).upper() == "Y"
    return not historic and hl7_read.value(zbe, 6).upper() not in CLOSING


@dataclass(frozen=True)
class _Cx:
    """One CX repetition: the identifier, its assigning authority (HD: namespace&OID&ISO), its type."""

    value: str
    namespace: str
    oid: str
    kind: str

    @property
    def authority(self) -> str | None:
        return self.oid or self.namespace or None


def _identifiers(segment: Any, field: int) -> list[_Cx]:
    return [
        _Cx(
            value=hl7_read.value(segment, field, rep, 1),
            namespace=hl7_read.value(segment, field, rep, 4, 1),
            oid=hl7_read.value(segment, field, rep, 4, 2),
            kind=hl7_read.value(segment, field, rep, 5).upper(),
        )
        for rep in range(1, hl7_read.reps(segment, field) + 1)
    ]


def _in_domain(cx: _Cx, oid: str | None, namespace: str | None) -> bool:
    """Whether ``cx`` was issued in the declared domain: by OID when both sides give one (an
    HD naming our namespace with another OID is another domain), else by namespace."""
    if oid and cx.oid:
        return cx.oid == oid
    if namespace and cx.namespace:
        return cx.namespace.casefold() == namespace.casefold()
    return False


def _kits(cx: _Cx, provisional_oid: str | None) -> bool:
    """An identifier of the kit's own provisional domain (its namespace, or its declared OID)."""
    return cx.namespace.upper().startswith(KIT_NAMESPACE) or bool(
        provisional_oid and cx.oid == provisional_oid
    )


def _is_ins(cx: _Cx) -> bool:
    if cx.kind in INS_TYPES:
        return not cx.oid or cx.oid in INS_OIDS
    return not cx.kind and cx.oid in INS_OIDS


def _ipp(pid: Any, ids: HisIdentifiers, where_fr: str, where_en: str) -> _Cx:
    """The IPP of the establishment's domain: PID-3 type PI, never the kit's own nor another domain's."""
    issued = [
        cx
        for cx in _identifiers(pid, 3)
        if cx.kind == "PI" and cx.value and not _kits(cx, ids.provisional_ipp_oid)
    ]
    if ids.ipp_oid or ids.authority:
        ours = [cx for cx in issued if _in_domain(cx, ids.ipp_oid, ids.authority)]
        if not ours and all(cx.authority is None for cx in issued):
            ours = issued  # a sender naming no authority at all: its identifiers are its own
        if not ours and issued:
            raise SnapshotRejected(
                f"{where_fr} : IPP du domaine de l'établissement absent (PID-3 : identifiant de type PI "
                "d'un autre domaine seulement).",
                f"{where_en}: IPP of the establishment's domain missing (PID-3: identifiers of type PI "
                "of another domain only).",
            )
        issued = ours
    elif len({(cx.namespace.casefold(), cx.oid) for cx in issued}) > 1:
        raise SnapshotRejected(
            f"{where_fr} : IPP de plusieurs domaines (PID-3) : déclarez celui de l'établissement "
            "([his] authority ou ipp_oid).",
            f"{where_en}: IPPs of several domains (PID-3): declare the establishment's one "
            "([his] authority or ipp_oid).",
        )
    if not issued:
        raise SnapshotRejected(
            f"{where_fr} : IPP du SIH manquant (PID-3, type PI).",
            f"{where_en}: HIS IPP missing (PID-3, type PI).",
        )
    return issued[0]


def _nda(pid: Any, pv1: Any, ids: HisIdentifiers, where_fr: str, where_en: str) -> tuple[str, str | None]:
    """The NDA of the establishment's domain: PID-18 or PV1-19, the one typed AN first."""
    found = [
        cx
        for cx in _identifiers(pid, 18) + _identifiers(pv1, 19)
        if cx.value and not _kits(cx, ids.provisional_nda_oid)
    ]
    declared = bool(ids.nda_oid or ids.authority)
    if declared and not all(cx.authority is None for cx in found):  # (none named: the sender's)
        found = [cx for cx in found if _in_domain(cx, ids.nda_oid, ids.authority)]
    if not found:
        if declared:
            raise SnapshotRejected(
                f"{where_fr} : NDA du domaine de l'établissement absent (PID-18, PV1-19).",
                f"{where_en}: NDA of the establishment's domain missing (PID-18, PV1-19).",
            )
        raise SnapshotRejected(
            f"{where_fr} : NDA manquant (PID-18, PV1-19).", f"{where_en}: NDA missing (PID-18, PV1-19)."
        )
    cx = next((c for c in found if c.kind == "AN"), found[0])
    return cx.value, cx.authority


def _first_names(given: str, listed: str) -> list[str]:
    """PAM FR 2.11: XPN-2 the first birth first name, XPN-3 the list of all of them (the INS
    traits); older senders put only the second and further ones in XPN-3."""
    names = [f for f in re.split(r"[\s,]+", listed) if f]
    if names and given and names[0].casefold() == given.casefold():
        return names
    return [f for f in [given, *names] if f]


def _birth_place(msg: hl7.Message, pid: Any) -> tuple[str | None, str | None]:
    """(INSEE code, town): the BDL address of PID-11 (town in XAD-3, INSEE code in XAD-9), else
    PID-23, the town of birth (an INSEE code there, as older senders wrote it, is read as one)."""
    code = town = ""
    for rep in range(1, hl7_read.reps(pid, 11) + 1):
        if hl7_read.value(pid, 11, rep, 7).upper() == "BDL":
            code = hl7_read.value(pid, 11, rep, 9)
            town = hl7_read.unescape(msg, hl7_read.value(pid, 11, rep, 3))
            break
    place = hl7_read.unescape(msg, hl7_read.value(pid, 23))
    if not code and INSEE_CODE.fullmatch(place):
        code = place
    elif not town and not INSEE_CODE.fullmatch(place):
        town = place
    return code or None, town or None


def _status(pid: Any) -> dict[str, Any]:
    """PID-32: the status, and the RNIV attributes (a doubtful or fictitious identity is
    provisional whatever else it says; both at once is not an identity: doubtful wins)."""
    codes = [hl7_read.value(pid, 32, rep).upper() for rep in range(1, hl7_read.reps(pid, 32) + 1)]
    if any(code in PROVISIONAL_ATTRIBUTES for code in codes):
        doubtful = any(code in ("DOUT", "DOUTE") for code in codes)
        return {"status": "provisoire", "doubtful": doubtful, "fictitious": not doubtful}
    return {"status": next((RELIABILITY[code] for code in codes if code in RELIABILITY), "provisoire")}


def _zfd(msg: hl7.Message) -> dict[str, Any]:
    """ZFD (PAM FR 2.11, Complément démographique): ZFD-5 identity collection mode, ZFD-6 INSi
    query date, ZFD-7 identity document type. An unknown code or a malformed date is left out."""
    zfd = hl7_read.segment(msg, "ZFD")
    traits: dict[str, Any] = {}
    mode, document = hl7_read.value(zfd, 5).upper(), hl7_read.value(zfd, 7).upper()
    if mode in COLLECTION_MODES:
        traits["collection_mode"] = mode
    if document in DOCUMENTS:
        traits["document_type"] = document
    queried = hl7_read.value(zfd, 6)
    if re.fullmatch(r"\d{8}", queried[:8]) and _DTM.fullmatch(queried):
        with contextlib.suppress(ValueError):  # 20261332: no such day
            traits["insi_queried_on"] = datetime.strptime(queried[:8], "%Y%m%d").date()
    return traits


def _patient(
    msg: hl7.Message, pid: Any, ids: HisIdentifiers, where_fr: str, where_en: str
) -> SnapshotPatient:
    ipp = _ipp(pid, ids, where_fr, where_en)
    ins_cx = next((cx for cx in _identifiers(pid, 3) if cx.value and _is_ins(cx)), None)
    ins = ins_cx.value if ins_cx else ""
    legal = used = None
    for rep in range(1, hl7_read.reps(pid, 5) + 1):
        kind = hl7_read.value(pid, 5, rep, 7).upper()
        if kind == "L" or (legal is None and kind != "D"):
            legal = rep
        elif kind == "D":
            used = rep
    if legal is None:
        raise SnapshotRejected(
            f"{where_fr} : nom de naissance manquant (PID-5).", f"{where_en}: birth name missing (PID-5)."
        )
    born = hl7_read.value(pid, 7)[:8]
    if not re.fullmatch(r"\d{8}", born):
        raise SnapshotRejected(
            f"{where_fr} : date de naissance invalide (PID-7).", f"{where_en}: invalid birth date (PID-7)."
        )
    birth = datetime.strptime(born, "%Y%m%d").date()

    def name(rep: int, comp: int) -> str:
        return hl7_read.unescape(msg, hl7_read.value(pid, 5, rep, comp, 1 if comp == 1 else None))

    insee, town = _birth_place(msg, pid)
    data: dict[str, Any] = {
        "birth_name": name(legal, 1),
        "first_names": _first_names(name(legal, 2), name(legal, 3)),
        "used_name": (name(used, 1) or None) if used else None,
        "used_first_name": (name(used, 2) or None) if used else None,
        "birth_date": birth,
        "sex": {"F": "F", "M": "M"}.get(hl7_read.value(pid, 8).upper(), "I"),  # U, A, O, N: I
        "ins": ins or None,  # the Identity model keeps it as unverified unless qualified
        "ins_oid": oids.test_arc(ins_cx.oid if ins_cx else None),
        "birth_place_insee": insee,
        **_status(pid),
        **_zfd(msg),
    }
    if town:
        data["birth_place_name"] = town
    return SnapshotPatient(
        ipp=ipp.value, ipp_authority=ipp.authority, identity=identity(data, where_fr, where_en)
    )
