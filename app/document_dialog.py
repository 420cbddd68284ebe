"""Preview, print and (by explicit choice) save a PDF document built by ``forms``.

The PDF stays in memory: QtPdf reads it from a buffer, pages are rendered
and painted onto the printer on a worker thread, at the page's own size and
scale (label sheets and wristbands must come out at 100 %). Nothing is
written to a temporary folder; "Enregistrer en PDF" asks where to save.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QThread,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import message_for
from app.screen import fit_to_screen
from continuity.folders import open_private, write_failure

RENDER_DPI = 300  # enough for barcodes; the printer's own 1,200 dpi would need 0.5 GB a page


def _load(data: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    return document, buffer


def print_pdf(data: bytes, printer: QPrinter, progress: Callable[[int, int], bool] | None = None) -> int:
    """Paint every page of ``data`` on ``printer`` at 100 %; returns the pages printed.

    ``progress(done, total)`` returning False stops after the current page.
    """
    document, _buffer = _load(data)
    pages = document.pageCount()
    if pages == 0:
        return 0
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QSizeF(first.width(), first.height()), QPageSize.Unit.Point, ""),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer")
    done = 0
    try:
        for page in range(pages):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            pixels = QSize(round(points.width() / 72 * RENDER_DPI), round(points.height() / 72 * RENDER_DPI))
            rendered = document.render(page, pixels)
            sheet = QImage(rendered.size(), QImage.Format.Format_RGB32)
            sheet.fill(QColor("white"))
            on_sheet = QPainter(sheet)
            on_sheet.drawImage(0, 0, rendered)
            on_sheet.end()
            dpi = printer.resolution()
            target = QRectF(0, 0, points.width() / 72 * dpi, points.height() / 72 * dpi)
            painter.drawImage(target, sheet)
            done += 1
            if progress is not None and not progress(done, pages):
                break
    finally:
        painter.end()
        document.close()
    return done


class PrintJob(QThread):
    """Prints on a worker thread; the dialog shows its progress and may cancel it."""

    progressed = Signal(int, int)
    failed = Signal()

    def __init__(self, data: bytes, printer: QPrinter, parent: QWidget | None = None):
        super().__init__(parent)
        self.data = data
        self.printer = printer
        self.cancelled = False
        self.printed = 0

    def run(self) -> None:
        def report(done: int, total: int) -> bool:
            self.progressed.emit(done, total)
            return not self.cancelled

        try:
            self.printed = print_pdf(self.data, self.printer, report)
        except Exception:  # the printer refused: say so, name no content
            self.failed.emit()


class DocumentDialog(QDialog):
    def __init__(self, title: str, data: bytes, suggested_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentDialog")
        self.setWindowTitle(title)
        fit_to_screen(self, QSize(760, 900))  # an A4 page's proportions, within the screen
        self.data = data
        self.suggested_name = suggested_name
        self.job: PrintJob | None = None
        self.document, self._buffer = _load(data)
        self.pages = self.document.pageCount()
        view = QPdfView()
        view.setObjectName("pdfView")
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        info = QLabel(
            self.tr(
                "{0} — {1} page(s). Le document reste en mémoire : il n'est "
                "enregistré que si vous le demandez."
            ).format(title, self.pages)
        )
        info.setObjectName("documentInfo")
        info.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.print_button = QPushButton(self.tr("Imprimer… (Ctrl+P)"))
        self.print_button.setObjectName("printDocumentButton")
        self.print_button.setDefault(True)
        self.save_button = QPushButton(self.tr("Enregistrer en PDF… (Ctrl+S)"))
        self.save_button.setObjectName("saveDocumentButton")
        close = QPushButton(self.tr("Fermer"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(lambda: self.print_document())
        self.save_button.clicked.connect(self.ask_save)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, lambda: self.print_document())
        QShortcut(QKeySequence.StandardKey.Save, self, self.ask_save)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(view, 1)
        layout.addWidget(buttons)
        self.status = QLabel()
        self.status.setObjectName("documentStatus")
        layout.addWidget(self.status)

    # ------------------------------------------------------------------ printing
    def print_document(self, printer: QPrinter | None = None) -> PrintJob | None:
        """Through the print dialog, or straight to ``printer`` when one is given."""
        if self.job is not None and self.job.isRunning():
            return None
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(self.windowTitle())
            if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
                return None
        progress = QProgressDialog(self.tr("Impression en cours…"), self.tr("Arrêter"), 0, self.pages, self)
        progress.setObjectName("printProgress")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        job = PrintJob(self.data, printer, self)
        job.progressed.connect(lambda done, _total: progress.setValue(done))
        progress.canceled.connect(lambda: setattr(job, "cancelled", True))
        job.failed.connect(
            lambda: self.status.setText(
                self.tr("L'impression a échoué : vérifiez l'imprimante et recommencez.")
            )
        )
        job.finished.connect(progress.reset)
        job.finished.connect(lambda: self._printed(job))
        self.job = job
        job.start()
        return job

    def _printed(self, job: PrintJob) -> None:
        if job.printed:
            self.status.setText(self.tr("{0} page(s) envoyée(s) à l'imprimante.").format(job.printed))

    # ------------------------------------------------------------------ saving
    def ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Enregistrer le PDF"), self.suggested_name, self.tr("PDF (*.pdf)")
        )
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> bool:
        try:
            out = open_private(Path(path))
        except OSError as exc:
            return self._not_saved(exc)
        try:
            with out:
                out.write(self.data)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            with contextlib.suppress(OSError):
                Path(path).unlink(missing_ok=True)  # no half PDF left (a full stick)
            return self._not_saved(exc)
        self.status.setText(self.tr("PDF enregistré."))
        return True

    def _not_saved(self, exc: OSError) -> bool:
        reason = message_for(exc) if write_failure(exc) else exc.strerror
        self.status.setText(self.tr("Enregistrement impossible : {0}").format(reason))
        return False

    def done(self, result: int) -> None:
        if self.job is not None:
            self.job.cancelled = True
            self.job.wait()
        self.document.close()
        super().done(result)
