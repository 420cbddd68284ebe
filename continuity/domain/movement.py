"""Stays and movements, and the pure rule that derives a stay's state from its movements.

A stay's location is never edited in place: it is the replay of its movements
(admission, transfer, leave, return, discharge), where a cancellation removes
the latest movement still in effect, as HL7 A11/A12/A13 do, and a correction (IHE PAM
FR's Z99, ZBE-4 UPDATE) changes the time, or the place of an admission or a transfer, of
one movement in effect, which keeps its id. The store keeps
the replayed state beside the movements for fast census queries; tests check
the two always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from continuity.errors import Conflict, InvalidInput


class MovementKind(StrEnum):
    ADMISSION = "admission"
    TRANSFER = "transfer"
    LEAVE = "leave"
    RETURN = "return"
    DISCHARGE = "discharge"
    CANCEL = "cancel"
    UPDATE = "update"  # a correction of the movement ``corrects`` names


PLACED = frozenset({MovementKind.ADMISSION, MovementKind.TRANSFER})  # movements that place in a bed


class StayState(StrEnum):
    PRESENT = "present"
    ON_LEAVE = "leave"
    DISCHARGED = "discharged"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """The patient is in the stay: present, or on leave keeping the bed."""
        return self in (StayState.PRESENT, StayState.ON_LEAVE)


class DischargeMode(StrEnum):
    """PMSI 'mode de sortie'."""

    HOME = "8"
    MUTATION = "6"
    TRANSFER = "7"
    DEATH = "9"


class DischargeDestination(StrEnum):
    """PMSI 'destination' after a mutation or transfer."""

    MCO = "1"
    SMR = "2"
    SLD = "3"
    PSY = "4"
    HAD = "6"
    MEDICO_SOCIAL = "7"


KIND_LABELS: dict[MovementKind, tuple[str, str]] = {
    MovementKind.ADMISSION: ("admission", "admission"),
    MovementKind.TRANSFER: ("mutation", "transfer"),
    MovementKind.LEAVE: ("absence temporaire", "temporary leave"),
    MovementKind.RETURN: ("retour d'absence", "return from leave"),
    MovementKind.DISCHARGE: ("sortie", "discharge"),
    MovementKind.CANCEL: ("annulation", "cancellation"),
    MovementKind.UPDATE: ("correction", "correction"),
}

STATE_LABELS: dict[StayState, tuple[str, str]] = {
    StayState.PRESENT: ("présent", "present"),
    StayState.ON_LEAVE: ("en absence temporaire", "on temporary leave"),
    StayState.DISCHARGED: ("sorti", "discharged"),
    StayState.CANCELLED: ("séjour annulé", "stay cancelled"),
}


class Movement(BaseModel):
    """One movement of a stay; ``id`` is stable and becomes the HL7 ZBE-1 identifier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: MovementKind
    at: AwareDatetime
    uf_code: str | None = None
    bed_code: str | None = None
    discharge_mode: DischargeMode | None = None
    destination: DischargeDestination | None = None
    destination_detail: str | None = Field(default=None, max_length=200)
    cancels: str | None = None
    reason: str | None = Field(default=None, max_length=500)
    corrects: str | None = None  # an UPDATE: the movement it corrects (``at``, ``uf_code``, ``bed_code``)


class StayView(BaseModel):
    """State of a stay after replaying its movements."""

    model_config = ConfigDict(frozen=True)

    state: StayState
    uf_code: str | None
    bed_code: str | None
    admitted_at: datetime | None
    discharged_at: datetime | None
    effective: tuple[str, ...]


def _refuse(fr: str, en: str) -> Conflict:
    return Conflict(fr, en)


def _fold(effective: list[Movement]) -> StayView:
    if not effective:
        return StayView(
            state=StayState.CANCELLED,
            uf_code=None,
            bed_code=None,
            admitted_at=None,
            discharged_at=None,
            effective=(),
        )
    state = StayState.PRESENT
    uf, bed = effective[0].uf_code, effective[0].bed_code
    discharged_at = None
    for m in effective[1:]:
        if m.kind is MovementKind.TRANSFER:
            uf, bed = m.uf_code, m.bed_code
        elif m.kind is MovementKind.LEAVE:
            state = StayState.ON_LEAVE
        elif m.kind is MovementKind.RETURN:
            state = StayState.PRESENT
        elif m.kind is MovementKind.DISCHARGE:
            state, discharged_at = StayState.DISCHARGED, m.at
    return StayView(
        state=state,
        uf_code=uf,
        bed_code=bed,
        admitted_at=effective[0].at,
        discharged_at=discharged_at,
        effective=tuple(m.id for m in effective),
    )


