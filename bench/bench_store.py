"""Benchmark of the encrypted store against plain SQLite, measured in the same run.

What is measured, and why
-------------------------
The kit keeps every patient of a workstation in one SQLCipher database. The
issue asks whether encryption costs too much once a workstation has seen a
lot of patients, so this script builds two stores with the same content:

* ``Store.open_encrypted``: the real SQLCipher store, raw 256-bit key;
* ``Store.open_plain_for_benchmark``: the stdlib ``sqlite3`` baseline, with the
  same ``Store`` class, the same migrations and the same pragmas (WAL,
  ``synchronous = FULL``, foreign keys, ``secure_delete``...).

Both are loaded with the same synthetic site (one big UF ``BIG`` of 1,040
beds, 20 other UFs, 2 workstations) and the same ``--patients`` patients
(100,000 by default), each with one stay written through the store's own
methods exactly as the services write them (numbers from the local block,
patient, stay, movements, hash-chained audit, outbox): most are discharged,
exactly 1,000 are present in ``BIG`` (one per bed) and some are present in
the other UFs. Family names are built from French syllables with accents, so
that a name-prefix search has a realistic selectivity.

Then, for both stores, with the calls interleaved (encrypted then plain, then
plain then encrypted...) so that machine noise hits both sides alike:

1. admission: ``services.patients.admit`` of a new identity into a free bed,
   one transaction with an fsync'd commit (``synchronous = FULL``);
2. search: ``services.patients.search`` with 2-4 letter prefixes typed as a
   user types them (lower case, no accents), and "name first-name-prefix"
   queries;
3. census: ``services.patients.census`` of the 1,000-patient UF;
4. unlock: for the encrypted store the real ``Workspace.unlock`` (argon2id
   key-slot unwrap with the default parameters, SQLCipher open, migrations
   check, user lookup, key-slot file rewrite), with its parts timed
   separately; the baseline is opening the plain file, ``migrate()`` and the
   same user lookup.

The targets of the issue are printed beside the figures: search p99 under
10 ms and within 1.3x of plain SQLite, admission p99 under 20 ms, unlock
under 0.5 s. Results also go to ``bench/results/store-latest.json``.

Run: ``python -m bench.bench_store [--patients N]``.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3

from continuity import keyslots
from continuity.domain.identity import Identity, IdentityStatus, Sex
from continuity.domain.movement import (
    DischargeDestination,
    DischargeMode,
    Movement,
    MovementKind,
    StayState,
)
from continuity.domain.records import PatientRecord, StayRecord
from continuity.domain.site import Room, ServiceSpec, Site, Ward, WorkstationSpec
from continuity.domain.users import Role, User
from continuity.ids import format_id
from continuity.names import search_key
from continuity.services import patients
from continuity.session import Session, Workspace
from continuity.store import Store, cipher

ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = ROOT / "bench" / "results" / "store-latest.json"

BIG_UF = "BIG"
BIG_BEDS = 1040
BIG_PRESENT = 1000
OTHER_UFS = (
    ("CARDIO", "Cardiologie"),
    ("PNEUMO", "Pneumologie"),
    ("NEURO", "Neurologie"),
    ("GERIA", "Gériatrie"),
    ("ORTHO", "Chirurgie orthopédique"),
    ("VISC", "Chirurgie viscérale"),
    ("URO", "Urologie"),
    ("GASTRO", "Gastro-entérologie"),
    ("NEPHRO", "Néphrologie"),
    ("ONCO", "Oncologie"),
    ("HEMATO", "Hématologie"),
    ("DERMA", "Dermatologie"),
    ("ENDOC", "Endocrinologie"),
    ("MATER", "Maternité"),
    ("PEDIA", "Pédiatrie"),
    ("REA", "Réanimation"),
    ("USC", "Soins continus"),
    ("SMR", "Soins médicaux et réadaptation"),
    ("PSY", "Psychiatrie"),
    ("URG", "Urgences – UHCD"),
)
OTHER_BEDS = 40
OTHER_PRESENT = 15
BATCH = 2000
USERNAME = "bench.ide"
PASSWORD = "bench-password-2026"
SEED = 2026

SEARCH_P99_MS = 10.0
SEARCH_RATIO = 1.3
ADMISSION_P99_MS = 20.0
UNLOCK_S = 0.5

# ----------------------------------------------------------------------------- synthetic names
_ONSETS = (
    "BER",
    "DU",
    "LE",
    "MO",
    "GAR",
    "FOU",
    "ROU",
    "BON",
    "CHA",
    "MAR",
    "PE",
    "GI",
    "LA",
    "DE",
    "BRU",
    "FAU",
    "MEU",
    "GUÉ",
    "HÉ",
    "LÉ",
    "BÉ",
    "FRAN",
    "CŒ",
    "SAU",
    "VIL",
    "BOU",
    "CHÂ",
    "PRÉ",
    "RO",
    "TOU",
    "QUEN",
    "JOU",
    "NO",
    "PA",
    "TI",
)
_CODAS = (
    "NARD",
    "BOIS",
    "REAU",
    "NIER",
    "SSEAU",
    "NET",
    "RRIER",
    "RARD",
    "VAL",
    "RIN",
    "LIN",
    "RAND",
    "TEL",
    "MANT",
    "CHET",
    "QUET",
    "LLON",
    "ÇOIS",
    "NOÎT",
    "VÈRE",
    "THIER",
    "GNON",
    "ZIER",
    "CLAIR",
    "TEAU",
    "DIN",
    "LET",
)
_COMMON = (
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
    "DUPONT",
    "LAMBERT",
    "BONNET",
    "FRANÇOIS",
    "MARTINEZ",
    "LEGRAND",
    "GARNIER",
    "FAURE",
    "ROUSSEAU",
    "BLANC",
    "GUÉRIN",
    "MULLER",
    "HENRY",
    "ROUSSEL",
    "NICOLAS",
    "PERRIN",
    "MATHIEU",
    "CLÉMENT",
    "GAUTHIER",
    "DUMONT",
    "LOPEZ",
    "FONTAINE",
    "CHEVALIER",
    "ROBIN",
    "MASSON",
    "SANCHEZ",
    "NGUYEN",
    "BOYER",
    "DENIS",
    "LEMAIRE",
    "DUVAL",
    "JOLY",
    "GÉRARD",
    "BENOÎT",
    "CŒURDEROY",
    "D'ALMEIDA",
    "LE GOFF",
    "SAINT-ÉLOI",
    "N'DIAYE",
    "LE BRIS",
)
_PARTICLES = ("LE", "DE", "DU", "DE LA")
_FIRST_F = (
    "Marie",
    "Jeanne",
    "Françoise",
    "Monique",
    "Catherine",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Anne",
    "Chloé",
    "Léa",
    "Zoé",
    "Inès",
    "Maëlle",
    "Hélène",
    "Céline",
    "Émilie",
    "Camille",
    "Manon",
    "Élodie",
    "Sandrine",
    "Véronique",
    "Christine",
    "Valérie",
    "Agnès",
    "Brigitte",
    "Geneviève",
    "Odile",
    "Thérèse",
    "Josiane",
    "Noémie",
    "Océane",
    "Laëtitia",
    "Aurélie",
    "Mélanie",
    "Stéphanie",
    "Juliette",
    "Louise",
    "Adèle",
    "Solène",
    "Anne-Sophie",
    "Marie-Thérèse",
    "Anaïs",
    "Gaëlle",
    "Ségolène",
)
_FIRST_M = (
    "Jean",
    "Pierre",
    "Michel",
    "André",
    "Philippe",
    "Alain",
    "Jacques",
    "Bernard",
    "François",
    "Loïc",
    "Jérôme",
    "Noël",
    "Hervé",
    "Gaël",
    "Éric",
    "Frédéric",
    "Stéphane",
    "Sébastien",
    "Julien",
    "Nicolas",
    "Thomas",
    "Hugo",
    "Lucas",
    "Théo",
    "Mathéo",
    "Raphaël",
    "Gérard",
    "René",
    "Rémi",
    "Benoît",
    "Joël",
    "Yannick",
    "Cédric",
    "Grégoire",
    "Clément",
    "Félix",
    "Léon",
    "Jules",
    "Gabriel",
    "Jean-Pierre",
    "Jean-François",
    "Jean-Baptiste",
    "Aimé",
    "Anatole",
    "Côme",
)


def family_pool(rng: random.Random, generated: int = 450) -> list[str]:
    """Common real names plus ``generated`` syllable combinations, all with their accents."""
    combos = sorted({a + b for a in _ONSETS for b in _CODAS} - set(_COMMON))
    return [*_COMMON, *rng.sample(combos, generated)]


class NameMaker:
    """Random identities with a fixed seed: French names with accents and compound forms."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.families = family_pool(rng)

    def family(self) -> str:
        rng = self.rng
        name = rng.choice(self.families)
        roll = rng.random()
        if roll < 0.04:
            return f"{name}-{rng.choice(self.families)}"
        if roll < 0.07:
            return f"{rng.choice(_PARTICLES)} {name}"
        return name

    def identity(self) -> Identity:
        rng = self.rng
        sex = Sex.F if rng.random() < 0.52 else Sex.M
        if rng.random() < 0.005:
            return Identity.unknown(sex, rng.randint(1930, 2005))
        firsts = _FIRST_F if sex is Sex.F else _FIRST_M
        born = date(1925, 1, 1) + timedelta(days=rng.randrange(100 * 365))
        return Identity(
            birth_name=self.family(),
            used_name=self.family() if sex is Sex.F and rng.random() < 0.3 else None,
            first_names=rng.sample(firsts, k=rng.choice((1, 1, 1, 2, 3))),
            birth_date=born,
            sex=sex,
            status=IdentityStatus.VALIDEE if rng.random() < 0.6 else IdentityStatus.PROVISOIRE,
        )


