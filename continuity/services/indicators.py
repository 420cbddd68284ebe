"""Crisis-cell indicators: the figures of the dashboard, computed from the store.

Counting windows:
- the outage starts at the first change of any service to ``degraded``;
  admissions and discharges are counted from then on (from 24 h ago when
  no outage was ever declared);
- admissions per hour cover the current hour and the 23 before it, on whole
  UTC hours (which are whole local hours in France).

Occupancy is given for the UFs whose census the user may read; the other
figures are site-wide counts that name no patient.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from continuity.domain.crisis import DegradedStatus
from continuity.domain.identity import IdentityStatus
from continuity.domain.movement import MovementKind
from continuity.domain.users import Permission
from continuity.services.vigilance import ReviewCounts, review_counts
from continuity.session import Session

NO_OUTAGE_WINDOW = timedelta(hours=24)
HOURS_IN_CHART = 24
SNAPSHOT_META_KEY = "last_snapshot_at"
MAX_AGE_META_KEY = "snapshot_max_age_minutes"
DEFAULT_SNAPSHOT_MAX_AGE = timedelta(hours=6)


def snapshot_max_age(session: Session) -> timedelta:
    """The age past which the newest HIS snapshot is shown as too old."""
    session.require(Permission.READ_STATUS)
    value = session.store.get_meta(MAX_AGE_META_KEY)
    return timedelta(minutes=int(value)) if value and value.isdigit() else DEFAULT_SNAPSHOT_MAX_AGE


class UfOccupancy(BaseModel):
    model_config = ConfigDict(frozen=True)
    uf_code: str
    uf_name: str
    occupied: int  # beds taken: a patient in it, or on leave (bed kept)
    bedless: int  # open stays waiting without a bed: counted apart, never as beds
    total_beds: int
    blocked_beds: int

    @property
    def rate(self) -> float | None:
        """Occupied beds over total beds (at most 1: a bedless patient takes no bed)."""
        return self.occupied / self.total_beds if self.total_beds else None


class Dashboard(BaseModel):
    model_config = ConfigDict(frozen=True)
    now: datetime
    outage_started_at: datetime | None
    counted_since: datetime  # outage start, or 24 h before ``now`` when no outage
    admissions: int
    discharges: int
    occupancy: list[UfOccupancy]
    provisional_identities: int
    pending_sync: int
    last_snapshot_at: datetime | None
    snapshot_max_age: timedelta
    admissions_per_hour: list[tuple[datetime, int]]  # (hour start, UTC; count), oldest first
    identity_review: ReviewCounts | None = None  # the identity-vigilance queue, in figures

    @property
    def snapshot_age(self) -> timedelta | None:
        if self.last_snapshot_at is None:
            return None
        return self.now - self.last_snapshot_at

    @property
    def snapshot_stale(self) -> bool:
        age = self.snapshot_age
        return age is None or age > self.snapshot_max_age

    @property
    def occupied_total(self) -> int:
        return sum(u.occupied for u in self.occupancy)

    @property
    def bedless_total(self) -> int:
        return sum(u.bedless for u in self.occupancy)

    @property
    def beds_total(self) -> int:
        return sum(u.total_beds for u in self.occupancy)


def parse_meta_time(value: str | None) -> datetime | None:
    """The meta value as an aware datetime (naive means UTC); unreadable counts as absent."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def last_snapshot_at(session: Session) -> datetime | None:
    """When the newest HIS snapshot imported here was taken (None if never)."""
    session.require(Permission.READ_STATUS)
    return parse_meta_time(session.store.get_meta(SNAPSHOT_META_KEY))


def _hour_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def admissions_per_hour(session: Session, now: datetime) -> list[tuple[datetime, int]]:
    """Admissions (not cancelled) per hour, for the current hour and the 23 before it."""
    session.require(Permission.READ_PATIENTS)
    first = _hour_start(now) - timedelta(hours=HOURS_IN_CHART - 1)
    hours = [first + timedelta(hours=i) for i in range(HOURS_IN_CHART)]
    counts = [0] * HOURS_IN_CHART
    for at in session.store.crisis.movement_times_since(MovementKind.ADMISSION, first):
        index = int((at - first) // timedelta(hours=1))
        if 0 <= index < HOURS_IN_CHART:  # movements slightly ahead of the clock are left out
            counts[index] += 1
    return list(zip(hours, counts, strict=True))


def dashboard(session: Session) -> Dashboard:
    session.require(Permission.READ_PATIENTS)
    store = session.store
    now = session.clock()
    outage = store.crisis.first_status_change_at(DegradedStatus.DEGRADED)
    since = outage if outage is not None else now - NO_OUTAGE_WINDOW
    beds = store.crisis.bed_counts_by_uf()
    open_stays = store.stays.count_open_stays_by_uf()
    occupancy = [
        UfOccupancy(
            uf_code=code,
            uf_name=name,
            occupied=open_stays.get(code, (0, 0))[0],
            bedless=open_stays.get(code, (0, 0))[1],
            total_beds=beds.get(code, (0, 0))[0],
            blocked_beds=beds.get(code, (0, 0))[1],
        )
        for code, name in store.reference.list_ufs()
        if session.user.sees_uf(code)
    ]
    return Dashboard(
        now=now,
        outage_started_at=outage,
        counted_since=since,
        admissions=store.crisis.count_movements_since(MovementKind.ADMISSION, since),
        discharges=store.crisis.count_movements_since(MovementKind.DISCHARGE, since),
        occupancy=occupancy,
        provisional_identities=store.crisis.count_open_stays_with_identity(IdentityStatus.PROVISOIRE),
        pending_sync=store.outbox.count_unacknowledged(),
        last_snapshot_at=parse_meta_time(store.get_meta(SNAPSHOT_META_KEY)),
        snapshot_max_age=snapshot_max_age(session),
        admissions_per_hour=admissions_per_hour(session, now),
        identity_review=review_counts(session) if session.user.can(Permission.READ_STATUS) else None,
    )
