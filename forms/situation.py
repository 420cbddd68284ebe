"""Situation report (point de situation) of the crisis cell: statuses, figures, latest log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from continuity.dates import age_text
from continuity.domain.crisis import STATUS_LABELS, DegradedStatus, LogEntry, ServiceStatusView
from continuity.services.indicators import Dashboard
from continuity.witness import AuditHead
from forms.base import (
    BOLD,
    FONT,
    INK,
    MUTED,
    RULE,
    SHADE,
    PrintContext,
    content_top,
    local,
    page_furniture,
    render,
    section_band,
    wrap,
)
from forms.table import Column, Row, draw_header, draw_row

MARGIN = 12 * mm
BOTTOM = 18 * mm
LOG_TEXT_LINES = 12
STATUS_SHADES: dict[DegradedStatus, Color | None] = {
    DegradedStatus.NORMAL: None,
    DegradedStatus.DEGRADED: HexColor("#f8d7d7"),
    DegradedStatus.RECOVERY: HexColor("#fde8c4"),
    DegradedStatus.RESTORED: HexColor("#dcefd9"),
}
CATEGORY_WORDS = {"info": "information", "decision": "décision", "action": "action", "alert": "alerte"}

STATUS_COLUMNS = (
    Column("Service", 20 * mm, bold=True),
    Column("Nom", 42 * mm, lines=2),
    Column("Statut", 48 * mm, bold=True, lines=2),
    Column("Depuis", 26 * mm),
    Column("Par", 20 * mm),
    Column("Note", 30 * mm, lines=2),
)
OCCUPANCY_COLUMNS = (
    Column("UF", 20 * mm, bold=True),
    Column("Nom", 56 * mm),
    Column("Lits occupés", 22 * mm, align="right"),
    Column("Sans lit", 18 * mm, align="right"),
    Column("Lits", 22 * mm, align="right"),
    Column("Lits bloqués", 24 * mm, align="right"),
    Column("Occupation", 24 * mm, align="right"),
)
LOG_WIDTHS = (26 * mm, 20 * mm, 18 * mm, 14 * mm, 108 * mm)


@dataclass(frozen=True)
class _Block:
    """Something drawn at the cursor; ``header`` is redrawn first when a page breaks before it."""

    height: float
    draw: Callable[[Canvas, float], float]
    header: _Block | None = None


def _band(text: str) -> _Block:
    def draw(c: Canvas, y: float) -> float:
        section_band(c, MARGIN, y - 5.5 * mm, sum(c_.width for c_ in STATUS_COLUMNS), text)
        return y - 8 * mm

    return _Block(8 * mm, draw)


def _table(
    columns: Sequence[Column],
    rows: Sequence[tuple[Row, float]],
    row_columns: Sequence[Sequence[Column]] | None = None,
) -> list[_Block]:
    """A header block, then one block per row (drawn with its own columns when given)."""
    header = _Block(6 * mm, lambda c, y: draw_header(c, columns, MARGIN, y))
    blocks = [header]
    for n, (row, height) in enumerate(rows):
        cols = row_columns[n] if row_columns is not None else columns

        def draw(
            c: Canvas, y: float, cols: Sequence[Column] = cols, row: Row = row, height: float = height
        ) -> float:
            return draw_row(c, cols, row, MARGIN, y, height)

        blocks.append(_Block(height, draw, header))
    return blocks


def _figures(ctx: PrintContext, board: Dashboard) -> _Block:
    since = (
        f"depuis la panne ({local(board.outage_started_at)})"
        if board.outage_started_at
        else "sur les dernières 24 h (aucune panne déclarée)"
    )
    snapshot = f"il y a {age_text(board.now - board.last_snapshot_at)}" if board.last_snapshot_at else "aucun"
    figures = (
        ("Admissions", str(board.admissions), since),
        ("Sorties", str(board.discharges), since),
        (
            "Lits occupés",
            f"{board.occupied_total} / {board.beds_total}",
            f"absents compris · {board.bedless_total} patient(s) sans lit",
        ),
        ("Identités provisoires", str(board.provisional_identities), "séjours en cours"),
        ("À synchroniser", str(board.pending_sync), "événements en attente vers le SIH"),
        ("Dernier instantané SIH", snapshot, local(board.last_snapshot_at)),
    )
    cell_w = sum(c_.width for c_ in STATUS_COLUMNS) / 3
    cell_h = 16 * mm

    def draw(c: Canvas, y: float) -> float:
        for n, (name, value, note) in enumerate(figures):
            x = MARGIN + (n % 3) * cell_w
            top = y - (n // 3) * cell_h
            c.setFillColor(SHADE)
            c.setStrokeColor(RULE)
            c.rect(x + 1 * mm, top - cell_h + 1 * mm, cell_w - 2 * mm, cell_h - 2 * mm, fill=1)
            c.setFillColor(MUTED)
            c.setFont(FONT, 7.5)
            c.drawString(x + 3 * mm, top - 5 * mm, name)
            c.setFillColor(INK)
            c.setFont(BOLD, 14)
            c.drawString(x + 3 * mm, top - 11 * mm, value)
            c.setFillColor(MUTED)
            c.setFont(FONT, 6.5)
            c.drawString(x + 3 * mm, top - 14 * mm, note[:60])
            c.setFillColor(INK)
        return y - 2 * cell_h - 3 * mm

    return _Block(2 * cell_h + 3 * mm, draw)


def _log_rows(entries: Sequence[LogEntry]) -> list[_Block]:
    text_col = LOG_WIDTHS[-1] - 2.4 * mm
    sized: list[tuple[Row, float]] = []
    columns: list[Sequence[Column]] = []
    for e in entries:
        lines = len(wrap(e.text, FONT, 8, text_col, LOG_TEXT_LINES))
        cols: Sequence[Column] = (
            Column("Heure", LOG_WIDTHS[0]),
            Column("Auteur", LOG_WIDTHS[1]),
            Column("Catégorie", LOG_WIDTHS[2], bold=e.category.value == "alert"),
            Column("Service", LOG_WIDTHS[3]),
            Column("Texte", LOG_WIDTHS[4], lines=lines, size=8),
        )
        columns.append(cols)
        sized.append(
            (
                Row(
                    (
                        local(e.at),
                        e.author,
                        CATEGORY_WORDS.get(e.category.value, ""),
                        e.service_code or "",
                        e.text,
                    )
                ),
                max(6 * mm, lines * 3.6 * mm + 2 * mm),
            )
        )
    header_cols = (
        Column("Heure", LOG_WIDTHS[0]),
        Column("Auteur", LOG_WIDTHS[1]),
        Column("Catégorie", LOG_WIDTHS[2]),
        Column("Service", LOG_WIDTHS[3]),
        Column("Texte", LOG_WIDTHS[4]),
    )
    return _table(header_cols, sized, columns)


def _heads(heads: Sequence[AuditHead]) -> _Block:
    """The audit chains' heads (this workstation's first, then those received from the others):
    kept on paper, they witness the chains (``continuity audit verify --witness N:EMPREINTE``)."""
    lines = [
        f"{h.workstation} : entrée n°{h.seq}, empreinte {h.short}, au {local(h.at)}"
        + ("" if n else " (ce poste)")
        for n, h in enumerate(heads)
    ]

    def draw(c: Canvas, y: float) -> float:
        c.setFont(BOLD, 7.5)
        c.drawString(MARGIN, y - 4 * mm, "Témoin des journaux d'audit (à conserver avec ce point) :")
        c.setFont(FONT, 7.5)
        for n, line in enumerate(lines):
            c.drawString(MARGIN + 4 * mm, y - (8 + 3.6 * n) * mm, line)
        return y - (6 + 3.6 * len(lines)) * mm

    return _Block((6 + 3.6 * len(lines)) * mm, draw)


def _closing(ctx: PrintContext) -> _Block:
    def draw(c: Canvas, y: float) -> float:
        c.setFont(FONT, 9)
        c.drawString(MARGIN, y - 6 * mm, f"Point établi par {ctx.printed_by}, le {local(ctx.printed_at)}.")
        c.setFont(FONT, 7.5)
        c.setFillColor(MUTED)
        c.drawString(MARGIN + 110 * mm, y - 6 * mm, "Visa du directeur de crise :")
        c.setFillColor(INK)
        c.setStrokeColor(RULE)
        c.rect(MARGIN + 110 * mm, y - 24 * mm, 76 * mm, 16 * mm)
        return y - 26 * mm

    return _Block(26 * mm, draw)


def render_situation_report(
    ctx: PrintContext,
    statuses: Sequence[ServiceStatusView],
    board: Dashboard,
    log: Sequence[LogEntry],
    heads: Sequence[AuditHead] = (),
) -> bytes:
    status_rows = [
        (
            Row(
                (
                    s.code,
                    s.name,
                    STATUS_LABELS[s.status][0],
                    local(s.changed_at),
                    s.changed_by or "—",
                    s.note or "",
                ),
                shade=STATUS_SHADES[s.status],
            ),
            8 * mm,
        )
        for s in statuses
    ]
    occupancy_rows = [
        (
            Row(
                (
                    u.uf_code,
                    u.uf_name,
                    str(u.occupied),
                    str(u.bedless),
                    str(u.total_beds),
                    str(u.blocked_beds),
                    f"{u.rate:.0%}" if u.rate is not None else "—",
                )
            ),
            6 * mm,
        )
        for u in board.occupancy
    ]
    blocks: list[_Block] = [
        _band("STATUT DES SERVICES"),
        *_table(STATUS_COLUMNS, status_rows),
        _Block(4 * mm, lambda c, y: y - 4 * mm),
        _band("INDICATEURS"),
        _figures(ctx, board),
        _band("OCCUPATION PAR UF"),
        *_table(OCCUPANCY_COLUMNS, occupancy_rows),
        _Block(4 * mm, lambda c, y: y - 4 * mm),
        _band(f"MAIN COURANTE — {len(log)} dernière(s) entrée(s), la plus récente en premier"),
        *(_log_rows(log) if log else [_Block(8 * mm, lambda c, y: _none(c, y))]),
        *([_heads(heads)] if heads else []),
        _closing(ctx),
    ]
    width, height = A4
    top = content_top(ctx, height)
    pages: list[list[_Block]] = [[]]
    y = top
    for block in blocks:
        if y - block.height < BOTTOM and pages[-1]:
            pages.append([])
            y = top
            if block.header is not None:
                pages[-1].append(block.header)
                y -= block.header.height
        pages[-1].append(block)
        y -= block.height
    outage = "aucune panne déclarée"
    if board.outage_started_at is not None:
        outage = (
            f"panne déclarée le {local(board.outage_started_at)}, il y a "
            f"{age_text(board.now - board.outage_started_at)}"
        )

    def draw(c: Canvas) -> None:
        for n, page in enumerate(pages, 1):
            y = page_furniture(
                c,
                ctx,
                width,
                height,
                "POINT DE SITUATION — CELLULE DE CRISE",
                n,
                len(pages),
                subtitle=f"{ctx.site_name} — au {local(ctx.printed_at)} — {outage}",
                snapshot=True,
            )
            for block in page:
                y = block.draw(c, y)
            c.showPage()

    return render(A4, ctx, "Point de situation", draw)


def _none(c: Canvas, y: float) -> float:
    c.setFont(FONT, 9)
    c.drawString(MARGIN, y - 5 * mm, "Aucune entrée.")
    return y - 8 * mm
