"""Site description: functional units (UF) with rooms and beds, workstations, services."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from continuity import oids, signing
from continuity.domain.exchange import MIB, FileLimits
from continuity.domain.placeholder import NATO_WORDS
from continuity.domain.transport import DEFAULT_LISTEN, Address, SyncthingPeer
from continuity.errors import InvalidInput
from continuity.his_ids import check_pattern, kits_own_name
from continuity.ids import MAX_NUMBER, MIN_NUMBER
from continuity.names import clean_name, is_valid_name, search_key
from continuity.text import no_control
from continuity.validation import custom


def _code(value: str) -> str:
    text = value.strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9\-]{0,19}", text):
        raise custom("code.format")
    return text


Code = Annotated[str, AfterValidator(_code)]
Label = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(no_control)]


class Room(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Code
    beds: Annotated[list[Code], Field(min_length=1)]


class Ward(BaseModel):
    """A functional unit (UF) where patients stay."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Code
    name: Label
    rooms: list[Room] = []

    def bed_codes(self) -> list[str]:
        return [b for r in self.rooms for b in r.beds]


def _signing_key(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        fingerprint, public = signing.parse_declared(value)
    except InvalidInput:
        raise custom("signing_key.format") from None
    return signing.public_key_text(public) if public is not None else fingerprint


class WorkstationSpec(BaseModel):
    """A workstation and the block of provisional numbers reserved for it alone.

    ``signing_key``: its public signing key (base64) or the fingerprint of it, as
    ``continuity exchange key show`` prints it there; the other workstations provisioned
    from this file accept its bundles signed by that key only (``continuity.signing``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Code
    name: Label
    block: tuple[int, int]
    signing_key: Annotated[str | None, AfterValidator(_signing_key)] = None

    @model_validator(mode="after")
    def _block(self) -> Self:
        start, end = self.block
        if start > end:
            raise custom("block.order")
        if start < MIN_NUMBER or end > MAX_NUMBER:
            raise custom("block.range")
        return self


class ServiceSpec(BaseModel):
    """Something whose degraded-mode status the crisis cell follows (a UF, the lab, the DPI...)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Code
    name: Label


def _endpoint(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not re.match(r"(mllps?://[^:/\s]+:\d+|fhir\+https?://\S+|file:\S+)$", text):
        raise custom("endpoint.format")
    return text


Endpoint = Annotated[str | None, AfterValidator(_endpoint)]


def _pattern(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return check_pattern(value.strip())
    except ValueError:
        raise custom("his_id.pattern") from None


def _setting(value: str | None) -> str | None:
    return None if value is None else no_control(value)


def _oid(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not oids.is_oid(text):
        raise custom("oid.format")
    return text


def _finess(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip().upper()
    if not oids.is_finess(text):
        raise custom("finess.format")
    return text


Pattern = Annotated[str | None, AfterValidator(_pattern)]
Oid = Annotated[str | None, AfterValidator(_oid)]
Finess = Annotated[str | None, AfterValidator(_finess)]
Setting = Annotated[str | None, Field(max_length=200), AfterValidator(_setting)]


TransferNature = Literal["HMS", "M", "H", "S", "SM", "SH", "MH"]
TRANSFER_NATURES: tuple[str, ...] = ("HMS", "M", "H", "S", "SM", "SH", "MH")


class HisSettings(BaseModel):
    """The HIS to hand back to, and how it names its identifiers.

    ``ipp_pattern`` and ``nda_pattern``: the regular expression every IPP and NDA of the
    HIS matches whole (``continuity.his_ids``; by default digits and capitals, 1 to 20).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    endpoint: Endpoint = None
    exercise_endpoint: Endpoint = None
    authority: Setting = None  # HL7 assigning authority of its IPP/NDA
    ipp_system: Setting = None  # FHIR identifier systems
    nda_system: Setting = None
    ipp_pattern: Pattern = None
    nda_pattern: Pattern = None
    pam_fr_version: Literal["2.10", "2.11"] = "2.11"  # IHE PAM France version of the HIS's interface
    # HL7 acknowledgement mode (sync/hl7_adt.py): original (MSH-15/16 empty, the HIS answers
    # AA/AE/AR) or enhanced (MSH-15/16 AL/AL: a commit ACK CA, then the application ACK)
    ack_mode: Literal["original", "enhanced"] = "original"
    # ZBE-9 nature of a change of UF: which of the HIS's responsibilities (H lodging, M medical,
    # S care) the kit's UF stands for; HMS when it holds all three (PAM FR leaves it to the site).
    transfer_nature: TransferNature = "HMS"
    emergency_ufs: tuple[Code, ...] = ()  # UFs whose stays are emergencies (PV1-2 E instead of I)
    # The establishment's FINESS and the OIDs of its identifier domains (PAM FR HD, FR Core systems):
    # the HIS's IPP, NDA and movement ids, and the kit's own provisional IPP and NDA.
    finess: Finess = None
    ipp_oid: Oid = None
    nda_oid: Oid = None
    movement_oid: Oid = None
    provisional_ipp_oid: Oid = None
    provisional_nda_oid: Oid = None

    @model_validator(mode="after")
    def _one_oid_one_domain(self) -> Self:
        if kits_own_name(authority=self.authority):
            raise custom("his.kits_own", name="authority")
        for name in ("ipp_system", "nda_system"):
            if kits_own_name(system=getattr(self, name)):
                raise custom("his.kits_own", name=name)
        clash = oids.domain_clash({name: getattr(self, name) for name in OID_FIELDS})
        if clash is not None:
            name, other = clash
            if other is None:
                raise custom("oid.ins", name=name)
            raise custom("oid.same_domain", first=name, second=other)
        return self


OID_FIELDS = ("ipp_oid", "nda_oid", "movement_oid", "provisional_ipp_oid", "provisional_nda_oid")
PLACEHOLDER_NAME_MAX = 30
PLACEHOLDER_WORD_MAX = 12


def _placeholder_name(value: str) -> str:
    text = clean_name(value)
    if not any(c.isalpha() for c in text):
        raise custom("name.empty")
    if not is_valid_name(text):
        raise custom("name.chars")
    if len(text) > PLACEHOLDER_NAME_MAX:
        raise custom("string_too_long", max_length=PLACEHOLDER_NAME_MAX)
    return text


def _placeholder_word(value: str) -> str:
    text = clean_name(value)
    if not re.fullmatch(rf"[^\W\d_]{{1,{PLACEHOLDER_WORD_MAX}}}", text):
        raise custom("placeholder.word", max_length=PLACEHOLDER_WORD_MAX)
    return text


def _placeholder_words(words: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for word in words:
        key = search_key(word)  # ECHO and ÉCHO would be said the same
        if key in seen:
            raise custom("placeholder.duplicate", word=key)
        seen.add(key)
    return words


PlaceholderWord = Annotated[str, AfterValidator(_placeholder_word)]


class SiteSettings(BaseModel):
    """Workstation policy set by IT for the site.

    ``placeholder_name`` and ``placeholder_words``: the rule naming unknown patients
    (``continuity.domain.placeholder``): ``INCONNU ALPHA UN``, ``INCONNU ALPHA DEUX``
    on the workstation of the lowest block, ``INCONNU BRAVO UN`` on the next one...
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    idle_lock_minutes: Annotated[int, Field(ge=1, le=60)] = 5
    snapshot_max_age_hours: Annotated[float, Field(gt=0, le=168)] = 6
    exercise: bool = False
    # how long after a movement the ward may undo it (Ctrl+Z); later, the crisis cell only
    undo_hours: Annotated[float, Field(gt=0, le=168)] = 24
    # the largest watched files read (continuity.domain.exchange.FileLimits), in MiB
    bundle_max_mb: Annotated[float, Field(gt=0, le=4096)] = FileLimits().bundle_bytes / MIB
    bundle_max_inflated_mb: Annotated[float, Field(gt=0, le=16384)] = FileLimits().bundle_inflated_bytes / MIB
    snapshot_max_mb: Annotated[float, Field(gt=0, le=16384)] = FileLimits().snapshot_bytes / MIB
    placeholder_name: Annotated[str, AfterValidator(_placeholder_name)] = "INCONNU"
    placeholder_words: Annotated[
        tuple[PlaceholderWord, ...], Field(min_length=1, max_length=100), AfterValidator(_placeholder_words)
    ] = NATO_WORDS


class FolderSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    inbox: str = ""
    exchange: str = ""


class ExchangeSettings(BaseModel):
    """How the exchange folder travels: by hand (USB, the default) or by Syncthing.

    ``listen``: where each workstation's Syncthing listens on the crisis network (its
    address there, or ``tcp://0.0.0.0:22000``); ``peers``: the workstations' devices, each
    with its static address (no discovery, no relay: only these are ever contacted).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    syncthing: bool = False
    listen: Address = DEFAULT_LISTEN
    peers: list[SyncthingPeer] = []

    @model_validator(mode="after")
    def _unique_devices(self) -> Self:
        seen: set[str] = set()
        for peer in self.peers:
            if peer.device_id in seen:
                raise custom("syncthing.duplicate_device", device=peer.device_id)
            seen.add(peer.device_id)
        return self


class Site(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Code
    name: Label
    ufs: Annotated[list[Ward], Field(min_length=1)]
    workstations: Annotated[list[WorkstationSpec], Field(min_length=1)]
    services: list[ServiceSpec] = []
    his: HisSettings = HisSettings()
    settings: SiteSettings = SiteSettings()
    folders: FolderSettings = FolderSettings()
    exchange: ExchangeSettings = ExchangeSettings()

    @model_validator(mode="after")
    def _unique_and_disjoint(self) -> Self:
        seen: set[str] = set()
        for code in [u.code for u in self.ufs] + [s.code for s in self.services]:
            if code in seen:
                raise custom("duplicate.code", code=code)
            seen.add(code)
        for uf in self.ufs:
            beds = uf.bed_codes()
            dup = {b for b in beds if beds.count(b) > 1}
            if dup:
                raise custom("duplicate.code", code=f"{uf.code}/{sorted(dup)[0]}")
        ws_codes = [w.code for w in self.workstations]
        for code in ws_codes:
            if ws_codes.count(code) > 1:
                raise custom("duplicate.code", code=code)
        for peer in self.exchange.peers:
            if peer.workstation is not None and peer.workstation not in ws_codes:
                raise custom("syncthing.workstation", code=peer.workstation)
        for code in self.his.emergency_ufs:
            if code not in {u.code for u in self.ufs}:
                raise custom("his.emergency_uf", code=code)
        blocks = sorted(self.workstations, key=lambda w: w.block[0])
        for a, b in pairwise(blocks):
            if b.block[0] <= a.block[1]:
                raise custom("block.overlap", a=a.code, b=b.code)
        return self

    def all_services(self) -> list[ServiceSpec]:
        """UFs first, then the other services of the site."""
        return [ServiceSpec(code=u.code, name=u.name) for u in self.ufs] + list(self.services)

    def workstation(self, code: str) -> WorkstationSpec | None:
        return next((w for w in self.workstations if w.code == code.upper()), None)
