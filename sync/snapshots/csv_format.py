"""The documented CSV snapshot, for HIS exports too simple for HL7 or FHIR (docs/snapshots.md).

UTF-8 (a BOM is allowed), ``;`` or ``,`` between columns, one header line naming
the columns. Optional comment lines: ``# instantane: <ISO time>`` (else the file's
modification time), ``# perimetre: UF1,UF2`` (the census covers only these UFs)
and a last line ``# fin: <n>`` with the number of data lines, checked when present.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from typing import Any

from continuity.dates import DATETIME_FORMATS, try_parse_date
from continuity.domain.identity import Identity
from continuity.domain.snapshot import Snapshot, SnapshotFormat, SnapshotPatient, SnapshotStay
from sync.snapshots.common import SnapshotRejected, aware, identity

REQUIRED = ("ipp", "nom_naissance", "prenoms", "date_naissance", "sexe")
OPTIONAL = (
    "nda",
    "nom_usage",
    "prenom_usage",
    "ins",
    "statut_identite",
    "lieu_naissance",  # INSEE code of the birth place
    "commune_naissance",  # town of birth
    "mode_recueil",  # identity collection mode: SM, CV, INSI, CB, RFID
    "date_insi",  # INSi query date
    "justificatif",  # identity document: CN, PA, CS... (FR Core fr-core-cs-mode-validation-identity)
    "uf",
    "lit",
    "date_entree",
    "identite_douteuse",  # RNIV attributes: oui / non (a doubtful or fictitious identity is provisional)
    "identite_fictive",
    "date_expiration_justificatif",
)
YES = {"oui", "o", "1", "true", "vrai", "yes", "x"}
STATUS = {
    "provisoire": "provisoire",
    "recuperee": "recuperee",
    "récupérée": "recuperee",
    "validee": "validee",
    "validée": "validee",
    "qualifiee": "qualifiee",
    "qualifiée": "qualifiee",
    "prov": "provisoire",
    "recup": "recuperee",
    "vali": "validee",
    "qual": "qualifiee",
}


def _when(text: str) -> datetime | None:
    value = text.strip()
    try:
        return aware(datetime.fromisoformat(value))
    except ValueError:
        pass
    for fmt in DATETIME_FORMATS:
        try:
            return aware(datetime.strptime(value, fmt))
        except ValueError:
            continue
    return None


_COMMENT_KEY = re.compile(r"#\s*([\w-]+)\s*[:=]")


def _comments(lines: list[str]) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """The ``# key: value`` lines, and the other non-empty lines with their line numbers."""
    meta: dict[str, str] = {}
    data: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        # the key by an anchored match, the value by slicing: a lazy group before trailing
        # spaces made one line of many spaces quadratic (ReDoS: 64k spaces, 10 s)
        match = _COMMENT_KEY.match(line)
        if match:
            meta[match.group(1).lower()] = line[match.end() :].strip()
        elif line.strip() and not line.startswith("#"):
            data.append((number, line))
    return meta, data


def _fields(line: str, number: int, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(line), delimiter=delimiter))
    except csv.Error:  # a field longer than the csv module's limit (131,072 characters)
        raise SnapshotRejected(
            f"Ligne {number} : champ trop long ou mal formé.", f"Line {number}: field too long or malformed."
        ) from None


