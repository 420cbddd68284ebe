"""The crisis cell importing many workstations' bundles: what an import costs must not grow
with what is already in the store (issue 18: ``settle_bed`` re-merged every bedless stay of
the UF for each movement received). Costs are counted in SQLite VM steps, deterministic."""

from __future__ import annotations

from typing import Any

import pytest

from continuity.domain.movement import DischargeMode
from continuity.services import patients
from sync import bundles
from tests.conftest import NURSE, NURSE_PW, identity
from tests.exchange_helpers import Site
from tests.store_costs import statements, vm_steps


@pytest.fixture
def site(three_workstations: Site) -> Site:
    return three_workstations


def _steps_to_deliver(site: Site, bedless: int, prefix: str, beds: tuple[str, str]) -> int:
    """VM steps for the crisis cell (WS-C) to import one bundle of an admission and a
    transfer, once ``bedless`` patients without a bed are open in the same UF there."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        for n in range(bedless):
            patients.admit(
                a,
                "CARDIO",
                identity=identity(birth_name=f"SANSLIT{prefix}" + chr(65 + n // 26) + chr(65 + n % 26)),
                not_a_duplicate="test",
            )
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        stay = patients.admit(
            a, "CARDIO", identity=identity(birth_name="MESURE"), bed_code=beds[0], not_a_duplicate="test"
        ).stay
        assert stay is not None
        patients.transfer(a, stay.id, "CARDIO", beds[1])
    with site.login("WS-C", NURSE.username, NURSE_PW) as c:
        steps = _vm_steps(c, site.export("WS-A"))
        assert c.store.stays.get_stay(stay.id).bed_code == beds[1]  # type: ignore[union-attr]
    return steps


def _vm_steps(session: Any, path: Any) -> int:
    """SQLite VM steps (in hundreds) to import the bundle at ``path``."""
    with vm_steps(session.store) as steps:
        assert bundles.import_file(session, path, grace=0).outcome is bundles.BundleOutcome.IMPORTED
    return steps.value


def test_an_import_costs_the_same_with_few_or_many_bedless_stays(site: Site) -> None:
    few = _steps_to_deliver(site, 2, "X", ("1A", "1B"))
    many = _steps_to_deliver(site, 60, "Y", ("2A", "2B"))
    assert many < 1.3 * few, (few, many)


def test_a_store_migrated_with_a_patient_who_lost_a_bed_gives_it_when_free(site: Site) -> None:
    """A v14 store (no ``bed_claims``) holding a stay that lost its bed in a merge: once
    migrated, that stay still gets the bed when the holder leaves it."""
    from continuity.schema import LATEST_VERSION
    from continuity.store import Store
    from tests.conftest import CRISIS, CRISIS_PW

    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        first = patients.admit(a, "CARDIO", identity=identity(birth_name="PREMIER"), bed_code="1A")
    from_a = site.export("WS-A")
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        second = patients.admit(b, "CARDIO", identity=identity(birth_name="SECOND"), bed_code="1A")
    site.deliver("WS-C", from_a)
    site.deliver("WS-C", site.export("WS-B"))
    assert first.stay is not None and second.stay is not None
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        assert c.store.stays.get_stay(second.stay.id).bed_code is None  # type: ignore[union-attr]
        conn: Any = c.store._conn  # back to the v14 schema, as a store of kit 0.3 has it
        for trigger in ("stays_left_without_bed", "stays_with_bed_or_closed", "stays_admitted_without_bed"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE bed_claims")
        conn.execute("DROP INDEX changes_waits_for")
        conn.execute("ALTER TABLE changes DROP COLUMN waits_for")
        for index in ("status_changes_change", "crisis_log_change", "crisis_log_at"):
            conn.execute(f"DROP INDEX {index}")
        for table in ("status_changes", "crisis_log"):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN change_id")
            conn.execute(f"ALTER TABLE {table} DROP COLUMN origin")
        conn.execute("DROP TABLE instruction_acks")
        conn.execute("DROP TABLE instructions")
        for trigger in ("added", "changed", "removed"):  # v16
            conn.execute(f"DROP TRIGGER movements_{trigger}_unclaim")
        conn.execute("DROP TRIGGER workstations_changed_unclaim")
        conn.execute("DROP TABLE stay_claims")
        conn.execute("PRAGMA user_version = 14")
        path, key = c.workspace.db_path, bytearray(c.db_key)
    store = Store.open_encrypted(path, key, site.clock)
    assert store.migrate() == LATEST_VERSION
    store.close()
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.discharge(a, first.stay.id, DischargeMode.HOME)
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        assert c.store.stays.get_stay(second.stay.id).bed_code == "1A"  # type: ignore[union-attr]


def _statements(session: Any, path: Any) -> int:
    """SQL statements run to import the bundle at ``path``: each retry of a waiting change
    costs a few, cheap in VM steps but not in time (a savepoint, lookups, Python between)."""
    with statements(session.store) as count:
        assert bundles.import_file(session, path, grace=0).outcome is bundles.BundleOutcome.IMPORTED
    return count.value


def _steps_beside_waiting(site: Site, waiting: int, prefix: str) -> int:
    """Statements for WS-C to import one admission from WS-B while ``waiting`` movements
    from WS-A wait there for their stays (their admissions' bundle is still on its way)."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        stays = [
            patients.admit(
                a,
                "CARDIO",
                identity=identity(birth_name=f"ATTENTE{prefix}" + chr(65 + n)),
                not_a_duplicate="t",
            ).stay
            for n in range(waiting)
        ]
    admissions = site.export("WS-A")
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        for stay in stays:
            assert stay is not None
            patients.start_leave(a, stay.id)
    site.deliver("WS-C", site.export("WS-A"))  # the leaves, before their admissions
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        patients.admit(b, "CARDIO", identity=identity(birth_name=f"AUTRE{prefix}"), not_a_duplicate="t")
    with site.login("WS-C", NURSE.username, NURSE_PW) as c:
        assert c.store.exchange.count_changes().get("waiting", 0) == waiting
        steps = _statements(c, site.export("WS-B"))
    site.deliver("WS-C", admissions)
    with site.login("WS-C", NURSE.username, NURSE_PW) as c:
        assert c.store.exchange.count_changes().get("waiting", 0) == 0  # all applied at last
    return steps


