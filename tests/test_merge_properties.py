"""Property test: no sequence of admissions, transfers, discharges, merges and undone merges
loses a movement.

A hypothesis state machine drives the real services on a real SQLCipher file: ward staff
admit (new identities, or readmit known ones), transfer and discharge; the identity-vigilance
cell merges any two identities and undoes any merge, allowed or refused. After every step:
- every movement ever recorded is still in the store, in exactly one stay;
- every stay belongs to the patient the model says (moved by a merge, back by its undo),
  and that patient is not merged into another one: a merged identity holds no stay;
- a refused merge or undo changed nothing.
"""

from __future__ import annotations

import secrets
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from continuity.domain.identity import Identity, Sex
from continuity.domain.movement import DischargeMode
from continuity.domain.users import Role, User
from continuity.errors import Conflict, InvalidInput
from continuity.provisioning import parse_site
from continuity.services import identity_merge, patients
from continuity.session import Session, Workspace
from continuity.store import Store
from tests.conftest import SITE_TOML, Clock

SITE = parse_site(SITE_TOML)
UFS = [uf.code for uf in SITE.ufs]


class MergeMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.clock = Clock()
        self.clock.advance(days=-30)
        workspace = Workspace(Path(self.tmp.name), self.clock)
        workspace.ensure_folder()
        store = Store.open_encrypted(workspace.db_path, secrets.token_bytes(32), self.clock, create=True)
        store.migrate()
        ward = User(username="ide", display_name="IDE", role=Role.WARD_STAFF, ufs=tuple(UFS))
        civ = User(username="civ", display_name="CIV", role=Role.IDENTITY_VIGILANCE)
        with store.transaction():
            store.reference.insert_site(SITE, "WS-A")
            store.users.insert_user(ward)
            store.users.insert_user(civ)
        self.ward = Session(workspace, ward, store, bytearray(32))
        self.civ = Session(workspace, civ, store, bytearray(32))
        self.store = store
        self.owner: dict[str, str] = {}  # model: stay -> the patient holding it
        self.merged: dict[str, str] = {}  # model: merged patient -> kept patient
        self.merges: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # active merge -> kept, merged, stays
        self.movements: set[str] = set()  # every movement recorded
        self.people: list[str] = []
        self.counter = 0

    def teardown(self) -> None:
        self.ward.lock()
        self.tmp.cleanup()

    def step(self) -> None:
        self.clock.advance(minutes=7)

    def live(self) -> list[str]:
        return [p for p in self.people if p not in self.merged]

    def open_stays(self) -> list[str]:
        return [s for s in self.owner if (st_ := self.store.stays.get_stay(s)) and st_.discharged_at is None]

    def note(self, stay_id: str) -> None:
        self.movements |= {m.id for m in self.store.movements.movements_of(stay_id)}

    def snapshot(self) -> tuple[object, ...]:
        stays = {s: self.store.stays.get_stay(s) for s in self.owner}
        marks = {p: self.store.patients.get_patient(p).merged_into for p in self.people}  # type: ignore[union-attr]
        return (
            {s: (v.patient_id if v else None) for s, v in stays.items()},
            marks,
            len(self.store.merges.list_merges()),
        )

    # ------------------------------------------------------------------ rules
    @rule(uf=st.sampled_from(UFS), born=st.integers(0, 3), readmit=st.booleans(), data=st.data())
    def admit(self, uf: str, born: int, readmit: bool, data: st.DataObject) -> None:
        self.step()
        candidates = [p for p in self.live() if self.store.stays.open_stay(p) is None]
        if readmit and candidates:
            who = data.draw(st.sampled_from(candidates))
            admission = patients.admit(self.ward, uf, patient_id=who)
        else:
            self.counter += 1
            ident = Identity(
                birth_name=f"DUPON{'DT'[self.counter % 2]}",
                first_names=["JEANNE"],
                birth_date=date(1950, 3, 12) + timedelta(days=born),
                sex=Sex.F,
            )
            admission = patients.admit(self.ward, uf, identity=ident, not_a_duplicate="à revoir par la CIV")
            self.people.append(admission.patient.id)
        self.owner[admission.stay.id] = admission.patient.id
        self.note(admission.stay.id)

    @precondition(lambda self: self.open_stays())
    @rule(data=st.data(), uf=st.sampled_from(UFS))
    def transfer(self, data: st.DataObject, uf: str) -> None:
        self.step()
        sid = data.draw(st.sampled_from(self.open_stays()))
        stay = self.store.stays.get_stay(sid)
        assert stay is not None
        if stay.uf_code != uf:
            patients.transfer(self.ward, sid, uf)
            self.note(sid)

    @precondition(lambda self: self.open_stays())
    @rule(data=st.data())
    def discharge(self, data: st.DataObject) -> None:
        self.step()
        sid = data.draw(st.sampled_from(self.open_stays()))
        patients.discharge(self.ward, sid, DischargeMode.HOME)
        self.note(sid)

    @precondition(lambda self: len(self.people) >= 2)
    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        self.step()
        kept = data.draw(st.sampled_from(self.people))
        merged = data.draw(st.sampled_from(self.people))
        before = self.snapshot()
        try:
            record = identity_merge.merge(self.civ, kept, merged, reason="même personne")
        except (Conflict, InvalidInput):
            assert self.snapshot() == before  # refused: nothing changed
            return
        assert kept != merged and kept not in self.merged and merged not in self.merged
        moved = tuple(s for s, p in self.owner.items() if p == merged)
        assert set(record.stays) == set(moved)
        for s in moved:
            self.owner[s] = kept
        self.merged[merged] = kept
        self.merges[record.id] = (kept, merged, record.stays)

    @precondition(lambda self: self.merges)
    @rule(data=st.data())
    def unmerge(self, data: st.DataObject) -> None:
        self.step()
        merge_id = data.draw(st.sampled_from(sorted(self.merges)))
        kept, merged, stays = self.merges[merge_id]
        before = self.snapshot()
        try:
            identity_merge.unmerge(self.civ, merge_id, reason="deux personnes")
        except Conflict:
            assert self.snapshot() == before
            assert kept in self.merged  # refused only while the kept one is merged itself
            return
        for s in stays:
            self.owner[s] = merged
        del self.merged[merged]
        del self.merges[merge_id]

    # ------------------------------------------------------------ invariants
    @invariant()
    def no_movement_is_lost(self) -> None:
        rows = self.store._all("SELECT id, stay_id FROM movements")
        where = {r[0]: r[1] for r in rows}
        assert len(where) == len(rows)  # each movement in exactly one stay
        assert self.movements <= set(where)
        for movement in self.movements:
            stay = self.store.stays.get_stay(where[movement])
            assert stay is not None and stay.patient_id == self.owner[stay.id]
            holder = self.store.patients.get_patient(stay.patient_id)
            assert holder is not None and holder.merged_into is None

    @invariant()
    def merged_identities_hold_nothing(self) -> None:
        for merged, kept in self.merged.items():
            record = self.store.patients.get_patient(merged)
            assert record is not None and record.merged_into == kept
            assert self.store.stays.stays_of(merged) == []


MergeMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestMerges = MergeMachine.TestCase
