"""Benchmark of the desktop application's real widgets, offscreen, on a 100,000-patient store.

What is measured, and how
-------------------------
Every figure is printed beside a baseline measured in the same run.

1. Cold start to a usable unlock window: wall time from spawning a fresh
   ``python`` process, which runs the application's own ``app.main.main``
   on the 100,000-patient data folder, to the moment the main window has
   been painted, the user-name (or password) field has the keyboard focus
   and the event loop runs again (a 1 ms probe timer, installed before
   ``main`` runs, prints a line; the parent times the read of that line).
   Baseline: a bare ``QApplication`` with one ``QLabel``, the same probe.
   Median of 5 (after one discarded warm-up run of each, so that both read
   a warm file cache). Target: under 1.5 s.
2. Unlock to ward view: a real workspace provisioned with
   ``provisioning.provision`` (default argon2id key slots), a ward-staff user
   of the UF ``BIG`` (1,040 beds, 1,000 present patients), and the
   ``--patients`` patients of ``bench_store`` loaded through its loader into
   that workspace's encrypted database. A fresh ``MainWindow`` per run, as
   ``app.main`` builds it; user name and password are typed as key events
   into the unlock view and Enter is pressed; the figure is the time until
   the store worker is idle (every reload the unlock triggered has been
   shown) with the patient table and the bed board populated. Also shown:
   the first paint of the patient list, and a re-unlock by the same user
   after a lock (the auto-lock path, which keeps the views). Baseline: the
   same on the demo workspace (``provision_demo``, user ``ide.med``); an
   extra line gives the same 1,040-bed site with only 40 patients, to
   separate the cost of the site's size from the cost of the data.
   Median of 5.
3. Search as you type: in the ward view of the 100,000-patient store,
   realistic name prefixes (``bench_store.search_queries``) are typed one
   key event every 80 ms; for each keystroke, the latency runs from the
   moment the key is due (if the GUI thread was busy, the key waits, as a
   real one would) to the ``modelReset`` of the table model that shows the
   results of a search that includes that keystroke (which search a reset
   shows is known from the view's search generation). Half the queries end
   by clearing the box (Ctrl+A, Backspace: the census list comes back),
   half by typing over the selection. Baseline: the same
   ``services.patients.search`` calls made directly, without the GUI.
   Target: p99 under 50 ms.
4. GUI thread blocking: during phases 2 and 3 (phase 1 runs in child
   processes), a 10 ms precise ``QTimer`` on the GUI thread records the gaps
   between its ticks; a gap minus 10 ms is time the event loop could not
   run. Max and p99 per phase, and where the worst gaps were. Target: never
   more than 100 ms.
5. Drafts: in the same ward view, eight admission forms are opened and typed
   key by key (a name, first names, a birth date, one key every 80 ms); the
   figure is the time from the last key to the form's draft being in the
   encrypted store (the form waits a second after the last key, then writes
   on the store worker), beside ``services.drafts.save_draft`` called
   directly. Their GUI-thread gaps count in figure 4.

Results also go to ``bench/results/gui-latest.json``.

Run: ``QT_QPA_PLATFORM=offscreen python -m bench.bench_gui [--patients N]``.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app import i18n, theme
from app.controller import Controller
from app.main_window import MainWindow
from app.settings import Settings
from app.ward_view import SEARCH_DELAY_MS, WardView
from bench.bench_store import (
    BIG_PRESENT,
    BIG_UF,
    PASSWORD,
    SEED,
    USERNAME,
    BenchClock,
    NameMaker,
    Side,
    build_site,
    bulk_load,
    machine,
    percentile,
    plan_stays,
    search_queries,
)
from continuity.domain.users import Role, User
from continuity.provisioning import DEMO_USERS, populate_demo, provision, provision_demo
from continuity.services import admin as admin_service
from continuity.services import patients
from continuity.session import Workspace

ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = ROOT / "bench" / "results" / "gui-latest.json"

ADMIN = "bench.admin"
ADMIN_PASSWORD = "bench-admin-password-2026"
DEMO_WARD = next(d for d in DEMO_USERS if d.user.username == "ide.med")
SMALL_PATIENTS = 40

COLD_START_S = 1.5
SEARCH_P99_MS = 50.0
BLOCK_MS = 100.0
KEY_INTERVAL_S = 0.080
TICK_MS = 10
READ_PAUSE_S = 0.3


# ----------------------------------------------------------------------------- helpers
def now() -> float:
    return time.perf_counter()


def wait_until(cond: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Run the Qt event loop until ``cond()`` holds (checked every millisecond)."""
    if cond():
        return True
    loop = QEventLoop()
    deadline = now() + timeout
    result = [False]

    def check() -> None:
        if cond():
            result[0] = True
            loop.quit()
        elif now() > deadline:
            loop.quit()

    poll = QTimer()
    poll.setTimerType(Qt.TimerType.PreciseTimer)
    poll.setInterval(1)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    return result[0]


