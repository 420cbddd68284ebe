"""A real X server for GUI tests and screenshots: Xvfb on a free display, the openbox window
manager on it, the application as a separate process, driven with xdotool, seen with xwd.

Used by tests/x11/ (fixtures in its conftest.py) and by docs/make_screenshots.py. The tools
come from installer/system-deps.sh (packages xvfb, openbox, xdotool, x11-apps, x11-utils,
x11-xserver-utils);
screenshots are decoded here (XWD) and written as PNG by Qt, so nothing else is needed.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PySide6.QtGui import QColor, QImage, QPainter

TOOLS = ("Xvfb", "openbox", "xdotool", "xwd", "xprop", "xwininfo", "xmodmap")
# Letters of French names that a US keymap lacks. Bound to spare keycodes when the session
# starts: otherwise xdotool remaps a keycode for each one as it types, and an application
# that reads the key after the keymap changed back gets another letter (Œ lost, 1 run in 6).
FRENCH_LETTERS = (
    ("eacute", "Eacute"), ("egrave", "Egrave"), ("ecircumflex", "Ecircumflex"),
    ("ediaeresis", "Ediaeresis"), ("agrave", "Agrave"), ("acircumflex", "Acircumflex"),
    ("ccedilla", "Ccedilla"), ("ugrave", "Ugrave"), ("ucircumflex", "Ucircumflex"),
    ("udiaeresis", "Udiaeresis"), ("ocircumflex", "Ocircumflex"), ("icircumflex", "Icircumflex"),
    ("idiaeresis", "Idiaeresis"), ("ae", "AE"),
    ("U0153", "U0152"), ("ydiaeresis", "U0178"),  # œ Œ ÿ Ÿ: xdotool looks Œ and Ÿ up by code point
)  # fmt: skip
MAIN_TITLE = "Kit de continuit"  # the main window's title (a regular expression for xdotool)
START_TIMEOUT = 30.0
SERVER_OPTIONS: tuple[str, ...] = ()


def missing_tools() -> list[str]:
    """The X tools this harness needs that are not installed (empty: it can run)."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@dataclass(frozen=True)
