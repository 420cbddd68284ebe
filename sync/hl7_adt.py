"""HL7 v2.5 ADT messages per IHE PAM with its French national extension, and their ACKs.

Messages are python-hl7 containers serialised by the library. Field values
are escaped here rather than with ``hl7.Message.escape``, which turns every
non-ASCII letter into a ``\\Xhh\\`` sequence: that garbles É in a UTF-8 message
and cannot carry Œ at all. Messages go out in UTF-8 (MSH-18 "UNICODE UTF-8").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

import hl7
from pydantic import BaseModel, ConfigDict

from continuity import oids
from continuity.domain.delivery import EventContext, SiteInfo, control_id
from continuity.domain.identity import Identity, IdentityStatus, Sex
from continuity.domain.movement import Movement, MovementKind, StayView, effective_movements
from continuity.domain.records import Source, StayRecord
from continuity.errors import InvalidInput
from continuity.text import strip_controls
from sync import hl7_read

ENCODING = "utf-8"
SEPARATORS = "\r|~^&"
# PID-3 assigning authority of the INS by its type (PAM FR: CX-5 "INS" for each); the test
# and demonstration arcs are an HIS's pre-production's, sent back under the arc they came with.
INS_AUTHORITIES = {kind: ("ASIP-SANTE-" + kind, oid, "ISO") for kind, oid in oids.INS_OID_OF_TYPE.items()}

# outbox event kind -> (trigger event, message structure)
TRIGGERS: dict[str, tuple[str, str]] = {
    "admission": ("A01", "ADT_A01"),
    "transfer": ("A02", "ADT_A02"),
    "discharge": ("A03", "ADT_A03"),
    "leave": ("A21", "ADT_A21"),
    "return": ("A22", "ADT_A21"),
    "cancel_admission": ("A11", "ADT_A09"),
    "cancel_transfer": ("A12", "ADT_A12"),
    "cancel_discharge": ("A13", "ADT_A01"),
    "cancel_leave": ("A52", "ADT_A52"),
    "cancel_return": ("A53", "ADT_A52"),
    # PAM FR 2.11 section 5.3.2: a movement corrected (current or historic), ZBE-4 UPDATE;
    # structure ADT_A01 (IHE Gazelle's PAM profiles: ADT^Z99^ADT_A01).
    "movement_update": ("Z99", "ADT_A01"),
    # Two identities the HIS knows merged by the kit's identity-vigilance cell (PAM FR ITI-30
    # "fusion de deux patients"): PID the kept patient, MRG-1 the IPP of the one merged into it.
    "identity_merge": ("A40", "ADT_A39"),
}
UPDATE_IN_STAY = ("A08", "ADT_A01")
UPDATE_IDENTITY = ("A31", "ADT_A05")
ORIGINAL_TRIGGER = {
    MovementKind.ADMISSION: "A01",
    MovementKind.TRANSFER: "A02",
    MovementKind.DISCHARGE: "A03",
    MovementKind.LEAVE: "A21",
    MovementKind.RETURN: "A22",
}
# PID-32, French extension: reliability of the identity.
RELIABILITY = {
    IdentityStatus.PROVISOIRE: "PROV",
    IdentityStatus.RECUPEREE: "RECUP",
    IdentityStatus.VALIDEE: "VALI",
    IdentityStatus.QUALIFIEE: "QUAL",
}
SEX = {Sex.F: "F", Sex.M: "M", Sex.I: "U"}

Component = str | tuple[str, ...]
Repetition = tuple[Component, ...]
FieldValue = str | Repetition | list[Repetition] | None


_DELIMITERS = re.compile(r"[\\|^&~]")


def escape(text: str) -> str:
    """HL7 escape sequences for the delimiters (v2.5 section 2.7.4); the escape character first."""
    if text.isascii() and text.isprintable() and not _DELIMITERS.search(text):
        return text  # most values: nothing to escape or remove
    out = text.replace("\\", "\\E\\").replace("|", "\\F\\").replace("^", "\\S\\")
    out = out.replace("&", "\\T\\").replace("~", "\\R\\")
    out = out.replace("\r", " ").replace("\n", " ")
    # No control character ever reaches the MLLP frame (0x0B and 0x1C delimit it); what the
    # kit accepts holds none (continuity.text), this guards a value stored by an earlier version.
    return strip_controls(out)


def trigger_of(ctx: EventContext) -> tuple[str, str]:
    if ctx.event.kind == "identity_update":
        return UPDATE_IN_STAY if ctx.stay is not None else UPDATE_IDENTITY
    try:
        return TRIGGERS[ctx.event.kind]
    except KeyError:
        raise ValueError(f"no HL7 trigger for outbox kind {ctx.event.kind!r}") from None


def hl7_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y%m%d%H%M%S%z")


def hl7_date(day: date) -> str:
    return day.strftime("%Y%m%d")


# ------------------------------------------------------------------ containers
def _message(segments: Sequence[Sequence[FieldValue]]) -> hl7.Message:
    msg = hl7.Message(separator=SEPARATORS[0], sequence=[], separators=SEPARATORS)
    for i, fields in enumerate(segments):
        name = str(fields[0])
        if i == 0:  # MSH-1 and MSH-2 are the separators themselves, never escaped
            items: list[hl7.Field | str] = [
                msg.create_field([name]),
                msg.create_field([SEPARATORS[1]]),
                msg.create_field(["^~\\&"]),
            ]
            items += [_field(msg, v) for v in fields[1:]]
        else:
            items = [msg.create_field([name])] + [_field(msg, v) for v in fields[1:]]
        msg.append(msg.create_segment(items))
    return msg


def _field(msg: hl7.Message, value: FieldValue) -> hl7.Field | str:
    # A simple value stays a plain string leaf, as python-hl7's own parser leaves it.
    if value is None:
        return ""
    if isinstance(value, str):
        return escape(value)
    repetitions = value if isinstance(value, list) else [value]
    return msg.create_field([_repetition(msg, r) for r in repetitions])


def _repetition(msg: hl7.Message, components: Repetition) -> hl7.Repetition:
    parts: list[object] = []
    for c in components:
        if isinstance(c, tuple):
            parts.append(msg.create_component([escape(s) for s in c]))
        else:
            parts.append(escape(c))
    return msg.create_repetition(parts)


def _fields(name: str, values: dict[int, FieldValue]) -> list[FieldValue]:
    """A segment as a list: name, then fields 1..n with the numbered values placed."""
    size = max(values) if values else 0
    return [name, *(values.get(i) for i in range(1, size + 1))]


# -------------------------------------------------------------------- building
def build_message(ctx: EventContext, site: SiteInfo, now: datetime) -> str:
    """The ER7 text of the ADT message for one outbox event."""
    trigger, structure = trigger_of(ctx)
    if trigger == "A40":
        return str(
            _message(
                [
                    _msh(site, trigger, structure, ctx.control_id, now),
                    _fields("EVN", {2: hl7_time(ctx.event.created_at), 6: hl7_time(ctx.at)}),
                    _pid(ctx, site),
                    _mrg(ctx, site),
                ]
            )
        )
    segments = [
        _msh(site, trigger, structure, ctx.control_id, now),
        _fields("EVN", {2: hl7_time(ctx.event.created_at), 6: hl7_time(ctx.at)}),
        _pid(ctx, site),
        _pv1(ctx, site, trigger),
    ]
    if ctx.movement is not None:
        segments.append(_zbe(ctx, site))
    zfd = _zfd(ctx.patient.identity)
    if zfd is not None:
        segments.append(zfd)
    return str(_message(segments))


def _msh(site: SiteInfo, trigger: str, structure: str, control: str, now: datetime) -> list[FieldValue]:
    # MSH-3.. numbered from MSH-3 since MSH-1/2 are added by _message.
    values: dict[int, FieldValue] = {
        3: ("CONTINUITE",),
        4: (site.finess or site.workstation,),  # the establishment, by its FINESS once declared
        5: (site.his_authority,),
        6: (site.finess or site.site_code,),
        7: hl7_time(now),
        9: ("ADT", trigger, structure),
        10: control,
        11: "T" if site.exercise else "P",
        12: ("2.5", "FRA", site.pam_fr_version),  # VID: IHE PAM national extension France
        # HL7 v2.5 section 2.9: both empty = original mode (the HIS answers AA/AE/AR); enhanced
        # mode (site setting) asks for the commit ACK (CA) and the application ACK, always.
        15: "AL" if site.ack_mode == "enhanced" else None,
        16: "AL" if site.ack_mode == "enhanced" else None,
        17: "FRA",
        18: "UNICODE UTF-8",
        19: ("FR",),
    }
    return ["MSH", *(values.get(i) for i in range(3, 20))]


def _hd(namespace: str, oid: str | None) -> tuple[str, ...]:
    """HD (assigning authority): ``namespace&OID&ISO``, or the namespace alone without an OID."""
    return (namespace, oid, "ISO") if oid else (namespace,)


def _nda(stay: StayRecord, site: SiteInfo) -> Repetition:
    """CX of the stay's NDA, type AN: the HIS's NDA once known, else the provisional one."""
    if stay.nda:
        return (stay.nda, "", "", _hd(site.his_authority, site.nda_oid), "AN")
    return (stay.provisional_nda, "", "", _hd(site.authority, site.provisional_nda_oid), "AN")


def _pid(ctx: EventContext, site: SiteInfo) -> list[FieldValue]:
    p = ctx.patient
    ids: list[Repetition] = []
    if p.source is Source.KIT:  # a patient from an HIS snapshot has only the HIS's IPP
        ids.append((p.provisional_ipp, "", "", _hd(site.authority, site.provisional_ipp_oid), "PI"))
    if p.ipp:
        ids.append((p.ipp, "", "", _hd(site.his_authority, site.ipp_oid), "PI"))
    identity = p.identity
    if identity.ins and identity.ins_type:  # set only for a qualified identity (never ins_unverified)
        ids.append((identity.ins, "", "", INS_AUTHORITIES[identity.ins_type], "INS"))
    return _fields(
        "PID",
        {
            3: ids,
            5: _names(identity),
            7: hl7_date(identity.birth_date),
            8: SEX[identity.sex],
            11: _birth_place(identity),
            18: _nda(ctx.stay, site) if ctx.stay is not None else None,
            23: identity.birth_place_name,  # the town's name; its INSEE code is in PID-11
            32: _reliability(identity),
        },
    )


def _reliability(identity: Identity) -> FieldValue:
    """PID-32: the status, then the RNIV attributes (table 0445: DOUT douteuse, FICT fictive)."""
    codes = [RELIABILITY[identity.status]]
    codes += ["DOUT"] * identity.doubtful + ["FICT"] * identity.fictitious
    return codes[0] if len(codes) == 1 else [(code,) for code in codes]


def _mrg(ctx: EventContext, site: SiteInfo) -> list[FieldValue]:
    """MRG of an A40: MRG-1 the identity merged as the HIS knows it (as it was at the merge): its
    HIS IPP, or, when it never got one, its provisional IPP in the kit's domain."""
    payload = ctx.event.payload
    if payload.get("merged_ipp"):
        mrg: Repetition = (str(payload["merged_ipp"]), "", "", _hd(site.his_authority, site.ipp_oid), "PI")
    else:
        provisional = str(payload["merged_provisional_ipp"])
        mrg = (provisional, "", "", _hd(site.authority, site.provisional_ipp_oid), "PI")
    return _fields("MRG", {1: [mrg]})


