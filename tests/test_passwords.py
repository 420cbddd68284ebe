"""Password rules: long enough, not a common password (a list shipped with the kit), said in both
languages; every place a password is set applies them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from continuity import keyslots, passwords
from continuity.domain.users import Role, User
from continuity.errors import InvalidInput
from continuity.provisioning import DEMO_USERS, parse_site, provision
from continuity.services import admin
from continuity.session import Workspace
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    PNEUMO_PW,
    SITE_TOML,
    TEST_KDF,
)

ROOT = Path(__file__).resolve().parents[1]

COMMON = [
    "123456789",  # the top of every list
    "password",
    "iloveyou",
    "qwertyuiop",
    "azertyuiop",
    "motdepasse",
    "soleil123",
    "doudou2026",
    "chouchou",
    "loulou12",
    "marseille",
    "bonjour1",
    "jetaime1",
    "hopital2026",
    "urgences1",
    "infirmiere",
]


def test_the_list_is_shipped_with_the_kit_and_big_enough() -> None:
    words = passwords.common_passwords()
    assert len(words) >= 10_000
    assert {"123456", "password", "azerty", "motdepasse", "soleil", "doudou", "hopital"} <= words
    assert all(w == w.strip().casefold() for w in words)


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused_with_the_reason_in_both_languages(password: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        passwords.check_password(password)
    assert "Mot de passe trop courant" in caught.value.message_fr
    assert "Password too common" in caught.value.message_en


@pytest.mark.parametrize(
    "password",
    [
        "  MotDePasse  ",  # case and surrounding spaces do not hide it
        "AZERTY123",
        "Soleil2026!",  # a listed word followed by digits and punctuation
        "marseille13...",
        "hôpital2026",  # accents do not hide it either
        "Urgences-1",
        "bonjour!!!!",
        "admin2026",
    ],
)
def test_a_listed_password_dressed_up_is_still_refused(password: str) -> None:
    with pytest.raises(InvalidInput, match="trop courant"):
        passwords.check_password(password)


@pytest.mark.parametrize("password", ["", "court", "a1b2c3d", "       x"])
def test_short_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        passwords.check_password(password)
    assert f"au moins {passwords.MIN_LENGTH} caractères" in caught.value.message_fr
    assert f"at least {passwords.MIN_LENGTH} characters" in caught.value.message_en


def test_a_password_made_of_one_character_or_of_the_user_name_is_refused() -> None:
    with pytest.raises(InvalidInput, match="répétition"):
        passwords.check_password("zzzzzzzzzzzz")
    with pytest.raises(InvalidInput, match="identifiant"):
        passwords.check_password("Interne.Garde2026", username="interne.garde")


@pytest.mark.parametrize(
    "password",
    [
        ADMIN_PW,
        CRISIS_PW,
        NURSE_PW,
        PNEUMO_PW,
        "ward-password-1",
        "interne-password",
        "chef-info-2026",
        "ide-urg-2026",
        "cheval agrafe pile",
        "soleil de minuit sur Brest",  # a common word inside a longer one is fine
        *(d.password for d in DEMO_USERS),
    ],
)
def test_the_demo_and_test_passwords_pass(password: str) -> None:
    passwords.check_password(password)


def test_keyslots_check_delegates_to_the_rules() -> None:
    with pytest.raises(InvalidInput, match="trop courant"):
        keyslots.check_password_strength("motdepasse")


def test_provisioning_refuses_a_common_admin_password(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "data")
    with pytest.raises(InvalidInput, match="trop courant"):
        provision(workspace, parse_site(SITE_TOML), "WS-A", ADMIN, "Azerty2026!", kdf=TEST_KDF)
    assert not workspace.is_provisioned()


def test_adding_a_user_or_changing_a_password_applies_the_rules(workspace: Workspace) -> None:
    newcomer = User(username="interne", display_name="Interne", role=Role.WARD_STAFF, ufs=("PNEUMO",))
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        with pytest.raises(InvalidInput, match="trop courant"):
            admin.add_user(session, newcomer, "doudou2026")
        with pytest.raises(InvalidInput, match="trop courant"):
            admin.create_user(session, "interne", "Interne", Role.CRISIS_CELL, [], "Chouchou!")
        with pytest.raises(InvalidInput, match="trop courant"):
            admin.change_password(session, NURSE.username, "urgences1")  # reset by IT
        assert session.store.users.get_user("interne") is None
    with (
        workspace.unlock(NURSE.username, NURSE_PW) as session,
        pytest.raises(InvalidInput, match="trop courant"),
    ):
        admin.change_password(session, NURSE.username, "Marseille13")  # one's own
    with workspace.unlock(NURSE.username, NURSE_PW):
        pass  # the old password still works: nothing was changed


def test_the_command_line_says_why(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli import main

    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("CONTINUITY_NEW_PASSWORD", "loulou2026")
    code = main(["--data", str(workspace.folder), "user", "passwd", "ide", "--user", "admin"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Mot de passe trop courant" in err and "Password too common" in err


def test_the_list_is_package_data() -> None:
    """pyproject.toml ships it (the wheel, hence the offline bundle; built below and by
    ``make bundle-check``, whose self-test has a common password refused by the installed kit)."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["continuity"]
    assert any(fnmatch.fnmatch(f"data/{passwords.LIST_FILE}", p) for p in patterns)


@pytest.mark.slow
def test_the_list_is_in_the_kit_s_wheel(tmp_path: Path) -> None:
    """Built as the bundle builds the kit's wheel (pip wheel; its build back-end from PyPI)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot build the wheel here (no PyPI for the build back-end?): {done.stderr[-300:]}")
    [wheel] = tmp_path.glob("continuity_kit-*.whl")
    with zipfile.ZipFile(wheel) as z:
        shipped = z.read(f"continuity/data/{passwords.LIST_FILE}").decode("utf-8")
    assert "motdepasse" in shipped.splitlines()
