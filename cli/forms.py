"""``continuity forms``: write the paper documents as PDF files (an explicit choice of file).

The PDF is built in memory and written once to the file named with
``--output``; an existing file is only replaced with ``--force``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from cli.common import add_command, open_session
from continuity.errors import Conflict, StoreError
from continuity.folders import open_private, write_failure
from continuity.session import Session

Build = Callable[[Session, argparse.Namespace], bytes]


def _open_output(path: Path, force: bool) -> BinaryIO:
    """Open the output before any work, so a bad path wastes no reserved number."""
    try:
        return open_private(path, replace=force)
    except FileExistsError:
        raise Conflict(
            "Le fichier existe déjà : choisissez un autre nom ou ajoutez --force.",
            "The file already exists: choose another name or add --force.",
        ) from None
    except OSError as exc:
        raise _unwritable(exc, path) from None


def _unwritable(exc: OSError, path: Path) -> StoreError:
    return write_failure(exc, path.parent) or StoreError(
        f"Impossible d'écrire le PDF ({exc.strerror}).", f"Cannot write the PDF ({exc.strerror})."
    )


def _run(build: Build) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        path = Path(args.output)
        out = _open_output(path, args.force)
        try:
            with out, open_session(args) as session:
                data = build(session, args)
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise _unwritable(exc, path) from None
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        print(f"PDF écrit / written: {args.output} ({len(data) // 1024} Kio)")
        return 0

    return handler


def _blank(session: Session, args: argparse.Namespace) -> bytes:
    from forms import documents

    data = documents.blank_admission_forms(session, args.ward, args.count)
    print(
        f"{args.count} numéro(s) réservé(s) sur papier pour l'UF {args.ward.upper()} "
        f"/ number(s) reserved on paper.",
        file=sys.stderr,
    )
    return data


def _census(session: Session, args: argparse.Namespace) -> bytes:
    from forms import documents

    return documents.census(session, args.uf)


def _register(session: Session, args: argparse.Namespace) -> bytes:
    from forms import documents

    return documents.movement_register(session, args.uf, prefilled=not args.blank, blank_pages=args.pages)


def _wristband(session: Session, args: argparse.Namespace) -> bytes:
    from forms import documents
    from forms.wristband import band_size

    return documents.wristbands(session, band_size(args.band), args.patient, args.uf)


def _labels(session: Session, args: argparse.Namespace) -> bytes:
    from forms import documents
    from forms.wristband import label_stock

    return documents.labels(session, label_stock(args.stock), args.patient, args.uf, args.copies)


def _transfer(session: Session, args: argparse.Namespace) -> bytes:
    from forms import documents

    return documents.transfer_sheet(session, args.patient, args.to or "")


def _situation(session: Session, _args: argparse.Namespace) -> bytes:
    from forms import documents

    return documents.situation_report(session)


def cmd_check(args: argparse.Namespace) -> int:
    from continuity.services import paper

    with open_session(args) as session:
        form = paper.check_paper_form(session, args.number)
    print(
        f"Formulaire valide, réservé pour l'UF {form.uf_code}, pas encore saisi "
        f"/ valid form, reserved for UF {form.uf_code}, not keyed in yet."
    )
    return 0


def _document(sub: Any, name: str, build: Build, help_text: str) -> argparse.ArgumentParser:
    p = add_command(sub, name, _run(build), help_text)
    p.add_argument("-o", "--output", required=True, help="fichier PDF à écrire")
    p.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe")
    return p


def _who(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--patient", action="append", default=[], help="n° provisoire, IPP ou NDA (répéter pour plusieurs)"
    )
    group.add_argument("--uf", help="tous les patients présents de l'UF")


def register(sub: Any) -> None:
    forms = sub.add_parser("forms", help="documents papier (PDF) / paper forms").add_subparsers(
        dest="forms_command", required=True, metavar="DOCUMENT"
    )
    p = _document(
        forms, "blank", _blank, "formulaires d'admission vierges pré-numérotés (réserve les numéros)"
    )
    p.add_argument("--ward", "--uf", dest="ward", required=True, help="UF des formulaires")
    p.add_argument("--count", type=int, required=True, help="nombre de formulaires")
    p = _document(forms, "census", _census, "recensement des patients par lit")
    p.add_argument("--uf", action="append", default=[], help="UF (répéter ; toutes par défaut)")
    p = _document(forms, "register", _register, "registre des mouvements du service")
    p.add_argument("--uf", required=True)
    p.add_argument("--blank", action="store_true", help="sans les patients présents")
    p.add_argument("--pages", type=int, default=1, help="pages vierges à ajouter (1)")
    p = _document(forms, "wristband", _wristband, "bracelets d'identification")
    _who(p)
    p.add_argument("--band", default="adulte", help="adulte, enfant, nourrisson, ou LxL en mm (25x279)")
    p = _document(forms, "labels", _labels, "planches d'étiquettes patient (A4)")
    _who(p)
    p.add_argument("--stock", default="3x8", help="planche : 3x8, 3x7 ou 2x7")
    p.add_argument("--copies", type=int, help="étiquettes par patient")
    p = _document(forms, "transfer", _transfer, "fiche de transfert d'un patient")
    p.add_argument("patient", help="n° provisoire, IPP ou NDA")
    p.add_argument("--to", help="destination : UF / lit ou établissement")
    _document(forms, "situation", _situation, "point de situation de la cellule de crise")
    p = add_command(forms, "check", cmd_check, "vérifier le numéro d'un formulaire papier avant sa ressaisie")
    p.add_argument("number")
