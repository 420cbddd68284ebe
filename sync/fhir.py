"""FHIR R4 transaction Bundles per patient (fhir.resources models), and their HTTP delivery.

The models come from ``fhir.resources.R4B``: R4B left Patient, Encounter and
Bundle exactly as R4 (4.0.1) defined them, and the package's default models
are R5.

Patient and Encounter follow FR Core 2.2.0-ballot-2 (Interop'Santé): ``fr-core-patient``, or
``fr-core-patient-ins`` for a qualified identity (the only one whose INS is sent, typed INS-NIR
or INS-NIA), ``fr-core-encounter``. docs/fhir-fr-core.md lists every element and its source;
tests/test_fhir_fr_core.py validates what is sent and what a real FHIR engine stores.

Replays create nothing twice: the Patient is a conditional create
(``ifNoneExist`` on the provisional IPP), each Encounter a conditional update
keyed on the provisional NDA carrying the whole location history computed from
the movements, so sending it again leaves the server unchanged.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from fhir.resources.R4B.address import Address
from fhir.resources.R4B.bundle import Bundle, BundleEntry, BundleEntryRequest
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.encounter import Encounter, EncounterHospitalization, EncounterLocation
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.reference import Reference
from pydantic import BaseModel, ConfigDict, ValidationError

from continuity import oids
from continuity.domain.delivery import EventContext, SiteInfo
from continuity.domain.identity import Identity, IdentityStatus, Sex
from continuity.domain.movement import (
    Movement,
    MovementKind,
    StayState,
    StayView,
    accepted,
    effective_movements,
    merged_view,
)
from continuity.domain.records import PatientRecord, Source, StayRecord
from continuity.oids import urn

FR_CORE = "https://hl7.fr/ig/fhir/core/"
PATIENT_PROFILE = FR_CORE + "StructureDefinition/fr-core-patient"
PATIENT_INS_PROFILE = FR_CORE + "StructureDefinition/fr-core-patient-ins"
ENCOUNTER_PROFILE = FR_CORE + "StructureDefinition/fr-core-encounter"
# The INS: NIR (definitive) and NIA (temporary NIR) have their own OIDs (fr-core-patient-ins slices).
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
FR_V2_0203 = FR_CORE + "CodeSystem/fr-core-cs-v2-0203"
IPP_TYPE = Coding(system=V2_0203, code="PI", display="Patient internal identifier")  # the slice's pattern
# Encounter.identifier.type: fr-core-vs-encounter-identifier-type (VN, visit number: the NDA).
NDA_TYPE = Coding(system=FR_CORE + "CodeSystem/fr-core-cs-identifier-type", code="VN", display="Visit Number")
RELIABILITY_URL = FR_CORE + "StructureDefinition/fr-core-identity-reliability"
METHOD_COLLECTION = FR_CORE + "CodeSystem/fr-core-cs-method-collection"
VALIDATION_MODE = FR_CORE + "CodeSystem/fr-core-cs-mode-validation-identity"
# fr-core-patient-ins binds validationMode (required) to fr-core-vs-mode-validation-identity-ins:
# another document is not sent for a qualified identity (fr-core-patient takes any of the code system).
INS_VALIDATION_MODES = frozenset({"PA", "CN", "AN", "LE"})
BIRTH_LIST_URL = FR_CORE + "StructureDefinition/fr-core-patient-birth-list-given-name"
BIRTH_PLACE_URL = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
INSEE_CODE_URL = FR_CORE + "StructureDefinition/fr-core-address-insee-code"
INSEE_COMMUNES = "https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM"
# identityStatus: FR Core 2.2.0-ballot-2 binds fr-core-vs-identity-reliability (extensible: the codes
# of fr-core-cs-v2-0445, PROV and VALI among them); it has no code for a retrieved or a qualified
# identity, which come from FR Core 2.2.0's own code system of the four RNIV statuses.
IDENTITY_STATUS = {
    IdentityStatus.PROVISOIRE: (FR_CORE + "CodeSystem/fr-core-cs-v2-0445", "PROV"),
    IdentityStatus.VALIDEE: (FR_CORE + "CodeSystem/fr-core-cs-v2-0445", "VALI"),
    IdentityStatus.RECUPEREE: (FR_CORE + "CodeSystem/fr-core-cs-identity-status", "RECUP"),
    IdentityStatus.QUALIFIEE: (FR_CORE + "CodeSystem/fr-core-cs-identity-status", "QUAL"),
}
DISCHARGE_SYSTEM = "urn:continuite:pmsi:mode-sortie"
LOCATION_SYSTEM_SUFFIX = ":bed"
# fr-core-vs-patient-gender (required): male | female | unknown. HL7 PID-8 sends U for I.
GENDER = {Sex.F: "female", Sex.M: "male", Sex.I: "unknown"}
ENCOUNTER_STATUS = {
    StayState.PRESENT: "in-progress",
    StayState.ON_LEAVE: "onleave",
    StayState.DISCHARGED: "finished",
    StayState.CANCELLED: "cancelled",
}
NAMESPACE = uuid.UUID("6f1b4f8e-3c1a-4e55-9d7e-6b1e0b7c2a10")


def _full_url(kind: str, internal_id: str) -> str:
    """The same urn for the same record in every replay of a bundle."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, kind + ':' + internal_id)}"


