"""An admission being typed survives kill -9: its draft is in the encrypted store, nowhere in clear.

``tests/draft_crash_child.py`` is the real application (offscreen) in a child process:
it unlocks as a ward nurse, opens the admission form, types a name, reports once the
form's draft is saved, and is SIGKILLed. A new session of the same nurse then finds
the draft; another user finds nothing; and no file of the data folder, of the child's
TMPDIR, runtime folder or home holds the typed name in clear (raw bytes searched, in
UTF-8 and UTF-16, as typed and in capitals); nor does anything the child printed.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from continuity.domain.drafts import DraftKind
from continuity.services import drafts
from continuity.session import Workspace
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW, PNEUMO_NURSE, PNEUMO_PW

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).with_name("draft_crash_child.py")
BIRTH_NAME, FIRST_NAMES = "Quirinalle", "Zéphyrine"
TIMEOUT = 60.0


def _needles(word: str) -> list[bytes]:
    forms = {word, word.upper(), word.lower()}
    return [f.encode(enc) for f in forms for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def _files_holding(folders: list[Path], word: str) -> list[str]:
    needles = _needles(word)
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                if any(n in data for n in needles):
                    found.append(str(path))
    return found


def test_a_draft_survives_kill_9_and_only_its_owner_gets_it(workspace: Workspace, tmp_path: Path) -> None:
    tmpdir, runtime, home = tmp_path / "tmp", tmp_path / "run", tmp_path / "home"
    for folder in (tmpdir, runtime, home):
        folder.mkdir(mode=0o700)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmpdir),
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "DRAFT_CHILD_PASSWORD": NURSE_PW,
        "DRAFT_CHILD_TEXT": f"{BIRTH_NAME}|{FIRST_NAMES}",
    }
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(workspace.folder), NURSE.username],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines: queue.Queue[bytes] = queue.Queue()
    printed: list[bytes] = []

    def drain() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            printed.append(line)
            lines.put(line)
        lines.put(b"")

    threading.Thread(target=drain, daemon=True).start()
    try:
        saved = False
        while not saved:
            line = lines.get(timeout=TIMEOUT)
            assert line, "the application stopped before its draft was saved"
            saved = json.loads(line) == {"op": "saved"}
        proc.send_signal(signal.SIGKILL)  # mid-typing: the form was never saved nor closed
        proc.wait(timeout=TIMEOUT)
        assert proc.stderr is not None
        stderr = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL, stderr.decode(errors="replace")

    # Nothing typed in clear: not on disk (data folder, temporary and runtime folders, home),
    # not in what the application printed.
    folders = [workspace.folder, tmpdir, runtime, home]
    for word in (BIRTH_NAME, FIRST_NAMES):
        assert _files_holding(folders, word) == []
        assert not any(n in b"".join(printed) + stderr for n in _needles(word))
    control = tmp_path / "control"  # the search does find a name written in clear
    control.mkdir()
    (control / "clear.txt").write_text(f"x {FIRST_NAMES.upper()} y", encoding="utf-16-le")
    assert _files_holding([control], FIRST_NAMES) == [str(control / "clear.txt")]

    # The same nurse, in a new session, gets the draft back; no one else does.
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        [draft] = drafts.drafts_of_user(nurse)
        assert draft.owner == NURSE.username and draft.kind is DraftKind.ADMISSION
        assert draft.fields["birth_name"] == BIRTH_NAME
        assert draft.fields["first_names"] == FIRST_NAMES
        assert nurse.store.patients.count_patients() == 0  # a draft, not an admission
    for user, password in ((PNEUMO_NURSE.username, PNEUMO_PW), (CRISIS.username, CRISIS_PW)):
        with workspace.unlock(user, password) as other:
            assert drafts.drafts_of_user(other) == []
