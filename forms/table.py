"""Ruled tables drawn straight on the canvas, paginated before drawing.

Platypus tables of Paragraphs are too slow for a 500-page census, so rows
have a fixed height and cells fit their text (shrink, wrap on two lines,
then an ellipsis): a long name is never silently dropped into the next cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from forms.base import BOLD, FONT, INK, MUTED, RULE, SHADE, fit_lines, fit_text


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # points
    bold: bool = False
    lines: int = 1  # lines a cell may wrap to
    size: float = 8.5
    align: str = "left"


@dataclass(frozen=True)
class Row:
    cells: Sequence[str]
    shade: Color | None = None
    muted: bool = False


def draw_header(c: Canvas, columns: Sequence[Column], x: float, y: float, height: float = 6 * mm) -> float:
    c.setFillColor(SHADE)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.rect(x, y - height, sum(col.width for col in columns), height, stroke=1, fill=1)
    c.setFillColor(INK)
    cx = x
    for col in columns:
        fit_text(c, col.title, cx + 1.2 * mm, y - height + 2 * mm, col.width - 2.4 * mm, BOLD, 7.5, 5.5)
        cx += col.width
    return y - height


def draw_row(c: Canvas, columns: Sequence[Column], row: Row, x: float, y: float, height: float) -> float:
    total = sum(col.width for col in columns)
    if row.shade is not None:
        c.setFillColor(row.shade)
        c.rect(x, y - height, total, height, stroke=0, fill=1)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.line(x, y - height, x + total, y - height)
    c.setFillColor(MUTED if row.muted else INK)
    cx = x
    for col, text in zip(columns, row.cells, strict=True):
        c.line(cx, y, cx, y - height)
        if text:
            font = BOLD if col.bold and not row.muted else FONT
            inner = col.width - 2.4 * mm
            if col.lines > 1:
                lines, size = fit_lines(text, font, col.size, 6, inner, col.lines)
                lead = size * 1.12
                top = y - (height - lead * len(lines)) / 2 - size * 0.85
                c.setFont(font, size)
                for n, line in enumerate(lines):
                    c.drawString(cx + 1.2 * mm, top - n * lead, line)
            else:
                fit_text(
                    c,
                    text,
                    cx + 1.2 * mm,
                    y - height / 2 - col.size * 0.33,
                    inner,
                    font,
                    col.size,
                    6,
                    col.align,
                )
        cx += col.width
    c.line(cx, y, cx, y - height)
    c.setFillColor(INK)
    c.setStrokeColor(INK)
    return y - height


def paginate(count: int, first_page_rows: int, rows_per_page: int) -> list[range]:
    """Row index ranges per page (at least one page, even for no rows)."""
    pages = [range(0, min(count, first_page_rows))]
    start = first_page_rows
    while start < count:
        pages.append(range(start, min(count, start + rows_per_page)))
        start += rows_per_page
    return pages


def draw_rows(
    c: Canvas, columns: Sequence[Column], rows: Sequence[Row], x: float, y: float, height: float
) -> float:
    y = draw_header(c, columns, x, y)
    for row in rows:
        y = draw_row(c, columns, row, x, y, height)
    return y