def _instant(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def his_ipp_system(site: SiteInfo) -> str | None:
    """FHIR system of the HIS's IPP: as configured, else the IPP domain's OID of the site file."""
    return site.his_ipp_system or (urn(site.ipp_oid) if site.ipp_oid else None)


def his_nda_system(site: SiteInfo) -> str | None:
    return site.his_nda_system or (urn(site.nda_oid) if site.nda_oid else None)


def provisional_ipp_system(site: SiteInfo) -> str:
    """The kit's own IPP domain: its OID when the site file declares one."""
    return urn(site.provisional_ipp_oid) if site.provisional_ipp_oid else site.ipp_system


def provisional_nda_system(site: SiteInfo) -> str:
    return urn(site.provisional_nda_oid) if site.provisional_nda_oid else site.nda_system


def patient_key(p: PatientRecord, site: SiteInfo, his_ipp: str | None) -> tuple[str, str]:
    """(system, value) that finds the patient on the server: the HIS IPP for an HIS patient."""
    if p.source is Source.HIS and p.ipp:
        return his_ipp or his_ipp_system(site) or site.his_ipp_fallback, p.ipp
    return provisional_ipp_system(site), p.provisional_ipp


def stay_key(stay: StayRecord, site: SiteInfo) -> tuple[str, str]:
    if stay.source is Source.HIS and stay.nda:
        return his_nda_system(site) or site.his_nda, stay.nda
    return provisional_nda_system(site), stay.provisional_nda


def _systems(*candidates: str | None) -> list[str]:
    return list(dict.fromkeys(c for c in candidates if c))


def patient_keys(p: PatientRecord, site: SiteInfo, his_ipp: str | None) -> list[tuple[str, str]]:
    """Every (system, value) the patient may be held under on the server: the key sent first, then
    the systems an earlier run used before the site file declared its OIDs (mid-outage)."""
    system, value = patient_key(p, site, his_ipp)
    if p.source is Source.HIS and p.ipp:
        ipp_oid = urn(site.ipp_oid) if site.ipp_oid else None
        others = _systems(system, site.his_ipp_system, ipp_oid, site.his_ipp_fallback)
    else:
        others = _systems(system, site.ipp_system)
    return [(s, value) for s in others]


def stay_keys(stay: StayRecord, site: SiteInfo) -> list[tuple[str, str]]:
    system, value = stay_key(stay, site)
    if stay.source is Source.HIS and stay.nda:
        nda_oid = urn(site.nda_oid) if site.nda_oid else None
        others = _systems(system, site.his_nda_system, nda_oid, site.his_nda)
    else:
        others = _systems(system, site.nda_system)
    return [(s, value) for s in others]


def _token(text: str) -> str:
    """A token search value's part, its separators escaped (FHIR search: ``\\``, ``|``, ``,``, ``$``)."""
    for c in ("\\", "|", ",", "$"):
        text = text.replace(c, "\\" + c)
    return text


def identifier_query(keys: Sequence[tuple[str, str]]) -> str:
    """``identifier=`` matching any of the keys (token OR), the value URL-encoded (``:``, ``|``, ``,``)."""
    tokens = ",".join(f"{_token(system)}|{_token(value)}" for system, value in keys)
    return "identifier=" + quote(tokens, safe="")


def _ipp(system: str, value: str, use: str) -> Identifier:
    """An IPP: type PI; FR Core allows any use but official (fr-core-vs-patient-identifier-use-pi)."""
    return Identifier(use=use, type=CodeableConcept(coding=[IPP_TYPE]), system=system, value=value)


def sends_ins(i: Identity) -> bool:
    """The INS travels only for a qualified identity, in fr-core-patient-ins (birth place required).

    ``ins`` is set only for a qualified identity (an INS of any other status is the unverified
    ``ins_unverified``, never sent); fr-core-patient-ins also requires the INSEE code of the birth place.
    """
    return i.status is IdentityStatus.QUALIFIEE and bool(i.ins) and bool(i.birth_place_insee)


def _ins_identifier(i: Identity) -> Identifier:
    assert i.ins is not None and i.ins_type is not None
    return Identifier(
        use="official",
        type=CodeableConcept(coding=[Coding(system=FR_V2_0203, code=i.ins_type)]),
        system=oids.urn(oids.INS_OID_OF_TYPE[i.ins_type]),
        value=i.ins,
    )


def patient_resource(ctx: EventContext, site: SiteInfo, his_ipp: str | None) -> Patient:
    p, i = ctx.patient, ctx.patient.identity
    his_ipp = his_ipp or his_ipp_system(site)
    system, value = patient_key(p, site, his_ipp)
    identifiers = [_ipp(system, value, "temp" if p.source is Source.KIT else "usual")]
    if p.source is Source.KIT and p.ipp and his_ipp:
        identifiers.append(_ipp(his_ipp, p.ipp, "usual"))
    qualified = sends_ins(i)
    if qualified:
        identifiers.append(_ins_identifier(i))
    return Patient(
        meta=Meta(profile=[PATIENT_INS_PROFILE if qualified else PATIENT_PROFILE]),
        extension=_patient_extensions(i, qualified),
        identifier=identifiers,
        name=_names(i),
        gender=GENDER[i.sex],
        birthDate=i.birth_date,
    )


def _patient_extensions(i: Identity, qualified: bool) -> list[Extension]:
    """Identity reliability (status, collection method, document seen) and the birth place."""
    system, code = IDENTITY_STATUS[i.status]
    if i.doubtful or i.fictitious:  # such an identity is provisional by rule: the attribute says more
        system, code = FR_CORE + "CodeSystem/fr-core-cs-v2-0445", "DOUT" if i.doubtful else "FICT"
    reliability = []
    if i.collection_mode:
        method = Coding(system=METHOD_COLLECTION, code=i.collection_mode.value)
        reliability.append(Extension(url="methodCollection", valueCoding=method))
    reliability.append(Extension(url="identityStatus", valueCoding=Coding(system=system, code=code)))
    if i.document_type and (not qualified or i.document_type.value in INS_VALIDATION_MODES):
        document = Coding(system=VALIDATION_MODE, code=i.document_type.value)
        reliability.append(Extension(url="validationMode", valueCoding=document))
    extensions = [Extension(url=RELIABILITY_URL, extension=reliability)]
    if i.birth_place_insee or i.birth_place_name:
        insee = (
            [
                Extension(
                    url=INSEE_CODE_URL, valueCoding=Coding(system=INSEE_COMMUNES, code=i.birth_place_insee)
                )
            ]
            if i.birth_place_insee
            else None
        )
        place = Address(extension=insee, city=i.birth_place_name)
        extensions.append(Extension(url=BIRTH_PLACE_URL, valueAddress=place))
    return extensions


def _names(i: Identity) -> list[HumanName]:
    """The birth name with the first birth first name, and the whole list in its extension."""
    birth_list = Extension(url=BIRTH_LIST_URL, valueString=" ".join(i.first_names))
    names = [HumanName(extension=[birth_list], use="official", family=i.birth_name, given=[i.first_names[0]])]
    if i.used_name or i.used_first_name:
        names.append(
            HumanName(
                use="usual", family=i.used_name or i.birth_name, given=[i.used_first_name or i.first_names[0]]
            )
        )
    return names


def encounter_resource(
    stay: StayRecord, movements: Sequence[Movement], site: SiteInfo, patient_url: str
) -> Encounter:
    """The stay as of its latest movement sent, with one location per bed it occupied."""
    view = merged_view(movements)
    state = view.state if view else StayState.CANCELLED
    effective = effective_movements(movements)  # as corrected (PAM FR Z99)
    locations = []
    placed = [m for m in effective if m.kind in (MovementKind.ADMISSION, MovementKind.TRANSFER)]
    for index, m in enumerate(placed):
        end = placed[index + 1].at if index + 1 < len(placed) else (view.discharged_at if view else None)
        where = f"{m.uf_code}/{m.bed_code or '-'}"
        locations.append(
            EncounterLocation(
                location=Reference(
                    display=where,
                    identifier=Identifier(
                        system=f"urn:continuite:{site.site_code}{LOCATION_SYSTEM_SUFFIX}", value=where
                    ),
                ),
                status="completed" if end is not None else "active",
                period=Period(start=_instant(m.at), end=_instant(end) if end else None),
            )
        )
    discharge = next((m for m in reversed(effective) if m.kind is MovementKind.DISCHARGE), None)
    nda_system, nda = stay_key(stay, site)
    return Encounter(
        meta=Meta(profile=[ENCOUNTER_PROFILE]),
        identifier=[
            Identifier(
                use="temp" if stay.source is Source.KIT else "official",
                type=CodeableConcept(coding=[NDA_TYPE]),
                system=nda_system,
                value=nda,
            )
        ],
        status=ENCOUNTER_STATUS[state],
        class_fhir=_class(view, site),
        subject=Reference(reference=patient_url),
        period=_period(view, movements),
        location=locations or None,
        hospitalization=EncounterHospitalization(
            dischargeDisposition=CodeableConcept(
                coding=[Coding(system=DISCHARGE_SYSTEM, code=discharge.discharge_mode.value)]
            )
        )
        if discharge and discharge.discharge_mode
        else None,
    )


def _class(view: StayView | None, site: SiteInfo) -> Coding:
    """As HL7 PV1-2 says: an emergency in a UF the site calls one (``[his] emergency_ufs``)."""
    emergency = view is not None and view.uf_code in site.emergency_ufs
    code, display = ("EMER", "emergency") if emergency else ("IMP", "inpatient encounter")
    return Coding(system="http://terminology.hl7.org/CodeSystem/v3-ActCode", code=code, display=display)


def _period(view: StayView | None, movements: Sequence[Movement]) -> Period:
    """Always present (fr-core-encounter): a cancelled stay keeps the start its admission had."""
    if view is not None and view.admitted_at:
        return Period(
            start=_instant(view.admitted_at),
            end=_instant(view.discharged_at) if view.discharged_at else None,
        )
    kept = accepted(movements)
    admission = next((m for m in kept if m.kind is MovementKind.ADMISSION), None)
    if admission is None:
        return Period(start=_instant(min(m.at for m in movements)))
    start = admission.at
    for m in kept:  # as corrected (Z99) before the stay was cancelled: what the HIS was told
        if m.kind is MovementKind.UPDATE and m.corrects == admission.id:
            start = m.at
    return Period(start=_instant(start))


def patient_bundle(contexts: Sequence[EventContext], site: SiteInfo, his_ipp: str | None) -> Bundle:
    """One transaction for one patient's events, in their order."""
    last = contexts[-1]
    patient_url = _full_url("patient", last.patient.id)
    his_ipp = his_ipp or his_ipp_system(site)
    ipp_query = identifier_query(patient_keys(last.patient, site, his_ipp))
    updates_identity = any(c.event.kind == "identity_update" for c in contexts)
    request = (
        BundleEntryRequest(method="PUT", url=f"Patient?{ipp_query}")
        if updates_identity
        else BundleEntryRequest(method="POST", url="Patient", ifNoneExist=ipp_query)
    )
    entries = [
        BundleEntry(fullUrl=patient_url, resource=patient_resource(last, site, his_ipp), request=request)
    ]
    latest_per_stay: dict[str, EventContext] = {}
    for ctx in contexts:
        if ctx.stay is not None:
            latest_per_stay[ctx.stay.id] = ctx
    for ctx in latest_per_stay.values():
        assert ctx.stay is not None
        nda_query = identifier_query(stay_keys(ctx.stay, site))
        entries.append(
            BundleEntry(
                fullUrl=_full_url("encounter", ctx.stay.id),
                resource=encounter_resource(ctx.stay, ctx.movements, site, patient_url),
                request=BundleEntryRequest(method="PUT", url=f"Encounter?{nda_query}"),
            )
        )
    return Bundle(type="transaction", entry=entries)


def bundle_json(bundle: Bundle) -> str:
    """Compact UTF-8 JSON on one line: the request body, and one line of an NDJSON file."""
    return bundle.model_dump_json(exclude_none=True)


# ----------------------------------------------------------------------- HTTP
class FhirRefused(Exception):
    """The server refused the transaction (4xx): the data must be corrected first."""

    def __init__(self, status: int, text: str):
        super().__init__(f"HTTP {status}")
        self.status, self.text = status, text


class FhirUnavailable(Exception):
    """No usable answer (network, timeout, 5xx, unreadable reply): try again later."""

    def __init__(self, fr: str, en: str):
        super().__init__(en)
        self.fr, self.en = fr, en


class EntryResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    resource_type: str
    server_id: str
    identifiers: tuple[tuple[str, str], ...]


class FhirClient:
    def __init__(self, base_url: str, *, timeout: float, verify: bool | str = True):
        self._http = httpx.Client(
            base_url=base_url, timeout=timeout, verify=verify, headers={"Accept": "application/fhir+json"}
        )

    def close(self) -> None:
        self._http.close()

    def transaction(self, bundle: Bundle) -> list[EntryResult]:
        body = bundle_json(bundle)
        try:
            response = self._http.post(
                "",
                content=body.encode(),
                headers={"Content-Type": "application/fhir+json", "Prefer": "return=representation"},
            )
        except httpx.TimeoutException:
            raise FhirUnavailable(
                "Le serveur FHIR ne répond pas dans le délai.", "The FHIR server does not answer in time."
            ) from None
        except httpx.HTTPError as exc:
            raise FhirUnavailable(
                f"Serveur FHIR injoignable ({type(exc).__name__}).",
                f"FHIR server unreachable ({type(exc).__name__}).",
            ) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise FhirUnavailable(
                f"Le serveur FHIR est indisponible (HTTP {response.status_code}).",
                f"The FHIR server is unavailable (HTTP {response.status_code}).",
            )
        if response.status_code >= 400:
            raise FhirRefused(response.status_code, _outcome_text(response))
        return _results(response, len(bundle.entry or []))


def _outcome_text(response: httpx.Response) -> str:
    try:
        data = response.json()
        issues = data.get("issue", []) if isinstance(data, dict) else []
        texts = [
            str(i.get("diagnostics") or i.get("details", {}).get("text") or i.get("code"))
            for i in issues
            if isinstance(i, dict)
        ]
        if texts:
            return " — ".join(texts)[:2000]
    except (ValueError, AttributeError):
        pass
    return f"HTTP {response.status_code}"


def _unreadable() -> FhirUnavailable:
    return FhirUnavailable(
        "Réponse du serveur FHIR illisible (pas une réponse de transaction).",
        "Unreadable FHIR server reply (not a transaction response).",
    )


def _results(response: httpx.Response, expected: int) -> list[EntryResult]:
    try:
        reply = Bundle.model_validate(response.json())
    except (ValueError, ValidationError):
        raise _unreadable() from None
    entries = reply.entry or []
    if reply.type != "transaction-response" or len(entries) != expected:
        raise _unreadable()
    results = []
    for entry in entries:
        status = (entry.response.status if entry.response else "") or ""
        if not status[:1] == "2":
            raise _unreadable()
        location = (entry.response.location if entry.response else None) or ""
        parts = location.split("/")
        resource: Any = entry.resource
        if resource is not None:
            resource_type, server_id = resource.get_resource_type(), resource.id or ""
        elif len(parts) >= 2:
            resource_type, server_id = parts[0], parts[1]
        else:
            raise _unreadable()
        if not server_id and len(parts) >= 2:
            server_id = parts[1]
        identifiers = tuple(
            (i.system or "", i.value or "") for i in (getattr(resource, "identifier", None) or [])
        )
        results.append(EntryResult(resource_type=resource_type, server_id=server_id, identifiers=identifiers))
    return results
