"""Every message of a full outage reads the same in three parsers the kit does not build with.

hl7apy at STRICT level (Python), @medplum/core's Hl7Message and node-hl7-client (Node, run
by tests/peers/hl7_parse.mjs), and the ER7 text itself split on its separators: for each
message, every segment, field, repetition, component and subcomponent the kit fills must be
read identically by all of them (issue 16).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from continuity.session import Workspace
from tests.conftest import ADMIN, ADMIN_PW
from tests.pam_scenario import built, record_outage
from tests.peers import hl7_fields

PEERS = Path(__file__).parent / "peers"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (PEERS / "node_modules").is_dir(),
    reason="Node peers not installed (make tests/peers/node_modules/.installed)",
)


def node_readings(messages: list[str]) -> list[dict[str, Any]]:
    done = subprocess.run(
        ["node", "--experimental-websocket", str(PEERS / "hl7_parse.mjs")],
        input=json.dumps(messages),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PEERS,
        check=True,
    )
    readings: list[dict[str, Any]] = json.loads(done.stdout)
    return readings


def split_reading(er7: str) -> list[list[Any]]:
    """The ER7 split on its separators, escapes decoded: what the text says."""

    def trim(values: list[Any], empty: Any) -> list[Any]:
        while values and values[-1] == empty:
            values.pop()
        return values

    out: list[list[Any]] = []
    for line in filter(None, er7.split("\r")):
        parts = line.split("|")
        name = parts[0]
        numbered = list(enumerate(parts[1:], start=2)) if name == "MSH" else list(enumerate(parts[1:], 1))
        fields: dict[str, Any] = {}
        for number, text in numbered:
            if name == "MSH" and number < 3:
                continue
            reps = [
                trim([trim([hl7_fields.unescape(s) for s in c.split("&")], "") for c in r.split("^")], [])
                for r in text.split("~")
            ]
            reps = trim(reps, [])
            if reps:
                fields[str(number)] = reps
        out.append([name, fields])
    return out


def test_three_parsers_read_every_field_of_every_message_alike(workspace: Workspace) -> None:
    record_outage(workspace)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        messages = built(session)
    kinds = {kind for kind, _ in messages}
    assert kinds >= {
        "admission",
        "transfer",
        "cancel_transfer",
        "leave",
        "cancel_leave",
        "return",
        "cancel_return",
        "discharge",
        "cancel_discharge",
        "identity_update",
        "cancel_admission",
        "movement_update",
    }
    texts = [er7 for _, er7 in messages]
    readings = node_readings(texts)
    assert len(readings) == len(texts)
    for (kind, er7), node in zip(messages, readings, strict=True):
        expected = split_reading(er7)
        assert hl7_fields.read(er7) == expected, kind
        assert node["medplum"] == expected, kind
        assert node["node_hl7_client"] == expected, kind
    # the canonical form really holds the parts (a reading that dropped them would agree too)
    first = dict((s[0], s[1]) for s in hl7_fields.read(texts[0]))
    assert first["PID"]["5"][0][:3] == [["D'ARC-LŒUF"], ["JEANNE"], ["JEANNE MARIE"]]
    assert first["ZBE"]["7"][0][6:] == [["UF"], [], [], ["CARDIO"]]
    assert re.fullmatch(r"\d{14}[+-]\d{4}", first["MSH"]["7"][0][0][0])