def _birth_place(identity: Identity) -> list[Repetition] | None:
    """PID-11 repetition of type BDL (birth delivery location): the town in XAD-3, its INSEE
    code in XAD-9."""
    if not identity.birth_place_insee and not identity.birth_place_name:
        return None
    town, code = identity.birth_place_name or "", identity.birth_place_insee or ""
    return [("", "", town, "", "", "", "BDL", "", code)]


def _zfd(identity: Identity) -> list[FieldValue] | None:
    """ZFD (PAM FR, identity complements), when one is known: ZFD-5 identity collection mode,
    ZFD-6 date of the INSi query, ZFD-7 the identity document checked."""
    values: dict[int, FieldValue] = {
        5: identity.collection_mode.value if identity.collection_mode else None,
        6: hl7_date(identity.insi_queried_on) if identity.insi_queried_on else None,
        7: identity.document_type.value if identity.document_type else None,
    }
    if not any(values.values()):
        return None
    return _fields("ZFD", values)


def _names(identity: Identity) -> list[Repetition]:
    """PID-5: the birth name (L) with the first birth first name in component 2 and the list of
    the birth first names, separated by spaces, in component 3; the used name (D)."""
    first = identity.first_names[0]
    names: list[Repetition] = [(identity.birth_name, first, " ".join(identity.first_names), "", "", "", "L")]
    if identity.used_name or identity.used_first_name:
        names.append(
            (
                identity.used_name or identity.birth_name,
                identity.used_first_name or first,
                "",
                "",
                "",
                "",
                "D",
            )
        )
    return names


