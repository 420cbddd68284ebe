"""What every printed document shares: fonts, page furniture, text fitting, boxes and barcodes.

Fonts are the Bitstream Vera TrueType files shipped inside reportlab itself,
embedded (subset) in every PDF: every French letter (accents, Œ, Ÿ, Ç) prints
the same on every workstation, with no system font to install.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import reportlab
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import code128, qr
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from continuity.dates import age_text

FONT = "KitSans"
BOLD = "KitSans-Bold"
ITALIC = "KitSans-Oblique"

INK = HexColor("#111111")
MUTED = HexColor("#555555")
ACCENT = HexColor("#1f3b5c")
RULE = HexColor("#9aa5b1")
SHADE = HexColor("#eef1f5")
EXERCISE_RED = HexColor("#c00000")
ELLIPSIS = "…"

CONFIDENTIAL = (
    "Document confidentiel : données de santé. Ne pas laisser sans surveillance ; "
    "détruire par broyage après ressaisie."
)


@functools.cache
def register_fonts() -> None:
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))


@dataclass(frozen=True)
class PrintContext:
    """Who prints, when, for which site, and how fresh the HIS picture is."""

    site_name: str
    printed_at: datetime
    printed_by: str
    exercise: bool = False
    snapshot_at: datetime | None = None
    snapshot_max_age: timedelta | None = None

    @property
    def printed_text(self) -> str:
        return f"Imprimé le {local(self.printed_at)} par {self.printed_by}"

    @property
    def snapshot_text(self) -> str:
        if self.snapshot_at is None:
            return "Aucun instantané du SIH reçu"
        age = self.printed_at - self.snapshot_at
        text = f"Instantané SIH du {local(self.snapshot_at)} (il y a {age_text(age)})"
        if self.snapshot_max_age is not None and age > self.snapshot_max_age:
            text += " — TROP ANCIEN"
        return text


def local(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return "—"
    return moment.astimezone().strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


# --------------------------------------------------------------------------- text
def width_of(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


def fit_text(
    c: Canvas,
    text: str,
    x: float,
    y: float,
    max_width: float,
    font: str = FONT,
    size: float = 10,
    min_size: float = 6.5,
    align: str = "left",
) -> None:
    """One line: shrink down to ``min_size`` to fit, then cut with an ellipsis."""
    width = width_of(text, font, size)
    if width > max_width:
        # widths scale with the size: the size that fits, rounded down to half points
        size = max(min_size, int(size * max_width / width * 2) / 2)
        text = clip(text, font, size, max_width)
    c.setFont(font, size)
    if align == "right":
        c.drawRightString(x + max_width, y, text)
    elif align == "center":
        c.drawCentredString(x + max_width / 2, y, text)
    else:
        c.drawString(x, y, text)


def clip(text: str, font: str, size: float, max_width: float) -> str:
    if width_of(text, font, size) <= max_width:
        return text
    while text and width_of(text + ELLIPSIS, font, size) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _break(paragraph: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy line breaking at spaces and after hyphens (compound names wrap at their hyphens)."""
    pieces = re.findall(r"[^\s-]*-|[^\s-]+\s*|\s+", paragraph)
    lines, current = [], ""
    for piece in pieces:
        if current and width_of((current + piece).rstrip(), font, size) > max_width:
            lines.append(current.rstrip())
            current = piece.lstrip()
        else:
            current += piece
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def wrap(text: str, font: str, size: float, max_width: float, max_lines: int) -> list[str]:
    """Word-wrapped lines; the last one ends with an ellipsis if the text does not fit."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_break(paragraph, font, size, max_width))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = clip(lines[-1] + " " + ELLIPSIS, font, size, max_width)
        if not lines[-1].endswith(ELLIPSIS):
            lines[-1] = clip(lines[-1] + ELLIPSIS * 2, font, size, max_width)
    return [clip(line, font, size, max_width) for line in lines]


def fit_lines(
    text: str, font: str, size: float, min_size: float, max_width: float, max_lines: int
) -> tuple[list[str], float]:
    """The largest size (down to ``min_size``) at which ``text`` fits in ``max_lines`` lines."""
    if "\n" not in text and width_of(text, font, size) <= max_width:
        return [text], size
    while True:
        lines = wrap(text, font, size, max_width, max_lines + 1)
        if len(lines) <= max_lines or size <= min_size:
            return wrap(text, font, size, max_width, max_lines), size
        size = max(min_size, size - 0.5)


# --------------------------------------------------------------------------- drawing
def label(c: Canvas, text: str, x: float, y: float, size: float = 6.5) -> None:
    c.setFillColor(MUTED)
    c.setFont(FONT, size)
    c.drawString(x, y, text)
    c.setFillColor(INK)


def comb(c: Canvas, x: float, y: float, cells: int, cell: float = 5 * mm, height: float = 6 * mm) -> float:
    """A row of letter boxes (one character per box, for legible handwriting); returns its width."""
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.rect(x, y, cells * cell, height)
    for i in range(1, cells):
        c.line(x + i * cell, y, x + i * cell, y + height)
    c.setStrokeColor(INK)
    return cells * cell


def date_comb(
    c: Canvas, x: float, y: float, with_time: bool = False, cell: float = 5 * mm, height: float = 6 * mm
) -> float:
    """JJ/MM/AAAA (and HH:MM) boxes with their separators printed; returns the x where they end."""
    groups: list[tuple[int, str]] = [(2, "/"), (2, "/"), (4, "")]
    if with_time:
        groups[-1] = (4, "à")
        groups += [(2, ":"), (2, "")]
    gap = 3.5 * mm
    for cells, mark in groups:
        x += comb(c, x, y, cells, cell, height)
        if mark:
            c.setFont(BOLD if mark != "à" else FONT, 10)
            c.setFillColor(MUTED)
            c.drawCentredString(x + gap / 2 + (1 if mark == "à" else 0), y + 1.6 * mm, mark)
            c.setFillColor(INK)
            x += gap + (2 * mm if mark == "à" else 0)
    return x


def checkbox(
    c: Canvas,
    x: float,
    y: float,
    text: str,
    size: float = 3.2 * mm,
    font_size: float = 8.5,
    checked: bool = False,
) -> float:
    """A box to tick and its label; returns the width used."""
    c.setStrokeColor(INK)
    c.setLineWidth(0.7)
    c.rect(x, y, size, size)
    if checked:
        c.setFont(BOLD, size / mm * 2.6)
        c.drawCentredString(x + size / 2, y + 0.6, "X")
    c.setFont(FONT, font_size)
    c.drawString(x + size + 1.5 * mm, y + 0.4, text)
    return size + 1.5 * mm + width_of(text, FONT, font_size) + 4 * mm


def writing_line(c: Canvas, x: float, y: float, width: float) -> None:
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.setDash(1, 2)
    c.line(x, y, x + width, y)
    c.setDash()
    c.setStrokeColor(INK)


def section_band(c: Canvas, x: float, y: float, width: float, text: str, height: float = 5.5 * mm) -> None:
    c.setFillColor(ACCENT)
    c.rect(x, y, width, height, stroke=0, fill=1)
    c.setFillColor(white)
    c.setFont(BOLD, 9)
    c.drawString(x + 2 * mm, y + 1.6 * mm, text)
    c.setFillColor(INK)


def barcode128(
    c: Canvas,
    value: str,
    x: float,
    y: float,
    height: float,
    bar_width: float = 0.33 * mm,
    human: bool = False,
) -> float:
    """Code 128 (digits pack as code set C); returns the width drawn, quiet zones included."""
    symbol = code128.Code128(
        value,
        barHeight=height,
        barWidth=bar_width,
        humanReadable=human,
        quiet=True,
        lquiet=10 * bar_width,
        rquiet=10 * bar_width,
    )
    symbol.drawOn(c, x, y)
    return float(symbol.width)


def barcode128_width(value: str, bar_width: float = 0.33 * mm) -> float:
    symbol = code128.Code128(
        value, barWidth=bar_width, quiet=True, lquiet=10 * bar_width, rquiet=10 * bar_width
    )
    return float(symbol.width)


def qr_code(c: Canvas, value: str, x: float, y: float, size: float) -> None:
    widget = qr.QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


# --------------------------------------------------------------------------- pages
def exercise_mark(c: Canvas, width: float, height: float) -> None:
    """Drill mode: a banner and a large diagonal word on every page."""
    c.saveState()
    c.setFillColor(Color(0.75, 0, 0, alpha=0.13))
    c.setFont(BOLD, min(width, height) / 5.5)
    c.translate(width / 2, height / 2)
    c.rotate(35 if height > width else 15)
    c.drawCentredString(0, -min(width, height) / 16, "EXERCICE")
    c.restoreState()


def content_top(ctx: PrintContext, height: float, subtitle: bool = True) -> float:
    """Where ``page_furniture`` lets a page's content start (for paginating ahead)."""
    banner = 5 * mm if ctx.exercise else 0
    return height - 12 * mm - banner - (18 if subtitle else 13) * mm - 4 * mm


