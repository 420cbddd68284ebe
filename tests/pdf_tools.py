"""Reading generated PDFs back: their text (pypdf) and their barcodes (QtPdf render + zxing-cpp).

Both are independent of reportlab, which wrote the PDFs: what a test reads
here is what a printer or a scanner would get.
"""

from __future__ import annotations

import io
import re

import pypdf
import zxingcpp
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtPdf import QPdfDocument


def pages_text(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    """Whitespace folded to single spaces (wrapped lines read as one)."""
    return re.sub(r"\s+", " ", text)


def page_sizes_mm(data: bytes) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [
        (round(float(p.mediabox.width) / 72 * 25.4, 1), round(float(p.mediabox.height) / 72 * 25.4, 1))
        for p in reader.pages
    ]


def render_page(data: bytes, page: int, dpi: int = 200) -> QImage:
    assert QGuiApplication.instance() is not None, "needs the qapp fixture"
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready, document.error()
    points = document.pagePointSize(page)
    size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
    rendered = document.render(page, size)
    document.close()
    # pages render on a transparent background: lay them on white paper
    paper = QImage(rendered.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return paper.convertToFormat(QImage.Format.Format_Grayscale8)


def barcodes(data: bytes, page: int, dpi: int = 200) -> list[tuple[str, str]]:
    """(format, text) of every barcode and QR code read on a page, sorted."""
    image = render_page(data, page, dpi)
    found = zxingcpp.read_barcodes(image)
    return sorted((str(b.format).split(".")[-1], b.text) for b in found)
