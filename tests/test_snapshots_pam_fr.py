"""Snapshots as a French HIS sends them: IHE PAM France 2.11 batches and FR Core Bundles.

The HL7 messages are laid out by hand the way a French GAM writes them (IHE PAM National
Extension France 2.11; ANS Gazelle PAM_FR test messages and OpenXtrem Mediboard's PAM FR
reader were the references, see docs/snapshots-and-exchange.md): MSH-12 ``2.5^FRA^2.11``,
assigning authorities as ``namespace&OID&ISO``, several PID-3 repetitions (the IPP of the
establishment's domain, the IPP of another domain, the INS), the L (birth) and D (used)
names, the birth place as a ``BDL`` address, PID-32, PID-18/PV1-19 NDA, ZBE and ZFD.
The FHIR side uses the official FR Core examples kept in ``tests/data/fr-core/snapshot-examples/``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from continuity.domain.snapshot import HisIdentifiers, Snapshot
from continuity.errors import InvalidInput, NotFound
from continuity.services import patients, snapshots, sync_state
from continuity.session import Session
from sync.snapshots import SnapshotRejected, parse_snapshot

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
STAMP = "20261120080000+0000"
DATA = Path(__file__).parent / "data" / "fr-core" / "snapshot-examples"

IPP_OID, NDA_OID, MOVEMENT_OID, OTHER_OID = "2.999.1.1", "2.999.1.2", "2.999.1.3", "2.999.2.1"
SITE = PAM_FR_SITE = HisIdentifiers(authority="CHU-EXEMPLE", ipp_oid=IPP_OID, nda_oid=NDA_OID)
OURS = f"CHU-EXEMPLE&{IPP_OID}&ISO"  # the establishment's IPP domain (HD: namespace&OID&ISO)
NDA_DOMAIN = f"CHU-EXEMPLE&{NDA_OID}&ISO"
OTHER = f"GHT-AUTRE&{OTHER_OID}&ISO"  # another establishment of the hospital group
INS_NIR = "ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO"
JEANNE_INS, PAUL_INS, ANNE_INS = "260058815400233", "155037505612371", "282016912304597"


# ------------------------------------------------------------------ HL7 by hand
def seg(name: str, fields: dict[int, str]) -> str:
    """A segment with its fields at their HL7 positions (1 = the first after the name)."""
    return "|".join([name, *(fields.get(i, "") for i in range(1, max(fields) + 1))])


def pid(
    ids: str,
    names: str,
    born: str,
    sex: str,
    status: str,
    *,
    address: str = "",
    nda: str = "",
    birth_place: str = "",
) -> str:
    return seg("PID", {3: ids, 5: names, 7: born, 8: sex, 11: address, 18: nda, 23: birth_place, 32: status})


def pv1(kind: str, place: str = "", nda: str = "", admitted: str = "") -> str:
    return seg("PV1", {2: kind, 3: place, 19: nda, 44: admitted})


def zbe(
    number: int, at: str, action: str = "INSERT", historic: str = "N", original: str = "", uf: str = ""
) -> str:
    return seg(
        "ZBE",
        {
            1: f"MVT{number:04d}^CHU-EXEMPLE^{MOVEMENT_OID}^ISO",
            2: at,
            4: action,
            5: historic,
            6: original,
            7: f"^^^^^^UF^^^{uf}" if uf else "",
            9: "HMS" if action == "INSERT" else "",
        },
    )


def message(number: int, trigger: str, structure: str, *segments: str) -> str:
    msh = (
        f"MSH|^~\\&|GAM|CHU-EXEMPLE|CONTINUITE|CHU-EXEMPLE|{STAMP}||ADT^{trigger}^{structure}"
        f"|GAM{number:05d}|P|2.5^FRA^2.11|||||FRA|UNICODE UTF-8"
    )
    evn = f"EVN||{STAMP}||||{STAMP}"
    return "\r".join([msh, evn, *segments])


def batch(*messages: str) -> bytes:
    head = [
        f"FHS|^~\\&|GAM|CHU-EXEMPLE|CONTINUITE|CHU-EXEMPLE|{STAMP}",
        f"BHS|^~\\&|GAM|CHU-EXEMPLE|||{STAMP}",
    ]
    tail = [f"BTS|{len(messages)}", "FTS|1"]
    return ("\r".join([*head, *messages, *tail]) + "\r").encode("utf-8")


def jeanne_pid(status: str = "QUAL", ids: str | None = None, address: str | None = None) -> str:
    """Jeanne DARK: IPP of another domain listed first, then ours, then the INS; L and D names."""
    return pid(
        ids if ids is not None else f"777001^^^{OTHER}^PI~800100^^^{OURS}^PI~{JEANNE_INS}^^^{INS_NIR}^INS",
        "DARK^Jeanne^Jeanne Marie Cécile^^^^L~MARTIN^Marie^^^^^D",
        "19600530",
        "F",
        status,
        address=address
        if address is not None
        else "12 rue des Lilas^^PARIS^^75020^FRA^H~^^Domrémy-la-Pucelle^^88630^FRA^BDL^^88154",
        nda=f"5000100^^^{NDA_DOMAIN}^AN",
        birth_place="Domrémy-la-Pucelle",
    )


ZFD_JEANNE = seg("ZFD", {3: "N", 4: "N", 5: "INSI", 6: "20261015", 7: "CN", 8: "20310101"})


def pam_fr_census() -> bytes:
    """A GAM's file: admissions, a transfer, a leave, a discharge, a movement update, an identity."""
    jeanne = jeanne_pid()
    paul = pid(
        f"800200^^^{OURS}^PI~{PAUL_INS}^^^{INS_NIR}^INS",
        "LEROY^Paul^Paul^^^^L",
        "19550312",
        "M",
        "VALI",
        nda=f"5000200^^^{NDA_DOMAIN}^AN",
    )
    lucie = pid(f"800300^^^{OURS}^PI", "MOREAU^Lucie^^^^^L", "19900101", "U", "PROV")
    anne = pid(
        f"800400^^^{OURS}^PI~{ANNE_INS}^^^{INS_NIR}^INS",
        "GIRARD^Anne^Anne^^^^L",
        "19820115",
        "F",
        "RECUP",
        nda=f"5000400^^^{NDA_DOMAIN}^AN",
    )
    hugo = pid(f"800500^^^{OURS}^PI", "ROUX^Hugo^^^^^L", "19700707", "M", "VALI")
    return batch(
        message(
            1,
            "A01",
            "ADT_A01",
            jeanne,
            pv1("I", "CARDIO^101^1A", f"5000100^^^{NDA_DOMAIN}^AN", "20261118103000"),
            zbe(1, "20261118103000", uf="CARDIO"),
            ZFD_JEANNE,
        ),
        message(
            2,
            "A01",
            "ADT_A01",
            paul,
            pv1("I", "CARDIO^102^2A", f"5000200^^^{NDA_DOMAIN}^AN", "20261119090000"),
            zbe(2, "20261119090000", uf="CARDIO"),
        ),
        message(
            3,
            "A02",
            "ADT_A02",
            paul,
            pv1("I", "PNEUMO^301^3A", f"5000200^^^{NDA_DOMAIN}^AN", "20261119090000"),
            zbe(3, "20261119150000", uf="PNEUMO"),
        ),
        message(4, "A28", "ADT_A05", lucie, pv1("N")),
        message(
            5,
            "A01",
            "ADT_A01",
            anne,
            pv1("I", "CARDIO^102^2B", f"5000400^^^{NDA_DOMAIN}^AN", "20261117080000"),
            zbe(4, "20261117080000", uf="CARDIO"),
        ),
        message(
            6,
            "A21",
            "ADT_A21",
            anne,
            pv1("I", "CARDIO^102^2B", f"5000400^^^{NDA_DOMAIN}^AN", "20261117080000"),
            zbe(5, "20261119200000", uf="CARDIO"),
        ),
        message(
            7,
            "A01",
            "ADT_A01",
            hugo,
            pv1("I", "PNEUMO^302^3B", f"5000500^^^{NDA_DOMAIN}^AN", "20261116080000"),
            zbe(6, "20261116080000", uf="PNEUMO"),
        ),
        message(
            8,
            "A03",
            "ADT_A03",
            hugo,
            pv1("I", "PNEUMO^302^3B", f"5000500^^^{NDA_DOMAIN}^AN", "20261116080000"),
            zbe(7, "20261119100000"),
        ),
        # The admission's bed corrected afterwards: a movement update (Z99) of the current movement.
        message(
            9,
            "Z99",
            "ADT_A01",
            jeanne,
            pv1("I", "CARDIO^101^1B", f"5000100^^^{NDA_DOMAIN}^AN", "20261118103000"),
            zbe(1, "20261118103000", "UPDATE", "N", "A01", "CARDIO"),
            ZFD_JEANNE,
        ),
    )


