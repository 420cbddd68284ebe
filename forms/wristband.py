"""Identification wristbands (one band per page, sized to the band) and A4 label sheets.

A band carries the identity traits of the RNIV (birth name, used name, birth
first names, birth date, sex) and the provisional number as text and Code 128,
which a scanner types back into the ward view's search box.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from continuity.domain.records import PatientSummary
from continuity.errors import InvalidInput
from forms.base import (
    BOLD,
    EXERCISE_RED,
    FONT,
    INK,
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


def _names(s: PatientSummary) -> tuple[str, str]:
    i = s.patient.identity
    family = i.birth_name + (
        f"  (nom utilisé : {i.used_name})" if i.used_name and i.used_name != i.birth_name else ""
    )
    first = ", ".join(i.first_names) + (f"  (utilisé : {i.used_first_name})" if i.used_first_name else "")
    return family, first


def _born(s: PatientSummary, ctx: PrintContext) -> str:
    i = s.patient.identity
    word = {"F": "Née", "M": "Né"}.get(i.sex.value, "Né(e)")
    return f"{word} le {i.birth_date:%d/%m/%Y} ({i.age_on(ctx.printed_at.date())} ans) · sexe {i.sex.value}"


def _draw_band(c: Canvas, s: PatientSummary, ctx: PrintContext, band: BandSize) -> None:
    number = s.patient.number
    x = band.zone_start
    bar_h = band.width - 8 * mm
    bar_w = barcode128_width(number, 0.3 * mm)
    text_w = band.zone_length - bar_w - 3 * mm
    top = band.width - 5.2 * mm
    family, first = _names(s)
    line = (band.width - 6 * mm) / 3
    fit_text(c, family, x, top, text_w, BOLD, 10, 6)
    fit_text(c, first, x, top - line, text_w, FONT, 8.5, 5.5)
    tail = _born(s, ctx)
    if s.patient.identity.placeholder:
        tail = "IDENTITÉ D'ATTENTE · " + tail
    fit_text(c, tail, x, top - 2 * line, text_w, FONT, 8, 5.5)
    bx = x + band.zone_length - bar_w
    barcode128(c, number, bx, 5.5 * mm, bar_h, 0.3 * mm)
    c.setFont(BOLD, 7.5)
    c.drawCentredString(bx + bar_w / 2, 2 * mm, number)
    if ctx.exercise:
        c.setFillColor(EXERCISE_RED)
        c.setFont(BOLD, 9)
        c.drawRightString(x - 3 * mm, band.width / 2 - 1.5 * mm, "EXERCICE")
        c.setFillColor(INK)


def render_wristbands(ctx: PrintContext, patients: Sequence[PatientSummary], band: BandSize) -> bytes:
    def draw(c: Canvas) -> None:
        for s in patients:
            _draw_band(c, s, ctx, band)
            c.showPage()

    return render(band.page, ctx, "Bracelets d'identification", draw)


def _draw_label(
    c: Canvas, s: PatientSummary, ctx: PrintContext, x: float, y: float, stock: LabelStock
) -> None:
    """One label whose lower-left corner is (x, y)."""
    pad = 3 * mm
    w = stock.label_w - 2 * pad
    top = y + stock.label_h - pad - 3 * mm
    family, first = _names(s)
    fit_text(c, family, x + pad, top, w, BOLD, 9.5, 6)
    fit_text(c, first, x + pad, top - 3.6 * mm, w, FONT, 8, 5.5)
    fit_text(c, _born(s, ctx), x + pad, top - 7 * mm, w, FONT, 7.5, 5.5)
    stay = s.stay
    where = (
        f"{stay.uf_code} / lit {stay.bed_code or '—'} · NDA {stay.number}"
        if stay
        else "pas de séjour en cours"
    )
    c.setFillColor(MUTED)
    fit_text(c, where, x + pad, top - 10.4 * mm, w, FONT, 7, 5.5)
    c.setFillColor(INK)
    number = s.patient.number
    bar_h = max(5 * mm, stock.label_h - 18.5 * mm - pad)
    drawn = barcode128(c, number, x + pad - 1 * mm, y + pad - 0.5 * mm, bar_h, 0.26 * mm)
    tail = number + ("  EXERCICE" if ctx.exercise else "")
    if ctx.exercise:
        c.setFillColor(EXERCISE_RED)
    fit_text(
        c, tail, x + pad + drawn, y + pad + bar_h / 2 - 1 * mm, w - drawn + 1 * mm, BOLD, 8.5, 6, "right"
    )
    c.setFillColor(INK)


def render_labels(
    ctx: PrintContext, patients: Sequence[PatientSummary], stock: LabelStock, copies: int
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
                _draw_label(c, s, ctx, x, y, stock)
            c.showPage()

    return render(A4, ctx, "Étiquettes patient", draw)
