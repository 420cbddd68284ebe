"""The patient panel shows the identity in RNIV's order and form: the strict traits (birth
name in capitals, birth first names in civil-status order and the first of them, birth
date, sex, birth place), apart from the complementary ones; the status, the attributes and
homonyms."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.ward_view import WardView
from continuity.services import patients
from continuity.session import Workspace
from tests.conftest import NURSE, NURSE_PW, identity
from tests.gui.conftest import wait_idle


def _view(qtbot: QtBot, controller: Controller) -> WardView:
    view = WardView(controller)
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.show()
    view.reload()
    wait_idle(qtbot, controller)
    return view


def test_the_panel_shows_strict_then_complementary_traits_status_and_homonyms(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        first = patients.admit(
            nurse,
            "CARDIO",
            identity=identity(
                used_name="Martin",
                first="Jeanne",
                birth_place_insee="76540",
                birth_place_name="Rouen",
                doubtful=True,
            ).model_copy(update={"first_names": ["JEANNE", "MARIE"]}),
            bed_code="1A",
        )
        # a homonym: same birth name and first first name (accents aside), same birth date
        patients.admit(
            nurse,
            "CARDIO",
            identity=identity(birth_name="LEFEVRE", first="Jeanne"),
            bed_code="1B",
            not_a_duplicate="autre patiente, autre lieu de naissance",
        )
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    view.show_patient(first.patient.id)
    qtbot.waitUntil(lambda: "HOMONYME" in view.detail.text(), timeout=5000)
    text = view.detail.text()
    strict, complementary = text.index("Traits stricts"), text.index("Traits complémentaires")
    assert strict < complementary
    assert text.index("LEFÈVRE") < text.index("JEANNE MARIE") < text.index("12/03/1950") < complementary
    assert "1er prénom : JEANNE" in text and "76540" in text and "ROUEN" in text
    assert text.index("MARTIN", complementary) > complementary
    assert "provisoire" in text and "IDENTITÉ DOUTEUSE" in text
    assert "1 autre identité" in text