def read(raw: bytes, ids: HisIdentifiers = SITE) -> Snapshot:
    return parse_snapshot(raw, "f", T0, ids)


def refusal(raw: bytes, ids: HisIdentifiers = SITE) -> SnapshotRejected:
    with pytest.raises(SnapshotRejected) as caught:
        read(raw, ids)
    return caught.value


# ------------------------------------------------------------------------ HL7
def test_a_gam_census_gives_the_site_identifiers_with_their_authorities() -> None:
    snapshot = read(pam_fr_census())
    by_ipp = {p.ipp: p for p in snapshot.patients}
    assert set(by_ipp) == {"800100", "800200", "800300", "800400", "800500"}  # never 777001
    assert by_ipp["800100"].ipp_authority == IPP_OID
    stays = {s.nda: s for s in snapshot.stays}
    assert {(s.nda, s.ipp, s.uf_code, s.bed_code) for s in stays.values()} == {
        ("5000100", "800100", "CARDIO", "1B"),  # admitted in 1A, corrected to 1B by the Z99
        ("5000200", "800200", "PNEUMO", "3A"),  # transferred
        ("5000400", "800400", "CARDIO", "2B"),  # on leave (A21): the stay stays open
    }  # 5000500 discharged (A03)
    assert stays["5000100"].nda_authority == NDA_OID
    assert stays["5000100"].admitted_at == datetime(2026, 11, 18, 10, 30).astimezone()  # local time