def _location(ctx: EventContext, site: SiteInfo, uf: str | None, bed: str | None) -> Repetition | None:
    """PL: UF^room^bed^facility."""
    if uf is None:
        return None
    return (uf, ctx.room(uf, bed) or "", bed or "", (site.site_code,))


def _pv1(ctx: EventContext, site: SiteInfo, trigger: str) -> list[FieldValue]:
    stay = ctx.stay
    if stay is None:  # A31 outside a stay: PV1 says "not applicable"
        return _fields("PV1", {2: "N"})
    view = ctx.after
    uf, bed = (view.uf_code, view.bed_code) if view else (stay.uf_code, stay.bed_code)
    values: dict[int, FieldValue] = {
        2: "E" if uf in site.emergency_ufs else "I",  # PV1-2: urgences, or hospitalisation
        3: _location(ctx, site, uf, bed),
        19: _nda(stay, site),
    }
    before = ctx.before
    m = ctx.movement
    corrected = ctx.target if trigger == "Z99" else None  # Z99: the period of the movement corrected
    if (trigger == "A02" or (corrected and corrected.kind is MovementKind.TRANSFER)) and before is not None:
        values[6] = _location(ctx, site, before.uf_code, before.bed_code)
    admitted = (view.admitted_at if view else None) or stay.admitted_at
    if admitted is not None:
        values[44] = hl7_time(admitted)
    if corrected is not None and corrected.kind is MovementKind.DISCHARGE:
        m, trigger = corrected, "A03"
    if trigger == "A03" and m is not None:
        values[36] = m.discharge_mode.value if m.discharge_mode else None
        values[37] = (m.destination.value,) if m.destination else None
        values[45] = hl7_time(m.at)
    return _fields("PV1", values)


