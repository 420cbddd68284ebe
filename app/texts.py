"""Texts that several views show, in the user's language."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QCoreApplication

from continuity import dates
from continuity.domain.his_index import IndexHit
from continuity.domain.identity import IdentityStatus
from continuity.domain.movement import StayState
from continuity.domain.records import PatientSummary


def age_text(delta: timedelta | None) -> str:
    """A duration as ``continuity.dates.age_text`` reads it (12 min, 3 h 05, 2 j 4 h),
    translated; "—" when there is none."""
    if delta is None:
        return "—"
    days, hours, minutes = dates.age_parts(delta)
    if days:
        return QCoreApplication.translate("Age", "{0} j {1} h").format(days, hours)
    if hours:
        return QCoreApplication.translate("Age", "{0} h {1:02d}").format(hours, minutes)
    return QCoreApplication.translate("Age", "{0} min").format(minutes)


def patient_line(summary: PatientSummary) -> str:
    """Who an action is about, as its dialog names them: name, birth date, where they are."""
    i, stay = summary.patient.identity, summary.stay
    line = QCoreApplication.translate("Patient", "{0}, né(e) le {1}").format(
        i.display_name, f"{i.birth_date:%d/%m/%Y}"
    )
    if stay is None:
        return line
    if stay.state is StayState.DISCHARGED:
        return line + QCoreApplication.translate("Patient", ", sorti(e) de {0}/{1}").format(
            stay.uf_code or "-", stay.bed_code or "-"
        )
    where = stay.bed_code or QCoreApplication.translate("Patient", "sans lit")
    return line + f", {stay.uf_code}/{where}"


def status_text(status: IdentityStatus) -> str:
    """An identity's status (RNIV), in the user's language."""
    return {
        IdentityStatus.PROVISOIRE: QCoreApplication.translate("Patient", "provisoire"),
        IdentityStatus.RECUPEREE: QCoreApplication.translate("Patient", "récupérée"),
        IdentityStatus.VALIDEE: QCoreApplication.translate("Patient", "validée"),
        IdentityStatus.QUALIFIEE: QCoreApplication.translate("Patient", "qualifiée"),
    }[status]


def index_hit_line(hit: IndexHit) -> str:
    """An identity of the HIS index, not a patient here yet: marked, with its IPP and status."""
    i = hit.identity
    return QCoreApplication.translate(
        "Patient", "« Index DPI » {0} — {1} — {2} — IPP {3} — identité {4}"
    ).format(i.display_name, f"{i.birth_date:%d/%m/%Y}", i.sex.value, hit.ipp, status_text(i.status))


def summary_line(summary: PatientSummary) -> str:
    """A patient of this store as the lists of known patients show them."""
    i, p = summary.patient.identity, summary.patient
    line = f"{i.display_name} — {i.birth_date:%d/%m/%Y} — {i.sex.value} — {p.number}"
    if p.from_index:
        line += QCoreApplication.translate("Patient", " (issu de l'index du DPI)")
    if summary.stay is not None:
        line += f" — {summary.stay.uf_code}/{summary.stay.bed_code or '-'}"
    return line