def test_the_hand_built_messages_are_valid_hl7_for_an_independent_parser() -> None:
    """hl7apy (STRICT) reads the standard segments of every message (its Z segments are typed ST:
    ZBE and ZFD are left to the kit) and finds the same identifiers and birth place."""
    texts = ["MSH|" + m for m in pam_fr_census().decode().split("MSH|")[1:]]
    seen = {}
    for text in texts:
        body = "\r".join(s for s in text.split("\r") if s[:3] in ("MSH", "EVN", "PID", "PV1"))
        msg = parse_message(body, validation_level=VALIDATION_LEVEL.STRICT, find_groups=False)
        assert msg.msh.msh_12.to_er7() == "2.5^FRA^2.11"
        ours = [r.cx_1.to_er7() for r in msg.pid.pid_3 if r.cx_4.hd_2.to_er7() == IPP_OID]
        seen[ours[0]] = (
            msg.pv1.pv1_19.cx_1.to_er7(),
            [a.xad_9.to_er7() for a in msg.pid.pid_11 if a.xad_7.to_er7() == "BDL"],
        )
    assert seen["800100"] == ("5000100", ["88154"]) and set(seen) == {
        "800100",
        "800200",
        "800300",
        "800400",
        "800500",
    }


def test_a_gam_census_gives_the_identity_traits_of_pam_fr() -> None:
    by_ipp = {p.ipp: p.identity for p in read(pam_fr_census()).patients}
    jeanne = by_ipp["800100"]
    assert (jeanne.birth_name, jeanne.first_names, jeanne.used_name, jeanne.used_first_name) == (
        "DARK",
        ["JEANNE", "MARIE", "CÉCILE"],  # the birth first names list of the L name, not "JEANNE" twice
        "MARTIN",
        "MARIE",
    )
    assert (jeanne.birth_date, jeanne.sex.value, jeanne.status.value) == (date(1960, 5, 30), "F", "qualifiee")
    assert jeanne.ins == JEANNE_INS and jeanne.ins_type == "INS-NIR"
    assert jeanne.birth_place_insee == "88154"  # XAD-9 of the BDL address
    assert (jeanne.birth_place_name or "").upper() == "DOMRÉMY-LA-PUCELLE"  # XAD-3
    assert (jeanne.collection_mode, jeanne.document_type) == ("INSI", "CN")  # ZFD-5, ZFD-7
    assert jeanne.insi_queried_on == date(2026, 10, 15)  # ZFD-6
    assert by_ipp["800300"].sex.value == "I"  # PID-8 U


def test_the_ins_is_an_ins_only_for_a_qualified_identity() -> None:
    by_ipp = {p.ipp: p.identity for p in read(pam_fr_census()).patients}
    paul, anne = by_ipp["800200"], by_ipp["800400"]
    assert (paul.status.value, paul.ins, paul.ins_unverified) == ("validee", None, PAUL_INS)
    assert (anne.status.value, anne.ins, anne.ins_unverified) == ("recuperee", None, ANNE_INS)


def test_the_ipp_of_another_domain_is_never_taken() -> None:
    only_other = message(1, "A28", "ADT_A05", jeanne_pid("VALI", ids=f"777001^^^{OTHER}^PI"), pv1("N"))
    caught = refusal(batch(only_other))
    assert (
        "Message 1" in caught.message_fr and "PID-3" in caught.message_fr and "domaine" in caught.message_fr
    )
    assert "domain" in caught.message_en and "777001" not in caught.message_fr + caught.message_en
    # Declared by namespace only (the site has no OID yet): the same.
    by_name = HisIdentifiers(authority="CHU-EXEMPLE")
    assert refusal(batch(only_other), by_name)
    other_ns = message(1, "A28", "ADT_A05", jeanne_pid("VALI", ids="777001^^^GHT-AUTRE^PI"), pv1("N"))
    assert refusal(batch(other_ns), by_name)
    # The OID decides when both are there: our namespace with another OID is not ours.
    spoofed = message(
        1, "A28", "ADT_A05", jeanne_pid("VALI", ids=f"777001^^^CHU-EXEMPLE&{OTHER_OID}&ISO^PI"), pv1("N")
    )
    assert refusal(batch(spoofed))
    # Nothing declared: one domain is the HIS's; two domains cannot be told apart.
    assert [p.ipp for p in read(batch(only_other), HisIdentifiers()).patients] == ["777001"]
    two = message(1, "A28", "ADT_A05", jeanne_pid(), pv1("N"))
    caught = refusal(batch(two), HisIdentifiers())
    assert "plusieurs" in caught.message_fr and "several" in caught.message_en


def test_identifiers_without_any_authority_are_the_senders_own() -> None:
    """A sender that names no authority at all (PAM FR requires CX-4, not every HIS does): its
    identifiers are its own; mixed with another domain's, an unnamed one is not taken."""
    bare = jeanne_pid("VALI", ids="800100^^^^PI").replace(f"5000100^^^{NDA_DOMAIN}^AN", "")
    raw = batch(message(1, "A01", "ADT_A01", bare, pv1("I", "CARDIO^101^1A", "5000100", "20261118103000")))
    snapshot = read(raw)
    assert [(p.ipp, p.ipp_authority) for p in snapshot.patients] == [("800100", None)]
    assert [(s.nda, s.nda_authority) for s in snapshot.stays] == [("5000100", None)]
    mixed = jeanne_pid("VALI", ids=f"777001^^^{OTHER}^PI~800100^^^^PI")
    assert refusal(batch(message(1, "A28", "ADT_A05", mixed, pv1("N"))))


