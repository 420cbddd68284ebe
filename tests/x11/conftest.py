"""Fixtures of the real-X-server tests: ``desktop`` (Xvfb + openbox at a given size),
``demo_data`` (a fresh copy of the demo site), ``running_app`` (continuity-app on them).

The size is chosen per test with ``@pytest.mark.parametrize("desktop", ["1024x768"],
indirect=True)`` (1366x768 by default). Every process started is ended at teardown, also
when a test fails; a failed test leaves a screenshot in its tmp_path (failure.png).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.x11.driver import RunningApp, find_main_window
from tests.x11.xsession import XSession, app_command, continuity_command, missing_tools

DEFAULT_SIZE = "1366x768"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    missing = missing_tools()
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.x11)
            if missing:
                item.add_marker(
                    pytest.mark.skip(
                        reason="serveur X de test indisponible / no test X server: "
                        f"{', '.join(missing)} missing (installer/system-deps.sh)"
                    )
                )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if call.when == "call":
        item.stash[_FAILED] = bool(getattr(report, "failed", False))
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, provisioned once by ``continuity demo`` (its recovery key discarded)."""
    folder = tmp_path_factory.mktemp("x11-demo") / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTINUITY_")}
    env["CONTINUITY_HOME"] = str(folder)
    done = subprocess.run(
        [*continuity_command(), "demo", "--if-missing"],
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-500:]
    return folder


@pytest.fixture
def demo_data(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo site for one test."""
    folder = tmp_path / "demo"
    shutil.copytree(demo_template, folder)
    return folder


@pytest.fixture
def desktop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[XSession]:
    """Xvfb on a free display at the requested size (1366x768 by default), openbox on it."""
    size = getattr(request, "param", DEFAULT_SIZE)
    session = XSession(size, tmp_path / "x11-logs")
    session.start()
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture
def running_app(
    request: pytest.FixtureRequest, desktop: XSession, demo_data: Path, tmp_path: Path
) -> Iterator[RunningApp]:
    """``continuity-app --data <demo copy>`` on ``desktop``, its main window mapped."""
    process = desktop.start_app(app_command(demo_data))
    try:
        window = find_main_window(desktop)
        app = RunningApp(desktop, demo_data, process, window, tmp_path / "shots")
        yield app
    finally:
        if request.node.stash.get(_FAILED, True):
            try:
                desktop.screenshot(tmp_path / "failure.png")
                print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
            except Exception as exc:  # the server itself may be what failed
                print(f"no screenshot: {type(exc).__name__}")
        desktop.stop()  # the app first (it was started last), then openbox and Xvfb
