"""Paper documents, read back as a person or a scanner would: their text and their barcodes."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from continuity.domain.crisis import DegradedStatus, LogCategory
from continuity.domain.identity import Identity, Sex
from continuity.domain.movement import StayState
from continuity.domain.records import BedView, PatientRecord, PatientSummary, StayRecord
from continuity.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from continuity.ids import format_id, parse_id
from continuity.services import crisis as crisis_service
from continuity.services import indicators, paper, patients
from continuity.services.patients import UfCensus
from continuity.session import Session, Workspace
from forms import documents
from forms.base import PrintContext
from forms.census import render_census
from forms.wristband import BANDS, STOCKS, band_size, label_stock
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    Clock,
    identity,
)
from tests.pdf_tools import barcodes, flat, page_sizes_mm, pages_text

ACCENTED = [
    ("D'ARTAGNAN-LÉVÊQUE", "Zoé"),
    ("ŒUVRARD", "Françoise"),
    ("NOËL-HÄRTEL", "Anaïs"),
    ("L'HÔTE-BOURGÈS", "Jérôme"),
    ("ÇAVUŞ", "Maëlys"),
    ("BÉRÉNICE-ÀÎÔÛ", "Ÿvette"),
]
LONG_NAME = "DE LA TOUR D'AUVERGNE-LAURAGUAIS-MONTMORENCY-SAINT-EXUPÉRY DU PLESSIS"


def _all_text(data: bytes) -> str:
    return flat(" ".join(pages_text(data)))


def _codes(data: bytes, page: int) -> set[str]:
    return {text for _fmt, text in barcodes(data, page)}


# ------------------------------------------------------------------ blank admission forms
def test_blank_forms_carry_their_reserved_number_as_text_code128_and_qr(
    qapp: QApplication, admin_session: Session
) -> None:
    data = documents.blank_admission_forms(admin_session, "cardio", 3)
    texts = pages_text(data)
    reserved = admin_session.store.paper.count_unused_paper_forms()
    assert reserved == {"CARDIO": 3} and len(texts) == 3
    numbers = []
    for n, text in enumerate(texts):
        page = flat(text)
        number = next(w for w in page.split() if len(w) == 10 and w.isdigit())
        numbers.append(number)
        parse_id(number)  # a valid check digit
        form = admin_session.store.paper.paper_form(number)
        assert form is not None and form.uf_code == "CARDIO" and form.used_at is None
        for field in (
            "Nom de naissance",
            "Nom utilisé",
            "Prénom(s) de naissance",
            "Prénom utilisé",
            "Date de naissance",
            "Sexe",
            "Code INSEE de naissance",
            "Matricule INS",
            "Identité d'attente",
            "pièce présentée",
            "Valable jusqu'au",
            "Identité douteuse",
            "Identité fictive",
            "TRAITS STRICTS",
            "TRAITS COMPLÉMENTAIRES",
            "UF d'admission",
            "CARDIO — Cardiologie",
            "Lit",
            "Date et heure d'admission",
            "Motif d'admission",
            "Signature",
            "question ouverte",
            f"Page {n + 1} / 3",
            "RESSAISIE",
        ):
            assert field in page, field
        found = barcodes(data, n)
        assert {("QR Code", number)} <= set(found)
        # the number block and the three cut-out labels: four Code 128, all the same number
        assert [t for f, t in found if f == "Code 128"] == [number] * 4
    assert len(set(numbers)) == 3


def test_printed_numbers_are_never_reused(admin_session: Session, workspace: Workspace) -> None:
    first = paper.reserve_blank_forms(admin_session, "CARDIO", 2)
    second = paper.reserve_blank_forms(admin_session, "PNEUMO", 2)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        admitted = patients.admit(nurse, "CARDIO", identity=identity())
    printed = {f.number for f in first + second}
    assert len(printed) == 4
    assert admitted.patient.provisional_ipp not in printed
    assert admitted.stay.provisional_nda not in printed


def test_reservation_bad_input_writes_nothing(admin_session: Session) -> None:
    for count in (0, -1, paper.MAX_FORMS_PER_BATCH + 1):
        with pytest.raises(InvalidInput):
            paper.reserve_blank_forms(admin_session, "CARDIO", count)
    with pytest.raises(NotFound):
        paper.reserve_blank_forms(admin_session, "NOPE", 2)
    with pytest.raises(Exception, match="Il ne reste que"):
        paper.reserve_blank_forms(admin_session, "CARDIO", 1001)  # more than the block holds
    assert admin_session.store.paper.count_unused_paper_forms() == {}


def test_ward_staff_print_blank_forms_for_their_own_uf_only(workspace: Workspace) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        assert len(paper.reserve_blank_forms(nurse, "CARDIO", 1)) == 1
        with pytest.raises(PermissionDenied):
            paper.reserve_blank_forms(nurse, "PNEUMO", 1)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as cell, pytest.raises(PermissionDenied):
        paper.reserve_blank_forms(cell, "CARDIO", 1)


# ------------------------------------------------------------------ back-entry
def test_a_paper_form_is_keyed_in_once_with_its_number(admin_session: Session, workspace: Workspace) -> None:
    number = paper.reserve_blank_forms(admin_session, "CARDIO", 1)[0].number
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        assert paper.check_paper_form(nurse, f" {number[:5]} {number[5:]} ").number == number
        done = patients.admit(
            nurse, "CARDIO", identity=identity("DUPONT"), bed_code="1A", paper_number=number
        )
        assert done.patient.provisional_ipp == number
        form = nurse.store.paper.paper_form(number)
        assert form is not None and form.patient_id == done.patient.id and form.used_by == "ide"
        with pytest.raises(Conflict, match="déjà été saisi"):
            paper.check_paper_form(nurse, number)
        with pytest.raises(Conflict):
            patients.admit(nurse, "CARDIO", identity=identity("MARTIN", "Paul"), paper_number=number)
        assert nurse.store.patients.count_patients() == 1


def test_back_entry_refuses_wrong_or_unreserved_numbers(admin_session: Session, workspace: Workspace) -> None:
    number = paper.reserve_blank_forms(admin_session, "CARDIO", 1)[0].number
    typo = number[:-2] + number[-1] + number[-2]  # two adjacent digits swapped
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        if typo != number:
            with pytest.raises(InvalidInput, match="chiffre de contrôle"):
                paper.check_paper_form(nurse, typo)
        with pytest.raises(InvalidInput, match="10 chiffres"):
            paper.check_paper_form(nurse, "12345")
        never_printed = format_id(parse_id(number) + 500)
        with pytest.raises(NotFound, match="pas été imprimé"):
            paper.check_paper_form(nurse, never_printed)
        # an admission that fails (occupied bed) leaves the form unused
        patients.admit(nurse, "CARDIO", identity=identity("MARTIN", "Paul"), bed_code="1A")
        with pytest.raises(Conflict, match="occupé"):
            patients.admit(nurse, "CARDIO", identity=identity("DUPONT"), bed_code="1A", paper_number=number)
        assert paper.check_paper_form(nurse, number).used_at is None
        with pytest.raises(InvalidInput):
            patients.admit(nurse, "CARDIO", patient_id="x", paper_number=number)


# ------------------------------------------------------------------ census
def test_census_of_an_empty_site_lists_every_bed_as_free(crisis: Session) -> None:
    data = documents.census(crisis)
    texts = [flat(t) for t in pages_text(data)]
    assert len(texts) == 2  # one UF per page
    assert "CARDIO — Cardiologie · 0/4 lits occupés" in texts[0]
    assert texts[0].count("— libre —") == 4 and texts[1].count("— libre —") == 3
    assert "Aucun instantané du SIH reçu" in texts[0] and "Page 2 / 2" in texts[1]


def test_census_prints_every_french_name_whole(nurse: Session, clock: Clock) -> None:
    beds = ["1A", "1B", "2A", "2B", None, None]
    for (name, first), bed in zip(ACCENTED, beds, strict=True):
        patients.admit(
            nurse, "CARDIO", identity=identity(name, first), bed_code=bed, not_a_duplicate="autre patient"
        )
    long = patients.admit(
        nurse,
        "CARDIO",
        identity=identity(LONG_NAME, "Marie-Éléonore", date(1931, 2, 28)),
        not_a_duplicate="autre patient",
    )
    with nurse.store.transaction():
        nurse.store.set_meta(
            indicators.SNAPSHOT_META_KEY, (clock() - timedelta(hours=3, minutes=20)).isoformat()
        )
    data = documents.census(nurse, ["CARDIO"])
    text = _all_text(data)
    for name, first in ACCENTED:
        assert name in text, name
        assert (
            Identity.model_validate(
                {"birth_name": name, "first_names": [first], "birth_date": date(1950, 3, 12), "sex": "F"}
            ).first_names[0]
            in text
        )
    assert LONG_NAME.replace(" ", "") in text.replace(" ", "")
    assert long.patient.provisional_ipp in text
    assert "sans lit" in text and "(il y a 3 h 20)" in text


def synthetic_census(patients_count: int, free_every: int = 0) -> list[UfCensus]:
    """A census of one UF, built without a store (the layout is what is tested here)."""
    now = datetime.now(UTC)
    beds = []
    for n in range(patients_count):
        ipp = format_id(200_000_000 + 2 * n)
        letters = "".join(chr(65 + n // 26**k % 26) for k in (2, 1, 0))
        who = Identity(
            birth_name=f"PATIENT-{letters} D'ESSAI",
            first_names=["Jean", "Émile"],
            birth_date=date(1940, 1, 1) + timedelta(days=n),
            sex=Sex.M,
        )
        stay = StayRecord(
            id=f"s{n}",
            patient_id=f"p{n}",
            provisional_nda=format_id(200_000_001 + 2 * n),
            nda=None,
            state=StayState.PRESENT,
            uf_code="BIG",
            bed_code=f"B{n}",
            admitted_at=now,
            discharged_at=None,
            version=1,
        )
        occupant = (
            None
            if free_every and n % free_every == 0
            else PatientSummary(
                patient=PatientRecord(
                    id=f"p{n}", provisional_ipp=ipp, ipp=None, identity=who, created_at=now, version=1
                ),
                stay=stay,
            )
        )
        beds.append(
            BedView(uf_code="BIG", bed_code=f"B{n}", room=str(n // 2), blocked=False, occupant=occupant)
        )
    return [UfCensus(uf_code="BIG", uf_name="Très grande UF", beds=beds, without_bed=[])]


@pytest.mark.slow
def test_census_of_two_thousand_patients() -> None:
    ctx = PrintContext("CH de test", datetime.now(UTC), "Test")
    census = synthetic_census(2000)
    data = render_census(ctx, census)
    texts = pages_text(data)
    joined = " ".join(texts)
    numbers = [b.occupant.patient.provisional_ipp for b in census[0].beds if b.occupant]
    assert len(numbers) == 2000
    assert all(joined.count(number) == 1 for number in numbers)
    assert len(texts) == -(-2000 // flat(texts[0]).count("PATIENT-"))
    assert f"Page {len(texts)} / {len(texts)}" in texts[-1]
    assert "(suite)" in texts[1]


# ------------------------------------------------------------------ register
def test_movement_register_prefilled_then_blank(nurse: Session) -> None:
    a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="2B")
    data = documents.movement_register(nurse, "CARDIO", prefilled=True, blank_pages=2)
    texts = [flat(t) for t in pages_text(data)]
    assert len(texts) == 3
    assert a.patient.provisional_ipp in texts[0] and "LEFÈVRE" in texts[0]
    assert "CARDIO / 2B" in texts[0]
    assert all("Mode de sortie : 8 domicile" in t for t in texts)
    assert a.patient.provisional_ipp not in texts[1] + texts[2]
    with pytest.raises(InvalidInput):
        documents.movement_register(nurse, "CARDIO", prefilled=False, blank_pages=0)


# ------------------------------------------------------------------ wristbands and labels
def test_wristbands_of_a_ward_read_back_by_a_scanner(qapp: QApplication, nurse: Session) -> None:
    admitted = [
        patients.admit(
            nurse, "CARDIO", identity=identity(name, first), bed_code=bed, not_a_duplicate="autre patient"
        )
        for (name, first), bed in zip(ACCENTED[:3], ["1A", "1B", "2A"], strict=True)
    ]
    data = documents.wristbands(nurse, BANDS["adulte"], uf_code="CARDIO")
    texts = [flat(t) for t in pages_text(data)]
    assert len(texts) == 3
    assert set(page_sizes_mm(data)) == {(279.0, 25.4)}
    for page, a in enumerate(admitted):
        i = a.patient.identity
        assert i.birth_name in texts[page] and i.first_names[0] in texts[page]
        assert f"{i.birth_date:%d/%m/%Y}" in texts[page] and "sexe F" in texts[page]
        assert _codes(data, page) == {a.patient.provisional_ipp}
    one = documents.wristbands(nurse, band_size("19x150"), [admitted[0].patient.provisional_ipp])
    assert page_sizes_mm(one) == [(150.0, 19.0)]
    assert _codes(one, 0) == {admitted[0].patient.provisional_ipp}


def test_wristband_of_a_very_long_name_keeps_it_on_the_band(qapp: QApplication, nurse: Session) -> None:
    a = patients.admit(nurse, "CARDIO", identity=identity(LONG_NAME, "Marie-Éléonore"))
    data = documents.wristbands(nurse, BANDS["nourrisson"], [a.patient.provisional_ipp])
    text = flat(pages_text(data)[0])
    assert text.startswith("DE LA TOUR") or "DE LA TOUR" in text
    assert _codes(data, 0) == {a.patient.provisional_ipp}


@pytest.mark.parametrize("stock", ["3x8", "2x7", "3x7"])
def test_label_sheet_of_one_patient_is_full_and_scannable(
    qapp: QApplication, nurse: Session, stock: str
) -> None:
    a = patients.admit(nurse, "CARDIO", identity=identity("L'HÔTE-BOURGÈS", "Jérôme", sex="M"), bed_code="1B")
    sheet = label_stock(stock)
    data = documents.labels(nurse, sheet, [a.patient.provisional_ipp])
    assert page_sizes_mm(data) == [(210.0, 297.0)]
    text = pages_text(data)[0]
    assert text.count("L'HÔTE-BOURGÈS") == sheet.per_sheet
    assert text.count("Né le 12/03/1950") == sheet.per_sheet
    found = barcodes(data, 0)
    assert [t for _f, t in found] == [a.patient.provisional_ipp] * sheet.per_sheet


def test_labels_and_wristbands_bad_input(nurse: Session) -> None:
    with pytest.raises(InvalidInput):
        band_size("5x10")
    with pytest.raises(InvalidInput):
        label_stock("4x4")
    with pytest.raises(NotFound, match="Aucun patient présent"):
        documents.labels(nurse, STOCKS["3x8"], uf_code="CARDIO")
    with pytest.raises(InvalidInput):
        documents.labels(nurse, STOCKS["3x8"])
    a = patients.admit(nurse, "CARDIO", identity=identity())
    with pytest.raises(InvalidInput):
        documents.labels(nurse, STOCKS["3x8"], [a.patient.provisional_ipp], copies=0)
    with pytest.raises(PermissionDenied):
        documents.census(nurse, ["PNEUMO"])


# ------------------------------------------------------------------ transfer sheet, situation
def test_transfer_sheet(qapp: QApplication, nurse: Session) -> None:
    a = patients.admit(nurse, "CARDIO", identity=identity("NOËL-HÄRTEL", "Anaïs"), bed_code="1A")
    patients.transfer(nurse, a.stay.id, "CARDIO", "2A")
    data = documents.transfer_sheet(nurse, a.patient.provisional_ipp, "SMR de Rouen")
    text = flat(pages_text(data)[0])
    for expected in (
        "FICHE DE TRANSFERT",
        "NOËL-HÄRTEL",
        "ANAÏS",
        "12/03/1950",
        "CARDIO / lit 2A",
        "SMR de Rouen",
        "admission",
        "mutation",
        a.stay.provisional_nda,
        "Traitements en cours",
        "Allergies",
    ):
        assert expected in text, expected
    assert a.patient.provisional_ipp in _codes(data, 0)


def test_situation_report(crisis: Session, workspace: Workspace) -> None:
    crisis_service.set_status(crisis, "LABO", DegradedStatus.DEGRADED, "SIL arrêté")
    long_entry = "Point avec l'ARS : " + "renfort de brancardiers demandé ; " * 40
    crisis_service.add_log_entry(crisis, long_entry, LogCategory.DECISION)
    crisis_service.add_log_entry(crisis, "Imprimantes du 2e étage hors service", LogCategory.ALERT)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    data = documents.situation_report(crisis)
    text = _all_text(data)
    for expected in (
        "POINT DE SITUATION",
        "LABO",
        "mode dégradé",
        "SIL arrêté",
        "Cellule",
        "Admissions",
        "1 / 7",
        "Imprimantes du 2e étage hors service",
        "alerte",
        "renfort de brancardiers",
        "…",
        "Visa du directeur de crise",
    ):
        assert expected in text, expected
    assert "LEFÈVRE" not in text  # no patient is named in a situation report
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it, pytest.raises(PermissionDenied):
        documents.situation_report(it)


def test_exercise_mode_marks_every_page(crisis: Session, workspace: Workspace) -> None:
    crisis_service.set_exercise_mode(crisis, True)
    for data in (documents.census(crisis), documents.situation_report(crisis)):
        assert all("EXERCICE" in t for t in pages_text(data))
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity())
        band = documents.wristbands(nurse, BANDS["adulte"], [a.patient.provisional_ipp])
        assert "EXERCICE" in pages_text(band)[0]


def test_documents_leave_nothing_in_the_temp_folder(
    tmp_path: Path, nurse: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setenv("TMPDIR", str(spool))
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    documents.census(nurse)
    documents.wristbands(nurse, BANDS["adulte"], [a.patient.provisional_ipp])
    documents.labels(nurse, STOCKS["3x8"], uf_code="CARDIO")
    documents.transfer_sheet(nurse, a.patient.provisional_ipp)
    assert os.listdir(spool) == []
