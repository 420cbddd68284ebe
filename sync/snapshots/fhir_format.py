"""FHIR R4 snapshot: a Bundle of Patient, Encounter and Location resources (FR Core 2.x).

Each resource is validated with fhir.resources. The IPP is the Patient identifier of the
establishment's system (``[his] ipp_system``, or ``urn:oid:`` + ``ipp_oid``), else the one
typed PI when the bundle has a single PI system; never an identifier of another system. The
INS is the identifier of system ``urn:oid:1.2.250.1.213.1.4.8`` (or the NIA's ``.9``, the test
arcs ``.10``/``.11``) typed INS-NIR or INS-NIA (fr-core-patient-ins), never the NSS that shares
its system with type NH. The identity follows fr-core-patient: the identity reliability
extension (status, collection method and INSi date, document), the birth place extension
(town, INSEE code extension), the birth first names list extension of the official name.
The NDA is the Encounter's identifier of the establishment's system, else typed VN or AN; an
Encounter in progress, arrived or on leave is an open stay, placed at its active Location: a
bed (physicalType ``bd``) whose ``partOf`` chain reaches the UF (``wa``), or the UF itself.
``Bundle.timestamp`` is the snapshot time; ``Bundle.meta.tag`` codes of system
``urn:continuite:perimetre`` limit the census scope.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from continuity import oids
from continuity.domain.identity import CollectionMode, IdentityDocument
from continuity.domain.snapshot import HisIdentifiers, Snapshot, SnapshotFormat, SnapshotPatient, SnapshotStay
from sync.snapshots.common import (
    PROVISIONAL_ATTRIBUTES,
    RELIABILITY,
    SnapshotRejected,
    aware,
    identity,
    load_json,
)

SCOPE_SYSTEM = "urn:continuite:perimetre"
# The INS systems (FR Core: the NIR's also holds the NSS, typed NH) and types (fr-core-cs-v2-0203).
INS_SYSTEMS = frozenset(oids.urn(oid) for oid in oids.INS_OIDS)
INS_TYPES = frozenset(oids.INS_OID_OF_TYPE)
OPEN_STATUSES = {"in-progress", "arrived", "onleave"}
RELIABILITY_URL = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability"
BIRTH_PLACE_URL = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
INSEE_CODE_URL = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code"
BIRTH_LIST_URL = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name"
COLLECTION_MODES = {m.value for m in CollectionMode}
DOCUMENTS = {d.value for d in IdentityDocument}
GENDER = {"female": "F", "male": "M"}  # unknown, other: I
MODELS: dict[str, type[Patient] | type[Encounter] | type[Location]] = {
    "Patient": Patient,
    "Encounter": Encounter,
    "Location": Location,
}


def _rejected(number: int, fr: str, en: str) -> SnapshotRejected:
    return SnapshotRejected(f"Entrée {number} : {fr}.", f"Entry {number}: {en}.")


def _codes(concept: Any) -> set[str]:
    return {str(c.code) for c in (concept.coding or []) if c.code} if concept is not None else set()


def _systems(system: str | None, oid: str | None) -> set[str]:
    """The establishment's declared system for an identifier: its URI, or its OID as ``urn:oid:``."""
    return {s for s in (system, f"urn:oid:{oid}" if oid else None) if s}


def _kits_system(system: str | None) -> bool:
    """The kit's own provisional systems before an OID is declared (``urn:continuite:SITE:ipp``,
    ``...:nda``; sync.fhir): never the HIS's (its ``...:ipp-dpi`` and ``...:nda-dpi`` are)."""
    return (
        bool(system) and str(system).startswith("urn:continuite:") and str(system).endswith((":ipp", ":nda"))
    )


def _pick(
    number: int,
    identifiers: list[Any],
    systems: set[str],
    types: set[str],
    what: tuple[str, str],
    kits: str | None = None,
) -> Any:
    """The identifier of the declared systems; with none declared, the one of the expected
    types (or, none typed, the only one) if a single system has it. Another system's never."""
    own = f"urn:oid:{kits}" if kits else None  # the kit's provisional domain: never the HIS's
    usable = [
        i
        for i in identifiers
        if i.value
        and i.system not in INS_SYSTEMS
        and i.use != "old"
        and (own is None or i.system != own)
        and not _kits_system(i.system)
    ]
    if systems and not all(i.system is None for i in usable):  # (none named: the sender's own)
        found = next((i for i in usable if i.system in systems), None)
        if found is None and usable:
            raise _rejected(
                number,
                f"{what[0]} du système de l'établissement absent (identifiants d'un autre système seulement)",
                f"{what[1]} of the establishment's system missing (identifiers of another system only)",
            )
        return found
    typed = [i for i in usable if _codes(i.type) & types] or [i for i in usable if i.type is None]
    if len({i.system for i in typed}) > 1:
        raise _rejected(
            number,
            f"{what[0]} de plusieurs systèmes : déclarez celui de l'établissement",
            f"{what[1]} of several systems: declare the establishment's one",
        )
    return typed[0] if typed else None


