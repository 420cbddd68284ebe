"""Encrypted drafts of the forms being typed, and offering them back after a crash.

``DraftKeeper`` keeps a dialog's fields in the store (``continuity.services.drafts``)
a second after the last key, through ``Controller.run`` (the store worker, never the
GUI thread), and at once when the workstation locks. Nothing is written in clear or
in a temporary file: the draft is a row of the SQLCipher store. In a dialog::

    self.fields = FormFields({...})                      # its inputs, by name
    self.keeper = DraftKeeper(self, controller, DraftKind.ADMISSION, self.fields, draft=draft)
    self.guard = FormGuard(self, controller, self.fields.is_filled, self.keeper.discard)

    def save(self) -> None:
        self.keeper.flush()                              # the last keys, before the record
        keeper = self.keeper
        def work(session: Session) -> ...:
            result = service(session, ...)               # the form's own record
            keeper.forget_in(session)                    # recorded: the draft goes
            return result

``DraftOffer`` runs at unlock: the user's drafts that no open form holds are offered
back, one at a time, « Reprendre la saisie interrompue du JJ/MM HH:MM ? ». Only the
session's own user's drafts are ever read (the services allow nothing else).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.controller import Controller
from app.form_fields import FormFields
from continuity.domain.drafts import Draft, DraftKind, FieldValue
from continuity.errors import ContinuityError
from continuity.services import drafts
from continuity.session import Session

SAVE_DELAY_MSECS = 1000  # after the last key: a draft per pause, not per keystroke


class DraftKeeper(QObject):
    saved = Signal()  # a draft was written to the store (or an emptied one deleted)

    _open: set[str] = set()  # noqa: RUF012 - the ids of the drafts open forms hold, in this process

    def __init__(
        self,
        dialog: QDialog,
        controller: Controller,
        kind: DraftKind,
        fields: FormFields,
        *,
        draft: Draft | None = None,
        extra: Mapping[str, FieldValue] | None = None,
        delay_msecs: int = SAVE_DELAY_MSECS,
    ):
        super().__init__(dialog)
        self._controller = controller
        self.kind = kind
        self.fields = fields
        self._extra = dict(extra or {})  # saved with the fields: what the form was opened with
        self.draft_id = draft.id if draft is not None else uuid.uuid4().hex
        self._owner = controller.session.user.username if controller.session else None
        self._stored = draft is not None  # a row may be in the store
        self._dirty = False
        self._closed = False  # read on the worker too: set there once the form is recorded
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_msecs)
        self._timer.timeout.connect(self._save)
        if draft is not None:
            fields.apply(draft.fields)
        fields.on_change(self._changed)
        controller.locking.connect(self.flush)  # the last keys are kept before the store closes
        dialog.finished.connect(self._close)
        DraftKeeper._open.add(self.draft_id)

    @classmethod
    def open_ids(cls) -> frozenset[str]:
        return frozenset(cls._open)

    def _changed(self) -> None:
        if not self._closed:
            self._dirty = True
            self._timer.start()

    def flush(self) -> None:
        """Write now what was typed since the last draft (at lock, before the form's record)."""
        if self._dirty:
            self._save()

    def _save(self) -> None:
        self._timer.stop()
        if self._closed or not self._dirty:
            return
        self._dirty = False
        owner, draft_id, kind = self._owner, self.draft_id, self.kind
        if self.fields.is_filled():
            values: dict[str, FieldValue] = {**self.fields.values(), **self._extra}
            self._stored = True

            def work(session: Session) -> None:
                if session.actor == owner and not self._closed:
                    drafts.save_draft(session, draft_id, kind, values)

        elif self._stored:
            self._stored = False  # everything typed was erased: no draft to offer

            def work(session: Session) -> None:
                if session.actor == owner and not self._closed:
                    drafts.discard_draft(session, draft_id)

        else:
            return
        self._controller.run(work, lambda _none: self.saved.emit(), self._failed)

    def _failed(self, _exc: Exception) -> None:
        self._dirty = True  # the next key (or the lock) tries again

    def forget_in(self, session: Session) -> None:
        """On the worker, right after the form's record was saved: no draft any more.

        A failure here does not undo the record; the draft is then offered again later.
        """
        self._closed = True
        if session.actor == self._owner:
            with contextlib.suppress(ContinuityError):
                drafts.discard_draft(session, self.draft_id)

    def discard(self) -> None:
        """The user chose to drop the form: its draft goes (audited when something was typed)."""
        typed = self.fields.is_filled()
        self._closed = True
        self._timer.stop()
        owner, draft_id = self._owner, self.draft_id

        def work(session: Session) -> None:
            if session.actor == owner:
                drafts.discard_draft(session, draft_id, abandoned=typed)

        self._controller.run(work, lambda _none: None, lambda _exc: None)

    def _close(self) -> None:
        """The form is closed (recorded, abandoned, or dropped for another user): stop writing."""
        self._closed = True
        self._timer.stop()
        DraftKeeper._open.discard(self.draft_id)


class DraftOffer(QObject):
    """At unlock, the user's interrupted forms, offered back one at a time.

    ``resume(draft)`` opens the form of a draft taken up again and returns it; the next
    draft is offered once that form is closed. « Plus tard » (or Esc) keeps them all for
    the next unlock; « Abandonner la saisie » deletes one (audited).
    """

    def __init__(self, parent: QWidget, controller: Controller, resume: Callable[[Draft], QDialog | None]):
        super().__init__(parent)
        self._parent = parent
        self._controller = controller
        self._resume = resume
        self._queue: list[Draft] = []
        self.question: QMessageBox | None = None

    def offer(self) -> None:
        self._queue = []
        self._controller.run(drafts.drafts_of_user, self._found, lambda _exc: None)

    def _found(self, found: list[Draft]) -> None:
        session = self._controller.session
        if session is None:
            return
        open_ids = DraftKeeper.open_ids()
        self._queue = [d for d in found if d.owner == session.actor and d.id not in open_ids]
        self._next()

    def _next(self) -> None:
        session = self._controller.session
        if not self._queue or session is None:
            return
        draft = self._queue.pop(0)
        if draft.owner != session.actor:
            return
        when = draft.updated_at.astimezone().strftime("%d/%m %H:%M")
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Saisie interrompue"),
            self.tr("Reprendre la saisie interrompue du {0} ?").format(when),
            QMessageBox.StandardButton.NoButton,
            self._parent,
        )
        box.setObjectName("resumeDraftQuestion")
        box.setInformativeText(
            self.tr("Un formulaire d'admission n'a pas été enregistré (poste arrêté pendant la saisie).")
        )
        resume = box.addButton(self.tr("Reprendre la saisie"), QMessageBox.ButtonRole.AcceptRole)
        resume.setObjectName("resumeButton")
        drop = box.addButton(self.tr("Abandonner la saisie"), QMessageBox.ButtonRole.DestructiveRole)
        drop.setObjectName("discardButton")
        later = box.addButton(self.tr("Plus tard"), QMessageBox.ButtonRole.RejectRole)
        later.setObjectName("laterButton")
        box.setDefaultButton(resume)
        box.setEscapeButton(later)
        self.question = box

        def answered() -> None:
            self.question = None
            box.deleteLater()
            clicked = box.clickedButton()
            if clicked is resume:
                self._controller.run(lambda s: drafts.take_draft(s, draft.id), self._open, lambda _e: None)
            elif clicked is drop:
                self._controller.run(
                    lambda s: drafts.discard_draft(s, draft.id, abandoned=True),
                    lambda _done: self._next(),
                    lambda _e: self._next(),
                )
            else:
                self._queue = []  # later: all of them, at the next unlock

        box.finished.connect(answered)
        box.open()

    def _open(self, draft: Draft) -> None:
        session = self._controller.session
        if session is None or draft.owner != session.actor:
            return
        dialog = self._resume(draft)
        if dialog is None:
            self._next()
        else:
            dialog.finished.connect(self._next)