def spin_until(moment: float) -> None:
    wait_until(lambda: now() >= moment, timeout=max(0.0, moment - now()) + 1)


def send_text(widget: QWidget, text: str) -> None:
    """Type text as key events (press and release), as the GUI tests do."""
    for ch in text:
        send_key(
            widget,
            Qt.Key(ord(ch.upper()))
            if ch.isascii() and ch.isalnum()
            else Qt.Key.Key_Space
            if ch == " "
            else Qt.Key.Key_unknown,
            ch,
        )


def send_key(
    widget: QWidget,
    key: Qt.Key,
    text: str = "",
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def ms(seconds: float) -> float:
    return seconds * 1000


def _qt_messages(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's messages on stderr, without the offscreen plugin's note on every new window."""
    if "propagateSizeHints" not in message:
        print(f"Qt: {message}", file=sys.stderr)


# ----------------------------------------------------------------------------- blocking monitor
@dataclass
class Gap:
    excess_ms: float
    phase: str
    note: str


class BlockMonitor(QObject):
    """A 10 ms precise timer on the GUI thread; each gap beyond 10 ms is blocked time."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.phase = "idle"
        self.note = ""
        self.samples: dict[str, list[float]] = {}
        self.gaps: list[Gap] = []
        self._last = 0.0

    def start(self, phase: str, note: str = "") -> None:
        self.phase, self.note = phase, note
        self._last = now()
        self.timer.start()

    def enter(self, phase: str, note: str = "") -> None:
        """Close the running gap in the current phase, then attribute what follows to ``phase``."""
        if self.timer.isActive():
            self._tick()
        self.phase, self.note = phase, note

    def mark(self, note: str) -> None:
        self.enter(self.phase, note)

    def pause(self) -> None:
        if self.timer.isActive():
            self._tick()
            self.timer.stop()

    def resume(self, phase: str, note: str = "") -> None:
        self.start(phase, note)

    def _tick(self) -> None:
        t = now()
        excess = max(0.0, ms(t - self._last) - TICK_MS)
        self._last = t
        self.samples.setdefault(self.phase, []).append(excess)
        if excess >= 20:
            self.gaps.append(Gap(excess, self.phase, self.note))

    def summary(self) -> dict[str, dict[str, float]]:
        out = {
            phase: {"ticks": len(s), "max_ms": max(s), "p99_ms": percentile(s, 99)}
            for phase, s in self.samples.items()
            if s
        }
        everything = [x for s in self.samples.values() for x in s]
        if everything:
            out["all phases"] = {
                "ticks": len(everything),
                "max_ms": max(everything),
                "p99_ms": percentile(everything, 99),
            }
        return out

    def worst(self, n: int = 8) -> list[Gap]:
        return sorted(self.gaps, key=lambda g: g.excess_ms, reverse=True)[:n]


class PaintRecorder(QObject):
    """Timestamps of the paint events of one widget (the patient table's viewport)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.times: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            self.times.append(now())
        return False

    def first_after(self, moment: float) -> float | None:
        return next((t for t in self.times if t >= moment), None)


# ----------------------------------------------------------------------------- workspaces
@dataclass
class Target:
    """A provisioned workspace and the ward-staff user measured on it."""

    label: str
    folder: Path
    username: str
    password: str
    patients: int
    ward_patients: int = 0


def _ward_user() -> User:
    return User(username=USERNAME, display_name="IDE banc d'essai", role=Role.WARD_STAFF, ufs=(BIG_UF,))


def _admin_user() -> User:
    return User(username=ADMIN, display_name="Admin banc d'essai", role=Role.IT_ADMIN)


def build_big(
    folder: Path, count: int, rng: random.Random, query_count: int
) -> tuple[Target, list[str], dict[str, float]]:
    """Provision a real workspace, add the ward user, load ``count`` patients with bench_store's
    loader into its encrypted database (opened by an admin unlock); return name queries too."""
    clock = BenchClock()
    site = build_site(2 * count + 10_000)
    workspace = Workspace(folder, clock)
    timings: dict[str, float] = {}
    provision(workspace, site, site.workstations[0].code, _admin_user(), ADMIN_PASSWORD)
    names = NameMaker(rng)
    t0 = now()
    plans = plan_stays(count, names, clock())
    timings["generate_seconds"] = now() - t0
    print(
        f"  generated {len(plans):,} patients in {timings['generate_seconds']:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    queries = search_queries(plans, rng, query_count)
    with workspace.unlock(ADMIN, ADMIN_PASSWORD) as session:
        admin_service.add_user(session, _ward_user(), PASSWORD)
        side = Side("encrypted", session.store, session, workspace.db_path)
        bulk_load([side], clock, plans)
        timings["load_seconds"] = side.load_seconds
    del plans, side
    gc.collect()
    timings["db_bytes"] = float(workspace.db_path.stat().st_size)
    return (Target(f"{count:,} patients", folder, USERNAME, PASSWORD, count), queries, timings)


def build_small_same_site(folder: Path, count: int) -> Target:
    """The same 1,040-bed site with only ``SMALL_PATIENTS`` patients, admitted by the ward user."""
    site = build_site(2 * count + 10_000)
    workspace = Workspace(folder)
    provision(workspace, site, site.workstations[0].code, _admin_user(), ADMIN_PASSWORD)
    with workspace.unlock(ADMIN, ADMIN_PASSWORD) as session:
        admin_service.add_user(session, _ward_user(), PASSWORD)
    with workspace.unlock(USERNAME, PASSWORD) as session:
        populate_demo(session, SMALL_PATIENTS)
    return Target(f"same site, {SMALL_PATIENTS} patients", folder, USERNAME, PASSWORD, SMALL_PATIENTS)


def build_demo(folder: Path) -> Target:
    workspace = Workspace(folder)
    provision_demo(workspace)
    return Target("demo workspace", folder, DEMO_WARD.user.username, DEMO_WARD.password, SMALL_PATIENTS)


# ----------------------------------------------------------------------------- phase 1
_PROBE = r"""
import sys
mode, folder = sys.argv[1], sys.argv[2]
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
painted = [False]


class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            painted[0] = True
        return False


spy = Painted()
app.installEventFilter(spy)
kind = QMainWindow if mode == "app" else QLabel


def probe():
    shown = [w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    if not shown or not painted[0]:
        return
    handle = shown[0].windowHandle()
    if handle is None or not handle.isExposed():
        return
    if mode == "app":
        focus = app.focusWidget()
        if focus is None or focus.objectName() not in ("username", "password"):
            return
    timer.stop()
    print("READY", flush=True)
    app.removeEventFilter(spy)
    if mode == "app":
        shown[0].close()
    else:
        app.quit()


timer = QTimer()
timer.setTimerType(Qt.TimerType.PreciseTimer)
timer.setInterval(1)
timer.timeout.connect(probe)
timer.start()
if mode == "app":
    from app.main import main
    sys.exit(main(["--data", folder]))
w = QLabel("x")
w.show()
sys.exit(app.exec())
"""


def cold_start_once(mode: str, folder: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    t0 = now()
    with subprocess.Popen(
        [sys.executable, "-c", _PROBE, mode, str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        elapsed: float | None = None
        for line in proc.stdout:
            if line.strip() == "READY":
                elapsed = now() - t0
                break
        _, err = proc.communicate(timeout=60)
    if elapsed is None:
        raise RuntimeError(f"{mode} child never became ready: {err[-800:]}")
    return elapsed


def measure_cold_start(folder: Path, runs: int) -> dict[str, list[float]]:
    cold_start_once("app", folder)
    cold_start_once("bare", folder)
    out: dict[str, list[float]] = {"app": [], "bare": []}
    for i in range(runs):
        for mode in ("app", "bare") if i % 2 == 0 else ("bare", "app"):
            out[mode].append(cold_start_once(mode, folder))
    return out


# ----------------------------------------------------------------------------- the GUI
class Gui:
    """One main window and controller, built as ``app.main`` builds them."""

    def __init__(self, target: Target):
        self.target = target
        settings = Settings.load(target.folder)
        self.controller = Controller(Workspace(target.folder), settings.idle_minutes)
        self.window = MainWindow(self.controller, settings)
        self.paints = PaintRecorder()
        self.resets: list[tuple[float, int]] = []
        self._watched: WardView | None = None
        self.controller.unlocked.connect(self._watch)  # after MainWindow's: the views exist
        self.window.show()
        if not wait_until(
            lambda: self.window.windowHandle() is not None and self.window.windowHandle().isExposed(), 10
        ):
            raise RuntimeError("main window never exposed")

    def _watch(self, _user: object) -> None:
        ward = self.window.ward
        if ward is None or ward is self._watched:
            return
        self._watched = ward
        ward.table.viewport().installEventFilter(self.paints)
        ward.model.modelReset.connect(lambda: self.resets.append((now(), ward.model.rowCount())))

    @property
    def ward(self) -> WardView:
        assert self.window.ward is not None
        return self.window.ward

    def ward_ready(self) -> bool:
        error = self.window.unlock_view.error.text()
        if error and not self.controller.is_unlocked:
            raise RuntimeError(f"unlock failed: {error}")
        ward = self.window.ward
        return (
            self.controller.is_unlocked
            and ward is not None
            and not self.controller.executor.busy
            and ward.model.rowCount() > 0
            and ward.board.board_model.rowCount() > 0
        )

    def unlock(self, retype_user: bool = True) -> dict[str, float]:
        """Type the credentials, press Enter; time to the populated (then painted) ward view."""
        view = self.window.unlock_view
        if retype_user:
            view.username.setFocus()
            send_text(view.username, self.target.username)
            send_key(view.username, Qt.Key.Key_Return)
        assert QApplication.focusWidget() is view.password, QApplication.focusWidget()
        send_text(view.password, self.target.password)
        start = now()
        send_key(view.password, Qt.Key.Key_Return)
        if not wait_until(self.ward_ready, 120):
            raise RuntimeError("ward view never populated")
        populated = now()
        first_rows = next(t for t, rows in self.resets if t >= start and rows > 0)
        wait_until(lambda: self.paints.first_after(first_rows) is not None, 5)
        painted = self.paints.first_after(first_rows)
        return {
            "populated": populated - start,
            "rows_reset": first_rows - start,
            "list_painted": (painted - start) if painted else float("nan"),
        }

    def lock(self) -> None:
        self.controller.lock()
        wait_until(lambda: self.window.stack.currentIndex() == 0, 5)

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
        self.controller.deleteLater()
        spin_until(now() + 0.2)


@dataclass
class UnlockFigures:
    first: list[dict[str, float]] = field(default_factory=list)
    again: list[dict[str, float]] = field(default_factory=list)


def measure_unlock(targets: Sequence[Target], runs: int, monitor: BlockMonitor) -> dict[str, UnlockFigures]:
    out = {t.label: UnlockFigures() for t in targets}
    for i in range(runs):
        order = [*targets[i % len(targets) :], *targets[: i % len(targets)]]
        for target in order:
            monitor.enter("startup: MainWindow built and shown", f"{target.label}, run {i + 1}")
            gui = Gui(target)
            monitor.enter(f"unlock -> ward view ({target.label})", f"run {i + 1}")
            out[target.label].first.append(gui.unlock())
            spin_until(now() + 0.3)
            monitor.enter(f"lock + re-unlock ({target.label})", f"run {i + 1}")
            gui.lock()
            spin_until(now() + 0.2)
            out[target.label].again.append(gui.unlock(retype_user=False))
            target.ward_patients = gui.ward.model.rowCount()
            spin_until(now() + 0.3)
            monitor.enter("closing windows", f"{target.label}, run {i + 1}")
            gui.close()
            print(
                f"  unlock run {i + 1} {target.label}: {out[target.label].first[-1]['populated']:.3f} s",
                file=sys.stderr,
                flush=True,
            )
    return out


# ----------------------------------------------------------------------------- phase 3
@dataclass
class Keystroke:
    query: str
    text: str  # stripped text of the box after this key
    due: float  # when the key was due (the user pressed it)
    sent: float
    shown: float | None = None
    painted: float | None = None

    @property
    def shown_ms(self) -> float | None:
        return ms(self.shown - self.due) if self.shown is not None else None

    @property
    def painted_ms(self) -> float | None:
        return ms(self.painted - self.due) if self.painted is not None else None


@dataclass
class SearchRun:
    keys: list[Keystroke] = field(default_factory=list)
    clears: list[float] = field(default_factory=list)
    direct_ms: list[float] = field(default_factory=list)
    direct_texts: list[str] = field(default_factory=list)


def measure_typing(gui: Gui, queries: Sequence[str], keystrokes: int, monitor: BlockMonitor) -> SearchRun:
    ward = gui.ward
    run = SearchRun()
    searched: dict[int, str] = {}
    # (time, text whose results the table shows) for every reset of the table model
    shown: list[tuple[float, str]] = []

    def after_debounce() -> None:  # connected after the view's own run_search
        searched[ward._generation] = ward.search.text().strip()

    def on_reset() -> None:
        text = ward.search.text().strip()
        shown.append((now(), searched.get(ward._generation, "?") if text else ""))

    def results_for(text: str) -> Callable[[], bool]:
        return lambda: bool(shown) and shown[-1][1] == text

    def census_back(since: float) -> Callable[[], bool]:
        return lambda: any(t >= since and s == "" for t, s in shown) and ward.model.rowCount() == census_rows

    ward._debounce.timeout.connect(after_debounce)
    ward.model.modelReset.connect(on_reset)
    ward.focus_search()
    census_rows = ward.model.rowCount()
    typed = 0
    for n, query in enumerate(queries):
        if typed >= keystrokes:
            break
        monitor.enter("search: typing", repr(query))
        start = now()
        for k, ch in enumerate(query):
            due = start + k * KEY_INTERVAL_S
            spin_until(due)
            sent = now()
            send_text(ward.search, ch)
            run.keys.append(Keystroke(query, query[: k + 1].strip(), due, sent))
            typed += 1
        wait_until(results_for(query.strip()), 10)
        spin_until(now() + READ_PAUSE_S)
        ward.search.setFocus()
        send_key(ward.search, Qt.Key.Key_A, "", Qt.KeyboardModifier.ControlModifier)
        if n % 2 == 0:
            monitor.enter("search: clearing the box (census list back)", repr(query))
            t0 = now()
            send_key(ward.search, Qt.Key.Key_Backspace)
            if not wait_until(census_back(t0), 20):
                raise RuntimeError("census list never came back")
            run.clears.append(next(t for t, s in shown if t >= t0 and s == "") - t0)
            wait_until(lambda: not gui.controller.executor.busy, 10)
            spin_until(now() + READ_PAUSE_S)
    ward._debounce.timeout.disconnect(after_debounce)
    ward.model.modelReset.disconnect(on_reset)
    for key in run.keys:
        for t, text in shown:
            if (
                t >= key.due
                and text.startswith(key.text)
                and len(text) >= len(key.text)
                and text
                and key.query.strip().startswith(text)
            ):
                key.shown = t
                key.painted = gui.paints.first_after(t)
                break
    return run


DRAFT_FORMS = 8
DRAFT_FIELDS = (
    ("birth_name", "Lefebvre-Martin"),
    ("first_names", "Jeanne, Marie"),
    ("birth_date", "12/03/1950"),
)


def measure_drafts(gui: Gui, monitor: BlockMonitor) -> list[float]:
    """Admission forms typed key by key in the 100,000-patient ward: their drafts are kept.

    Per form, the time from the last key to its draft being in the store (the keeper
    waits a second after the last key, then writes on the store worker). The GUI
    thread's gaps while typing count in the blocking figures (phase 4).
    """
    latencies = []
    for n in range(DRAFT_FORMS):
        monitor.enter("admission form: typing, drafts kept", f"form {n + 1}")
        latencies.append(_type_one_form(gui))
    return latencies


def _type_one_form(gui: Gui) -> float:
    from app.admission_dialog import AdmissionDialog

    gui.ward.admit()
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionDialog) and w.isVisible()
    )
    saved: list[float] = []
    dialog.keeper.saved.connect(lambda: saved.append(now()))
    wait_until(lambda: dialog.bed.count() > 0, 10)
    for field_name, text in DRAFT_FIELDS:
        widget = getattr(dialog, field_name)
        widget.setFocus()
        start = now()
        for k, ch in enumerate(text):
            spin_until(start + k * KEY_INTERVAL_S)
            send_text(widget, ch)
        spin_until(now() + 0.3)  # a glance at the form before the next field
    last_key = now()
    if not wait_until(lambda: bool(saved) and saved[-1] >= last_key, 10):
        raise RuntimeError("draft never saved")
    dialog.keeper.discard()
    dialog.done(0)
    wait_until(lambda: not gui.controller.executor.busy, 10)
    return saved[-1] - last_key


def measure_direct_drafts(target: Target, forms: int) -> list[float]:
    """The same draft written by the service directly (no GUI, no debounce)."""
    from continuity.domain.drafts import DraftKind
    from continuity.services import drafts

    values = {name: text for name, text in DRAFT_FIELDS}
    samples = []
    with Workspace(target.folder).unlock(target.username, target.password) as session:
        for _ in range(forms):
            draft_id = uuid.uuid4().hex
            t0 = now()
            drafts.save_draft(session, draft_id, DraftKind.ADMISSION, values)
            samples.append(now() - t0)
            drafts.discard_draft(session, draft_id)
    return samples


def measure_direct_search(target: Target, texts: Sequence[str]) -> list[float]:
    """The same searches, called directly on a session of the same workspace (no GUI)."""
    with Workspace(target.folder).unlock(target.username, target.password) as session:
        for text in texts[:50]:
            patients.search(session, text)
        samples = []
        for text in texts:
            t0 = now()
            patients.search(session, text)
            samples.append(ms(now() - t0))
    return samples


# ----------------------------------------------------------------------------- report
def source_hashes() -> dict[str, str]:
    files = sorted([*ROOT.glob("app/*.py"), *ROOT.glob("continuity/**/*.py")])
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in files}


@dataclass
class Row:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_label: str = ""
    limit: float | None = None

    @property
    def verdict(self) -> str:
        if self.limit is None:
            return "-"
        return "PASS" if self.value < self.limit else "FAIL"

    def as_json(self) -> dict[str, Any]:
        return {
            "figure": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "baseline_is": self.baseline_label,
            "target_below": self.limit,
            "result": self.verdict,
        }


def _fmt(value: float | None, unit: str) -> str:
    if value is None or value != value:
        return "-"
    return f"{value:.3f} {unit}" if unit == "s" else f"{value:.1f} {unit}"


def print_rows(rows: Sequence[Row]) -> None:
    head = f"{'figure':<56} {'value':>10} {'baseline':>10}  {'target':<9} result  baseline is"
    print(head)
    print("-" * len(head))
    for r in rows:
        target = f"< {r.limit:g} {r.unit}" if r.limit is not None else ""
        print(
            f"{r.name:<56} {_fmt(r.value, r.unit):>10} {_fmt(r.baseline, r.unit):>10}  "
            f"{target:<9} {r.verdict:<6}  {r.baseline_label}"
        )


def _stats(samples: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50": percentile(samples, 50),
        "p99": percentile(samples, 99),
        "max": max(samples),
        "mean": statistics.fmean(samples),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = now()
    hashes = source_hashes()
    rng = random.Random(SEED)  # synthetic data with a fixed seed, not security
    monitor: BlockMonitor | None = None
    with tempfile.TemporaryDirectory(prefix="continuity-bench-gui-") as tmp:
        print("  building the workspaces...", file=sys.stderr, flush=True)
        big, queries, load = build_big(Path(tmp) / "big", args.patients, rng, 400)
        demo = build_demo(Path(tmp) / "demo")
        small = build_small_same_site(Path(tmp) / "small", args.patients)
        gc.collect()
        gc.freeze()  # what the loader left is long-lived; the app itself starts clean

        print("  phase 1: cold starts...", file=sys.stderr, flush=True)
        cold = measure_cold_start(big.folder, args.runs)

        qInstallMessageHandler(_qt_messages)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        app.setApplicationName("Continuity kit")
        i18n.install(app, "fr")
        theme.apply(app, Settings())
        monitor = BlockMonitor()
        monitor.start("startup: MainWindow built and shown")

        print("  phase 2: unlock to ward view...", file=sys.stderr, flush=True)
        unlock = measure_unlock([big, demo, small], args.runs, monitor)

        print("  phase 3: search as you type...", file=sys.stderr, flush=True)
        monitor.enter("startup: MainWindow built and shown", "search window")
        gui = Gui(big)
        monitor.enter(f"unlock -> ward view ({big.label})", "search window")
        gui.unlock()
        spin_until(now() + 0.5)
        typing = measure_typing(gui, queries, args.keystrokes, monitor)
        print("  phase 5: admission forms typed, drafts kept...", file=sys.stderr, flush=True)
        draft_s = measure_drafts(gui, monitor)
        monitor.enter("closing windows", "search window")
        gui.close()
        monitor.pause()
        direct_draft_s = measure_direct_drafts(big, DRAFT_FORMS)
        typing.direct_texts = [k.text for k in typing.keys if k.text]
        typing.direct_ms = measure_direct_search(big, typing.direct_texts)

    keys_ms = [k.shown_ms for k in typing.keys if k.shown_ms is not None]
    painted_ms = [k.painted_ms for k in typing.keys if k.painted_ms is not None]
    unresolved = sum(1 for k in typing.keys if k.shown is None)
    late_sends = [ms(k.sent - k.due) for k in typing.keys]
    blocking = monitor.summary()
    worst = monitor.worst()
    slowest = sorted(typing.keys, key=lambda k: k.shown_ms or 0.0, reverse=True)[:8]

    def med(label: str, key: str, again: bool = False) -> float:
        figures = unlock[label].again if again else unlock[label].first
        return median([f[key] for f in figures])

    rows = [
        Row(
            f"1 cold start -> usable unlock window (median {args.runs})",
            median(cold["app"]),
            "s",
            median(cold["bare"]),
            "bare QApplication + QLabel",
            COLD_START_S,
        ),
        Row(
            f"2 unlock -> ward view populated, {big.label}",
            med(big.label, "populated"),
            "s",
            med(demo.label, "populated"),
            f"demo workspace ({demo.ward_patients} patients in view)",
        ),
        Row(
            "    of which: first census rows in the table",
            med(big.label, "rows_reset"),
            "s",
            med(demo.label, "rows_reset"),
            "demo workspace",
        ),
        Row(
            "    first paint of the patient list",
            med(big.label, "list_painted"),
            "s",
            med(demo.label, "list_painted"),
            "demo workspace",
        ),
        Row(
            "    re-unlock by the same user after a lock",
            med(big.label, "populated", True),
            "s",
            med(demo.label, "populated", True),
            "demo workspace",
        ),
        Row(
            f"    extra: same 1,040-bed site, {SMALL_PATIENTS} patients",
            med(small.label, "populated"),
            "s",
            med(demo.label, "populated"),
            "demo workspace",
        ),
        Row(
            f"3 search as you type, key -> results p50 ({len(keys_ms)} keys)",
            percentile(keys_ms, 50),
            "ms",
            percentile(typing.direct_ms, 50),
            "direct patients.search p50",
            None,
        ),
        Row(
            "  search as you type, key -> results p99",
            percentile(keys_ms, 99),
            "ms",
            percentile(typing.direct_ms, 99),
            "direct patients.search p99",
            SEARCH_P99_MS,
        ),
        Row(
            "    key -> results painted p99",
            percentile(painted_ms, 99),
            "ms",
            percentile(typing.direct_ms, 99),
            "direct patients.search p99",
        ),
        Row(
            f"    clear the box -> census list back (median of {len(typing.clears)})",
            ms(median(typing.clears)),
            "ms",
        ),
        Row("    clear the box -> census list back (max)", ms(max(typing.clears)), "ms"),
        Row(
            f"5 admission form typed: last key -> draft stored (median {len(draft_s)})",
            ms(median(draft_s)),
            "ms",
            ms(median(direct_draft_s)),
            "direct drafts.save_draft (no 1 s pause)",
        ),
        Row(
            "4 GUI thread blocked, max (all phases)",
            blocking["all phases"]["max_ms"],
            "ms",
            None,
            worst[0].phase if worst else "",
            BLOCK_MS,
        ),
        Row(
            "  GUI thread blocked, p99 of 10 ms ticks",
            blocking["all phases"]["p99_ms"],
            "ms",
            None,
            "",
            BLOCK_MS,
        ),
    ]
    for phase, s in blocking.items():
        if phase != "all phases":
            rows.append(
                Row(
                    f"    max in: {phase}"[:56],
                    s["max_ms"],
                    "ms",
                    None,
                    f"p99 {s['p99_ms']:.1f} ms over {int(s['ticks'])} ticks",
                )
            )
    m = machine()
    m.update({"qt": qVersion(), "pyside6": PySide6.__version__, "qpa": os.environ.get("QT_QPA_PLATFORM", "")})
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": m,
        "code": {
            "sha256_12": hashes,
            "combined": hashlib.sha256(json.dumps(hashes).encode()).hexdigest()[:12],
        },
        "config": {
            "patients": args.patients,
            "present_in_big": BIG_PRESENT,
            "runs": args.runs,
            "keystrokes": len(typing.keys),
            "key_interval_ms": ms(KEY_INTERVAL_S),
            "search_delay_ms": SEARCH_DELAY_MS,
            "tick_ms": TICK_MS,
            "seed": SEED,
            "ward_rows": {t.label: t.ward_patients for t in (big, demo, small)},
        },
        "load": load,
        "cold_start_seconds": cold,
        "unlock_seconds": {label: {"first": f.first, "again": f.again} for label, f in unlock.items()},
        "search": {
            "key_to_results_ms": _stats(keys_ms),
            "key_to_painted_ms": _stats(painted_ms) if painted_ms else None,
            "unresolved_keys": unresolved,
            "late_send_ms": _stats(late_sends),
            "direct_search_ms": _stats(typing.direct_ms),
            "slowest_direct_searches": sorted(
                zip(typing.direct_ms, typing.direct_texts, strict=True), reverse=True
            )[:10],
            "clear_to_census_ms": _stats([ms(c) for c in typing.clears]),
            "queries": sorted({k.query for k in typing.keys}),
        },
        "slowest_keys": [
            {"query": k.query, "text": k.text, "ms": k.shown_ms, "sent_late_ms": ms(k.sent - k.due)}
            for k in slowest
        ],
        "keys": [[k.text, k.shown_ms, k.painted_ms] for k in typing.keys],
        "drafts": {
            "last_key_to_stored_ms": _stats([ms(d) for d in draft_s]),
            "direct_ms": _stats([ms(d) for d in direct_draft_s]),
        },
        "blocking_ms": blocking,
        "worst_gaps": [{"excess_ms": g.excess_ms, "phase": g.phase, "note": g.note} for g in worst],
        "rows": [r.as_json() for r in rows],
        "total_seconds": now() - started,
        "_rows": rows,
    }


def write_json(result: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in result.items() if not k.startswith("_")}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def report(result: dict[str, Any]) -> None:
    m, cfg, load = result["machine"], result["config"], result["load"]
    print(
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}; Qt {m['qt']} "
        f"(PySide6 {m['pyside6']}, QPA {m['qpa']}); SQLCipher {m['sqlcipher']}"
    )
    print(
        f"Code: app/ + continuity/ sources sha256 {result['code']['combined']} (per-file hashes in the JSON)"
    )
    print(
        f"Data: {cfg['patients']:,} patients, {cfg['present_in_big']} present in {BIG_UF} "
        f"(the ward user's UF, {cfg['ward_rows']}); database {load['db_bytes'] / 1e6:.0f} MB; "
        f"loaded in {load['load_seconds']:.1f} s"
    )
    s = result["search"]
    print(
        f"Search: {cfg['keystrokes']} keystrokes every {cfg['key_interval_ms']:.0f} ms, "
        f"view debounce {cfg['search_delay_ms']} ms, {s['unresolved_keys']} keys without a "
        f"result shown; keys sent late by p99 {s['late_send_ms']['p99']:.1f} ms"
    )
    print()
    print_rows(result["_rows"])
    print("(unlock figures in seconds, from Enter; search and blocking in milliseconds)")
    print()
    print("Worst GUI-thread gaps (excess over the 10 ms tick):")
    for g in result["worst_gaps"]:
        print(f"  {g['excess_ms']:8.1f} ms  {g['phase']}  [{g['note']}]")
    print("Slowest keystrokes (key due -> results shown; how late the key could be sent):")
    for k in result["slowest_keys"]:
        shown = f"{k['ms']:8.1f} ms" if k["ms"] is not None else "   never   "
        print(f"  {shown}  {k['text']!r} (query {k['query']!r}, sent {k['sent_late_ms']:.0f} ms late)")
    print()
    for r in result["_rows"]:
        if r.limit is not None:
            print(f"{r.verdict}  {r.name.strip():<56} {_fmt(r.value, r.unit)} (limit {r.limit:g} {r.unit})")
    print(f"\nTotal run time: {result['total_seconds']:.0f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keystrokes", type=int, default=300)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = run(args)
    write_json(result, args.output)
    report(result)
    print(f"Results written to {args.output}")
    return 0 if all(r.verdict != "FAIL" for r in result["_rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