def test_an_import_costs_the_same_beside_few_or_many_waiting_changes(site: Site) -> None:
    few = _steps_beside_waiting(site, 2, "X")
    many = _steps_beside_waiting(site, 25, "Y")
    assert many < 1.3 * few, (few, many)


def test_the_statements_of_an_import_stay_prepared(site: Site) -> None:
    """Every statement an import of bundles runs fits in the connection's cache of prepared
    statements, with room: with sqlcipher3's default of 100, nearly each was prepared again
    (its triggers compiled with it), and 60 workstations' bundles took 2.4x plain SQLite."""
    import re

    from continuity.store.opening import STATEMENT_CACHE

    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        for n, bed in enumerate(("1A", "1B", None)):
            name = identity(birth_name="PREPARE" + chr(65 + n))
            stay = patients.admit(a, "CARDIO", identity=name, bed_code=bed, not_a_duplicate="t").stay
            assert stay is not None
            patients.start_leave(a, stay.id)
            patients.end_leave(a, stay.id)
            patients.transfer(a, stay.id, "CARDIO", f"2{'ABA'[n]}")
            patients.discharge(a, stay.id, DischargeMode.HOME)
    with site.login("WS-C", NURSE.username, NURSE_PW) as c, statements(c.store) as executed:
        result = bundles.import_file(c, site.export("WS-A"), grace=0)
        assert result.outcome is bundles.BundleOutcome.IMPORTED
    # the trace shows each statement with its values: back to the statement prepared
    literal = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|X'[0-9A-F]*'")
    prepared = {literal.sub("?", sql) for sql in executed.texts if not sql.startswith("--")}
    assert len(prepared) < STATEMENT_CACHE // 2, len(prepared)


def _steps_after(site: Site, before: int, prefix: str) -> int:
    """VM steps for WS-C to import one admission once ``before`` admissions (and their
    changes) were received there."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        for n in range(before):
            stay = patients.admit(
                a,
                "CARDIO",
                identity=identity(birth_name=f"AVANT{prefix}" + chr(65 + n // 26) + chr(65 + n % 26)),
                not_a_duplicate="t",
            ).stay
            assert stay is not None
            patients.discharge(a, stay.id, DischargeMode.HOME)
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity(birth_name=f"APRES{prefix}"), not_a_duplicate="t")
    bundle = site.export("WS-A")
    with site.login("WS-C", NURSE.username, NURSE_PW) as c:
        return _vm_steps(c, bundle)


def test_an_import_costs_the_same_after_few_or_many_changes_received(site: Site) -> None:
    """It counted the changes by status, a scan of all of them, at each bundle."""
    few = _steps_after(site, 2, "X")
    many = _steps_after(site, 150, "Y")
    assert many < 1.3 * few, (few, many)


def test_a_movement_received_reads_its_stays_movements_once(site: Site) -> None:
    """The stay re-merged for a movement received is not merged again to settle the beds it
    leaves and enters: at 60 workstations, 72k of the 83k claims settled were such repeats."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        stay = patients.admit(
            a, "CARDIO", identity=identity(birth_name="UNEFOIS"), bed_code="1A", not_a_duplicate="t"
        ).stay
        assert stay is not None
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.transfer(a, stay.id, "CARDIO", "2A")
    with site.login("WS-C", NURSE.username, NURSE_PW) as c:
        with statements(c.store) as executed:
            result = bundles.import_file(c, site.export("WS-A"), grace=0)
        assert result.outcome is bundles.BundleOutcome.IMPORTED
        assert c.store.stays.get_stay(stay.id).bed_code == "2A"  # type: ignore[union-attr]
    trees = [
        sql
        for sql in executed.texts
        if "recorded_by FROM movements WHERE stay_id =" in sql and stay.id in sql
    ]
    assert len(trees) == 1, len(trees)


