"""Pre-numbered blank admission forms, printed ahead of time for when the workstation fails.

Each page carries its own provisional number (text, Code 128 and QR code),
letter boxes for every identity trait of the RNIV in its order (strict traits, then the
complementary ones, then the document and the attributes), the stay, who admitted,
and a box for the back-entry; a strip of three cut-out labels repeats the
number for the wristband and the first samples.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from forms.base import (
    BOLD,
    FONT,
    INK,
    MUTED,
    RULE,
    SHADE,
    PrintContext,
    barcode128,
    checkbox,
    comb,
    date_comb,
    label,
    page_furniture,
    qr_code,
    render,
    section_band,
    width_of,
    wrap,
    writing_line,
)

TITLE = "ADMISSION — FORMULAIRE PAPIER DE SECOURS"
VIGILANCE = (
    "Faire DIRE au patient ses nom, prénom(s) et date de naissance (question ouverte) ; "
    "comparer à une pièce d'identité si possible.",
    "Nom de NAISSANCE tel que sur la pièce d'identité ; tous les prénoms de naissance, "
    "dans l'ordre de l'état civil.",
    "Patient inconnu ou inconscient : cocher « identité d'attente », ne rien inventer, le décrire au dos.",
    "Reporter CE numéro sur le bracelet et sur tout document ou prélèvement.",
)
MARGIN = 12 * mm
CELL = 5.1 * mm


def _field(c: Canvas, y: float, text: str, cells: int, x: float = MARGIN) -> float:
    label(c, text, x, y - 3 * mm)
    comb(c, x, y - 10 * mm, cells, CELL)
    return y - 12.5 * mm


def _number_block(c: Canvas, number: str, y: float, width: float) -> float:
    box_h = 29 * mm
    box_w = 92 * mm
    x = width - MARGIN - box_w
    c.setStrokeColor(INK)
    c.setLineWidth(1.2)
    c.rect(x, y - box_h, box_w, box_h)
    label(c, "N° PROVISOIRE (IPP) — NE JAMAIS RÉUTILISER", x + 3 * mm, y - 4.5 * mm, 7)
    c.setFont(BOLD, 19)
    c.drawString(x + 3 * mm, y - 12 * mm, number)
    barcode128(c, number, x + 1 * mm, y - box_h + 2.5 * mm, 9 * mm, 0.3 * mm)
    qr_code(c, number, x + box_w - 25 * mm, y - box_h + 1.5 * mm, 24 * mm)
    # the vigilance reminder, to the left of the number
    left_w = x - MARGIN - 4 * mm
    c.setFillColor(SHADE)
    c.rect(MARGIN, y - box_h, left_w, box_h, stroke=0, fill=1)
    c.setFillColor(INK)
    c.setFont(BOLD, 7.5)
    c.drawString(MARGIN + 2 * mm, y - 4 * mm, "AVANT DE REMPLIR")
    line_y = y - 7.5 * mm
    for item in VIGILANCE:
        lines = wrap(item, FONT, 6.6, left_w - 7 * mm, 2)
        c.setFont(FONT, 6.6)
        c.drawString(MARGIN + 2 * mm, line_y, "•")
        for line in lines:
            c.drawString(MARGIN + 5 * mm, line_y, line)
            line_y -= 2.75 * mm
        line_y -= 0.6 * mm
    return y - box_h - 4 * mm


def _subheading(c: Canvas, y: float, text: str) -> float:
    c.setFont(BOLD, 7.5)
    c.setFillColor(INK)
    c.drawString(MARGIN, y - 3 * mm, text)
    return y - 3.5 * mm


def _bold_label(c: Canvas, text: str, x: float, y: float) -> None:
    c.setFont(BOLD, 6.5)
    c.setFillColor(INK)
    c.drawString(x, y, text)


def _identity(c: Canvas, y: float, width: float) -> float:
    """RNIV's order: the strict traits (from the identity document), then the complementary
    ones, then what the identity's reliability rests on."""
    section_band(
        c,
        MARGIN,
        y - 5.5 * mm,
        width - 2 * MARGIN,
        "1. IDENTITÉ DU PATIENT — en MAJUSCULES, une lettre par case",
    )
    y -= 6.5 * mm
    y = _subheading(c, y, "TRAITS STRICTS — recopiés de la pièce d'identité")
    y = _field(c, y, "Nom de naissance *", 36)
    y = _field(c, y, "Prénom(s) de naissance *, dans l'ordre de l'état civil, séparés par une virgule", 36)
    comb(c, MARGIN, y - 4 * mm, 36, CELL)
    y -= 6.5 * mm
    label(c, "Date de naissance * (JJ / MM / AAAA)", MARGIN, y - 3 * mm)
    end = date_comb(c, MARGIN, y - 10 * mm, cell=CELL)
    place_x = end + 8 * mm
    label(c, "Code INSEE de naissance", place_x, y - 3 * mm)
    comb(c, place_x, y - 10 * mm, 5, CELL)
    town_x = place_x + 5 * CELL + 6 * mm
    label(c, "et commune / pays de naissance", town_x, y - 3 * mm)
    writing_line(c, town_x, y - 9.5 * mm, width - MARGIN - town_x)
    y -= 12.5 * mm
    label(c, "Matricule INS (NIR, 15 chiffres) si connu — reste non vérifié", MARGIN, y - 3 * mm)
    comb(c, MARGIN, y - 10 * mm, 15, CELL)
    sex_x = MARGIN + 15 * CELL + 8 * mm
    label(c, "Sexe *", sex_x, y - 3 * mm)
    bx = sex_x
    for text in ("F", "M", "Indéterminé"):
        bx += checkbox(c, bx, y - 9 * mm, text)
    y -= 12.5 * mm
    c.setStrokeColor(RULE)
    c.line(MARGIN, y + 0.5 * mm, width - MARGIN, y + 0.5 * mm)  # strict traits above, the others below
    c.setStrokeColor(INK)
    _bold_label(c, "TRAITS COMPLÉMENTAIRES · Nom utilisé (si différent)", MARGIN, y - 3 * mm)
    comb(c, MARGIN, y - 10 * mm, 20, CELL)
    first_x = MARGIN + 20 * CELL + 4 * mm
    label(c, "Prénom utilisé", first_x, y - 3 * mm)
    comb(c, first_x, y - 10 * mm, 15, CELL)
    y -= 15 * mm
    heading = "FIABILITÉ · pièce présentée"
    _bold_label(c, heading, MARGIN, y)
    documents = (
        "Carte d'identité",
        "Passeport",
        "Titre de séjour",
        "Livret de famille*",
        "Acte de naissance*",
        "Aucune",
    )
    bx = MARGIN + width_of(heading, BOLD, 6.5) + 2 * mm
    room = width - MARGIN - bx
    size = 8.5  # the largest that fits the row (each box takes its text and 8.7 mm)
    while size > 6 and sum(width_of(t, FONT, size) + 8.7 * mm for t in documents) > room:
        size -= 0.5
    for text in documents:
        bx += checkbox(c, bx, y - 0.8 * mm, text, font_size=size)
    y -= 3 * mm
    label(c, "Valable jusqu'au", MARGIN, y - 3 * mm)
    end = date_comb(c, MARGIN, y - 10 * mm, cell=CELL)
    c.setFont(FONT, 6.3)
    c.setFillColor(MUTED)
    c.drawString(
        end + 4 * mm,
        y - 3 * mm,
        "Validée seulement sur une pièce à haut niveau de confiance (* pour un mineur) ; "
        "la carte Vitale n'en est pas une.",
    )
    c.setFillColor(INK)
    bx = end + 4 * mm
    for text in ("Identité douteuse", "Identité fictive", "Identité d'attente (inconnu, inconscient)"):
        bx += checkbox(c, bx, y - 9 * mm, text)
    return y - 12.5 * mm


