"""`continuity movements` lists a stay's movements numbered; `continuity correct-movement` corrects one."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from tests.test_cli import Cli


@pytest.fixture
def cli(
    provisioned: tuple[object, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    return Cli(provisioned[0].folder, capsys, monkeypatch)  # type: ignore[attr-defined]


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def test_correct_a_movement_from_the_command_line(cli: Cli) -> None:
    now = datetime.now().astimezone().replace(second=0, microsecond=0)
    code, out, _ = cli.nurse(
        "admit", "--uf", "CARDIO", "--bed", "1A", "--birth-name", "Lefèvre", "--first-names", "Jeanne",
        "--birth-date", "12/03/1950", "--sex", "F", "--at", _local(now - timedelta(hours=5)), "--json",
    )  # fmt: skip
    assert code == 0
    ipp = json.loads(out)["patient"]["provisional_ipp"]
    assert (
        cli.nurse("transfer", ipp, "--uf", "CARDIO", "--bed", "2A", "--at", _local(now - timedelta(hours=3)))[
            0
        ]
        == 0
    )
    code, out, _ = cli.nurse("movements", ipp)
    assert code == 0
    lines = out.splitlines()
    assert lines[-2].startswith("1 ") and "admission" in lines[-2] and "CARDIO/1A" in lines[-2]
    assert (
        lines[-1].startswith("2 ")
        and "mutation" in lines[-1]
        and _local(now - timedelta(hours=3)) in lines[-1]
    )
    code, _, err = cli.nurse("correct-movement", ipp, "2", "--bed", "2B")
    assert code == 2 and "motif" in err.lower()
    code, out, _ = cli.nurse(
        "correct-movement",
        ipp,
        "2",
        "--at",
        _local(now - timedelta(hours=4)),
        "--bed",
        "2B",
        "--reason",
        "mauvais lit",
    )
    assert code == 0 and "present CARDIO/2B" in out
    code, out, _ = cli.nurse("movements", ipp, "--json")
    shown = json.loads(out)
    assert [(m["kind"], m["bed_code"]) for m in shown] == [("admission", "1A"), ("transfer", "2B")]
    assert datetime.fromisoformat(shown[1]["at"]) == now - timedelta(hours=4)
    code, _, err = cli.nurse("correct-movement", ipp, "3", "--bed", "1B", "--reason", "r")
    assert code == 5 and "3" in err  # no such movement
    code, out, _ = cli.nurse("correct-movement", ipp, "2", "--undo", "--reason", "erreur")
    assert code == 0 and "present CARDIO/2A" in out
