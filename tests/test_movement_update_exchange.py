"""A movement correction travels between workstations like any movement and merges the same everywhere."""

from __future__ import annotations

from datetime import timedelta

from continuity.services import corrections, patients, undo
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.exchange_helpers import WORKSTATIONS, Site


def test_a_correction_made_on_one_workstation_is_seen_on_the_others(three_workstations: Site) -> None:
    site = three_workstations
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        adm = patients.admit(
            a, "CARDIO", identity=identity(), bed_code="1A", at=site.clock() - timedelta(hours=5)
        )
        patients.transfer(a, adm.stay.id, "CARDIO", "2A", at=site.clock() - timedelta(hours=3))
        transfer = patients.stay_movements(a, adm.stay.id)[-1].id
    first = site.export("WS-A")
    site.deliver("WS-B", first)
    site.deliver("WS-C", first)
    when = site.clock() - timedelta(hours=4)
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        corrections.correct_movement(a, transfer, at=when, bed_code="2B", reason="mauvais lit")
    bundle = site.export("WS-A")
    site.deliver("WS-B", bundle)
    site.deliver("WS-C", bundle)
    for ws in WORKSTATIONS:
        with site.login(ws, CRISIS.username, CRISIS_PW) as s:
            stay = s.store.stays.get_stay(adm.stay.id)
            assert stay is not None and (stay.uf_code, stay.bed_code) == ("CARDIO", "2B"), ws
            moved = corrections.movements_in_effect(s, adm.stay.id)[-1]
            assert (moved.id, moved.at, moved.bed_code) == (transfer, when, "2B"), ws
            assert s.store.conflicts.conflicts() == [], ws
    # The bed the correction left is free on B too: another patient may take it there.
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        patients.admit(b, "CARDIO", identity=identity("MARTIN", "Paul", sex="M"), bed_code="2A")


def test_a_correction_of_a_movement_cancelled_meanwhile_elsewhere_is_left_out(
    three_workstations: Site,
) -> None:
    site = three_workstations
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        adm = patients.admit(
            a, "CARDIO", identity=identity(), bed_code="1A", at=site.clock() - timedelta(hours=5)
        )
        patients.transfer(a, adm.stay.id, "CARDIO", "2A", at=site.clock() - timedelta(hours=3))
        transfer = patients.stay_movements(a, adm.stay.id)[-1].id
    site.deliver("WS-B", site.export("WS-A"))
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        undo.cancel_last(b, adm.stay.id)  # B cancels the transfer first
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        corrections.correct_movement(a, transfer, bed_code="2B", reason="mauvais lit")  # A corrects it later
    from_a, from_b = site.export("WS-A"), site.export("WS-B")
    site.deliver("WS-A", from_b)
    site.deliver("WS-B", from_a)
    for ws in ("WS-A", "WS-B"):
        with site.login(ws, CRISIS.username, CRISIS_PW) as s:
            stay = s.store.stays.get_stay(adm.stay.id)
            assert stay is not None and (stay.uf_code, stay.bed_code) == ("CARDIO", "1A"), ws
    with site.login("WS-A", CRISIS.username, CRISIS_PW) as a:
        kinds = {e["kind"]: e["status"] for e in a.store.outbox.outbox_events()}
        assert kinds["movement_update"] == "superseded"  # never sent: the HIS will get B's A12


def test_a_correction_reaching_a_workstation_before_the_movement_it_corrects_waits_for_it(
    three_workstations: Site,
) -> None:
    """A's transfer T and B's leave L follow the admission concurrently; B, having both, corrects
    T: its correction follows L (B's latest), not T. C receives B's bundle (L, the correction)
    before A's (T): the correction must wait for T, not break C's import of B's bundle."""
    site = three_workstations
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        adm = patients.admit(
            a, "CARDIO", identity=identity(), bed_code="1A", at=site.clock() - timedelta(hours=6)
        )
    first = site.export("WS-A")
    site.deliver("WS-B", first)
    site.deliver("WS-C", first)
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.transfer(a, adm.stay.id, "CARDIO", "2A", at=site.clock() - timedelta(hours=4))
        transfer = patients.stay_movements(a, adm.stay.id)[-1].id
    site.clock.advance(minutes=1)
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        patients.start_leave(b, adm.stay.id, at=site.clock() - timedelta(hours=3))
    from_a = site.export("WS-A")
    site.deliver("WS-B", from_a)
    site.clock.advance(minutes=1)
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        corrections.correct_movement(b, transfer, bed_code="2B", reason="mauvais lit")
    from_b = site.export("WS-B")
    report = site.deliver("WS-C", from_b).report  # before A's transfer: the correction waits
    assert report is not None and report.failed == 0
    site.deliver("WS-C", from_a)
    site.deliver("WS-A", from_b)
    for ws in WORKSTATIONS:
        with site.login(ws, CRISIS.username, CRISIS_PW) as s:
            stay = s.store.stays.get_stay(adm.stay.id)
            assert stay is not None and (stay.uf_code, stay.bed_code) == ("CARDIO", "2B"), ws
            # the concurrent transfer and leave are shown for review (a fork), nothing is left unapplied
            assert [c.kind.value for c in s.store.conflicts.conflicts()] in ([], ["movements"]), ws


def test_a_bed_claimed_by_a_concurrent_correction_goes_by_the_corrected_time(
    three_workstations: Site,
) -> None:
    """A corrects P's transfer: into 2B, 5 h ago (it was recorded 2A, 2 h ago); B meanwhile admits
    Q into 2B, 3 h ago. Merged, both claim 2B: the one put there first keeps it, by the history
    as corrected (P since -5 h, Q since -3 h), on every workstation; the other is without a bed."""
    site = three_workstations
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        p = patients.admit(
            a, "CARDIO", identity=identity(), bed_code="1A", at=site.clock() - timedelta(hours=6)
        )
        patients.transfer(a, p.stay.id, "CARDIO", "2A", at=site.clock() - timedelta(hours=2))
        transfer = patients.stay_movements(a, p.stay.id)[-1].id
    first = site.export("WS-A")
    site.deliver("WS-B", first)
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        corrections.correct_movement(
            a, transfer, at=site.clock() - timedelta(hours=5), bed_code="2B", reason="mauvais lit"
        )
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        q = patients.admit(
            b,
            "CARDIO",
            identity=identity("MARTIN", "Paul", sex="M"),
            bed_code="2B",
            at=site.clock() - timedelta(hours=3),
        )
    from_a, from_b = site.export("WS-A"), site.export("WS-B")
    site.deliver("WS-A", from_b)
    site.deliver("WS-B", from_a)
    for ws in ("WS-A", "WS-B"):
        with site.login(ws, CRISIS.username, CRISIS_PW) as s:
            held = (s.store.stays.get_stay(p.stay.id), s.store.stays.get_stay(q.stay.id))
            assert [st.bed_code for st in held if st is not None] == ["2B", None], ws
