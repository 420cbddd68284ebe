"""The identity-vigilance cell's review queue, and two identities side by side.

What the CIV must look at (RNIV):
- possible duplicates: two identities not merged, at least one of them made here
  (local), born the same day or with day and month swapped, whose family names and
  first names are alike as written or as heard (``continuity.phonetic``: accents,
  spaces, hyphens, apostrophes, compound names, French phonetics);
- identities made here still provisional after N hours (``provisional_hours``, a
  setting kept in ``meta``, changed by the CIV with an audit entry; 24 by default);
- doubtful and fictitious identities (the RNIV attributes);
- the HIS mappings waiting for a decision (``continuity.services.reconciliation``).

Duplicates are looked for within blocks of one birth date (and its swap), never over
every pair: a few thousand identities take a few milliseconds.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from continuity.domain.identity import STATUS_LABELS, IdentityStatus
from continuity.domain.outbox import MappingStatus
from continuity.domain.records import PatientRecord, Source
from continuity.domain.users import Permission
from continuity.errors import InvalidInput, NotFound
from continuity.phonetic import family_alike, first_alike
from continuity.session import Session
from continuity.store import Store

PROVISIONAL_HOURS_KEY = "vigilance.provisional_hours"
DEFAULT_PROVISIONAL_HOURS = 24
MAX_PROVISIONAL_HOURS = 24 * 365


class ReviewKind(StrEnum):
    DUPLICATE = "duplicate"
    PROVISIONAL = "provisional"
    DOUBTFUL = "doubtful"
    FICTITIOUS = "fictitious"
    MAPPING = "mapping"


REVIEW_KIND_LABELS: dict[ReviewKind, tuple[str, str]] = {
    ReviewKind.DUPLICATE: ("doublon possible", "possible duplicate"),
    ReviewKind.PROVISIONAL: ("provisoire depuis trop longtemps", "provisional for too long"),
    ReviewKind.DOUBTFUL: ("identité douteuse", "doubtful identity"),
    ReviewKind.FICTITIOUS: ("identité fictive", "fictitious identity"),
    ReviewKind.MAPPING: ("correspondance DPI à décider", "HIS mapping to decide"),
}


class ReviewItem(BaseModel):
    """One thing to look at: one identity, or two (a possible duplicate)."""

    model_config = ConfigDict(frozen=True)
    kind: ReviewKind
    patient_ids: tuple[str, ...]
    since: datetime | None = None  # when the identity (the newer of two) was made
    swapped: bool = False  # a duplicate born on the day and month swapped
    mapping_id: int | None = None


class ReviewCounts(BaseModel):
    """The queue in figures (no names): the crisis dashboard shows them."""

    model_config = ConfigDict(frozen=True)
    duplicates: int = 0
    provisional: int = 0
    doubtful: int = 0
    fictitious: int = 0
    mappings: int = 0
    provisional_hours: int = DEFAULT_PROVISIONAL_HOURS

    @property
    def total(self) -> int:
        return self.duplicates + self.provisional + self.doubtful + self.fictitious + self.mappings


class ReviewQueue(BaseModel):
    model_config = ConfigDict(frozen=True)
    items: list[ReviewItem]
    patients: dict[str, PatientRecord]  # every identity an item names
    provisional_hours: int
    seconds: float = 0.0

    @property
    def counts(self) -> dict[ReviewKind, int]:
        found = dict.fromkeys(ReviewKind, 0)
        for item in self.items:
            found[item.kind] += 1
        return found

    def figures(self) -> ReviewCounts:
        c = self.counts
        return ReviewCounts(
            duplicates=c[ReviewKind.DUPLICATE],
            provisional=c[ReviewKind.PROVISIONAL],
            doubtful=c[ReviewKind.DOUBTFUL],
            fictitious=c[ReviewKind.FICTITIOUS],
            mappings=c[ReviewKind.MAPPING],
            provisional_hours=self.provisional_hours,
        )


# ----------------------------------------------------------------------------- settings
def _hours(store: Store) -> int:
    value = store.get_meta(PROVISIONAL_HOURS_KEY)
    return int(value) if value and value.isdigit() and int(value) > 0 else DEFAULT_PROVISIONAL_HOURS


def provisional_hours(session: Session) -> int:
    """After how many hours a local identity still provisional enters the queue."""
    session.require(Permission.READ_STATUS)
    return _hours(session.store)


def set_provisional_hours(session: Session, hours: int) -> None:
    """Change that delay (the CIV), with an audit entry."""
    session.require(Permission.REVIEW_IDENTITIES)
    if not 1 <= hours <= MAX_PROVISIONAL_HOURS:
        raise InvalidInput(
            f"Délai en heures entre 1 et {MAX_PROVISIONAL_HOURS}.",
            f"Delay in hours between 1 and {MAX_PROVISIONAL_HOURS}.",
        )
    store = session.store
    with store.transaction():
        before = _hours(store)
        store.set_meta(PROVISIONAL_HOURS_KEY, str(hours))
        store.audit.append_audit(
            session.actor,
            "vigilance.provisional_hours",
            "setting",
            PROVISIONAL_HOURS_KEY,
            1,
            {"before": before, "after": hours},
        )


# -------------------------------------------------------------------------------- queue
def _swap(day: date) -> date | None:
    if day.day <= 12 and day.day != day.month:
        with contextlib.suppress(ValueError):
            return date(day.year, day.day, day.month)
    return None


def _families(p: PatientRecord) -> list[str]:
    return [n for n in (p.identity.birth_name, p.identity.used_name) if n]


def _firsts(p: PatientRecord) -> list[str]:
    return [*p.identity.first_names, *([p.identity.used_first_name] if p.identity.used_first_name else [])]


def _alike(a: PatientRecord, b: PatientRecord) -> bool:
    """Names alike (family and first), whatever the birth dates: the queue's name rule."""
    return family_alike(_families(a), _families(b)) and first_alike(_firsts(a), _firsts(b))


