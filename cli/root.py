"""The ``continuity`` parser, built from every command group, and ``main``: exit codes, error messages.

Exit codes: 0 ok, 2 invalid input, 3 authentication, 4 permission, 5 not found,
6 conflict, 7 possible duplicate, 8 audit chain broken, 9 doctor failure,
10-11 sync (refused events, stopped), 12 a watched or imported file refused,
130 interrupted, 141 the reader of the output went away (``| head``), 1 anything else.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cli import civ, crisis, exchange, forms, his, it, patients, provision, snapshot, users, watch
from continuity import __version__, journal
from continuity.errors import (
    AuthenticationFailed,
    Conflict,
    ContinuityError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PossibleDuplicates,
)
from continuity.folders import write_failure

EXIT_CODES: list[tuple[type[ContinuityError], int]] = [
    (InvalidInput, 2),
    (AuthenticationFailed, 3),
    (PermissionDenied, 4),
    (NotFound, 5),
    (PossibleDuplicates, 7),
    (Conflict, 6),
]

# In the order ``continuity --help`` lists them.
GROUPS = (provision, users, patients, crisis, civ, it, forms, his, watch, snapshot, exchange)


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
    for group in GROUPS:
        group.register(sub)
    return parser


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command whose reader went away


def main(argv: Sequence[str] | None = None) -> int:
    # No library writes anything anywhere (python-hl7 logs whole HL7 fields with a traceback);
    # the kit's own warnings, which name no patient, still reach stderr. The watcher too.
    journal.confine(stderr=True)
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except BrokenPipeError:
        # The reader went away (``continuity census | head``): stop quietly. Standard
        # output is pointed at the null device so the interpreter's last flush is silent.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except ContinuityError as exc:
        print(exc.bilingual(), file=sys.stderr)
        return next((code for kind, code in EXIT_CODES if isinstance(exc, kind)), 1)
    except KeyboardInterrupt:
        print("\nInterrompu / interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        # A full disk or a read-only folder met by a write no service turned into the kit's
        # error yet: said as such, not as an internal error.
        failure = write_failure(exc)
        if failure is not None:
            print(failure.bilingual(), file=sys.stderr)
            return 1
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
