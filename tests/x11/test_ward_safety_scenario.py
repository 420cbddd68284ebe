"""The ward's safety nets on the real application, real X server, real encrypted demo store,
at 1366x768, driven by real key presses only (X events from xdotool, no call into the app):

- an admission that resembles a patient already in a bed: the possible-duplicate warning,
  whose default (Enter) opens that patient; Enter twice creates no identity;
- a patient scanned (Ctrl+F, their number, Enter), transferred (Ctrl+T) to a bed chosen
  by the keyboard, discharged (Ctrl+D), the discharge undone (Ctrl+Z, Enter);
- Ctrl+L with an admission form open: after the same user unlocks the form is back,
  still filled; Esc asks before dropping it, and dropping it admits nobody.

What each step did is read from the store by the ``continuity`` command."""

from __future__ import annotations

import unicodedata
from typing import Any

from tests.x11 import driver
from tests.x11.driver import DEMO_NURSE, PatientForm, RunningApp

UF = "URG"


def unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def patient_line(occupant: dict[str, Any]) -> str:
    """How the dialogs name a patient (app.texts.patient_line, before where they are)."""
    i = occupant["patient"]["identity"]
    family = i["used_name"] or i["birth_name"]
    first = i["used_first_name"] or i["first_names"][0]
    year, month, day = i["birth_date"].split("-")
    return f"{family} {first.title()}, né(e) le {day}/{month}/{year}"


def resembling(occupant: dict[str, Any]) -> PatientForm:
    """The same person typed otherwise: the birth name without its accents, in lower case but
    its first letter (ANDRÉ: Andre), the same first name, birth date and sex."""
    i = occupant["patient"]["identity"]
    year, month, day = i["birth_date"].split("-")
    return PatientForm(
        birth_name=unaccented(i["birth_name"]).title(),
        first_names=i["first_names"][0].title(),
        birth_date=f"{day}/{month}/{year}",
        sex=i["sex"],
    )