def test_the_nda_is_the_site_domains_from_pid_18_or_pv1_19() -> None:
    ours = f"800100^^^{OURS}^PI~{JEANNE_INS}^^^{INS_NIR}^INS"
    venue = pv1("I", "CARDIO^101^1A", f"VN77^^^{NDA_DOMAIN}^VN", "20261118103000")  # the venue number
    snapshot = read(batch(message(1, "A01", "ADT_A01", jeanne_pid(ids=ours), venue)))
    assert [s.nda for s in snapshot.stays] == ["5000100"]  # PID-18, type AN
    no_pid18 = jeanne_pid(ids=ours).replace(f"5000100^^^{NDA_DOMAIN}^AN", "")
    snapshot = read(batch(message(1, "A01", "ADT_A01", no_pid18, venue)))
    assert [s.nda for s in snapshot.stays] == ["VN77"]  # PV1-19 when PID-18 is empty
    foreign = pv1("I", "CARDIO^101^1A", f"999^^^{OTHER}^AN", "20261118103000")
    caught = refusal(batch(message(1, "A01", "ADT_A01", no_pid18, foreign)))
    assert "NDA" in caught.message_fr and "PV1-19" in caught.message_fr


def test_the_uf_comes_from_zbe_when_pv1_3_is_empty() -> None:
    ours = f"800100^^^{OURS}^PI~{JEANNE_INS}^^^{INS_NIR}^INS"
    snapshot = read(
        batch(
            message(
                1,
                "A01",
                "ADT_A01",
                jeanne_pid(ids=ours),
                pv1("I", "", f"5000100^^^{NDA_DOMAIN}^AN", "20261118103000"),
                zbe(1, "20261118103000", uf="CARDIO"),
            )
        )
    )
    assert [(s.uf_code, s.bed_code) for s in snapshot.stays] == [("CARDIO", None)]


def test_a_historic_movement_update_does_not_move_the_patient() -> None:
    ours = f"800100^^^{OURS}^PI"
    nda = f"5000100^^^{NDA_DOMAIN}^AN"
    raw = batch(
        message(
            1,
            "A01",
            "ADT_A01",
            jeanne_pid("VALI", ids=ours),
            pv1("I", "CARDIO^101^1A", nda, "20261118103000"),
        ),
        message(
            2,
            "A02",
            "ADT_A02",
            jeanne_pid("VALI", ids=ours),
            pv1("I", "PNEUMO^301^3A", nda, "20261118103000"),
        ),
        # the admission (a past movement) updated: the patient is still in PNEUMO
        message(
            3,
            "Z99",
            "ADT_A01",
            jeanne_pid("VALI", ids=ours),
            pv1("I", "CARDIO^101^1B", nda, "20261118103000"),
            zbe(1, "20261118103000", "UPDATE", "Y", "A01", "CARDIO"),
        ),
    )
    assert [(s.uf_code, s.bed_code) for s in read(raw).stays] == [("PNEUMO", "3A")]


@pytest.mark.parametrize(
    ("pid_segment", "fr", "en"),
    [
        (jeanne_pid(ids=f"800100^^^{OURS}^PI"), "identité invalide", "invalid identity"),  # QUAL without INS
        (
            jeanne_pid(ids=f"800100^^^{OURS}^PI~260058815400234^^^{INS_NIR}^INS"),
            "identité invalide",
            "invalid identity",
        ),
        (jeanne_pid(address="^^Domrémy^^88630^FRA^BDL^^8815"), "identité invalide", "invalid identity"),
        (jeanne_pid().replace("19600530", "1960-05-30"), "date de naissance", "birth date"),
    ],
    ids=["qualified-without-ins", "ins-bad-key", "bdl-insee-malformed", "pid7-not-hl7"],
)
def test_malformed_pam_fr_messages_are_refused_with_a_bilingual_reason(
    pid_segment: str, fr: str, en: str
) -> None:
    caught = refusal(batch(message(1, "A28", "ADT_A05", pid_segment, pv1("N"))))
    assert caught.message_fr.startswith("Message 1") and fr in caught.message_fr and en in caught.message_en
    text = caught.message_fr + caught.message_en + json.dumps(caught.detail_pairs, ensure_ascii=False)
    assert "DARK" not in text.upper() and "800100" not in text


def test_unknown_zfd_codes_are_skipped_not_guessed() -> None:
    odd = seg("ZFD", {5: "XX", 6: "2026-10-15", 7: "ZZ"})
    [patient] = read(batch(message(1, "A28", "ADT_A05", jeanne_pid(), pv1("N"), odd))).patients
    assert (patient.identity.collection_mode, patient.identity.document_type) == (None, None)
    assert patient.identity.insi_queried_on is None and patient.identity.status.value == "qualifiee"


def test_a_doubtful_or_fictitious_identity_stays_provisional() -> None:
    doubtful = jeanne_pid(status="VALI~DOUT", ids=f"800100^^^{OURS}^PI")
    [patient] = read(batch(message(1, "A28", "ADT_A05", doubtful, pv1("N")))).patients
    assert patient.identity.status.value == "provisoire"


