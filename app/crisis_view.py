"""Crisis-cell view: service statuses, main courante, instructions to the wards, which
workstations are out of contact, indicators and two charts.

Everything is read and written through ``continuity.services`` on the store
worker (``Controller.run``); this module only lays out and formats.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QItemSelection,
    QMargins,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.dialogs import confirm
from app.errors import error_label, show_error
from app.refresh import ChangeWatch
from app.settings import Settings, english
from app.table_model import RowsTableModel
from app.texts import age_text
from app.theme import LARGE_POINT_SIZE
from continuity.changes import Changes
from continuity.domain.crisis import (
    INSTRUCTION_TEXT_MAX,
    STATUS_LABELS,
    DegradedStatus,
    Instruction,
    LogCategory,
    LogEntry,
    ServiceStatusView,
)
from continuity.domain.exchange import PeerStatus
from continuity.domain.users import Permission
from continuity.services import crisis as crisis_service
from continuity.services import exchange, indicators
from continuity.services import instructions as instruction_service
from continuity.session import Session

LOG_LIMIT = 1000
Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole

# Status -> (background, text). The status is always written out as well.
STATUS_COLOURS: dict[DegradedStatus, tuple[str, str]] = {
    DegradedStatus.NORMAL: ("#e3f4e1", "#1b4d1b"),
    DegradedStatus.DEGRADED: ("#f8d3d1", "#7a0c08"),
    DegradedStatus.RECOVERY: ("#fdebc8", "#5c3b00"),
    DegradedStatus.RESTORED: ("#dce8f7", "#0d2a4d"),
}
STATUS_COLOURS_CONTRAST: dict[DegradedStatus, tuple[str, str]] = {
    DegradedStatus.NORMAL: ("#ffffff", "#000000"),
    DegradedStatus.DEGRADED: ("#ffd700", "#000000"),
    DegradedStatus.RECOVERY: ("#00e5ff", "#000000"),
    DegradedStatus.RESTORED: ("#000000", "#ffffff"),
}
OCCUPIED_COLOUR = "#1f5fa8"
TOTAL_COLOUR = "#b9c7d8"
ADMISSIONS_COLOUR = "#2a7d4f"


def status_label(status: DegradedStatus) -> str:
    fr, en = STATUS_LABELS[status]
    return en if english() else fr


def status_colours(status: DegradedStatus) -> tuple[str, str]:
    table = STATUS_COLOURS_CONTRAST if Settings.current().high_contrast else STATUS_COLOURS
    return table[status]


def short_time(moment: datetime | None) -> str:
    """dd/mm HH:MM in the workstation's local time."""
    return moment.astimezone().strftime("%d/%m %H:%M") if moment is not None else ""


def _fold(text: str) -> str:
    """Case- and accent-insensitive form for the free-text filter."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# What each part of the view reads: it reloads when a write changed that.
STATUS_CONCERNS = Changes(statuses=True)
LOG_CONCERNS = Changes(main_courante=True)
INDICATOR_CONCERNS = Changes.of("census", "patients", "statuses", "outbox", "snapshots", "settings", "site")
INSTRUCTION_CONCERNS = Changes(instructions=True)
CONTACT_CONCERNS = Changes.of("exchange", "workstations")  # bundles received, the site's workstations
UF_CONCERNS = Changes(site=True)  # the UFs an instruction may be sent to
CONCERNS = STATUS_CONCERNS | LOG_CONCERNS | INDICATOR_CONCERNS | INSTRUCTION_CONCERNS | CONTACT_CONCERNS
# What time alone changes: the figures and the workstations' silence, not the other tables.
AGEING_CONCERNS = Changes(snapshots=True, exchange=True)
# A workstation not heard from for longer is flagged "sans nouvelles" (a bundle is written at
# least every few minutes where the exchange folder is carried by Syncthing).
OUT_OF_CONTACT_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class CrisisData:
    """What one reload fetches, in one job on the store worker (None: a part not reloaded)."""

    statuses: list[ServiceStatusView] | None
    entries: list[LogEntry] | None
    dashboard: indicators.Dashboard | None  # None when the role may not read patients
    with_dashboard: bool = True
    instructions: list[Instruction] | None = None
    peers: list[PeerStatus] | None = None
    ufs: dict[str, str] | None = None
    now: datetime | None = None


def load_crisis_data(session: Session, changes: Changes | None = None) -> CrisisData:
    """Every part, or those that ``changes`` concerns."""
    wanted = Changes.all() if changes is None else changes
    with_dashboard = bool(wanted & INDICATOR_CONCERNS)
    board = (
        indicators.dashboard(session)
        if with_dashboard and session.user.can(Permission.READ_PATIENTS)
        else None
    )
    return CrisisData(
        statuses=crisis_service.service_statuses(session) if wanted & STATUS_CONCERNS else None,
        entries=crisis_service.log_entries(session, limit=LOG_LIMIT) if wanted & LOG_CONCERNS else None,
        dashboard=board,
        with_dashboard=with_dashboard,
        instructions=(
            instruction_service.instructions(session)
            if wanted & (INSTRUCTION_CONCERNS | CONTACT_CONCERNS)
            else None
        ),
        peers=exchange.peers(session) if wanted & (CONTACT_CONCERNS | INSTRUCTION_CONCERNS) else None,
        ufs=crisis_service.uf_names(session) if wanted & UF_CONCERNS else None,
        now=session.clock(),
    )


# --------------------------------------------------------------------------- models
class StatusTableModel(RowsTableModel[ServiceStatusView]):
    """One row per followed service: code and name, status, who, when, note."""

    SERVICE, STATUS, BY, WHEN, NOTE = range(5)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._headers = [
            self.tr("Service"),
            self.tr("Statut"),
            self.tr("Par"),
            self.tr("Depuis le"),
            self.tr("Note"),
        ]

    def headers(self) -> Sequence[str]:
        return self._headers

    def update_row(self, view: ServiceStatusView) -> None:
        row = self.find_row(lambda s: s.code == view.code)
        if row < 0:
            return
        self._rows[row] = view
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.NOTE))

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            if col == self.SERVICE:
                return f"{s.code} — {s.name}"
            if col == self.STATUS:
                return status_label(s.status)
            if col == self.BY:
                return s.changed_by or ""
            if col == self.WHEN:
                if s.changed_at is None:
                    return "—" if role == _DISPLAY else self.tr("jamais changé")
                return short_time(s.changed_at)
            return s.note or ""
        if col == self.STATUS:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(status_colours(s.status)[0]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(status_colours(s.status)[1]))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.UserRole:
            return s.code
        return None


class LogTableModel(RowsTableModel[LogEntry]):
    """Main courante entries, newest first: time, author and workstation, category, service, text."""

    WHEN, AUTHOR, CATEGORY, SERVICE, TEXT = range(5)
    CategoryRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._headers = [
            self.tr("Heure"),
            self.tr("Auteur@poste"),
            self.tr("Catégorie"),
            self.tr("Service"),
            self.tr("Texte"),
        ]

    def headers(self) -> Sequence[str]:
        return self._headers

    def category_label(self, category: LogCategory) -> str:
        return {
            LogCategory.INFO: self.tr("information"),
            LogCategory.DECISION: self.tr("décision"),
            LogCategory.ACTION: self.tr("action"),
            LogCategory.ALERT: self.tr("alerte"),
        }[category]

    def add_entry(self, entry: LogEntry) -> None:
        """Show a just-saved entry at the top (the next reload brings the same list)."""
        if any(e.seq == entry.seq for e in self._rows):
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, entry)
        self.endInsertRows()

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return (
                short_time(e.at),
                f"{e.author}@{e.workstation}" if e.workstation else e.author,
                self.category_label(e.category),
                e.service_code or "",
                e.text,
            )[col]
        if role == self.CategoryRole:
            return e.category.value
        if role == Qt.ItemDataRole.ForegroundRole and e.category is LogCategory.ALERT:
            return QBrush(QColor("#ffd700" if Settings.current().high_contrast else "#a10d07"))
        if role == Qt.ItemDataRole.FontRole and e.category in (LogCategory.ALERT, LogCategory.DECISION):
            font = QFont()
            font.setBold(True)
            return font
        return None


class LogFilterProxy(QSortFilterProxyModel):
    """Keeps the entries of one category (or all) containing every word typed."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._category: str | None = None
        self._words: list[str] = []

    def set_category(self, category: str | None) -> None:
        self.beginFilterChange()
        self._category = category
        self.endFilterChange()

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = _fold(text).split()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if self._category is not None:
            index = model.index(source_row, LogTableModel.WHEN, source_parent)
            if model.data(index, LogTableModel.CategoryRole) != self._category:
                return False
        if not self._words:
            return True
        haystack = _fold(
            " ".join(
                str(model.data(model.index(source_row, c, source_parent)))
                for c in range(model.columnCount(source_parent))
            )
        )
        return all(word in haystack for word in self._words)


