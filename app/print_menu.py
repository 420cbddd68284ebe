"""The Imprimer menu: each action builds its document on the store worker, then previews it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.controller import Controller
from app.dialogs import ask_int, ask_item, ask_text, inform
from app.document_dialog import DocumentDialog
from app.errors import show_error
from app.settings import Settings
from app.texts import patient_line
from app.ward_view import WardView
from continuity.services import paper
from continuity.session import Session
from forms import documents
from forms.wristband import BANDS, STOCKS

Build = Callable[[Session], bytes]


class PrintMenu(QObject):
    def __init__(
        self,
        window: QMainWindow,
        controller: Controller,
        settings: Settings,
        ward: Callable[[], WardView | None],
    ):
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.settings = settings
        self._ward = ward
        self.last_dialog: DocumentDialog | None = None
        self.menu = QMenu(self.tr("&Imprimer"), window)
        m = self.menu
        self._add(self.tr("&Recensement du service"), "Ctrl+P", self.census, "printCensus")
        m.addSeparator()
        self._add(self.tr("&Bracelet du patient sélectionné"), "Ctrl+B", self.wristband, "printWristband")
        self._add(
            self.tr("Bracelets de tous les patients de l'UF…"), None, self.wristbands_uf, "printWristbandsUf"
        )
        self._add(self.tr("É&tiquettes du patient sélectionné"), None, self.labels, "printLabels")
        self._add(self.tr("Étiquettes de tous les patients de l'UF…"), None, self.labels_uf, "printLabelsUf")
        self._add(
            self.tr("&Fiche de transfert du patient sélectionné…"),
            None,
            self.transfer_sheet,
            "printTransferSheet",
        )
        m.addSeparator()
        self._add(self.tr("Registre des &mouvements de l'UF…"), None, self.register, "printRegister")
        self._add(
            self.tr("Formulaires d'admission &vierges pré-numérotés…"),
            None,
            self.blank_forms,
            "printBlankForms",
        )
        self._add(self.tr("&Point de situation (cellule de crise)"), None, self.situation, "printSituation")
        m.addSeparator()
        self._choices(self.tr("Taille des bracelets"), list(BANDS), "band")
        self._choices(self.tr("Planche d'étiquettes (A4)"), list(STOCKS), "label_stock")

    def _add(self, text: str, shortcut: str | None, slot: Callable[[], None], name: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    def _choices(self, title: str, names: list[str], setting: str) -> None:
        sub = self.menu.addMenu(title)
        group = QActionGroup(sub)
        for name in names:
            action = sub.addAction(name)
            action.setCheckable(True)
            action.setChecked(getattr(self.settings, setting) == name)
            action.setObjectName(f"{setting}-{name}")
            group.addAction(action)
            action.triggered.connect(lambda _c=False, n=name: self._choose(setting, n))

    def _choose(self, setting: str, value: str) -> None:
        setattr(self.settings, setting, value)
        self.settings.save()

    def update_for(
        self, can_read_patients: bool, can_record: bool, is_crisis: bool, can_reserve: bool
    ) -> None:
        for action in self.menu.actions():
            name = action.objectName()
            if name == "printSituation":
                action.setVisible(is_crisis)
            elif name == "printBlankForms":
                action.setVisible(can_reserve)
            elif name.startswith("print"):
                action.setVisible(can_read_patients)
                if name == "printRegister":
                    action.setVisible(can_record)

    # ------------------------------------------------------------------ running
    def _show(self, title: str, build: Build, file_stem: str, write: bool = False) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M")

        def shown(data: bytes) -> None:
            dialog = DocumentDialog(title, data, f"{file_stem}-{stamp}.pdf", self.window)
            self.last_dialog = dialog
            dialog.open()

        self.controller.run(build, shown, lambda exc: show_error(self.window, exc), write=write)

    def _selected(self) -> tuple[str, str] | None:
        """The current patient's number, and who they are for the preview's title."""
        ward = self._ward()
        if ward is None or ward.current is None:
            inform(
                self.window,
                self.tr("Aucun patient sélectionné"),
                self.tr("Sélectionnez d'abord un patient dans la liste ou sur le plan des lits."),
                name="noPatientBox",
            )
            return None
        return ward.current.patient.number, patient_line(ward.current)

    def _with_uf(self, then: Callable[[str], None]) -> None:
        """``then(uf)`` for the UF to print for: the only one shown, or the one the user picks."""
        ward = self._ward()
        codes = [u.uf_code for u in ward.census] if ward is not None else []
        if len(codes) == 1:
            then(codes[0])
        elif codes:
            self._ask_uf(codes, then)

    def _ask_uf(self, codes: list[str], then: Callable[[str], None]) -> None:
        ask_item(
            self.window,
            self.tr("Choisir l'UF"),
            self.tr("UF :"),
            codes,
            self.tr("Choisir"),
            then,
            name="ufChoice",
        )

    def census(self) -> None:
        ward = self._ward()
        codes = [u.uf_code for u in ward.census] if ward is not None else []
        self._show(self.tr("Recensement"), lambda s: documents.census(s, codes), "recensement")

    def wristband(self) -> None:
        selected = self._selected()
        if selected:
            number, who = selected
            band = BANDS.get(self.settings.band, BANDS["adulte"])
            self._show(
                self.tr("Bracelet — {0}").format(who),
                lambda s: documents.wristbands(s, band, [number]),
                "bracelet",
            )

    def wristbands_uf(self) -> None:
        def show(uf: str) -> None:
            band = BANDS.get(self.settings.band, BANDS["adulte"])
            self._show(
                self.tr("Bracelets — UF {0}").format(uf),
                lambda s: documents.wristbands(s, band, uf_code=uf),
                f"bracelets-{uf}",
            )

        self._with_uf(show)

    def labels(self) -> None:
        selected = self._selected()
        if selected:
            number, who = selected
            stock = STOCKS.get(self.settings.label_stock, STOCKS["3x8"])
            self._show(
                self.tr("Étiquettes — {0}").format(who),
                lambda s: documents.labels(s, stock, [number]),
                "etiquettes",
            )

    def labels_uf(self) -> None:
        def show(uf: str) -> None:
            stock = STOCKS.get(self.settings.label_stock, STOCKS["3x8"])
            self._show(
                self.tr("Étiquettes — UF {0}").format(uf),
                lambda s: documents.labels(s, stock, uf_code=uf),
                f"etiquettes-{uf}",
            )

        self._with_uf(show)

    def transfer_sheet(self) -> None:
        selected = self._selected()
        if not selected:
            return
        number, who = selected

        def show(destination: str) -> None:
            self._show(
                self.tr("Fiche de transfert — {0}").format(who),
                lambda s: documents.transfer_sheet(s, number, destination),
                "fiche-transfert",
            )

        ask_text(
            self.window,
            self.tr("Fiche de transfert"),
            self.tr("Destination (UF / lit ou établissement), vide pour l'écrire à la main :"),
            self.tr("Préparer la fiche"),
            show,
            name="transferDestination",
        )

    def register(self) -> None:
        self._with_uf(
            lambda uf: self._show(
                self.tr("Registre des mouvements — UF {0}").format(uf),
                lambda s: documents.movement_register(s, uf),
                f"registre-{uf}",
            )
        )

    def blank_forms(self) -> None:
        self.controller.run(
            paper.ufs_for_blank_forms, self._ask_blank_forms, lambda exc: show_error(self.window, exc)
        )

    def _ask_blank_forms(self, ufs: list[tuple[str, str]]) -> None:
        codes = [code for code, _name in ufs]
        if len(codes) == 1:
            self._ask_blank_count(codes[0])
        elif codes:
            self._ask_uf(codes, self._ask_blank_count)

    def _ask_blank_count(self, uf: str) -> None:
        def show(count: int) -> None:
            self._show(
                self.tr("Formulaires d'admission vierges — UF {0}").format(uf),
                lambda s: documents.blank_admission_forms(s, uf, count),
                f"formulaires-{uf}",
                write=True,
            )

        ask_int(
            self.window,
            self.tr("Formulaires vierges"),
            self.tr(
                "Nombre de formulaires pré-numérotés pour l'UF {0} ?\nChaque formulaire "
                "réserve définitivement un numéro provisoire."
            ).format(uf),
            20,
            1,
            500,
            self.tr("Réserver et imprimer"),
            show,
            name="blankFormsCount",
        )

    def situation(self) -> None:
        self._show(self.tr("Point de situation"), documents.situation_report, "point-de-situation")
