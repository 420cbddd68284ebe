"""Property tests: the census the store keeps always equals a replay of the movements.

A hypothesis state machine drives the real services on a real SQLCipher
file with random admissions, transfers, leaves, returns, discharges and
cancellations (valid and invalid), and checks after every step that:
- the census equals a simple reference model of who is in which bed;
- every stay's stored state equals ``replay`` of its stored movements;
- a refused movement changed nothing.
"""

from __future__ import annotations

import secrets
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from continuity.domain.identity import Identity, Sex
from continuity.domain.movement import DischargeMode, StayState, replay
from continuity.domain.users import Role, User
from continuity.errors import Conflict
from continuity.provisioning import parse_site
from continuity.services import patients, undo
from continuity.session import Session, Workspace
from continuity.store import Store
from tests.conftest import SITE_TOML, Clock

SITE = parse_site(SITE_TOML)
BEDS = [(uf.code, b) for uf in SITE.ufs for b in uf.bed_codes()] + [("CARDIO", None)]
OPEN = (StayState.PRESENT, StayState.ON_LEAVE)


class CensusMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.clock = Clock()
        self.clock.advance(days=-30)
        workspace = Workspace(Path(self.tmp.name), self.clock)
        workspace.ensure_folder()
        store = Store.open_encrypted(workspace.db_path, secrets.token_bytes(32), self.clock, create=True)
        store.migrate()
        user = User(
            username="ide", display_name="IDE", role=Role.WARD_STAFF, ufs=tuple(u.code for u in SITE.ufs)
        )
        with store.transaction():
            store.reference.insert_site(SITE, "WS-A")
            store.users.insert_user(user)
        self.session = Session(workspace, user, store, bytearray(32))
        # reference model: stay id -> stack of (state, uf, bed) after each effective movement
        self.history: dict[str, list[tuple[StayState, str | None, str | None]]] = {}
        self.counter = 0

    def teardown(self) -> None:
        self.session.lock()
        self.tmp.cleanup()

    # ------------------------------------------------------------------ model
    def current(self, stay_id: str) -> tuple[StayState, str | None, str | None]:
        stack = self.history[stay_id]
        return stack[-1] if stack else (StayState.CANCELLED, None, None)

    def occupied(self) -> dict[tuple[str, str], str]:
        beds = {}
        for sid in self.history:
            state, uf, bed = self.current(sid)
            if state in OPEN and uf and bed:
                beds[(uf, bed)] = sid
        return beds

    def open_stays(self) -> list[str]:
        return [s for s in self.history if self.current(s)[0] in OPEN]

    def step(self) -> None:
        self.clock.advance(minutes=7)

    def attempt(self, action: object, expect_ok: bool) -> bool:
        """Run a service call; a refusal must be a Conflict and only when the model predicts it."""
        before = self.session.store.stays.census([u.code for u in SITE.ufs])
        try:
            action()  # type: ignore[operator]
        except Conflict:
            assert not expect_ok, "service refused a movement the model allows"
            assert self.session.store.stays.census([u.code for u in SITE.ufs]) == before
            return False
        assert expect_ok, "service accepted a movement the model forbids"
        return True

    # ------------------------------------------------------------------ rules
    @rule(target_bed=st.sampled_from(BEDS), born=st.integers(0, 30000))
    def admit(self, target_bed: tuple[str, str | None], born: int) -> None:
        self.step()
        self.counter += 1
        uf, bed = target_bed
        ident = Identity(
            birth_name=f"PATIENT{'ABCDEFGHIJ'[self.counter % 10]}",
            first_names=["TEST"],
            birth_date=date(1930, 1, 1) + timedelta(days=born),
            sex=Sex.F,
        )
        expect_ok = bed is None or (uf, bed) not in self.occupied()
        result: list[str] = []

        def action() -> None:
            result.append(
                patients.admit(
                    self.session, uf, identity=ident, bed_code=bed, not_a_duplicate="autre patient"
                ).stay.id
            )

        if self.attempt(action, expect_ok):
            self.history[result[0]] = [(StayState.PRESENT, uf, bed)]

    @precondition(lambda self: self.open_stays())
    @rule(data=st.data(), target_bed=st.sampled_from(BEDS))
    def transfer(self, data: st.DataObject, target_bed: tuple[str, str | None]) -> None:
        self.step()
        sid = data.draw(st.sampled_from(self.open_stays()))
        state, uf, bed = self.current(sid)
        new_uf, new_bed = target_bed
        holder = self.occupied().get((new_uf, new_bed)) if new_bed else None
        expect_ok = (
            state is StayState.PRESENT
            and (holder is None or holder == sid)
            and (new_uf, new_bed) != (uf, bed)
        )
        if self.attempt(lambda: patients.transfer(self.session, sid, new_uf, new_bed), expect_ok):
            self.history[sid].append((StayState.PRESENT, new_uf, new_bed))

    @precondition(lambda self: self.open_stays())
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        self.step()
        sid = data.draw(st.sampled_from(self.open_stays()))
        state, uf, bed = self.current(sid)
        if self.attempt(lambda: patients.start_leave(self.session, sid), state is StayState.PRESENT):
            self.history[sid].append((StayState.ON_LEAVE, uf, bed))

    @precondition(lambda self: self.open_stays())
    @rule(data=st.data())
    def come_back(self, data: st.DataObject) -> None:
        self.step()
        sid = data.draw(st.sampled_from(self.open_stays()))
        state, uf, bed = self.current(sid)
        if self.attempt(lambda: patients.end_leave(self.session, sid), state is StayState.ON_LEAVE):
            self.history[sid].append((StayState.PRESENT, uf, bed))

    @precondition(lambda self: self.open_stays())
    @rule(data=st.data())
    def discharge(self, data: st.DataObject) -> None:
        self.step()
        sid = data.draw(st.sampled_from(self.open_stays()))
        _, uf, bed = self.current(sid)
        if self.attempt(lambda: patients.discharge(self.session, sid, DischargeMode.HOME), True):
            self.history[sid].append((StayState.DISCHARGED, uf, bed))

    @precondition(lambda self: self.history)
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        self.step()
        sid = data.draw(st.sampled_from(list(self.history)))
        stack = self.history[sid]
        expect_ok = bool(stack)
        if len(stack) >= 2 and stack[-1][0] is StayState.DISCHARGED and stack[-2][0] in OPEN:
            # undoing a discharge gives the bed back: refused if someone took it meanwhile
            _, uf, bed = stack[-2]
            holder = self.occupied().get((uf, bed)) if uf and bed else None
            expect_ok = holder is None
        elif len(stack) >= 2:
            _, uf, bed = stack[-2]
            holder = self.occupied().get((uf, bed)) if uf and bed else None
            expect_ok = holder in (None, sid)
        if self.attempt(lambda: undo.cancel_last(self.session, sid), expect_ok):
            stack.pop()

    # ------------------------------------------------------------ invariants
    @invariant()
    def census_matches_model(self) -> None:
        lines = self.session.store.stays.census([u.code for u in SITE.ufs])
        seen = {(s.stay.uf_code, s.stay.bed_code): s.stay.id for s in lines if s.stay and s.stay.bed_code}
        assert seen == self.occupied()
        assert sorted(s.stay.id for s in lines if s.stay) == sorted(self.open_stays())

    @invariant()
    def stored_state_is_replay_of_movements(self) -> None:
        for sid in self.history:
            stay = self.session.store.stays.get_stay(sid)
            assert stay is not None
            view = replay(self.session.store.movements.movements_of(sid))
            assert view is not None
            assert (stay.state, stay.uf_code, stay.bed_code) == (view.state, view.uf_code, view.bed_code)
            assert (stay.state, stay.uf_code, stay.bed_code) == self.current(sid)


CensusMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestCensus = pytest.mark.slow(CensusMachine.TestCase)
