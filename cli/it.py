"""Commands for IT teams: ``audit verify``, ``doctor``, ``backup``, ``upgrade rollback``, ``exercise``.

continuity audit verify [--witness N:H]   the audit chain, the records, the witnesses (exit 8 if broken)
continuity audit witness                  this workstation's signed head, the heads received from others
continuity audit witness --acknowledge R  (IT) a witness file found missing or not held: seen, why
continuity doctor [--json] [--user U]     pass / warn / fail (exit 9 on a failure)
continuity backup create DIR | restore DIR [--replace]
continuity upgrade rollback               the store as it was before the last upgrade
continuity exercise start | stop [--delete] | status
continuity keys rotate [--reason TEXT]    a fresh database key (store and copies re-encrypted)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from cli.common import (
    add_command,
    add_group,
    fmt_dt,
    open_session,
    print_json,
    print_recovery,
    print_rotation,
    read_secret,
    real_workspace,
    resolve_workspace,
)
from continuity import __version__, doctor, maintenance, upgrade, witness
from continuity.domain.transport import SyncthingState
from continuity.errors import AuthenticationFailed, ContinuityError, InvalidInput, PermissionDenied
from continuity.keyslots import now_utc
from continuity.services import admin, exchange_peers, witnesses
from continuity.session import Session, Workspace
from sync import syncthing

EXIT_AUDIT_BROKEN = 8
EXIT_DOCTOR_FAIL = 9


RECORD_PROBLEMS = {
    "altered": ("modifié hors du kit", "changed outside the kit"),
    "uncommitted": ("absent du journal", "not in the audit chain"),
    "missing": ("supprimé hors du kit", "deleted outside the kit"),
    "changed_outside": ("modifié hors du kit puis réécrit", "changed outside the kit, then written over"),
}
SHOWN_PROBLEMS = 20


def cmd_audit_verify(args: argparse.Namespace) -> int:
    given = [witness.parse_given(text) for text in args.witness or []]
    with open_session(args) as session:
        check = admin.verify_audit(session, given)
    if args.json:
        print_json({**check.model_dump(mode="json"), "valid": check.valid})
    elif check.valid:
        print(
            f"Journal d'audit intègre : {check.entries} entrées, l'état de chaque enregistrement "
            "y est engagé / audit chain intact, every record's state committed in it."
        )
    else:
        if not (check.ok and check.head_matches):
            where = f"entrée n°{check.first_bad_seq}" if check.first_bad_seq else "fin du journal"
            print(f"JOURNAL D'AUDIT ALTÉRÉ ({where}) / AUDIT LOG TAMPERED WITH.", file=sys.stderr)
        if check.records:
            print(
                f"{len(check.records)} ENREGISTREMENT(S) NE CORRESPONDENT PAS AU JOURNAL / "
                "RECORD(S) NOT MATCHING THE AUDIT CHAIN:",
                file=sys.stderr,
            )
            for p in check.records[:SHOWN_PROBLEMS]:
                fr, en = RECORD_PROBLEMS.get(p.kind, (p.kind, p.kind))
                seq = f" (entrée n°{p.seq})" if p.seq else ""
                print(f"  {p.table} {p.key} : {fr} / {en}{seq}", file=sys.stderr)
            if len(check.records) > SHOWN_PROBLEMS:
                print(f"  ... et {len(check.records) - SHOWN_PROBLEMS} autre(s) / more", file=sys.stderr)
        for w in check.witnesses:
            if not w.ok:
                where = f" n°{w.seq}" if w.seq is not None else ""
                where += f" {w.short}" if w.short else ""
                print(
                    f"TÉMOIN ({WITNESS_SOURCES[w.source][0]}){where} : {w.problem_fr} / "
                    f"WITNESS ({WITNESS_SOURCES[w.source][1]}){where}: {w.problem_en}",
                    file=sys.stderr,
                )
    return 0 if check.valid else EXIT_AUDIT_BROKEN


WITNESS_SOURCES = {
    "file": ("fichier témoin", "witness file"),
    "export": ("dernier lot exporté", "last bundle exported"),
    "given": ("donné", "given"),
    "recorded": ("constat à l'ouverture", "recorded at unlock"),
}


def cmd_audit_witness(args: argparse.Namespace) -> int:
    """This workstation's signed head, and the heads of the others held here; or (IT)
    acknowledge the findings about the witness file."""
    if args.acknowledge is not None:
        with open_session(args) as session:
            count = witnesses.acknowledge(session, args.acknowledge)
        print(
            f"{count} constat(s) sur le fichier témoin acquitté(s), noté au journal d'audit / "
            f"{count} finding(s) about the witness file acknowledged, recorded in the audit log."
        )
        return 0
    with open_session(args) as session:
        own = witnesses.own_head(session)
        peers = witnesses.peer_heads(session)
    if args.json:
        print_json(
            {
                "own": own.model_dump(mode="json") if own else None,
                "peers": [p.model_dump(mode="json") for p in peers],
            }
        )
    else:
        if own is not None:
            print(f"Ce poste / this workstation: {witness.head_line(own)}   [{own.seq}:{own.short}]")
        for p in peers:
            print(f"Reçu / received: {witness.head_line(p.head)}   [{p.head.seq}:{p.head.short}]")
            if p.contradicted_by is not None:
                print(
                    f"  CONTREDIT par son lot suivant / CONTRADICTED by its next bundle: "
                    f"{witness.head_line(p.contradicted_by)} (journal coupé ou réécrit / chain cut "
                    "or rewritten)",
                    file=sys.stderr,
                )
        print(
            "Vérifier un poste avec / check a workstation with: continuity audit verify --witness N:EMPREINTE"
        )
    return EXIT_AUDIT_BROKEN if any(p.contradicted_by for p in peers) else 0


def _syncthing_state(workspace: Workspace, session: Session | None) -> SyncthingState | None:
    """The kit's Syncthing probed where the site uses it (unknown without a user: where it ran)."""
    home = syncthing.Instance.of(workspace.folder).home
    if session is not None:
        if not exchange_peers.transport(session).syncthing:
            return None
    elif not (home / syncthing.CONFIG_NAME).is_file():
        return None
    return syncthing.probe(home)