# ----------------------------------------------------------------------------- site and data
def build_site(numbers_needed: int) -> Site:
    def ward(code: str, name: str, beds: int, prefix: str) -> Ward:
        rooms = [
            Room(code=f"R{r:03d}", beds=[f"{prefix}{2 * r - 1:04d}", f"{prefix}{2 * r:04d}"])
            for r in range(1, beds // 2 + 1)
        ]
        return Ward(code=code, name=name, rooms=rooms)

    start = 10_000_000
    end = start + numbers_needed + 9_999
    return Site(
        code="CH-BENCH",
        name="Centre hospitalier de banc d'essai",
        ufs=[
            ward(BIG_UF, "Médecine polyvalente", BIG_BEDS, "B"),
            *(ward(code, name, OTHER_BEDS, "L") for code, name in OTHER_UFS),
        ],
        workstations=[
            WorkstationSpec(code="BENCH-01", name="Poste de banc d'essai", block=(start, end)),
            WorkstationSpec(code="BENCH-02", name="Poste voisin", block=(end + 1, end + 100_000)),
        ],
        services=[
            ServiceSpec(code="LABO", name="Laboratoire"),
            ServiceSpec(code="PHARMA", name="Pharmacie"),
            ServiceSpec(code="DPI", name="Dossier patient informatisé"),
        ],
    )


class BenchClock:
    """Real UTC time, except while bulk loading, when it is pinned to the simulated event time."""

    def __init__(self) -> None:
        self.pinned: datetime | None = None

    def __call__(self) -> datetime:
        return self.pinned if self.pinned is not None else datetime.now(UTC)


@dataclass(frozen=True)
class StayPlan:
    """One synthetic patient and their stay, generated once and loaded into both stores."""

    identity: Identity
    identity_payload: dict[str, Any]
    patient_id: str
    stay_id: str
    admission: Movement
    admission_payload: dict[str, Any]
    discharge: Movement | None
    discharge_payload: dict[str, Any] | None


def _movement(
    kind: MovementKind, at: datetime, uf: str, bed: str, rng: random.Random | None = None
) -> Movement:
    mode, destination = None, None
    if rng is not None:
        mode = DischargeMode.HOME if rng.random() < 0.85 else DischargeMode.MUTATION
        destination = DischargeDestination.SMR if mode is DischargeMode.MUTATION else None
    return Movement(
        id=str(uuid.uuid4()),
        kind=kind,
        at=at,
        uf_code=uf,
        bed_code=bed,
        discharge_mode=mode,
        destination=destination,
    )


def plan_stays(count: int, names: NameMaker, now: datetime) -> list[StayPlan]:
    """``count`` stays in roughly chronological order: discharged first, present ones last."""
    rng = names.rng
    present: list[tuple[str, str]] = [(BIG_UF, f"B{b:04d}") for b in range(1, BIG_PRESENT + 1)]
    for code, _ in OTHER_UFS:
        present += [(code, f"L{b:04d}") for b in range(1, OTHER_PRESENT + 1)]
    if count < len(present) + 1000:
        raise SystemExit(f"--patients must be at least {len(present) + 1000}")
    rng.shuffle(present)
    all_beds = [(BIG_UF, f"B{b:04d}") for b in range(1, BIG_BEDS + 1)]
    for code, _ in OTHER_UFS:
        all_beds += [(code, f"L{b:04d}") for b in range(1, OTHER_BEDS + 1)]
    discharged = count - len(present)
    history_start = now - timedelta(days=3 * 365)
    step = (timedelta(days=3 * 365) - timedelta(days=30)) / discharged
    plans = []
    for i in range(count):
        identity = names.identity()
        if i < discharged:
            uf, bed = rng.choice(all_beds)
            admitted = history_start + step * i + timedelta(minutes=rng.randrange(600))
            left = admitted + timedelta(hours=rng.randint(4, 20 * 24))
            discharge: Movement | None = _movement(MovementKind.DISCHARGE, left, uf, bed, rng)
        else:
            uf, bed = present[i - discharged]
            admitted = now - timedelta(minutes=rng.randrange(20 * 24 * 60) + 60)
            discharge = None
        admission = _movement(MovementKind.ADMISSION, admitted, uf, bed)
        plans.append(
            StayPlan(
                identity=identity,
                identity_payload=identity.model_dump(mode="json"),
                patient_id=str(uuid.uuid4()),
                stay_id=str(uuid.uuid4()),
                admission=admission,
                admission_payload=admission.model_dump(mode="json", exclude_none=True),
                discharge=discharge,
                discharge_payload=(
                    discharge.model_dump(mode="json", exclude_none=True) if discharge else None
                ),
            )
        )
    return plans


def load_one(store: Store, clock: BenchClock, plan: StayPlan, actor: str) -> None:
    """Write one patient and stay with the same rows and payloads as ``patients.admit`` (and
    ``patients.discharge``) would, the stay directly in its final state."""
    admission, discharge = plan.admission, plan.discharge
    clock.pinned = admission.at
    ipp = format_id(store.reference.allocate_number())
    patient = PatientRecord(
        id=plan.patient_id,
        provisional_ipp=ipp,
        ipp=None,
        identity=plan.identity,
        created_at=admission.at,
        version=1,
    )
    store.patients.insert_patient(patient, actor)
    store.audit.append_audit(
        actor,
        "patient.create",
        "patient",
        patient.id,
        1,
        {"identity": plan.identity_payload, "provisional_ipp": ipp},
    )
    nda = format_id(store.reference.allocate_number())
    store.stays.insert_stay(
        StayRecord(
            id=plan.stay_id,
            patient_id=patient.id,
            provisional_nda=nda,
            nda=None,
            state=StayState.DISCHARGED if discharge else StayState.PRESENT,
            uf_code=admission.uf_code,
            bed_code=admission.bed_code,
            admitted_at=admission.at,
            discharged_at=discharge.at if discharge else None,
            version=2 if discharge else 1,
        )
    )
    store.movements.insert_movement(plan.stay_id, admission, actor)
    store.audit.append_audit(
        actor,
        "stay.admission",
        "stay",
        plan.stay_id,
        1,
        {"movement": plan.admission_payload, "patient_id": patient.id, "provisional_nda": nda},
    )
    store.outbox.enqueue(
        "admission",
        patient.id,
        plan.stay_id,
        admission.id,
        {
            "movement": plan.admission_payload,
            "identity": plan.identity_payload,
            "provisional_ipp": ipp,
            "provisional_nda": nda,
        },
    )
    if discharge is not None:
        clock.pinned = discharge.at
        store.movements.insert_movement(plan.stay_id, discharge, actor)
        store.audit.append_audit(
            actor, "stay.discharge", "stay", plan.stay_id, 2, {"movement": plan.discharge_payload}
        )
        store.outbox.enqueue(
            "discharge",
            patient.id,
            plan.stay_id,
            discharge.id,
            {
                "movement": plan.discharge_payload,
                "state": StayState.DISCHARGED.value,
                "uf_code": discharge.uf_code,
                "bed_code": discharge.bed_code,
            },
        )


# ----------------------------------------------------------------------------- statistics
def percentile(samples: Sequence[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), ``pct`` in [0, 100]."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Figure:
    """One measured operation: samples in milliseconds for both stores."""

    name: str
    encrypted: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)

    def stats(self, samples: Sequence[float]) -> dict[str, float]:
        return {
            "n": len(samples),
            "p50_ms": percentile(samples, 50),
            "p99_ms": percentile(samples, 99),
            "mean_ms": statistics.fmean(samples),
            "max_ms": max(samples),
        }

    def ratio(self, pct: float) -> float:
        return percentile(self.encrypted, pct) / percentile(self.plain, pct)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "encrypted": self.stats(self.encrypted),
            "plain": self.stats(self.plain),
            "ratio_p50": self.ratio(50),
            "ratio_p99": self.ratio(99),
        }


