"""The content of each ADT message per IHE PAM national extension France 2.11 (issue 16).

One test per rule, on the ER7 the kit builds for a real store. Field values are read by
splitting the ER7 text on its separators (the messages hold no escape sequence here), so a
rule reads as the field an interface team checks: ``PID-3``, ``ZBE-7``... The sources of
each rule are in docs/conformance-pam-fr.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from continuity.domain.movement import DischargeMode
from continuity.domain.outbox import EventStatus
from continuity.errors import InvalidInput
from continuity.provisioning import demo_site, parse_site
from continuity.services import delivery, patients, sync_state, undo
from continuity.session import Workspace
from sync.hl7_adt import build_message
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, PNEUMO_NURSE, PNEUMO_PW, SITE_TOML, identity
from tests.his_identity import from_his
from tests.pam_scenario import built


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


OIDS = {
    "finess": "750712184",
    "ipp_oid": "1.2.250.1.999.1.1",
    "nda_oid": "1.2.250.1.999.1.2",
    "movement_oid": "1.2.250.1.999.1.3",
    "provisional_ipp_oid": "1.2.250.1.999.2.1",
    "provisional_nda_oid": "1.2.250.1.999.2.2",
}


def test_every_hd_carries_its_oid_and_msh_4_the_finess(workspace: Workspace) -> None:
    """Identifier authorities are HD ``namespace&OID&ISO`` once the site declares the OIDs:
    the kit's provisional IPP (PID-3) and NDA (PID-18, PV1-19), the HIS's IPP, the movement
    id (ZBE-1, EI: id^namespace^OID^ISO); MSH-4 and MSH-6 name the establishment by its
    FINESS. Without OIDs the namespace stays alone (as before). They carried no OID."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity())
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        [(_, plain)] = built(session)
        movement = session.store.outbox.outbox_by_status(EventStatus.PENDING)[0].movement_id
        sync_state.set_identifier_domains(session, **OIDS)
        [(_, er7)] = built(session)
    ipp, nda = a.patient.provisional_ipp, a.stay.provisional_nda
    assert field(plain, "PID", 3) == f"{ipp}^^^CONTINUITE-TEST-CH^PI"
    assert field(er7, "PID", 3) == f"{ipp}^^^CONTINUITE-TEST-CH&1.2.250.1.999.2.1&ISO^PI"
    assert field(er7, "PID", 18) == f"{nda}^^^CONTINUITE-TEST-CH&1.2.250.1.999.2.2&ISO^AN"
    assert field(er7, "PV1", 19) == field(er7, "PID", 18)
    assert field(er7, "ZBE", 1) == f"{movement}^CONTINUITE-TEST-CH^1.2.250.1.999.1.3^ISO"
    assert (field(er7, "MSH", 4), field(er7, "MSH", 6)) == ("750712184", "750712184")
    assert (field(plain, "MSH", 4), field(plain, "MSH", 6)) == ("WS-A", "TEST-CH")


def test_the_his_identifiers_carry_the_his_oids(workspace: Workspace) -> None:
    """Once the HIS gave its IPP and NDA (laid in the event's records here), they go out in its
    domains (``[his] authority`` with ``ipp_oid`` / ``nda_oid``), after the provisional IPP."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity())
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_identifier_domains(session, **OIDS)
        sync_state.set_endpoints(session, None, None, his_authority="GAM-CH")
        site = delivery.sending_site(session)
        event = session.store.outbox.outbox_by_status(EventStatus.PENDING)[0]
        ctx = delivery.event_context(session, event)
        ctx = ctx.model_copy(
            update={
                "patient": ctx.patient.model_copy(update={"ipp": "88001234"}),
                "stay": ctx.stay.model_copy(update={"nda": "99004321"}) if ctx.stay else None,
            }
        )
        er7 = build_message(ctx, site, session.clock())
    reps = field(er7, "PID", 3).split("~")
    assert reps[1] == "88001234^^^GAM-CH&1.2.250.1.999.1.1&ISO^PI"
    assert field(er7, "PID", 18) == "99004321^^^GAM-CH&1.2.250.1.999.1.2&ISO^AN"


INS_NIR = "250037505612372"  # a woman born in March 1950 (tests.conftest.identity)
INS_NIA = "750037505612316"  # a temporary NIR (NIA) for the same traits


@pytest.mark.parametrize(
    ("status", "ins", "authority", "reliability"),
    [
        ("qualifiee", INS_NIR, "ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO", "QUAL"),
        ("qualifiee", INS_NIA, "ASIP-SANTE-INS-NIA&1.2.250.1.213.1.4.9&ISO", "QUAL"),
        ("validee", INS_NIR, None, "VALI"),
        ("recuperee", INS_NIR, None, "RECUP"),
    ],
)
def test_the_ins_travels_only_for_a_qualified_identity(
    workspace: Workspace, status: str, ins: str, authority: str | None, reliability: str
) -> None:
    """PID-3 holds the INS (type INS, authority INS-NIR or INS-NIA by the matricule) only for a
    qualified identity; an INS entered for a validated or retrieved identity stays an unverified
    trait and never leaves. PID-32 gives the RNIV status (PROV, RECUP, VALI, QUAL)."""
    given = identity(ins=ins, status=status, document_type="CN" if status == "validee" else None)
    # qualified or retrieved: from the HIS only (both need INSi)
    his = from_his(workspace, given) if status in ("qualifiee", "recuperee") else None
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=None if his else given, patient_id=his)
    [(_, er7)] = messages(workspace)
    reps = field(er7, "PID", 3).split("~")
    assert (reps[1] if len(reps) > 1 else None) == (f"{ins}^^^{authority}^INS" if authority else None)
    assert ins not in er7 or authority is not None
    assert field(er7, "PID", 32) == reliability


def test_the_town_of_birth_goes_in_the_bdl_address_and_pid_23(workspace: Workspace) -> None:
    """The town's name (``birth_place_name``) is XAD-3 of the BDL address and PID-23."""
    who = identity(birth_place_insee="42218", birth_place_name="Saint-Étienne")
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=who)
    [(_, er7)] = messages(workspace)
    assert field(er7, "PID", 11) == "^^SAINT-ÉTIENNE^^^^BDL^^42218"
    assert field(er7, "PID", 23) == "SAINT-ÉTIENNE"