def corrected(target: Movement, update: Movement) -> Movement:
    """``target`` as ``update`` corrects it: its time, and the place of an admission or transfer."""
    if target.kind in PLACED:
        return target.model_copy(
            update={"at": update.at, "uf_code": update.uf_code, "bed_code": update.bed_code}
        )
    return target.model_copy(update={"at": update.at})


def _check_update(effective: list[Movement], m: Movement) -> None:
    index = next((i for i, e in enumerate(effective) if e.id == m.corrects), None)
    if index is None:
        raise _refuse(
            "Seul un mouvement en vigueur peut être corrigé (pas un mouvement annulé).",
            "Only a movement in effect can be corrected (not a cancelled one).",
        )
    target = effective[index]
    if target.kind not in PLACED and (m.uf_code, m.bed_code) != (target.uf_code, target.bed_code):
        raise InvalidInput(
            "Seules l'admission et la mutation ont une UF et un lit à corriger ; "
            "d'un autre mouvement, seule l'heure se corrige.",
            "Only an admission or a transfer has a UF and bed to correct; "
            "of another movement, only the time can be corrected.",
        )
    fixed = corrected(target, m)
    if fixed == target:
        raise _refuse(
            "Correction identique au mouvement : rien à corriger.",
            "Same as the movement: nothing to correct.",
        )
    if index > 0 and fixed.at < effective[index - 1].at:
        raise _refuse(
            "La date corrigée précède celle du mouvement précédent.",
            "The corrected time is before the previous movement's time.",
        )
    if index + 1 < len(effective) and fixed.at > effective[index + 1].at:
        raise _refuse(
            "La date corrigée dépasse celle du mouvement suivant.",
            "The corrected time is after the next movement's time.",
        )
    replay([*effective[:index], fixed, *effective[index + 1 :]])  # the stay still holds together


def _check_allowed(current: StayView | None, m: Movement, effective: list[Movement]) -> None:
    last = effective[-1] if effective else None
    if m.kind is MovementKind.ADMISSION:
        if current is not None:
            raise _refuse("Le séjour a déjà une admission.", "The stay already has an admission.")
        if not m.uf_code:
            raise _refuse("Admission sans UF.", "Admission without a UF.")
        return
    if current is None or current.state is StayState.CANCELLED:
        raise _refuse(
            "Patient non admis : aucun mouvement possible sur ce séjour.",
            "Patient not admitted: no movement is possible on this stay.",
        )
    if m.kind is MovementKind.UPDATE:
        _check_update(effective, m)
        return
    if m.kind is MovementKind.CANCEL:
        if last is None or m.cancels != last.id:
            raise _refuse(
                "Seul le dernier mouvement en vigueur peut être annulé.",
                "Only the latest movement in effect can be cancelled.",
            )
        return
    if last is not None and m.at < last.at:
        raise _refuse(
            "La date du mouvement précède celle du mouvement précédent.",
            "The movement's time is before the previous movement's time.",
        )
    allowed: dict[MovementKind, set[StayState]] = {
        MovementKind.TRANSFER: {StayState.PRESENT},
        MovementKind.LEAVE: {StayState.PRESENT},
        MovementKind.RETURN: {StayState.ON_LEAVE},
        MovementKind.DISCHARGE: {StayState.PRESENT, StayState.ON_LEAVE},
    }
    if current.state not in allowed[m.kind]:
        fr_kind, en_kind = KIND_LABELS[m.kind]
        fr_state, en_state = STATE_LABELS[current.state]
        raise _refuse(
            f"Mouvement « {fr_kind} » impossible : le patient est {fr_state}.",
            f"Movement '{en_kind}' not possible: the patient is {en_state}.",
        )
    if m.kind is MovementKind.TRANSFER:
        if not m.uf_code:
            raise _refuse("Mutation sans UF de destination.", "Transfer without a destination UF.")
        if (m.uf_code, m.bed_code) == (current.uf_code, current.bed_code):
            raise _refuse(
                "Mutation vers le même lit : rien à faire.", "Transfer to the same bed: nothing to do."
            )
    if m.kind is MovementKind.DISCHARGE and m.discharge_mode is None:
        raise _refuse("Sortie sans mode de sortie.", "Discharge without a discharge mode.")


def replay(movements: Iterable[Movement]) -> StayView | None:
    """State after the movements in order, or ``None`` for a stay with no movement.

    Raises ``Conflict`` at the first movement that the state before it forbids.
    """
    effective: list[Movement] = []
    current: StayView | None = None
    for m in movements:
        _check_allowed(current, m, effective)
        current = _apply(effective, m)
    return current


def _apply(effective: list[Movement], m: Movement) -> StayView:
    """Add an allowed movement to the movements in effect (a cancellation removes the last,
    a correction replaces the movement it corrects by its corrected copy)."""
    if m.kind is MovementKind.CANCEL:
        effective.pop()
    elif m.kind is MovementKind.UPDATE:
        index = next(i for i, e in enumerate(effective) if e.id == m.corrects)
        effective[index] = corrected(effective[index], m)
    else:
        effective.append(m)
    return _fold(effective)