def _duplicates(people: list[PatientRecord]) -> list[ReviewItem]:
    by_day: dict[date, list[PatientRecord]] = defaultdict(list)
    for p in people:
        if not p.identity.placeholder:  # its name is made up: nothing to compare
            by_day[p.identity.birth_date].append(p)
    items: list[ReviewItem] = []
    seen: set[tuple[str, str]] = set()
    for day, block in by_day.items():
        swap = _swap(day)
        others = by_day.get(swap, []) if swap is not None else []
        for i, a in enumerate(block):
            candidates = [(b, False) for b in block[i + 1 :]] + [(b, True) for b in others]
            for b, swapped in candidates:
                if a.source is Source.HIS and b.source is Source.HIS:
                    continue  # two HIS identities: the HIS's own vigilance
                pair = (min(a.id, b.id), max(a.id, b.id))
                if pair in seen or not _alike(a, b):
                    continue
                seen.add(pair)
                first, second = sorted((a, b), key=lambda p: (p.created_at, p.id))
                items.append(
                    ReviewItem(
                        kind=ReviewKind.DUPLICATE,
                        patient_ids=(first.id, second.id),
                        since=second.created_at,
                        swapped=swapped,
                    )
                )
    return items


def _build(session: Session) -> ReviewQueue:
    store = session.store
    started = time.perf_counter()
    people = store.patients.unmerged_patients()
    hours = _hours(store)
    limit = session.clock() - timedelta(hours=hours)
    items = _duplicates(people)
    for p in sorted(people, key=lambda r: (r.created_at, r.id)):
        if p.identity.doubtful:
            items.append(ReviewItem(kind=ReviewKind.DOUBTFUL, patient_ids=(p.id,), since=p.created_at))
        if p.identity.fictitious:
            items.append(ReviewItem(kind=ReviewKind.FICTITIOUS, patient_ids=(p.id,), since=p.created_at))
        if (
            p.source is Source.KIT
            and p.identity.status is IdentityStatus.PROVISOIRE
            and p.created_at <= limit
        ):
            items.append(ReviewItem(kind=ReviewKind.PROVISIONAL, patient_ids=(p.id,), since=p.created_at))
    known = {p.id: p for p in people}
    for m in store.his_ids.his_identifiers(MappingStatus.PROPOSED):
        patient_id = m.entity_id
        if m.entity == "stay":
            stay = store.stays.get_stay(m.entity_id)
            patient_id = stay.patient_id if stay else ""
        if patient_id in known:
            items.append(
                ReviewItem(
                    kind=ReviewKind.MAPPING, patient_ids=(patient_id,), since=m.proposed_at, mapping_id=m.id
                )
            )
    named = {pid for item in items for pid in item.patient_ids}
    return ReviewQueue(
        items=items,
        patients={pid: known[pid] for pid in named if pid in known},
        provisional_hours=hours,
        seconds=time.perf_counter() - started,
    )


