"""The kit's journal: a health-file failure lands in ``journal.log``, owner-only, naming no patient."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator

import pytest

from continuity import journal, maintenance
from continuity.health import write_health_file
from continuity.services import patients
from continuity.session import Session, Workspace
from tests.conftest import identity


@pytest.fixture
def started(workspace: Workspace) -> Iterator[None]:
    journal.start(workspace.folder)
    yield
    journal.stop()


def test_a_health_file_failure_is_written_to_the_journal(
    workspace: Workspace, nurse: Session, started: None
) -> None:
    patients.admit(nurse, "CARDIO", identity=identity("JOURNALTEST", "Aimée"), bed_code="1A")
    target = workspace.folder / maintenance.HEALTH_FILE
    target.mkdir()  # the file cannot replace a folder, whoever runs the tests (root too)
    assert write_health_file(nurse) is False
    for handler in logging.getLogger("continuity").handlers:
        handler.flush()
    path = workspace.folder / journal.JOURNAL_FILE
    text = path.read_text(encoding="utf-8")
    assert "IsADirectoryError (errno 21)" in text and "WARNING continuity.health" in text
    assert "JOURNALTEST" not in text and "Aimée" not in text and str(workspace.folder) not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_journal_is_started_once_per_folder(workspace: Workspace, started: None) -> None:
    assert journal.start(workspace.folder) == workspace.folder / journal.JOURNAL_FILE
    files = [h for h in logging.getLogger("continuity").handlers if isinstance(h, logging.FileHandler)]
    assert len(files) == 1


def test_no_journal_where_the_folder_cannot_take_one(workspace: Workspace) -> None:
    assert journal.start(workspace.folder / "absent") is None


def test_the_health_file_is_owner_only(workspace: Workspace, nurse: Session) -> None:
    assert write_health_file(nurse) is True
    mode = stat.S_IMODE((workspace.folder / maintenance.HEALTH_FILE).stat().st_mode)
    assert mode == 0o600
