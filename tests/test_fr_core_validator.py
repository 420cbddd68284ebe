"""The FR Core validation harness proved: the official examples pass, hand-broken copies fail.

The harness (tests/peers/fr_core_validate.mjs) is Medplum's validateResource with the FR Core
StructureDefinitions, plus its own checks of what Medplum does not check (nested slices, slice
contents, required bindings, extension value types). A pass means something only if each rule
it is trusted with fails a resource that breaks it: one broken copy per rule below.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.peers.medplum import FR_CORE_DIR, validate_fr_core

EXAMPLES = FR_CORE_DIR / "examples"
FR = "https://hl7.fr/ig/fhir/core/StructureDefinition/"
Resource = dict[str, Any]


def _example(name: str) -> Resource:
    data: Resource = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _errors(report: dict[str, Any]) -> list[str]:
    return [f"{e.get('path')}: {e.get('text')}" for e in report["errors"]]


def test_fr_core_files_are_where_the_tests_read_them() -> None:
    assert (FR_CORE_DIR / "README.md").is_file(), f"FR Core test data missing in {FR_CORE_DIR}"
    names = {p.name for p in FR_CORE_DIR.glob("StructureDefinition-*.json")}
    assert {
        "StructureDefinition-fr-core-patient-ins.json",
        "StructureDefinition-fr-core-encounter.json",
    } <= names


def test_official_examples_pass_with_zero_errors() -> None:
    names = sorted(p.stem for p in EXAMPLES.glob("*.json"))
    assert names == [
        "Encounter-FRCoreEncounterExample",
        "Patient-FRCorePatientExample",
        "Patient-FRCorePatientINSExample",
    ]
    resources = [_example(n) for n in names]
    reports = validate_fr_core([*resources, resources[1]], [None, None, None, FR + "fr-core-patient"])
    for name, report in zip([*names, "as fr-core-patient"], reports, strict=True):
        assert report["profiles"], name
        assert _errors(report) == [], name


def _patient_ins() -> Resource:
    return _example("Patient-FRCorePatientINSExample")


def _drop_ins_type(p: Resource) -> None:
    del p["identifier"][0]["type"]


def _nia_with_nir_system(p: Resource) -> None:
    p["identifier"][0]["type"]["coding"][0]["code"] = "INS-NIA"


def _gender_other(p: Resource) -> None:
    p["gender"] = "other"


def _no_birth_list(p: Resource) -> None:
    del p["name"][0]["extension"]


def _two_given(p: Resource) -> None:
    p["name"][0]["given"] = ["Pierre", "Yves"]


def _no_insee_code(p: Resource) -> None:
    birth = next(e for e in p["extension"] if e["url"].endswith("patient-birthPlace"))
    del birth["valueAddress"]["extension"]


def _no_birth_place(p: Resource) -> None:
    p["extension"] = [e for e in p["extension"] if not e["url"].endswith("patient-birthPlace")]


def _status_as_string(p: Resource) -> None:
    reliability = next(e for e in p["extension"] if e["url"].endswith("fr-core-identity-reliability"))
    reliability["extension"][0] = {"url": "identityStatus", "valueString": "VALI"}


def _status_unknown_code(p: Resource) -> None:
    reliability = next(e for e in p["extension"] if e["url"].endswith("fr-core-identity-reliability"))
    reliability["extension"][0]["valueCoding"]["code"] = "QUALIF"


def _validation_mode_not_for_ins(p: Resource) -> None:
    reliability = next(e for e in p["extension"] if e["url"].endswith("fr-core-identity-reliability"))
    reliability["extension"].append(
        {
            "url": "validationMode",
            "valueCoding": {
                "system": "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-mode-validation-identity",
                "code": "CS",
            },
        }
    )


def _ins_use_usual(p: Resource) -> None:
    p["identifier"][0]["use"] = "usual"


def _ipp_official(p: Resource) -> None:
    p["identifier"].append(
        {
            "use": "official",
            "type": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                        "code": "PI",
                        "display": "Patient internal identifier",
                    }
                ]
            },
            "system": "urn:oid:1.2.250.1.999.1.1",
            "value": "12345",
        }
    )


def _no_birth_date(p: Resource) -> None:
    del p["birthDate"]


PATIENT_BREAKS: list[tuple[str, Callable[[Resource], None], str]] = [
    ("missing INS type", _drop_ins_type, "INS identifier without its INS type"),
    ("INS-NIA with the NIR's OID", _nia_with_nir_system, "Patient.identifier:INS-NIA.system"),
    ("gender other", _gender_other, "fr-core-vs-patient-gender"),
    ("birth list name missing", _no_birth_list, "Patient.name:officialName.extension:birth-list-given-name"),
    ("two given names in the INS official name", _two_given, "Patient.name:officialName.given"),
    ("birth place without INSEE code", _no_insee_code, "inseeCode"),
    ("birth place missing", _no_birth_place, "Patient.extension:birthPlace"),
    ("identity status as a string", _status_as_string, "valueString"),
    ("identity status code outside v2-0445", _status_unknown_code, "QUALIF"),
    (
        "validation mode outside the INS value set",
        _validation_mode_not_for_ins,
        "fr-core-vs-mode-validation-identity-ins",
    ),
    ("INS use usual", _ins_use_usual, "fr-core-vs-patient-identifier-use-ins"),
    ("IPP use official", _ipp_official, "fr-core-vs-patient-identifier-use-pi"),
    ("birth date missing", _no_birth_date, "birthDate"),
]


def _encounter_no_period(e: Resource) -> None:
    del e["period"]


def _encounter_no_identifier_type(e: Resource) -> None:
    del e["identifier"][0]["type"]


def _encounter_no_class_system(e: Resource) -> None:
    del e["class"]["system"]


def _encounter_identifier_type_unknown_code(e: Resource) -> None:
    e["identifier"][0]["type"]["coding"][0]["code"] = "NDA"


ENCOUNTER_BREAKS: list[tuple[str, Callable[[Resource], None], str]] = [
    ("period missing", _encounter_no_period, "Encounter.period"),
    ("identifier type missing", _encounter_no_identifier_type, "Encounter.identifier.type"),
    ("class system missing", _encounter_no_class_system, "Encounter.class.system"),
    ("identifier type code outside its code system", _encounter_identifier_type_unknown_code, "NDA"),
]


def test_each_broken_copy_fails_with_the_expected_error() -> None:
    resources: list[Resource] = []
    for _, breaks, _ in PATIENT_BREAKS:
        p = copy.deepcopy(_patient_ins())
        breaks(p)
        resources.append(p)
    for _, breaks, _ in ENCOUNTER_BREAKS:
        e = copy.deepcopy(_example("Encounter-FRCoreEncounterExample"))
        breaks(e)
        resources.append(e)
    reports = validate_fr_core(resources)
    for (rule, _, expected), report in zip([*PATIENT_BREAKS, *ENCOUNTER_BREAKS], reports, strict=True):
        errors = _errors(report)
        assert any(expected in e for e in errors), f"{rule}: {expected!r} not in {errors}"


def test_an_ins_outside_the_ins_profile_fails() -> None:
    patient = _patient_ins()
    patient["meta"]["profile"] = [FR + "fr-core-patient"]
    [report] = validate_fr_core([patient])
    assert _errors(report) == [
        "Patient.identifier[0]: an INS is conveyed only by a Patient claiming fr-core-patient-ins"
        " (qualified identity)"
    ]


def test_a_resource_claiming_no_profile_fails() -> None:
    patient = _patient_ins()
    del patient["meta"]
    [report] = validate_fr_core([patient])
    assert _errors(report) == ["Patient: no profile claimed"]


def test_a_missing_fr_core_folder_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="FR Core conformance files not found"):
        validate_fr_core([_patient_ins()], fr_core=tmp_path / "absent")