def review_queue(session: Session) -> ReviewQueue:
    """Everything the CIV should look at now, with the identities it names."""
    session.require(Permission.REVIEW_IDENTITIES)
    return _build(session)


def review_counts(session: Session) -> ReviewCounts:
    """The queue in figures only (the crisis dashboard): names nobody."""
    session.require(Permission.READ_STATUS)
    return _build(session).figures()


# --------------------------------------------------------------------------- comparison
class TraitRow(BaseModel):
    """One trait of two identities side by side; ``strict``: an RNIV strict trait."""

    model_config = ConfigDict(frozen=True)
    label_fr: str
    label_en: str
    strict: bool
    left: str
    right: str

    @property
    def same(self) -> bool:
        return self.left == self.right


def _traits(p: PatientRecord) -> list[tuple[str, str, bool, str]]:
    i = p.identity
    status = STATUS_LABELS[i.status][0]  # shown as on the forms: « validée », not the code
    return [
        ("nom de naissance", "birth name", True, i.birth_name),
        ("prénoms de naissance", "birth first names", True, " ".join(i.first_names)),
        ("premier prénom de naissance", "first birth first name", True, i.first_names[0]),
        ("date de naissance", "birth date", True, i.birth_date.strftime("%d/%m/%Y")),
        ("sexe", "sex", True, i.sex.value),
        ("lieu de naissance (code INSEE)", "birth place (INSEE code)", True, i.birth_place_insee or ""),
        ("INS (identité qualifiée)", "INS (qualified identity)", True, i.ins or ""),
        ("nom utilisé", "used name", False, i.used_name or ""),
        ("prénom utilisé", "used first name", False, i.used_first_name or ""),
        ("statut de l'identité", "identity status", False, status),
        (
            "attribut",
            "attribute",
            False,
            "identité douteuse" if i.doubtful else "identité fictive" if i.fictitious else "",
        ),
        ("IPP provisoire", "provisional IPP", False, p.provisional_ipp),
        ("IPP du DPI", "HIS IPP", False, p.ipp or ""),
        ("origine", "origin", False, "DPI" if p.source.value == "his" else "kit"),
    ]


def compare(session: Session, left_id: str, right_id: str) -> list[TraitRow]:
    """Two identities trait by trait, the strict traits first (RNIV order)."""
    session.require(Permission.REVIEW_IDENTITIES)
    store = session.store
    records = [store.patients.get_patient(pid) for pid in (left_id, right_id)]
    if records[0] is None or records[1] is None:
        raise NotFound("Patient inconnu.", "Unknown patient.")
    left, right = _traits(records[0]), _traits(records[1])
    return [
        TraitRow(label_fr=fr, label_en=en, strict=strict, left=a, right=b)
        for (fr, en, strict, a), (_, _, _, b) in zip(left, right, strict=True)
    ]
