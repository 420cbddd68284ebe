"""Driving the real application on the X server as a user does: keys, typing, clicks.

A scenario is a sequence of steps, each one function here taking the ``RunningApp``
(``unlock``, ``lock``, ``open_admission``, ``fill_admission``...). A step waits for what a
user would see (a window by its title, bed tiles by their colours) before it returns, so
the next one can follow; results are checked afterwards in the store, through the
``continuity`` command with the same credentials (``RunningApp.census``). To extend a
scenario, add a step here (X events only: ``x.key``, ``x.type``, ``x.click``) and call it
from a test in tests/x11/.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtGui import QImage

from app.theme import TILE_COLOURS
from tests.x11.xsession import MAIN_TITLE, Rect, XSession, colour_blobs, continuity_command

T = TypeVar("T")

# The demo site (README): its accounts, for the demo site only.
DEMO_NURSE = ("ide.urg", "demo-urg-2026")  # ward staff of URG (12 beds, U03 and U04 free)
DEMO_CRISIS = ("crise", "demo-crise-2026")
ADMISSION_TITLE = "Nouvelle admission"
ADMITTED_TITLE = "Patient admis"
# Titles of the ward's dialogs, as regular expressions for xdotool: their ASCII beginnings
# (the whole title, accents and the patient's name, is read with ``XSession.title``).
DUPLICATE_TITLE = "^Patient peut"  # « Patient peut-être déjà connu »
TRANSFER_TITLE = "^Mutation "  # « Mutation — NOM Prénom, né(e) le JJ/MM/AAAA, UF/lit »
DISCHARGE_TITLE = "^Sortie "  # « Sortie — NOM Prénom, né(e) le ... »
UNDO_DISCHARGE_TITLE = "^Annuler la sortie "  # « Annuler la sortie — NOM Prénom, ... »
DISCARD_TITLE = "^Abandonner la saisie"  # the question before a filled form is dropped
STORE_TIMEOUT = 30.0  # a write shows in the store (read by the continuity command) within this
UNLOCK_TIMEOUT = 30.0  # the production key derivation, on a machine shared with other runs


@dataclass
class RunningApp:
    """``continuity-app`` running on ``x``, its main window ``window``."""

    x: XSession
    data: Path
    process: subprocess.Popen[bytes]
    window: int
    shots: Path
    _shot_count: int = field(default=0)

    def alive(self) -> bool:
        return self.process.poll() is None

    def frame(self) -> Rect:
        return self.x.frame_geometry(self.window)

    def client(self) -> Rect:
        return self.x.geometry(self.window)

    def shot(self, name: str, window: int | None = None) -> QImage:
        """A screenshot once ``window`` (the main one by default) is painted, kept as
        ``shots/NN-name.png`` (the demo site's fictitious patients only)."""
        self.x.wait_painted(window or self.window)
        self._shot_count += 1
        return self.x.screenshot(self.shots / f"{self._shot_count:02d}-{name}.png")

    def _cli_json(self, user: str, password: str, command: str, *args: str) -> list[dict[str, Any]]:
        """``continuity <command> --json ... <args>`` as ``user`` on this app's store: its output."""
        done = subprocess.run(
            [*continuity_command(), command, "--json", "--user", user, "--password-stdin", *args],
            input=password + "\n",
            capture_output=True,
            text=True,
            env={**self.x.env, "CONTINUITY_HOME": str(self.data)},
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-500:]
        result: list[dict[str, Any]] = json.loads(done.stdout)
        return result

    def census(self, user: str, password: str) -> list[dict[str, Any]]:
        """The census in the store, read by the ``continuity`` command as ``user``."""
        return self._cli_json(user, password, "census")

    def search(self, user: str, password: str, query: str) -> list[dict[str, Any]]:
        """The patients (identities, in a stay or not) that ``continuity search`` finds."""
        return self._cli_json(user, password, "search", "--limit", "100", "--", query)

    def occupants(self, user: str, password: str) -> dict[str, dict[str, Any]]:
        """Bed code -> the patient in it (``patient`` and ``stay`` as the CLI prints them)."""
        return {
            bed["bed_code"]: bed["occupant"]
            for uf in self.census(user, password)
            for bed in uf["beds"]
            if bed["occupant"]
        }


# --------------------------------------------------------------------------- seeing
def tiles(image: QImage, state: str, area: Rect | None = None) -> list[Rect]:
    """Bed tiles of ``state`` ("free", "occupied", "leave", "blocked") on the screenshot,
    found by the theme's tile colours, in reading order."""
    return colour_blobs(image, TILE_COLOURS[state][0], area, min_pixels=2000)


def shows_ward(app: RunningApp, image: QImage) -> bool:
    return bool(tiles(image, "occupied", app.client()))


def wait_ward(app: RunningApp, timeout: float = UNLOCK_TIMEOUT) -> QImage:
    """Until the bed board is on the screen."""
    return app.x.wait_screen(lambda i: shows_ward(app, i), timeout, "le plan des lits n'est pas affiché")


def wait_locked(app: RunningApp, timeout: float = 15) -> QImage:
    """Until no bed tile (no patient) is left on the screen."""
    area = app.client()
    return app.x.wait_screen(
        lambda i: not any(tiles(i, s, area) for s in ("occupied", "free")),
        timeout,
        "des lits restent affichés après le verrouillage",
    )


# --------------------------------------------------------------------------- steps
def focus(app: RunningApp) -> None:
    app.x.activate(app.window)


def unlock(app: RunningApp, user: str, password: str, *, user_known: bool = False) -> QImage:
    """From the unlock screen, by the keyboard: user name, Enter, password, Enter."""
    focus(app)
    if not user_known:
        app.x.key("ctrl+a")
        app.x.type(user)
        app.x.key("Return")
    app.x.type(password)
    app.x.key("Return")
    return wait_ward(app)


def lock(app: RunningApp) -> QImage:
    """Ctrl+L: the store is locked, the screen cleared."""
    focus(app)
    app.x.key("ctrl+l")
    return wait_locked(app)


@dataclass(frozen=True)
class PatientForm:
    """What a nurse types in the admission form (empty: the field is left as it is)."""

    birth_name: str
    first_names: str
    birth_date: str  # JJ/MM/AAAA
    sex: str  # F, M or I: the first letter of the choice
    used_name: str = ""
    used_first_name: str = ""


def open_admission(app: RunningApp) -> int:
    """Ctrl+N: the admission form's window."""
    focus(app)
    app.x.key("ctrl+n")
    return app.x.wait_window(ADMISSION_TITLE)


def fill_admission(app: RunningApp, form: PatientForm, window: int | None = None) -> None:
    """Type the identity in the form's reading order (Tab from field to field), once the
    form's ``window`` is painted and has the keyboard (a key typed into a window still
    being mapped is lost: the first letter of a name was, now and then)."""
    x = app.x
    if window is not None:
        x.wait_painted(window)
        x.activate(window)
    # the strict traits first (RNIV's order), then the complementary ones
    for text in (form.birth_name, form.first_names, form.birth_date):
        if text:
            x.type(text)
        x.key("Tab")
    x.type(form.sex)  # the sex list picks the choice starting with that letter
    if form.used_name or form.used_first_name:
        x.key("Tab", "Tab", "Tab", "Tab")  # birth place, town, INS: to the used name
        for text in (form.used_name, form.used_first_name):
            if text:
                x.type(text)
            x.key("Tab")


def save_admission(app: RunningApp) -> None:
    """Enter saves; the result box (new numbers) is closed with Enter too."""
    app.x.key("Return")
    box = app.x.wait_window(ADMITTED_TITLE)
    app.x.wait_window_gone(ADMISSION_TITLE)
    app.x.activate(box)
    app.x.key("Return")
    app.x.wait_window_gone(ADMITTED_TITLE)


def admit_by_keyboard(app: RunningApp, form: PatientForm) -> None:
    fill_admission(app, form, open_admission(app))
    save_admission(app)


def click_free_bed(app: RunningApp, index: int = 0) -> Rect:
    """Click the ``index``-th free bed tile seen on the screen (it opens the admission form
    for that bed); returns the tile clicked."""
    focus(app)
    image = app.x.screenshot()
    free = tiles(image, "free", app.client())
    assert len(free) > index, f"{len(free)} lit(s) libre(s) à l'écran"
    tile = free[index]
    app.x.click(*tile.centre)
    return tile


def wait_store(
    read: Callable[[], T], ok: Callable[[T], bool], what: str, timeout: float = STORE_TIMEOUT
) -> T:
    """Read the store (``read``: a ``RunningApp.census``...) until ``ok``; the last reading."""
    last: list[T] = []

    def done() -> bool:
        last[:] = [read()]
        return ok(last[0])

    XSession.wait(done, timeout, what, every=0.3)
    return last[0]


def other_windows(app: RunningApp, *titles: str) -> list[str]:
    """The titles of the visible windows matching any of ``titles`` (what should not be open)."""
    return [app.x.title(w) for t in titles for w in app.x.windows(t)]


def warn_of_duplicate(app: RunningApp, form: PatientForm) -> int:
    """Ctrl+N, an identity close to a known one, Enter: the possible-duplicate warning."""
    fill_admission(app, form, open_admission(app))
    app.x.key("Return")
    return app.x.wait_window(DUPLICATE_TITLE)


def press_enter_on_warning(app: RunningApp) -> None:
    """Enter on the warning: its default, « Ouvrir ce patient (déjà en séjour) »; the warning
    and the admission form close."""
    app.x.key("Return")
    app.x.wait_window_gone(DUPLICATE_TITLE)
    app.x.wait_window_gone(ADMISSION_TITLE)


def scan(app: RunningApp, number: str) -> None:
    """Ctrl+F, the patient's number typed as a scanner does, Enter: that patient is the current one."""
    focus(app)
    app.x.key("ctrl+f")
    app.x.type(number)
    app.x.key("Return")
    app.x.wait_painted(app.window)


def open_transfer(app: RunningApp) -> int:
    """Ctrl+T: the transfer dialog of the current patient."""
    app.x.key("ctrl+t")
    return app.x.wait_window(TRANSFER_TITLE)


def choose_bed(app: RunningApp, dialog: int, bed: str) -> None:
    """In the transfer dialog, which opens with « Muter » focused (Enter alone moves the patient
    to the first free bed): Shift+Tab to « Lit », the bed typed (the list picks the bed whose
    code starts so)."""
    app.x.wait_painted(dialog)  # its UF and free beds are loaded
    app.x.key("shift+Tab")
    app.x.type(bed)


def enter_closes(app: RunningApp, title: str, timeout: float = 10) -> bool:
    """Enter in a dialog: whether its window ``title`` closed within ``timeout`` seconds."""
    app.x.key("Return")
    try:
        app.x.wait_window_gone(title, timeout)
    except TimeoutError:
        return False
    return True


def open_discharge(app: RunningApp) -> int:
    """Ctrl+D: the discharge dialog of the current patient."""
    app.x.key("ctrl+d")
    return app.x.wait_window(DISCHARGE_TITLE)


def save_discharge(app: RunningApp, dialog: int) -> None:
    """Enter: « Enregistrer la sortie » (its default mode, home)."""
    app.x.wait_painted(dialog)
    app.x.key("Return")
    app.x.wait_window_gone(DISCHARGE_TITLE)


def ask_undo_discharge(app: RunningApp, timeout: float = 20) -> int:
    """Ctrl+Z on a patient just discharged: the confirmation « Annuler la sortie — ... »."""
    app.x.key("ctrl+z")
    return app.x.wait_window(UNDO_DISCHARGE_TITLE, timeout)


def confirm_undo(app: RunningApp, box: int) -> None:
    """Enter: its default button « Annuler la sortie »."""
    app.x.wait_painted(box)
    app.x.key("Return")
    app.x.wait_window_gone(UNDO_DISCHARGE_TITLE)


def ask_discard(app: RunningApp, form: int) -> int:
    """Esc in a filled form: the question « Abandonner la saisie ? »."""
    app.x.wait_painted(form)
    app.x.key("Escape")
    return app.x.wait_window(DISCARD_TITLE)


def discard(app: RunningApp, question: int) -> None:
    """« Abandonner la saisie », which is not the default (« Continuer la saisie » is): Tab to
    it from the default button, Enter; the question and the form close."""
    app.x.wait_painted(question)
    app.x.key("Tab")
    app.x.key("Return")
    app.x.wait_window_gone(DISCARD_TITLE)
    app.x.wait_window_gone(ADMISSION_TITLE)


def find_main_window(x: XSession, timeout: float = 30) -> int:
    return x.wait_window(MAIN_TITLE, timeout)