# ----------------------------------------------------------------------- FHIR
def official(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


RNIV = "Patient-FRCorePatientINSExampleRNIV.json"
PATIENT = "Patient-FRCorePatientExample.json"
ENCOUNTER = "Encounter-FRCoreEncounterExample.json"
IPP_SYSTEM = f"urn:oid:{IPP_OID}"
NDA_SYSTEM = f"urn:oid:{NDA_OID}"
PI_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PI"}]}
FHIR_SITE = HisIdentifiers(ipp_oid=IPP_OID, nda_oid=NDA_OID)


def with_ipp(patient: dict[str, Any], value: str, system: str = IPP_SYSTEM) -> dict[str, Any]:
    """The official example, plus the IPP an HIS gives every patient (fr-core-patient slice PI)."""
    out = copy.deepcopy(patient)
    out["identifier"] = [
        {"use": "usual", "type": PI_TYPE, "system": system, "value": value},
        *out["identifier"],
    ]
    return out


def ward(code: str) -> dict[str, Any]:
    return {
        "resourceType": "Location",
        "id": f"uf-{code}",
        "identifier": [{"system": "urn:oid:2.999.1.9", "value": code}],
        "physicalType": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/location-physical-type", "code": "wa"}
            ]
        },
    }


def placed(
    encounter: dict[str, Any], patient_ref: str, location_ref: str, nda: str | None = None
) -> dict[str, Any]:
    out = copy.deepcopy(encounter)
    out["subject"] = {"reference": patient_ref}
    out["location"] = [{"location": {"reference": location_ref}, "status": "active"}]
    if nda:
        out["identifier"] = [
            {
                "type": {
                    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "AN"}]
                },
                "system": NDA_SYSTEM,
                "value": nda,
            },
            *out["identifier"],
        ]
    return out


def bundle(kind: str, *resources: dict[str, Any]) -> bytes:
    entries: list[dict[str, Any]] = []
    for r in resources:
        entry: dict[str, Any] = {
            "fullUrl": f"https://dpi.example/fhir/{r['resourceType']}/{r['id']}",
            "resource": r,
        }
        if kind == "transaction":
            entry["request"] = {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}
        if kind == "searchset":
            entry["search"] = {"mode": "match" if r["resourceType"] == "Encounter" else "include"}
        entries.append(entry)
    body = {"resourceType": "Bundle", "type": kind, "timestamp": T0.isoformat(), "entry": entries}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def fr_core_bundle(kind: str) -> bytes:
    """The official examples as an HIS sends them: the Patient with its IPP, the Encounter placed."""
    patient = with_ipp(official(RNIV), "800100")
    encounter = placed(
        official(ENCOUNTER), "Patient/FRCorePatientINSExampleRNIV", "Location/uf-CARDIO", "5000100"
    )
    return bundle(kind, patient, ward("CARDIO"), encounter)


def test_the_kits_own_fhir_systems_are_never_taken_as_the_his_identifiers() -> None:
    """A FHIR server the kit wrote to gives back the kit's provisional IPP (``urn:continuite:SITE:ipp``,
    the system sent while no OID is declared) beside the HIS's: with no system declared, the
    HIS's is taken (the kit's is not another domain's), and the kit's alone is no HIS IPP, as
    the HL7 reader already does for the kit's namespace (CONTINUITE-...)."""
    kit = "urn:continuite:TEST-CH:ipp"
    both = with_ipp(with_ipp(official(RNIV), "800100", "https://dpi.example/ipp"), "9001000005", kit)
    encounter = placed(
        official(ENCOUNTER), "Patient/FRCorePatientINSExampleRNIV", "Location/uf-CARDIO", "5000100"
    )
    only_nda = HisIdentifiers(nda_oid=NDA_OID)  # the IPP system left undeclared
    [p] = read(bundle("collection", both, ward("CARDIO"), encounter), only_nda).patients
    assert (p.ipp, p.ipp_authority) == ("800100", "https://dpi.example/ipp")
    alone = with_ipp(official(RNIV), "9001000005", kit)
    alone["identifier"] = [i for i in alone["identifier"] if i.get("system") == kit or "INS" in json.dumps(i)]
    assert refusal(bundle("collection", alone, ward("CARDIO"), encounter), only_nda)


@pytest.mark.parametrize("kind", ["collection", "searchset", "transaction"])
def test_fr_core_bundles_of_the_official_examples_import(kind: str) -> None:
    snapshot = read(fr_core_bundle(kind), FHIR_SITE)
    [p] = snapshot.patients
    assert (p.ipp, p.ipp_authority) == ("800100", IPP_SYSTEM)
    i = p.identity
    assert (i.birth_name, i.first_names, i.birth_date, i.sex.value) == (
        "DARK",
        ["JEANNE", "MARIE", "CÉCILE"],
        date(1960, 5, 30),
        "F",
    )
    assert (i.status.value, i.ins, i.ins_type) == ("qualifiee", "260058815400233", "INS-NIR")
    assert i.birth_place_insee == "88154" and (i.birth_place_name or "").upper() == "DOMRÉMY-LA-PUCELLE"
    [s] = snapshot.stays
    assert (s.nda, s.nda_authority, s.ipp, s.uf_code) == ("5000100", NDA_SYSTEM, "800100", "CARDIO")
    assert s.admitted_at == datetime(2019, 1, 2).astimezone()  # a date alone: local midnight