def _stay(c: Canvas, y: float, width: float, uf_code: str, uf_name: str) -> float:
    section_band(c, MARGIN, y - 5.5 * mm, width - 2 * MARGIN, "2. SÉJOUR")
    y -= 7 * mm
    label(c, "UF d'admission", MARGIN, y - 3 * mm)
    c.setFont(BOLD, 11)
    c.drawString(MARGIN, y - 9 * mm, f"{uf_code} — {uf_name}"[:60])
    bed_x = MARGIN + 96 * mm
    label(c, "Lit", bed_x, y - 3 * mm)
    comb(c, bed_x, y - 10 * mm, 6, CELL)
    room_x = bed_x + 6 * CELL + 8 * mm
    label(c, "Chambre", room_x, y - 3 * mm)
    comb(c, room_x, y - 10 * mm, 5, CELL)
    y -= 12.5 * mm
    label(c, "Date et heure d'admission * (JJ / MM / AAAA à HH : MM)", MARGIN, y - 3 * mm)
    date_comb(c, MARGIN, y - 10 * mm, with_time=True, cell=CELL)
    y -= 14 * mm
    label(c, "Mode d'entrée", MARGIN, y)
    bx = MARGIN + 22 * mm
    for text in ("Domicile", "Urgences", "Mutation (autre UF)", "Transfert (autre établissement)"):
        bx += checkbox(c, bx, y - 0.8 * mm, text)
    y -= 7 * mm
    label(c, "Motif d'admission", MARGIN, y)
    writing_line(c, MARGIN + 24 * mm, y - 0.5 * mm, width - 2 * MARGIN - 24 * mm)
    writing_line(c, MARGIN, y - 6.5 * mm, width - 2 * MARGIN)
    y -= 12 * mm
    label(c, "Personne à prévenir (nom, lien, téléphone)", MARGIN, y)
    writing_line(c, MARGIN + 50 * mm, y - 0.5 * mm, width - 2 * MARGIN - 50 * mm)
    return y - 5 * mm


