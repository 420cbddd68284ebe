"""HL7 v2 ADT snapshot: a batch (FHS/BHS ... BTS/FTS, or bare messages) per IHE PAM FR.

Per patient, A28/A31 (and the PID of every message) give the identity; A01/A04
open a stay, A02/A08/A12/A13 (re)place it, A03/A11 close it: the stays still
open at the end of the file are the census. Messages are read with python-hl7.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import hl7

from continuity.domain.snapshot import HisIdentifiers, Snapshot, SnapshotFormat, SnapshotPatient, SnapshotStay
from sync import hl7_read
from sync.snapshots.common import SnapshotRejected, aware, identity

OPENING = {"A01", "A04", "A05"}
PLACING = {"A02", "A08", "A12", "A13", "A06", "A07"}
CLOSING = {"A03", "A11"}
IDENTITY_ONLY = {"A28", "A31"}
SUPPORTED = OPENING | PLACING | CLOSING | IDENTITY_ONLY
RELIABILITY = {
    "PROV": "provisoire",
    "VIDE": "provisoire",
    "DOUTE": "provisoire",
    "FICTI": "provisoire",
    "RECUP": "recuperee",
    "VALI": "validee",
    "QUAL": "qualifiee",
}
INS_OIDS = ("1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11")
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
                f"{where_fr} : type non pris en charge (ADT A01, A02, A03, A08, A28, A31… attendus).",
                f"{where_en}: unsupported type (ADT A01, A02, A03, A08, A28, A31… expected).",
            )
        sent = _time(hl7_read.value(msh, 7))
        if sent is not None and (latest is None or sent > latest):
            latest = sent
        patient = _patient(pid, ids, where_fr, where_en)
        patients[patient.ipp] = patient
        if trigger in IDENTITY_ONLY:
            continue
        census = True
        pv1 = hl7_read.segment(msg, "PV1")
        nda = hl7_read.value(pv1, 19) if pv1 is not None else ""
        if not nda:
            raise SnapshotRejected(
                f"{where_fr} : NDA manquant (PV1-19).", f"{where_en}: NDA missing (PV1-19)."
            )
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
        uf = hl7_read.value(pv1, 3).upper()
        if not uf:
            raise SnapshotRejected(f"{where_fr} : UF manquante (PV1-3).", f"{where_en}: UF missing (PV1-3).")
        stays[nda] = SnapshotStay(
            nda=nda,
            ipp=patient.ipp,
            uf_code=uf,
            bed_code=hl7_read.value(pv1, 3, 1, 3).upper() or None,
            admitted_at=admitted,
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


def _patient(pid: Any, ids: HisIdentifiers, where_fr: str, where_en: str) -> SnapshotPatient:
    ipp = ins = ""
    for rep in range(1, hl7_read.reps(pid, 3) + 1):
        value, kind = hl7_read.value(pid, 3, rep, 1), hl7_read.value(pid, 3, rep, 5).upper()
        authority = hl7_read.value(pid, 3, rep, 4)
        if kind == "INS" or any(oid in authority for oid in INS_OIDS):
            ins = ins or value
        elif (
            kind == "PI"
            and not authority.startswith("CONTINUITE")
            and (not ipp or (ids.authority and ids.authority in authority))
        ):
            ipp = value
    if not ipp:
        raise SnapshotRejected(
            f"{where_fr} : IPP du SIH manquant (PID-3, type PI).",
            f"{where_en}: HIS IPP missing (PID-3, type PI).",
        )
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
    first_names = [hl7_read.value(pid, 5, legal, 2), *re.split(r"[\s,]+", hl7_read.value(pid, 5, legal, 3))]
    place = hl7_read.value(pid, 23)
    data: dict[str, Any] = {
        "birth_name": hl7_read.value(pid, 5, legal, 1),
        "first_names": [f for f in first_names if f],
        "used_name": hl7_read.value(pid, 5, used, 1) or None if used else None,
        "used_first_name": hl7_read.value(pid, 5, used, 2) or None if used else None,
        "birth_date": birth,
        "sex": {"F": "F", "M": "M"}.get(hl7_read.value(pid, 8).upper(), "I"),
        "ins": ins or None,
        "birth_place_insee": place if re.fullmatch(r"\w{5}", place) else None,
        "status": RELIABILITY.get(hl7_read.value(pid, 32).upper(), "provisoire"),
    }
    return SnapshotPatient(ipp=ipp, identity=identity(data, where_fr, where_en))
