"""The content of each ADT message per IHE PAM national extension France 2.11 (issue 16).

One test per rule, on the ER7 the kit builds for a real store. Field values are read by
splitting the ER7 text on its separators (the messages hold no escape sequence here), so a
rule reads as the field an interface team checks: ``PID-3``, ``ZBE-7``... The sources of
each rule are in docs/conformance-pam-fr.md.
"""

from __future__ import annotations

from datetime import date

import pytest

from continuity.domain.movement import DischargeMode
from continuity.domain.outbox import EventStatus
from continuity.services import delivery, patients, sync_state, undo
from continuity.session import Session, Workspace
from sync.hl7_adt import build_message
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, PNEUMO_NURSE, PNEUMO_PW, identity


def built(session: Session) -> list[tuple[str, str]]:
    """(outbox kind, ER7) of every pending event, in order, built as the sync would send it."""
    site = delivery.sending_site(session)
    out = []
    for event in session.store.outbox.outbox_by_status(EventStatus.PENDING):
        ctx = delivery.event_context(session, event)
        out.append((event.kind, build_message(ctx, site, session.clock())))
    return out


def segment(er7: str, name: str) -> list[str]:
    """The fields of the first ``name`` segment: index n is field n (MSH: n is MSH-n)."""
    for line in er7.split("\r"):
        if line.startswith(name + "|"):
            fields = line.split("|")
            return ["MSH", "|", *fields[1:]] if name == "MSH" else fields
    raise AssertionError(f"no {name} segment")


def field(er7: str, name: str, number: int) -> str:
    fields = segment(er7, name)
    return fields[number] if number < len(fields) else ""


def messages(workspace: Workspace) -> list[tuple[str, str]]:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        return built(session)


def test_zbe_7_and_8_name_the_uf_in_xon_components_1_7_and_10(workspace: Workspace) -> None:
    """ZBE-7 (UF of medical responsibility) and ZBE-8 (UF of care) are XON: the UF's name in
    component 1, ``UF`` in component 7 (identifier type code), its code in component 10. The
    kit knows one UF per stay, responsible for both. Today ZBE-7 was ``^^^^^^^^^CARDIO`` and
    ZBE-8 absent."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    [(_, er7)] = messages(workspace)
    assert field(er7, "ZBE", 7) == "Cardiologie^^^^^^UF^^^CARDIO"
    assert field(er7, "ZBE", 8) == "Cardiologie^^^^^^UF^^^CARDIO"


def test_zbe_9_gives_each_movement_its_nature(workspace: Workspace) -> None:
    """ZBE-9, nature of the movement (PAM FR table: S, H, M, L, D, SM, SH, MH, LD, HMS): an
    admission takes the three responsibilities (HMS), a change of UF moves them (HMS by
    default, the site's ``[his] transfer_nature`` otherwise), a change of bed in the same UF is
    L; leave, return and discharge HMS; a cancellation carries the nature of the movement it
    cancels. It was never sent."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        patients.transfer(nurse, a.stay.id, "CARDIO", "2A")  # bed only
        patients.transfer(nurse, a.stay.id, "PNEUMO", "3A")  # UF change
    with workspace.unlock(PNEUMO_NURSE.username, PNEUMO_PW) as pneumo:
        undo.cancel_last(pneumo, a.stay.id)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.start_leave(nurse, a.stay.id)
        patients.end_leave(nurse, a.stay.id)
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        undo.cancel_last(nurse, a.stay.id)
    natures = [(kind, field(er7, "ZBE", 9).split("^")[0]) for kind, er7 in messages(workspace)]
    assert natures == [
        ("admission", "HMS"),
        ("transfer", "L"),
        ("transfer", "HMS"),
        ("cancel_transfer", "HMS"),
        ("leave", "HMS"),
        ("return", "HMS"),
        ("discharge", "HMS"),
        ("cancel_discharge", "HMS"),
    ]
    [(_, admission)] = messages(workspace)[:1]
    assert field(admission, "ZBE", 9) == "HMS^Changement conjoint des trois responsabilités"
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_pam_options(session, transfer_nature="M")
        by_kind = [(kind, field(er7, "ZBE", 9).split("^")[0]) for kind, er7 in built(session)]
    assert by_kind[2:4] == [("transfer", "M"), ("cancel_transfer", "M")]
    assert by_kind[1] == ("transfer", "L")


def test_pid_5_carries_the_birth_first_names_in_the_l_name(workspace: Workspace) -> None:
    """PID-5 L (birth name): component 2 the first birth first name, component 3 the list of
    the birth first names separated by spaces (INS trait). Component 3 was empty for a single
    first name and lacked the first one otherwise. D (used name) keeps the used traits."""
    who = identity(first="Jeanne", used_name="MARTIN").model_copy(
        update={"first_names": ["JEANNE", "MARIE", "LOUISE"], "used_first_name": "MARIE"}
    )
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=who)
    [(_, er7)] = messages(workspace)
    assert field(er7, "PID", 5) == "LEFÈVRE^JEANNE^JEANNE MARIE LOUISE^^^^L~MARTIN^MARIE^^^^^D"


def test_nda_travels_in_pid_18_and_pv1_19(workspace: Workspace) -> None:
    """The stay's NDA (type AN) goes in PID-18 (Patient Account Number, where PAM FR puts the
    NDA) and stays in PV1-19 for the HIS that read it there; an identity update outside a stay
    carries neither. PID-18 was empty."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity())
    [(_, er7)] = messages(workspace)
    nda = f"{a.stay.provisional_nda}^^^CONTINUITE-TEST-CH^AN"
    assert field(er7, "PID", 18) == nda
    assert field(er7, "PV1", 19) == nda


@pytest.mark.parametrize(("emergency", "expected"), [((), "I"), (("CARDIO",), "E")])
def test_pv1_2_patient_class_follows_the_uf(
    workspace: Workspace, emergency: tuple[str, ...], expected: str
) -> None:
    """PV1-2: I (hospitalisation) for a stay in a ward, E (urgences) for a stay in a UF the site
    file declares an emergency unit (``[his] emergency_ufs``); N for an identity message
    outside any stay."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity())
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_pam_options(session, emergency_ufs=list(emergency))
        classes = [field(er7, "PV1", 2) for _, er7 in built(session)]
    assert classes == [expected, expected]


def test_pid_11_carries_the_birth_place_as_a_bdl_address(workspace: Workspace) -> None:
    """PID-11 gets a repetition of type BDL (birth delivery location) with the INSEE code in
    XAD-9; PID-23 no longer carries the code (it is the town's name, when known)."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(birth_place_insee="75056"))
    [(_, er7)] = messages(workspace)
    assert field(er7, "PID", 11) == "^^^^^^BDL^^75056"
    assert field(er7, "PID", 23) == ""


def test_sex_unknown_is_u(workspace: Workspace) -> None:
    """PID-8 (table 0001 as PAM FR restricts it): F, M, and U for the RNIV's « indéterminé »,
    as FHIR sends ``unknown``."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(sex="I", born=date(1990, 1, 1)))
    [(_, er7)] = messages(workspace)
    assert field(er7, "PID", 8) == "U"
