"""A ward nurse's shift on the real application, real X server, real encrypted demo store:
unlock by the keyboard, admit with Ctrl+N, lock and unlock, admit in a bed clicked with the
mouse. What was saved is then read from the store by the ``continuity`` command."""

from __future__ import annotations

from tests.x11 import driver
from tests.x11.driver import DEMO_NURSE, PatientForm, RunningApp


def test_nurse_admits_by_keyboard_locks_and_admits_in_a_clicked_bed(running_app: RunningApp) -> None:
    app = running_app
    app.shot("unlock")
    before = app.occupants(*DEMO_NURSE)
    free_before = {"U03", "U04"} - set(before)
    assert free_before == {"U03", "U04"}, "the demo site's URG has these two beds free"

    # Unlock as the URG nurse, keyboard only; the bed board shows.
    image = driver.unlock(app, *DEMO_NURSE)
    app.shot("ward")
    assert len(driver.tiles(image, "free", app.client())) == 2

    # Ctrl+N, the identity typed (accents), Enter: admitted in the first free bed.
    driver.admit_by_keyboard(
        app, PatientForm(birth_name="Lefèvre", first_names="Zoé", birth_date="12/03/1950", sex="F")
    )
    image = driver.wait_ward(app)
    app.shot("admitted")
    beds = app.occupants(*DEMO_NURSE)
    assert set(beds) - set(before) == {"U03"}
    identity = beds["U03"]["patient"]["identity"]
    assert (identity["birth_name"], identity["first_names"], identity["sex"]) == ("LEFÈVRE", ["ZOÉ"], "F")
    assert identity["birth_date"] == "1950-03-12"

    # Ctrl+L: nothing of the ward stays on the screen; the same user unlocks again.
    driver.lock(app)
    app.shot("locked")
    driver.unlock(app, *DEMO_NURSE, user_known=True)

    # A real mouse click on the last free tile opens the form for that bed.
    tile = driver.click_free_bed(app)
    assert app.client().contains(tile)
    form = app.x.wait_window(driver.ADMISSION_TITLE)
    app.shot("clicked-free-bed", form)
    driver.fill_admission(
        app, PatientForm(birth_name="Œuvray", first_names="Anaïs", birth_date="01/02/1990", sex="F"), form
    )
    driver.save_admission(app)
    beds = app.occupants(*DEMO_NURSE)
    assert set(beds) - set(before) == {"U03", "U04"}
    assert beds["U04"]["patient"]["identity"]["birth_name"] == "ŒUVRAY"
    assert app.alive()
