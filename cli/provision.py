"""``continuity init`` (a workstation from the site file) and ``continuity demo`` (the demo site)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli.common import add_command, new_password, print_recovery, resolve_workspace
from continuity.domain.users import Role, User
from continuity.errors import Conflict
from continuity.provisioning import load_site, provision, provision_demo
from continuity.session import Workspace
from continuity.validation import build


def _refuse_if_provisioned(workspace: Workspace) -> None:
    if workspace.is_provisioned():
        raise Conflict(
            "Ce dossier contient déjà un magasin chiffré.", "This folder already holds an encrypted store."
        )


def cmd_init(args: argparse.Namespace) -> int:
    workspace = resolve_workspace(args)
    _refuse_if_provisioned(workspace)
    site = load_site(Path(args.site))
    admin_user = build(
        User,
        {"username": args.admin, "display_name": args.admin_name or args.admin, "role": Role.IT_ADMIN},
        "Administrateur",
        "Administrator",
    )
    password = new_password(admin_user.username)
    recovery = provision(workspace, site, args.workstation, admin_user, password)
    print_recovery(recovery)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    workspace = resolve_workspace(args)
    if workspace.is_provisioned():
        if args.if_missing:
            print(f"Site de démonstration déjà présent dans {workspace.folder}.")
            return 0
        _refuse_if_provisioned(workspace)
    recovery = provision_demo(workspace, args.patients)
    print(f"Site de démonstration créé dans {workspace.folder} / demo site created.")
    print(
        "Comptes de démonstration / demo accounts: admin, crise, ide.urg, ide.med "
        "(mots de passe dans le README / passwords in README)"
    )
    print_recovery(recovery)
    return 0


def register(sub: Any) -> None:
    p = add_command(sub, "init", cmd_init, "provisionner ce poste depuis un fichier de site", auth=False)
    p.add_argument("--site", required=True, help="fichier de site TOML")
    p.add_argument("--workstation", required=True, help="code de ce poste dans le fichier")
    p.add_argument("--admin", required=True, help="identifiant de l'administrateur")
    p.add_argument("--admin-name", help="nom affiché de l'administrateur")

    p = add_command(sub, "demo", cmd_demo, "provisionner le site de démonstration intégré", auth=False)
    p.add_argument("--if-missing", action="store_true", help="ne rien faire s'il existe déjà")
    p.add_argument("--patients", type=int, default=40, help="patients à admettre (40)")
