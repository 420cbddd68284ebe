"""FHIR R4 snapshot: a Bundle of Patient, Encounter and Location resources (FR Core usage).

Each resource is validated with fhir.resources. The IPP is the Patient identifier
of the configured HIS system (else the one typed PI), the NDA the Encounter's;
an Encounter in progress, arrived or on leave is an open stay, placed at its
active Location: a bed (physicalType ``bd``) whose ``partOf`` chain reaches the
UF (``wa``), or the UF itself. ``Bundle.timestamp`` is the snapshot time;
``Bundle.meta.tag`` codes of system ``urn:continuite:perimetre`` limit the census scope.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from continuity.domain.snapshot import HisIdentifiers, Snapshot, SnapshotFormat, SnapshotPatient, SnapshotStay
from sync.snapshots.common import SnapshotRejected, aware, identity, load_json

SCOPE_SYSTEM = "urn:continuite:perimetre"
INS_SYSTEMS = ("urn:oid:1.2.250.1.213.1.4.8", "urn:oid:1.2.250.1.213.1.4.10", "urn:oid:1.2.250.1.213.1.4.11")
OPEN_STATUSES = {"in-progress", "arrived", "onleave"}
RELIABILITY = {"PROV": "provisoire", "RECUP": "recuperee", "VALI": "validee", "QUAL": "qualifiee"}
GENDER = {"female": "F", "male": "M"}
MODELS: dict[str, type[Patient] | type[Encounter] | type[Location]] = {
    "Patient": Patient,
    "Encounter": Encounter,
    "Location": Location,
}


def _rejected(number: int, fr: str, en: str) -> SnapshotRejected:
    return SnapshotRejected(f"Entrée {number} : {fr}.", f"Entry {number}: {en}.")


def _pick(identifiers: list[Any], system: str | None, type_code: str) -> str | None:
    usable = [i for i in identifiers if i.value and i.system not in INS_SYSTEMS]
    if system:
        found = next((i.value for i in usable if i.system == system), None)
        if found:
            return str(found)
    typed = next(
        (i.value for i in usable if i.type and any(c.code == type_code for c in (i.type.coding or []))), None
    )
    return str(typed) if typed else (str(usable[0].value) if usable else None)


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
    ipp = _pick(p.identifier or [], ids.ipp_system, "PI")
    if not ipp:
        raise _rejected(number, "IPP manquant (Patient.identifier)", "IPP missing (Patient.identifier)")
    ins = next((i.value for i in p.identifier or [] if i.system in INS_SYSTEMS), None)
    names = p.name or []
    official = next((n for n in names if n.use == "official"), names[0] if names else None)
    usual = next((n for n in names if n.use == "usual"), None)
    if official is None or not official.family:
        raise _rejected(number, "nom de naissance manquant", "birth name missing")
    if p.birthDate is None:
        raise _rejected(number, "date de naissance manquante", "birth date missing")
    status = "provisoire"
    for ext in p.extension or []:
        if "identityReliability" in (ext.url or ""):
            for sub in ext.extension or []:
                code = sub.valueCoding.code if sub.valueCoding else None
                status = RELIABILITY.get(str(code), status)
    data: dict[str, Any] = {
        "birth_name": official.family,
        "first_names": list(official.given or []),
        "used_name": usual.family if usual else None,
        "used_first_name": (usual.given or [None])[0] if usual else None,
        "birth_date": p.birthDate,
        "sex": GENDER.get(str(p.gender), "I"),
        "ins": ins,
        "status": status,
    }
    return SnapshotPatient(ipp=ipp, identity=identity(data, f"Entrée {number}", f"Entry {number}"))


def _stay(
    number: int,
    e: Encounter,
    ids: HisIdentifiers,
    patients: dict[str, SnapshotPatient],
    locations: dict[str, Location],
) -> SnapshotStay | None:
    if e.status not in OPEN_STATUSES:
        return None
    nda = _pick(e.identifier or [], ids.nda_system, "VN")
    if not nda:
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
    return SnapshotStay(nda=nda, ipp=patient.ipp, uf_code=uf.upper(), bed_code=bed, admitted_at=aware(start))


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
