"""HIS identity index files for the tests: cheap seeded identities, written as the documented CSV."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

FAMILIES = (
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFÈVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "GUÉVAL",
    "D'ALMEIDA",
    "LE GALL",
    "MARTIN-DUPONT",
    "FRANÇOIS",
)
FIRSTS_F = ("MARIE", "JEANNE", "CAMILLE", "LÉA", "JULIE", "CHLOÉ", "INÈS", "ANNE-SOPHIE", "ZOÉ")
FIRSTS_M = ("JEAN", "PIERRE", "LOUIS", "HUGO", "JULES", "NOÉ", "JEAN-MARC", "THÉO", "ÉLIOTT")


_BASE_TIME = datetime(2026, 11, 30, 22, 0, tzinfo=timezone(timedelta(hours=1)))
_WRITTEN = itertools.count()


@dataclass(frozen=True)
class IndexPerson:
    ipp: str
    family: str
    firsts: tuple[str, ...]
    born: date
    sex: str
    status: str = "validee"
    used: str = ""

    def line(self) -> str:
        return (
            f"{self.ipp};{self.family};{self.used};{' '.join(self.firsts)};{self.born.isoformat()};"
            f"{self.sex};{self.status}"
        )


def index_people(count: int, seed: int = 17, first_ipp: int = 500_000) -> list[IndexPerson]:
    rng = random.Random(seed)
    found = []
    for i in range(count):
        sex = "F" if rng.random() < 0.5 else "M"
        pool = FIRSTS_F if sex == "F" else FIRSTS_M
        found.append(
            IndexPerson(
                ipp=str(first_ipp + i),
                family=rng.choice(FAMILIES),
                firsts=tuple(rng.sample(pool, k=rng.choice((1, 2)))),
                born=date(1930, 1, 1) + timedelta(days=rng.randrange(90 * 365)),
                sex=sex,
                status=rng.choice(("validee", "provisoire")),
            )
        )
    return found


def write_index(
    path: Path,
    people: list[IndexPerson],
    extraction: str,
    *,
    base: str | None = None,
    removed: tuple[str, ...] = (),
    taken_at: str | None = None,
    declared: int | None = None,
    end: bool = True,
    extra_lines: tuple[str, ...] = (),
) -> Path:
    if taken_at is None:  # each file newer than the one before, as the HIS's exports are
        taken_at = (_BASE_TIME + timedelta(minutes=next(_WRITTEN))).isoformat()
    head = [f"# index: {extraction}", f"# instantane: {taken_at}"]
    if base:
        head.append(f"# base: {base}")
    count = len(people) + len(removed) + len(extra_lines)
    head.append(f"# nombre: {declared if declared is not None else count}")
    lines = [*head, "ipp;nom_naissance;nom_usage;prenoms;date_naissance;sexe;statut_identite;action"]
    lines += [p.line() + ";" for p in people]
    lines += [f"{ipp};;;;;;;suppression" for ipp in removed]
    lines += list(extra_lines)
    if end:
        lines.append(f"# fin: {count}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
