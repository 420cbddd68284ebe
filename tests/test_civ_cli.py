"""``continuity civ queue | merge | unmerge | merges | delay`` and the CIV role in ``user add``."""

from __future__ import annotations

import json

import pytest

from cli import main
from continuity.domain.movement import DischargeMode
from continuity.services import patients
from continuity.session import Workspace
from tests.conftest import ADMIN, ADMIN_PW, CIV, CIV_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity


def _as(monkeypatch: pytest.MonkeyPatch, user: str, password: str) -> None:
    monkeypatch.setenv("CONTINUITY_USER", user)
    monkeypatch.setenv("CONTINUITY_PASSWORD", password)


def _twins(workspace: Workspace) -> tuple[str, str]:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity("DUPOND", "Jeanne"), bed_code="1A")
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        b = patients.admit(nurse, "CARDIO", identity=identity("DUPONT", "Jeanne"), not_a_duplicate="vu")
        return a.patient.provisional_ipp, b.patient.provisional_ipp


def test_an_identity_vigilance_user_is_added_and_listed(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _as(monkeypatch, ADMIN.username, ADMIN_PW)
    monkeypatch.setenv("CONTINUITY_NEW_PASSWORD", "vigilance-identite-2")
    data = ["--data", str(workspace.folder)]
    assert main([*data, "user", "add", "civ2", "--role", "identity_vigilance", "--name", "CIV 2"]) == 0
    capsys.readouterr()
    assert main([*data, "user", "list"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if x.startswith("civ2 ")]
    assert "identity_vigilance" in line and line.split()[1] == "identity_vigilance"
    with workspace.unlock("civ2", "vigilance-identite-2") as s:
        assert s.user.role.value == "identity_vigilance"


def test_queue_merge_and_unmerge_from_the_command_line(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kept, merged = _twins(workspace)
    data = ["--data", str(workspace.folder)]
    _as(monkeypatch, CIV.username, CIV_PW)
    assert main([*data, "civ", "queue"]) == 0
    out = capsys.readouterr().out
    assert "doublon possible" in out and kept in out and merged in out
    assert main([*data, "civ", "queue", "--json"]) == 0
    [item] = [i for i in json.loads(capsys.readouterr().out)["items"] if i["kind"] == "duplicate"]
    assert sorted(item["numbers"]) == sorted([kept, merged])
    assert main([*data, "civ", "merge", kept, merged]) == 2  # the reason is required
    assert "motif" in capsys.readouterr().err.lower()
    assert main([*data, "civ", "merge", kept, merged, "--reason", "même personne"]) == 0
    out = capsys.readouterr().out
    assert "Fusion" in out and "merge" in out.lower()
    merge_id = out.split("[")[1].split("]")[0]
    assert main([*data, "civ", "merges", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == merge_id
    assert main([*data, "civ", "queue", "--json"]) == 0
    assert [i for i in json.loads(capsys.readouterr().out)["items"] if i["kind"] == "duplicate"] == []
    assert main([*data, "civ", "unmerge", merge_id, "--reason", "deux personnes"]) == 0
    assert main([*data, "civ", "unmerge", merge_id, "--reason", "encore"]) == 6
    err = capsys.readouterr().err
    assert "déjà" in err and "already" in err
    assert main([*data, "civ", "delay", "12"]) == 0
    assert main([*data, "civ", "delay"]) == 0
    assert "12" in capsys.readouterr().out


def test_the_crisis_cell_cannot_merge_from_the_command_line(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kept, merged = _twins(workspace)
    _as(monkeypatch, CRISIS.username, CRISIS_PW)
    data = ["--data", str(workspace.folder)]
    assert main([*data, "civ", "merge", kept, merged, "--reason", "même personne"]) == 4
    err = capsys.readouterr().err
    assert "non autorisée" in err and "not allowed" in err
    assert main([*data, "civ", "queue"]) == 4
