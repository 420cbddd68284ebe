"""Printing the paper documents from the window, and keying a paper form back in."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.document_dialog import DocumentDialog, print_pdf
from app.main_window import MainWindow
from app.paper_entry import PaperEntryDialog
from app.settings import Settings
from continuity.services import paper, patients
from continuity.session import Workspace
from forms import documents
from forms.wristband import BANDS
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, identity
from tests.disk_helpers import fill, small_disk
from tests.gui.conftest import type_text, unlock_window, wait_idle
from tests.pdf_tools import barcodes, page_sizes_mm, pages_text


@pytest.fixture
def window(
    qtbot: QtBot,
    controller: Controller,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[MainWindow]:
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    monkeypatch.setenv("TMPDIR", str(spool))
    win = MainWindow(controller, Settings.load(workspace.folder))
    qtbot.addWidget(win)
    win.show()
    yield win
    assert os.listdir(spool) == []  # nothing with patient data left in a temp folder


def _file_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))  # a test printer: the app goes through the dialog
    return printer


def _print_through(qtbot: QtBot, dialog: DocumentDialog, out: Path) -> Path:
    """The dialog's own print job, on a printer that writes to ``out``."""
    job = dialog.print_document(_file_printer(out))
    assert job is not None
    qtbot.waitUntil(lambda: job.isFinished(), timeout=30_000)
    return out


def _trigger(win: MainWindow, name: str) -> None:
    action = win.findChild(QAction, name)
    assert action is not None and action.isVisible() and action.isEnabled(), name
    action.trigger()


def _document(qtbot: QtBot, win: MainWindow) -> DocumentDialog:
    qtbot.waitUntil(
        lambda: win.print_menu.last_dialog is not None and win.print_menu.last_dialog.isVisible(),
        timeout=10_000,
    )
    dialog = win.print_menu.last_dialog
    assert dialog is not None
    return dialog


