"""What every command group shares: data folder, credentials, sessions, output, parser helpers.

Data folder: ``--data``, else CONTINUITY_HOME, else the platform's user data
folder; ``--exercise`` (or CONTINUITY_EXERCISE=1) works in its exercise store.
Credentials: ``--user`` or CONTINUITY_USER; the password from a prompt, from
CONTINUITY_PASSWORD, or from standard input with ``--password-stdin``. A new
user's password comes from a prompt or CONTINUITY_NEW_PASSWORD.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs

from continuity.dates import age_text
from continuity.errors import InvalidInput
from continuity.rekey import Rotation
from continuity.session import Session, Workspace

Handler = Callable[[argparse.Namespace], int]


# ----------------------------------------------------------------- data folder and credentials
def real_workspace(args: argparse.Namespace) -> Workspace:
    """The data folder itself, whatever ``--exercise`` says."""
    folder = (
        args.data
        or os.environ.get("CONTINUITY_HOME")
        or platformdirs.user_data_dir("continuity-kit", appauthor=False)
    )
    return Workspace(Path(folder))


def resolve_workspace(args: argparse.Namespace) -> Workspace:
    """The data folder, or its exercise store with ``--exercise`` (CONTINUITY_EXERCISE=1)."""
    workspace = real_workspace(args)
    if getattr(args, "exercise", False) or os.environ.get("CONTINUITY_EXERCISE") == "1":
        from continuity.maintenance import exercise_workspace

        return exercise_workspace(workspace)
    return workspace


def read_secret(args: argparse.Namespace, env: str, prompt: str) -> str:
    """A password or key: from standard input (``--password-stdin``), the variable ``env``, or a prompt."""
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    value = os.environ.get(env)
    if value:
        return value
    return getpass.getpass(prompt)


def new_password(prompt_name: str) -> str:
    value = os.environ.get("CONTINUITY_NEW_PASSWORD")
    if value:
        return value
    first = getpass.getpass(f"Nouveau mot de passe pour {prompt_name} / new password: ")
    if getpass.getpass("Confirmez / confirm: ") != first:
        raise InvalidInput("Les deux mots de passe diffèrent.", "The two passwords differ.")
    return first


def open_session(args: argparse.Namespace) -> Session:
    workspace = resolve_workspace(args)
    if getattr(args, "recovery", False):
        key = read_secret(args, "CONTINUITY_RECOVERY_KEY", "Clé de secours / recovery key: ")
        session = workspace.unlock_with_recovery(key)
    else:
        user = args.user or os.environ.get("CONTINUITY_USER") or input("Utilisateur / user: ")
        password = read_secret(args, "CONTINUITY_PASSWORD", f"Mot de passe de {user} / password: ")
        session = workspace.unlock(user, password)
    for fr, en in session.notices:  # a slot-file counter set back...
        print(f"ATTENTION : {fr}\nWARNING: {en}", file=sys.stderr)
    return session


# --------------------------------------------------------------------------- output
def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def fmt_dt(value: datetime | None) -> str:
    """A moment in local time, as ``31/12/2026 23:59`` (``-`` when there is none)."""
    return value.astimezone().strftime("%d/%m/%Y %H:%M") if value else "-"


def fmt_age(delta: timedelta | None) -> str:
    """``continuity.dates.age_text``, or ``aucun / none`` when there is no age."""
    return "aucun / none" if delta is None else age_text(delta)


def print_recovery(key: str) -> None:
    print("CLÉ DE SECOURS / RECOVERY KEY (affichée une seule fois / shown once):")
    print(f"    {key}")
    print("Imprimez-la et mettez-la sous enveloppe scellée dans le kit de crise.")
    print("Print it and seal it in an envelope in the crisis kit.")


def print_rotation(rotation: Rotation) -> None:
    """What a re-key did, or why it waits (``continuity keys rotate``)."""
    if not rotation.done and (rotation.must_sign_in or rotation.recovery_unconverted):
        names = ", ".join(rotation.must_sign_in)
        if names:
            print(
                f"Changement de la clé de la base reporté : ces comptes (ancien format, pas de connexion "
                f"depuis la mise à jour) perdraient l'accès : {names}. Qu'ils se connectent une fois (ou "
                "donnez-leur un nouveau mot de passe), puis lancez « continuity keys rotate ».\n"
                f"Re-key of the database postponed: these accounts (old format, no sign-in since the "
                f"upgrade) would lose access: {names}. Have them sign in once (or give them a new "
                "password), then run 'continuity keys rotate'."
            )
        if rotation.recovery_unconverted:
            print(
                "La clé de secours est de l'ancien format : remplacez-la (« continuity recovery-key »), "
                "ce qui change aussi la clé de la base.\n"
                "The recovery key is of the old format: replace it ('continuity recovery-key'), which "
                "also re-keys the database."
            )
        return
    if not rotation.done:
        print(
            "Changement de la clé de la base en attente : la base est ouverte ailleurs. Fermez-la "
            "partout puis lancez « continuity keys rotate ».\n"
            "Re-key of the database pending: the store is open elsewhere. Close it everywhere, "
            "then run 'continuity keys rotate'."
        )
        return
    print(
        "Clé de la base changée : base et copies re-chiffrées / database key changed: store "
        f"and copies re-encrypted ({rotation.copies_rekeyed} copie(s) / copies)."
    )
    if rotation.slots_dropped:
        names = ", ".join(rotation.slots_dropped)
        print(
            f"Emplacements de clé inconnus de la base retirés (fichier des clés modifié) : {names}.\n"
            f"Key slots the store did not know removed (key-slot file edited): {names}."
        )
    if rotation.users_without_slot:
        names = ", ".join(rotation.users_without_slot)
        print(
            f"Ces comptes n'ouvrent plus la base (pas de connexion depuis la mise à jour) : {names}. "
            "L'administrateur doit leur donner un nouveau mot de passe (continuity user passwd NOM).\n"
            f"These accounts no longer open the store (no sign-in since the upgrade): {names}. "
            "The administrator must give them a new password (continuity user passwd NAME)."
        )
    for folder in rotation.copies_unreadable:
        print(f"Copie illisible laissée telle quelle / unreadable copy left as is: {folder}")


# --------------------------------------------------------------------------- parser
def _with_auth(p: argparse.ArgumentParser, recovery: bool = False) -> None:
    p.add_argument("--user", help="utilisateur / user name (CONTINUITY_USER)")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="lire le mot de passe sur l'entrée standard / read password from stdin",
    )
    if recovery:
        p.add_argument(
            "--recovery",
            action="store_true",
            help="déverrouiller avec la clé de secours / unlock with the recovery key",
        )


def add_command(
    sub: Any,
    name: str,
    handler: Handler,
    help_text: str,
    *,
    auth: bool = True,
    json_out: bool = False,
    recovery: bool = False,
) -> argparse.ArgumentParser:
    """One command (or action of a group): its handler, and the credential and ``--json`` options."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    p.set_defaults(func=handler)
    if auth:
        _with_auth(p, recovery)
    if json_out:
        p.add_argument("--json", action="store_true", help="sortie JSON / JSON output")
    return p


def add_group(sub: Any, name: str, help_text: str, dest: str, metavar: str = "ACTION") -> Any:
    """A command with actions (``user add``, ``log show``...): the subparsers of its actions."""
    return sub.add_parser(name, help=help_text).add_subparsers(dest=dest, required=True, metavar=metavar)
