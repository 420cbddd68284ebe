"""No library writes patient data anywhere: python-hl7 logs a whole field, with a traceback,
on a malformed escape in the HIS's ACK; the kit's composition roots silence it (issue 15)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from continuity import journal
from continuity.services import patients
from continuity.session import Workspace
from tests.conftest import ADMIN_PW, NURSE, NURSE_PW, identity
from tests.peers.hl7_his import Hl7His

PATIENT_TEXT = "ZORGLUBIEN"
SLOPPY_ACK_TEXT = "Patient ZORGLUBIEN Hippolyte inconnu \\Zq\\ dans le DPI \\X4G\\ (né le 01/02/1950)"


@pytest.fixture
def his() -> Iterator[Hl7His]:
    peer = Hl7His().start()
    yield peer
    peer.stop()


def _files_holding(folder: Path, text: bytes) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and text in p.read_bytes()]


def test_a_malformed_escape_in_the_his_reply_leaves_no_patient_text_on_stderr_or_disk(
    workspace: Workspace, his: Hl7His, tmp_path: Path
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        stay = patients.admit(nurse, "CARDIO", identity=identity(birth_name="REFUS"))
    his.state.refuse_patients.add(stay.patient.provisional_ipp)
    his.state.refusal_text = SLOPPY_ACK_TEXT
    env = {
        **os.environ,
        "CONTINUITY_HOME": str(workspace.folder),
        "CONTINUITY_USER": "admin",
        "CONTINUITY_PASSWORD": ADMIN_PW,
        "TMPDIR": str(tmp_path),
    }
    env.pop("CONTINUITY_DEBUG", None)
    for command in (
        ["sync", "--to", his.url, "--quiet", "--timeout", "2"],
        ["sync", "errors"],
        ["sync", "errors", "--json"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "cli", *command], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode in (0, 10), done.stderr
        assert PATIENT_TEXT not in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "Error decoding" not in done.stderr
    # the reply is shown to the signed-in IT administrator (output, not a log) ...
    assert "inconnu" in done.stdout
    # ... and is in no file in clear: not the journal, not the data folder, not TMPDIR
    assert _files_holding(workspace.folder, PATIENT_TEXT.encode()) == []
    assert _files_holding(tmp_path, PATIENT_TEXT.encode()) == []


def test_confine_silences_every_library_and_keeps_the_kit_s_own_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    saved = (logging.lastResort, logging.raiseExceptions, logging.getLogger().level)
    try:
        journal.confine(stderr=True)
        journal.confine(stderr=True)  # twice: still one handler
        logging.getLogger("/site-packages/hl7/util.py").exception("field [%s]", PATIENT_TEXT)
        logging.getLogger("hl7").warning("field [%s]", PATIENT_TEXT)
        logging.getLogger("asyncio").error("Task exception was never retrieved: %s", PATIENT_TEXT)
        try:
            raise ValueError(PATIENT_TEXT)
        except ValueError:
            logging.getLogger("continuity.test").exception("le poste ne peut pas écrire (errno 28)")
        err = capsys.readouterr().err
        assert PATIENT_TEXT not in err
        assert err.count("le poste ne peut pas écrire (errno 28)") == 1 and "ValueError" in err
    finally:
        journal.unconfine()
        logging.lastResort, logging.raiseExceptions = saved[0], saved[1]
        logging.getLogger().setLevel(saved[2])