def _ms(fn: Callable[[int], object], i: int) -> float:
    start = time.perf_counter()
    fn(i)
    return (time.perf_counter() - start) * 1000


def paired(
    figure: Figure, runs: int, encrypted: Callable[[int], object], plain: Callable[[int], object]
) -> Figure:
    """Run both sides ``runs`` times, alternating which goes first, so drift hits both alike."""
    for i in range(runs):
        if i % 2 == 0:
            figure.encrypted.append(_ms(encrypted, i))
            figure.plain.append(_ms(plain, i))
        else:
            figure.plain.append(_ms(plain, i))
            figure.encrypted.append(_ms(encrypted, i))
    return figure


# ----------------------------------------------------------------------------- the benchmark
@dataclass
class Side:
    """One of the two stores under test, with the session the services are called with."""

    label: str
    store: Store
    session: Session
    db_path: Path
    load_seconds: float = 0.0


def open_side(
    label: str, folder: Path, clock: BenchClock, site: Site, user: User, key: bytearray | None
) -> Side:
    workspace = Workspace(folder, clock)
    workspace.ensure_folder()
    path = workspace.db_path
    if key is None:
        store = Store.open_plain_for_benchmark(path, clock)
    else:
        store = Store.open_encrypted(path, key, clock, create=True)
    store.migrate()
    with store.transaction():
        store.set_meta("store_id", str(uuid.UUID(int=SEED)))
        store.set_meta("workstation", site.workstations[0].code)
        store.reference.insert_site(site, site.workstations[0].code)
        store.users.insert_user(user)
        store.audit.append_audit(
            "system:provisioning",
            "site.provision",
            "site",
            site.code,
            1,
            {
                "workstation": site.workstations[0].code,
                "ufs": [u.code for u in site.ufs],
                "admin": user.username,
            },
        )
    session = Session(workspace, user, store, bytearray(key) if key else bytearray(32))
    return Side(label, store, session, path)