def test_print_pdf_keeps_the_page_size_and_the_barcodes_scan(
    qapp: QApplication, tmp_path: Path, workspace: Workspace
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        data = documents.wristbands(nurse, BANDS["enfant"], [a.patient.provisional_ipp])
    out = tmp_path / "printed.pdf"
    assert print_pdf(data, _file_printer(out)) == 1
    printed = out.read_bytes()
    [(width, height)] = page_sizes_mm(printed)  # Qt rounds page sizes to whole points
    assert width == pytest.approx(190, abs=0.4) and height == pytest.approx(25.4, abs=0.4)
    assert [t for _f, t in barcodes(printed, 0)] == [a.patient.provisional_ipp]


def test_ward_prints_a_wristband_and_its_census(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    assert window.ward is not None
    window.ward.table.selectRow(0)
    _trigger(window, "printWristband")
    dialog = _document(qtbot, window)
    assert dialog.pages == 1
    out = _print_through(qtbot, dialog, tmp_path / "band.pdf")
    # The job's thread ends before its "finished" signal reaches the dialog: wait for it.
    qtbot.waitUntil(lambda: "1 page(s) envoyée(s)" in dialog.status.text(), timeout=10_000)
    assert [t for _f, t in barcodes(out.read_bytes(), 0)] == [a.patient.provisional_ipp]
    saved = tmp_path / "chosen-by-user.pdf"
    assert dialog.save_to(str(saved)) and saved.read_bytes() == dialog.data
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600  # names patients in clear: owner-only
    with small_disk(tmp_path / "cle-pleine", 64) as disk:  # a full USB stick: said so, nothing left
        fill(disk)
        assert not dialog.save_to(str(disk / "band.pdf"))
        assert dialog.status.text().startswith("Enregistrement impossible : Disque plein")
        assert not (disk / "band.pdf").exists()
    dialog.reject()
    # the census of the user's UF is one action too
    action = window.findChild(QAction, "printCensus")
    assert action is not None and action.shortcut().toString() == "Ctrl+P"
    _trigger(window, "printCensus")
    qtbot.waitUntil(lambda: window.print_menu.last_dialog is not dialog, timeout=10_000)
    census = _document(qtbot, window)
    assert "CARDIO — Cardiologie" in pages_text(census.data)[0]
    census.reject()


def test_ward_prints_the_wristbands_of_the_whole_uf_in_one_action(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        for name, bed in (("DUPONT", "1A"), ("MARTIN", "1B"), ("BERNARD", "2A")):
            patients.admit(nurse, "CARDIO", identity=identity(name), bed_code=bed)
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    _trigger(window, "printWristbandsUf")
    dialog = _document(qtbot, window)
    assert dialog.pages == 3
    out = _print_through(qtbot, dialog, tmp_path / "bands.pdf")
    assert len(pages_text(out.read_bytes())) == 3
    dialog.reject()


def _answer_input_dialogs(answers: list[tuple[str, int | None]]) -> None:
    """Answer the next questions (window-modal QInputDialogs), in order, from the event loop,
    checking each one's button says what it does: (button text, number to enter or None)."""
    pending = list(answers)

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QInputDialog) or not box.isVisible():
            QTimer.singleShot(50, answer)
            return
        button, value = pending.pop(0)
        assert (box.okButtonText(), box.cancelButtonText()) == (button, "Annuler")
        if value is not None:
            box.setIntValue(value)
        box.accept()
        if pending:
            QTimer.singleShot(50, answer)

    QTimer.singleShot(50, answer)


def test_it_prints_blank_forms_and_a_nurse_keys_one_back_in(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    unlock_window(qtbot, window, ADMIN.username, ADMIN_PW)
    _answer_input_dialogs([("Choisir", None), ("Réserver et imprimer", 2)])  # UF: CARDIO; two forms
    _trigger(window, "printBlankForms")
    dialog = _document(qtbot, window)
    assert dialog.pages == 2
    number = next(w for w in pages_text(dialog.data)[0].split() if len(w) == 10 and w.isdigit())
    dialog.reject()
    window.controller.lock()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    _trigger(window, "paperEntryAction")
    entry = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, PaperEntryDialog) and w.isVisible()
    )
    type_text(entry.number, number[:-1] + str((int(number[-1]) + 1) % 10))
    qtbot.keyClick(entry.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: entry.error.isVisible(), timeout=5000)
    assert "chiffre de contrôle" in entry.error.text()
    entry.number.clear()
    type_text(entry.number, number)
    qtbot.keyClick(entry.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: entry.admission is not None and entry.admission.isVisible(), timeout=5000)
    admission = entry.admission
    assert isinstance(admission, AdmissionDialog)
    numbers = admission.findChild(QWidget, "paperNumber")
    assert numbers is not None and number in numbers.text()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: admission.bed.count() > 0, timeout=5000)
    qtbot.keyClicks(admission.birth_name, "Garnier")
    qtbot.keyClicks(admission.first_names, "Paul")
    qtbot.keyClicks(admission.birth_date, "02/04/1961")
    admission.sex.setCurrentIndex(admission.sex.findData("M"))
    qtbot.keyClick(admission.birth_name, Qt.Key.Key_Return)
    error = admission.findChild(QLabel, "admittedAtError")  # the paper's time is required
    assert error is not None and "Date et heure invalides" in error.text()
    when = (datetime.now() - timedelta(days=1)).strftime("%d/%m/%Y 22:40")
    qtbot.keyClicks(admission.admitted_at, when)
    qtbot.keyClick(admission.birth_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not admission.isVisible(), timeout=5000)
    wait_idle(qtbot, window.controller)
    session = window.controller.session
    assert session is not None
    found = patients.find_patient(session, number)
    assert found.patient.identity.birth_name == "GARNIER"
    assert found.stay is not None and found.stay.admitted_at is not None
    assert found.stay.admitted_at.astimezone().strftime("%d/%m/%Y %H:%M") == when
    with pytest.raises(Exception, match="déjà été saisi"):
        paper.check_paper_form(session, number)
