"""A full outage scenario delivered to Medplum's FHIR engine: what the kit sends and what the engine
stores follow FR Core (fr-core-patient, fr-core-patient-ins, fr-core-encounter) with zero errors.

Each step is synchronised on its own, so every intermediate state of a stay (admitted, transferred,
on leave, back, discharged, each cancellation) is sent as its own Bundle and validated.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from continuity.domain.identity import (
    CollectionMode,
    Identity,
    IdentityDocument,
    IdentityStatus,
    Sex,
    UnknownPatient,
)
from continuity.domain.movement import DischargeMode
from continuity.domain.outbox import IdentifierKind
from continuity.services import patients, sync_state, undo
from continuity.session import Session, Workspace
from sync import engine
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, identity
from tests.his_identity import from_his
from tests.peers.medplum import HIS_IPP_SYSTEM, MedplumFhir, validate_fr_core
from tests.sync_helpers import FAST

FR = "https://hl7.fr/ig/fhir/core/StructureDefinition/"
INS_NIR = "urn:oid:1.2.250.1.213.1.4.8"
V2_0203_FR = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
# NIR of a woman born in March 1950 (key: 97 - number mod 97).
NIR_BODY = "2500376540001"
NIR = f"{NIR_BODY}{97 - int(NIR_BODY) % 97:02d}"
MALE_NIR = "1500375056001" + f"{97 - int('1500375056001') % 97:02d}"
NIA_BODY = "8500399350001"  # a temporary NIR (NIA): first digit 7 or 8
NIA = f"{NIA_BODY}{97 - int(NIA_BODY) % 97:02d}"


def _sync(workspace: Workspace, url: str) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        report = engine.synchronise(session, url, options=FAST)
    assert (report.refused, report.remaining) == (0, 0), report


def _scenario(workspace: Workspace, server: MedplumFhir) -> dict[str, str]:
    """Every kind of event, each step sent on its own; the patients' ids by role."""
    ids: dict[str, str] = {}

    def step(action: Any) -> None:
        with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
            action(nurse)
        _sync(workspace, server.url)

    def admit_a(nurse: Session) -> None:
        a = patients.admit(nurse, "CARDIO", identity=identity(used_name="MARTIN"), bed_code="1A")
        ids["a"], ids["a_stay"] = a.patient.id, a.stay.id

    step(admit_a)
    step(lambda n: patients.transfer(n, ids["a_stay"], "CARDIO", "2A"))
    step(lambda n: undo.cancel_last(n, ids["a_stay"]))
    step(lambda n: patients.start_leave(n, ids["a_stay"]))
    step(lambda n: undo.cancel_last(n, ids["a_stay"]))
    step(lambda n: patients.start_leave(n, ids["a_stay"]))
    step(lambda n: patients.end_leave(n, ids["a_stay"]))
    step(lambda n: undo.cancel_last(n, ids["a_stay"]))
    step(lambda n: patients.discharge(n, ids["a_stay"], DischargeMode.HOME))
    step(lambda n: undo.cancel_last(n, ids["a_stay"]))

    def update_a(nurse: Session) -> None:
        record = nurse.store.patients.get_patient(ids["a"])
        assert record is not None
        patients.update_identity(
            nurse,
            ids["a"],
            identity(used_name="MARTIN", first="Jeanne-Marie", status="validee", document_type="CN"),
            record.version,
        )

    step(update_a)

    def admit_unknown(nurse: Session) -> None:
        u = patients.admit(nurse, "CARDIO", unknown=UnknownPatient(sex=Sex.I, estimated_birth_year=1980))
        ids["unknown"] = u.patient.id

    step(admit_unknown)

    def admit_qualified(nurse: Session) -> None:
        q = patients.admit(  # a qualified identity comes from the HIS only
            nurse,
            "CARDIO",
            patient_id=from_his(
                workspace,
                Identity(
                    birth_name="DUPONT",
                    first_names=["Marie", "Claire"],
                    birth_date=date(1950, 3, 12),
                    sex=Sex.F,
                    birth_place_insee="2A004",
                    birth_place_name="AJACCIO",
                    ins=NIR,
                    status=IdentityStatus.QUALIFIEE,
                    collection_mode=CollectionMode.INSI,
                    document_type=IdentityDocument.CN,
                ),
            ),
        )
        ids["qualified"] = q.patient.id

    step(admit_qualified)

    def admit_male_birth_place(nurse: Session) -> None:
        m = patients.admit(
            nurse,
            "CARDIO",
            identity=identity(
                birth_name="BERNARD",
                first="Luc",
                sex="M",
                born=date(1950, 3, 12),
                birth_place_insee="75056",
                status="validee",
                ins=MALE_NIR,  # given for a validated identity: kept unverified, never sent
                document_type="CS",
                collection_mode="SM",
            ),
            not_a_duplicate="autre patient",
        )
        ids["male"] = m.patient.id

    step(admit_male_birth_place)

    def admit_cancelled(nurse: Session) -> None:
        c = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ANNULE", first="Paul", sex="M"))
        ids["cancelled"], ids["cancelled_stay"] = c.patient.id, c.stay.id

    step(admit_cancelled)
    step(lambda n: undo.cancel_last(n, ids["cancelled_stay"]))
    return ids