def test_zfd_carries_how_the_identity_was_collected(workspace: Workspace) -> None:
    """ZFD (PAM FR): ZFD-5 identity collection mode, ZFD-6 date of the INSi query, ZFD-7 the
    identity document checked; sent on every message of a patient who has one of them, after
    the other segments; absent otherwise. It was never sent."""
    who = identity(
        ins=INS_NIR,
        status="qualifiee",
        collection_mode="INSI",
        insi_queried_on="2026-11-30",
        document_type="CN",
    )
    his = from_his(workspace, who)  # a qualified identity comes from the HIS only
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", patient_id=his)
        patients.admit(nurse, "CARDIO", identity=identity(birth_name="DURAND"), not_a_duplicate="autre")
    [(_, er7), (_, other)] = messages(workspace)
    assert er7.rstrip("\r").split("\r")[-1] == "ZFD|||||INSI|20261130|CN"
    assert "\rZFD|" not in other


def test_the_site_file_and_sync_config_set_the_pam_options(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``[his] transfer_nature`` and ``emergency_ufs`` are checked when the site file is read
    (a nature outside the table, a UF the site does not have: refused, in both languages), and
    ``continuity sync config`` shows and changes them."""
    from cli import main

    site = parse_site(SITE_TOML + '\n[his]\ntransfer_nature = "M"\nemergency_ufs = ["pneumo"]\n')
    assert (site.his.transfer_nature, site.his.emergency_ufs) == ("M", ("PNEUMO",))
    with pytest.raises(InvalidInput, match="URG"):
        parse_site(SITE_TOML + '\n[his]\nemergency_ufs = ["URG"]\n')
    with pytest.raises(InvalidInput):
        parse_site(SITE_TOML + '\n[his]\ntransfer_nature = "X"\n')
    assert demo_site().his.emergency_ufs == ("URG",)
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    base = ["--data", str(workspace.folder), "sync", "config", "--user", ADMIN.username]
    assert main([*base, "--transfer-nature", "sm", "--emergency-ufs", "CARDIO,PNEUMO"]) == 0
    assert "UF change : SM" in capsys.readouterr().out
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert sync_state.pam_options(session) == ("SM", ("CARDIO", "PNEUMO"))
        site_info = delivery.sending_site(session)
    assert (site_info.transfer_nature, site_info.emergency_ufs) == ("SM", ("CARDIO", "PNEUMO"))
    assert main([*base, "--emergency-ufs", "URG"]) == 2
    assert "URG" in capsys.readouterr().err
    assert main([*base, "--transfer-nature", "Q"]) == 2


@pytest.mark.parametrize(("attribute", "code"), [("doubtful", "DOUT"), ("fictitious", "FICT")])
def test_pid_32_carries_the_rniv_attributes(workspace: Workspace, attribute: str, code: str) -> None:
    """PID-32 repeats: the status, then the attribute (table 0445: DOUT douteuse, FICT fictive).
    A doubtful identity went out as plain PROV: the HIS's identity vigilance never knew."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        traits: dict[str, Any] = {attribute: True}
        patients.admit(nurse, "CARDIO", identity=identity(**traits))
    [(_, er7)] = messages(workspace)
    assert field(er7, "PID", 32) == f"PROV~{code}"