def _ins(identifiers: list[Any]) -> dict[str, str | None]:
    """FR Core INS: the INS system with an INS type (untyped: the system alone); never NH (NSS).
    Its OID is kept when it is a test or demonstration arc (it goes back under it)."""
    for i in identifiers:
        kinds = _codes(i.type)
        if i.value and i.system in INS_SYSTEMS and i.use != "old" and (kinds & INS_TYPES or not kinds):
            return {"ins": str(i.value), "ins_oid": oids.test_arc(str(i.system).removeprefix("urn:oid:"))}
    return {"ins": None}


def parse(raw: bytes, ids: HisIdentifiers) -> Snapshot:
    bundle = load_json(raw)
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise SnapshotRejected("Ressource FHIR Bundle attendue.", "A FHIR Bundle resource was expected.")
    stamp = bundle.get("timestamp") or (bundle.get("meta") or {}).get("lastUpdated")
    try:
        taken_at = aware(datetime.fromisoformat(str(stamp).replace("Z", "+00:00")))
    except ValueError:
        raise SnapshotRejected(
            "Date de l'instantané absente ou invalide (Bundle.timestamp).",
            "Snapshot time missing or invalid (Bundle.timestamp).",
        ) from None
    scope = (
        tuple(
            str(t.get("code", "")).upper()
            for t in (bundle.get("meta") or {}).get("tag", [])
            if t.get("system") == SCOPE_SYSTEM
        )
        or None
    )
    patients: dict[str, tuple[int, Patient]] = {}
    encounters: list[tuple[int, Encounter]] = []
    locations: dict[str, Location] = {}
    for number, entry in enumerate(bundle.get("entry") or [], start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        model = MODELS.get(str(kind))
        if model is None:
            continue  # other resources (Organization, Practitioner...) are not needed here
        try:
            parsed = model.model_validate(resource)
        except ValidationError:
            raise _rejected(
                number, f"ressource {kind} non conforme à FHIR R4", f"{kind} resource not valid FHIR R4"
            ) from None
        keys = {f"{kind}/{parsed.id}"} if parsed.id else set()
        if entry.get("fullUrl"):
            keys.add(str(entry["fullUrl"]))
        for key in keys:
            if isinstance(parsed, Patient):
                patients[key] = (number, parsed)
            elif isinstance(parsed, Location):
                locations[key] = parsed
        if isinstance(parsed, Encounter):
            encounters.append((number, parsed))
    by_ref: dict[str, SnapshotPatient] = {}
    for key, (number, resource) in patients.items():
        by_ref[key] = _patient(number, resource, ids)
    stays = [s for s in (_stay(n, e, ids, by_ref, locations) for n, e in encounters) if s]
    unique = {p.ipp: p for p in by_ref.values()}
    return Snapshot(
        format=SnapshotFormat.FHIR,
        taken_at=taken_at,
        patients=list(unique.values()),
        stays=stays,
        census=bool(encounters),
        scope=scope,
    )


def _patient(number: int, p: Patient, ids: HisIdentifiers) -> SnapshotPatient:
    ipp = _pick(
        number,
        p.identifier or [],
        _systems(ids.ipp_system, ids.ipp_oid),
        {"PI"},
        ("IPP", "IPP"),
        ids.provisional_ipp_oid,
    )
    if ipp is None:
        raise _rejected(number, "IPP manquant (Patient.identifier)", "IPP missing (Patient.identifier)")
    names = p.name or []
    official = next((n for n in names if n.use == "official"), names[0] if names else None)
    usual = next((n for n in names if n.use == "usual"), None)
    if official is None or not official.family:
        raise _rejected(number, "nom de naissance manquant", "birth name missing")
    if p.birthDate is None:
        raise _rejected(number, "date de naissance manquante", "birth date missing")
    given = [str(g) for g in official.given or []]
    listed = next((str(e.valueString) for e in official.extension or [] if e.url == BIRTH_LIST_URL), "")
    data: dict[str, Any] = {
        "birth_name": official.family,
        "first_names": listed.split() or given,  # the birth first names list, else the given names
        "used_name": usual.family if usual else None,
        "used_first_name": (usual.given or [None])[0] if usual else None,
        "birth_date": p.birthDate,
        "sex": GENDER.get(str(p.gender), "I"),
        **_ins(p.identifier or []),  # the Identity model keeps it as unverified unless qualified
        **_reliability(p),
        **_birth_place(p),
    }
    return SnapshotPatient(
        ipp=str(ipp.value),
        ipp_authority=str(ipp.system) if ipp.system else None,
        identity=identity(data, f"Entrée {number}", f"Entry {number}"),
    )


def _reliability(p: Patient) -> dict[str, Any]:
    """fr-core-identity-reliability: identityStatus, methodCollection, dateCollection (the INSi
    query), validationMode (the identity document). Unknown codes are left out, not guessed."""
    traits: dict[str, Any] = {"status": "provisoire"}
    for ext in p.extension or []:
        if ext.url != RELIABILITY_URL and "identityReliability" not in (ext.url or ""):
            continue
        parts = {str(sub.url): sub for sub in ext.extension or []}
        status = parts.get("identityStatus")
        code = str(status.valueCoding.code) if status is not None and status.valueCoding else ""
        if code in PROVISIONAL_ATTRIBUTES:
            traits["status"] = "provisoire"
            traits["doubtful" if code in ("DOUT", "DOUTE") else "fictitious"] = True
        elif code in RELIABILITY:
            traits["status"] = RELIABILITY[code]
        method, document = parts.get("methodCollection"), parts.get("validationMode")
        if method is not None and method.valueCoding and method.valueCoding.code in COLLECTION_MODES:
            traits["collection_mode"] = str(method.valueCoding.code)
        if document is not None and document.valueCoding and document.valueCoding.code in DOCUMENTS:
            traits["document_type"] = str(document.valueCoding.code)
        queried = parts.get("dateCollection")
        if queried is not None and queried.valueDate is not None:
            traits["insi_queried_on"] = queried.valueDate
        break  # one reliability per identity
    return traits


def _birth_place(p: Patient) -> dict[str, Any]:
    """The patient-birthPlace extension: its town, and its fr-core-address-insee-code code."""
    for ext in p.extension or []:
        if ext.url == BIRTH_PLACE_URL and ext.valueAddress is not None:
            place = ext.valueAddress
            code = next(
                (
                    str(e.valueCoding.code)
                    for e in place.extension or []
                    if e.url == INSEE_CODE_URL and e.valueCoding and e.valueCoding.code
                ),
                None,
            )
            traits: dict[str, Any] = {"birth_place_insee": code}
            if place.city:
                traits["birth_place_name"] = str(place.city)
            return traits
    return {}


def _stay(
    number: int,
    e: Encounter,
    ids: HisIdentifiers,
    patients: dict[str, SnapshotPatient],
    locations: dict[str, Location],
) -> SnapshotStay | None:
    if e.status not in OPEN_STATUSES:
        return None
    nda = _pick(
        number,
        e.identifier or [],
        _systems(ids.nda_system, ids.nda_oid),
        {"VN", "AN"},
        ("NDA", "NDA"),
        ids.provisional_nda_oid,
    )
    if nda is None:
        raise _rejected(number, "NDA manquant (Encounter.identifier)", "NDA missing (Encounter.identifier)")
    patient = patients.get(str(e.subject.reference)) if e.subject else None
    if patient is None:
        raise _rejected(number, "patient du séjour absent du lot", "the stay's patient is not in the bundle")
    if e.period is None or e.period.start is None:
        raise _rejected(
            number,
            "date d'entrée manquante (Encounter.period.start)",
            "admission time missing (Encounter.period.start)",
        )
    current = [loc for loc in e.location or [] if loc.status in (None, "active")]
    if not current:
        raise _rejected(number, "lieu manquant (Encounter.location)", "location missing (Encounter.location)")
    uf, bed = _place(str(current[-1].location.reference), locations)
    if uf is None:
        raise _rejected(
            number, "UF introuvable pour le lieu du séjour", "no UF found for the stay's location"
        )
    start = e.period.start
    if not isinstance(start, datetime):  # a date alone is a valid FHIR dateTime: midnight
        start = datetime.combine(start, time())
    return SnapshotStay(
        nda=str(nda.value),
        ipp=patient.ipp,
        uf_code=uf.upper(),
        bed_code=bed,
        admitted_at=aware(start),
        nda_authority=str(nda.system) if nda.system else None,
    )


def _code(loc: Location) -> str | None:
    value = next((i.value for i in loc.identifier or [] if i.value), None) or loc.name
    return str(value).upper() if value else None


def _kind(loc: Location) -> str:
    codings = loc.physicalType.coding or [] if loc.physicalType else []
    return str(codings[0].code) if codings else ""


def _place(reference: str, locations: dict[str, Location]) -> tuple[str | None, str | None]:
    """(UF code, bed code) of a Location: a bed walks up ``partOf`` to its ward."""
    loc, bed, seen = locations.get(reference), None, set()
    while loc is not None and reference not in seen:
        seen.add(reference)
        kind = _kind(loc)
        if kind == "bd":
            bed = _code(loc)
        elif kind == "wa" or loc.partOf is None:
            return _code(loc), bed
        reference = str(loc.partOf.reference) if loc.partOf else ""
        loc = locations.get(reference)
    return None, bed