def _reliability(patient: dict[str, Any]) -> dict[str, str]:
    [ext] = [e for e in patient["extension"] if e["url"] == FR + "fr-core-identity-reliability"]
    return {e["url"]: e["valueCoding"]["code"] for e in ext["extension"]}


def _resources(bundles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e["resource"] for b in bundles for e in b.get("entry", []) if "resource" in e]


def _errors(resources: list[dict[str, Any]]) -> list[tuple[str, str, list[str]]]:
    reports = validate_fr_core(resources)
    return [
        (
            r["resourceType"],
            r.get("id", "(sent)"),
            [f"{e.get('path')}: {e.get('text')}" for e in rep["errors"]],
        )
        for r, rep in zip(resources, reports, strict=True)
        if rep["errors"]
    ]


def test_every_patient_and_encounter_sent_and_stored_follows_fr_core(
    workspace: Workspace, server: MedplumFhir
) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_endpoints(session, None, None, his_ipp_system=HIS_IPP_SYSTEM)
    ids = _scenario(workspace, server)

    sent = _resources(server.received())
    assert {r["resourceType"] for r in sent} == {"Patient", "Encounter"}
    assert len(sent) >= 30
    assert _errors(sent) == []

    stored_patients, stored_encounters = server.search("Patient"), server.search("Encounter")
    assert len(stored_patients) == 5 and len(stored_encounters) == 5  # each replay created nothing
    assert _errors(stored_patients + stored_encounters) == []

    by_id = {p["id"]: p for p in stored_patients}
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        server_ids = {
            m.entity_id: m.value
            for m in session.store.his_ids.his_identifiers(kind=IdentifierKind.FHIR_PATIENT)
        }
    assert set(server_ids) == {ids[k] for k in ("a", "unknown", "qualified", "male", "cancelled")}
    assert set(server_ids.values()) == set(by_id)  # the kit read back the server-assigned ids

    qualified = by_id[server_ids[ids["qualified"]]]
    assert qualified["meta"]["profile"] == [FR + "fr-core-patient-ins"]
    [ins] = [i for i in qualified["identifier"] if i["system"] == INS_NIR]
    assert ins["value"] == NIR and ins["use"] == "official"
    assert ins["type"]["coding"] == [{"system": V2_0203_FR, "code": "INS-NIR"}]
    official = next(n for n in qualified["name"] if n["use"] == "official")
    assert official["given"] == ["MARIE"]
    assert official["extension"] == [
        {"url": FR + "fr-core-patient-birth-list-given-name", "valueString": "MARIE CLAIRE"}
    ]
    birth_place = next(e for e in qualified["extension"] if e["url"].endswith("patient-birthPlace"))
    assert birth_place["valueAddress"]["extension"][0]["valueCoding"]["code"] == "2A004"
    assert birth_place["valueAddress"]["city"] == "AJACCIO"
    assert _reliability(qualified) == {
        "methodCollection": "INSI",
        "identityStatus": "QUAL",
        "validationMode": "CN",
    }
    male = by_id[server_ids[ids["male"]]]
    assert _reliability(male) == {"methodCollection": "SM", "identityStatus": "VALI", "validationMode": "CS"}
    assert MALE_NIR not in json.dumps(server.received())  # the unverified INS never left

    for role in ("a", "unknown", "male", "cancelled"):  # no INS for an identity that is not qualified
        patient = by_id[server_ids[ids[role]]]
        assert patient["meta"]["profile"] == [FR + "fr-core-patient"]
        assert not [i for i in patient["identifier"] if i["system"].startswith("urn:oid:1.2.250.1.213.1.4.")]
    assert by_id[server_ids[ids["unknown"]]]["gender"] == "unknown"  # sex I
    assert by_id[server_ids[ids["male"]]]["gender"] == "male"
    for patient in stored_patients:  # the HIS's IPP (type PI) kept through every update
        ipps = [i for i in patient["identifier"] if i["system"] == HIS_IPP_SYSTEM]
        assert len(ipps) == 1 and ipps[0]["use"] == "usual"

    cancelled = next(
        e for e in stored_encounters if e["subject"]["reference"] == f"Patient/{server_ids[ids['cancelled']]}"
    )
    assert cancelled["status"] == "cancelled" and cancelled["period"]["start"]
    for encounter in stored_encounters:
        assert encounter["meta"]["profile"] == [FR + "fr-core-encounter"]
        assert encounter["period"]["start"]