def silent_for(peer: PeerStatus, now: datetime | None) -> timedelta | None:
    """How long since the newest bundle received from ``peer`` was written (None: never)."""
    if peer.last_created_at is None or now is None:
        return None
    return max(timedelta(0), now - peer.last_created_at)


def out_of_contact(peer: PeerStatus, now: datetime | None) -> bool:
    silence = silent_for(peer, now)
    return silence is None or silence > OUT_OF_CONTACT_AFTER


class InstructionsModel(RowsTableModel[Instruction]):
    """The instructions sent, newest first: when, the text, to whom, who acknowledged, who not yet."""

    WHEN, TEXT, TO, ACKED, PENDING, AUTHOR = range(6)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._headers = [
            self.tr("Envoyée le"),
            self.tr("Consigne"),
            self.tr("À"),
            self.tr("Accusé de réception"),
            self.tr("Pas encore"),
            self.tr("Par"),
        ]
        self.workstations: list[str] = []  # the site's other workstations (not this one)

    def headers(self) -> Sequence[str]:
        return self._headers

    def not_yet(self, i: Instruction) -> list[str]:
        """The site's workstations (but this one and the sender's) without an acknowledgement."""
        return [w for w in self.workstations if w != i.workstation and not i.acknowledged_on(w)]

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation is Qt.Orientation.Horizontal
            and section == self.PENDING
        ):
            return self.tr(
                "Postes du site qui n'ont pas encore accusé réception (un poste dont aucune "
                "UF n'est destinataire n'accusera jamais réception)"
            )
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        i = self._rows[index.row()]
        col = index.column()
        if role == _DISPLAY:
            if col == self.WHEN:
                return short_time(i.at)
            if col == self.TEXT:
                return i.text.replace("\n", " ")
            if col == self.TO:
                return ", ".join(i.ufs) if i.ufs else self.tr("toutes les UF")
            if col == self.ACKED:
                if not i.acknowledgements:
                    return self.tr("aucun")
                return ", ".join(
                    self.tr("{0} ({1}, {2})").format(a.workstation, a.username, short_time(a.at))
                    for a in i.acknowledgements
                )
            if col == self.PENDING:
                waiting = self.not_yet(i)
                return self.tr("{0} : {1}").format(len(waiting), ", ".join(waiting)) if waiting else "0"
            return f"{i.author}@{i.workstation}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.TEXT:
                return i.text
            if col == self.ACKED and i.acknowledgements:
                return "\n".join(
                    self.tr("{0} : {1}, le {2}").format(a.workstation, a.username, short_time(a.at))
                    for a in i.acknowledgements
                )
            return self.data(index, _DISPLAY)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.PENDING and self.not_yet(i):
            return QBrush(QColor("#ffd700" if Settings.current().high_contrast else "#a10d07"))
        if role == Qt.ItemDataRole.UserRole:
            return i.id
        return None