def parse(raw: bytes, modified_at: datetime) -> Snapshot:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SnapshotRejected(
            "Fichier CSV illisible : encodage UTF-8 attendu.", "Unreadable CSV file: UTF-8 encoding expected."
        ) from None
    meta, lines = _comments(text.splitlines())
    if not lines:
        raise SnapshotRejected(
            "Fichier CSV sans en-tête.", "CSV file without a header line.", incomplete=True
        )
    first = lines[0][1]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = [(n, _fields(line, n, delimiter)) for n, line in lines]
    header = [h.strip().lower() for h in rows[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SnapshotRejected(
            f"En-tête CSV incomplet : colonnes manquantes {', '.join(missing)}.",
            f"Incomplete CSV header: missing columns {', '.join(missing)}.",
        )
    body = rows[1:]
    if "fin" in meta:
        expected = re.match(r"\d+", meta["fin"])
        if expected is None or int(expected.group()) != len(body):
            raise SnapshotRejected(
                "Le nombre de lignes ne correspond pas à la ligne « # fin ».",
                "The number of lines does not match the '# fin' line.",
                incomplete=True,
            )
    elif not text.endswith("\n"):
        raise SnapshotRejected(
            "Fichier CSV coupé (pas de fin de ligne finale).",
            "CSV file cut short (no final line break).",
            incomplete=True,
        )
    taken_at = _when(meta["instantane"]) if "instantane" in meta else aware(modified_at)
    if taken_at is None:
        raise SnapshotRejected(
            "Ligne « # instantane » : date et heure invalides.", "'# instantane' line: invalid date and time."
        )
    census = "uf" in header
    patients: dict[str, SnapshotPatient] = {}
    stays: list[SnapshotStay] = []
    for number, row in body:
        if len(row) != len(header):
            raise SnapshotRejected(
                f"Ligne {number} : {len(row)} colonnes au lieu de {len(header)}.",
                f"Line {number}: {len(row)} columns instead of {len(header)}.",
            )
        values = {h: v.strip() for h, v in zip(header, row, strict=True)}
        patient, stay = _row(values, number, census)
        patients[patient.ipp] = patient
        if stay is not None:
            stays.append(stay)
    scope = None
    if meta.get("perimetre"):
        scope = tuple(c.strip().upper() for c in meta["perimetre"].split(",") if c.strip())
    return Snapshot(
        format=SnapshotFormat.CSV,
        taken_at=taken_at,
        patients=list(patients.values()),
        stays=stays,
        census=census,
        scope=scope,
    )


def identity_of_row(v: dict[str, str], number: int) -> Identity:
    """The identity of one line (of a snapshot, or of an index: ``sync.his_index_files``)."""
    where_fr, where_en = f"Ligne {number}", f"Line {number}"
    if not v["ipp"]:
        raise SnapshotRejected(f"{where_fr} : IPP manquant.", f"{where_en}: IPP missing.")
    born = try_parse_date(v["date_naissance"])
    if born is None:
        raise SnapshotRejected(
            f"{where_fr} : date de naissance invalide.", f"{where_en}: invalid birth date."
        )
    status = STATUS.get(v.get("statut_identite", "").lower() or "provisoire")
    if status is None:
        raise SnapshotRejected(
            f"{where_fr} : statut d'identité inconnu.", f"{where_en}: unknown identity status."
        )
    queried = None
    if v.get("date_insi"):
        queried = try_parse_date(v["date_insi"])
        if queried is None:
            raise SnapshotRejected(f"{where_fr} : date INSi invalide.", f"{where_en}: invalid INSi date.")
    expires = None
    if v.get("date_expiration_justificatif"):
        expires = try_parse_date(v["date_expiration_justificatif"])
        if expires is None:
            raise SnapshotRejected(
                f"{where_fr} : date d'expiration du justificatif invalide.",
                f"{where_en}: invalid identity document expiry date.",
            )
    later = {
        "doubtful": (v.get("identite_douteuse") or "").lower() in YES or None,
        "fictitious": (v.get("identite_fictive") or "").lower() in YES or None,
        "document_expires_on": expires,
        "birth_place_name": v.get("commune_naissance") or None,
        "collection_mode": (v.get("mode_recueil") or "").upper() or None,
        "document_type": (v.get("justificatif") or "").upper() or None,
        "insi_queried_on": queried,
    }
    data: dict[str, Any] = {
        **{k: value for k, value in later.items() if value is not None},
        "birth_name": v["nom_naissance"],
        "used_name": v.get("nom_usage") or None,
        "first_names": v["prenoms"].split(),
        "used_first_name": v.get("prenom_usage") or None,
        "birth_date": born,
        "sex": {"U": "I"}.get(v["sexe"].upper(), v["sexe"].upper()),
        "ins": v.get("ins") or None,
        "birth_place_insee": v.get("lieu_naissance") or None,
        "status": "provisoire" if later["doubtful"] or later["fictitious"] else status,
    }
    return identity(data, where_fr, where_en)


def _row(v: dict[str, str], number: int, census: bool) -> tuple[SnapshotPatient, SnapshotStay | None]:
    where_fr, where_en = f"Ligne {number}", f"Line {number}"
    patient = SnapshotPatient(ipp=v["ipp"], identity=identity_of_row(v, number))
    if not census or not v.get("nda"):
        return patient, None
    if not v.get("uf"):
        raise SnapshotRejected(
            f"{where_fr} : UF manquante pour un séjour.", f"{where_en}: UF missing for a stay."
        )
    admitted = _when(v.get("date_entree", ""))
    if admitted is None:
        raise SnapshotRejected(
            f"{where_fr} : date d'entrée invalide.", f"{where_en}: invalid admission time."
        )
    return patient, SnapshotStay(
        nda=v["nda"],
        ipp=v["ipp"],
        uf_code=v["uf"].upper(),
        bed_code=(v.get("lit") or "").upper() or None,
        admitted_at=admitted,
    )
