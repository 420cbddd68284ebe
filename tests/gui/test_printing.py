"""Printing a new admission's identifiers at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from app.printing import admission_slip_html, print_admission_slip
from continuity.domain.identity import Identity, Sex
from continuity.services import patients
from continuity.session import Workspace
from tests.conftest import NURSE, NURSE_PW, identity


def test_slip_holds_the_identifiers_and_prints(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        admission = patients.admit(nurse, "CARDIO", identity=identity("D'ALMEIDA", "Inès"), bed_code="1A")
        unknown = patients.admit(nurse, "CARDIO", identity=Identity.unknown(Sex.M, 1970))
    html = admission_slip_html(admission)
    for text in (
        admission.patient.provisional_ipp,
        admission.stay.provisional_nda,
        "D&#x27;ALMEIDA",
        "INÈS",
        "12/03/1950",
        "CARDIO / 1A",
    ):
        assert text in html
    assert "IDENTITÉ D&#x27;ATTENTE" in admission_slip_html(unknown)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "slip.pdf"  # a test printer; the app itself prints through the dialog
    printer.setOutputFileName(str(out))
    assert print_admission_slip(None, admission, printer)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
