"""Ward census for the wall and the crisis cell: who is in which bed, one UF per section.

Every bed is listed (free and blocked ones too, so a nurse can write in the
next admission by hand), then the patients waiting without a bed. Each UF
starts on a new page; the footer gives the print time and the age of the
last HIS snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from continuity.domain.movement import StayState
from continuity.domain.records import PatientSummary
from continuity.services.patients import UfCensus
from forms.base import BOLD, FONT, PrintContext, content_top, local, page_furniture, render
from forms.table import Column, Row, draw_rows, paginate

PAGE = landscape(A4)
MARGIN = 12 * mm
ROW_HEIGHT = 8 * mm
FREE = HexColor("#f3f8f2")
BLOCKED = HexColor("#e6e6e6")
LEAVE = HexColor("#fdf3df")

COLUMNS = (
    Column("Lit", 16 * mm, bold=True),
    Column("Nom de naissance (nom utilisé)", 60 * mm, bold=True, lines=2),
    Column("Prénom(s) de naissance (utilisé)", 44 * mm, lines=2),
    Column("Sexe", 10 * mm, align="center"),
    Column("Né(e) le", 20 * mm),
    Column("Âge", 10 * mm, align="right"),
    Column("N° provisoire / IPP SIH", 28 * mm, lines=2),
    Column("NDA (prov. ou SIH)", 22 * mm),
    Column("Admis le", 27 * mm),
    Column("État", 14 * mm),
    Column("Observations", 22 * mm, lines=2),
)


@dataclass(frozen=True)
class _Section:
    uf: UfCensus
    rows: list[Row]


def _patient_cells(bed: str, s: PatientSummary, ctx: PrintContext) -> Row:
    i = s.patient.identity
    name = i.birth_name + (f" ({i.used_name})" if i.used_name and i.used_name != i.birth_name else "")
    first = ", ".join(i.first_names) + (f" ({i.used_first_name})" if i.used_first_name else "")
    ids = s.patient.numbers
    stay = s.stay
    on_leave = stay is not None and stay.state is StayState.ON_LEAVE
    state = "absent" if on_leave else "présent"
    remark = "IDENTITÉ D'ATTENTE" if i.placeholder else ""
    return Row(
        (
            bed,
            name,
            first,
            i.sex.value,
            f"{i.birth_date:%d/%m/%Y}",
            str(i.age_on(ctx.printed_at.date())),
            ids,
            stay.number if stay else "",
            local(stay.admitted_at) if stay else "",
            state,
            remark,
        ),
        shade=LEAVE if on_leave else None,
    )


def _rows(uf: UfCensus, ctx: PrintContext) -> list[Row]:
    rows: list[Row] = []
    for bed in uf.beds:
        if bed.occupant is not None:
            rows.append(_patient_cells(bed.bed_code, bed.occupant, ctx))
        else:
            word = "— bloqué —" if bed.blocked else "— libre —"
            rows.append(
                Row(
                    (bed.bed_code, word, *[""] * (len(COLUMNS) - 2)),
                    shade=BLOCKED if bed.blocked else FREE,
                    muted=True,
                )
            )
    rows.extend(_patient_cells("sans lit", s, ctx) for s in uf.without_bed)
    return rows


def _uf_line(uf: UfCensus, continued: bool) -> str:
    on_leave = sum(
        1 for b in uf.beds if b.occupant and b.occupant.stay and b.occupant.stay.state is StayState.ON_LEAVE
    )
    text = (
        f"{uf.uf_code} — {uf.uf_name} · {uf.occupied}/{len(uf.beds)} lits occupés"
        f" · {on_leave} absent(s) · {uf.bedless} patient(s) sans lit"
    )
    return text + (" (suite)" if continued else "")


def render_census(ctx: PrintContext, census: Sequence[UfCensus]) -> bytes:
    width, height = PAGE
    body_top = content_top(ctx, height)
    usable = body_top - 8 * mm - 6 * mm - 16 * mm  # UF line, table header, footer
    per_page = int(usable // ROW_HEIGHT)
    plan: list[tuple[UfCensus, list[Row], bool]] = []
    for uf in census:
        rows = _rows(uf, ctx)
        for n, part in enumerate(paginate(len(rows), per_page, per_page)):
            plan.append((uf, rows[part.start : part.stop], n > 0))
    if not plan:
        plan.append((UfCensus(uf_code="-", uf_name="aucune UF", beds=[], without_bed=[]), [], False))
    ufs = ", ".join(u.uf_code for u in census) or "aucune UF"
    subtitle = f"{ctx.site_name} — UF : {ufs} — état au {local(ctx.printed_at)}"

    def draw(c: Canvas) -> None:
        for page, (uf, rows, continued) in enumerate(plan, 1):
            y = page_furniture(
                c,
                ctx,
                width,
                height,
                "RECENSEMENT DES PATIENTS PAR LIT",
                page,
                len(plan),
                subtitle=subtitle,
                snapshot=True,
            )
            c.setFont(BOLD, 11)
            c.drawString(MARGIN, y - 4 * mm, _uf_line(uf, continued))
            if not rows:
                c.setFont(FONT, 10)
                c.drawString(MARGIN, y - 12 * mm, "Aucun lit ni patient dans cette UF.")
            else:
                draw_rows(c, COLUMNS, rows, MARGIN, y - 7 * mm, ROW_HEIGHT)
            c.showPage()

    return render(PAGE, ctx, "Recensement des patients", draw)