def cmd_doctor(args: argparse.Namespace) -> int:
    workspace = resolve_workspace(args)
    session = None
    open_error = None
    if (args.user or os.environ.get("CONTINUITY_USER")) and workspace.is_provisioned():
        try:
            session = open_session(args)
        except (AuthenticationFailed, PermissionDenied):
            raise
        except Exception as exc:  # the store itself is the problem: report it
            open_error = (
                (exc.message_fr, exc.message_en)
                if isinstance(exc, ContinuityError)
                else (
                    f"Base illisible ({type(exc).__name__}).",
                    f"Database unreadable ({type(exc).__name__}).",
                )
            )
    try:
        report = doctor.run(workspace, now_utc(), session, open_error, _syncthing_state(workspace, session))
    finally:
        if session is not None:
            session.lock()
    if args.json:
        print_json({**report.model_dump(mode="json"), "worst": report.worst.value})
    else:
        doctor.print_report(report, english=False, out=print)
    return EXIT_DOCTOR_FAIL if report.worst is doctor.Level.FAIL else 0


def cmd_backup_create(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        folder = admin.backup(session, Path(args.destination))
    print(f"Sauvegarde chiffrée / encrypted backup: {folder}")
    return 0


def cmd_backup_list(args: argparse.Namespace) -> int:
    found = maintenance.list_backups(Path(args.folder))
    if not found:
        print("Aucune sauvegarde du kit dans ce dossier / no backup of the kit in this folder.")
    for b in found:
        when = fmt_dt(b.modified_at)
        if b.complete:
            print(f"{b.path.name}  {when}  complète / complete")
        else:
            print(
                f"{b.path.name}  {when}  INCOMPLÈTE (interrompue) : ne pas restaurer, à supprimer / "
                "INCOMPLETE (interrupted): do not restore, delete it"
            )
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    workspace = resolve_workspace(args)
    backup = Path(args.backup)
    if getattr(args, "recovery", False):
        maintenance.check_backup(
            backup, None, read_secret(args, "CONTINUITY_RECOVERY_KEY", "Clé de secours / recovery key: ")
        )
    else:
        user = args.user or os.environ.get("CONTINUITY_USER")
        if not user:
            raise InvalidInput(
                "Indiquez l'administrateur (--user) ou --recovery.",
                "Give the administrator (--user) or --recovery.",
            )
        maintenance.check_backup(
            backup, user, read_secret(args, "CONTINUITY_PASSWORD", f"Mot de passe de {user} / password: ")
        )
    aside = maintenance.restore_backup(backup, workspace, replace=args.replace)
    if aside is not None:
        print(f"Base précédente mise de côté / previous database moved aside: {aside}")
    with open_session(args) as session:  # the restored store opens here, and is whole
        ok = admin.integrity_ok(session)
        ws = admin.workstation_info(session)
    print(
        f"Restaurée / restored in {workspace.folder}: poste / workstation {ws.workstation_code}, "
        f"intégrité / integrity {'OK' if ok else 'ÉCHEC / FAILED'}"
    )
    return 0 if ok else EXIT_DOCTOR_FAIL


def cmd_rollback(args: argparse.Namespace) -> int:
    done = upgrade.rollback_upgrade(resolve_workspace(args), args.kit)
    if done is None:
        print(
            f"La version {args.kit} du kit n'a pas changé le schéma de cette base : rien à "
            f"remettre. / Kit {args.kit} did not change this database's schema: nothing to "
            "put back."
        )
        return 0
    source, aside = done
    print(
        f"Base d'avant la mise à jour remise en place / pre-upgrade database restored: {source}\n"
        f"Base mise à jour mise de côté (rien n'est effacé) / upgraded database kept aside: "
        f"{aside}\nRelancez la version précédente du kit (install.sh --rollback). / Start the "
        "previous version of the kit (install.sh --rollback)."
    )
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    def show(key: str) -> None:
        print("L'ancienne clé de secours ne peut pas suivre : en voici une nouvelle.")
        print("The old recovery key cannot follow: here is a new one.")
        print_recovery(key)

    with open_session(_real(args)) as session:
        rotation = admin.rotate_key(
            session, args.reason, drop_unconverted=args.drop_unconverted, show_recovery=show
        )
    print_rotation(rotation)
    return 0


def cmd_exercise_start(args: argparse.Namespace) -> int:
    with open_session(_real(args)) as session:
        drill = maintenance.start_exercise(session)
    print(
        f"Exercice prêt / exercise ready: {drill.folder}\n"
        "Travaillez avec --exercise (ou continuity-app --exercise) : mêmes comptes, bandeau "
        "EXERCICE, aucune donnée réelle touchée. / Work with --exercise: same accounts, "
        "EXERCICE banner, no real data touched."
    )
    return 0


def cmd_exercise_stop(args: argparse.Namespace) -> int:
    with open_session(_real(args)) as session:
        kept = maintenance.stop_exercise(session, delete=args.delete)
    print(
        "Exercice terminé / exercise ended"
        + (
            f" ; base conservée pour le retour d'expérience / kept for the debriefing: {kept}"
            if kept
            else " ; base effacée / deleted"
        )
    )
    return 0


def cmd_exercise_status(args: argparse.Namespace) -> int:
    drill = maintenance.exercise_workspace(real_workspace(args))
    running = drill.is_provisioned()
    print(
        f"Exercice en cours / exercise running: {drill.folder}"
        if running
        else "Aucun exercice en cours / no exercise running"
    )
    return 0


def _real(args: argparse.Namespace) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), "exercise": False})


