"""A merge made by the CIV on one workstation reaches the others in the exchange bundles."""

from __future__ import annotations

from continuity.domain.movement import DischargeMode
from continuity.services import identity_merge, patients
from tests.conftest import CIV, CIV_PW, NURSE, NURSE_PW, identity
from tests.exchange_helpers import Site


def _twins(site: Site) -> tuple[str, str]:
    with site.login("WS-A", NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity("DUPOND", "Jeanne"), bed_code="1A")
        patients.transfer(nurse, a.stay.id, "CARDIO", "1B")
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        b = patients.admit(nurse, "CARDIO", identity=identity("DUPONT", "Jeanne"), not_a_duplicate="vu")
        return a.patient.id, b.patient.id


def _state(site: Site, ws: str, kept: str, merged: str) -> tuple[str | None, list[str], list[str], int]:
    with site.login(ws, NURSE.username, NURSE_PW) as s:
        record = s.store.patients.get_patient(merged)
        assert record is not None
        stays = s.store.stays
        return (
            record.merged_into,
            sorted(x.id for x in stays.stays_of(kept)),
            sorted(x.id for x in stays.stays_of(merged)),
            len(s.store.merges.list_merges()),
        )


def test_a_merge_and_its_undo_are_carried_to_the_other_workstations(three_workstations: Site) -> None:
    site = three_workstations
    kept, merged = _twins(site)
    from_a = site.export("WS-A")
    site.deliver("WS-C", from_a)
    before = _state(site, "WS-C", kept, merged)
    with site.login("WS-C", CIV.username, CIV_PW) as civ:
        record = identity_merge.merge(civ, kept, merged, reason="même personne")
    after_c = _state(site, "WS-C", kept, merged)
    assert after_c[0] == kept and after_c[2] == [] and after_c[1] == sorted(before[1] + before[2])
    from_c = site.export("WS-C")
    site.deliver("WS-A", from_c)
    assert _state(site, "WS-A", kept, merged) == after_c
    # WS-B gets the merge before the identities it merges: it waits for them
    site.deliver("WS-B", from_c)
    site.deliver("WS-B", from_a)
    assert _state(site, "WS-B", kept, merged) == after_c
    with site.login("WS-B", NURSE.username, NURSE_PW) as s:
        assert {p.patient.id for p in patients.search(s, "dupon")} == {kept}
    # the undo travels too
    with site.login("WS-C", CIV.username, CIV_PW) as civ:
        identity_merge.unmerge(civ, record.id, reason="deux personnes")
    site.deliver("WS-A", site.export("WS-C"))
    assert _state(site, "WS-A", kept, merged) == (None, before[1], before[2], 1)
    with site.login("WS-A", NURSE.username, NURSE_PW) as s:
        [copy] = s.store.merges.list_merges()
        assert copy.id == record.id and copy.undone and copy.merged_by == f"{CIV.username}@WS-C"