def test_site_oids_name_the_fhir_identifier_domains_and_the_his_ipp_is_read_back(
    workspace: Workspace, server: MedplumFhir
) -> None:
    """The site file's OIDs ([his]): the kit's provisional IPP and NDA under its own domains, the
    HIS's IPP found under the IPP domain's OID (no FHIR system configured besides); a qualified
    identity with a temporary NIR goes as INS-NIA, a document FR Core does not accept for an INS
    (residence permit) is left out of fr-core-patient-ins."""
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_identifier_domains(
            session,
            ipp_oid=HIS_IPP_SYSTEM.removeprefix("urn:oid:"),
            nda_oid="2.999.250.1.2",
            provisional_ipp_oid="2.999.250.1.10",
            provisional_nda_oid="2.999.250.1.11",
        )
    nia = Identity(
        birth_name="NIA",
        first_names=["ZOE"],
        birth_date=date(1950, 3, 1),
        sex=Sex.F,
        birth_place_insee="99350",
        ins=NIA,
        status=IdentityStatus.QUALIFIEE,
        document_type=IdentityDocument.CS,
    )
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        admission = patients.admit(nurse, "CARDIO", identity=identity(birth_name="PROVISOIRE"))
    _sync(workspace, server.url)
    [patient] = server.search("Patient")
    [encounter] = server.search("Encounter")
    assert _errors([patient, encounter]) == []
    systems = {i["system"]: i for i in patient["identifier"]}
    assert systems["urn:oid:2.999.250.1.10"]["value"] == admission.patient.provisional_ipp
    assert encounter["identifier"][0]["system"] == "urn:oid:2.999.250.1.11"
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        record = session.store.patients.get_patient(admission.patient.id)
    assert record is not None and record.ipp == systems[HIS_IPP_SYSTEM]["value"]
    # a qualified identity comes from the HIS only: the NIA one, admitted under its IPP
    his = from_his(workspace, nia)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", patient_id=his)
    _sync(workspace, server.url)
    [qualified] = [p for p in server.search("Patient") if p["id"] != patient["id"]]
    assert _errors([qualified]) == []
    systems = {i["system"]: i for i in qualified["identifier"]}
    assert systems["urn:oid:1.2.250.1.213.1.4.9"]["type"]["coding"][0]["code"] == "INS-NIA"
    assert systems[HIS_IPP_SYSTEM]["value"] == "700001"
    assert _reliability(qualified) == {"identityStatus": "QUAL"}


def test_a_qualified_identity_without_birth_place_goes_without_its_ins(
    workspace: Workspace, server: MedplumFhir
) -> None:
    """fr-core-patient-ins requires the birth place: without it, the INS cannot travel."""
    his = from_his(workspace, identity(ins=NIR, status="qualifiee"))  # from the HIS only
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", patient_id=his)
    _sync(workspace, server.url)
    [patient] = server.search("Patient")
    assert patient["meta"]["profile"] == [FR + "fr-core-patient"]
    assert NIR not in json.dumps(server.received())
    assert _reliability(patient) == {"identityStatus": "QUAL"}
    assert _errors([patient]) == []
