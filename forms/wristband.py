"""Identification wristbands (one band per page, sized to the band) and A4 label sheets.

A band carries the identity as the RNIV asks: the strict traits first (birth name in
capitals, birth first names in civil-status order, birth date, sex, birth place code),
then, lighter, the complementary ones (used name, used first name); the identity status
and, white on black, « IDENTITÉ DOUTEUSE », « IDENTITÉ FICTIVE », « HOMONYME »; and the
provisional number as text and Code 128, which a scanner types back into the ward view's
search box.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from continuity.domain.identity import STATUS_LABELS
from continuity.domain.records import PatientSummary
from continuity.errors import InvalidInput
from forms.base import (
    BOLD,
    EXERCISE_RED,
    FONT,
    INK,
    ITALIC,
    MUTED,
    PrintContext,
    barcode128,
    barcode128_width,
    fit_text,
    render,
)


@dataclass(frozen=True)
class BandSize:
    """A wristband: its size, and the zone the printer can print on (after the clasp)."""

    name: str
    width: float  # across the wrist, points
    length: float
    zone_start: float
    zone_length: float

    @property
    def page(self) -> tuple[float, float]:
        return (self.length, self.width)


BANDS = {
    "adulte": BandSize("adulte", 25.4 * mm, 279 * mm, 38 * mm, 165 * mm),
    "enfant": BandSize("enfant", 25.4 * mm, 190 * mm, 30 * mm, 120 * mm),
    "nourrisson": BandSize("nourrisson", 19 * mm, 152 * mm, 25 * mm, 95 * mm),
}


def band_size(text: str) -> BandSize:
    """A preset name, or WIDTHxLENGTH in millimetres (for example 25x279)."""
    key = text.strip().lower()
    if key in BANDS:
        return BANDS[key]
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*x\s*(\d+(?:[.,]\d+)?)", key)
    if match:
        w, length = (float(g.replace(",", ".")) for g in match.groups())
        if 15 <= w <= 40 and 100 <= length <= 400:
            return BandSize(key, w * mm, length * mm, length * 0.14 * mm, length * 0.6 * mm)
    raise InvalidInput(
        f"Taille de bracelet invalide : « {text} » (adulte, enfant, nourrisson, ou LxL en mm "
        "entre 15x100 et 40x400).",
        f"Invalid wristband size: '{text}' (adulte, enfant, nourrisson, or WxL in mm between "
        "15x100 and 40x400).",
    )


@dataclass(frozen=True)
class LabelStock:
    """A sheet of self-adhesive labels on A4."""

    name: str
    columns: int
    rows: int
    label_w: float
    label_h: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


STOCKS = {
    "3x8": LabelStock("3x8", 3, 8, 70 * mm, 37 * mm, 0, 0.5 * mm, 70 * mm, 37 * mm),
    "3x7": LabelStock("3x7", 3, 7, 63.5 * mm, 38.1 * mm, 7.2 * mm, 15.1 * mm, 66 * mm, 38.1 * mm),
    "2x7": LabelStock("2x7", 2, 7, 99.1 * mm, 38.1 * mm, 4.6 * mm, 15.1 * mm, 101.6 * mm, 38.1 * mm),
}


def label_stock(text: str) -> LabelStock:
    stock = STOCKS.get(text.strip().lower())
    if stock is None:
        raise InvalidInput(
            f"Planche d'étiquettes inconnue : « {text} » (choix : {', '.join(STOCKS)}).",
            f"Unknown label sheet: '{text}' (choices: {', '.join(STOCKS)}).",
        )
    return stock


def _strict(s: PatientSummary) -> str:
    """The strict traits' name: birth name in capitals, birth first names in civil-status order."""
    i = s.patient.identity
    return f"{i.birth_name.upper()}  {' '.join(n.upper() for n in i.first_names)}"


def _born(s: PatientSummary, ctx: PrintContext) -> str:
    i = s.patient.identity
    word = {"F": "Née", "M": "Né"}.get(i.sex.value, "Né(e)")
    text = f"{word} le {i.birth_date:%d/%m/%Y} ({i.age_on(ctx.printed_at.date())} ans) · sexe {i.sex.value}"
    if i.birth_place_insee:
        text += f" · lieu {i.birth_place_insee}"
    return text


def _complementary(s: PatientSummary) -> str:
    """The complementary traits (used name, used first name), or nothing when there are none."""
    i = s.patient.identity
    if not (i.used_name or i.used_first_name):
        return ""
    used, first = (i.used_name or "—").upper(), (i.used_first_name or "—").upper()
    return f"nom utilisé : {used} · prénom utilisé : {first}"


def _flags(s: PatientSummary, homonym: bool) -> tuple[str, list[str]]:
    """The identity status (« Identité validée »), and the warnings in capitals RNIV asks for."""
    i = s.patient.identity
    status = "Identité " + STATUS_LABELS[i.status][0]
    warnings = []
    if i.placeholder:
        warnings.append("IDENTITÉ D'ATTENTE")
    if i.doubtful:
        warnings.append("IDENTITÉ DOUTEUSE")
    if i.fictitious:
        warnings.append("IDENTITÉ FICTIVE")
    if homonym:
        warnings.append("HOMONYME")
    return status, warnings


