"""Main window: unlock screen, then the views the user's role allows, menus and status bar."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import banner, i18n, screen, theme
from app.admin_view import AdminView, role_label
from app.civ_view import CivView
from app.controller import Controller
from app.crisis_view import CrisisView
from app.dialogs import ask_int, inform
from app.drafts import DraftOffer
from app.exchange_view import INDEX_ROLES, ExchangeView
from app.help_view import HelpWindow
from app.index_import_dialog import IndexReader
from app.instruction_bar import InstructionBar
from app.lock_shortcut import LockShortcut
from app.log_entry_dialog import LogEntryDialog
from app.paper_entry import PaperEntryDialog
from app.print_menu import PrintMenu
from app.settings import Settings
from app.sync_view import SyncView
from app.texts import age_text
from app.unlock_view import UnlockView
from app.ward_view import WardView
from app.watch_runner import WatchRunner
from continuity import __version__
from continuity.changes import Changes
from continuity.domain.crisis import LogEntry, ServiceStatusView
from continuity.domain.drafts import Draft
from continuity.domain.users import Permission, Role, User
from continuity.errors import StoreError
from continuity.health import write_health_file
from continuity.services import admin, crisis, snapshots, sync_state
from continuity.session import Session
from continuity.text import for_display
from sync.his_index_files import read_index
from sync.inbox import FileResult
from sync.watch_service import Result

log = logging.getLogger("continuity.app")

INDEX_READER: IndexReader = read_index  # the HIS's index files, streamed
OVERVIEW_REFRESH_MSECS = 60_000  # the snapshot's age grows even when nothing is saved
HEALTH_MSECS = 60_000  # the health file for doctor: this often, at unlock and at lock
# The banner, the title and the status bar: site, statuses, exercise mode, backlog, snapshot.
OVERVIEW_CONCERNS = Changes.of("site", "settings", "statuses", "outbox", "snapshots")
# Shown in the language just chosen, whichever the interface speaks (app.i18n.translate_in).
LANGUAGE_TITLE = QT_TRANSLATE_NOOP("MainWindow", "Langue")
LANGUAGE_NOTICE = QT_TRANSLATE_NOOP("MainWindow", "La langue choisie s'appliquera au prochain démarrage.")


_Overview = tuple[str, list[ServiceStatusView], int, bool, snapshots.Freshness]


class MainWindow(QMainWindow):
    def __init__(self, controller: Controller, settings: Settings):
        super().__init__()
        self.controller = controller
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Kit de continuité — mode dégradé"))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            screen.install(app)  # every dialog is fitted to the screen when shown
        self._hidden_dialogs: list[QDialog] = []

        self.unlock_view = UnlockView()
        self.unlock_view.set_banner(banner.load(controller.workspace.folder))
        self.unlock_view.set_subtitle(self.tr("Dossier de données : {0}").format(controller.workspace.folder))
        self.unlock_view.unlock_requested.connect(self._unlock)
        self.work_banner = QLabel()
        self.work_banner.setObjectName("workBanner")
        self.work_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.work_banner.setWordWrap(True)  # a long list of services wraps: the window fits the screen
        self.work_banner.setStyleSheet("background: #8b0000; color: white; font-weight: bold; padding: 6px;")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.currentChanged.connect(self._tab_changed)
        self._crisis_placeholder: QWidget | None = None
        work = QWidget()
        work_layout = QVBoxLayout(work)
        work_layout.setContentsMargins(4, 0, 4, 4)
        work_layout.addWidget(self.work_banner)
        # The crisis cell's instructions not yet acknowledged here, above every tab.
        self.instruction_bar = InstructionBar(controller)
        work_layout.addWidget(self.instruction_bar)
        work_layout.addWidget(self.tabs, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock_view)
        self.stack.addWidget(work)
        # On a screen smaller than a view needs (1024x768, large fonts) the view scrolls:
        # the window, its title bar and status bar stay on the screen.
        self.view_scroll = QScrollArea()
        self.view_scroll.setObjectName("mainScroll")
        self.view_scroll.setWidgetResizable(True)
        self.view_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.view_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop in the Tab order
        self.view_scroll.setWidget(self.stack)
        self.setCentralWidget(self.view_scroll)
        self._size_before_large: QSize | None = None
        screen.place_main_window(self)

        self.ward: WardView | None = None
        self.crisis: CrisisView | None = None
        self.admin: AdminView | None = None
        self.sync_view: SyncView | None = None
        self.exchange_view: ExchangeView | None = None
        self.civ_view: CivView | None = None
        self._views_for: str | None = None
        self._idle_ceiling: int | None = None  # the site's idle lock, once read

        # Labels that shrink (elided, whole in their tooltips) on a narrow screen.
        self.user_label = screen.ElidedLabel()
        # The path is in the tooltip: the status bar keeps room for messages.
        self.store_label = screen.ElidedLabel(self.tr("Base chiffrée"))
        self.store_label.setToolTip(self.tr("Base chiffrée : {0}").format(controller.workspace.db_path))
        self.saved_label = screen.ElidedLabel()
        self.backlog_label = screen.ElidedLabel()
        self.snapshot_label = screen.ElidedLabel()
        for w in (
            self.user_label,
            self.store_label,
            self.saved_label,
            self.snapshot_label,
            self.backlog_label,
        ):
            w.setObjectName(f"status-{id(w)}")
            self.statusBar().addPermanentWidget(w)
        status_labels = [
            self.user_label,
            self.store_label,
            self.saved_label,
            self.snapshot_label,
            self.backlog_label,
        ]
        self.statusBar().messageChanged.connect(
            lambda text: screen.leave_room_for_message(status_labels, self.statusBar(), text)
        )
        self.saved_label.setObjectName("lastSaved")
        self.backlog_label.setObjectName("syncBacklog")
        self.user_label.setObjectName("currentUser")
        self.snapshot_label.setObjectName("snapshotStatus")
        self._overview_timer = QTimer(self)
        self._overview_timer.setInterval(OVERVIEW_REFRESH_MSECS)
        self._overview_timer.timeout.connect(self._refresh_overview)
        self._overview_timer.timeout.connect(self._refresh_ages)
        self._health_timer = QTimer(self)
        self._health_timer.setInterval(HEALTH_MSECS)
        self._health_timer.timeout.connect(self._write_health)
        self._health_ok = True
        self.watch = WatchRunner(controller, self)
        self.watch.imported.connect(self._files_imported)
        self.watch.unavailable.connect(
            lambda folders: self.statusBar().showMessage(
                self.tr("Dossier surveillé inaccessible : {0}").format(", ".join(str(f) for f in folders)),
                30000,
            )
        )
        self.watch.carrier_failed.connect(
            lambda: self.statusBar().showMessage(
                self.tr(
                    "Syncthing n'a pas démarré sur ce poste : le dossier d'échange reste surveillé, "
                    "à copier à la main (clé USB). Voir continuity doctor."
                ),
                60000,
            )
        )

        # after a movement: "Annuler" beside its message, as Ctrl+Z and the menu do
        self._undo_on = False
        self.undo_button = QPushButton(self.tr("Annuler ce mouvement (Ctrl+Z)"))
        self.undo_button.setObjectName("undoOfferButton")
        self.undo_button.setFlat(True)
        self.undo_button.clicked.connect(lambda: self._ward("cancel_last"))
        self.undo_button.hide()
        # beside the message, never under it: a temporary message covers the normal widgets
        self.statusBar().insertPermanentWidget(0, self.undo_button)
        self.statusBar().messageChanged.connect(
            lambda text: self.undo_button.setVisible(bool(text) and self._undo_on)
        )

        self._build_menus()
        self._lock_keys = LockShortcut(self.lock_action)  # Ctrl+L from an open form too
        self.drafts = DraftOffer(self, controller, self._resume_draft)  # forms a crash interrupted
        controller.unlocked.connect(self._on_unlocked)
        controller.locked.connect(self._on_locked)
        controller.changed.connect(self._changed)
        controller.locking.connect(self._write_health)  # the last picture before the store closes
        controller.saved_at.connect(self._saved)
        self._on_locked()

    # ------------------------------------------------------------------ menus
    def _action(
        self, menu: Any, text: str, shortcut: str | QKeySequence.StandardKey | None, slot: Any, name: str
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&Fichier"))
        self.lock_action = self._action(
            file_menu, self.tr("&Verrouiller le poste"), "Ctrl+L", self.controller.lock, "lockAction"
        )
        self.export_action = self._action(
            file_menu,
            self.tr("&Exporter un lot d'échange"),
            "Ctrl+E",
            self._export_bundle,
            "exportBundleAction",
        )
        self.import_index_action = self._action(
            file_menu,
            self.tr("Importer l'&index du DPI…"),
            None,
            lambda: self.exchange_view.import_index() if self.exchange_view else None,
            "importIndexAction",
        )
        self.import_index_action.setVisible(False)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quitter"), "Ctrl+Q", self.close, "quitAction")

        self.patient_menu = bar.addMenu(self.tr("&Patient"))
        m = self.patient_menu
        self._action(m, self.tr("&Rechercher"), "Ctrl+F", lambda: self._ward("focus_search"), "searchAction")
        self._action(m, self.tr("&Admettre…"), "Ctrl+N", lambda: self._ward("admit"), "admitAction")
        self._action(m, self.tr("&Muter…"), "Ctrl+T", lambda: self._ward("transfer"), "transferAction")
        self._action(m, self.tr("Absence &temporaire"), None, lambda: self._ward("leave"), "leaveAction")
        self._action(m, self.tr("R&etour d'absence"), None, lambda: self._ward("come_back"), "returnAction")
        self._action(m, self.tr("&Sortie…"), "Ctrl+D", lambda: self._ward("discharge"), "dischargeAction")
        self._action(
            m,
            self.tr("Annuler le &dernier mouvement"),
            "Ctrl+Z",
            lambda: self._ward("cancel_last"),
            "cancelAction",
        )
        self._action(
            m,
            self.tr("&Corriger un mouvement…"),
            "Ctrl+M",
            lambda: self._ward("correct_movement"),
            "correctMovementAction",
        )
        m.addSeparator()
        self.paper_action = self._action(
            m, self.tr("Saisir un &formulaire papier…"), "Ctrl+R", self._paper_entry, "paperEntryAction"
        )

        self.crisis_menu = bar.addMenu(self.tr("&Crise"))
        self.log_entry_action = self._action(
            self.crisis_menu,
            self.tr("Écrire dans la &main courante…"),
            "Ctrl+J",
            self.write_log_entry,
            "logEntryAction",
        )

        self.print_menu = PrintMenu(self, self.controller, self.settings, lambda: self.ward)
        bar.addMenu(self.print_menu.menu)

        view = bar.addMenu(self.tr("&Affichage"))
        self.large_action = self._action(
            view, self.tr("&Grandes polices"), "Ctrl++", self._toggle_large, "largeFontsAction"
        )
        self.large_action.setCheckable(True)
        self.large_action.setChecked(self.settings.large_fonts)
        self.contrast_action = self._action(
            view, self.tr("&Contraste élevé"), "Ctrl+H", self._toggle_contrast, "contrastAction"
        )
        self.contrast_action.setCheckable(True)
        self.contrast_action.setChecked(self.settings.high_contrast)
        self._action(
            view, self.tr("&Délai de verrouillage automatique…"), None, self._ask_idle_minutes, "idleAction"
        )
        lang = view.addMenu(self.tr("&Langue"))
        self._action(lang, "Français", None, lambda: self._set_language("fr"), "langFr")
        self._action(lang, "English", None, lambda: self._set_language("en"), "langEn")

        help_menu = bar.addMenu(self.tr("Ai&de"))
        self.help_window: HelpWindow | None = None
        self.help_action = self._action(help_menu, self.tr("&Aide"), "F1", self.show_help, "helpAction")
        self._action(help_menu, self.tr("À &propos"), None, self._about, "aboutAction")

    def show_help(self) -> None:
        """The help page, non-modal, beside what the user is doing (one window, raised again)."""
        if self.help_window is None:
            self.help_window = HelpWindow(self)
        self.help_window.show()
        self.help_window.raise_()
        self.help_window.activateWindow()

    def _ward_message(self, text: str) -> None:
        self._undo_on = False
        self.statusBar().showMessage(text, 15000)

    def _offer_undo(self, text: str) -> None:
        self._undo_on = True
        self.statusBar().showMessage(text, 30000)
        self.undo_button.setVisible(True)

    def _update_patient_actions(self) -> None:
        """The Patient menu enables what the current patient allows, as the ward's buttons do."""
        ward = self.ward
        if ward is None:
            return
        for action, button in (
            ("transferAction", "transferButton"),
            ("leaveAction", "leaveButton"),
            ("returnAction", "returnButton"),
            ("dischargeAction", "dischargeButton"),
            ("cancelAction", "cancelButton"),
        ):
            found = self.findChild(QAction, action)
            if found is not None:
                found.setEnabled(ward.buttons[button].isEnabled())
        correct = self.findChild(QAction, "correctMovementAction")
        if correct is not None:
            correct.setEnabled(ward.can_correct())

    def _paper_entry(self) -> None:
        session = self.controller.session
        if session is None or not session.user.can(Permission.RECORD_MOVEMENTS):
            return
        PaperEntryDialog(self.controller, self).open()

    def write_log_entry(self) -> LogEntryDialog | None:
        """Ward staff: an entry for one of their UFs (the ward's current one first). The crisis
        cell writes in its own view: the action takes it to the entry line there."""
        session = self.controller.session
        if session is None:
            return None
        user = session.user
        if user.can(Permission.WRITE_LOG):
            if self.crisis is not None:
                self.tabs.setCurrentWidget(self.crisis)
                self.crisis.focus_log_entry()
            return None
        if not user.can(Permission.WRITE_SERVICE_LOG):
            return None
        preset = None
        current = self.ward.current if self.ward is not None else None
        if current is not None and current.stay is not None and current.stay.uf_code in user.ufs:
            preset = current.stay.uf_code
        dialog = LogEntryDialog(self.controller, user.ufs, preset, self)
        dialog.added.connect(self._log_entry_added)
        dialog.open()
        return dialog

    def _log_entry_added(self, entry: LogEntry) -> None:
        self.statusBar().showMessage(
            self.tr(
                "Entrée ajoutée à la main courante ({0}) : elle partira avec le prochain lot d'échange."
            ).format(entry.service_code or ""),
            15000,
        )

    def _ward(self, method: str) -> None:
        if self.ward is not None and self.controller.is_unlocked:
            self.tabs.setCurrentWidget(self.ward)
            getattr(self.ward, method)()

    # ------------------------------------------------------------------ lock cycle
    def _unlock(self, username: str, password: str) -> None:
        self.controller.unlock(username, password, self.unlock_view.failed)

    def _on_unlocked(self, user: User) -> None:
        same_user = user.username == self._views_for
        for dialog in self._hidden_dialogs:
            if not same_user:
                dialog.reject()
        self._build_views(user)
        self.stack.setCurrentIndex(1)
        self.user_label.setText(self.tr("{0} ({1})").format(user.display_name, role_label(user.role)))
        self.patient_menu.setEnabled(user.can(Permission.READ_PATIENTS))
        self.paper_action.setVisible(user.can(Permission.RECORD_MOVEMENTS))
        writes_log = user.can(Permission.WRITE_LOG) or user.can(Permission.WRITE_SERVICE_LOG)
        self.crisis_menu.menuAction().setVisible(writes_log)
        self.log_entry_action.setEnabled(writes_log)
        self.print_menu.menu.setEnabled(True)
        self.print_menu.update_for(
            user.can(Permission.READ_PATIENTS),
            user.can(Permission.RECORD_MOVEMENTS),
            user.role is Role.CRISIS_CELL,
            user.can(Permission.RESERVE_PAPER_FORMS),
        )
        self.lock_action.setEnabled(True)
        self.export_action.setEnabled(True)
        self.import_index_action.setVisible(
            self.exchange_view is not None
            and self.exchange_view.index_reader is not None
            and user.role in INDEX_ROLES
        )
        self._overview_timer.start()
        self._health_timer.start()
        self._write_health()
        if same_user:
            for dialog in self._hidden_dialogs:
                dialog.show()
        self._hidden_dialogs = []
        self._refresh()
        if self.ward is not None and not same_user:
            self.ward.focus_search()
        self.controller.run(admin.idle_lock_minutes, self._apply_idle_policy, lambda _e: None)
        if not same_user:
            self.drafts.offer()

    def _resume_draft(self, draft: Draft) -> QDialog | None:
        """An interrupted admission, taken up again: its form, filled back, over the ward view."""
        if self.ward is None:
            return None
        self.tabs.setCurrentWidget(self.ward)
        return self.ward.resume_admission(draft)

    def _build_views(self, user: User) -> None:
        """The views of the user's role; kept across a lock by the same user (their forms too)."""
        if self._views_for == user.username:
            return
        self.tabs.clear()
        for view in (
            self.ward,
            self.crisis,
            self.admin,
            self.sync_view,
            self.exchange_view,
            self.civ_view,
            self._crisis_placeholder,
        ):
            if view is not None:
                view.deleteLater()
        self.ward = self.crisis = self.admin = self.sync_view = self.exchange_view = None
        self.civ_view = None
        self._crisis_placeholder = None
        if user.can(Permission.READ_PATIENTS):
            self.ward = WardView(self.controller)
            self.ward.status_message.connect(self._ward_message)
            self.ward.undo_offered.connect(self._offer_undo)
            self.ward.actions_changed.connect(self._update_patient_actions)
            self.ward.print_requested.connect(
                lambda kind: self.print_menu.wristband() if kind == "wristband" else self.print_menu.labels()
            )
            label = self.tr("Service") if user.role is Role.WARD_STAFF else self.tr("Recensement")
            self.tabs.addTab(self.ward, label)
            if user.role is Role.CRISIS_CELL:
                self.crisis = CrisisView(self.controller)
                self.tabs.addTab(self.crisis, self.tr("Cellule de crise"))
                self.tabs.setCurrentWidget(self.crisis)
            else:
                # Built when first opened: ward staff start on their ward.
                self._crisis_placeholder = QWidget()
                self.tabs.addTab(self._crisis_placeholder, self.tr("Cellule de crise"))
        if user.can(Permission.REVIEW_IDENTITIES):  # the identity-vigilance cell (CIV)
            self.civ_view = CivView(self.controller)
            self.tabs.addTab(self.civ_view, self.tr("Identitovigilance"))
            self.tabs.setCurrentWidget(self.civ_view)
        if user.can(Permission.MANAGE_USERS):
            self.admin = AdminView(self.controller)
            self.tabs.addTab(self.admin, self.tr("Administration"))
        if user.can(Permission.SYNC):
            self.sync_view = SyncView(self.controller)
            self.tabs.addTab(self.sync_view, self.tr("Reprise DPI"))
        self.exchange_view = ExchangeView(self.controller, index_reader=INDEX_READER)
        self.tabs.addTab(self.exchange_view, self.tr("Échanges et instantanés"))
        self._views_for = user.username

    def _tab_changed(self, index: int) -> None:
        placeholder = self._crisis_placeholder
        if placeholder is None or self.tabs.widget(index) is not placeholder:
            return
        self._crisis_placeholder = None
        self.crisis = CrisisView(self.controller)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, self.crisis, self.tr("Cellule de crise"))
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        placeholder.deleteLater()
        self.crisis.reload()

    def _on_locked(self) -> None:
        """Clear the screen: no patient stays displayed; open forms are hidden, not lost."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.hide()
                self._hidden_dialogs.append(dialog)
        if self.ward is not None:
            self.ward.forget()
        if self.civ_view is not None:
            self.civ_view.clear()
        self.statusBar().clearMessage()
        self.stack.setCurrentIndex(0)
        self.user_label.setText(self.tr("Verrouillé"))
        self.patient_menu.setEnabled(False)
        self.log_entry_action.setEnabled(False)
        self.print_menu.menu.setEnabled(False)
        self.lock_action.setEnabled(False)
        self.export_action.setEnabled(False)
        self.import_index_action.setVisible(False)
        self._overview_timer.stop()
        self._health_timer.stop()
        self.snapshot_label.clear()
        self.unlock_view.set_banner(banner.load(self.controller.workspace.folder))
        self.unlock_view.prepare(self.controller.last_user)
        if self.isVisible():
            self.activateWindow()  # a form had the keyboard: the password field has it now

    # ------------------------------------------------------------------ refresh
    def _refresh(self) -> None:
        """Everything (at unlock, or new fonts); after a write, each view reloads by itself
        the parts the write changed (``app.refresh.ChangeWatch``)."""
        for view in (self.ward, self.crisis, self.admin, self.exchange_view, self.civ_view):
            if view is not None:
                view.reload()
        if self.sync_view is not None:
            self.sync_view.refresh()
        self._refresh_overview()

    def _changed(self, changes: Changes) -> None:
        if changes & OVERVIEW_CONCERNS:
            self._refresh_overview()

    def _write_health(self) -> None:
        """The health file, on the store worker; a failure is logged there, and noted here."""
        self.controller.run(write_health_file, self._health_written, lambda _e: self._health_written(False))

    def _health_written(self, ok: bool) -> None:
        if not ok and self._health_ok and self.controller.is_unlocked:
            self.statusBar().showMessage(
                self.tr("Fichier d'état du poste non écrit (voir le journal de l'application)"), 15000
            )
        self._health_ok = ok

    def _refresh_ages(self) -> None:
        if self.crisis is not None:
            self.crisis.refresh_ages()

    def _refresh_overview(self) -> None:
        def overview(session: Session) -> _Overview:
            return (
                crisis.site_name(session),
                crisis.service_statuses(session),
                sync_state.backlog(session),
                crisis.exercise_mode(session),
                snapshots.freshness(session),
            )

        self.controller.run(overview, self._show_overview, lambda _e: None)

    def _show_overview(self, data: _Overview) -> None:
        site, statuses, backlog, exercise, fresh = data
        try:
            banner.save(self.controller.workspace.folder, site, statuses, exercise)
        except (OSError, StoreError) as exc:  # a read-only or full data folder: the work goes on
            log.warning(
                "Bandeau de l'écran verrouillé non écrit / locked-screen banner not written: %s (errno %s)",
                type(exc).__name__,
                getattr(exc, "errno", None),
            )
        title = self.tr("Kit de continuité — mode dégradé")
        self.setWindowTitle(self.tr("EXERCICE — {0}").format(title) if exercise else title)
        # A drill must never be taken for the real thing: another colour, on every tab.
        self.work_banner.setStyleSheet(
            f"background: {'#b35900' if exercise else '#8b0000'}; color: white; "
            "font-weight: bold; padding: 6px;"
        )
        self.work_banner.setText(
            banner.banner_text(site, [(s.code, s.status.value) for s in statuses], exercise)
        )
        self.backlog_label.setText(self.tr("À synchroniser : {0}").format(backlog))
        if fresh.taken_at is None:
            text = self.tr("Instantané DPI : aucun")
        else:
            text = self.tr("Instantané DPI : il y a {0}").format(age_text(fresh.age))
        if fresh.stale:
            text = "⚠ " + text
        self.snapshot_label.setText(text)
        self.snapshot_label.setStyleSheet("color: #b00020; font-weight: bold;" if fresh.stale else "")
        self.snapshot_label.setToolTip(self.tr("Seuil d'alerte : {0}").format(age_text(fresh.max_age)))

    def _export_bundle(self) -> None:
        if self.exchange_view is not None and self.controller.is_unlocked:
            self.exchange_view.export_now()

    def _files_imported(self, results: list[Result]) -> None:
        """A short note in the status bar (the exchange tab has the details)."""
        texts = []
        for r in results[-3:]:
            refused = r.outcome.value in ("quarantined", "refused")
            if isinstance(r, FileResult):
                texts.append(
                    (
                        self.tr("Instantané refusé (quarantaine) : {0}")
                        if refused
                        else self.tr("Instantané du DPI importé : {0}")
                    ).format(for_display(r.name))
                )
            else:
                texts.append(
                    (
                        self.tr("Lot d'échange refusé : {0}")
                        if refused
                        else self.tr("Lot d'échange importé : {0}")
                    ).format(for_display(r.name))
                )
        self.statusBar().showMessage(" · ".join(texts), 20000)

    def _saved(self, when: datetime) -> None:
        self.saved_label.setText(self.tr("Dernier enregistrement : {0}").format(when.strftime("%H:%M:%S")))

    # ------------------------------------------------------------------ settings
    def _toggle_large(self, on: bool) -> None:
        restore = None
        if on and not self.settings.large_fonts:
            self._size_before_large = self.size()
        elif not on and self.settings.large_fonts:
            restore, self._size_before_large = self._size_before_large, None
        self.settings.large_fonts = on
        self._apply_settings()
        if not self.isMaximized() and not self.isFullScreen():
            # Larger fonts never push the window off the screen; smaller ones give back
            # the size it had before.
            screen.fit_to_screen(self, restore)

    def _toggle_contrast(self, on: bool) -> None:
        self.settings.high_contrast = on
        self._apply_settings()

    def _apply_settings(self) -> None:
        self.settings.save()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, self.settings)
        if self.controller.is_unlocked:
            self._refresh()

    def _apply_idle_policy(self, site_minutes: int | None) -> None:
        """The site's idle lock is a ceiling: a user may choose a shorter one, not a longer."""
        self._idle_ceiling = site_minutes
        if site_minutes is not None:
            self.controller.set_idle_minutes(min(self.settings.idle_minutes, site_minutes))

    def _ask_idle_minutes(self) -> None:
        def chosen(minutes: int) -> None:
            self.settings.idle_minutes = minutes
            self.settings.save()
            self.controller.set_idle_minutes(min(minutes, self._idle_ceiling or minutes))

        ask_int(
            self,
            self.tr("Verrouillage automatique"),
            self.tr("Verrouiller le poste après combien de minutes sans activité ?"),
            self.settings.idle_minutes,
            1,
            self._idle_ceiling or 60,
            self.tr("Appliquer"),
            chosen,
            name="idleMinutesDialog",
        )

    def _set_language(self, language: str) -> None:
        self.settings.language = language
        self.settings.save()
        # Said in the language just chosen (the interface still speaks the other one).
        inform(
            self,
            i18n.translate_in(language, "MainWindow", str(LANGUAGE_TITLE)),
            i18n.translate_in(language, "MainWindow", str(LANGUAGE_NOTICE)),
            name="languageBox",
        )

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("À propos"),
            self.tr(
                "<b>Kit de continuité — mode dégradé</b><br>Version {0}<br><br>"
                "Admissions et mouvements hors ligne, chiffrés sur ce poste, pendant une panne du "
                "système d'information hospitalier ; restitution au SIH à son retour."
            ).format(__version__),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.watch.stop()
        self.controller.shutdown()
        super().closeEvent(event)
