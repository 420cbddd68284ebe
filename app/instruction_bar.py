"""The crisis cell's instructions on a ward workstation: a bar above every tab until read.

A persistent bar, not a dialog: an accidental Esc or a click elsewhere never makes an
instruction go unseen, and a nurse in the middle of an admission finishes it first. The
bar stays until someone acknowledges the instruction (« J'ai lu — accuser réception »,
Alt+J); several pending ones come one after the other, oldest first ("1/3"). What is
pending, and who must acknowledge, is ``continuity.services.instructions``' business: the
bar shows whatever ``unacknowledged`` returns (nothing for the other roles).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.crisis_view import short_time
from app.errors import show_error
from app.settings import Settings
from continuity.changes import Changes
from continuity.domain.crisis import Instruction
from continuity.services import instructions as instruction_service

CONCERNS = Changes(instructions=True)


class InstructionBar(QFrame):
    """The oldest instruction this workstation has not acknowledged yet, with its button."""

    shown_instruction = Signal(str)  # the id now on screen ("" when the bar hides)
    acknowledged = Signal(object)  # the Instruction, as saved with this workstation's acknowledgement

    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("instructionBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._controller = controller
        self.pending: list[Instruction] = []
        self._acknowledged_in_series = 0  # for "2/3" once the first one of three is read
        self._busy = False

        self.title = QLabel()
        self.title.setObjectName("instructionTitle")
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.meta = QLabel()
        self.meta.setObjectName("instructionMeta")
        self.meta.setWordWrap(True)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.text = QLabel()
        self.text.setObjectName("instructionText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.text.font())
        big.setPointSizeF(big.pointSizeF() * 1.35)
        big.setBold(True)
        self.text.setFont(big)
        self.ack_button = QPushButton(self.tr("&J'ai lu — accuser réception"))
        self.ack_button.setObjectName("acknowledgeButton")
        self.ack_button.setToolTip(
            self.tr("Accuser réception de cette consigne (Alt+J) : la cellule de crise le verra")
        )
        self.ack_button.setAutoDefault(True)  # Enter, when it has the focus (Tab reaches it)
        self.ack_button.setMinimumHeight(2 * self.ack_button.fontMetrics().height())
        self.ack_button.clicked.connect(self.acknowledge)

        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.title)
        words.addWidget(self.text)
        words.addWidget(self.meta)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(words, 1)
        layout.addWidget(self.ack_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._style()
        self.hide()

        controller.unlocked.connect(lambda _user: self.reload())
        controller.locked.connect(self.clear)
        controller.changed.connect(self._changed)

    def _style(self) -> None:
        if Settings.current().high_contrast:
            colours = ("#000000", "#ffd700", "#ffd700")
        else:
            colours = ("#fff3b0", "#3d2600", "#b35900")
        self.setStyleSheet(
            f"#instructionBar {{ background: {colours[0]}; border: 3px solid {colours[2]}; }}"
            f" #instructionBar QLabel {{ color: {colours[1]}; background: transparent; }}"
            f" #acknowledgeButton {{ background: {colours[2]}; color: {colours[0]}; font-weight: bold;"
            "  padding: 6px 16px; border: 2px solid transparent; border-radius: 3px; }"
            f" #acknowledgeButton:focus {{ border: 2px solid {colours[1]}; }}"
            " #acknowledgeButton:disabled { background: #9a9a9a; color: #ffffff; }"
        )

    # ------------------------------------------------------------------ loading
    def _changed(self, changes: Changes) -> None:
        if changes & CONCERNS:  # an instruction or an acknowledgement, typed here or imported
            self.reload()

    def reload(self) -> None:
        if self._controller.is_unlocked:
            self._controller.run(instruction_service.unacknowledged, self._show, self._failed)

    def clear(self) -> None:
        """Locked: nothing stays on screen (shown again at unlock, if still pending)."""
        self.pending = []
        self._acknowledged_in_series = 0
        self._busy = False
        self.hide()
        self.shown_instruction.emit("")

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self.ack_button.setEnabled(True)
        show_error(self, exc)

    def _show(self, pending: list[Instruction]) -> None:
        if not self._controller.is_unlocked:
            return
        before = {i.id for i in self.pending}
        self.pending = pending
        self._busy = False
        if not pending:
            self.clear()
            return
        self._style()
        first = pending[0]
        total = self._acknowledged_in_series + len(pending)
        position = self._acknowledged_in_series + 1
        self.title.setText(
            self.tr("CONSIGNE DE LA CELLULE DE CRISE ({0}/{1})").format(position, total)
            if total > 1
            else self.tr("CONSIGNE DE LA CELLULE DE CRISE")
        )
        self.text.setText(first.text)
        to = ", ".join(first.ufs) if first.ufs else self.tr("toutes les UF")
        self.meta.setText(
            self.tr("Envoyée le {0} par {1} (poste {2}) — à : {3}").format(
                short_time(first.at), first.author, first.workstation, to
            )
        )
        self.ack_button.setEnabled(True)
        self.show()
        self.shown_instruction.emit(first.id)
        if {i.id for i in pending} - before:  # a new one: the taskbar says so too
            QApplication.alert(self.window())

    # ------------------------------------------------------------------ acknowledging
    @property
    def current(self) -> Instruction | None:
        return self.pending[0] if self.pending else None

    def acknowledge(self) -> None:
        instruction = self.current
        if instruction is None or self._busy:
            return
        self._busy = True
        self.ack_button.setEnabled(False)  # one acknowledgement per click, while it is saved
        instruction_id = instruction.id

        def done(saved: Instruction) -> None:
            self._acknowledged_in_series += 1
            self.acknowledged.emit(saved)
            # ``changed`` (instructions) has already asked for the list again

        self._controller.run(
            lambda s: instruction_service.acknowledge(s, instruction_id), done, self._failed, write=True
        )
