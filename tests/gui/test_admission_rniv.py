"""The admission form and the RNIV: strict traits apart from complementary ones, the
reliability of the identity (document, expiry, attributes), the INS Datamatrix scanned."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from continuity.domain.identity import CollectionMode, IdentityStatus
from continuity.services.patients import Admission
from tests.conftest import NURSE, NURSE_PW
from tests.gui.conftest import type_text, wait_idle
from tests.test_ins_datamatrix import INS, code


def _scanner(qtbot: QtBot, text: str) -> None:
    """Keys as a keyboard scanner types them: each to the widget that has the focus."""
    for ch in text:
        widget = QApplication.focusWidget()
        assert widget is not None
        type_text(widget, ch)  # GS (0x1D) too, which QTest cannot type
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _dialog(qtbot: QtBot, controller: Controller) -> AdmissionDialog:
    dialog = AdmissionDialog(controller)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, controller)
    qtbot.waitUntil(lambda: dialog.bed.count() > 0, timeout=5000)
    return dialog


def _error(dialog: AdmissionDialog, name: str) -> str:
    label = dialog.findChild(QLabel, f"{name}Error")
    assert label is not None, f"no error line for {name}"
    return label.toolTip() or label.text()


def _inside(dialog: AdmissionDialog, group: str) -> set[str]:
    box = dialog.findChild(QGroupBox, group)
    assert box is not None, group
    return {w.objectName() for w in box.findChildren(QWidget) if w.objectName()}


def test_strict_traits_apart_from_complementary_ones(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    dialog = _dialog(qtbot, unlock(NURSE.username, NURSE_PW))
    strict = _inside(dialog, "strictTraits")
    assert {"birthName", "firstNames", "birthDate", "sex", "birthPlace", "birthPlaceName", "ins"} <= strict
    assert not {"usedName", "usedFirstName"} & strict
    assert {"usedName", "usedFirstName"} <= _inside(dialog, "complementaryTraits")
    reliability = _inside(dialog, "identityReliability")
    assert {"identityStatus", "documentType", "documentExpiresOn", "collectionMode"} <= reliability
    assert {"doubtful", "fictitious", "validationRule"} <= reliability
    # offline, no one qualifies an identity: the form does not offer it
    assert dialog.status.findData(IdentityStatus.QUALIFIEE.value) < 0
    rule = dialog.findChild(QLabel, "validationRule")
    assert rule is not None and "carte Vitale n'est pas une pièce d'identité" in rule.text()


def test_validation_refused_without_a_document_shown_by_its_field(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _dialog(qtbot, controller)
    type_text(dialog.birth_name, "Lefèvre")
    type_text(dialog.first_names, "Jeanne")
    type_text(dialog.birth_date, "12/03/1950")
    dialog.sex.setCurrentIndex(dialog.sex.findData("F"))
    dialog.status.setCurrentIndex(dialog.status.findData("validee"))
    admitted: list[Admission] = []
    dialog.admitted.connect(admitted.append)
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)
    wait_idle(qtbot, controller)
    assert "haut niveau de confiance" in _error(dialog, "documentType") and not admitted
    dialog.doubtful.setChecked(True)
    dialog.fictitious.setChecked(True)
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)
    assert "douteuse et fictive" in _error(dialog, "identityAttributes")
    dialog.fictitious.setChecked(False)
    dialog.doubtful.setChecked(False)
    dialog.document_type.setCurrentIndex(dialog.document_type.findData("PA"))
    type_text(dialog.document_expires, "01/01/2099")
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(admitted), timeout=5000)
    identity = admitted[0].patient.identity
    assert identity.status is IdentityStatus.VALIDEE and identity.validated_by == NURSE.display_name


def test_a_scan_typed_into_the_birth_name_fills_the_strict_traits(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    """The scanner types into the field that has the focus (the birth name), then Enter: the
    code goes to its own field, is read, fills the traits; the INS stays unverified."""
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _dialog(qtbot, controller)
    assert dialog.focusWidget() is dialog.birth_name
    _scanner(qtbot, code(sep=""))  # a scanner typing (no GS), then Enter
    wait_idle(qtbot, controller)
    assert dialog.isVisible()  # Enter read the code, saved nothing
    assert controller.session is not None and controller.session.store.patients.count_patients() == 0
    assert (dialog.birth_name.text(), dialog.first_names.text()) == ("LEFEVRE", "JEANNE, MARIE")
    assert (dialog.birth_date.text(), dialog.sex.currentData(), dialog.birth_place.text()) == (
        "12/03/1950",
        "F",
        "76540",
    )
    assert dialog.ins.text() == INS and dialog.collection_mode.currentData() == CollectionMode.CB.value
    assert dialog.scan.text() == "" and "non vérifié" in dialog.scan_note.text()
    admitted: list[Admission] = []
    dialog.admitted.connect(admitted.append)
    qtbot.keyClick(dialog.used_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(admitted), timeout=5000)
    identity = admitted[0].patient.identity
    assert identity.ins is None and identity.ins_unverified == INS
    assert identity.status is IdentityStatus.PROVISOIRE and identity.collection_mode is CollectionMode.CB


def test_a_wrong_scan_is_refused_under_its_field_without_showing_it(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    dialog = _dialog(qtbot, unlock(NURSE.username, NURSE_PW))
    _scanner(qtbot, code(sex="M"))
    assert "Datamatrix" in _error(dialog, "datamatrix") and "LEFEVRE" not in _error(dialog, "datamatrix")
    assert dialog.birth_name.text() == "" and dialog.scan.text() == ""


def test_no_input_is_squeezed_below_its_height(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    """The rule said inline wraps on several lines: the rows keep their height all the same
    (they were squeezed, the combo boxes cut, when the dialog took the note for one line)."""
    dialog = _dialog(qtbot, unlock(NURSE.username, NURSE_PW))
    qtbot.wait(50)
    for widget in (
        dialog.status,
        dialog.document_type,
        dialog.document_expires,
        dialog.collection_mode,
        dialog.birth_name,
        dialog.uf,
        dialog.reason,
    ):
        assert widget.height() >= widget.minimumSizeHint().height(), widget.objectName()
    rule = dialog.findChild(QLabel, "validationRule")
    assert rule is not None and rule.height() >= rule.heightForWidth(rule.width())
