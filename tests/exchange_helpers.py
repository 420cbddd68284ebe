"""Three workstations of one site sharing an exchange key, each declaring the others' signing keys,
and the USB stick between them."""

from __future__ import annotations

import shutil
from pathlib import Path

from continuity import signing
from continuity.provisioning import parse_site, provision
from continuity.services import admin, exchange
from continuity.session import Session, Workspace
from sync import bundles
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CIV,
    CIV_PW,
    CRISIS,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    PNEUMO_NURSE,
    PNEUMO_PW,
    SITE_TOML,
    TEST_KDF,
    Clock,
)

WORKSTATIONS = ("WS-A", "WS-B", "WS-C")


def provision_site(root: Path) -> dict[str, Path]:
    """Two wards and the crisis cell, with the same users, sharing one exchange key; each
    workstation declares the public signing keys of the two others (as IT does with
    ``continuity exchange peer add``)."""
    folders: dict[str, Path] = {}
    key = ""
    public: dict[str, str] = {}
    for code in WORKSTATIONS:
        workspace = Workspace(root / code)
        provision(workspace, parse_site(SITE_TOML), code, ADMIN, ADMIN_PW, kdf=TEST_KDF)
        with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
            for user, password in (
                (CRISIS, CRISIS_PW),
                (NURSE, NURSE_PW),
                (PNEUMO_NURSE, PNEUMO_PW),
                (CIV, CIV_PW),
            ):
                admin.add_user(session, user, password)
            if not key:
                key = exchange.new_key(session)
            else:
                exchange.import_key(session, key)
            public[code] = signing.public_key_text(exchange.own_public_key(session))
            session.store.checkpoint()
        folders[code] = workspace.folder
    for code, folder in folders.items():
        with Workspace(folder).unlock(ADMIN.username, ADMIN_PW) as session:
            for other in WORKSTATIONS:
                if other != code:
                    exchange.declare_peer(session, other, public[other])
            session.store.checkpoint()
    return folders


class Site:
    """Copies of the three workstations for one test, and the USB stick that carries bundles."""

    def __init__(self, templates: dict[str, Path], tmp: Path, clock: Clock):
        self.clock = clock
        self.spaces = {}
        for code, folder in templates.items():
            shutil.copytree(folder, tmp / code)
            self.spaces[code] = Workspace(tmp / code, clock)
        self.stick = tmp / "cle-usb"
        self.stick.mkdir()

    def login(self, ws: str, user: str, password: str) -> Session:
        self.clock.advance(seconds=7)
        return self.spaces[ws].unlock(user, password)

    def export(self, ws: str) -> Path:
        with self.login(ws, ADMIN.username, ADMIN_PW) as session:
            path = bundles.write_bundle(session, self.stick)
        assert path is not None
        return path

    def deliver(self, ws: str, path: Path) -> bundles.BundleResult:
        with self.login(ws, CRISIS.username, CRISIS_PW) as session:
            return bundles.import_file(session, path, grace=0)
