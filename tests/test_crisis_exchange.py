"""The crisis cell's statuses, main courante and instructions travel between workstations
(issue 18): three real encrypted stores and real bundle files, delivered in any order."""

from __future__ import annotations

import pytest

from continuity.domain.crisis import DegradedStatus, LogCategory
from continuity.domain.exchange import ConflictKind
from continuity.errors import PermissionDenied
from continuity.services import crisis, exchange, instructions
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW, PNEUMO_NURSE, PNEUMO_PW
from tests.exchange_helpers import WORKSTATIONS, Site


@pytest.fixture
def site(three_workstations: Site) -> Site:
    return three_workstations


def _labo(site: Site, ws: str) -> tuple[DegradedStatus, str | None]:
    with site.login(ws, CRISIS.username, CRISIS_PW) as s:
        view = next(v for v in crisis.service_statuses(s) if v.code == "LABO")
    return view.status, view.workstation


def test_a_status_set_by_the_crisis_cell_reaches_every_ward(site: Site) -> None:
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        crisis.set_status(c, "LABO", DegradedStatus.RESTORED, "automate reparti")
    bundle = site.export("WS-C")
    for ws in ("WS-A", "WS-B"):
        site.deliver(ws, bundle)
        site.deliver(ws, bundle)  # twice: nothing more
        assert _labo(site, ws) == (DegradedStatus.RESTORED, "WS-C")
        with site.login(ws, NURSE.username, NURSE_PW) as n:
            [entry] = [e for e in crisis.log_entries(n) if e.service_code == "LABO"]
            assert (entry.author, entry.workstation) == (CRISIS.username, "WS-C")


def test_statuses_set_on_two_workstations_converge_on_the_one_recorded_last(site: Site) -> None:
    with site.login("WS-A", CRISIS.username, CRISIS_PW) as a:  # the crisis cell, on a ward's workstation
        crisis.set_status(a, "LABO", DegradedStatus.DEGRADED, "panne")
    from_a = site.export("WS-A")
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:  # later (the test clock moves on)
        crisis.set_status(c, "LABO", DegradedStatus.RECOVERY, "reprise")
    from_c = site.export("WS-C")
    site.deliver("WS-B", from_c)  # the later one first
    site.deliver("WS-B", from_a)
    site.deliver("WS-A", from_c)
    site.deliver("WS-C", from_a)
    for ws in WORKSTATIONS:
        assert _labo(site, ws) == (DegradedStatus.RECOVERY, "WS-C"), ws


def test_a_ward_writes_its_own_main_courante_which_reaches_the_crisis_cell(site: Site) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as n:
        entry = crisis.add_log_entry(
            n, "Plus de bracelets, passage aux étiquettes", LogCategory.ALERT, "cardio"
        )
        assert entry.workstation == "WS-A"
        with pytest.raises(PermissionDenied):
            crisis.add_log_entry(n, "Pour une autre unité", LogCategory.INFO, "PNEUMO")
        with pytest.raises(PermissionDenied):
            crisis.add_log_entry(n, "Pour personne", LogCategory.INFO)
    site.deliver("WS-C", site.export("WS-A"))
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        [got] = [e for e in crisis.log_entries(c) if e.service_code == "CARDIO"]
    assert (got.text, got.author, got.workstation, got.at) == (entry.text, NURSE.username, "WS-A", entry.at)