def test_duplicate_warning_transfer_discharge_undo_and_a_form_kept_across_the_lock(
    running_app: RunningApp,
) -> None:
    app = running_app
    nurse = DEMO_NURSE
    census = {uf["uf_code"]: uf for uf in app.census(*nurse)}
    before = app.occupants(*nurse)
    free = [b["bed_code"] for b in census[UF]["beds"] if not b["occupant"] and not b["blocked"]]
    assert free == ["U03", "U04"], "the demo site's URG has these two beds free"
    # A URG patient in a bed whose birth name has an accent (ANDRÉ in the demo).
    bed, known = next(
        (b["bed_code"], b["occupant"])
        for b in census[UF]["beds"]
        if b["occupant"] and unaccented(name := b["occupant"]["patient"]["identity"]["birth_name"]) != name
    )
    patient_id = known["patient"]["id"]
    birth_name = known["patient"]["identity"]["birth_name"]
    namesakes = len(app.search(*nurse, birth_name))
    who = patient_line(known)

    # 1. Unlock as the URG nurse, keyboard only.
    driver.unlock(app, *nurse)
    app.shot("ward")

    # 2. Ctrl+N, the same identity typed otherwise, Enter: the warning, whose default opens them.
    typed = resembling(known)
    assert typed.birth_name != birth_name
    warning = driver.warn_of_duplicate(app, typed)
    assert app.x.title(warning) == "Patient peut-être déjà connu"
    app.shot("duplicate-warning", warning)
    driver.press_enter_on_warning(app)
    app.shot("duplicate-opened")
    assert app.occupants(*nurse) == before
    assert len(app.search(*nurse, birth_name)) == namesakes, "a new identity was created"
    # Enter a second time ("Enter twice must not create a duplicate").
    app.x.key("Return")
    app.x.wait_painted(app.window)
    app.shot("duplicate-second-enter")
    assert not driver.other_windows(
        app, driver.ADMISSION_TITLE, driver.DUPLICATE_TITLE, driver.ADMITTED_TITLE
    )
    assert app.occupants(*nurse) == before
    assert len(app.search(*nurse, birth_name)) == namesakes, "a new identity was created"

    # 3. The patient scanned (their number typed in the search box), Ctrl+T, the last free
    # bed chosen by the keyboard (not the dialog's first choice), Enter: transferred.
    driver.scan(app, known["patient"]["provisional_ipp"])
    app.shot("scanned")
    dialog = driver.open_transfer(app)
    assert app.x.title(dialog) == f"Mutation — {who}, {UF}/{bed}"
    app.shot("transfer", dialog)
    target = free[-1]
    driver.choose_bed(app, dialog, target)
    app.shot("transfer-bed-chosen", dialog)
    # Enter in « Lit » presses « Muter » (it did nothing: the default button was set
    # before its box was in the dialog)
    assert driver.enter_closes(app, driver.TRANSFER_TITLE), "Enter in « Lit » did not transfer"
    beds = driver.wait_store(
        lambda: app.occupants(*nurse),
        lambda b: target in b and b[target]["patient"]["id"] == patient_id,
        f"le patient n'est pas dans le lit {target} après la mutation",
    )
    assert bed not in beds
    app.shot("transferred")

    # 4. Ctrl+D, Enter (« Enregistrer la sortie »): the bed is free.
    dialog = driver.open_discharge(app)
    assert app.x.title(dialog) == f"Sortie — {who}, {UF}/{target}"
    app.shot("discharge", dialog)
    driver.save_discharge(app, dialog)
    beds = driver.wait_store(
        lambda: app.occupants(*nurse),
        lambda b: target not in b,
        f"le lit {target} reste occupé après la sortie",
    )
    assert patient_id not in {b["patient"]["id"] for b in beds.values()}
    app.shot("discharged")

    # 5. Ctrl+Z: « Annuler la sortie — ... », Enter (its default): back in that bed, present.
    # The patient was found by a scan and their number is still in the search box: Ctrl+Z
    # undoes (it did nothing: the search run again replaced them by a row without stay).
    box = driver.ask_undo_discharge(app)
    assert app.x.title(box) == f"Annuler la sortie — {who}, sorti(e) de {UF}/{target}"
    app.shot("undo-discharge", box)
    driver.confirm_undo(app, box)
    beds = driver.wait_store(
        lambda: app.occupants(*nurse),
        lambda b: target in b and b[target]["patient"]["id"] == patient_id,
        f"le patient n'est pas revenu dans le lit {target} après l'annulation de la sortie",
    )
    assert beds[target]["stay"]["state"] == "present"
    app.shot("discharge-undone")

    # 6. Ctrl+N, a birth name typed, Ctrl+L from the form: locked; the same user unlocks and
    # the form is back, still filled (Esc asks before dropping it: an empty form would close
    # at once); « Abandonner la saisie » (not the default): nobody admitted.
    draft_name = "Quéméner"
    assert not app.search(*nurse, draft_name)
    form = driver.open_admission(app)
    app.x.wait_painted(form)
    app.x.activate(form)
    app.x.type(draft_name)
    app.shot("form-before-lock", form)
    app.x.key("ctrl+l")
    driver.wait_locked(app)
    app.x.wait_window_gone(driver.ADMISSION_TITLE)
    app.shot("locked-with-form")
    driver.unlock(app, *nurse, user_known=True)
    form_again = app.x.wait_window(driver.ADMISSION_TITLE)
    app.shot("form-after-unlock", form_again)
    question = driver.ask_discard(app, form_again)
    assert app.x.title(question) == "Abandonner la saisie"
    app.shot("discard-question", question)
    driver.discard(app, question)
    app.shot("form-discarded")
    assert app.occupants(*nurse) == beds
    assert not app.search(*nurse, draft_name)
    assert app.alive()
