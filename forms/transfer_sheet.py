"""Transfer sheet (fiche de liaison) that travels with a patient to another UF or establishment."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from continuity.domain.identity import STATUS_LABELS
from continuity.domain.movement import KIND_LABELS, Movement, MovementKind, effective_movements
from continuity.domain.records import PatientSummary, Source
from forms.base import (
    BOLD,
    FONT,
    INK,
    RULE,
    SHADE,
    PrintContext,
    barcode128,
    checkbox,
    fit_text,
    label,
    local,
    page_furniture,
    render,
    section_band,
    writing_line,
)
from forms.table import Column, Row, draw_rows

MARGIN = 12 * mm
HISTORY_ROWS = 8
HAND_SECTIONS = (
    ("Motif du transfert", 2),
    ("Traitements en cours (médicament, dose, dernière prise)", 3),
    ("Allergies connues", 1),
    ("Précautions : isolement, risque de chute, contention, dispositifs", 2),
    ("Documents et objets remis (ordonnances, imagerie, prothèses…)", 2),
)
HISTORY = (
    Column("Date et heure", 32 * mm),
    Column("Mouvement", 38 * mm, bold=True),
    Column("UF / lit", 36 * mm),
    Column("Précision", 80 * mm),
)


def _pair(c: Canvas, x: float, y: float, name: str, value: str, width: float) -> None:
    label(c, name, x, y)
    fit_text(c, value or "—", x, y - 4.6 * mm, width, BOLD, 10.5, 7)


def _identity(c: Canvas, s: PatientSummary, ctx: PrintContext, y: float, width: float) -> float:
    i = s.patient.identity
    section_band(c, MARGIN, y - 5.5 * mm, width - 2 * MARGIN, "PATIENT — traits d'identité")
    y -= 11 * mm
    col = (width - 2 * MARGIN - 60 * mm) / 2
    _pair(c, MARGIN, y, "Nom de naissance", i.birth_name, col - 4 * mm)
    _pair(c, MARGIN + col, y, "Nom utilisé", i.used_name or "", col - 4 * mm)
    y -= 11 * mm
    _pair(c, MARGIN, y, "Prénom(s) de naissance", ", ".join(i.first_names), col - 4 * mm)
    _pair(c, MARGIN + col, y, "Prénom utilisé", i.used_first_name or "", col - 4 * mm)
    y -= 11 * mm
    born = f"{i.birth_date:%d/%m/%Y} ({i.age_on(ctx.printed_at.date())} ans)"
    _pair(c, MARGIN, y, "Date de naissance", born, col - 4 * mm)
    _pair(
        c,
        MARGIN + col,
        y,
        "Sexe · statut de l'identité",
        f"{i.sex.value} · {STATUS_LABELS[i.status][0]}" + (" · IDENTITÉ D'ATTENTE" if i.placeholder else ""),
        col - 4 * mm,
    )
    # identifiers, with the barcode a scanner reads back
    bx = width - MARGIN - 58 * mm
    top = y + 22 * mm
    his = s.patient.source is Source.HIS
    label(c, "IPP du SIH" if his else "N° provisoire (IPP)", bx, top)
    c.setFont(BOLD, 13)
    c.drawString(bx, top - 5.5 * mm, s.patient.number)
    barcode128(c, s.patient.number, bx - 1 * mm, top - 16 * mm, 9 * mm, 0.3 * mm)
    c.setFont(BOLD, 10)
    if not his:
        label(c, "IPP du SIH", bx, top - 20 * mm)
        c.setFont(BOLD, 10)
        c.drawString(bx + 20 * mm, top - 20 * mm, s.patient.ipp or "—")
    if s.stay:
        label(c, "NDA du SIH" if s.stay.source is Source.HIS else "NDA provisoire", bx, top - 24.5 * mm)
        c.drawString(bx + 20 * mm, top - 24.5 * mm, s.stay.number)
    return y - 10 * mm


def _route(c: Canvas, s: PatientSummary, destination: str, y: float, width: float) -> float:
    section_band(c, MARGIN, y - 5.5 * mm, width - 2 * MARGIN, "TRANSFERT")
    y -= 11 * mm
    stay = s.stay
    half = (width - 2 * MARGIN) / 2
    origin = f"{stay.uf_code} / lit {stay.bed_code or '—'}" if stay else "—"
    _pair(c, MARGIN, y, "De (UF / lit)", origin, half - 4 * mm)
    label(c, "Vers (UF / lit ou établissement)", MARGIN + half, y)
    if destination:
        fit_text(c, destination, MARGIN + half, y - 4.6 * mm, half, BOLD, 10.5, 7)
    else:
        writing_line(c, MARGIN + half, y - 5 * mm, half)
    y -= 11 * mm
    _pair(c, MARGIN, y, "Admis le", local(stay.admitted_at) if stay else "", half - 4 * mm)
    label(c, "Date et heure du départ", MARGIN + half, y)
    writing_line(c, MARGIN + half, y - 5 * mm, half)
    y -= 9 * mm
    label(c, "Transport", MARGIN, y)
    bx = MARGIN + 16 * mm
    for text in ("Assis", "Allongé", "Brancard", "Ambulance", "SMUR", "Accompagné par un soignant"):
        bx += checkbox(c, bx, y - 0.8 * mm, text)
    return y - 6 * mm


def _history(c: Canvas, movements: Sequence[Movement], y: float, width: float) -> float:
    section_band(
        c, MARGIN, y - 5.5 * mm, width - 2 * MARGIN, "MOUVEMENTS DU SÉJOUR (enregistrés dans le kit)"
    )
    y -= 7 * mm
    cancelled = {m.cancels for m in movements if m.kind is MovementKind.CANCEL}
    corrected = {m.corrects for m in movements if m.kind is MovementKind.UPDATE}
    in_effect = {m.id: m for m in effective_movements(movements)}  # as corrected
    shown = [
        in_effect.get(m.id, m) for m in movements if m.kind not in (MovementKind.CANCEL, MovementKind.UPDATE)
    ][-HISTORY_ROWS:]
    rows = []
    for m in shown:
        detail = m.destination_detail or m.reason or ""
        if m.id in cancelled:
            detail = "ANNULÉ" + (f" — {detail}" if detail else "")
        elif m.id in corrected:
            detail = "CORRIGÉ" + (f" — {detail}" if detail else "")
        rows.append(
            Row(
                (local(m.at), KIND_LABELS[m.kind][0], f"{m.uf_code or ''} / {m.bed_code or '—'}", detail),
                muted=m.id in cancelled,
            )
        )
    if not rows:
        rows = [Row(("", "aucun", "", ""))]
    return draw_rows(c, HISTORY, rows, MARGIN, y, 6.5 * mm) - 5 * mm


def _hand_sections(c: Canvas, y: float, width: float) -> float:
    section_band(c, MARGIN, y - 5.5 * mm, width - 2 * MARGIN, "INFORMATIONS DE LIAISON — à remplir à la main")
    y -= 10 * mm
    for title, lines in HAND_SECTIONS:
        label(c, title, MARGIN, y, 7.5)
        for n in range(lines):
            writing_line(c, MARGIN, y - 5.5 * mm - n * 6 * mm, width - 2 * MARGIN)
        y -= 7 * mm + lines * 6 * mm
    return y


def _signatures(c: Canvas, y: float, width: float) -> None:
    half = (width - 2 * MARGIN) / 2
    for n, who in enumerate(
        (
            "Service qui transfère : nom, fonction, signature",
            "Service qui accueille : nom, fonction, signature, heure",
        )
    ):
        x = MARGIN + n * half
        c.setFillColor(SHADE)
        c.setStrokeColor(RULE)
        c.rect(x + (2 * mm if n else 0), y - 22 * mm, half - 2 * mm, 22 * mm, stroke=1, fill=1)
        c.setFillColor(INK)
        c.setFont(FONT, 7.5)
        c.drawString(x + (4 * mm if n else 2 * mm), y - 4 * mm, who)


def render_transfer_sheet(
    ctx: PrintContext, s: PatientSummary, movements: Sequence[Movement], destination: str = ""
) -> bytes:
    width, height = A4

    def draw(c: Canvas) -> None:
        y = page_furniture(
            c,
            ctx,
            width,
            height,
            "FICHE DE TRANSFERT — MODE DÉGRADÉ",
            1,
            1,
            subtitle="À joindre au patient. Vérifier l'identité avec le patient et son bracelet à l'arrivée.",
        )
        y = _identity(c, s, ctx, y, width)
        y = _route(c, s, destination, y, width)
        y = _history(c, movements, y, width)
        y = _hand_sections(c, y, width)
        _signatures(c, y, width)
        c.showPage()

    return render(A4, ctx, "Fiche de transfert", draw)