def test_an_instruction_is_shown_where_addressed_and_its_acknowledgement_returns(site: Site) -> None:
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        sent = instructions.send_instruction(c, "Bascule en procédure papier", ["CARDIO"])
        everyone = instructions.send_instruction(c, "Urgences en délestage SAMU")
    bundle = site.export("WS-C")
    site.deliver("WS-A", bundle)
    site.deliver("WS-B", bundle)
    with site.login("WS-B", PNEUMO_NURSE.username, PNEUMO_PW) as p:  # PNEUMO: only the one to all
        assert [i.id for i in instructions.unacknowledged(p)] == [everyone.id]
    with site.login("WS-A", NURSE.username, NURSE_PW) as n:
        assert [i.id for i in instructions.unacknowledged(n)] == [sent.id, everyone.id]  # oldest first
        instructions.acknowledge(n, sent.id)
        assert [i.id for i in instructions.unacknowledged(n)] == [everyone.id]
    from_a = site.export("WS-A")
    site.deliver("WS-B", from_a)  # WS-B learns that WS-A read it
    site.deliver("WS-C", from_a)
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        board = {i.id: i for i in instructions.instructions(c)}
    [ack] = board[sent.id].acknowledgements
    assert (ack.workstation, ack.username) == ("WS-A", NURSE.username)
    assert board[everyone.id].acknowledgements == ()  # nobody yet: the crisis cell sees it


def test_an_acknowledgement_arriving_before_its_instruction_waits_for_it(site: Site) -> None:
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        sent = instructions.send_instruction(c, "Appeler le standard avant tout transfert", ["CARDIO"])
    from_c = site.export("WS-C")
    site.deliver("WS-A", from_c)
    with site.login("WS-A", NURSE.username, NURSE_PW) as n:
        instructions.acknowledge(n, sent.id)
    report = site.deliver("WS-B", site.export("WS-A")).report
    assert report is not None and report.waiting == 1
    report = site.deliver("WS-B", from_c).report
    assert report is not None and report.waiting == 0
    with site.login("WS-B", CRISIS.username, CRISIS_PW) as b:
        [got] = instructions.instructions(b)
    assert [a.workstation for a in got.acknowledgements] == ["WS-A"]


def test_a_status_set_by_a_ward_is_refused_at_import_and_shown_as_a_conflict(site: Site) -> None:
    """A ward workstation cannot set a status (its kit refuses); a bundle saying it did (a
    modified kit, a forged store) is refused by every other workstation, never applied."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as n:
        with pytest.raises(PermissionDenied):
            crisis.set_status(n, "LABO", DegradedStatus.RESTORED)
        store = n.store
        with store.transaction():  # what a modified kit would write
            seq = store.crisis.add_status_change("LABO", DegradedStatus.RESTORED, NURSE.username, None)
            store.audit.append_audit(
                NURSE.username, "service.status", "service", "LABO", seq, {"from": "normal", "to": "restored"}
            )
    site.deliver("WS-C", site.export("WS-A"))
    assert _labo(site, "WS-C") == (DegradedStatus.NORMAL, None)
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        [conflict] = exchange.open_conflicts(c)
    assert (conflict.kind, conflict.entity, conflict.entity_id) == (ConflictKind.UNAPPLIED, "service", "LABO")
    assert "rôle" in conflict.detail["reason_fr"] and "role" in conflict.detail["reason_en"]


def test_the_cli_sends_lists_and_acknowledges_instructions(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.root import main

    def run(ws: str, user: str, password: str, *argv: str) -> str:
        import os

        os.environ["CONTINUITY_USER"], os.environ["CONTINUITY_PASSWORD"] = user, password
        try:
            assert main(["--data", str(site.spaces[ws].folder), *argv]) == 0
        finally:
            del os.environ["CONTINUITY_USER"], os.environ["CONTINUITY_PASSWORD"]
        return capsys.readouterr().out

    assert "toutes les UF" in run("WS-C", CRISIS.username, CRISIS_PW, "instruction", "send", "Plan", "blanc")
    site.deliver("WS-A", site.export("WS-C"))
    listed = run("WS-A", NURSE.username, NURSE_PW, "instruction", "list", "--pending")
    assert "Plan blanc" in listed
    prefix = listed.split()[2]
    run("WS-A", NURSE.username, NURSE_PW, "instruction", "ack", prefix)
    assert "Plan blanc" not in run("WS-A", NURSE.username, NURSE_PW, "instruction", "list", "--pending")
