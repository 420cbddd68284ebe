"""``continuity sync``: hand the outage's records back to the HIS, and follow it.

    continuity sync --to mllp://HOST:PORT | mllps://... | fhir+https://BASE | file:DIR
    continuity sync status | errors | resend EVENT | config ... | mapping [--csv F]
    continuity sync map PROVISIONAL_IPP IPP | confirm ID | reject ID | merges FILE.hl7

Exit codes of a delivery run: 0 everything delivered, 10 some events refused
by the HIS (see ``sync errors``), 11 stopped before the end (HIS unreachable).
"""

from __future__ import annotations

import argparse
import io
import sys
import threading
from pathlib import Path
from typing import Any

from cli.common import add_command, fmt_dt, open_session, print_json
from continuity.domain.outbox import (
    EVENT_KIND_LABELS,
    EVENT_STATUS_LABELS,
    MAPPING_STATUS_LABELS,
    MappingStatus,
)
from continuity.errors import InvalidInput
from continuity.folders import open_private
from continuity.services import reconciliation, sync_state
from continuity.text import for_display, write_dicts
from sync import engine
from sync.endpoints import parse_target
from sync.merges import import_merges

EXIT_REFUSED = 10
EXIT_STOPPED = 11


def _printer(quiet: bool) -> engine.ProgressFn:
    tty = sys.stderr.isatty()
    state = {"last": -1}

    def show(p: engine.Progress) -> None:
        if quiet:
            return
        if p.note_fr and p.note_fr != "Terminé.":
            print(f"  {for_display(p.note_fr)} / {for_display(p.note_en)}", file=sys.stderr)
        step = max(p.total // 20, 1)
        if tty or p.done // step != state["last"]:
            state["last"] = p.done // step
            end = "\r" if tty else "\n"
            print(
                f"  {p.done}/{p.total} traités / processed, {p.acknowledged} acceptés / "
                f"acknowledged, {p.refused} refusés / refused",
                end=end,
                file=sys.stderr,
            )

    return show


def cmd_run(args: argparse.Namespace) -> int:
    options = engine.SyncOptions(timeout=args.timeout, attempts=args.attempts, tls_ca=args.ca_file)
    cancel = threading.Event()
    with open_session(args) as session:
        try:
            report = engine.synchronise(
                session,
                args.to,
                options=options,
                progress=_printer(args.quiet),
                cancel=cancel,
                export_all=args.all,
            )
        except KeyboardInterrupt:
            cancel.set()
            raise
    if args.json:
        print_json(report.model_dump(mode="json"))
    else:
        print(file=sys.stderr)
        print(f"Destination : {report.target}")
        print(f"Acceptés par le DPI / acknowledged : {report.acknowledged}")
        if report.exported:
            print(f"Exportés dans des fichiers / exported to files : {report.exported}")
            for name in report.files:
                print(f"    {name}")
        print(f"Refusés (file d'erreurs) / refused (error queue) : {report.refused}")
        print(f"Restant à envoyer / still to send : {report.remaining}")
        if report.stopped_fr:
            print(f"ARRÊT : {for_display(report.stopped_fr)}\nSTOPPED: {for_display(report.stopped_en)}")
    if report.stopped_fr:
        return EXIT_STOPPED
    return EXIT_REFUSED if report.refused else 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        st = sync_state.status(session)
    if args.json:
        print_json(
            {
                "phase": st.phase.value,
                "counts": {k.value: v for k, v in st.counts.items()},
                "backlog": st.backlog,
                "his_endpoint": st.his_endpoint,
                "exercise_endpoint": st.exercise_endpoint,
                "last_run": st.last_run.model_dump(mode="json") if st.last_run else None,
            }
        )
        return 0
    fr, en = sync_state.PHASE_LABELS[st.phase]
    print(f"État / state : {fr} / {en}")
    for status, n in st.counts.items():
        label_fr, label_en = EVENT_STATUS_LABELS[status]
        print(f"  {label_fr:<28} {n:>7}   ({label_en})")
    print(f"Reste à envoyer / backlog : {st.backlog}")
    print(f"DPI : {st.his_endpoint or '-'}   exercice / drill : {st.exercise_endpoint or '-'}")
    if st.last_run:
        r = st.last_run
        print(
            f"Dernier envoi / last run : {fmt_dt(r.finished_at)} -> "
            f"{r.target} : {r.acknowledged} acceptés, {r.refused} refusés, "
            f"{r.remaining} restants"
            + (f" (arrêt : {for_display(r.stopped_reason)})" if r.stopped_reason else "")
        )
    return 0


def cmd_errors(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        views = sync_state.refused_events(session)
    if args.json:
        print_json(
            [
                {
                    "event_id": v.event.event_id,
                    "kind": v.event.kind,
                    "provisional_ipp": v.provisional_ipp,
                    "provisional_nda": v.provisional_nda,
                    "his_reply": v.event.his_reply,
                    "waiting_behind": v.waiting_behind,
                }
                for v in views
            ]
        )
        return 0
    if not views:
        print("Aucun événement refusé / no refused event.")
    for v in views:
        kind_fr, _ = EVENT_KIND_LABELS.get(v.event.kind, (v.event.kind, v.event.kind))
        print(
            f"{v.event.event_id}  {kind_fr:<24} IPP prov. {v.provisional_ipp}  "
            f"NDA prov. {v.provisional_nda or '-'}  ({v.waiting_behind} en attente derrière)"
        )
        print(f"    DPI : {for_display(v.event.his_reply) or '-'}")
    return 0


def cmd_resend(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        sync_state.resend(session, args.event)
    print("Remis en file d'envoi / queued again.")
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    for value in (args.his, args.exercise):
        if value:
            parse_target(value)
    with open_session(args) as session:
        sync_state.set_endpoints(
            session,
            args.his,
            args.exercise,
            his_ipp_system=args.his_ipp_system,
            his_nda_system=args.his_nda_system,
            his_authority=args.his_authority,
        )
        if args.ipp_pattern is not None or args.nda_pattern is not None:
            sync_state.set_identifier_patterns(session, ipp=args.ipp_pattern, nda=args.nda_pattern)
        if args.pam_fr_version is not None:
            sync_state.set_pam_fr_version(session, args.pam_fr_version)
        declared = {name: getattr(args, name) for name in sync_state.DOMAIN_KEYS}
        if any(v is not None for v in declared.values()):
            sync_state.set_identifier_domains(session, **declared)
        his, drill = sync_state.endpoints(session)
        version = sync_state.pam_fr_version(session)
        domains = sync_state.identifier_domains(session)
    print(f"DPI : {his or '-'}   exercice / drill : {drill or '-'}")
    print(f"HL7 : IHE PAM France {version} (MSH-12 2.5^FRA^{version})")
    print(f"FINESS : {domains.finess or '-'}")
    for name, (fr, en) in DOMAIN_LABELS.items():
        print(f"OID {fr} / {en} : {getattr(domains, name) or '-'}")
    return 0


DOMAIN_LABELS = {
    "ipp_oid": ("IPP du DPI", "HIS IPP"),
    "nda_oid": ("NDA du DPI", "HIS NDA"),
    "movement_oid": ("mouvements", "movements"),
    "provisional_ipp_oid": ("IPP provisoires", "provisional IPP"),
    "provisional_nda_oid": ("NDA provisoires", "provisional NDA"),
}


def _mapping_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    with open_session(args) as session:
        views = reconciliation.mappings(session)
    return [
        {
            "id": v.mapping.id,
            "entity": v.mapping.entity,
            "provisional": v.provisional,
            "kind": v.mapping.kind.value,
            "his_value": v.mapping.value,
            "source": v.mapping.source.value,
            "status": v.mapping.status.value,
            "decided_by": v.mapping.decided_by or "",
        }
        for v in views
    ]


def cmd_mapping(args: argparse.Namespace) -> int:
    rows = _mapping_rows(args)
    if args.csv:
        path = Path(args.csv)
        try:
            # owner-only, never over an existing file; formulas neutralised (continuity.text)
            with (
                open_private(path, replace=False) as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as out,
            ):
                write_dicts(out, list(rows[0]) if rows else ["id"], rows, delimiter=";")
        except FileExistsError:
            raise InvalidInput("Le fichier existe déjà.", "The file already exists.") from None
        print(f"{len(rows)} correspondance(s) écrite(s) / mapping(s) written: {path}")
        return 0
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        fr, _ = MAPPING_STATUS_LABELS[MappingStatus(r["status"])]
        print(
            f"{r['id']:>5}  {r['provisional']:<12} -> {r['kind']:<15} {for_display(r['his_value']):<20} "
            f"{fr:<12} ({r['source']})"
        )
    return 0


def cmd_map(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        reconciliation.enter(session, args.provisional, args.ipp)
    print("Correspondance enregistrée / mapping recorded.")
    return 0


def _decide(confirm: bool) -> Any:
    def handler(args: argparse.Namespace) -> int:
        with open_session(args) as session:
            reconciliation.decide(session, args.id, confirm)
        print("Confirmée / confirmed." if confirm else "Rejetée / rejected.")
        return 0

    return handler


def cmd_merges(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        result = import_merges(session, Path(args.file))
    print(
        f"{result.messages} fusion(s) lue(s) / merge(s) read: {result.confirmed} confirmée(s), "
        f"{result.proposed} à vérifier / to review, {result.unknown} sans patient connu ici."
    )
    return 0


def register(sub: Any) -> None:
    p = add_command(
        sub,
        "sync",
        cmd_run,
        "renvoyer au DPI ce qui a été saisi pendant la panne / hand back to the HIS",
        json_out=True,
    )
    p.add_argument(
        "--to",
        help="mllp://HÔTE:PORT, mllps://..., fhir+https://..., file:DOSSIER (par défaut : le DPI configuré)",
    )
    p.add_argument("--timeout", type=float, default=10.0, help="secondes (10)")
    p.add_argument("--attempts", type=int, default=5, help="essais par événement (5)")
    p.add_argument("--ca-file", help="autorité de certification TLS du DPI")
    p.add_argument(
        "--all", action="store_true", help="fichiers : réexporter aussi les événements déjà exportés"
    )
    p.add_argument("--quiet", action="store_true")
    actions = p.add_subparsers(dest="sync_command", metavar="ACTION")
    add_command(actions, "status", cmd_status, "état de la reprise", json_out=True)
    add_command(actions, "errors", cmd_errors, "événements refusés par le DPI", json_out=True)
    r = add_command(actions, "resend", cmd_resend, "renvoyer un événement corrigé")
    r.add_argument("event")
    c = add_command(actions, "config", cmd_config, "destinations du DPI et d'exercice")
    c.add_argument("--his", help="DPI réel (jamais utilisé en mode exercice)")
    c.add_argument("--exercise", help="destination d'exercice")
    c.add_argument("--his-ipp-system", help="FHIR : système des IPP du DPI")
    c.add_argument("--his-nda-system", help="FHIR : système des NDA du DPI")
    c.add_argument("--his-authority", help="HL7 : autorité d'affectation du DPI (PID-3)")
    c.add_argument(
        "--ipp-pattern", help='format des IPP du DPI (expression régulière ; "" : par défaut [0-9A-Z]{1,20})'
    )
    c.add_argument("--nda-pattern", help="format des NDA du DPI (expression régulière)")
    c.add_argument(
        "--pam-fr-version", help="HL7 : version IHE PAM France du DPI (2.10 ou 2.11 ; 2.11 par défaut)"
    )
    c.add_argument("--finess", help="numéro FINESS de l'établissement (géographique)")
    c.add_argument("--ipp-oid", help="OID du domaine des IPP du DPI")
    c.add_argument("--nda-oid", help="OID du domaine des NDA du DPI")
    c.add_argument("--movement-oid", help="OID des identifiants de mouvement")
    c.add_argument("--provisional-ipp-oid", help="OID du domaine des IPP provisoires du kit")
    c.add_argument("--provisional-nda-oid", help="OID du domaine des NDA provisoires du kit")
    m = add_command(actions, "mapping", cmd_mapping, "correspondances provisoire -> DPI", json_out=True)
    m.add_argument("--csv", help="exporter en CSV (;)")
    e = add_command(actions, "map", cmd_map, "saisir l'IPP du DPI d'un patient (vigilance)")
    e.add_argument("provisional")
    e.add_argument("ipp")
    for name, confirm in (("confirm", True), ("reject", False)):
        d = add_command(
            actions,
            name,
            _decide(confirm),
            "confirmer une correspondance proposée" if confirm else "rejeter une correspondance proposée",
        )
        d.add_argument("id", type=int)
    g = add_command(actions, "merges", cmd_merges, "lire les fusions A40/A47 du DPI (fichier)")
    g.add_argument("file")
