"""Wristbands and labels carry the identity as RNIV asks: strict traits first, apart from
the complementary ones; the identity status; « IDENTITÉ DOUTEUSE », « identité fictive »
and homonyms when so."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from continuity.services import patients
from continuity.session import Session
from forms import documents
from forms.wristband import BANDS, STOCKS
from tests.conftest import identity
from tests.pdf_tools import barcodes, flat, pages_text


@pytest.fixture
def ward(nurse: Session) -> list[str]:
    """Four patients: validated (with a homonym), doubtful, fictitious, with a used name."""
    given = [
        identity("LEFÈVRE", "Jeanne", status="validee", document_type="CN"),
        identity("LEFEVRE", "Jeanne", doubtful=True),  # LEFÈVRE's homonym, doubtful
        identity("INCONNUE", "Alice", fictitious=True),
        identity("DURAND", "Anne", used_name="Martin", used_first_name="Annie"),
    ]
    return [
        patients.admit(nurse, "CARDIO", identity=i, bed_code=bed, not_a_duplicate="une autre").patient.number
        for i, bed in zip(given, ["1A", "1B", "2A", "2B"], strict=True)
    ]


def _check(texts: list[str]) -> None:
    validated, doubtful, fictitious, used = texts
    assert "validée" in validated and "HOMONYME" in validated
    assert "provisoire" in doubtful and "IDENTITÉ DOUTEUSE" in doubtful and "HOMONYME" in doubtful
    assert "provisoire" in fictitious and "identité fictive" in fictitious.lower()
    assert "DOUTEUSE" not in validated + fictitious + used and "HOMONYME" not in fictitious + used
    # strict traits first (birth name, birth first names, birth date), then the complementary ones
    assert used.index("DURAND") < used.index("ANNE") < used.index("12/03/1950") < used.index("MARTIN")
    assert used.index("nom utilisé") < used.index("MARTIN") < used.index("ANNIE")


def test_wristbands_carry_status_attributes_and_homonyms(
    qapp: QApplication, nurse: Session, ward: list[str]
) -> None:
    data = documents.wristbands(nurse, BANDS["adulte"], ward)
    _check([flat(t) for t in pages_text(data)])
    for page, number in enumerate(ward):
        assert {t for _f, t in barcodes(data, page)} == {number}  # still scanned back


def test_labels_carry_status_attributes_and_homonyms(
    qapp: QApplication, nurse: Session, ward: list[str]
) -> None:
    texts = []
    for number in ward:
        data = documents.labels(nurse, STOCKS["3x8"], [number], copies=1)
        texts.append(flat(pages_text(data)[0]))
        assert [t for _f, t in barcodes(data, 0)] == [number]
    _check(texts)