def _bed_taken_twice(site: Site) -> tuple[Any, Any]:
    """(holder, late): WS-A puts a patient in CARDIO 1A, then WS-B, which does not know it,
    another; WS-C receives both and gives the bed to the first."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        holder = patients.admit(
            a, "CARDIO", identity=identity(birth_name="PREMIER"), bed_code="1A", not_a_duplicate="t"
        ).stay
        assert holder is not None
    site.deliver("WS-C", site.export("WS-A"))
    site.clock.advance(minutes=5)
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:  # does not know the holder
        late = patients.admit(
            b, "CARDIO", identity=identity(birth_name="SECOND"), bed_code="1A", not_a_duplicate="t"
        ).stay
        assert late is not None
    site.deliver("WS-C", site.export("WS-B"))
    return holder, late


def test_a_beds_holder_is_not_merged_again_each_time_a_claimant_of_its_bed_moves(site: Site) -> None:
    """Settling a bed reads the claim its holder made when its movements last changed
    (``stay_claims``), not the holder's whole movement tree each time: at 60 workstations in
    a shuffled order, a stay in a bed was merged again for every movement of every stay that
    its movements also placed there."""
    holder, late = _bed_taken_twice(site)
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        patients.start_leave(b, late.id)
    with site.login("WS-C", NURSE.username, NURSE_PW) as c:
        with statements(c.store) as executed:
            result = bundles.import_file(c, site.export("WS-B"), grace=0)
        assert result.outcome is bundles.BundleOutcome.IMPORTED
        assert c.store.stays.get_stay(holder.id).bed_code == "1A"  # type: ignore[union-attr]
        assert c.store.stays.get_stay(late.id).bed_code is None  # type: ignore[union-attr]
    trees = [sql for sql in executed.texts if "recorded_by FROM movements WHERE stay_id =" in sql]
    assert [holder.id in sql for sql in trees] == [False], trees


def test_a_kept_claim_goes_as_soon_as_its_stays_movements_change(site: Site) -> None:
    """The claim kept for a stay is never read after one of its movements changed, whatever
    wrote it: a movement recorded here, or a row of ``movements`` edited by hand."""
    holder, late = _bed_taken_twice(site)
    with site.login("WS-C", NURSE.username, NURSE_PW) as c:
        kept = c.store.stays.kept_claim(holder.id)
        assert kept is not None and kept[1:] == ("CARDIO", "1A")
        conn: Any = c.store._conn
        conn.execute("UPDATE movements SET reason = reason WHERE stay_id = ?", (holder.id,))
        assert c.store.stays.kept_claim(holder.id) is None
        patients.transfer(c, holder.id, "CARDIO", "2A")  # 1A is free: the stay that lost it gets it
        after = c.store.stays.kept_claim(holder.id)
        assert after is None or after[1:] == ("CARDIO", "2A")
        assert c.store.stays.get_stay(late.id).bed_code == "1A"  # type: ignore[union-attr]
        assert c.store.stays.get_stay(holder.id).bed_code == "2A"  # type: ignore[union-attr]


def test_the_claim_kept_for_a_stay_goes_with_any_column_its_merge_reads(site: Site) -> None:
    """``movements_changed_unclaim`` lists every column of ``movements`` but ``rejected``: a
    column added later that the merge reads must be listed too, or a kept claim would outlive
    the movement it came from."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        conn: Any = a.store._conn
        columns = {r[1] for r in conn.execute("PRAGMA table_info(movements)")}
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'movements_changed_unclaim'"
        ).fetchone()
    listed = sql.split("UPDATE OF", 1)[1].split(" ON movements", 1)[0]
    assert {c.strip() for c in listed.split(",")} == columns - {"rejected"}
