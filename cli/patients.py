"""Patients: ``admit``, ``transfer``, ``leave``, ``return``, ``discharge``, ``cancel`` (the last
movement), ``movements`` and ``correct-movement`` (a past movement's time or place), ``census``,
``search``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from cli.common import add_command, open_session, print_json
from continuity.dates import parse_date, parse_local_datetime
from continuity.domain.his_index import IndexHit
from continuity.domain.identity import (
    STATUS_LABELS,
    CollectionMode,
    Identity,
    IdentityDocument,
    IdentityStatus,
    Sex,
    UnknownPatient,
)
from continuity.domain.movement import KIND_LABELS, DischargeDestination, DischargeMode, Movement
from continuity.domain.records import PatientSummary, Source, StayRecord
from continuity.errors import BedTaken, Conflict, InvalidInput, NotFound, PossibleDuplicates
from continuity.ins_datamatrix import MAX_LENGTH as MAX_DATAMATRIX
from continuity.ins_datamatrix import parse_ins_datamatrix
from continuity.services import corrections, crisis, patients, undo
from continuity.session import Session
from continuity.validation import build


def _summary_line(s: PatientSummary, today: date, *, location: bool = True) -> str:
    i = s.patient.identity
    born = ""
    if i.used_name and i.used_name != i.birth_name:
        born = {Sex.F: "née", Sex.M: "né"}.get(i.sex, "né(e)") + f" {i.birth_name} "
    flag = " [IDENTITÉ D'ATTENTE]" if i.placeholder else ""
    flag += " [IDENTITÉ DOUTEUSE]" if i.doubtful else ""
    flag += " [IDENTITÉ FICTIVE]" if i.fictitious else ""
    where = ""
    if s.stay and location:
        where = f"  {s.stay.uf_code}/{s.stay.bed_code or 'sans lit'}"
        if s.stay.state.value == "leave":
            where += " (absent)"
    return (
        f"{i.display_name}{flag} {born} {i.sex.value} {i.birth_date:%d/%m/%Y} "
        f"({i.age_on(today)} ans)  {STATUS_LABELS[i.status][0]}  "
        + ("IPP " if s.patient.source is Source.HIS else "IPP prov. ")
        + s.patient.numbers
        + (f" ({FROM_INDEX})" if s.patient.from_index else "")
        + where
    )


FROM_INDEX = "issu de l'index du DPI / from the HIS index"


def _index_line(hit: IndexHit, today: date) -> str:
    """An identity of the HIS index, not a patient here yet: admitted with ``--index-ipp``."""
    i = hit.identity
    return (
        f"[Index DPI] {i.display_name} {i.sex.value} {i.birth_date:%d/%m/%Y} ({i.age_on(today)} ans)  "
        f"IPP {hit.ipp}  identité {STATUS_LABELS[i.status][0]}  "
        "(pas encore admis ici / not admitted here yet)"
    )


def _found_line(found: patients.Found, today: date) -> str:
    return _index_line(found, today) if isinstance(found, IndexHit) else _summary_line(found, today)


def _unknown_from(args: argparse.Namespace) -> UnknownPatient:
    """An unknown patient: the admission gives them their distinct placeholder identity."""
    if not args.sex or not args.estimated_birth_year:
        raise InvalidInput(
            "Patient inconnu : --sex et --estimated-birth-year sont requis.",
            "Unknown patient: --sex and --estimated-birth-year are required.",
        )
    data = {"sex": args.sex, "estimated_birth_year": args.estimated_birth_year}
    return build(UnknownPatient, data, "Patient inconnu", "Unknown patient")


STRICT_OPTIONS = ("birth_name", "first_names", "birth_date", "sex", "birth_place", "ins")


def _identity_from(args: argparse.Namespace) -> Identity:
    data: dict[str, Any] = {
        "birth_name": args.birth_name,
        "used_name": args.used_name,
        "first_names": [n.strip() for n in (args.first_names or "").split(",") if n.strip()],
        "used_first_name": args.used_first_name,
        "birth_date": parse_date(args.birth_date) if args.birth_date else None,
        "sex": args.sex,
        "birth_place_insee": args.birth_place,
        "birth_place_name": args.birth_place_name,
        "ins": args.ins,
        "status": args.identity_status,
        "collection_mode": args.collection_mode,
        "document_type": args.document_type,
        "document_expires_on": parse_date(args.document_expires_on) if args.document_expires_on else None,
        "doubtful": args.doubtful or None,
        "fictitious": args.fictitious or None,
    }
    if args.datamatrix is not None:
        if any(getattr(args, name) for name in STRICT_OPTIONS):
            raise InvalidInput(
                "--datamatrix donne les traits stricts (nom et prénoms de naissance, date, sexe, lieu, "
                "INS) : ne les donnez pas aussi.",
                "--datamatrix gives the strict traits (birth name and first names, date, sex, place, "
                "INS): do not give them as well.",
            )
        text = sys.stdin.readline(MAX_DATAMATRIX) if args.datamatrix == "-" else args.datamatrix
        data.update(parse_ins_datamatrix(text).identity_data())
        data["collection_mode"] = args.collection_mode or data["collection_mode"]
    return build(Identity, {k: v for k, v in data.items() if v is not None}, "Identité", "Identity")


def cmd_admit(args: argparse.Namespace) -> int:
    unknown = _unknown_from(args) if args.unknown else None
    if args.index_ipp and any((args.birth_name, args.used_name, args.first_names, args.birth_date)):
        raise InvalidInput(
            "--index-ipp admet sous l'identité du DPI : ne saisissez pas de traits avec lui.",
            "--index-ipp admits under the HIS identity: type no traits with it.",
        )
    identity = None if unknown or args.index_ipp else _identity_from(args)
    at = parse_local_datetime(args.at) if args.at else None
    with open_session(args) as session:
        try:
            result = patients.admit(
                session,
                args.uf,
                identity=identity,
                unknown=unknown,
                bed_code=args.bed,
                at=at,
                reason=args.reason,
                not_a_duplicate=args.confirm_not_duplicate,
                paper_number=args.paper_form,
                index_ipp=args.index_ipp,
            )
        except PossibleDuplicates as dup:
            today = session.clock().date()
            print("Identités proches déjà connues / similar existing identities:", file=sys.stderr)
            for summary in patients.get_patients(session, list(dup.candidate_ids)):
                print("  " + _summary_line(summary, today), file=sys.stderr)
            for hit in patients.index_entries(session, list(dup.index_ipps)):
                print("  " + _index_line(hit, today), file=sys.stderr)
            if dup.index_ipps:
                print(
                    "Si c'est l'identité du DPI : --index-ipp IPP (à la place des traits saisis) "
                    "/ if this is the HIS identity: --index-ipp IPP (instead of the traits typed)",
                    file=sys.stderr,
                )
            print(
                "Si c'est bien un autre patient : --confirm-not-duplicate MOTIF "
                "/ if this is another patient: --confirm-not-duplicate REASON",
                file=sys.stderr,
            )
            raise
    if args.json:
        print_json(result.model_dump(mode="json"))
    elif result.patient.source is Source.HIS:
        i = result.patient.identity
        print(
            f"Admis / admitted: IPP {result.patient.number}"
            + (f" ({FROM_INDEX})" if result.patient.from_index else " (DPI / HIS)")
            + f", identité {STATUS_LABELS[i.status][0]}, NDA provisoire {result.stay.provisional_nda}, "
            f"{result.stay.uf_code}/{result.stay.bed_code or 'sans lit'}"
        )
    else:
        print(
            f"Admis / admitted: IPP provisoire {result.patient.number}, "
            f"NDA provisoire {result.stay.provisional_nda}, "
            f"{result.stay.uf_code}/{result.stay.bed_code or 'sans lit'}"
        )
        if result.patient.identity.ins_unverified:
            print(
                "INS conservé comme trait non vérifié (identité non qualifiée : jamais envoyé comme INS)"
                " / INS kept as an unverified trait (identity not qualified: never sent as an INS)"
            )
        if result.patient.identity.placeholder:
            print(f"Identité d'attente / placeholder identity: {result.patient.identity.display_name}")
    return 0


def _open_stay_id(session: Session, identifier: str) -> str:
    found = patients.find_patient(session, identifier)
    if found.stay is None:
        raise Conflict("Patient non admis : pas de séjour en cours.", "Patient not admitted: no open stay.")
    return found.stay.id


def _on_open_stay(args: argparse.Namespace, action: Callable[[Session, str], StayRecord]) -> int:
    with open_session(args) as session:
        stay = action(session, _open_stay_id(session, args.patient))
    _print_stay(stay)
    return 0


def _print_stay(stay: StayRecord) -> None:
    print(
        f"Enregistré / recorded: séjour {stay.number} -> {stay.state.value} "
        f"{stay.uf_code or ''}/{stay.bed_code or '-'}"
    )


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
    """The last movement of the open stay, or of the stay last left (a discharge undone)."""
    reopen: str | undo.SameBed | None = None if args.without_bed else (args.bed or undo.SAME_BED)
    with open_session(args) as session:
        found = patients.find_patient(session, args.patient)
        summary = undo.last_stay_of(session, found.patient.id)
        if summary.stay is None:
            raise Conflict("Aucun séjour à annuler pour ce patient.", "No stay to cancel for this patient.")
        try:
            stay = undo.cancel_last(
                session,
                summary.stay.id,
                reason=args.reason,
                reopen_bed=reopen,
            )
        except BedTaken as taken:
            taken.details.append("Choisissez / choose: --bed LIT ou / or --without-bed")
            raise
    _print_stay(stay)
    return 0


def _stay_movements(session: Session, identifier: str) -> tuple[str, list[Movement]]:
    """The open stay of the patient, else the stay last left, with its movements in effect."""
    found = patients.find_patient(session, identifier)
    summary = undo.last_stay_of(session, found.patient.id)
    if summary.stay is None:
        raise Conflict("Aucun séjour pour ce patient.", "No stay for this patient.")
    return summary.stay.id, corrections.movements_in_effect(session, summary.stay.id)


def cmd_movements(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        _, movements = _stay_movements(session, args.patient)
    if args.json:
        print_json([m.model_dump(mode="json", exclude_none=True) for m in movements])
        return 0
    for number, m in enumerate(movements, start=1):
        print(
            f"{number:<3} {KIND_LABELS[m.kind][0]:<20} {m.at.astimezone():%d/%m/%Y %H:%M}  "
            f"{m.uf_code or ''}/{m.bed_code or 'sans lit'}"
        )
    return 0


def cmd_correct_movement(args: argparse.Namespace) -> int:
    """Correct movement N of ``continuity movements`` (its time, or an admission's or transfer's place)."""
    if not (args.reason or "").strip():
        raise InvalidInput(
            "Dites pourquoi ce mouvement est corrigé : --reason MOTIF (motif obligatoire).",
            "Say why this movement is corrected: --reason REASON (a reason is required).",
        )
    with open_session(args) as session:
        _, movements = _stay_movements(session, args.patient)
        if not 1 <= args.number <= len(movements):
            raise NotFound(
                f"Pas de mouvement n° {args.number} (voir continuity movements).",
                f"No movement number {args.number} (see continuity movements).",
            )
        target = movements[args.number - 1].id
        if args.undo:
            stay = corrections.undo_correction(session, target, reason=args.reason)
        else:
            bed: str | corrections.Keep | None = (
                None if args.without_bed else (args.bed if args.bed else corrections.KEEP)
            )
            stay = corrections.correct_movement(
                session, target, at=_at(args), uf_code=args.uf, bed_code=bed, reason=args.reason
            )
    _print_stay(stay)
    return 0


def cmd_census(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        ufs = patients.census(session, args.uf or None)
        site_name = crisis.site_name(session)
        today = session.clock().date()
    if args.json:
        print_json([u.model_dump(mode="json") for u in ufs])
        return 0
    print(f"{site_name} — recensement du {datetime.now().astimezone():%d/%m/%Y %H:%M}")
    for uf in ufs:
        print(
            f"\n{uf.uf_code}  {uf.uf_name}  ({uf.occupied}/{len(uf.beds)} lits occupés / beds"
            f" · {uf.bedless} sans lit / without a bed)"
        )
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
        found = patients.search_all(session, " ".join(args.query), limit=args.limit)
        today = session.clock().date()
    if args.json:  # a patient here: {"patient", "stay"}; an identity of the HIS index: {"index"}
        print_json(
            [
                {"index": f.model_dump(mode="json")} if isinstance(f, IndexHit) else f.model_dump(mode="json")
                for f in found
            ]
        )
    elif not found:
        print("Aucun résultat / no result.")
    for f in [] if args.json else found:
        print(_found_line(f, today))
    return 0


def register(sub: Any) -> None:
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
    p.add_argument("--birth-place-name", help="commune de naissance")
    p.add_argument("--ins", help="matricule INS (envoyé comme INS seulement pour une identité qualifiée)")
    p.add_argument(
        "--identity-status",
        choices=[s.value for s in IdentityStatus],
        help="validee : pièce d'identité à haut niveau de confiance vue (--document-type CN, PA, CS ; "
        "LE, AN pour un mineur) ; qualifiee : jamais hors ligne (seulement les identités du DPI)",
    )
    p.add_argument(
        "--collection-mode",
        choices=[m.value for m in CollectionMode],
        help="mode de recueil : SM saisie, CV carte Vitale, INSI téléservice, CB code-barres, RFID",
    )
    p.add_argument(
        "--document-type",
        choices=[d.value for d in IdentityDocument],
        help="justificatif présenté : CN carte d'identité, PA passeport, CS titre de séjour, "
        "LE livret de famille, AN acte de naissance…",
    )
    p.add_argument(
        "--document-expires-on", metavar="JJ/MM/AAAA", help="date d'expiration du justificatif présenté"
    )
    p.add_argument(
        "--doubtful",
        action="store_true",
        help="identité douteuse (reste provisoire ; jamais avec --fictitious)",
    )
    p.add_argument("--fictitious", action="store_true", help="identité fictive (reste provisoire)")
    p.add_argument(
        "--datamatrix",
        metavar="CODE",
        help="contenu du code Datamatrix INS lu par une douchette (« - » : lu sur l'entrée standard) : "
        "il donne les traits stricts ; l'INS reste non vérifié jusqu'à sa qualification par le DPI",
    )
    p.add_argument(
        "--unknown",
        action="store_true",
        help="patient inconnu : identité d'attente au nom distinct (règle du fichier de site), avec --sex",
    )
    p.add_argument("--estimated-birth-year", type=int, help="année de naissance estimée (patient inconnu)")
    p.add_argument("--at", help="date et heure JJ/MM/AAAA HH:MM (maintenant par défaut)")
    p.add_argument("--reason", help="motif")
    p.add_argument(
        "--confirm-not-duplicate",
        metavar="MOTIF",
        help="après vérification, ce n'est pas un doublon : pourquoi (inscrit au journal d'audit)",
    )
    p.add_argument(
        "--paper-form",
        metavar="NUMERO",
        help="ressaisie d'un formulaire papier pré-numéroté : son numéro devient l'IPP provisoire",
    )
    p.add_argument(
        "--index-ipp",
        metavar="IPP",
        help="patient connu de l'index du DPI (continuity search) : admis sous l'IPP et l'identité du DPI, "
        "sans IPP provisoire ni rapprochement",
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

    p = add_command(sub, "cancel", cmd_cancel, "annuler le dernier mouvement (une sortie comprise)")
    p.add_argument("patient")
    p.add_argument("--reason")
    beds = p.add_mutually_exclusive_group()
    beds.add_argument("--bed", help="sortie annulée dont le lit a été repris : le lit où rouvrir")
    beds.add_argument("--without-bed", action="store_true", help="… ou rouvrir sans lit")

    p = add_command(
        sub, "movements", cmd_movements, "mouvements en vigueur du séjour, numérotés", json_out=True
    )
    p.add_argument("patient", help="IPP provisoire, IPP ou NDA")

    p = add_command(
        sub,
        "correct-movement",
        cmd_correct_movement,
        "corriger un mouvement passé (heure ; UF et lit d'une admission ou mutation) sans l'annuler",
    )
    p.add_argument("patient", help="IPP provisoire, IPP ou NDA")
    p.add_argument("number", type=int, help="numéro du mouvement (continuity movements)")
    p.add_argument("--at", help="date et heure corrigées JJ/MM/AAAA HH:MM")
    p.add_argument("--uf", help="UF corrigée (admission ou mutation)")
    beds = p.add_mutually_exclusive_group()
    beds.add_argument("--bed", help="lit corrigé (admission ou mutation)")
    beds.add_argument("--without-bed", action="store_true", help="… ou sans lit")
    p.add_argument("--undo", action="store_true", help="défaire la dernière correction de ce mouvement")
    p.add_argument("--reason", help="motif (obligatoire, inscrit au journal d'audit)")

    p = add_command(sub, "census", cmd_census, "recensement : qui est dans quel lit", json_out=True)
    p.add_argument("--uf", action="append", default=[])

    p = add_command(sub, "search", cmd_search, "rechercher un patient", json_out=True)
    p.add_argument(
        "query",
        nargs="+",
        help="nom (début), date de naissance, identifiant ; puis l'index du DPI [Index DPI]",
    )
    p.add_argument("--limit", type=int, default=50)
