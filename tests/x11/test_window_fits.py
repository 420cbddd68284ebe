"""The window fits small screens (1366x768, 1024x768) with a real window manager: its frame
on the screen, the status bar visible, every tab and large fonts included."""

from __future__ import annotations

import pytest

from app.crisis_view import OCCUPIED_COLOUR
from tests.x11 import driver
from tests.x11.driver import DEMO_NURSE, RunningApp
from tests.x11.xsession import colour_blobs

# Where the tab "Cellule de crise" is, from the window's top left: seen on a screenshot
# (the tab bar is left-aligned, so this does not depend on the screen's width).
CRISIS_TAB = (138, 69)


def assert_fits(app: RunningApp) -> None:
    screen = app.x.screen
    frame = app.frame()
    assert screen.contains(frame), (frame, screen)
    # the status bar is the client area's last rows: they are on the screen
    assert app.client().bottom <= screen.bottom


@pytest.mark.parametrize("desktop", ["1366x768", "1024x768"], indirect=True)
def test_window_fits_the_screen_on_every_tab_and_with_large_fonts(running_app: RunningApp) -> None:
    app = running_app
    size = f"{app.x.width}x{app.x.height}"
    assert_fits(app)
    assert "_NET_WM_STATE_MAXIMIZED_VERT" in app.x.states(app.window)  # 1280x800 does not fit
    app.shot(f"{size}-unlock")

    driver.unlock(app, *DEMO_NURSE)
    assert_fits(app)
    app.shot(f"{size}-ward")
    before = app.client()

    # A mouse click on the crisis tab: its charts show, the window still fits.
    client = app.client()
    app.x.click(client.x + CRISIS_TAB[0], client.y + CRISIS_TAB[1])
    image = app.x.wait_screen(
        lambda i: bool(colour_blobs(i, OCCUPIED_COLOUR, app.client(), min_pixels=50)),
        20,
        "l'onglet Cellule de crise ne s'affiche pas",
    )
    assert_fits(app)
    app.shot(f"{size}-crisis")
    del image

    # Ctrl++: large fonts, still within the screen; Ctrl++ again: the same window as before.
    driver.focus(app)
    app.x.key("ctrl+plus")
    app.x.wait_painted(app.window)
    assert_fits(app)
    app.shot(f"{size}-crisis-large-fonts")
    app.x.key("ctrl+plus")
    app.x.wait_painted(app.window)
    assert_fits(app)
    assert app.client() == before