def bulk_load(sides: Sequence[Side], clock: BenchClock, plans: Sequence[StayPlan]) -> None:
    for start in range(0, len(plans), BATCH):
        batch = plans[start : start + BATCH]
        for side in sides:
            t0 = time.perf_counter()
            with side.store.transaction():
                for plan in batch:
                    load_one(side.store, clock, plan, USERNAME)
            side.load_seconds += time.perf_counter() - t0
        done = start + len(batch)
        if done % (BATCH * 10) == 0 or done == len(plans):
            rates = ", ".join(f"{s.label} {done / s.load_seconds:,.0f}/s" for s in sides)
            print(f"  loaded {done:,} patients ({rates})", file=sys.stderr, flush=True)
    clock.pinned = None
    for side in sides:
        side.store.checkpoint()


def search_queries(
    plans: Sequence[StayPlan], rng: random.Random, count: int, first_name_first: bool = False
) -> list[str]:
    """What a user types: 2-4 first letters of a family name, or "name first-name-prefix"
    (one query in five); with ``first_name_first``, "first-name name-prefix" instead."""
    queries: list[str] = []
    while len(queries) < count:
        identity = rng.choice(plans).identity
        if identity.placeholder:
            continue
        family = search_key(
            (identity.used_name or identity.birth_name).split(" ")[-1].split("-")[0].split("'")[-1]
        )
        first = search_key(identity.first_names[0])
        if first_name_first:
            queries.append(f"{first.lower()} {family[: rng.randint(2, 3)].lower()}")
        elif len(queries) % 5 == 4:
            queries.append(f"{family.lower()} {first[: rng.randint(2, 3)].lower()}")
        else:
            queries.append(family[: rng.randint(2, 4)].lower())
    return queries


