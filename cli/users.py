"""``continuity user add | list | passwd | remove`` and ``continuity recovery-key``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.common import (
    add_command,
    add_group,
    new_password,
    open_session,
    print_json,
    print_recovery,
    print_rotation,
)
from continuity.domain.users import Role, User
from continuity.errors import ContinuityError
from continuity.services import admin
from continuity.validation import build


def cmd_user_add(args: argparse.Namespace) -> int:
    user = build(
        User,
        {
            "username": args.username,
            "display_name": args.name or args.username,
            "role": args.role,
            "ufs": tuple(u.strip().upper() for u in args.uf),
        },
        "Utilisateur",
        "User",
    )
    with open_session(args) as session:
        admin.add_user(session, user, new_password(user.username))
    print(f"Utilisateur {user.username} créé / user created.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        users = admin.list_users(session)
    if args.json:
        print_json([u.model_dump(mode="json") for u in users])
        return 0
    for u in users:
        state = "" if u.active else "  (désactivé / disabled)"
        print(f"{u.username:<20} {u.role.value:<18} {','.join(u.ufs):<15} {u.display_name}{state}")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    rotation = None
    with open_session(args) as session:
        target = args.username or session.user.username
        admin.change_password(session, target, new_password(target))
        by_other = target.strip().lower() != session.user.username
        if args.rotate:
            rotation = admin.rotate_key(session, f"user.password {target}")
    print("Mot de passe changé / password changed.")
    if rotation is not None:
        print_rotation(rotation)
    elif by_other:
        print(
            "Un changement de mot de passe ne change pas la clé de la base : une ancienne copie de "
            "keyslots.json et l'ancien mot de passe la donnent encore. Si ce compte est peut-être "
            "compromis, lancez « continuity keys rotate » (ou refaites avec --rotate).\n"
            "A password change does not re-key the database: an old copy of keyslots.json and the "
            "old password still give its key. If this account may be compromised, run "
            "'continuity keys rotate' (or do it again with --rotate)."
        )
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        rotation = admin.remove_user(session, args.username)
    print(f"Utilisateur {args.username} supprimé / user removed.")
    print_rotation(rotation)
    return 0


def cmd_recovery_key(args: argparse.Namespace) -> int:
    shown: list[str] = []

    def show(key: str) -> None:  # before the old key is replaced
        print_recovery(key)
        shown.append(key)

    with open_session(args) as session:
        try:
            change = admin.new_recovery_key(session, show, drop_unconverted=args.drop_unconverted)
        except ContinuityError:
            if shown:
                print(
                    "ÉCHEC : la clé de secours affichée ci-dessus n'est PAS valable ; l'ancienne reste "
                    "valable.\nFAILED: the recovery key shown above is NOT valid; the old one still works.",
                    file=sys.stderr,
                )
            raise
    print("L'ancienne clé de secours ne fonctionne plus / the old recovery key no longer works.")
    print_rotation(change.rotation)
    return 0


def register(sub: Any) -> None:
    users = add_group(sub, "user", "utilisateurs / users", "user_command")
    p = add_command(users, "add", cmd_user_add, "créer un utilisateur")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--uf", action="append", default=[], help="UF (répéter / repeat)")
    p.add_argument("--name", help="nom affiché")
    add_command(users, "list", cmd_user_list, "lister les utilisateurs", json_out=True)
    p = add_command(users, "passwd", cmd_user_passwd, "changer un mot de passe", recovery=True)
    p.add_argument("username", nargs="?")
    p.add_argument(
        "--rotate",
        action="store_true",
        help="changer aussi la clé de la base (compte peut-être compromis) / also re-key",
    )
    p = add_command(users, "remove", cmd_user_remove, "supprimer un utilisateur")
    p.add_argument("username")

    r = add_command(sub, "recovery-key", cmd_recovery_key, "générer une nouvelle clé de secours")
    r.add_argument(
        "--drop-unconverted",
        action="store_true",
        help="retirer l'accès aux comptes de l'ancien format (pas de connexion depuis la mise à jour)",
    )