def test_fr_core_identity_reliability_method_date_and_document() -> None:
    patient = with_ipp(official(RNIV), "800100")
    patient["extension"][1]["extension"] += [
        {
            "url": "methodCollection",
            "valueCoding": {
                "system": "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-method-collection",
                "code": "INSI",
            },
        },
        {"url": "dateCollection", "valueDate": "2026-10-15"},
        {
            "url": "validationMode",
            "valueCoding": {
                "system": "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-mode-validation-identity",
                "code": "PA",
            },
        },
    ]
    [p] = read(bundle("collection", patient), FHIR_SITE).patients
    assert (p.identity.collection_mode, p.identity.insi_queried_on, p.identity.document_type) == (
        "INSI",
        date(2026, 10, 15),
        "PA",
    )


def test_the_official_examples_as_they_are_cannot_be_his_patients() -> None:
    # They carry the INS only: the INS is never taken as the IPP.
    caught = refusal(bundle("collection", official(RNIV)), HisIdentifiers())
    assert "IPP" in caught.message_fr and "Entrée 1" in caught.message_fr and "IPP" in caught.message_en
    # FRCorePatientExample's NIR fails the NIR check key: refused as an INS (validated or not).
    caught = refusal(bundle("collection", with_ipp(official(PATIENT), "800100")), FHIR_SITE)
    assert "identité invalide" in caught.message_fr and "123456789012244" not in json.dumps(
        caught.detail_pairs
    )
    # FRCoreEncounterExample has no subject: it names no patient of the bundle.
    patient = with_ipp(official(RNIV), "800100")
    caught = refusal(bundle("collection", patient, official(ENCOUNTER)), HisIdentifiers())
    assert (
        "patient du séjour absent" in caught.message_fr
        and "patient is not in the bundle" in caught.message_en
    )


def test_the_official_ins_example_is_refused_for_its_nir() -> None:
    """FRCorePatientINSExample (FSH source kept in tests/data/fr-core/snapshot-examples/:
    FRCorePatientExample's traits, status QUAL of fr-core-cs-identity-status): a qualified
    identity whose NIR fails its check key cannot be imported, and the refusal names the
    field, not the number."""
    fsh = (DATA / "FRCorePatientINSExample.fsh").read_text(encoding="utf-8")
    system, code = re.search(r"identityStatus\]\.valueCoding = (\S+)#(\w+)", fsh).groups()  # type: ignore[union-attr]
    nir = re.search(r'identifier\[INS-NIR\]\.value = "(\d+)"', fsh).group(1)  # type: ignore[union-attr]
    patient = with_ipp(official(PATIENT), "800100")
    patient["id"] = "FRCorePatientINSExample"
    patient["extension"][1]["extension"][0]["valueCoding"] = {"system": system, "code": code}
    patient["identifier"][1]["value"] = nir
    assert (code, nir) == ("QUAL", "123456789012244")
    caught = refusal(bundle("collection", patient), FHIR_SITE)
    assert (
        caught.message_fr == "Entrée 1 : identité invalide."
        and caught.message_en == "Entry 1: invalid identity."
    )
    details = json.dumps(caught.detail_pairs, ensure_ascii=False)
    assert "INS" in details and nir not in details
    # With a valid NIR of the same person (male, born December 1974) it is imported as qualified.
    patient["identifier"][1]["value"] = "174127505612360"
    [p] = read(bundle("collection", patient), FHIR_SITE).patients
    assert (p.identity.status.value, p.identity.ins, p.identity.birth_place_insee) == (
        "qualifiee",
        "174127505612360",
        "01006",
    )
    assert (
        p.identity.first_names == ["PIERRE", "YVES"]
        and (p.identity.birth_place_name or "").upper() == "AMBLÉON"
    )


def test_fr_core_ipp_of_another_system_and_the_nss_are_never_taken() -> None:
    other = with_ipp(official(RNIV), "777001", system=f"urn:oid:{OTHER_OID}")
    caught = refusal(bundle("collection", other), FHIR_SITE)
    assert "IPP" in caught.message_fr and "777001" not in caught.message_fr
    # Both IPPs: ours is taken whatever the order.
    both = with_ipp(other, "800100")
    both["identifier"].reverse()
    assert [p.ipp for p in read(bundle("collection", both), FHIR_SITE).patients] == ["800100"]
    # Nothing declared: two PI systems cannot be told apart.
    assert refusal(bundle("collection", both), HisIdentifiers())
    # The NSS (type NH, same system as the INS) is not the INS.
    nss = with_ipp(official(RNIV), "800100")
    nss["identifier"][1]["type"]["coding"] = [
        {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "NH"}
    ]
    nss["extension"][1]["extension"][0]["valueCoding"]["code"] = "VALI"
    [p] = read(bundle("collection", nss), FHIR_SITE).patients
    assert p.identity.ins is None and p.identity.ins_unverified is None


def test_fr_core_identifiers_without_system_are_the_senders_own() -> None:
    patient = with_ipp(official(RNIV), "800100")
    del patient["identifier"][0]["system"]
    [p] = read(bundle("collection", patient), FHIR_SITE).patients
    assert (p.ipp, p.ipp_authority) == ("800100", None)


