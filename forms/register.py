"""Movement register of a ward (main courante du service), to log movements by hand.

Blank pages, or pages pre-filled with the patients present (number, name,
bed) so that a movement is a date, a time, a tick and a destination. A column
is left for ticking each line once it has been keyed back into the kit.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from continuity.domain.records import PatientSummary
from forms.base import FONT, INK, MUTED, PrintContext, content_top, page_furniture, render
from forms.table import Column, Row, draw_rows, paginate

PAGE = landscape(A4)
MARGIN = 12 * mm
ROW_HEIGHT = 9 * mm
KINDS = ("A", "M", "Ab", "R", "S")
LEGEND = (
    "Mouvement (cocher) : A admission · M mutation · Ab absence temporaire · "
    "R retour d'absence · S sortie.    Mode de sortie : 8 domicile · 6 mutation · "
    "7 transfert · 9 décès.",
    "Une ligne par mouvement, heure exacte. Colonne « Saisi » : cocher une fois la ligne "
    "ressaisie dans le kit.",
)

COLUMNS = (
    Column("Date", 18 * mm),
    Column("Heure", 13 * mm),
    Column("N° provisoire / IPP", 27 * mm, lines=2),
    Column("Nom", 40 * mm, bold=True, lines=2),
    Column("Prénom", 30 * mm, lines=2),
    Column("Mouvement (cocher)", 55 * mm),
    Column("De (UF / lit)", 22 * mm),
    Column("Vers (UF / lit, établ.)", 30 * mm, lines=2),
    Column("Mode", 14 * mm),
    Column("Initiales", 14 * mm),
    Column("Saisi", 10 * mm),
)


def _ticks(c: Canvas, top: float, rows: int) -> None:
    """The five boxes to tick in the movement column of every row."""
    x0 = MARGIN + sum(col.width for col in COLUMNS[:5])
    step = COLUMNS[5].width / len(KINDS)
    size = 3.4 * mm
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.setFont(FONT, 6.5)
    c.setFillColor(MUTED)
    for r in range(rows):
        y = top - (r + 0.5) * ROW_HEIGHT - size / 2
        for k, kind in enumerate(KINDS):
            box_x = x0 + k * step + step - size - 1.6 * mm
            c.drawRightString(box_x - 0.8 * mm, y + 0.9 * mm, kind)
            c.rect(box_x, y, size, size)
    c.setFillColor(INK)


def _row(s: PatientSummary) -> Row:
    i = s.patient.identity
    where = f"{s.stay.uf_code} / {s.stay.bed_code or 'sans lit'}" if s.stay else ""
    first = i.used_first_name or ", ".join(i.first_names)
    return Row(("", "", s.patient.numbers, i.used_name or i.birth_name, first, "", where, "", "", "", ""))


def render_register(
    ctx: PrintContext, uf_code: str, uf_name: str, present: Sequence[PatientSummary], blank_pages: int
) -> bytes:
    """Pages pre-filled with ``present`` (if any), then ``blank_pages`` blank pages."""
    width, height = PAGE
    body_top = content_top(ctx, height)
    per_page = int((body_top - 10 * mm - 6 * mm - 16 * mm) // ROW_HEIGHT)
    filled = [_row(s) for s in present]
    pages: list[list[Row]] = (
        [filled[r.start : r.stop] for r in paginate(len(filled), per_page, per_page)] if filled else []
    )
    pages += [[] for _ in range(blank_pages)]
    pages = pages or [[]]
    empty = Row(("",) * len(COLUMNS))

    def draw(c: Canvas) -> None:
        for n, rows in enumerate(pages, 1):
            y = page_furniture(
                c,
                ctx,
                width,
                height,
                "REGISTRE DES MOUVEMENTS DU SERVICE",
                n,
                len(pages),
                subtitle=f"UF {uf_code} — {uf_name} · main courante du service · feuille n° ______",
                snapshot=bool(present),
            )
            c.setFont(FONT, 7.5)
            c.setFillColor(MUTED)
            for n_line, text in enumerate(LEGEND):
                c.drawString(MARGIN, y - 3 * mm - n_line * 3.3 * mm, text)
            c.setFillColor(INK)
            lines = [*rows, *[empty] * (per_page - len(rows))]
            top = y - 9 * mm
            draw_rows(c, COLUMNS, lines, MARGIN, top, ROW_HEIGHT)
            _ticks(c, top - 6 * mm, len(lines))
            c.showPage()

    return render(PAGE, ctx, f"Registre des mouvements — {uf_code}", draw)
