"""The X harness's own judgement: a window is "painted" although a text cursor blinks in it."""

from __future__ import annotations

import time

from PySide6.QtGui import QColor, QImage

from tests.x11 import driver
from tests.x11.driver import DEMO_NURSE, RunningApp
from tests.x11.xsession import differs_beyond_a_cursor


def picture() -> QImage:
    image = QImage(200, 120, QImage.Format.Format_RGB32)
    image.fill(QColor("#f0f0f0"))
    return image


def paint(image: QImage, x: int, y: int, width: int, height: int) -> QImage:
    out = image.copy()
    for i in range(x, x + width):
        for j in range(y, y + height):
            out.setPixelColor(i, j, QColor("black"))
    return out


def test_a_cursor_blink_is_not_a_change_but_anything_wider_taller_or_elsewhere_is() -> None:
    window = picture()
    assert not differs_beyond_a_cursor(window, window.copy())
    assert not differs_beyond_a_cursor(window, paint(window, 50, 20, 1, 16))
    assert differs_beyond_a_cursor(window, paint(window, 50, 20, 30, 16)), "a word drawn"
    assert differs_beyond_a_cursor(window, paint(window, 50, 20, 1, 90)), "a vertical rule"
    two = paint(paint(window, 50, 20, 1, 16), 150, 80, 1, 16)
    assert differs_beyond_a_cursor(window, two), "two places changed"
    assert differs_beyond_a_cursor(window, window.scaled(100, 60)), "another size"


def test_the_admission_forms_blinking_cursor_is_within_what_is_tolerated(running_app: RunningApp) -> None:
    """The form, left alone, does change between screenshots (its cursor): CI once waited
    15 s for it to look the same twice in a row, each screenshot taking a quarter second."""
    app = running_app
    driver.unlock(app, *DEMO_NURSE)
    form = driver.open_admission(app)
    app.x.wait_painted(form)
    area = app.x.geometry(form)
    shots: list[QImage] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        image = app.x.screenshot()
        shots.append(image.copy(area.x, area.y, area.width, area.height))
        if shots[0] != shots[-1]:
            break
        time.sleep(0.1)
    assert shots[0] != shots[-1], "the cursor was expected to blink in the focused field"
    assert not differs_beyond_a_cursor(shots[0], shots[-1])