# ZBE-9, nature of the movement (IHE PAM France table of movement natures).
NATURES = {
    "S": "Changement de responsabilité de soins uniquement",
    "H": "Changement de responsabilité d'hébergement uniquement",
    "M": "Changement de responsabilité médicale uniquement",
    "L": "Changement de lit uniquement",
    "D": "Changement de prise en charge médico-administrative",
    "SM": "Changement de responsabilité soins et médicale",
    "SH": "Changement de responsabilité soins et hébergement",
    "MH": "Changement de responsabilité hébergement et médicale",
    "LD": "Changement de prise en charge médico-administrative et de lit",
    "HMS": "Changement conjoint des trois responsabilités",
}


def nature_of(ctx: EventContext, site: SiteInfo, acted_on: Movement) -> str:
    """The ZBE-9 nature of the movement a message acts on (a cancellation: the cancelled one).

    The kit's UF holds the three responsibilities: an admission, a leave, a return and a
    discharge are HMS; a transfer to another UF moves what the site says its UF stands for
    (``[his] transfer_nature``, HMS by default); a transfer to another bed of the same UF is L.
    """
    if acted_on.kind is MovementKind.TRANSFER:
        before, after = ctx.before, ctx.after  # around the transfer, or around its cancellation
        if before is not None and after is not None and before.uf_code == after.uf_code:
            return "L"
        return site.transfer_nature
    return "HMS"


