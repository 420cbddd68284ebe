"""IT administration: users and their passwords, workstation information, encrypted backup.

A thin layer over ``continuity.services.admin``: every check (permissions, password
strength, user-name format, last administrator...) is made by the services, whose
bilingual messages are shown inline in the dialogs or through ``show_error``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.dialogs import ConfirmBox, confirm
from app.errors import error_label, message_for, show_error
from app.refresh import ChangeWatch
from app.settings import Settings, english
from app.table_model import RowsTableModel
from continuity.changes import Changes
from continuity.domain.users import ROLE_LABELS, Permission, Role, User
from continuity.errors import Conflict, InvalidInput, NotFound
from continuity.rekey import Rotation
from continuity.services import admin
from continuity.session import Session

# Errors about what was typed in a dialog: shown inline, next to the fields.
_INLINE_ERRORS = (InvalidInput, Conflict, NotFound)


def role_label(role: Role) -> str:
    label_fr, label_en = ROLE_LABELS[role]
    return label_en if english() else label_fr


def _colour(normal: str, contrast: str) -> str:
    return contrast if Settings.current().high_contrast else normal


def _locale() -> QLocale:
    if english():
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return QLocale(QLocale.Language.French, QLocale.Country.France)


# ------------------------------------------------------------------------------ model
class UsersModel(RowsTableModel[User]):
    """Users of the workstation, active and deactivated (history keeps their names)."""

    USERNAME, NAME, ROLE, UFS, ACTIVE = range(5)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._headers = [
            self.tr("Identifiant"),
            self.tr("Nom"),
            self.tr("Rôle"),
            self.tr("UF"),
            self.tr("Actif"),
        ]

    def headers(self) -> Sequence[str]:
        return self._headers

    def row_of(self, username: str) -> int:
        return self.find_row(lambda u: u.username == username)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        user = self.row_at(index.row()) if index.isValid() else None
        if user is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(user, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QColor(_colour("#6b6b6b", "#b0b0b0"))
        if role == Qt.ItemDataRole.ToolTipRole and not user.active:
            return self.tr("Compte désactivé : son mot de passe n'ouvre plus la base.")
        return None

    def _text(self, user: User, column: int) -> str:
        if column == self.USERNAME:
            return user.username
        if column == self.NAME:
            return user.display_name
        if column == self.ROLE:
            return role_label(user.role)
        if column == self.UFS:
            return ", ".join(user.ufs) if user.ufs else "—"
        return self.tr("oui") if user.active else self.tr("non")


# ---------------------------------------------------------------------------- dialogs
class _FormDialog(QDialog):
    """A dialog whose Save runs a service off the GUI thread; Enter saves, Esc cancels.

    Errors about the input stay in the dialog (``errorLabel``); others go to
    ``show_error``. While the service runs, the buttons are disabled and Esc is ignored.
    """

    def __init__(self, controller: Controller, parent: QWidget | None):
        super().__init__(parent)
        self.controller = controller
        self.setModal(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_label = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Enregistrer"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Annuler"))
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # The dialog grows when an error appears instead of squeezing the fields.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._busy = False

    def _password_field(self, object_name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(object_name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def set_tab_order(self, fields: Sequence[QWidget]) -> None:
        """Tab goes through the fields in reading order, then Save and Cancel."""
        chain = [*fields, self.save_button, self.cancel_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def passwords_match(self) -> bool:
        """Both password fields agree; otherwise say so and put the cursor on the second."""
        password, confirm = (
            self.findChild(QLineEdit, "passwordEdit"),
            self.findChild(QLineEdit, "confirmEdit"),
        )
        assert password is not None and confirm is not None
        if password.text() == confirm.text():
            return True
        self.show_inline_error(self.tr("Les deux mots de passe ne sont pas identiques."))
        confirm.setFocus()
        confirm.selectAll()
        return False

    def show_inline_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        if text:
            self.adjustSize()

    def _save(self) -> None:
        if self._busy:
            return
        self.show_inline_error("")
        self.submit()

    def submit(self) -> None:
        raise NotImplementedError

    def run(self, work: Callable[[Session], object]) -> None:
        if not self.controller.is_unlocked:  # locked meanwhile: nothing would answer
            return
        self._set_busy(True)
        self.controller.run(work, self._done, self._failed, write=True)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)

    def _done(self, _result: object) -> None:
        self._set_busy(False)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, _INLINE_ERRORS):
            self.show_inline_error(message_for(exc))
        else:
            show_error(self, exc)

    def reject(self) -> None:
        if not self._busy:
            super().reject()


class AddUserDialog(_FormDialog):
    """Identifiant, nom affiché, rôle, UF, mot de passe et confirmation."""

    def __init__(self, controller: Controller, ufs: Sequence[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(controller, parent)
        self.setObjectName("addUserDialog")
        self.setWindowTitle(self.tr("Ajouter un utilisateur"))
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("usernameEdit")
        self.username_edit.setPlaceholderText(self.tr("ex. ide.cardio"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("displayNameEdit")
        self.name_edit.setPlaceholderText(self.tr("ex. IDE cardiologie (facultatif)"))
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("roleCombo")
        for role in (Role.WARD_STAFF, Role.CRISIS_CELL, Role.IDENTITY_VIGILANCE, Role.IT_ADMIN):
            self.role_combo.addItem(role_label(role), role.value)
        self.uf_box = QGroupBox(self.tr("UF (obligatoires pour un soignant d'unité)"))
        self.uf_box.setObjectName("ufBox")
        grid = QGridLayout(self.uf_box)
        self.uf_checks: dict[str, QCheckBox] = {}
        per_column = max(1, (len(ufs) + 1) // 2)
        for i, (code, name) in enumerate(ufs):
            check = QCheckBox(f"{code} — {name}")
            check.setObjectName(f"uf_{code}")
            grid.addWidget(check, i % per_column, i // per_column)
            self.uf_checks[code] = check
        if not ufs:
            grid.addWidget(QLabel(self.tr("Aucune UF sur ce site.")), 0, 0)
        self.password_edit = self._password_field("passwordEdit")
        self.confirm_edit = self._password_field("confirmEdit")
        self.form.addRow(self.tr("&Identifiant :"), self.username_edit)
        self.form.addRow(self.tr("&Nom affiché :"), self.name_edit)
        self.form.addRow(self.tr("&Rôle :"), self.role_combo)
        self.form.addRow(self.uf_box)
        self.form.addRow(self.tr("&Mot de passe :"), self.password_edit)
        self.form.addRow(self.tr("&Confirmation :"), self.confirm_edit)
        self.form.addRow(
            QLabel(
                self.tr(
                    "Au moins 8 caractères, pas un mot de passe courant (trois mots sans rapport "
                    "conviennent). Entrée enregistre, Échap annule."
                )
            )
        )
        self.set_tab_order(
            [
                self.username_edit,
                self.name_edit,
                self.role_combo,
                *self.uf_checks.values(),
                self.password_edit,
                self.confirm_edit,
            ]
        )
        self.role_combo.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.username_edit.setFocus()

    def role(self) -> Role:
        return Role(str(self.role_combo.currentData()))

    def _role_changed(self) -> None:
        # Presentation only: UFs matter for ward staff; the service decides what is valid.
        self.uf_box.setEnabled(self.role() is Role.WARD_STAFF)

    def submit(self) -> None:
        if not self.passwords_match():
            return
        username, name, role = self.username_edit.text(), self.name_edit.text(), self.role()
        password = self.password_edit.text()
        ufs = (
            [code for code, check in self.uf_checks.items() if check.isChecked()]
            if role is Role.WARD_STAFF
            else []
        )
        self.run(lambda s: admin.create_user(s, username, name, role, ufs, password))


class ResetPasswordDialog(_FormDialog):
    """New password typed twice for one user."""

    def __init__(self, controller: Controller, user: User, parent: QWidget | None = None):
        super().__init__(controller, parent)
        self.setObjectName("resetPasswordDialog")
        self.username = user.username
        self.setWindowTitle(self.tr("Réinitialiser le mot de passe"))
        intro = QLabel(
            self.tr("Nouveau mot de passe pour « {0} » ({1}). Communiquez-le en main propre.").format(
                user.username, user.display_name
            )
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.password_edit = self._password_field("passwordEdit")
        self.confirm_edit = self._password_field("confirmEdit")
        self.form.addRow(self.tr("&Nouveau mot de passe :"), self.password_edit)
        self.form.addRow(self.tr("&Confirmation :"), self.confirm_edit)
        self.set_tab_order([self.password_edit, self.confirm_edit])
        self.password_edit.setFocus()

    def submit(self) -> None:
        if not self.passwords_match():
            return
        username, password = self.username, self.password_edit.text()
        self.run(lambda s: admin.change_password(s, username, password))


# ------------------------------------------------------------------------------- view
# What each part of the view reads: the users (and the UFs to give them), the workstation's
# information (its counts of users, numbers left and audit entries; the files' sizes
# follow the audit trail, which nearly every write adds to).
USER_CONCERNS = Changes.of("users", "site")
INFO_CONCERNS = Changes.of("users", "site", "workstations", "audit")
CONCERNS = USER_CONCERNS | INFO_CONCERNS


@dataclass(frozen=True)
class _Snapshot:
    info: admin.WorkstationInfo | None  # None: not part of this reload
    users: list[User] | None  # None: the user may not manage users (crisis cell)
    ufs: list[tuple[str, str]]
    may_back_up: bool
    with_users: bool = True  # False: the users were not part of this reload


def _load(session: Session, changes: Changes | None = None) -> _Snapshot:
    """Every part, or those that ``changes`` concerns."""
    wanted = Changes.all() if changes is None else changes
    manages = session.user.can(Permission.MANAGE_USERS)
    with_users = bool(wanted & USER_CONCERNS)
    return _Snapshot(
        info=admin.workstation_info(session) if wanted & INFO_CONCERNS else None,
        users=admin.list_users(session) if manages and with_users else None,
        ufs=admin.site_ufs(session) if manages and with_users else [],
        may_back_up=session.user.can(Permission.MANAGE_KEYS),
        with_users=with_users,
    )


class AdminView(QWidget):
    """Users, workstation information and the encrypted backup, for IT administrators.

    Call ``reload()`` after unlock (the main window does); after a write, the view reloads
    the parts the write changed (``ChangeWatch``); it clears itself when the controller locks.
    """

    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("adminView")
        self.controller = controller
        self._ufs: list[tuple[str, str]] = []
        self.dialog: _FormDialog | None = None
        self.confirm_box: ConfirmBox | None = None
        self.result_box: QMessageBox | None = None

        title = QLabel(self.tr("Administration du poste"))
        title.setObjectName("adminTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)

        # users
        self.users_model = UsersModel(self)
        self.users_table = QTableView()
        self.users_table.setObjectName("usersTable")
        self.users_table.setModel(self.users_model)
        self.users_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.users_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.users_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.users_table.setAlternatingRowColors(True)
        self.users_table.verticalHeader().setVisible(False)
        header = self.users_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(UsersModel.NAME, QHeaderView.ResizeMode.Stretch)
        self.users_table.setAccessibleName(self.tr("Utilisateurs du poste"))
        self.users_table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton(self.tr("Ajouter un utilisateur…"))
        self.add_button.setObjectName("addUserButton")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.add_button.clicked.connect(self.add_user)
        self.reset_button = QPushButton(self.tr("Réinitialiser le mot de passe…"))
        self.reset_button.setObjectName("resetPasswordButton")
        self.reset_button.clicked.connect(self.reset_password)
        self.remove_button = QPushButton(self.tr("Désactiver"))
        self.remove_button.setObjectName("removeUserButton")
        self.remove_button.clicked.connect(self.remove_user)
        user_buttons = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.remove_button):
            user_buttons.addWidget(button)
        user_buttons.addStretch(1)

        self.users_box = QGroupBox(self.tr("Utilisateurs"))
        self.users_box.setObjectName("usersBox")
        users_layout = QVBoxLayout(self.users_box)
        users_layout.addWidget(self.users_table)
        users_layout.addLayout(user_buttons)

        # workstation
        self.info_box = QGroupBox(self.tr("Poste de travail"))
        self.info_box.setObjectName("workstationInfo")
        self.info_form = QFormLayout(self.info_box)
        self.info_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._info: dict[str, QLabel] = {}
        for key, label in (
            ("site", self.tr("Établissement :")),
            ("workstation", self.tr("Poste :")),
            ("block", self.tr("Bloc de numéros provisoires :")),
            ("remaining", self.tr("Numéros restants :")),
            ("folder", self.tr("Dossier de données :")),
            ("size", self.tr("Taille de la base chiffrée :")),
            ("schema", self.tr("Version du schéma :")),
            ("sqlcipher", self.tr("Version de SQLCipher :")),
            ("users", self.tr("Utilisateurs :")),
            ("audit", self.tr("Entrées du journal d'audit :")),
        ):
            value = QLabel("—")
            value.setObjectName(f"info_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.info_form.addRow(label, value)
            self._info[key] = value

        self.backup_button = QPushButton(self.tr("Sauvegarder la base chiffrée…"))
        self.backup_button.setObjectName("backupButton")
        self.backup_button.clicked.connect(self.back_up)
        backup_help = QLabel(
            self.tr(
                "Copie chiffrée de la base et du fichier des clés dans un nouveau dossier "
                "(clé USB ou partage de l'informatique). Elle s'ouvre avec les mots de passe "
                "et la clé de secours valables au moment de la sauvegarde : conservez-la "
                "comme la clé de secours."
            )
        )
        backup_help.setWordWrap(True)
        self.backup_status = QLabel()
        self.backup_status.setObjectName("backupStatus")
        self.backup_status.setWordWrap(True)
        self.backup_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_box = QGroupBox(self.tr("Sauvegarde"))
        self.backup_box.setObjectName("backupBox")
        backup_layout = QVBoxLayout(self.backup_box)
        backup_layout.addWidget(backup_help)
        backup_layout.addWidget(self.backup_button, 0, Qt.AlignmentFlag.AlignLeft)
        backup_layout.addWidget(self.backup_status)
        self.backup_status.setVisible(False)

        right = QVBoxLayout()
        right.addWidget(self.info_box)
        right.addWidget(self.backup_box)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.users_box, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(body, 1)

        controller.locked.connect(self.clear)
        self._may_manage = False
        self._may_back_up = False
        self._update_buttons()
        self.watch = ChangeWatch(self, controller, CONCERNS, self._reload_parts)

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        self.controller.run(_load, self._show, self._error)

    def _reload_parts(self, changes: Changes) -> None:
        self.controller.run(lambda s: _load(s, changes), self._show, self._error)

    def clear(self) -> None:
        """On lock: nothing of the store stays on screen."""
        self.users_model.set_rows([])
        self._ufs = []
        for value in self._info.values():
            value.setText("—")
        self._set_backup_status("")
        self._may_manage = self._may_back_up = False
        self._update_buttons()

    def _show(self, snapshot: _Snapshot) -> None:
        if snapshot.with_users:
            selected = self.selected_user()
            self.users_model.set_rows(snapshot.users or [])
            self.users_box.setVisible(snapshot.users is not None)
            self._ufs = snapshot.ufs
            self._may_manage = snapshot.users is not None
            if selected is not None:
                self.select_user(selected.username)
        self._may_back_up = snapshot.may_back_up
        self.backup_box.setVisible(snapshot.may_back_up)
        if snapshot.info is not None:
            self._show_info(snapshot.info)
        self._update_buttons()

    def _show_info(self, info: admin.WorkstationInfo) -> None:
        loc = _locale()
        set_text = {key: label.setText for key, label in self._info.items()}
        set_text["site"](f"{info.site_name} ({info.site_code})")
        set_text["workstation"](f"{info.workstation_name} ({info.workstation_code})")
        set_text["block"](self.tr("{0} à {1}").format(info.block_start, info.block_end))
        set_text["remaining"](loc.toString(info.remaining_numbers))
        set_text["folder"](str(info.data_folder))
        size = self._size(loc, info.database_bytes)
        if info.wal_bytes:
            size = self.tr("{0} (+ {1} de journal WAL)").format(size, self._size(loc, info.wal_bytes))
        set_text["size"](size)
        set_text["schema"](str(info.schema_version))
        set_text["sqlcipher"](info.sqlcipher_version or self.tr("aucune (base non chiffrée)"))
        set_text["users"](
            self.tr("actifs : {0} ; désactivés : {1}").format(info.active_users, info.inactive_users)
        )
        set_text["audit"](loc.toString(info.audit_entries))

    def _size(self, loc: QLocale, n: int) -> str:
        if n < 1024 * 1024:
            return self.tr("{0} Ko").format(loc.toString(n / 1024, "f", 1))
        return self.tr("{0} Mo").format(loc.toString(n / (1024 * 1024), "f", 1))

    def _error(self, exc: Exception) -> None:
        show_error(self, exc)

    # -------------------------------------------------------------- selection
    def selected_user(self) -> User | None:
        rows = self.users_table.selectionModel().selectedRows()
        return self.users_model.row_at(rows[0].row()) if rows else None

    def select_user(self, username: str) -> None:
        row = self.users_model.row_of(username)
        if row >= 0:
            self.users_table.selectRow(row)

    def _update_buttons(self) -> None:
        user = self.selected_user()
        can_edit = self._may_manage and user is not None and user.active
        self.add_button.setEnabled(self._may_manage)
        self.reset_button.setEnabled(can_edit)
        self.remove_button.setEnabled(can_edit)
        self.backup_button.setEnabled(self._may_back_up)

    # ---------------------------------------------------------------- actions
    def _open_dialog(self, dialog: _FormDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()

    def add_user(self) -> None:
        self._open_dialog(AddUserDialog(self.controller, self._ufs, self))

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is not None and user.active:
            self._open_dialog(ResetPasswordDialog(self.controller, user, self))

    def remove_user(self) -> None:
        user = self.selected_user()
        if user is None or not user.active:
            return
        username = user.username
        # Hard to undo (an administrator must reactivate the account): Enter cancels.
        self.confirm_box = confirm(
            self,
            self.tr("Désactiver un utilisateur"),
            self.tr(
                "Désactiver le compte « {0} » ({1}) ?\n\nSon mot de passe n'ouvrira plus "
                "la base sur ce poste ; l'historique garde son nom."
            ).format(user.username, user.display_name),
            self.tr("Désactiver le compte"),
            lambda: self.controller.run(
                lambda s: admin.remove_user(s, username), self._removed, self._error, write=True
            ),
            confirm_is_default=False,
            name="confirmRemoveBox",
        )

    def _removed(self, rotation: Rotation) -> None:
        """Say what the re-key that follows a removal did (the service decided it)."""
        if rotation.done:
            text = self.tr(
                "Compte désactivé. La clé de la base a été changée : son ancien mot de passe "
                "n'ouvre plus rien, même avec une ancienne copie des fichiers."
            )
        elif rotation.must_sign_in or rotation.recovery_unconverted:
            text = self.tr(
                "Compte désactivé. La clé de la base n'a pas été changée : des comptes de l'ancien "
                "format perdraient l'accès. Qu'ils se connectent une fois (ou reçoivent un nouveau "
                "mot de passe), puis lancez « continuity keys rotate » : {0}"
            ).format(", ".join(rotation.must_sign_in))
            if rotation.recovery_unconverted:
                text += "\n\n" + self.tr(
                    "La clé de secours est de l'ancien format : remplacez-la (« continuity recovery-key »)."
                )
        else:
            text = self.tr(
                "Compte désactivé. La base est ouverte sur un autre poste ou dans une autre "
                "fenêtre : sa clé sera changée plus tard. Fermez-la partout, puis lancez "
                "« continuity keys rotate »."
            )
        if rotation.slots_dropped:
            text += "\n\n" + self.tr(
                "Emplacements de clé inconnus de la base retirés (fichier des clés modifié) : {0}"
            ).format(", ".join(rotation.slots_dropped))
        if rotation.users_without_slot:
            text += "\n\n" + self.tr(
                "Ces comptes doivent recevoir un nouveau mot de passe (pas de connexion depuis la "
                "mise à jour) : {0}"
            ).format(", ".join(rotation.users_without_slot))
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Désactiver un utilisateur"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("keyRotationBox")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_box = box
        box.open()

    def choose_backup_folder(self) -> Path | None:
        """Ask where to write the backup (tests replace this method)."""
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Dossier de la sauvegarde chiffrée"), str(Path.home())
        )
        return Path(folder) if folder else None

    def back_up(self) -> None:
        folder = self.choose_backup_folder()
        if folder is None:
            return
        self.backup_button.setEnabled(False)
        self._set_backup_status(self.tr("Sauvegarde en cours…"))

        def failed(exc: Exception) -> None:
            self._set_backup_status("")
            self._update_buttons()
            self._error(exc)

        self.controller.run(lambda s: admin.backup(s, folder), self._backed_up, failed, write=True)

    def _set_backup_status(self, text: str) -> None:
        self.backup_status.setText(text)
        self.backup_status.setVisible(bool(text))

    def _backed_up(self, folder: Path) -> None:
        self._update_buttons()
        text = self.tr("Sauvegarde chiffrée créée dans :\n{0}").format(folder)
        self._set_backup_status(text)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Sauvegarde terminée"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("backupDoneBox")
        box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 34em; }")  # path on one line
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_box = box
        box.open()