class ContactModel(RowsTableModel[PeerStatus]):
    """The site's other workstations: the newest bundle received from each, and how long ago."""

    WORKSTATION, LAST, AGE, STATE = range(4)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._headers = [
            self.tr("Poste"),
            self.tr("Dernier lot reçu"),
            self.tr("Depuis"),
            self.tr("État"),
        ]
        self.now: datetime | None = None

    def headers(self) -> Sequence[str]:
        return self._headers

    def set_peers(self, peers: Sequence[PeerStatus], now: datetime | None) -> None:
        self.now = now
        self.set_rows([p for p in peers if not p.is_local])

    def silent(self) -> list[PeerStatus]:
        return [p for p in self._rows if out_of_contact(p, self.now)]

    def state_text(self, p: PeerStatus) -> str:
        if p.last_created_at is None:
            return self.tr("⚠ jamais reçu de lot")
        if out_of_contact(p, self.now):
            return self.tr("⚠ sans nouvelles depuis plus de {0}").format(age_text(OUT_OF_CONTACT_AFTER))
        return self.tr("en contact")

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        col = index.column()
        if role in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            if col == self.WORKSTATION:
                return f"{p.workstation} — {p.name}"
            if col == self.LAST:
                return short_time(p.last_created_at) if p.last_created_at else "—"
            if col == self.AGE:
                silence = silent_for(p, self.now)
                return age_text(silence) if silence is not None else self.tr("jamais")
            return self.state_text(p)
        flagged = out_of_contact(p, self.now)
        if role == Qt.ItemDataRole.ForegroundRole and flagged and col == self.STATE:
            return QBrush(QColor("#ffd700" if Settings.current().high_contrast else "#a10d07"))
        if role == Qt.ItemDataRole.FontRole and flagged:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return p.workstation
        return None