class MovementNode(BaseModel):
    """A stored movement with what it followed: the stay's latest movement when it was recorded."""

    model_config = ConfigDict(frozen=True)

    movement: Movement
    after_id: str | None
    recorded_at: datetime
    origin: str  # workstation code for a movement received from another one, else ""
    recorded_by: str


class MergedStay(BaseModel):
    """A stay's movements as merged from every workstation, and what the merge found."""

    model_config = ConfigDict(frozen=True)

    order: tuple[str, ...]  # every movement id, in replay order
    view: StayView | None
    rejected: tuple[str, ...]  # movements the state before them forbids, left out of the replay
    forks: tuple[tuple[str, ...], ...]  # movements recorded concurrently after the same one


def linear_order(nodes: Iterable[MovementNode]) -> list[MovementNode]:
    """Order a stay's movement tree: parents first, concurrent branches interleaved by record time.

    On one workstation the tree is a chain and this is the order of recording; with
    movements from several workstations, every workstation computes the same order
    from the same set of movements, whatever order they arrived in.
    """
    nodes = list(nodes)
    ids = {n.movement.id for n in nodes}
    children: dict[str | None, list[MovementNode]] = {}
    for n in nodes:
        parent = n.after_id if n.after_id in ids else None
        children.setdefault(parent, []).append(n)

    def key(n: MovementNode) -> tuple[datetime, str, str]:
        return (n.recorded_at, n.origin, n.movement.id)

    ready = sorted(children.get(None, []), key=key)
    ordered: list[MovementNode] = []
    while ready:
        node = ready.pop(0)
        ordered.append(node)
        ready = sorted([*ready, *children.get(node.movement.id, [])], key=key)
    return ordered


def merge(nodes: Iterable[MovementNode]) -> MergedStay:
    """Replay the merged movements, leaving out (and reporting) those the state forbids."""
    ordered = linear_order(nodes)
    kept = accepted(n.movement for n in ordered)
    kept_ids = {m.id for m in kept}
    rejected = [n.movement.id for n in ordered if n.movement.id not in kept_ids]
    current = replay(kept)
    siblings: dict[str | None, list[str]] = {}
    for node in ordered:
        if node.after_id is not None:
            siblings.setdefault(node.after_id, []).append(node.movement.id)
    forks = tuple(tuple(sorted(group)) for group in siblings.values() if len(group) > 1)
    return MergedStay(
        order=tuple(n.movement.id for n in ordered), view=current, rejected=tuple(rejected), forks=forks
    )


def accepted(movements: Iterable[Movement]) -> list[Movement]:
    """The movements, in order, without those the state before them forbids (see ``merge``)."""
    kept: list[Movement] = []
    effective: list[Movement] = []
    current: StayView | None = None
    for m in movements:
        try:
            _check_allowed(current, m, effective)
        except (Conflict, InvalidInput):
            continue
        kept.append(m)
        current = _apply(effective, m)
    return kept


def merged_view(movements: Iterable[Movement]) -> StayView | None:
    """State after the movements that the merge keeps (stored movements, in stored order)."""
    return replay(accepted(movements))


def effective_movements(movements: Iterable[Movement]) -> list[Movement]:
    """The movements in effect after the merge keeps what it keeps, each as corrected."""
    effective: list[Movement] = []
    for m in accepted(movements):
        _apply(effective, m)
    return effective


class BedPeriod(BaseModel):
    """A stay in a bed from ``start`` until ``end`` (None: still there)."""

    model_config = ConfigDict(frozen=True)

    uf_code: str
    bed_code: str
    start: datetime
    end: datetime | None

    def overlaps(self, other: BedPeriod) -> bool:
        """Both in the same bed at some moment (one leaving as the other comes in is not)."""
        return (
            (self.uf_code, self.bed_code) == (other.uf_code, other.bed_code)
            and (other.end is None or self.start < other.end)
            and (self.end is None or other.start < self.end)
        )


def bed_periods(movements: Iterable[Movement]) -> list[BedPeriod]:
    """The beds a stay's movements put it in, and when (a temporary leave keeps the bed)."""
    effective = effective_movements(movements)
    placed = [m for m in effective if m.kind in PLACED]
    discharge = next((m.at for m in effective if m.kind is MovementKind.DISCHARGE), None)
    periods = []
    for index, m in enumerate(placed):
        end = placed[index + 1].at if index + 1 < len(placed) else discharge
        if m.uf_code and m.bed_code:
            periods.append(BedPeriod(uf_code=m.uf_code, bed_code=m.bed_code, start=m.at, end=end))
    return periods