def split_at(items: list[str], n: int) -> tuple[list[str], list[str]]:
    return items[:n], items[n:]


def free_beds(plans: Sequence[StayPlan]) -> list[tuple[str, str]]:
    occupied = {(p.admission.uf_code, p.admission.bed_code) for p in plans if p.discharge is None}
    return [
        (code, f"L{b:04d}")
        for code, _ in OTHER_UFS
        for b in range(1, OTHER_BEDS + 1)
        if (code, f"L{b:04d}") not in occupied
    ]


def measure_unlock(enc: Side, plain: Side, clock: BenchClock, runs: int) -> list[Figure]:
    """Full ``Workspace.unlock`` on the encrypted store, and its parts, against a plain open."""
    workspace = Workspace(enc.db_path.parent, clock)
    slots = workspace.load_slots()
    slot_id = keyslots.user_slot_id(USERNAME)

    def plain_open(_: int) -> None:
        store = Store.open_plain_for_benchmark(plain.db_path, clock)
        store.migrate()
        assert store.users.get_user(USERNAME) is not None
        store.close()

    def full_unlock(_: int) -> None:
        workspace.unlock(USERNAME, PASSWORD).lock()

    def unwrap(_: int) -> None:
        keyslots.unwrap(slots, slot_id, PASSWORD.encode(), clock())

    key = keyslots.unwrap(slots, slot_id, PASSWORD.encode(), clock())

    def encrypted_open(_: int) -> None:
        store = Store.open_encrypted(enc.db_path, key, clock)
        store.migrate()
        assert store.users.get_user(USERNAME) is not None
        store.close()

    full = paired(Figure("unlock: Workspace.unlock (full path)"), runs, full_unlock, plain_open)
    kdf = paired(Figure("  part: argon2id key-slot unwrap"), runs, unwrap, plain_open)
    opening = paired(Figure("  part: open + migrate + user lookup"), runs, encrypted_open, plain_open)
    return [full, kdf, opening]