def _uf(site: SiteInfo, uf: str | None) -> Repetition | None:
    """XON naming a UF: its name (1), ``UF`` as identifier type code (7), its code (10)."""
    if not uf:
        return None
    return (site.uf_names.get(uf, ""), "", "", "", "", "", "UF", "", "", uf)


def _zbe(ctx: EventContext, site: SiteInfo) -> list[FieldValue]:
    """ZBE, the French movement segment: ZBE-1 identifies the movement this message acts on."""
    m = ctx.movement
    assert m is not None
    acted_on: Movement = ctx.target if ctx.target is not None else m
    cancel = m.kind is MovementKind.CANCEL
    update = m.kind is MovementKind.UPDATE  # Z99: acted_on is the movement as corrected
    view: StayView | None = ctx.before if cancel else ctx.after
    uf = view.uf_code if view else acted_on.uf_code
    effective = effective_movements(ctx.movements) if update else []
    historic = bool(effective) and effective[-1].id != acted_on.id  # ZBE-5: before the current one
    nature = nature_of(ctx, site, acted_on)
    return _fields(
        "ZBE",
        {
            1: (acted_on.id, site.authority, site.movement_oid, "ISO")
            if site.movement_oid
            else (acted_on.id, site.authority),
            2: hl7_time(acted_on.at),
            4: "CANCEL" if cancel else "UPDATE" if update else "INSERT",
            5: "Y" if historic else "N",
            6: ORIGINAL_TRIGGER[acted_on.kind] if cancel or update else None,
            7: _uf(site, uf),  # UF of medical responsibility
            8: _uf(site, uf),  # UF of care responsibility
            9: (nature, NATURES[nature]),
        },
    )


# ------------------------------------------------------------------------ ACKs
class AckCode(StrEnum):
    ACCEPT = "AA"
    ERROR = "AE"
    REJECT = "AR"
    COMMIT_ACCEPT = "CA"
    COMMIT_ERROR = "CE"
    COMMIT_REJECT = "CR"


# Original mode: the only answers. Enhanced mode: the HIS's application ACK, a message of its own.
APPLICATION_CODES = frozenset({AckCode.ACCEPT, AckCode.ERROR, AckCode.REJECT})
COMMIT_CODES = frozenset({AckCode.COMMIT_ACCEPT, AckCode.COMMIT_ERROR, AckCode.COMMIT_REJECT})