def _signature(c: Canvas, y: float, width: float) -> float:
    section_band(c, MARGIN, y - 5.5 * mm, width - 2 * MARGIN, "3. ADMISSION ENREGISTRÉE PAR")
    y -= 9.5 * mm
    half = (width - 2 * MARGIN) / 2
    label(c, "Nom et fonction", MARGIN, y)
    writing_line(c, MARGIN + 22 * mm, y - 0.5 * mm, half - 26 * mm)
    label(c, "Signature", MARGIN + half, y)
    c.setStrokeColor(RULE)
    c.rect(MARGIN + half + 14 * mm, y - 6 * mm, half - 14 * mm, 9 * mm)
    c.setStrokeColor(INK)
    return y - 10 * mm


def _back_entry(c: Canvas, y: float, width: float) -> float:
    h = 17 * mm
    c.setFillColor(SHADE)
    c.setStrokeColor(RULE)
    c.rect(MARGIN, y - h, width - 2 * MARGIN, h, stroke=1, fill=1)
    c.setFillColor(INK)
    c.setFont(BOLD, 8)
    c.drawString(
        MARGIN + 2 * mm,
        y - 4 * mm,
        "4. RESSAISIE (réservé au secrétariat) — scanner le code ci-dessus dans le kit",
    )
    label(c, "Saisi le", MARGIN + 2 * mm, y - 11 * mm)
    date_comb(c, MARGIN + 13 * mm, y - 14 * mm, with_time=True, cell=4.2 * mm, height=5 * mm)
    by_x = MARGIN + 103 * mm
    label(c, "par", by_x, y - 11 * mm)
    writing_line(c, by_x + 6 * mm, y - 11.5 * mm, 20 * mm)
    ipp_x = by_x + 29 * mm
    label(c, "IPP du SIH (au retour)", ipp_x, y - 8 * mm)
    comb(c, ipp_x, y - 14 * mm, 10, 4.2 * mm, 5 * mm)
    return y - h - 3 * mm


def _cut_labels(c: Canvas, number: str, y: float, width: float) -> None:
    """Three labels to cut out, each with the number in text and as a barcode."""
    c.setStrokeColor(MUTED)
    c.setDash(3, 2)
    c.line(MARGIN, y, width - MARGIN, y)
    c.setDash()
    label(c, "découper ici — étiquettes du numéro provisoire", MARGIN, y + 1 * mm, 6)
    cell_w = (width - 2 * MARGIN) / 3
    for i in range(3):
        x = MARGIN + i * cell_w
        c.setFont(BOLD, 10)
        c.drawString(x + 3 * mm, y - 5 * mm, number)
        c.setFont(FONT, 6.5)
        c.setFillColor(MUTED)
        c.drawString(x + 3 * mm + 42 * mm, y - 5 * mm, "IPP prov.")
        c.setFillColor(INK)
        barcode128(c, number, x + 1 * mm, y - 16 * mm, 9 * mm, 0.28 * mm)
        if i:
            c.setStrokeColor(RULE)
            c.setDash(1, 2)
            c.line(x, y - 17 * mm, x, y - 1 * mm)
            c.setDash()
    c.setStrokeColor(INK)


def draw_form(
    c: Canvas, ctx: PrintContext, number: str, uf_code: str, uf_name: str, page: int, pages: int
) -> None:
    width, height = A4
    y = page_furniture(
        c,
        ctx,
        width,
        height,
        TITLE,
        page,
        pages,
        subtitle=f"UF {uf_code} — {uf_name} · formulaire vierge pré-numéroté",
    )
    y = _number_block(c, number, y, width)
    y = _identity(c, y, width)
    y = _stay(c, y, width, uf_code, uf_name)
    y = _signature(c, y, width)
    y = _back_entry(c, y, width)
    _cut_labels(c, number, y, width)


def render_blank_admission_forms(
    ctx: PrintContext, uf_code: str, uf_name: str, numbers: Sequence[str]
) -> bytes:
    def draw(c: Canvas) -> None:
        for n, number in enumerate(numbers, 1):
            draw_form(c, ctx, number, uf_code, uf_name, n, len(numbers))
            c.showPage()

    return render(A4, ctx, f"Formulaires d'admission vierges — {uf_code}", draw)