def measured_code() -> dict[str, Any]:
    """Which store code was measured: the commit, and whether continuity/store/ differed from it.

    The keys keep their ``store_py`` names (earlier results were of the one store.py module);
    the hash is now of the package's modules, by name.
    """
    digest = hashlib.sha256()
    for module in sorted((ROOT / "continuity" / "store").glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    info: dict[str, Any] = {"store_py_sha256": digest.hexdigest()}
    try:
        git = ["git", "-C", str(ROOT)]
        info["commit"] = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], check=True, capture_output=True, text=True
        ).stdout.strip()
        info["store_py_modified"] = bool(
            subprocess.run(
                [*git, "status", "--porcelain", "--", "continuity/store/"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = None
    return info


def machine() -> dict[str, Any]:
    model: str | None = None
    flags: list[str] = []
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name") and model is None:
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = line.split(":", 1)[1].split()
    except OSError:
        pass
    cpu = model or platform.processor() or platform.machine()
    conn: Any = sqlcipher3.connect(":memory:")
    cipher_version = conn.execute("PRAGMA cipher_version").fetchone()[0]
    cipher_sqlite = conn.execute("SELECT sqlite_version()").fetchone()[0]
    conn.close()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlcipher": cipher_version,
        "sqlite_in_sqlcipher3": cipher_sqlite,
        "sqlite_stdlib": sqlite3.sqlite_version,
        "page_hmac": cipher.CURRENT,  # continuity.store.cipher: what an encrypted store seals pages with
        "sha_extensions": "sha_ni" in flags,
    }


def print_table(figures: Sequence[Figure]) -> None:
    head = (
        f"{'operation':<40} {'enc p50':>9} {'enc p99':>9} {'plain p50':>9} {'plain p99':>9}"
        f" {'x p50':>6} {'x p99':>6}"
    )
    print(head)
    print("-" * len(head))
    for f in figures:
        e50, e99 = percentile(f.encrypted, 50), percentile(f.encrypted, 99)
        p50, p99 = percentile(f.plain, 50), percentile(f.plain, 99)
        print(
            f"{f.name:<40} {e50:>9.2f} {e99:>9.2f} {p50:>9.2f} {p99:>9.2f}"
            f" {f.ratio(50):>6.2f} {f.ratio(99):>6.2f}"
        )
    print("(milliseconds; x = encrypted / plain; * informational, not part of the search target)")


def targets(search: Figure, admission: Figure, unlock: Figure) -> list[dict[str, Any]]:
    checks = [
        ("search p99 < 10 ms", percentile(search.encrypted, 99), SEARCH_P99_MS, "ms"),
        ("search p99 within 1.3x of plain SQLite", search.ratio(99), SEARCH_RATIO, "x"),
        ("admission commit p99 < 20 ms", percentile(admission.encrypted, 99), ADMISSION_P99_MS, "ms"),
        ("unlock p50 < 0.5 s", percentile(unlock.encrypted, 50) / 1000, UNLOCK_S, "s"),
    ]
    return [
        {
            "target": name,
            "value": value,
            "limit": limit,
            "unit": unit,
            "pass": value < limit if unit != "x" else value <= limit,
        }
        for name, value, limit, unit in checks
    ]


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    code = measured_code()  # now, while it matches the store module just imported
    rng = random.Random(SEED)  # synthetic data with a fixed seed, not security
    clock = BenchClock()
    site = build_site(2 * args.patients + 2 * args.admissions)
    user = User(
        username=USERNAME,
        display_name="IDE banc d'essai",
        role=Role.WARD_STAFF,
        ufs=tuple(u.code for u in site.ufs),
    )
    names = NameMaker(rng)
    t0 = time.perf_counter()
    plans = plan_stays(args.patients, names, clock())
    generate_seconds = time.perf_counter() - t0
    print(f"  generated {len(plans):,} patients in {generate_seconds:.1f} s", file=sys.stderr)
    # The plans are millions of long-lived objects: without this, full garbage collections
    # triggered during the measurements take up to ~1 s and land on either store at random.
    gc.collect()
    gc.freeze()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="continuity-bench-") as tmp:
        key = keyslots.new_database_key()
        enc = open_side("encrypted", Path(tmp) / "encrypted", clock, site, user, key)
        plain = open_side("plain", Path(tmp) / "plain", clock, site, user, None)
        slots = keyslots.new_slot_file()
        keyslots.wrap(slots, keyslots.user_slot_id(USERNAME), PASSWORD.encode(), key)
        enc.session.workspace.save_slots(slots)
        bulk_load([enc, plain], clock, plans)
        sizes = {s.label: s.db_path.stat().st_size for s in (enc, plain)}
        print("  measuring...", file=sys.stderr, flush=True)

        def census(side: Side) -> Callable[[int], object]:
            return lambda _: patients.census(side.session, [BIG_UF])

        occupied = patients.census(enc.session, [BIG_UF])[0].occupied
        assert occupied == BIG_PRESENT == patients.census(plain.session, [BIG_UF])[0].occupied
        paired(Figure("warm-up"), 3, census(enc), census(plain))
        figures.append(
            paired(
                Figure(f"census {BIG_UF} ({BIG_PRESENT} patients)"),
                args.census_runs,
                census(enc),
                census(plain),
            )
        )

        warm_queries, queries = split_at(search_queries(plans, rng, args.searches + 50), 50)
        reversed_queries = search_queries(plans, rng, args.searches // 5, first_name_first=True)
        hits: dict[str, list[int]] = {"encrypted": [], "plain": []}

        def search(side: Side, subset: Sequence[str]) -> Callable[[int], object]:
            def go(i: int) -> None:
                hits[side.label].append(len(patients.search(side.session, subset[i])))

            return go

        paired(Figure("warm-up"), len(warm_queries), search(enc, warm_queries), search(plain, warm_queries))
        for found in hits.values():
            found.clear()
        single = [q for q in queries if " " not in q]
        double = [q for q in queries if " " in q]
        by_kind = [
            paired(
                Figure("  of which: 2-4 letter prefix"),
                len(single),
                search(enc, single),
                search(plain, single),
            ),
            paired(
                Figure("  of which: name + first-name prefix"),
                len(double),
                search(enc, double),
                search(plain, double),
            ),
        ]
        assert hits["encrypted"] == hits["plain"]
        mean_hits = statistics.fmean(hits["encrypted"])
        all_search = Figure(
            f"search ({len(queries)} queries)",
            by_kind[0].encrypted + by_kind[1].encrypted,
            by_kind[0].plain + by_kind[1].plain,
        )
        extra = paired(
            Figure("  extra: first name + name prefix *"),
            len(reversed_queries),
            search(enc, reversed_queries),
            search(plain, reversed_queries),
        )
        figures += [all_search, *by_kind, extra]

        beds = free_beds(plans)[: args.admissions]
        newcomers = [names.identity() for _ in beds]

        def admit(side: Side) -> Callable[[int], object]:
            return lambda i: patients.admit(
                side.session,
                beds[i][0],
                identity=newcomers[i],
                bed_code=beds[i][1],
                not_a_duplicate="autre patient",
            )

        admission = paired(
            Figure(f"admission commit ({len(beds)} admits)"), len(beds), admit(enc), admit(plain)
        )
        figures.append(admission)
        for side in (enc, plain):
            side.session.lock()
        unlock = measure_unlock(enc, plain, clock, args.unlock_runs)
        figures += unlock

    total = time.perf_counter() - started
    gc.unfreeze()
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": code,
        "config": {
            "patients": args.patients,
            "present_in_big": BIG_PRESENT,
            "big_beds": BIG_BEDS,
            "other_ufs": len(OTHER_UFS),
            "present_elsewhere": OTHER_PRESENT * len(OTHER_UFS),
            "batch": BATCH,
            "searches": len(queries),
            "mean_search_results": mean_hits,
            "extra_first_name_first_searches": len(reversed_queries),
            "census_runs": args.census_runs,
            "admissions": len(beds),
            "unlock_runs": args.unlock_runs,
            "kdf": asdict(keyslots.KdfParams()),
            "seed": SEED,
        },
        "load": {
            "generate_seconds": generate_seconds,
            **{f"{s.label}_seconds": s.load_seconds for s in (enc, plain)},
            **{f"{label}_db_bytes": size for label, size in sizes.items()},
        },
        "figures": [f.as_json() for f in figures],
        "targets": targets(all_search, admission, unlock[0]),
        "total_seconds": total,
        "_figures": figures,
    }


def write_json(result: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in result.items() if not k.startswith("_")}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def report(result: dict[str, Any]) -> None:
    m, cfg, load, code = result["machine"], result["config"], result["load"], result["code"]
    print(
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}; "
        f"SQLCipher {m['sqlcipher']} (SQLite {m['sqlite_in_sqlcipher3']}); "
        f"plain stdlib SQLite {m['sqlite_stdlib']}"
    )
    print(
        f"Code: commit {code.get('commit')}, continuity/store/ "
        f"{'MODIFIED since that commit' if code.get('store_py_modified') else 'as committed'} "
        f"(sha256 {code['store_py_sha256'][:12]})"
    )
    print(
        f"Data: {cfg['patients']:,} patients, {cfg['present_in_big']} present in {BIG_UF}, "
        f"{cfg['present_elsewhere']} present elsewhere; database "
        f"{load['encrypted_db_bytes'] / 1e6:.0f} MB encrypted, "
        f"{load['plain_db_bytes'] / 1e6:.0f} MB plain"
    )
    print(
        f"Bulk load: encrypted {load['encrypted_seconds']:.1f} s, plain "
        f"{load['plain_seconds']:.1f} s (batches of {cfg['batch']:,} per transaction); "
        f"mean search results {cfg['mean_search_results']:.1f}"
    )
    print()
    print_table(result["_figures"])
    print()
    for t in result["targets"]:
        print(
            f"{'PASS' if t['pass'] else 'FAIL'}  {t['target']:<42} "
            f"{t['value']:.3f} {t['unit']} (limit {t['limit']} {t['unit']})"
        )
    print(f"\nTotal run time: {result['total_seconds']:.0f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--admissions", type=int, default=300)
    parser.add_argument("--census-runs", type=int, default=30)
    parser.add_argument("--unlock-runs", type=int, default=10)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    args = parser.parse_args(argv)
    result = run(args)
    write_json(result, args.output)
    report(result)
    print(f"Results written to {args.output}")
    return 0 if all(t["pass"] for t in result["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