class Ack(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: AckCode
    control_id: str  # MSA-2: the message it answers
    text: str
    message_control_id: str = ""  # MSH-10 of the ACK itself (what a commit ACK of it answers)
    accept_ack_type: str = ""  # MSH-15 of the ACK: AL/SU ask the kit for a commit ACK of it
    sender: tuple[str, str] = ("", "")  # MSH-3, MSH-4 of the ACK
    trigger: str = ""  # MSH-9.2

    @property
    def is_application(self) -> bool:
        return self.code in APPLICATION_CODES

    @property
    def wants_commit_ack(self) -> bool:
        """An application ACK asking to be committed (HL7 v2.5 2.9.3: its MSH-15 AL or SU, the
        kit accepting it); an ACK in original mode (MSH-15 empty) is never acknowledged."""
        return self.is_application and self.accept_ack_type in ("AL", "SU")


class BadAck(InvalidInput):
    """The HIS's reply is not a usable acknowledgement of the message sent (retried, then the run stops)."""

    @property
    def fr(self) -> str:
        return self.message_fr

    @property
    def en(self) -> str:
        return self.message_en


def parse_reply(raw: bytes, expected_control_id: str) -> Ack:
    """The HIS's MLLP reply (the bytes of one block) as an ACK of the message sent, or ``BadAck``."""
    return parse_ack(raw.decode(ENCODING, errors="replace"), expected_control_id)


def parse_ack(raw: str, expected_control_id: str) -> Ack:
    """Read an HL7 ACK; raise ``BadAck`` unless it answers exactly the message sent."""
    ack = read_ack(raw)
    if ack.control_id != expected_control_id:
        raise BadAck(
            "L'accusé du DPI répond à un autre message (identifiant de contrôle différent).",
            "The HIS acknowledgement answers another message (different control ID).",
        )
    return ack


def read_block(raw: bytes) -> Ack:
    """One MLLP block from the HIS read as an ACK, whichever message it answers."""
    return read_ack(raw.decode(ENCODING, errors="replace"))


def read_ack(raw: str) -> Ack:
    """Read an HL7 ACK (``BadAck`` if it is not one); MSA-2 says which message it answers."""
    text = raw.strip("\x0b\x1c\r\n ")
    if not text.startswith("MSH"):
        raise BadAck(
            "Réponse du DPI illisible (pas un message HL7).", "Unreadable HIS reply (not an HL7 message)."
        )
    try:
        msg = hl7_read.parse(text)
    except hl7_read.Unreadable:
        raise BadAck(
            "Réponse du DPI illisible (pas un message HL7).", "Unreadable HIS reply (not an HL7 message)."
        ) from None
    msh, msa, err = (hl7_read.segment(msg, name) for name in ("MSH", "MSA", "ERR"))
    msg_type = hl7_read.value(msh, 9, 1, 1)
    if msg_type != "ACK":
        raise BadAck(
            f"Le DPI a répondu par un message {msg_type or '?'} au lieu d'un accusé ACK.",
            f"The HIS answered with a {msg_type or '?'} message instead of an ACK.",
        )
    code_text, acked = hl7_read.text(msa, 1).strip(), hl7_read.text(msa, 2).strip()
    if not code_text:
        raise BadAck(
            "Accusé de réception du DPI mal formé (segment MSA manquant ou incomplet).",
            "Malformed HIS acknowledgement (MSA segment missing or incomplete).",
        )
    try:
        code = AckCode(code_text)
    except ValueError:
        raise BadAck(
            f"Code d'accusé inconnu « {code_text[:10]} ».",
            f"Unknown acknowledgement code '{code_text[:10]}'.",
        ) from None
    fields = [
        hl7_read.text(msa, 3),
        hl7_read.text(err, 8),
        hl7_read.text(err, 7),
        hl7_read.value(err, 3, 1, 2),
    ]
    parts = [hl7_read.unescape(msg, f) for f in fields]
    return Ack(
        code=code,
        control_id=acked,
        text=" — ".join(p for p in parts if p.strip())[:2000],
        message_control_id=hl7_read.text(msh, 10).strip()[:20],
        accept_ack_type=hl7_read.text(msh, 15).strip()[:2],
        sender=(hl7_read.value(msh, 3, 1, 1)[:40], hl7_read.value(msh, 4, 1, 1)[:40]),
        trigger=hl7_read.value(msh, 9, 1, 2)[:3],
    )


def commit_ack(ack: Ack, site: SiteInfo, now: datetime) -> str:
    """The kit's commit ACK (CA) of an application ACK the HIS sent in enhanced mode.

    An accept acknowledgement asks for nothing back (MSH-15/16 NE, HL7 v2.5 2.9.3)."""
    control = control_id(f"commit:{ack.message_control_id}")
    values: dict[int, FieldValue] = {
        3: ("CONTINUITE",),
        4: (site.finess or site.workstation,),  # as in its messages (MSH-4)
        5: (ack.sender[0] or site.his_authority,),
        6: (ack.sender[1],) if ack.sender[1] else None,
        7: hl7_time(now),
        9: ("ACK", ack.trigger, "ACK") if ack.trigger else ("ACK", "", "ACK"),
        10: control,
        11: "T" if site.exercise else "P",
        12: ("2.5", "FRA", site.pam_fr_version),
        15: "NE",
        16: "NE",
        17: "FRA",
        18: "UNICODE UTF-8",
    }
    msh: list[FieldValue] = ["MSH", *(values.get(i) for i in range(3, 19))]
    return str(_message([msh, _fields("MSA", {1: AckCode.COMMIT_ACCEPT.value, 2: ack.message_control_id})]))