def _warning(c: Canvas, text: str, x: float, y: float, width: float, size: float) -> None:
    """A warning printed white on black: seen from afar, on any printer."""
    c.setFillColor(INK)
    c.rect(x, y - size * 0.3, width, size * 1.25, stroke=0, fill=1)
    c.setFillColor(white)
    fit_text(c, text, x + 1, y, width - 2, BOLD, size, 5, "center")
    c.setFillColor(INK)


def _draw_band(c: Canvas, s: PatientSummary, ctx: PrintContext, band: BandSize, homonym: bool) -> None:
    number = s.patient.number
    x = band.zone_start
    bar_h = band.width - 8 * mm
    bar_w = barcode128_width(number, 0.3 * mm)
    flags_w = min(34 * mm, band.zone_length * 0.24)
    text_w = band.zone_length - bar_w - flags_w - 5 * mm
    top = band.width - 5.2 * mm
    line = (band.width - 6 * mm) / 3
    # strict traits, then the complementary ones (lighter), as RNIV orders them
    fit_text(c, _strict(s), x, top, text_w, BOLD, 10, 6)
    fit_text(c, _born(s, ctx), x, top - line, text_w, FONT, 8.5, 5.5)
    c.setFillColor(MUTED)
    fit_text(c, _complementary(s), x, top - 2 * line, text_w, ITALIC, 8, 5.5)
    c.setFillColor(INK)
    fx = x + text_w + 2 * mm
    status, warnings = _flags(s, homonym)
    fit_text(c, status, fx, top, flags_w, BOLD, 8.5, 5.5)
    for n, text in enumerate(warnings[:2]):
        _warning(c, text, fx, top - (n + 1) * line, flags_w, 7.5)
    bx = x + band.zone_length - bar_w
    barcode128(c, number, bx, 5.5 * mm, bar_h, 0.3 * mm)
    c.setFont(BOLD, 7.5)
    c.drawCentredString(bx + bar_w / 2, 2 * mm, number)
    if ctx.exercise:
        c.setFillColor(EXERCISE_RED)
        c.setFont(BOLD, 9)
        c.drawRightString(x - 3 * mm, band.width / 2 - 1.5 * mm, "EXERCICE")
        c.setFillColor(INK)


def render_wristbands(
    ctx: PrintContext,
    patients: Sequence[PatientSummary],
    band: BandSize,
    homonyms: frozenset[str] = frozenset(),
) -> bytes:
    """One band per patient; ``homonyms``: the ids of the patients that have a homonym."""

    def draw(c: Canvas) -> None:
        for s in patients:
            _draw_band(c, s, ctx, band, s.patient.id in homonyms)
            c.showPage()

    return render(band.page, ctx, "Bracelets d'identification", draw)


def _draw_label(
    c: Canvas, s: PatientSummary, ctx: PrintContext, x: float, y: float, stock: LabelStock, homonym: bool
) -> None:
    """One label whose lower-left corner is (x, y)."""
    pad = 3 * mm
    w = stock.label_w - 2 * pad
    top = y + stock.label_h - pad - 3 * mm
    fit_text(c, _strict(s), x + pad, top, w, BOLD, 9.5, 6)
    fit_text(c, _born(s, ctx), x + pad, top - 3.6 * mm, w, FONT, 7.5, 5.5)
    c.setFillColor(MUTED)
    fit_text(c, _complementary(s), x + pad, top - 6.8 * mm, w, ITALIC, 7, 5.5)
    c.setFillColor(INK)
    status, warnings = _flags(s, homonym)
    fit_text(c, status, x + pad, top - 10.2 * mm, w * 0.4, BOLD, 7, 5.5)
    if warnings:
        _warning(c, " · ".join(warnings), x + pad + w * 0.4, top - 10.2 * mm, w * 0.6, 6.5)
    stay = s.stay
    where = (
        f"{stay.uf_code} / lit {stay.bed_code or '—'} · NDA {stay.number}"
        if stay
        else "pas de séjour en cours"
    )
    c.setFillColor(MUTED)
    fit_text(c, where, x + pad, top - 13.4 * mm, w, FONT, 6.5, 5.5)
    c.setFillColor(INK)
    number = s.patient.number
    bar_h = max(5 * mm, stock.label_h - 21.5 * mm - pad)
    drawn = barcode128(c, number, x + pad - 1 * mm, y + pad - 0.5 * mm, bar_h, 0.26 * mm)
    tail = number + ("  EXERCICE" if ctx.exercise else "")
    if ctx.exercise:
        c.setFillColor(EXERCISE_RED)
    fit_text(
        c, tail, x + pad + drawn, y + pad + bar_h / 2 - 1 * mm, w - drawn + 1 * mm, BOLD, 8.5, 6, "right"
    )
    c.setFillColor(INK)


def render_labels(
    ctx: PrintContext,
    patients: Sequence[PatientSummary],
    stock: LabelStock,
    copies: int,
    homonyms: frozenset[str] = frozenset(),
) -> bytes:
    """``copies`` labels per patient, in order, filling sheets left to right, top to bottom."""
    items = [s for s in patients for _ in range(copies)]
    _, height = A4

    def draw(c: Canvas) -> None:
        for start in range(0, max(1, len(items)), stock.per_sheet):
            for n, s in enumerate(items[start : start + stock.per_sheet]):
                col, row = n % stock.columns, n // stock.columns
                x = stock.left + col * stock.pitch_x
                y = height - stock.top - row * stock.pitch_y - stock.label_h
                _draw_label(c, s, ctx, x, y, stock, s.patient.id in homonyms)
            c.showPage()

    return render(A4, ctx, "Étiquettes patient", draw)
