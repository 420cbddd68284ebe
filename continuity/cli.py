"""``continuity``: command line for IT teams and scripting.

Credentials: ``--user`` or CONTINUITY_USER; the password from a prompt, from
CONTINUITY_PASSWORD, or from standard input with ``--password-stdin``. A new
user's password comes from a prompt or CONTINUITY_NEW_PASSWORD.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import platformdirs

from continuity import __version__
from continuity.dates import parse_date, parse_local_datetime
from continuity.domain.crisis import STATUS_LABELS, DegradedStatus, LogCategory
from continuity.domain.identity import Identity, IdentityStatus, Sex
from continuity.domain.movement import DischargeDestination, DischargeMode
from continuity.domain.records import PatientSummary, Source, StayRecord
from continuity.domain.users import Role, User
from continuity.errors import (
    AuthenticationFailed,
    Conflict,
    ContinuityError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PossibleDuplicates,
)
from continuity.provisioning import load_site, provision, provision_demo
from continuity.services import admin, crisis, patients
from continuity.session import Session, Workspace
from continuity.validation import build

EXIT_CODES: list[tuple[type[ContinuityError], int]] = [
    (InvalidInput, 2),
    (AuthenticationFailed, 3),
    (PermissionDenied, 4),
    (NotFound, 5),
    (PossibleDuplicates, 7),
    (Conflict, 6),
]

Handler = Callable[[argparse.Namespace], int]
# Command groups of the other packages (paper forms, sync): each module has ``register(sub)``.
EXTENSIONS = ("continuity.cli_it", "forms.cli", "sync.cli", "sync.cli_watch")


# ----------------------------------------------------------------- credentials and output
def real_workspace(args: argparse.Namespace) -> Workspace:
    folder = (
        args.data
        or os.environ.get("CONTINUITY_HOME")
        or platformdirs.user_data_dir("continuity-kit", appauthor=False)
    )
    return Workspace(Path(folder))


def _workspace(args: argparse.Namespace) -> Workspace:
    """The data folder, or its exercise store with ``--exercise`` (CONTINUITY_EXERCISE=1)."""
    workspace = real_workspace(args)
    if getattr(args, "exercise", False) or os.environ.get("CONTINUITY_EXERCISE") == "1":
        from continuity.maintenance import exercise_workspace

        return exercise_workspace(workspace)
    return workspace


def _secret(args: argparse.Namespace, env: str, prompt: str) -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    value = os.environ.get(env)
    if value:
        return value
    return getpass.getpass(prompt)


def _new_password(prompt_name: str) -> str:
    value = os.environ.get("CONTINUITY_NEW_PASSWORD")
    if value:
        return value
    first = getpass.getpass(f"Nouveau mot de passe pour {prompt_name} / new password: ")
    if getpass.getpass("Confirmez / confirm: ") != first:
        raise InvalidInput("Les deux mots de passe diffèrent.", "The two passwords differ.")
    return first


def open_session(args: argparse.Namespace) -> Session:
    workspace = _workspace(args)
    if getattr(args, "recovery", False):
        key = _secret(args, "CONTINUITY_RECOVERY_KEY", "Clé de secours / recovery key: ")
        return workspace.unlock_with_recovery(key)
    user = args.user or os.environ.get("CONTINUITY_USER") or input("Utilisateur / user: ")
    password = _secret(args, "CONTINUITY_PASSWORD", f"Mot de passe de {user} / password: ")
    return workspace.unlock(user, password)


def _json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _fmt_dt(value: datetime | None) -> str:
    return value.astimezone().strftime("%d/%m/%Y %H:%M") if value else "-"


def _summary_line(s: PatientSummary, today: date, *, location: bool = True) -> str:
    i = s.patient.identity
    born = ""
    if i.used_name and i.used_name != i.birth_name:
        born = {Sex.F: "née", Sex.M: "né"}.get(i.sex, "né(e)") + f" {i.birth_name} "
    flag = " [IDENTITÉ D'ATTENTE]" if i.placeholder else ""
    where = ""
    if s.stay and location:
        where = f"  {s.stay.uf_code}/{s.stay.bed_code or 'sans lit'}"
        if s.stay.state.value == "leave":
            where += " (absent)"
    return (
        f"{i.display_name}{flag} {born} {i.sex.value} {i.birth_date:%d/%m/%Y} "
        f"({i.age_on(today)} ans)  "
        + ("IPP " if s.patient.source is Source.HIS else "IPP prov. ")
        + s.patient.numbers
        + where
    )


# --------------------------------------------------------------------------- commands
def _refuse_if_provisioned(workspace: Workspace) -> None:
    if workspace.is_provisioned():
        raise Conflict(
            "Ce dossier contient déjà un magasin chiffré.", "This folder already holds an encrypted store."
        )


def cmd_init(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    _refuse_if_provisioned(workspace)
    site = load_site(Path(args.site))
    admin_user = build(
        User,
        {"username": args.admin, "display_name": args.admin_name or args.admin, "role": Role.IT_ADMIN},
        "Administrateur",
        "Administrator",
    )
    password = _new_password(admin_user.username)
    recovery = provision(workspace, site, args.workstation, admin_user, password)
    _print_recovery(recovery)
    return 0


def _print_recovery(key: str) -> None:
    print("CLÉ DE SECOURS / RECOVERY KEY (affichée une seule fois / shown once):")
    print(f"    {key}")
    print("Imprimez-la et mettez-la sous enveloppe scellée dans le kit de crise.")
    print("Print it and seal it in an envelope in the crisis kit.")


def cmd_demo(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
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
    _print_recovery(recovery)
    return 0


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
        admin.add_user(session, user, _new_password(user.username))
    print(f"Utilisateur {user.username} créé / user created.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        users = admin.list_users(session)
    if args.json:
        _json([u.model_dump(mode="json") for u in users])
        return 0
    for u in users:
        state = "" if u.active else "  (désactivé / disabled)"
        print(f"{u.username:<20} {u.role.value:<12} {','.join(u.ufs):<15} {u.display_name}{state}")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        target = args.username or session.user.username
        admin.change_password(session, target, _new_password(target))
    print("Mot de passe changé / password changed.")
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        admin.remove_user(session, args.username)
    print(f"Utilisateur {args.username} supprimé / user removed.")
    return 0


def cmd_recovery_key(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        key = admin.new_recovery_key(session)
    _print_recovery(key)
    print("L'ancienne clé de secours ne fonctionne plus / the old recovery key no longer works.")
    return 0


def _identity_from(args: argparse.Namespace) -> Identity:
    if args.unknown:
        if not args.sex or not args.estimated_birth_year:
            raise InvalidInput(
                "Patient inconnu : --sex et --estimated-birth-year sont requis.",
                "Unknown patient: --sex and --estimated-birth-year are required.",
            )
        return Identity.unknown(Sex(args.sex), args.estimated_birth_year)
    data: dict[str, Any] = {
        "birth_name": args.birth_name,
        "used_name": args.used_name,
        "first_names": [n.strip() for n in (args.first_names or "").split(",") if n.strip()],
        "used_first_name": args.used_first_name,
        "birth_date": parse_date(args.birth_date) if args.birth_date else None,
        "sex": args.sex,
        "birth_place_insee": args.birth_place,
        "ins": args.ins,
        "status": args.identity_status,
    }
    return build(Identity, {k: v for k, v in data.items() if v is not None}, "Identité", "Identity")


def cmd_admit(args: argparse.Namespace) -> int:
    identity = _identity_from(args)
    at = parse_local_datetime(args.at) if args.at else None
    with open_session(args) as session:
        try:
            result = patients.admit(
                session,
                args.uf,
                identity=identity,
                bed_code=args.bed,
                at=at,
                reason=args.reason,
                acknowledge_duplicates=args.confirm_not_duplicate,
                paper_number=args.paper_form,
            )
        except PossibleDuplicates as dup:
            today = session.clock().date()
            print("Identités proches déjà connues / similar existing identities:", file=sys.stderr)
            for pid in dup.candidate_ids:
                record = session.store.patients.get_patient(pid)
                if record:
                    summary = PatientSummary(patient=record, stay=session.store.stays.open_stay(pid))
                    print("  " + _summary_line(summary, today), file=sys.stderr)
            print(
                "Si c'est bien un autre patient : --confirm-not-duplicate "
                "/ if this is another patient: --confirm-not-duplicate",
                file=sys.stderr,
            )
            raise
    if args.json:
        _json(result.model_dump(mode="json"))
    else:
        print(
            f"Admis / admitted: IPP provisoire {result.patient.number}, "
            f"NDA provisoire {result.stay.provisional_nda}, "
            f"{result.stay.uf_code}/{result.stay.bed_code or 'sans lit'}"
        )
    return 0


def _open_stay_id(session: Session, identifier: str) -> str:
    found = patients.find_patient(session, identifier)
    if found.stay is None:
        raise Conflict("Patient non admis : pas de séjour en cours.", "Patient not admitted: no open stay.")
    return found.stay.id


def _on_open_stay(args: argparse.Namespace, action: Callable[[Session, str], StayRecord]) -> int:
    with open_session(args) as session:
        stay = action(session, _open_stay_id(session, args.patient))
    print(
        f"Enregistré / recorded: séjour {stay.number} -> {stay.state.value} "
        f"{stay.uf_code or ''}/{stay.bed_code or '-'}"
    )
    return 0


def _at(args: argparse.Namespace) -> datetime | None:
    return parse_local_datetime(args.at) if args.at else None


def cmd_transfer(args: argparse.Namespace) -> int:
    return _on_open_stay(
        args, lambda s, stay: patients.transfer(s, stay, args.uf, args.bed, at=_at(args), reason=args.reason)
    )


def cmd_leave(args: argparse.Namespace) -> int:
    return _on_open_stay(
        args, lambda s, stay: patients.start_leave(s, stay, at=_at(args), reason=args.reason)
    )


def cmd_return(args: argparse.Namespace) -> int:
    return _on_open_stay(args, lambda s, stay: patients.end_leave(s, stay, at=_at(args), reason=args.reason))


def cmd_discharge(args: argparse.Namespace) -> int:
    mode = DischargeMode[args.mode.upper()]
    destination = DischargeDestination[args.destination.upper()] if args.destination else None
    return _on_open_stay(
        args,
        lambda s, stay: patients.discharge(
            s, stay, mode, destination=destination, destination_detail=args.destination_detail, at=_at(args)
        ),
    )


def cmd_cancel(args: argparse.Namespace) -> int:
    return _on_open_stay(args, lambda s, stay: patients.cancel_last(s, stay, reason=args.reason))


def cmd_census(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        ufs = patients.census(session, args.uf or None)
        site = session.store.reference.site_name()
        today = session.clock().date()
    if args.json:
        _json([u.model_dump(mode="json") for u in ufs])
        return 0
    print(f"{site[1]} — recensement du {datetime.now().astimezone():%d/%m/%Y %H:%M}")
    for uf in ufs:
        print(f"\n{uf.uf_code}  {uf.uf_name}  ({uf.occupied}/{len(uf.beds)} lits occupés / beds)")
        for bed in uf.beds:
            if bed.occupant:
                print(f"  {bed.bed_code:<7} {_summary_line(bed.occupant, today, location=False)}")
            else:
                print(f"  {bed.bed_code:<7} {'— bloqué —' if bed.blocked else '— libre —'}")
        for s in uf.without_bed:
            print(f"  {'sans lit':<7} {_summary_line(s, today, location=False)}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        found = patients.search(session, " ".join(args.query), limit=args.limit)
        today = session.clock().date()
    if args.json:
        _json([s.model_dump(mode="json") for s in found])
    elif not found:
        print("Aucun résultat / no result.")
    for s in [] if args.json else found:
        print(_summary_line(s, today))
    return 0


def cmd_status_show(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        statuses = crisis.service_statuses(session)
    if args.json:
        _json([s.model_dump(mode="json") for s in statuses])
        return 0
    for s in statuses:
        by = f"{s.changed_by} le {_fmt_dt(s.changed_at)}" if s.changed_at else "jamais modifié"
        print(f"{s.code:<10} {STATUS_LABELS[s.status][0]:<40} {by}  {s.note or ''}")
    return 0


def cmd_status_set(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        view = crisis.set_status(session, args.service, DegradedStatus(args.status), args.note)
    print(f"{view.code} -> {STATUS_LABELS[view.status][0]}")
    return 0


def cmd_exercise(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        if args.state is not None:
            crisis.set_exercise_mode(session, args.state == "on")
        on = crisis.exercise_mode(session)
    print(
        "Mode exercice : activé / exercise mode on" if on else "Mode exercice : désactivé / exercise mode off"
    )
    return 0


def cmd_log_add(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        entry = crisis.add_log_entry(session, " ".join(args.text), LogCategory(args.category), args.service)
    print(f"Entrée n°{entry.seq} ajoutée / entry added ({_fmt_dt(entry.at)}).")
    return 0


def cmd_log_show(args: argparse.Namespace) -> int:
    since = parse_local_datetime(args.since) if args.since else None
    with open_session(args) as session:
        entries = crisis.log_entries(
            session,
            since=since,
            category=LogCategory(args.category) if args.category else None,
            service_code=args.service,
            limit=args.limit,
        )
    if args.json:
        _json([e.model_dump(mode="json") for e in entries])
        return 0
    for e in reversed(entries):
        svc = f"[{e.service_code}] " if e.service_code else ""
        print(f"{_fmt_dt(e.at)}  {e.author:<12} {e.category.value:<9} {svc}{e.text}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        check = admin.verify_audit(session)
    if args.json:
        _json({**check.model_dump(), "valid": check.valid})
    elif check.valid:
        print(f"Journal d'audit intègre : {check.entries} entrées / audit chain intact.")
    else:
        where = f"entrée n°{check.first_bad_seq}" if check.first_bad_seq else "fin du journal"
        print(f"JOURNAL D'AUDIT ALTÉRÉ ({where}) / AUDIT LOG TAMPERED WITH.", file=sys.stderr)
    return 0 if check.valid else 8


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
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    p.set_defaults(func=handler)
    if auth:
        _with_auth(p, recovery)
    if json_out:
        p.add_argument("--json", action="store_true", help="sortie JSON / JSON output")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="continuity",
        description="Kit de continuité hospitalière en mode dégradé / hospital continuity kit.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data", help="dossier de données / data folder (CONTINUITY_HOME)")
    parser.add_argument(
        "--exercise",
        action="store_true",
        help="travailler dans la base d'exercice / work in the exercise store (CONTINUITY_EXERCISE=1)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    p = add_command(sub, "init", cmd_init, "provisionner ce poste depuis un fichier de site", auth=False)
    p.add_argument("--site", required=True, help="fichier de site TOML")
    p.add_argument("--workstation", required=True, help="code de ce poste dans le fichier")
    p.add_argument("--admin", required=True, help="identifiant de l'administrateur")
    p.add_argument("--admin-name", help="nom affiché de l'administrateur")

    p = add_command(sub, "demo", cmd_demo, "provisionner le site de démonstration intégré", auth=False)
    p.add_argument("--if-missing", action="store_true", help="ne rien faire s'il existe déjà")
    p.add_argument("--patients", type=int, default=40, help="patients à admettre (40)")

    users = sub.add_parser("user", help="utilisateurs / users").add_subparsers(
        dest="user_command", required=True, metavar="ACTION"
    )
    p = add_command(users, "add", cmd_user_add, "créer un utilisateur")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--uf", action="append", default=[], help="UF (répéter / repeat)")
    p.add_argument("--name", help="nom affiché")
    add_command(users, "list", cmd_user_list, "lister les utilisateurs", json_out=True)
    p = add_command(users, "passwd", cmd_user_passwd, "changer un mot de passe", recovery=True)
    p.add_argument("username", nargs="?")
    p = add_command(users, "remove", cmd_user_remove, "supprimer un utilisateur")
    p.add_argument("username")

    add_command(sub, "recovery-key", cmd_recovery_key, "générer une nouvelle clé de secours")

    p = add_command(sub, "admit", cmd_admit, "admettre un patient", json_out=True)
    p.add_argument("--uf", required=True)
    p.add_argument("--bed")
    p.add_argument("--birth-name", help="nom de naissance")
    p.add_argument("--used-name", help="nom utilisé")
    p.add_argument("--first-names", help="prénoms de naissance, séparés par des virgules")
    p.add_argument("--used-first-name", help="prénom utilisé")
    p.add_argument("--birth-date", help="date de naissance JJ/MM/AAAA")
    p.add_argument("--sex", choices=[s.value for s in Sex])
    p.add_argument("--birth-place", help="code INSEE du lieu de naissance")
    p.add_argument("--ins", help="matricule INS")
    p.add_argument("--identity-status", choices=[s.value for s in IdentityStatus])
    p.add_argument("--unknown", action="store_true", help="patient inconnu (identité d'attente)")
    p.add_argument("--estimated-birth-year", type=int)
    p.add_argument("--at", help="date et heure JJ/MM/AAAA HH:MM (maintenant par défaut)")
    p.add_argument("--reason", help="motif")
    p.add_argument(
        "--confirm-not-duplicate",
        action="store_true",
        help="confirmer après vérification que ce n'est pas un doublon",
    )
    p.add_argument(
        "--paper-form",
        metavar="NUMERO",
        help="ressaisie d'un formulaire papier pré-numéroté : son numéro devient l'IPP provisoire",
    )

    p = add_command(sub, "transfer", cmd_transfer, "muter un patient (UF et/ou lit)")
    p.add_argument("patient", help="IPP provisoire, IPP ou NDA")
    p.add_argument("--uf", required=True)
    p.add_argument("--bed")
    p.add_argument("--at", help="date et heure JJ/MM/AAAA HH:MM (maintenant par défaut)")
    p.add_argument("--reason")

    for name, handler, text in (
        ("leave", cmd_leave, "début d'absence temporaire"),
        ("return", cmd_return, "retour d'absence temporaire"),
    ):
        p = add_command(sub, name, handler, text)
        p.add_argument("patient")
        p.add_argument("--at")
        p.add_argument("--reason")

    p = add_command(sub, "discharge", cmd_discharge, "sortie d'un patient")
    p.add_argument("patient")
    p.add_argument("--mode", required=True, choices=[m.name.lower() for m in DischargeMode])
    p.add_argument("--destination", choices=[d.name.lower() for d in DischargeDestination])
    p.add_argument("--destination-detail", help="établissement ou précision")
    p.add_argument("--at")

    p = add_command(sub, "cancel", cmd_cancel, "annuler le dernier mouvement")
    p.add_argument("patient")
    p.add_argument("--reason")

    p = add_command(sub, "census", cmd_census, "recensement : qui est dans quel lit", json_out=True)
    p.add_argument("--uf", action="append", default=[])

    p = add_command(sub, "search", cmd_search, "rechercher un patient", json_out=True)
    p.add_argument("query", nargs="+", help="nom (début), date de naissance, identifiant")
    p.add_argument("--limit", type=int, default=50)

    status = sub.add_parser("status", help="statut mode dégradé par service").add_subparsers(
        dest="status_command", required=True, metavar="ACTION"
    )
    add_command(status, "show", cmd_status_show, "afficher les statuts", json_out=True)
    p = add_command(status, "set", cmd_status_set, "changer le statut d'un service")
    p.add_argument("service")
    p.add_argument("status", choices=[s.value for s in DegradedStatus])
    p.add_argument("--note")

    p = add_command(status, "exercise", cmd_exercise, "mode exercice (drill) : afficher ou changer")
    p.add_argument("state", nargs="?", choices=["on", "off"])

    log = sub.add_parser("log", help="main courante").add_subparsers(
        dest="log_command", required=True, metavar="ACTION"
    )
    p = add_command(log, "add", cmd_log_add, "ajouter une entrée à la main courante")
    p.add_argument("text", nargs="+")
    p.add_argument("--category", default="info", choices=[c.value for c in LogCategory])
    p.add_argument("--service")
    p = add_command(log, "show", cmd_log_show, "afficher la main courante", json_out=True)
    p.add_argument("--since")
    p.add_argument("--category", choices=[c.value for c in LogCategory])
    p.add_argument("--service")
    p.add_argument("--limit", type=int, default=200)

    audit_cmd = sub.add_parser("audit", help="journal d'audit").add_subparsers(
        dest="audit_command", required=True, metavar="ACTION"
    )
    add_command(audit_cmd, "verify", cmd_audit_verify, "vérifier la chaîne du journal d'audit", json_out=True)
    for module in EXTENSIONS:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ContinuityError as exc:
        print(exc.bilingual(), file=sys.stderr)
        return next((code for kind, code in EXIT_CODES if isinstance(exc, kind)), 1)
    except KeyboardInterrupt:
        print("\nInterrompu / interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        # An unexpected fault: name its type only, since its text could quote patient data.
        if os.environ.get("CONTINUITY_DEBUG"):
            raise
        print(
            f"Erreur interne inattendue ({type(exc).__name__}) : vérifiez si l'action a été "
            "enregistrée avant de la refaire. Détail : relancez avec CONTINUITY_DEBUG=1.\n"
            f"(Unexpected internal error ({type(exc).__name__}): check whether the action was "
            "saved before doing it again. Details: run again with CONTINUITY_DEBUG=1.)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
