"""``continuity civ queue | merge | unmerge | merges | delay``: the identity-vigilance cell (CIV).

Identities are named by their number (provisional IPP, HIS IPP or an NDA, typed or scanned)
or by their internal id; what is shown is the signed-in CIV's output, never a log.
"""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import add_command, add_group, fmt_dt, open_session, print_json
from continuity.domain.records import PatientRecord
from continuity.errors import NotFound
from continuity.services import identity_merge, patients, vigilance
from continuity.session import Session


def _patient_id(session: Session, text: str) -> str:
    """The internal id of the patient a number (or an internal id) names."""
    try:
        return patients.find_patient(session, text).patient.id
    except (NotFound, ValueError):
        found = patients.get_patients(session, [text.strip()])
        if not found:
            raise NotFound(
                "Aucun patient avec cet identifiant.", "No patient with this identifier."
            ) from None
        return found[0].patient.id


def _who(p: PatientRecord) -> str:
    i = p.identity
    used = f" ({i.used_name})" if i.used_name else ""
    return (
        f"{p.number}  {i.birth_name}{used} {' '.join(i.first_names)}  {i.birth_date:%d/%m/%Y}  {i.sex.value}"
    )


def cmd_queue(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        queue = vigilance.review_queue(session)
    if args.json:
        print_json(
            {
                "provisional_hours": queue.provisional_hours,
                "counts": {k.value: n for k, n in queue.counts.items()},
                "items": [
                    {
                        "kind": item.kind.value,
                        "patient_ids": list(item.patient_ids),
                        "numbers": [queue.patients[p].number for p in item.patient_ids],
                        "since": item.since.isoformat() if item.since else None,
                        "swapped": item.swapped,
                        "mapping_id": item.mapping_id,
                    }
                    for item in queue.items
                ],
            }
        )
        return 0
    counts = ", ".join(f"{vigilance.REVIEW_KIND_LABELS[k][0]} : {n}" for k, n in queue.counts.items() if n)
    print(f"File de revue / review queue ({len(queue.items)}) — {counts or 'vide / empty'}")
    print(f"(provisoire depuis plus de {queue.provisional_hours} h / provisional for over that)")
    for item in queue.items:
        fr, en = vigilance.REVIEW_KIND_LABELS[item.kind]
        swapped = " — jour et mois inversés / day and month swapped" if item.swapped else ""
        extra = f" — correspondance n° {item.mapping_id}" if item.mapping_id is not None else ""
        print(f"* {fr} / {en}{swapped}{extra} — {fmt_dt(item.since)}")
        for pid in item.patient_ids:
            print(f"    {_who(queue.patients[pid])}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        kept = _patient_id(session, args.kept)
        merged = _patient_id(session, args.merged)
        record = identity_merge.merge(session, kept, merged, reason=args.reason)
    print(
        f"Fusion faite [{record.id}] : {len(record.stays)} séjour(s), {record.movements} mouvement(s) "
        f"déplacé(s) / merge done: {len(record.stays)} stay(s), {record.movements} movement(s) moved."
    )
    if record.a40_event:
        print("Le DPI connaît les deux identités : fusion envoyée (ADT^A40) à la prochaine synchronisation.")
        print("The HIS knows both identities: the merge (ADT^A40) goes out at the next synchronisation.")
    else:
        print("Le DPI ne connaît pas les deux identités : aucune fusion ne lui est envoyée.")
        print("The HIS does not know both identities: no merge is sent to it.")
    return 0


def cmd_unmerge(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        record = identity_merge.unmerge(session, args.merge_id.strip(), reason=args.reason)
    print(
        f"Fusion annulée [{record.id}] : {len(record.stays)} séjour(s) rendu(s) / merge undone: "
        f"{len(record.stays)} stay(s) moved back."
    )
    return 0


def cmd_merges(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        records = identity_merge.merges(session)
    if args.json:
        print_json([r.model_dump(mode="json") for r in records])
        return 0
    for r in records:
        state = f"annulée / undone {fmt_dt(r.undone_at)} ({r.undone_by})" if r.undone else "active"
        print(f"{r.id}  {fmt_dt(r.merged_at)}  {r.merged_by:<12}  {len(r.stays)} séjour(s)  {state}")
    return 0


def cmd_delay(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        if args.hours is not None:
            vigilance.set_provisional_hours(session, args.hours)
        hours = vigilance.provisional_hours(session)
    print(
        f"Identités provisoires signalées après {hours} h / provisional identities flagged after {hours} h."
    )
    return 0


def register(sub: Any) -> None:
    civ = add_group(sub, "civ", "identitovigilance / identity vigilance (CIV)", "civ_command")
    add_command(civ, "queue", cmd_queue, "file de revue de la CIV / the CIV's review queue", json_out=True)
    p = add_command(civ, "merge", cmd_merge, "fusionner deux identités locales / merge two local identities")
    p.add_argument("kept", metavar="GARDEE", help="identité gardée (numéro) / identity kept (number)")
    p.add_argument("merged", metavar="FUSIONNEE", help="identité fusionnée / identity merged into it")
    p.add_argument("--reason", help="motif (obligatoire) / reason (required)")
    p = add_command(civ, "unmerge", cmd_unmerge, "annuler une fusion / undo a merge")
    p.add_argument("merge_id", metavar="FUSION", help="identifiant de la fusion / merge id")
    p.add_argument("--reason", help="motif (obligatoire) / reason (required)")
    add_command(civ, "merges", cmd_merges, "fusions faites / merges made", json_out=True)
    p = add_command(civ, "delay", cmd_delay, "délai des identités provisoires / provisional delay")
    p.add_argument("hours", nargs="?", type=int, metavar="HEURES")
