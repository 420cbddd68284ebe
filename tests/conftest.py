"""Shared fixtures: a small real site provisioned in a real SQLCipher file per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from continuity import keyslots
from continuity.domain.identity import Identity, Sex
from continuity.domain.site import Site
from continuity.domain.users import Role, User
from continuity.provisioning import parse_site, provision
from continuity.services import admin
from continuity.session import Session, Workspace
from tests.peers.medplum import MedplumFhir

SITE_TOML = """
[site]
code = "TEST-CH"
name = "CH de test"

[[ufs]]
code = "CARDIO"
name = "Cardiologie"
rooms = [{ code = "1", beds = ["1A", "1B"] }, { code = "2", beds = ["2A", "2B"] }]

[[ufs]]
code = "PNEUMO"
name = "Pneumologie"
rooms = [{ code = "3", beds = ["3A", "3B", "3C"] }]

[[services]]
code = "LABO"
name = "Laboratoire"

[[workstations]]
code = "WS-A"
name = "Poste A"
block = [100000, 100999]

[[workstations]]
code = "WS-B"
name = "Poste B"
block = [101000, 101999]

[[workstations]]
code = "WS-C"
name = "Cellule de crise"
block = [102000, 102999]
"""

ADMIN = User(username="admin", display_name="Admin", role=Role.IT_ADMIN)
ADMIN_PW = "admin-password-1"
CRISIS = User(username="crise", display_name="Cellule", role=Role.CRISIS_CELL)
CRISIS_PW = "crise-password-1"
NURSE = User(username="ide", display_name="IDE cardio", role=Role.WARD_STAFF, ufs=("CARDIO",))
NURSE_PW = "ide-password-1"
PNEUMO_NURSE = User(username="ide.pneumo", display_name="IDE pneumo", role=Role.WARD_STAFF, ufs=("PNEUMO",))
PNEUMO_PW = "pneumo-password-1"
CIV = User(username="civ", display_name="Identitovigilance", role=Role.IDENTITY_VIGILANCE)
CIV_PW = "civ-password-1"

# argon2id at its cheapest, for the stores of tests that are not about the key derivation
# (a store records them and its new slots take them too). tests/test_keys.py runs on the
# production parameters, and checks that a store provisioned normally never gets these.
TEST_KDF = keyslots.KdfParams(time_cost=1, memory_kib=8, parallelism=1)


class Clock:
    """A settable clock, so time-dependent rules are tested without sleeping."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def site() -> Site:
    return parse_site(SITE_TOML)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_template(folder: Path, kdf: keyslots.KdfParams | None) -> tuple[Path, str]:
    """The test site provisioned as WS-A with its five users; the folder and recovery key."""
    workspace = Workspace(folder)
    recovery = provision(workspace, parse_site(SITE_TOML), "WS-A", ADMIN, ADMIN_PW, kdf=kdf)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        admin.add_user(session, CRISIS, CRISIS_PW)
        admin.add_user(session, NURSE, NURSE_PW)
        admin.add_user(session, PNEUMO_NURSE, PNEUMO_PW)
        admin.add_user(session, CIV, CIV_PW)
        session.store.checkpoint()
    return folder, recovery


@pytest.fixture(scope="session")
def provisioned_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Provisioned once per test run, with the cheap test key derivation; tests get a copy."""
    return make_template(tmp_path_factory.mktemp("template") / "data", TEST_KDF)


@pytest.fixture
def provisioned(
    tmp_path: Path, provisioned_template: tuple[Path, str], clock: Clock
) -> tuple[Workspace, str]:
    """A fresh copy of the real encrypted template store: admin, crisis cell, two ward nurses.

    Returns the workspace and its recovery key.
    """
    template, recovery = provisioned_template
    shutil.copytree(template, tmp_path / "data")
    return Workspace(tmp_path / "data", clock), recovery


@pytest.fixture
def workspace(provisioned: tuple[Workspace, str]) -> Workspace:
    return provisioned[0]


def _session(workspace: Workspace, user: str, password: str) -> Iterator[Session]:
    session = workspace.unlock(user, password)
    yield session
    session.lock()


@pytest.fixture
def nurse(workspace: Workspace) -> Iterator[Session]:
    yield from _session(workspace, NURSE.username, NURSE_PW)


@pytest.fixture
def crisis(workspace: Workspace) -> Iterator[Session]:
    yield from _session(workspace, CRISIS.username, CRISIS_PW)


@pytest.fixture
def admin_session(workspace: Workspace) -> Iterator[Session]:
    yield from _session(workspace, ADMIN.username, ADMIN_PW)


def identity(
    birth_name: str = "LEFÈVRE",
    first: str = "Jeanne",
    born: date = date(1950, 3, 12),
    sex: Sex | str = Sex.F,
    **extra: object,
) -> Identity:
    return Identity.model_validate(
        {"birth_name": birth_name, "first_names": [first], "birth_date": born, "sex": sex, **extra}
    )


@pytest.fixture(scope="session")
def site_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three workstations of one site (two wards, the crisis cell): provisioned once per run."""
    from tests.exchange_helpers import provision_site

    return provision_site(tmp_path_factory.mktemp("exchange-site"))


@pytest.fixture
def three_workstations(site_templates: dict[str, Path], tmp_path: Path) -> object:
    from tests.exchange_helpers import Site

    return Site(site_templates, tmp_path, Clock())


@pytest.fixture(scope="module")
def engine_process() -> Iterator[MedplumFhir]:
    """Medplum's FHIR engine, a real Node process on loopback: one per test module."""
    peer = MedplumFhir()
    yield peer
    peer.stop()


@pytest.fixture
def server(engine_process: MedplumFhir) -> MedplumFhir:
    """The engine, emptied for each test."""
    engine_process.reset()
    return engine_process