def test_fr_core_gender_unknown_is_i_and_a_validated_ins_is_not_an_ins() -> None:
    patient = with_ipp(official(RNIV), "800100")
    patient["gender"] = "unknown"
    patient["extension"][1]["extension"][0]["valueCoding"]["code"] = "VALI"
    [p] = read(bundle("collection", patient), FHIR_SITE).patients
    assert (p.identity.sex.value, p.identity.status.value) == ("I", "validee")
    assert (p.identity.ins, p.identity.ins_unverified) == (None, JEANNE_INS)


# ------------------------------------------------------------------------ CSV
def test_the_csv_snapshot_carries_the_same_traits() -> None:
    raw = (
        "# instantane: 2026-11-20T08:00:00+00:00\n"
        "ipp;nom_naissance;prenoms;date_naissance;sexe;ins;statut_identite;lieu_naissance;"
        "commune_naissance;mode_recueil;date_insi;justificatif\n"
        f"800100;DARK;JEANNE MARIE CÉCILE;30/05/1960;F;{JEANNE_INS};qualifiee;88154;"
        "Domrémy-la-Pucelle;INSI;2026-10-15;CN\n"
        f"800200;LEROY;PAUL;12/03/1955;M;{PAUL_INS};validee;;;;;\n"
        "# fin: 2\n"
    ).encode()
    by_ipp = {p.ipp: p.identity for p in read(raw).patients}
    jeanne, paul = by_ipp["800100"], by_ipp["800200"]
    assert (jeanne.ins, jeanne.birth_place_insee, (jeanne.birth_place_name or "").upper()) == (
        JEANNE_INS,
        "88154",
        "DOMRÉMY-LA-PUCELLE",
    )
    assert (jeanne.collection_mode, jeanne.insi_queried_on, jeanne.document_type) == (
        "INSI",
        date(2026, 10, 15),
        "CN",
    )
    assert (paul.ins, paul.ins_unverified) == (None, PAUL_INS)
    caught = refusal(raw.replace(b";INSI;", b";XX;"))
    assert (
        "Ligne 3" in caught.message_fr
        and "mode" in caught.message_fr.lower() + json.dumps(caught.detail_pairs, ensure_ascii=False).lower()
    )


# ------------------------------------------------------------ into the store
def declare_domains(admin: Session) -> None:
    """The site's [his] as the Foundation has it: namespace and the OIDs of the IPP and NDA domains."""
    sync_state.set_endpoints(admin, None, None, his_authority="CHU-EXEMPLE")
    sync_state.set_identifier_domains(
        admin, ipp_oid=IPP_OID, nda_oid=NDA_OID, provisional_ipp_oid="2.999.1.8"
    )


def test_the_site_domains_reach_the_readers(admin_session: Session, crisis: Session) -> None:
    declare_domains(admin_session)
    ids = snapshots.his_identifiers(crisis)
    assert (ids.authority, ids.ipp_oid, ids.nda_oid, ids.provisional_ipp_oid) == (
        "CHU-EXEMPLE",
        IPP_OID,
        NDA_OID,
        "2.999.1.8",
    )
    # The kit's own provisional domain is never taken as the HIS's, even alone in PID-3.
    ours_only = jeanne_pid("VALI", ids="CTN-42^^^CHU-EXEMPLE&2.999.1.8&ISO^PI")
    assert refusal(
        batch(message(1, "A28", "ADT_A05", ours_only, pv1("N"))),
        HisIdentifiers(provisional_ipp_oid="2.999.1.8"),
    )


def test_a_pam_fr_census_lands_in_the_store_under_the_his_identifiers(
    crisis: Session, admin_session: Session
) -> None:
    declare_domains(admin_session)
    raw = pam_fr_census()
    snapshot = parse_snapshot(raw, "f", T0, snapshots.his_identifiers(crisis))
    report = snapshots.import_snapshot(crisis, snapshot, hashlib.sha256(raw).hexdigest())
    assert (report.patients_added, report.stays_added) == (5, 3)
    found = patients.find_patient(crisis, "800100")
    assert found.patient.ipp == "800100" and found.stay is not None and found.stay.nda == "5000100"
    jeanne = found.patient.identity
    assert (jeanne.ins, jeanne.birth_place_insee, jeanne.collection_mode, jeanne.document_type) == (
        JEANNE_INS,
        "88154",
        "INSI",
        "CN",
    )
    assert (jeanne.birth_place_name or "").upper() == "DOMRÉMY-LA-PUCELLE"
    assert jeanne.insi_queried_on == date(2026, 10, 15)
    paul = patients.find_patient(crisis, "800200").patient.identity
    assert (paul.ins, paul.ins_unverified) == (None, PAUL_INS)
    with pytest.raises(NotFound):  # the other domain's IPP is nobody here
        patients.find_patient(crisis, "777001")


def test_a_snapshot_naming_another_domain_is_refused_by_the_service(
    crisis: Session, admin_session: Session
) -> None:
    """Whoever built the snapshot: an IPP or NDA whose authority is another OID is not imported."""
    declare_domains(admin_session)
    snapshot = read(pam_fr_census())
    moved = snapshot.model_copy(
        update={"patients": [p.model_copy(update={"ipp_authority": OTHER_OID}) for p in snapshot.patients]}
    )
    with pytest.raises(InvalidInput) as caught:
        snapshots.import_snapshot(crisis, moved, "x" * 64)
    assert "domaine" in caught.value.message_fr and "domain" in caught.value.message_en
    stays = snapshot.model_copy(
        update={
            "stays": [s.model_copy(update={"nda_authority": f"urn:oid:{OTHER_OID}"}) for s in snapshot.stays]
        }
    )
    with pytest.raises(InvalidInput):
        snapshots.import_snapshot(crisis, stays, "y" * 64)
    assert crisis.store.patients.count_patients() == 0


