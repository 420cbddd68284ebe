"""Printing the identifiers of a new admission at once (until the paper forms of forms/).

The page goes straight to the printer through Qt: no PDF or temporary file
holding patient data is written unless the user picks "print to file".
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from continuity.services.patients import Admission


def admission_slip_html(admission: Admission) -> str:
    i, stay = admission.patient.identity, admission.stay
    rows = [
        (QCoreApplication.translate("printing", "Nom de naissance"), i.birth_name),
        (QCoreApplication.translate("printing", "Nom utilisé"), i.used_name or "—"),
        (QCoreApplication.translate("printing", "Prénoms"), ", ".join(i.first_names)),
        (QCoreApplication.translate("printing", "Né(e) le"), f"{i.birth_date:%d/%m/%Y}"),
        (QCoreApplication.translate("printing", "Sexe"), i.sex.value),
        (QCoreApplication.translate("printing", "N° provisoire (IPP)"), admission.patient.number),
        (QCoreApplication.translate("printing", "N° de séjour (NDA)"), stay.number),
        (QCoreApplication.translate("printing", "UF / lit"), f"{stay.uf_code} / {stay.bed_code or '—'}"),
        (
            QCoreApplication.translate("printing", "Admis le"),
            stay.admitted_at.astimezone().strftime("%d/%m/%Y %H:%M") if stay.admitted_at else "—",
        ),
    ]
    body = "".join(f"<tr><td>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>" for k, v in rows)
    title = QCoreApplication.translate("printing", "Admission en mode dégradé")
    warn = QCoreApplication.translate(
        "printing",
        "Identité provisoire : à reporter sur tout document papier et à vérifier lors du retour du SIH.",
    )
    flag = (
        ("<p><b>" + escape(QCoreApplication.translate("printing", "IDENTITÉ D'ATTENTE")) + "</b></p>")
        if i.placeholder
        else ""
    )
    return f"<h2>{escape(title)}</h2>{flag}<table cellpadding='4'>{body}</table><p>{escape(warn)}</p>"


def print_admission_slip(
    parent: QWidget | None, admission: Admission, printer: QPrinter | None = None
) -> bool:
    """Print through the print dialog, or straight to ``printer`` when one is given."""
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    document = QTextDocument()
    document.setHtml(admission_slip_html(admission))
    document.print_(printer)
    return True