class Rect:
    """A rectangle in screen pixels."""

    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def centre(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2

    def contains(self, other: Rect) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


# --------------------------------------------------------------------------- screenshots
def read_xwd(data: bytes) -> QImage:
    """Decode an ``xwd`` dump (ZPixmap, 24 or 32 bits a pixel, true colour) into a QImage."""
    fields = struct.unpack(">25I", data[:100])
    header_size, _version, pixmap_format, _depth, width, height = fields[:6]
    byte_order, bits_per_pixel, bytes_per_line, ncolors = fields[7], fields[11], fields[12], fields[19]
    if pixmap_format != 2 or bits_per_pixel not in (24, 32):
        raise ValueError(f"unsupported xwd image: format {pixmap_format}, {bits_per_pixel} bits a pixel")
    start = header_size + 12 * ncolors
    pixels = data[start : start + bytes_per_line * height]
    little = byte_order == 0
    if bits_per_pixel == 24:
        kind = QImage.Format.Format_BGR888 if little else QImage.Format.Format_RGB888
    else:
        kind = QImage.Format.Format_RGB32 if little else QImage.Format.Format_RGBX8888
    return QImage(pixels, width, height, bytes_per_line, kind).copy()  # copy: own the pixels


def find_colour(image: QImage, colour: str, area: Rect | None = None, step: int = 2) -> list[tuple[int, int]]:
    """Pixels of exactly ``colour`` (sampled every ``step`` pixels) within ``area``."""
    wanted = QColor(colour).rgb() & 0xFFFFFF
    box = area or Rect(0, 0, image.width(), image.height())
    found = []
    for y in range(max(0, box.y), min(image.height(), box.bottom), step):
        for x in range(max(0, box.x), min(image.width(), box.right), step):
            if image.pixel(x, y) & 0xFFFFFF == wanted:
                found.append((x, y))
    return found


def colour_blobs(image: QImage, colour: str, area: Rect | None = None, min_pixels: int = 200) -> list[Rect]:
    """Rectangles of ``colour`` (e.g. bed tiles of one state), largest areas first: the
    sampled pixels grouped into connected blobs, each given by its bounding box."""
    step = 2
    points = set(find_colour(image, colour, area, step))
    blobs: list[Rect] = []
    while points:
        seed = points.pop()
        todo, members = [seed], [seed]
        while todo:
            x, y = todo.pop()
            for near in ((x + step, y), (x - step, y), (x, y + step), (x, y - step)):
                if near in points:
                    points.remove(near)
                    todo.append(near)
                    members.append(near)
        if len(members) * step * step >= min_pixels:
            xs, ys = [p[0] for p in members], [p[1] for p in members]
            blobs.append(Rect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1))
    blobs.sort(key=lambda r: (r.y // 10, r.x))  # reading order: rows, then left to right
    return blobs


# --------------------------------------------------------------------------- the X server
class XSession:
    """Xvfb on a free display (``-displayfd``) with openbox; ``stop()`` ends both (and every
    application started through ``start_app``), also after a failure."""

    def __init__(self, size: str = "1366x768", log_dir: Path | None = None, depth: int = 24):
        width, height = (int(n) for n in size.split("x")[:2])
        self.width, self.height, self.depth = width, height, depth
        self.log_dir = log_dir or Path(os.environ.get("TMPDIR", "/tmp"))
        self.display = ""
        self._processes: list[subprocess.Popen[bytes]] = []
        self._logs: list[IO[bytes]] = []

    @classmethod
    def attach(cls, display: str) -> XSession:
        """An X server already running (``display``, e.g. ":3"): look and type, start nothing."""
        session = cls("1x1")
        session.display = display
        out = session.run(["xwininfo", "-root"])
        found = {k: int(v) for k, v in re.findall(r"(Width|Height):\s+(\d+)", out)}
        session.width, session.height = found["Width"], found["Height"]
        return session

    @property
    def screen(self) -> Rect:
        return Rect(0, 0, self.width, self.height)

    @property
    def env(self) -> dict[str, str]:
        """The environment of a program shown on this display (none of the kit's own settings)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CONTINUITY_", "QT_QPA"))}
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("XAUTHORITY", None)
        env["DISPLAY"] = self.display
        env["QT_QPA_PLATFORM"] = "xcb"
        return env

    def __enter__(self) -> XSession:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _spawn(
        self, args: Sequence[str], log_name: str, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / log_name, "ab")  # noqa: SIM115 - closed in stop()
        self._logs.append(log)
        process = subprocess.Popen(
            list(args), stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        self._processes.append(process)
        return process

    def start(self) -> XSession:
        try:
            self._start_server()
            self._bind_french_letters()
            self._spawn(["openbox", "--sm-disable"], "openbox.log", self.env)
            self.wait(self._wm_running, 15, "le gestionnaire de fenêtres openbox n'a pas démarré")
        except BaseException:
            self.stop()
            raise
        return self

    def _start_server(self) -> None:
        """Xvfb on a display number drawn at random: the lowest free one (``-displayfd``'s
        choice) is the one a server that just stopped still cleans up, removing the new
        server's socket (clients then cannot connect: seen with tests running side by side)."""
        for _ in range(20):
            number = random.randrange(100, 60000)
            if not Path(f"/tmp/.X{number}-lock").exists() and self._try_server(number):
                self.display = f":{number}"
                return
        raise RuntimeError("Xvfb n'a pas démarré (voir xvfb.log)")

    def _try_server(self, number: int) -> bool:
        """Start Xvfb on ``:number``; False if it stopped at once (the display was taken)."""
        read_end, write_end = os.pipe()
        try:
            screen = f"{self.width}x{self.height}x{self.depth}"
            args = [
                "Xvfb",
                f":{number}",
                "-displayfd",
                str(write_end),
                "-screen",
                "0",
                screen,
                "-nolisten",
                "tcp",
                "-noreset",  # else the server resets when its last client leaves: keymap lost,
                *SERVER_OPTIONS,  # and a client connecting meanwhile is refused
            ]
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = open(self.log_dir / "xvfb.log", "ab")  # noqa: SIM115 - closed in stop()
            self._logs.append(log)
            server = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, pass_fds=(write_end,), start_new_session=True
            )
            os.close(write_end)
            write_end = -1
            answer = b""
            deadline = time.monotonic() + START_TIMEOUT
            while not answer.endswith(b"\n"):
                ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
                chunk = os.read(read_end, 16) if ready else b""
                if not chunk:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        server.wait(timeout=5)
                    if server.poll() is None:
                        server.kill()
                        server.wait()
                    return False
                answer += chunk
            self._processes.append(server)
            return True
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)

    def _bind_french_letters(self) -> None:
        """Each letter of ``FRENCH_LETTERS`` on a keycode of its own (lower case, and shifted)."""
        keymap = ""

        def read() -> bool:
            nonlocal keymap
            keymap = self.run(["xmodmap", "-pke"], check=False)
            return bool(keymap)

        self.wait(read, 15, "le serveur X n'accepte pas de connexion (xmodmap)")
        spare = [int(m.group(1)) for m in re.finditer(r"^keycode\s+(\d+) =\s*$", keymap, re.MULTILINE)]
        if len(spare) < len(FRENCH_LETTERS):
            raise RuntimeError(f"clavier X : {len(spare)} touches libres, {len(FRENCH_LETTERS)} requises")
        pairs = zip(spare[: len(FRENCH_LETTERS)], FRENCH_LETTERS, strict=True)
        rules = [f"keycode {code} = {lower} {upper}" for code, (lower, upper) in pairs]
        self.run(["xmodmap", *(arg for rule in rules for arg in ("-e", rule))])

    def _wm_running(self) -> bool:
        out = self.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], check=False)
        return "window id" in out

    def stop(self) -> None:
        """End every process started here, the last started first (the server last)."""
        for process in reversed(self._processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(5)
        self._processes.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()

    # ------------------------------------------------------------------ running things
    def run(self, args: Sequence[str], check: bool = True, timeout: float = 30) -> str:
        done = subprocess.run(list(args), env=self.env, capture_output=True, timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"{args[0]} a échoué ({done.returncode}) : {done.stderr.decode()[:300]}")
        return done.stdout.decode("utf-8", "replace")

    def start_app(self, args: Sequence[str], log_name: str = "app.log") -> subprocess.Popen[bytes]:
        """A program shown on this display (its output to ``log_name``); ended by ``stop()``."""
        return self._spawn(args, log_name, self.env)

    @staticmethod
    def wait(condition: Callable[[], bool], timeout: float, what: str, every: float = 0.1) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            time.sleep(every)

    # ------------------------------------------------------------------ windows
    def xdotool(self, *args: str) -> str:
        return self.run(["xdotool", *args])

    def windows(self, name: str) -> list[int]:
        """Visible windows whose title matches ``name`` (a regular expression)."""
        out = self.run(["xdotool", "search", "--onlyvisible", "--name", name], check=False)
        return [int(w) for w in out.split()]

    def wait_window(self, name: str, timeout: float = 20) -> int:
        """The first visible window whose title matches ``name``, once it is mapped."""
        found: list[int] = []

        def shown() -> bool:
            found[:] = self.windows(name)
            return bool(found)

        self.wait(shown, timeout, f"aucune fenêtre « {name} » après {timeout} s")
        return found[0]

    def wait_window_gone(self, name: str, timeout: float = 20) -> None:
        self.wait(lambda: not self.windows(name), timeout, f"la fenêtre « {name} » reste ouverte")

    def title(self, window: int) -> str:
        return self.xdotool("getwindowname", str(window)).strip()

    def geometry(self, window: int) -> Rect:
        """The window's contents (client area), in screen coordinates (from xwininfo:
        ``xdotool getwindowgeometry`` counts a reparenting window manager's frame twice)."""
        out = self.run(["xwininfo", "-id", str(window)])

        def value(label: str) -> int:
            found = re.search(rf"{label}:\s+(-?\d+)", out)
            assert found is not None, label
            return int(found.group(1))

        return Rect(
            value("Absolute upper-left X"), value("Absolute upper-left Y"), value("Width"), value("Height")
        )

    def frame_extents(self, window: int) -> tuple[int, int, int, int]:
        """Left, right, top, bottom widths of the window manager's frame (0s if none)."""
        out = self.run(["xprop", "-id", str(window), "_NET_FRAME_EXTENTS"], check=False)
        numbers = [int(n) for n in re.findall(r"\d+", out.split("=", 1)[-1])] if "=" in out else []
        left, right, top, bottom = [*numbers, 0, 0, 0, 0][:4]
        return left, right, top, bottom

    def frame_geometry(self, window: int) -> Rect:
        """The window with its title bar and borders."""
        inner = self.geometry(window)
        left, right, top, bottom = self.frame_extents(window)
        return Rect(inner.x - left, inner.y - top, inner.width + left + right, inner.height + top + bottom)

    def states(self, window: int) -> set[str]:
        """Its _NET_WM_STATE atoms, e.g. {"_NET_WM_STATE_MAXIMIZED_VERT", ...}."""
        out = self.run(["xprop", "-id", str(window), "_NET_WM_STATE"], check=False)
        return set(re.findall(r"_NET_WM_STATE_\w+", out))

    def activate(self, window: int) -> None:
        self.xdotool("windowactivate", "--sync", str(window))

    # ------------------------------------------------------------------ input
    def key(self, *keys: str, delay_ms: int = 40) -> None:
        """Key presses as X events, e.g. key("ctrl+n"), key("Tab", "Tab", "Return")."""
        self.xdotool("key", "--clearmodifiers", "--delay", str(delay_ms), *keys)

    def type(self, text: str, delay_ms: int = 25) -> None:
        """Type ``text`` as key events (UTF-8: accents and Œ included)."""
        self.xdotool("type", "--clearmodifiers", "--delay", str(delay_ms), "--", text)

    def click(self, x: int, y: int, button: int = 1) -> None:
        """Move the pointer to (x, y) on the screen and click there."""
        self.xdotool("mousemove", "--sync", str(x), str(y))
        self.xdotool("click", str(button))

    # ------------------------------------------------------------------ pictures
    def screenshot(self, path: Path | None = None) -> QImage:
        """The whole screen (frames included) as a QImage; also written to ``path`` (PNG).

        ``xwd -root`` alone shows only the first window's contents on this Xvfb (dialogs
        and menus come out black), so each window is read by itself and laid over it:
        top-level windows (frames, menus) bottom to top, each followed by the application
        window inside it."""
        image = read_xwd(self._xwd("-root"))
        painter = QPainter(image)
        try:
            for window, x, y in self._stacking():
                try:
                    part = read_xwd(self._xwd("-id", str(window)))
                except (subprocess.CalledProcessError, ValueError, struct.error):
                    continue  # unmapped (a hidden dialog) or gone meanwhile
                painter.drawImage(x, y, part)
        finally:
            painter.end()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(path)):
                raise OSError(f"cannot write {path}")
        return image

    def _xwd(self, *args: str) -> bytes:
        return subprocess.run(
            ["xwd", "-silent", *args], env=self.env, capture_output=True, timeout=30, check=True
        ).stdout

    _TREE_LINE = re.compile(
        r"^(?P<indent> +)(?P<id>0x[0-9a-f]+) .*?: \((?P<cls>[^)]*)\)\s+(?P<w>\d+)x(?P<h>\d+)"
        r"[+-]-?\d+[+-]-?\d+\s+\+(?P<x>-?\d+)\+(?P<y>-?\d+)\s*$"
    )

    def _stacking(self) -> list[tuple[int, int, int]]:
        """(window, x, y) to paint, bottom to top: each top-level window larger than a
        pixel, then the named application windows inside it (xwininfo lists top first)."""
        groups: list[list[tuple[int, int, int]]] = []
        top_indent = None
        for line in self.run(["xwininfo", "-root", "-tree"]).splitlines():
            m = self._TREE_LINE.match(line)
            if m is None:
                continue
            indent = len(m["indent"])
            top_indent = indent if top_indent is None else min(top_indent, indent)
            entry = (int(m["id"], 16), int(m["x"]), int(m["y"]))
            if indent == top_indent:
                groups.append([entry] if int(m["w"]) > 2 and int(m["h"]) > 2 else [])
            elif groups and groups[-1] and m["cls"].strip():
                groups[-1].append(entry)
        return [entry for group in reversed(groups) for entry in group]

    def wait_screen(self, condition: Callable[[QImage], bool], timeout: float, what: str) -> QImage:
        """Take screenshots until one satisfies ``condition``; returns it."""
        last: list[QImage] = []

        def ok() -> bool:
            last[:] = [self.screenshot()]
            return condition(last[0])

        self.wait(ok, timeout, what, every=0.25)
        return last[0]

    def wait_painted(self, window: int, timeout: float = 15) -> QImage:
        """Until ``window`` is painted (a window just mapped is all black) and looks the same
        on two screenshots in a row but for a blinking text cursor; returns the last
        screenshot."""
        previous: list[QImage] = []

        def settled(image: QImage) -> bool:
            area = self.geometry(window)
            part = image.copy(area.x, area.y, area.width, area.height)
            same = bool(previous) and not differs_beyond_a_cursor(previous[0], part)
            previous[:] = [part]
            grid = [
                part.pixel(part.width() * i // 6, part.height() * j // 6) & 0xFFFFFF
                for i in range(1, 6)
                for j in range(1, 6)
            ]
            return same and any(grid)

        return self.wait_screen(settled, timeout, f"la fenêtre {window} n'est pas dessinée")


def differs_beyond_a_cursor(a: QImage, b: QImage) -> bool:
    """Whether two pictures of a window differ by more than a text cursor's blink: at most
    one narrow vertical band (``CURSOR_BAND`` pixels wide, ``CURSOR_HEIGHT`` high).

    A focused field's cursor toggles every half second (Qt's default flash time); two
    screenshots taken about that far apart then never match exactly, and a window waited
    for as "painted" never was (CI, where each screenshot took about a quarter second)."""
    if a.size() != b.size():
        return True
    a = a.convertToFormat(QImage.Format.Format_RGB32)
    b = b.convertToFormat(QImage.Format.Format_RGB32)
    bits_a, bits_b = bytes(a.constBits()), bytes(b.constBits())
    stride, width = a.bytesPerLine(), a.width() * 4
    top: int | None = None
    left, right = a.width(), -1
    for y in range(a.height()):
        row_a = bits_a[y * stride : y * stride + width]
        row_b = bits_b[y * stride : y * stride + width]
        if row_a == row_b:
            continue
        top = y if top is None else top
        pixels = [x for x in range(a.width()) if row_a[x * 4 : x * 4 + 4] != row_b[x * 4 : x * 4 + 4]]
        left, right = min(left, pixels[0]), max(right, pixels[-1])
        if right - left + 1 > CURSOR_BAND or y - top + 1 > CURSOR_HEIGHT:
            return True
    return False


CURSOR_BAND = 3
CURSOR_HEIGHT = 40


# --------------------------------------------------------------------------- the application
def app_command(data: Path, *extra: str) -> list[str]:
    """The installed ``continuity-app`` beside this Python (the project's venv), or ``-m app``."""
    script = Path(sys.executable).with_name("continuity-app")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "app"]
    return [*head, "--data", str(data), *extra]


def continuity_command() -> list[str]:
    script = Path(sys.executable).with_name("continuity")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


@contextlib.contextmanager
def x_session(size: str, log_dir: Path) -> Iterator[XSession]:
    """``with x_session("1366x768", folder) as x:`` a started server, always stopped."""
    session = XSession(size, log_dir)
    session.start()
    try:
        yield session
    finally:
        session.stop()