def page_furniture(
    c: Canvas,
    ctx: PrintContext,
    width: float,
    height: float,
    title: str,
    page: int,
    pages: int,
    subtitle: str = "",
    snapshot: bool = False,
) -> float:
    """Header and footer of an A4 page; returns the y below the header where content starts."""
    margin = 12 * mm
    top = height - margin
    if ctx.exercise:
        c.setFillColor(EXERCISE_RED)
        c.rect(0, height - 7 * mm, width, 7 * mm, stroke=0, fill=1)
        c.setFillColor(white)
        c.setFont(BOLD, 10)
        c.drawCentredString(
            width / 2, height - 5 * mm, "EXERCICE — DOCUMENT D'ENTRAÎNEMENT, SANS VALEUR POUR LES SOINS"
        )
        c.setFillColor(INK)
        top -= 5 * mm
    c.setFillColor(MUTED)
    c.setFont(FONT, 8)
    c.drawString(margin, top - 3 * mm, ctx.site_name)
    c.drawRightString(width - margin, top - 3 * mm, "MODE DÉGRADÉ — kit de continuité")
    c.setFillColor(INK)
    c.setFont(BOLD, 14)
    c.drawString(margin, top - 10 * mm, title)
    if subtitle:
        fit_text(c, subtitle, margin, top - 15.5 * mm, width - 2 * margin, FONT, 10)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.2)
    rule = content_top(ctx, height, bool(subtitle)) + 4 * mm
    c.line(margin, rule, width - margin, rule)
    # footer
    c.setLineWidth(0.5)
    c.setStrokeColor(RULE)
    c.line(margin, 13 * mm, width - margin, 13 * mm)
    c.setFillColor(MUTED)
    c.setFont(FONT, 7.5)
    c.drawString(margin, 9.5 * mm, ctx.printed_text)
    if snapshot:
        c.drawCentredString(width / 2, 9.5 * mm, ctx.snapshot_text)
    c.setFont(BOLD, 8)
    c.drawRightString(width - margin, 9.5 * mm, f"Page {page} / {pages}")
    c.setFont(ITALIC, 6.5)
    c.drawString(margin, 6 * mm, CONFIDENTIAL)
    c.setFillColor(INK)
    c.setStrokeColor(INK)
    if ctx.exercise:
        exercise_mark(c, width, height)
    return rule - 4 * mm


def new_canvas(buffer: io.BytesIO, size: tuple[float, float], ctx: PrintContext, title: str) -> Canvas:
    register_fonts()
    c = Canvas(buffer, pagesize=size, pageCompression=1, invariant=False)
    c.setTitle(title)
    c.setAuthor(ctx.site_name)
    c.setCreator("continuity-kit (mode dégradé)")
    c.setSubject("EXERCICE" if ctx.exercise else "Mode dégradé")
    return c


def render(size: tuple[float, float], ctx: PrintContext, title: str, draw: Callable[[Canvas], None]) -> bytes:
    """Run ``draw`` on a fresh canvas held in memory (never a temporary file); the PDF bytes."""
    buffer = io.BytesIO()
    c = new_canvas(buffer, size, ctx, title)
    draw(c)
    c.save()
    return buffer.getvalue()
