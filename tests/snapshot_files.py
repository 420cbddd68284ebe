"""HIS snapshot files written the way an HIS export would, independently of the kit's readers.

HL7 v2 segments are laid out by hand (ER7 is plain text; one file is checked with
hl7apy in the tests), FHIR Bundles as plain JSON dictionaries, CSV with the csv
module. Patients are synthetic.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

FAMILY = [
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFÈVRE",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "MOREL",
    "GIRARD",
    "ANDRÉ",
    "MERCIER",
]
GIVEN_F = ["MARIE", "JEANNE", "LOUISE", "CHLOÉ", "CAMILLE", "INÈS", "LÉA", "MANON"]
GIVEN_M = ["JEAN", "PIERRE", "LOUIS", "LUCAS", "HUGO", "GABRIEL", "JULES", "ÉTIENNE"]


@dataclass(frozen=True)
class HisPatient:
    ipp: str
    nda: str
    birth_name: str
    first_names: tuple[str, ...]
    birth_date: date
    sex: str
    uf: str
    bed: str | None
    admitted_at: datetime


def his_patients(
    count: int, beds: dict[str, list[str]], admitted_before: datetime, seed: int = 7, ipp_start: int = 800_000
) -> list[HisPatient]:
    """``count`` patients spread over the UFs, one per bed while beds last, then without a bed."""
    rng = random.Random(seed)
    places = [(uf, bed) for uf, codes in beds.items() for bed in codes]
    ufs = list(beds)
    out = []
    for n in range(count):
        sex = rng.choice("FM")
        given = GIVEN_F if sex == "F" else GIVEN_M
        uf, bed = places[n] if n < len(places) else (ufs[n % len(ufs)], None)
        out.append(
            HisPatient(
                ipp=str(ipp_start + n),
                nda=f"N{ipp_start + n}",
                birth_name=rng.choice(FAMILY),
                first_names=tuple(rng.sample(given, rng.choice((1, 1, 2)))),
                birth_date=date(1930, 1, 1) + timedelta(days=rng.randrange(30_000)),
                sex=sex,
                uf=uf,
                bed=bed,
                admitted_at=admitted_before - timedelta(hours=rng.randrange(1, 240)),
            )
        )
    return out


def moved(p: HisPatient, uf: str, bed: str | None) -> HisPatient:
    return replace(p, uf=uf, bed=bed)


def _hl7_time(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S%z")


def hl7_batch(
    patients: list[HisPatient],
    taken_at: datetime,
    *,
    identity_only: bool = False,
    discharged: list[HisPatient] | None = None,
) -> bytes:
    """FHS/BHS batch: an A01 per patient (or A28 for an identity-only file), A03 for ``discharged``."""
    stamp = _hl7_time(taken_at)
    lines = [f"FHS|^~\\&|DPI|CHU|CONTINUITE|CHU|{stamp}", f"BHS|^~\\&|DPI|CHU|CONTINUITE|CHU|{stamp}"]
    count = 0
    events = [(p, "A28" if identity_only else "A01") for p in patients]
    events += [(p, "A03") for p in discharged or []]
    for n, (p, trigger) in enumerate(events, start=1):
        structure = "ADT_A05" if trigger == "A28" else ("ADT_A03" if trigger == "A03" else "ADT_A01")
        first, *others = p.first_names
        lines += [
            f"MSH|^~\\&|DPI|CHU|CONTINUITE|CHU|{stamp}||ADT^{trigger}^{structure}|M{n}|P|2.5|||||FRA"
            "|UNICODE UTF-8|||",
            f"EVN||{stamp}",
            f"PID|||{p.ipp}^^^DPI-CHU&1.2.250.1.999.1&ISO^PI||{p.birth_name}^{first}^"
            f"{' '.join(others)}^^^^L||{p.birth_date:%Y%m%d}|{p.sex}|||||||||||||||||||||||VALI",
        ]
        if trigger == "A28":
            lines.append("PV1||N")
        else:
            lines.append(
                f"PV1||I|{p.uf}^^{p.bed or ''}^CHU||||||||||||||||{p.nda}^^^DPI-CHU^AN"
                + "|" * 25
                + _hl7_time(p.admitted_at)
            )
        count += 1
    lines += [f"BTS|{count}", "FTS|1"]
    return ("\r".join(lines) + "\r").encode("utf-8")


def fhir_bundle(patients: list[HisPatient], taken_at: datetime, scope: list[str] | None = None) -> bytes:
    entries: list[dict[str, object]] = []
    wards = sorted({p.uf for p in patients})
    for uf in wards:
        entries.append(
            {
                "fullUrl": f"urn:uuid:ward-{uf}",
                "resource": {
                    "resourceType": "Location",
                    "id": f"ward-{uf}",
                    "identifier": [{"value": uf}],
                    "physicalType": {"coding": [{"code": "wa"}]},
                },
            }
        )
    for p in patients:
        if p.bed:
            entries.append(
                {
                    "fullUrl": f"urn:uuid:bed-{p.uf}-{p.bed}",
                    "resource": {
                        "resourceType": "Location",
                        "id": f"bed-{p.uf}-{p.bed}",
                        "identifier": [{"value": p.bed}],
                        "physicalType": {"coding": [{"code": "bd"}]},
                        "partOf": {"reference": f"urn:uuid:ward-{p.uf}"},
                    },
                }
            )
        entries.append(
            {
                "fullUrl": f"urn:uuid:pat-{p.ipp}",
                "resource": {
                    "resourceType": "Patient",
                    "id": f"pat-{p.ipp}",
                    "identifier": [
                        {
                            "system": "urn:oid:1.2.250.1.999.1",
                            "value": p.ipp,
                            "type": {"coding": [{"code": "PI"}]},
                        }
                    ],
                    "name": [{"use": "official", "family": p.birth_name, "given": list(p.first_names)}],
                    "gender": {"F": "female", "M": "male"}[p.sex],
                    "birthDate": p.birth_date.isoformat(),
                },
            }
        )
        place = f"urn:uuid:bed-{p.uf}-{p.bed}" if p.bed else f"urn:uuid:ward-{p.uf}"
        entries.append(
            {
                "fullUrl": f"urn:uuid:enc-{p.nda}",
                "resource": {
                    "resourceType": "Encounter",
                    "id": f"enc-{p.nda}",
                    "status": "in-progress",
                    "class": {"code": "IMP"},
                    "identifier": [{"value": p.nda}],
                    "subject": {"reference": f"urn:uuid:pat-{p.ipp}"},
                    "period": {"start": p.admitted_at.isoformat()},
                    "location": [{"location": {"reference": place}, "status": "active"}],
                },
            }
        )
    bundle: dict[str, object] = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": taken_at.isoformat(),
        "entry": entries,
    }
    if scope:
        bundle["meta"] = {"tag": [{"system": "urn:continuite:perimetre", "code": uf} for uf in scope]}
    return json.dumps(bundle, ensure_ascii=False).encode("utf-8")


def csv_snapshot(patients: list[HisPatient], taken_at: datetime, *, trailer: bool = True) -> bytes:
    out = io.StringIO()
    out.write(f"# instantane: {taken_at.isoformat()}\n")
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(
        [
            "ipp",
            "nda",
            "nom_naissance",
            "prenoms",
            "date_naissance",
            "sexe",
            "statut_identite",
            "uf",
            "lit",
            "date_entree",
        ]
    )
    for p in patients:
        writer.writerow(
            [
                p.ipp,
                p.nda,
                p.birth_name,
                " ".join(p.first_names),
                f"{p.birth_date:%d/%m/%Y}",
                p.sex,
                "validee",
                p.uf,
                p.bed or "",
                p.admitted_at.isoformat(),
            ]
        )
    if trailer:
        out.write(f"# fin: {len(patients)}\n")
    return out.getvalue().encode("utf-8")