# --------------------------------------------------------------------------- widgets
class IndicatorCard(QFrame):
    """A big number under its title, with a short caption (it grows if the text wraps)."""

    def __init__(self, title: str, value_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(value_name + "Card")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        self.title = QLabel(title)
        self.title.setWordWrap(True)
        self.value = QLabel("–")
        self.value.setObjectName(value_name)
        big = QFont(self.value.font())
        big.setPointSizeF(big.pointSizeF() * 2.4)
        big.setBold(True)
        self.value.setFont(big)
        self.caption = QLabel("")
        self.caption.setObjectName(value_name + "Caption")
        self.caption.setWordWrap(True)
        small = QFont(self.caption.font())
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.caption.setFont(small)
        for label in (self.title, self.value, self.caption):
            layout.addWidget(label)
        layout.addStretch(1)
        self._layout = layout

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        """Grow to fit wrapped title and caption (large fonts), never clip them."""
        super().resizeEvent(event)
        needed = self._layout.totalHeightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def set(self, value: str, caption: str = "") -> None:
        self.value.setText(value)
        self.caption.setText(caption)


def _compact_rows(table: QTableView) -> None:
    height = table.fontMetrics().height() + 8
    table.verticalHeader().setDefaultSectionSize(height)
    table.verticalHeader().setMinimumSectionSize(height)


def _integer_axis(maximum: int, ticks: int = 5) -> QValueAxis:
    """A value axis from 0 with whole-number ticks that leaves room above the highest bar."""
    step = max(1, -(-maximum // ticks))
    top = step * (maximum // step + 1)
    axis = QValueAxis()
    axis.setRange(0, top)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d")
    axis.setMinorTickCount(0)
    return axis


class _Chart(QChartView):
    def __init__(self, name: str, parent: QWidget | None = None):
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(4, 4, 4, 4))
        if Settings.current().high_contrast:
            chart.setTheme(QChart.ChartTheme.ChartThemeHighContrast)
        super().__init__(chart, parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(170)  # both charts and the tables fit a 768-pixel-high screen
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.1)
        chart.setTitleFont(title_font)

    def _reset(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()  # deletes them
        for axis in chart.axes():
            chart.removeAxis(axis)  # the chart gives the axis back: delete it
            axis.deleteLater()
        return chart

    def _axis_title_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        return font


class AdmissionsChart(_Chart):
    """Admissions per hour over the last 24 hours (bars)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("admissionsChart", parent)
        self.chart().setTitle(self.tr("Admissions par heure (dernières 24 h)"))
        self.chart().legend().hide()
        self.set_data([])

    def set_data(self, hours: list[tuple[datetime, int]]) -> None:
        chart = self._reset()
        bars = QBarSet(self.tr("Admissions"))
        bars.setColor(QColor(ADMISSIONS_COLOUR))
        bars.append([float(count) for _, count in hours])
        series = QBarSeries()
        series.setBarWidth(0.8)
        series.append(bars)
        chart.addSeries(series)
        # Bars sit at 0..23; a label every third hour, on the bar it names.
        x = QCategoryAxis()
        x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x.setRange(-0.5, max(len(hours), 1) - 0.5)
        x.setStartValue(-0.5)
        x.setGridLineVisible(False)
        step = 6 if self.font().pointSizeF() >= LARGE_POINT_SIZE else 3  # fewer when large
        labels: set[str] = set()
        for i, (start, _) in enumerate(hours):
            local = start.astimezone()
            label = self.tr("{0} h").format(local.strftime("%H"))
            if local.hour % step == 0 and label not in labels:  # labels must be unique
                labels.add(label)
                x.append(label, i)
        x.setTitleText(self.tr("Heure de début de la tranche (heure locale)"))
        x.setTitleFont(self._axis_title_font())
        y = _integer_axis(max((c for _, c in hours), default=0))
        y.setTitleText(self.tr("Admissions"))
        y.setTitleFont(self._axis_title_font())
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)


class OccupancyChart(_Chart):
    """Occupied beds against total beds per UF (horizontal bars, first UF on top)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("occupancyChart", parent)
        self.chart().setTitle(self.tr("Occupation des lits par UF"))
        self.chart().legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.set_data([])

    def _category(self, uf: indicators.UfOccupancy) -> str:
        rate = uf.rate
        return uf.uf_code if rate is None else self.tr("{0} ({1} %)").format(uf.uf_code, round(rate * 100))

    def set_data(self, occupancy: list[indicators.UfOccupancy]) -> None:
        chart = self._reset()
        rows = list(reversed(occupancy))  # horizontal bars are drawn bottom-up
        occupied = QBarSet(self.tr("Lits occupés"))
        occupied.setColor(QColor(OCCUPIED_COLOUR))
        occupied.append([float(u.occupied) for u in rows])
        total = QBarSet(self.tr("Lits au total"))
        total.setColor(QColor(TOTAL_COLOUR))
        total.setLabelColor(QColor("#000000"))
        total.append([float(u.total_beds) for u in rows])
        series = QHorizontalBarSeries()
        series.append(occupied)
        series.append(total)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsInsideEnd)
        series.setBarWidth(0.85)
        chart.addSeries(series)
        y = QBarCategoryAxis()
        y.append([self._category(u) for u in rows] or [""])
        x = _integer_axis(max((max(u.occupied, u.total_beds) for u in rows), default=0))
        x.setTitleText(self.tr("Lits"))
        x.setTitleFont(self._axis_title_font())
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(y)
        series.attachAxis(x)
        self.setToolTip(
            "\n".join(
                self.tr("{0} — {1} : {2} occupés sur {3} lits, {4} patient(s) sans lit").format(
                    u.uf_code, u.uf_name, u.occupied, u.total_beds, u.bedless
                )
                for u in occupancy
            )
        )


# --------------------------------------------------------------------------- view
class CrisisView(QWidget):
    """The crisis cell's screen. Call ``reload()`` after unlock; after a write, the parts it
    changed reload (``ChangeWatch``)."""

    loaded = Signal()  # data of a reload is on screen

    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crisisView")
        self._controller = controller
        self._loaded_once = False
        self.status_model = StatusTableModel(self)
        self.log_model = LogTableModel(self)
        self.log_proxy = LogFilterProxy(self)
        self.log_proxy.setSourceModel(self.log_model)
        self.instructions_model = InstructionsModel(self)
        self.contact_model = ContactModel(self)
        self._instruction_widths: dict[int, int] = {}  # preferred widths of the short columns
        self.uf_model = QStandardItemModel(self)  # the UFs an instruction goes to (checkable)

        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 8)
        root.setSpacing(6)
        root.addWidget(self._build_indicators())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("crisisSplitter")
        splitter.setChildrenCollapsible(False)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        left.addWidget(self._build_statuses())
        self.lower_tabs = QTabWidget()
        self.lower_tabs.setObjectName("crisisTabs")
        self.lower_tabs.addTab(self._build_log(), self.tr("Main courante"))
        self.lower_tabs.addTab(self._build_instructions(), self.tr("Consignes aux unités"))
        self.lower_tabs.addTab(self._build_contact(), self.tr("Postes"))
        left.addWidget(self.lower_tabs)
        self.lower_tabs.currentChanged.connect(lambda _i: self._fit_instruction_columns())
        left.setStretchFactor(0, 2)
        left.setStretchFactor(1, 3)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.occupancy_chart = OccupancyChart()
        self.admissions_chart = AdmissionsChart()
        right_layout.addWidget(self.occupancy_chart, 1)
        right_layout.addWidget(self.admissions_chart, 1)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 500])
        root.addWidget(splitter, 1)

        controller.locked.connect(self.clear)
        self._update_permissions()
        self.watch = ChangeWatch(self, controller, CONCERNS, self._reload_parts)

    # ------------------------------------------------------------------ building
    def _build_indicators(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.since_label = QLabel(self.tr("Indicateurs : chargement…"))
        self.since_label.setObjectName("indicatorSince")
        self.since_label.setWordWrap(True)
        font = QFont(self.since_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.since_label.setFont(font)
        self._set_banner(outage=False)
        layout.addWidget(self.since_label)
        cards = QHBoxLayout()
        cards.setSpacing(6)
        self.admissions_card = IndicatorCard(self.tr("Admissions"), "indicatorAdmissions")
        self.discharges_card = IndicatorCard(self.tr("Sorties"), "indicatorDischarges")
        self.occupancy_card = IndicatorCard(self.tr("Lits occupés"), "indicatorOccupancy")
        self.provisional_card = IndicatorCard(self.tr("Identités provisoires"), "indicatorProvisional")
        self.pending_card = IndicatorCard(self.tr("À synchroniser"), "indicatorPendingSync")
        self.snapshot_card = IndicatorCard(self.tr("Instantané du DPI"), "indicatorSnapshot")
        for card in (
            self.admissions_card,
            self.discharges_card,
            self.occupancy_card,
            self.provisional_card,
            self.pending_card,
            self.snapshot_card,
        ):
            cards.addWidget(card, 1)
        layout.addLayout(cards)
        return box

    def _build_statuses(self) -> QWidget:
        group = QGroupBox(self.tr("Statut des services"))
        layout = QVBoxLayout(group)
        self.status_table = QTableView()
        self.status_table.setObjectName("statusTable")
        self.status_table.setAccessibleName(self.tr("Statut des services"))
        self.status_table.setModel(self.status_model)
        self.status_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.status_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.status_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.status_table.verticalHeader().hide()
        self.status_table.setWordWrap(True)  # long status labels and notes go on two lines
        _compact_rows(self.status_table)
        self.status_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Service and note share the width left by the short columns; long texts wrap.
        header = self.status_table.horizontalHeader()
        modes = {
            StatusTableModel.SERVICE: QHeaderView.ResizeMode.Stretch,
            StatusTableModel.STATUS: QHeaderView.ResizeMode.Interactive,
            StatusTableModel.BY: QHeaderView.ResizeMode.ResizeToContents,
            StatusTableModel.WHEN: QHeaderView.ResizeMode.ResizeToContents,
            StatusTableModel.NOTE: QHeaderView.ResizeMode.Stretch,
        }
        for column, mode in modes.items():
            header.setSectionResizeMode(column, mode)
        bold = QFont(self.status_table.font())
        bold.setBold(True)
        longest_word = max((w for s in DegradedStatus for w in status_label(s).split()), key=len)
        self.status_table.setColumnWidth(  # long labels wrap between words
            StatusTableModel.STATUS,
            max(
                QFontMetrics(bold).horizontalAdvance(longest_word),
                QFontMetrics(bold).horizontalAdvance(status_label(DegradedStatus.DEGRADED)),
            )
            + 16,
        )
        self.status_table.verticalHeader().sectionResized.connect(lambda *_: self._fit_status_height())
        self.status_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.status_table.selectionModel().selectionChanged.connect(self._status_selected)
        layout.addWidget(self.status_table, 1)

        controls = QHBoxLayout()
        self.selected_service_label = QLabel(self.tr("Sélectionnez un service"))
        self.selected_service_label.setObjectName("selectedServiceLabel")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusCombo")
        for status in DegradedStatus:
            self.status_combo.addItem(status_label(status), status.value)
        self.status_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_combo.setMinimumContentsLength(14)  # the list itself shows whole labels
        self.status_combo.setAccessibleName(self.tr("Nouveau statut"))
        self.status_note = QLineEdit()
        self.status_note.setObjectName("statusNote")
        self.status_note.setPlaceholderText(self.tr("Note (facultative)"))
        self.status_note.setAccessibleName(self.tr("Note du changement de statut"))
        self.status_note.setToolTip(self.status_note.placeholderText())  # when it is too narrow
        self.status_note.returnPressed.connect(self._apply_status)
        self.apply_button = QPushButton(self.tr("Appliquer"))
        self.apply_button.setObjectName("applyStatusButton")
        self.apply_button.clicked.connect(self._apply_status)
        controls.addWidget(self.selected_service_label)
        controls.addWidget(self.status_combo)
        controls.addWidget(self.status_note, 1)
        controls.addWidget(self.apply_button)
        layout.addLayout(controls)
        self.status_hint = QLabel("")
        self.status_hint.setObjectName("statusPermissionHint")
        self.status_hint.hide()
        layout.addWidget(self.status_hint)
        return group

    def _build_log(self) -> QWidget:
        group = QWidget()
        group.setObjectName("mainCourante")
        layout = QVBoxLayout(group)
        layout.setContentsMargins(6, 6, 6, 6)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Catégorie :")))
        self.log_filter_combo = QComboBox()
        self.log_filter_combo.setObjectName("logCategoryFilter")
        self.log_filter_combo.addItem(self.tr("toutes"), None)
        for category in LogCategory:
            self.log_filter_combo.addItem(self.log_model.category_label(category), category.value)
        self.log_filter_combo.currentIndexChanged.connect(
            lambda _: self.log_proxy.set_category(self.log_filter_combo.currentData())
        )
        filters.addWidget(self.log_filter_combo)
        self.log_filter_text = QLineEdit()
        self.log_filter_text.setObjectName("logFilter")
        self.log_filter_text.setPlaceholderText(self.tr("Filtrer (texte, auteur, service)…"))
        self.log_filter_text.setClearButtonEnabled(True)
        self.log_filter_text.textChanged.connect(self.log_proxy.set_text)
        filters.addWidget(self.log_filter_text, 1)
        layout.addLayout(filters)

        self.log_table = QTableView()
        self.log_table.setObjectName("logTable")
        self.log_table.setAccessibleName(self.tr("Main courante"))
        self.log_table.setModel(self.log_proxy)
        self.log_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_table.verticalHeader().hide()
        self.log_table.setWordWrap(False)
        self.log_table.setAlternatingRowColors(True)
        _compact_rows(self.log_table)
        self.log_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.log_table, 1)

        entry = QHBoxLayout()
        self.log_category_combo = QComboBox()
        self.log_category_combo.setObjectName("logCategoryCombo")
        self.log_category_combo.setAccessibleName(self.tr("Catégorie de l'entrée"))
        for category in LogCategory:
            self.log_category_combo.addItem(self.log_model.category_label(category), category.value)
        self.log_service_combo = QComboBox()
        self.log_service_combo.setObjectName("logServiceCombo")
        self.log_service_combo.setAccessibleName(self.tr("Service concerné"))
        self.log_service_combo.addItem(self.tr("(tous services)"), None)
        self.log_input = QLineEdit()
        self.log_input.setObjectName("logInput")
        self.log_input.setPlaceholderText(self.tr("Nouvelle entrée (Entrée pour ajouter)"))
        self.log_input.setMaxLength(4000)
        self.log_input.returnPressed.connect(self._add_log_entry)
        self.add_log_button = QPushButton(self.tr("Ajouter"))
        self.add_log_button.setObjectName("addLogButton")
        self.add_log_button.clicked.connect(self._add_log_entry)
        entry.addWidget(self.log_category_combo)
        entry.addWidget(self.log_service_combo)
        entry.addWidget(self.log_input, 1)
        entry.addWidget(self.add_log_button)
        layout.addLayout(entry)
        return group

    def _table(self, name: str, accessible: str) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setAccessibleName(accessible)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        _compact_rows(table)
        return table

    def _build_instructions(self) -> QWidget:
        page = QWidget()
        page.setObjectName("instructionsPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 6)
        send = QHBoxLayout()
        self.instruction_input = QLineEdit()
        self.instruction_input.setObjectName("instructionInput")
        self.instruction_input.setAccessibleName(self.tr("Texte de la consigne"))
        self.instruction_input.setMaxLength(INSTRUCTION_TEXT_MAX)
        self.instruction_input.setPlaceholderText(
            self.tr("Nouvelle consigne aux unités (Entrée pour envoyer)")
        )
        self.instruction_input.returnPressed.connect(self.send_instruction)
        self.instruction_input.textChanged.connect(self._count_instruction)
        self.instruction_counter = QLabel()
        self.instruction_counter.setObjectName("instructionCounter")
        self.send_button = QPushButton(self.tr("Envoyer…"))
        self.send_button.setObjectName("sendInstructionButton")
        self.send_button.clicked.connect(self.send_instruction)
        send.addWidget(self.instruction_input, 1)
        send.addWidget(self.instruction_counter)
        send.addWidget(self.send_button)
        layout.addLayout(send)

        to = QHBoxLayout()
        self.all_ufs = QCheckBox(self.tr("À toutes les UF"))
        self.all_ufs.setObjectName("allUfsCheck")
        self.all_ufs.setChecked(True)
        self.all_ufs.toggled.connect(self._all_ufs_toggled)
        self.uf_list = QListView()
        self.uf_list.setObjectName("instructionUfList")
        self.uf_list.setAccessibleName(self.tr("UF destinataires (Espace coche ou décoche)"))
        self.uf_list.setToolTip(self.tr("Cochez les UF destinataires (Espace coche ou décoche)"))
        self.uf_list.setModel(self.uf_model)
        self.uf_list.setFlow(QListView.Flow.LeftToRight)
        self.uf_list.setWrapping(True)
        self.uf_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.uf_list.setSpacing(2)
        self.uf_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # one line of UFs (a long list scrolls): the list of instructions keeps the height
        self.uf_list.setFixedHeight(self.uf_list.fontMetrics().height() + 14)
        self.uf_list.setEnabled(False)
        to.addWidget(self.all_ufs)
        to.addWidget(self.uf_list, 1)
        layout.addLayout(to)
        self.instruction_hint = QLabel("")
        self.instruction_hint.setObjectName("instructionPermissionHint")
        self.instruction_hint.setWordWrap(True)
        self.instruction_hint.hide()
        layout.addWidget(self.instruction_hint)
        self.instruction_error = error_label("instructionError")
        layout.addWidget(self.instruction_error)

        self.instructions_table = self._table("instructionsTable", self.tr("Consignes envoyées"))
        self.instructions_table.setModel(self.instructions_model)
        header = self.instructions_table.horizontalHeader()
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole title in its tooltip
        self.instructions_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(InstructionsModel.TEXT, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.instructions_table, 1)
        # Tab: the text, to whom, then « Envoyer… »
        QWidget.setTabOrder(self.instruction_input, self.all_ufs)
        QWidget.setTabOrder(self.all_ufs, self.uf_list)
        QWidget.setTabOrder(self.uf_list, self.send_button)
        self._count_instruction()
        return page

    def _build_contact(self) -> QWidget:
        page = self.contact_page = QWidget()
        page.setObjectName("contactPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 6)
        self.contact_summary = QLabel("")
        self.contact_summary.setObjectName("contactSummary")
        self.contact_summary.setWordWrap(True)
        layout.addWidget(self.contact_summary)
        self.contact_table = self._table("contactTable", self.tr("Postes : dernier lot reçu"))
        self.contact_table.setModel(self.contact_model)
        self.contact_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.contact_table, 1)
        return page

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        """Fetch statuses, main courante and indicators on the store worker."""
        self._update_permissions()
        if not self._controller.is_unlocked:
            return
        self._controller.run(load_crisis_data, self._show, self._failed)

    def _reload_parts(self, changes: Changes) -> None:
        """Only the parts a write changed (everything, if nothing is on screen yet)."""
        if not self._loaded_once:
            self.reload()
            return
        self._update_permissions()
        if self._controller.is_unlocked:
            self._controller.run(lambda s: load_crisis_data(s, changes), self._show, self._failed)

    def refresh_ages(self) -> None:
        """Ages grow with no write ("il y a 12 min", the snapshot's age): read the figures
        again, when they are on screen (hidden, the view catches up when shown)."""
        if self._loaded_once and self.isVisible():
            self._reload_parts(AGEING_CONCERNS)

    @property
    def is_loaded(self) -> bool:
        return self._loaded_once

    def clear(self) -> None:
        """Drop what is on screen (on lock)."""
        self._loaded_once = False
        self.status_model.set_rows([])
        self.log_model.set_rows([])
        self.instructions_model.set_rows([])
        self.contact_model.set_peers([], None)
        self.uf_model.clear()
        self._show_contact_summary()
        self._show_dashboard(None)
        self._update_permissions()

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc)

    def _show(self, data: CrisisData) -> None:
        if not self._controller.is_unlocked:
            return  # locked while the job ran: show nothing
        if data.statuses is not None:
            selected = self._selected_service()
            self.status_model.set_rows(data.statuses)
            if selected is not None:
                row = self.status_model.find_row(lambda s: s.code == selected.code)
                if row >= 0:
                    self.status_table.selectRow(row)
            self._fill_service_combo(data.statuses)
        if data.entries is not None:
            self.log_model.set_rows(data.entries)
        if data.ufs is not None:
            self._fill_ufs(data.ufs)
        if data.peers is not None:
            self.contact_model.set_peers(data.peers, data.now)
            self.instructions_model.workstations = [p.workstation for p in data.peers if not p.is_local]
            self._show_contact_summary()
        if data.instructions is not None:
            self.instructions_model.set_rows(data.instructions)
        self._fit_columns()
        self._loaded_once = True
        if data.with_dashboard:
            self._show_dashboard(data.dashboard)
        self._update_permissions()
        self.loaded.emit()

    def _fit_columns(self) -> None:
        """Size the short columns to their content; the last (note, text) takes the rest."""
        self.status_table.resizeRowsToContents()
        self._fit_status_height()
        for col in (LogTableModel.WHEN, LogTableModel.AUTHOR, LogTableModel.CATEGORY, LogTableModel.SERVICE):
            self.log_table.resizeColumnToContents(col)
            self.log_table.setColumnWidth(col, min(160, self.log_table.columnWidth(col) + 8))
        # the text of the instruction takes what the short columns leave (whole in its tooltip)
        caps = {
            InstructionsModel.WHEN: 160,
            InstructionsModel.TO: 110,
            InstructionsModel.ACKED: 190,
            InstructionsModel.PENDING: 140,
            InstructionsModel.AUTHOR: 110,
        }
        self._instruction_widths = {}
        for col, cap in caps.items():
            self.instructions_table.resizeColumnToContents(col)
            self._instruction_widths[col] = min(cap, self.instructions_table.columnWidth(col) + 8)
        self._fit_instruction_columns()
        for col, cap in ((ContactModel.WORKSTATION, 320), (ContactModel.LAST, 160), (ContactModel.AGE, 120)):
            self.contact_table.resizeColumnToContents(col)
            self.contact_table.setColumnWidth(col, min(cap, self.contact_table.columnWidth(col) + 8))

    def _fit_instruction_columns(self) -> None:
        """The short columns at their widths while the text keeps two fifths of the table
        (on a narrow screen they give width, elided, whole in their tooltips)."""
        widths = self._instruction_widths
        if not widths:
            return
        room = self.instructions_table.viewport().width()
        when = widths.get(InstructionsModel.WHEN, 0)  # the time is never cut
        left = room - when - max(160, room * 2 // 5)
        total = sum(w for c, w in widths.items() if c != InstructionsModel.WHEN)
        scale = min(1.0, left / total) if total > 0 and left > 0 else 1.0
        for col, width in widths.items():
            shrunk = width if col == InstructionsModel.WHEN else max(40, int(width * scale))
            self.instructions_table.setColumnWidth(col, shrunk)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_status_height()
        self._fit_instruction_columns()

    def _fit_status_height(self) -> None:
        """Every followed service without scrolling, within a third of the view's height."""
        status = self.status_table
        row = status.verticalHeader().defaultSectionSize()
        rows_height = status.verticalHeader().length() or 3 * row
        # A third of what is seen of the view (in a scrolled window, its visible part: its
        # own height would grow with this very minimum).
        seen = self.visibleRegion().boundingRect().height() or self.height()
        cap = max(4 * row, min(self.height(), seen) // 3)
        needed = (
            status.horizontalHeader().sizeHint().height()
            + min(rows_height, cap)
            + 2 * status.frameWidth()
            + 2
        )
        if needed != status.minimumHeight():
            status.setMinimumHeight(needed)

    def _fill_service_combo(self, statuses: list[ServiceStatusView]) -> None:
        current = self.log_service_combo.currentData()
        self.log_service_combo.blockSignals(True)
        self.log_service_combo.clear()
        self.log_service_combo.addItem(self.tr("(tous services)"), None)
        for s in statuses:
            self.log_service_combo.addItem(s.code, s.code)
            self.log_service_combo.setItemData(
                self.log_service_combo.count() - 1, s.name, Qt.ItemDataRole.ToolTipRole
            )
        index = self.log_service_combo.findData(current)
        self.log_service_combo.setCurrentIndex(max(0, index))
        self.log_service_combo.blockSignals(False)

    # --------------------------------------------------------------- indicators
    def _set_banner(self, *, outage: bool) -> None:
        if outage:
            colours = status_colours(DegradedStatus.DEGRADED)
        elif Settings.current().high_contrast:
            colours = ("#000000", "#ffffff")
        else:
            colours = ("#e8ecf1", "#1c2733")
        self.since_label.setStyleSheet(
            f"QLabel {{ background: {colours[0]}; color: {colours[1]}; padding: 4px 8px;"
            f" border-radius: 3px; }}"
        )

    def _show_dashboard(self, board: indicators.Dashboard | None) -> None:
        cards = (
            self.admissions_card,
            self.discharges_card,
            self.occupancy_card,
            self.provisional_card,
            self.pending_card,
            self.snapshot_card,
        )
        if board is None:
            self._set_banner(outage=False)
            for card in cards:
                card.set("–")
            self.since_label.setText(
                self.tr("Indicateurs non disponibles pour votre rôle.")
                if self._controller.is_unlocked and self._loaded_once
                else self.tr("Indicateurs : chargement…")
            )
            self.occupancy_chart.set_data([])
            self.admissions_chart.set_data([])
            return
        self._set_banner(outage=board.outage_started_at is not None)
        if board.outage_started_at is not None:
            since = self.tr("depuis la panne ({0})").format(short_time(board.outage_started_at))
            self.since_label.setText(
                self.tr("Panne déclarée le {0} (il y a {1}) — premier service passé en mode dégradé").format(
                    short_time(board.outage_started_at), age_text(board.now - board.outage_started_at)
                )
            )
        else:
            since = self.tr("sur les dernières 24 h")
            self.since_label.setText(
                self.tr("Aucun service n'est passé en mode dégradé : chiffres des dernières 24 h")
            )
        self.admissions_card.set(str(board.admissions), since)
        self.discharges_card.set(str(board.discharges), since)
        self.occupancy_card.set(
            f"{board.occupied_total} / {board.beds_total}",
            self.tr("absents compris · {0} patient(s) sans lit").format(board.bedless_total),
        )
        caption = self.tr("patients en séjour")
        review = board.identity_review  # the identity-vigilance queue, in figures (no names)
        if review is not None:
            caption += self.tr(" · identitovigilance : {0} à revoir ({1} doublon(s) possible(s))").format(
                review.total, review.duplicates
            )
        self.provisional_card.set(str(board.provisional_identities), caption)
        self.pending_card.set(str(board.pending_sync), self.tr("en attente de reprise dans le DPI"))
        age = board.snapshot_age
        if board.last_snapshot_at is None or age is None:
            self.snapshot_card.set(self.tr("aucun"), self.tr("aucun instantané du DPI sur ce poste"))
        elif board.snapshot_stale:
            self.snapshot_card.set(
                "⚠ " + age_text(age),
                self.tr("pris le {0} — trop ancien (seuil {1})").format(
                    short_time(board.last_snapshot_at), age_text(board.snapshot_max_age)
                ),
            )
        else:
            self.snapshot_card.set(
                age_text(age), self.tr("pris le {0}").format(short_time(board.last_snapshot_at))
            )
        self.snapshot_card.value.setStyleSheet("color: #b00020;" if board.snapshot_stale else "")
        self.occupancy_chart.set_data(board.occupancy)
        self.admissions_chart.set_data(board.admissions_per_hour)

    # ------------------------------------------------------------------ statuses
    def _user_can(self, permission: Permission) -> bool:
        session = self._controller.session
        return session is not None and session.user.can(permission)

    def _update_permissions(self) -> None:
        can_set = self._user_can(Permission.SET_STATUS)
        selected = self._selected_service() is not None
        self.status_combo.setEnabled(can_set)
        self.status_note.setEnabled(can_set)
        self.apply_button.setEnabled(can_set and selected)
        unlocked = self._controller.is_unlocked
        self.status_hint.setVisible(unlocked and not can_set)
        self.status_hint.setText(self.tr("Seule la cellule de crise change le statut des services."))
        can_write = self._user_can(Permission.WRITE_LOG)
        for widget in (self.log_category_combo, self.log_service_combo, self.log_input, self.add_log_button):
            widget.setEnabled(can_write)
        if can_write:
            placeholder = self.tr("Nouvelle entrée (Entrée pour ajouter)")
        elif self._user_can(Permission.WRITE_SERVICE_LOG):
            placeholder = self.tr("Pour votre UF : menu Crise ▸ Écrire dans la main courante… (Ctrl+J)")
        else:
            placeholder = self.tr("Seule la cellule de crise écrit dans la main courante.")
        self.log_input.setPlaceholderText(placeholder)
        can_send = self._user_can(Permission.SEND_INSTRUCTIONS)
        for sender in (self.instruction_input, self.send_button, self.all_ufs):
            sender.setEnabled(can_send)
        self.uf_list.setEnabled(can_send and not self.all_ufs.isChecked())
        self.instruction_hint.setVisible(unlocked and not can_send)
        self.instruction_hint.setText(
            self.tr("Seule la cellule de crise envoie des consignes ; vous voyez celles adressées à vos UF.")
        )

    def _selected_service(self) -> ServiceStatusView | None:
        rows = self.status_table.selectionModel().selectedRows()
        return self.status_model.row_at(rows[0].row()) if rows else None

    def _status_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        service = self._selected_service()
        if service is None:
            self.selected_service_label.setText(self.tr("Sélectionnez un service"))
        else:
            self.selected_service_label.setText(self.tr("{0} :").format(service.code))
            self.selected_service_label.setToolTip(service.name)
            self.status_combo.setCurrentIndex(self.status_combo.findData(service.status.value))
        self._update_permissions()

    def _apply_status(self) -> None:
        service = self._selected_service()
        if service is None or not self._user_can(Permission.SET_STATUS):
            return
        code = service.code
        status = DegradedStatus(self.status_combo.currentData())
        note = self.status_note.text().strip() or None
        self.apply_button.setEnabled(False)
        self._controller.run(
            lambda s: crisis_service.set_status(s, code, status, note),
            self._status_applied,
            self._write_failed,
            write=True,
        )

    def _status_applied(self, view: ServiceStatusView) -> None:
        self.status_model.update_row(view)
        self.status_note.clear()
        self._update_permissions()

    # ------------------------------------------------------------------ log
    def _add_log_entry(self) -> None:
        text = self.log_input.text()
        if not text.strip() or not self._user_can(Permission.WRITE_LOG):
            return
        category = LogCategory(self.log_category_combo.currentData())
        service = self.log_service_combo.currentData()
        self.add_log_button.setEnabled(False)
        self._controller.run(
            lambda s: crisis_service.add_log_entry(s, text, category, service),
            self._log_added,
            self._write_failed,
            write=True,
        )

    def _log_added(self, entry: LogEntry) -> None:
        self.log_model.add_entry(entry)
        self.log_input.clear()
        self.log_category_combo.setCurrentIndex(0)
        self.log_service_combo.setCurrentIndex(0)
        self._update_permissions()

    def _write_failed(self, exc: Exception) -> None:
        self._update_permissions()
        show_error(self, exc)

    def focus_log_entry(self) -> None:
        """The main courante's entry line, ready for typing (menu Crise, Ctrl+J)."""
        self.lower_tabs.setCurrentIndex(0)
        self.log_input.setFocus()

    # ------------------------------------------------------------------ instructions
    def _fill_ufs(self, ufs: dict[str, str]) -> None:
        checked = set(self.chosen_ufs())
        self.uf_model.clear()
        for code, name in ufs.items():
            item = QStandardItem(code)
            item.setToolTip(name)
            item.setData(code, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if code in checked else Qt.CheckState.Unchecked)
            self.uf_model.appendRow(item)

    def chosen_ufs(self) -> list[str]:
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.uf_model.item(row) for row in range(self.uf_model.rowCount()))
            if item is not None and item.checkState() == Qt.CheckState.Checked
        ]

    def _all_ufs_toggled(self, on: bool) -> None:
        self.uf_list.setEnabled(not on and self._user_can(Permission.SEND_INSTRUCTIONS))
        if not on:
            self.uf_list.setFocus()
            if not self.uf_list.currentIndex().isValid() and self.uf_model.rowCount():
                self.uf_list.setCurrentIndex(self.uf_model.index(0, 0))

    def _count_instruction(self) -> None:
        self.instruction_counter.setText(
            self.tr("{0}/{1}").format(len(self.instruction_input.text()), INSTRUCTION_TEXT_MAX)
        )

    def send_instruction(self) -> None:
        """Asked first (it goes to the wards at once, and cannot be taken back), then sent."""
        text = self.instruction_input.text()
        if not text.strip() or not self._user_can(Permission.SEND_INSTRUCTIONS):
            return
        ufs = [] if self.all_ufs.isChecked() else self.chosen_ufs()
        if not self.all_ufs.isChecked() and not ufs:
            self.instruction_error.setText(self.tr("Cochez au moins une UF, ou « À toutes les UF »."))
            self.instruction_error.show()
            self.uf_list.setFocus()
            return
        self.instruction_error.hide()
        to = ", ".join(ufs) if ufs else self.tr("toutes les UF")
        confirm(
            self,
            self.tr("Envoyer une consigne"),
            self.tr("Envoyer cette consigne à : {0} ?").format(to),
            self.tr("Envoyer la consigne"),
            lambda: self._send(text, ufs),
            details=self.tr("« {0} »").format(text.strip()),
            name="sendInstructionBox",
        )

    def _send(self, text: str, ufs: list[str]) -> None:
        self.send_button.setEnabled(False)
        self._controller.run(
            lambda s: instruction_service.send_instruction(s, text, ufs),
            self._sent,
            self._write_failed,
            write=True,
        )

    def _sent(self, instruction: Instruction) -> None:
        self.instruction_input.clear()
        self.all_ufs.setChecked(True)
        for row in range(self.uf_model.rowCount()):
            item = self.uf_model.item(row)
            if item is not None:
                item.setCheckState(Qt.CheckState.Unchecked)
        self._update_permissions()
        status = getattr(self.window(), "statusBar", None)
        if callable(status):
            status().showMessage(
                self.tr("Consigne envoyée : elle part vers les unités avec le prochain lot d'échange."), 15000
            )

    # ------------------------------------------------------------------ contact
    def _show_contact_summary(self) -> None:
        silent = self.contact_model.silent()
        index = self.lower_tabs.indexOf(self.contact_page)
        if not self.contact_model.rowCount():
            self.contact_summary.setText("")
            self.lower_tabs.setTabText(index, self.tr("Postes"))
            self.lower_tabs.tabBar().setTabTextColor(index, QColor())
            return
        if not silent:
            self.contact_summary.setText(
                self.tr("Tous les postes ont envoyé un lot depuis moins de {0}.").format(
                    age_text(OUT_OF_CONTACT_AFTER)
                )
            )
            self.contact_summary.setStyleSheet("")
            self.lower_tabs.setTabText(index, self.tr("Postes"))
            self.lower_tabs.tabBar().setTabTextColor(index, QColor())
            return
        now = self.contact_model.now
        names = ", ".join(
            self.tr("{0} ({1})").format(
                p.workstation,
                self.tr("jamais") if p.last_created_at is None else age_text(silent_for(p, now)),
            )
            for p in silent
        )
        self.contact_summary.setText(
            self.tr("⚠ {0} poste(s) sans nouvelles depuis plus de {1} : {2}").format(
                len(silent), age_text(OUT_OF_CONTACT_AFTER), names
            )
        )
        colours = status_colours(DegradedStatus.DEGRADED)
        self.contact_summary.setStyleSheet(
            f"QLabel {{ background: {colours[0]}; color: {colours[1]}; padding: 4px 8px;"
            " font-weight: bold; }"
        )
        self.lower_tabs.setTabText(index, self.tr("Postes (⚠ {0})").format(len(silent)))
        self.lower_tabs.tabBar().setTabTextColor(index, QColor(colours[1]))