def test_the_kits_own_pam_fr_message_for_an_his_patient_reads_back(
    crisis: Session, nurse: Session, admin_session: Session
) -> None:
    """The same PAM FR messages: what the kit sends the HIS for one of its patients moved
    offline, read as a snapshot, names that patient and stay with the HIS's identifiers."""
    from continuity.services import delivery
    from sync.hl7_adt import build_message

    declare_domains(admin_session)
    raw = pam_fr_census()
    load = parse_snapshot(raw, "f", T0, snapshots.his_identifiers(crisis))
    snapshots.import_snapshot(crisis, load, hashlib.sha256(raw).hexdigest())
    stay = patients.find_patient(nurse, "800100").stay
    assert stay is not None
    patients.transfer(nurse, stay.id, "CARDIO", "2A")
    [event] = nurse.store.outbox.deliverable_events(10)
    message = build_message(
        delivery.event_context(admin_session, event), delivery.sending_site(admin_session), T0
    )
    snapshot = parse_snapshot(message.encode(), "f", T0, snapshots.his_identifiers(crisis))
    [p] = snapshot.patients
    assert (p.ipp, p.identity.birth_name, p.identity.ins, p.identity.birth_place_insee) == (
        "800100",
        "DARK",
        JEANNE_INS,
        "88154",
    )
    assert [(s.nda, s.uf_code, s.bed_code) for s in snapshot.stays] == [("5000100", "CARDIO", "2A")]


def test_an_ins_of_the_test_arc_goes_back_under_the_test_arc(
    crisis: Session, nurse: Session, admin_session: Session
) -> None:
    """An HIS's pre-production sends INS under the test arc (1.2.250.1.213.1.4.10): the kit
    sent them back under the production OID (.8), in HL7 and FHIR alike (review of issue 16)."""
    from continuity.services import delivery
    from sync import fhir
    from sync.hl7_adt import build_message

    declare_domains(admin_session)
    test_arc = "ASIP-SANTE-INS-NIR-TEST&1.2.250.1.213.1.4.10&ISO"
    raw = pam_fr_census().replace(
        f"{JEANNE_INS}^^^{INS_NIR}^INS".encode(), f"{JEANNE_INS}^^^{test_arc}^INS".encode()
    )
    load = parse_snapshot(raw, "f", T0, snapshots.his_identifiers(crisis))
    snapshots.import_snapshot(crisis, load, hashlib.sha256(raw).hexdigest())
    found = patients.find_patient(nurse, "800100")
    assert found.stay is not None and found.patient.identity.ins_type == "INS-NIR-TEST"
    patients.transfer(nurse, found.stay.id, "CARDIO", "2A")
    [event] = nurse.store.outbox.deliverable_events(10)
    ctx = delivery.event_context(admin_session, event)
    site = delivery.sending_site(admin_session)
    message = build_message(ctx, site, T0)
    assert f"{JEANNE_INS}^^^{test_arc}^INS" in message and "1.2.250.1.213.1.4.8" not in message
    resource = fhir.patient_resource(ctx, site, None)
    [ins] = [i for i in resource.identifier or [] if i.value == JEANNE_INS]
    assert ins.system == "urn:oid:1.2.250.1.213.1.4.10"
    assert ins.type is not None and ins.type.coding is not None
    assert ins.type.coding[0].code == "INS-NIR-TEST"


def test_the_rniv_attributes_are_read_from_pid_32_fhir_and_csv() -> None:
    """A doubtful (DOUT) or fictitious (FICT) identity from the HIS keeps its attribute (it
    was read as plain provisional), whatever status beside it."""
    from continuity.domain.snapshot import HisIdentifiers
    from sync.snapshots import parse_snapshot

    base = "MSH|^~\\&|DPI|CH|KIT|CH|20261120080000||ADT^A28^ADT_A05|1|P|2.5^FRA^2.11\r"
    pid = "PID|||800001^^^DPI^PI||DUPONT^JEAN^^^^^L||19700101|M||||||||||||||||||||||||{}\r"
    for codes, expected in (
        ("VALI~DOUT", (True, False)),
        ("PROV~FICT", (False, True)),
        ("VALI", (False, False)),
    ):
        snap = parse_snapshot(
            (base + pid.format(codes)).encode(), "f.hl7", T0, HisIdentifiers(authority="DPI")
        )
        who = snap.patients[0].identity
        assert (who.doubtful, who.fictitious) == expected
        assert who.status.value == ("provisoire" if any(expected) else "validee")
    csv_text = (
        "# instantane: 2026-11-20T08:00:00+01:00\n"
        "ipp;nom_naissance;prenoms;date_naissance;sexe;statut_identite;identite_douteuse\n"
        "800001;DUPONT;JEAN;1970-01-01;M;validee;oui\n"
    )
    who = parse_snapshot(csv_text.encode(), "f.csv", T0).patients[0].identity
    assert who.doubtful and who.status.value == "provisoire"