def register(sub: Any) -> None:
    audit = add_group(sub, "audit", "journal d'audit", "audit_command")
    v = add_command(audit, "verify", cmd_audit_verify, "vérifier la chaîne du journal d'audit", json_out=True)
    v.add_argument(
        "--witness",
        action="append",
        metavar="N:EMPREINTE",
        help="tête vue ailleurs (autre poste, point de situation) : l'entrée N doit avoir cette empreinte",
    )
    w = add_command(
        audit,
        "witness",
        cmd_audit_witness,
        "tête signée de ce poste et têtes reçues des autres",
        json_out=True,
    )
    w.add_argument(
        "--acknowledge",
        metavar="RAISON",
        help="(informatique) acquitter un fichier témoin absent ou non tenu, avec la raison",
    )

    add_command(sub, "doctor", cmd_doctor, "vérifier que ce poste fonctionnerait aujourd'hui", json_out=True)
    backup = add_group(sub, "backup", "sauvegarde chiffrée / restauration", "backup_command")
    b = add_command(backup, "create", cmd_backup_create, "sauvegarder vers un support amovible")
    b.add_argument("destination", help="dossier du support (clé USB...)")
    ls = add_command(
        backup, "list", cmd_backup_list, "sauvegardes d'un support, complètes ou interrompues", auth=False
    )
    ls.add_argument("folder", help="dossier du support (clé USB...)")
    r = add_command(
        backup,
        "restore",
        cmd_backup_restore,
        "restaurer une sauvegarde (poste de remplacement)",
        recovery=True,
    )
    r.add_argument("backup", help="dossier de la sauvegarde")
    r.add_argument("--replace", action="store_true", help="mettre de côté la base existante")
    upgrade = add_group(sub, "upgrade", "mises à jour du kit", "upgrade_command")
    u = add_command(
        upgrade,
        "rollback",
        cmd_rollback,
        "remettre la base d'avant la mise à jour faite par cette version",
        auth=False,
    )
    u.add_argument(
        "--kit", default=__version__, help="version du kit dont on annule la migration (celle-ci par défaut)"
    )
    keys = add_group(sub, "keys", "clés de la base / database keys", "keys_command")
    k = add_command(
        keys,
        "rotate",
        cmd_keys_rotate,
        "changer la clé de la base (après un départ, un poste ou une clé USB perdus)",
        recovery=True,
    )
    k.add_argument("--reason", default="", help="raison notée au journal d'audit (poste perdu...)")
    k.add_argument(
        "--drop-unconverted",
        action="store_true",
        help="retirer l'accès aux comptes de l'ancien format (pas de connexion depuis la mise à jour)",
    )
    exercise = add_group(sub, "exercise", "exercice de crise (base séparée)", "exercise_command")
    add_command(exercise, "start", cmd_exercise_start, "préparer la base d'exercice")
    s = add_command(exercise, "stop", cmd_exercise_stop, "terminer l'exercice")
    s.add_argument("--delete", action="store_true", help="effacer la base d'exercice")
    add_command(exercise, "status", cmd_exercise_status, "exercice en cours ?", auth=False)
