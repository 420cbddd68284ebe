"""The printable documents, built from a session: the one entry point for the GUI and the CLI.

Each function checks the user's rights through the services it reads with,
and returns the PDF as bytes held in memory: nothing with patient data is
written to disk unless the caller saves it by an explicit choice.
"""

from __future__ import annotations

from collections.abc import Sequence

from continuity.domain.records import PatientSummary
from continuity.errors import InvalidInput, NotFound
from continuity.services import crisis, indicators, paper, patients, witnesses
from continuity.session import Session
from forms.base import PrintContext
from forms.blank_admission import render_blank_admission_forms
from forms.census import render_census
from forms.register import render_register
from forms.situation import render_situation_report
from forms.transfer_sheet import render_transfer_sheet
from forms.wristband import BandSize, LabelStock, render_labels, render_wristbands

MAX_COPIES = 100
MAX_BLANK_PAGES = 200
SITUATION_LOG_ENTRIES = 20


def print_context(session: Session) -> PrintContext:
    return PrintContext(
        site_name=crisis.site_name(session),
        printed_at=session.clock(),
        printed_by=session.user.display_name,
        exercise=crisis.exercise_mode(session),
        snapshot_at=indicators.last_snapshot_at(session),
        snapshot_max_age=indicators.snapshot_max_age(session),
    )


def _uf_name(session: Session, uf_code: str) -> tuple[str, str]:
    code = uf_code.strip().upper()
    names = crisis.uf_names(session)
    if code not in names:
        raise NotFound(f"UF inconnue : {code}.", f"Unknown UF: {code}.")
    return code, names[code]


def blank_admission_forms(session: Session, uf_code: str, count: int) -> bytes:
    """Reserve ``count`` numbers on paper for a UF and lay out one form per number."""
    code, name = _uf_name(session, uf_code)
    ctx = print_context(session)
    forms = paper.reserve_blank_forms(session, code, count)
    return render_blank_admission_forms(ctx, code, name, [f.number for f in forms])


def census(session: Session, uf_codes: Sequence[str] | None = None) -> bytes:
    return render_census(print_context(session), patients.census(session, list(uf_codes or [])))


def _present(session: Session, uf_code: str) -> list[PatientSummary]:
    ward = patients.census(session, [uf_code])[0]
    return [b.occupant for b in ward.beds if b.occupant] + list(ward.without_bed)


def movement_register(
    session: Session, uf_code: str, *, prefilled: bool = True, blank_pages: int = 1
) -> bytes:
    if not 0 <= blank_pages <= MAX_BLANK_PAGES or (not prefilled and blank_pages == 0):
        raise InvalidInput(
            f"Nombre de pages vierges invalide : entre 1 et {MAX_BLANK_PAGES}.",
            f"Invalid number of blank pages: between 1 and {MAX_BLANK_PAGES}.",
        )
    code, name = _uf_name(session, uf_code)
    present = _present(session, code) if prefilled else []
    return render_register(print_context(session), code, name, present, blank_pages)


def _patients(session: Session, identifiers: Sequence[str], uf_code: str | None) -> list[PatientSummary]:
    if bool(identifiers) == bool(uf_code):
        raise InvalidInput(
            "Donnez soit des patients (numéros), soit une UF.", "Give either patients (numbers) or a UF."
        )
    if uf_code:
        found = _present(session, _uf_name(session, uf_code)[0])
        if not found:
            raise NotFound("Aucun patient présent dans cette UF.", "No patient present in this UF.")
        return found
    return [patients.find_patient(session, i) for i in identifiers]


def _homonyms(session: Session, chosen: Sequence[PatientSummary]) -> frozenset[str]:
    """The patients printed who have a homonym (RNIV: said on their wristband and labels)."""
    return frozenset(s.patient.id for s in chosen if patients.homonyms(session, s.patient.id).count)


def wristbands(
    session: Session, band: BandSize, identifiers: Sequence[str] = (), uf_code: str | None = None
) -> bytes:
    chosen = _patients(session, identifiers, uf_code)
    return render_wristbands(print_context(session), chosen, band, _homonyms(session, chosen))


def labels(
    session: Session,
    stock: LabelStock,
    identifiers: Sequence[str] = (),
    uf_code: str | None = None,
    copies: int | None = None,
) -> bytes:
    """Label sheets: by default a full sheet for one patient, one label each for a UF."""
    chosen = _patients(session, identifiers, uf_code)
    if copies is None:
        copies = stock.per_sheet if len(chosen) == 1 else 1
    if not 1 <= copies <= MAX_COPIES:
        raise InvalidInput(
            f"Nombre d'exemplaires invalide : entre 1 et {MAX_COPIES}.",
            f"Invalid number of copies: between 1 and {MAX_COPIES}.",
        )
    return render_labels(print_context(session), chosen, stock, copies, _homonyms(session, chosen))


def transfer_sheet(session: Session, identifier: str, destination: str = "") -> bytes:
    summary = patients.find_patient(session, identifier)
    if summary.stay is None:
        raise NotFound("Ce patient n'a pas de séjour en cours.", "This patient has no open stay.")
    movements = patients.stay_movements(session, summary.stay.id)
    return render_transfer_sheet(print_context(session), summary, movements, destination.strip()[:200])


def situation_report(session: Session) -> bytes:
    statuses = crisis.service_statuses(session)
    board = indicators.dashboard(session)
    log = crisis.log_entries(session, limit=SITUATION_LOG_ENTRIES)
    own = witnesses.own_head(session)  # the paper in the crisis cell witnesses the chains too
    peers = [p.head for p in witnesses.peer_heads(session)]
    return render_situation_report(
        print_context(session), statuses, board, log, [*([own] if own else []), *peers]
    )
