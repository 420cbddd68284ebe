"""Issue 16 foundations: the INS only for a qualified identity, the identity traits PAM FR
and FR Core carry, and the identifier domains (FINESS, OIDs) the site file declares."""

from __future__ import annotations

from pathlib import Path

import hl7
import pytest

from continuity import doctor, keyslots
from continuity.domain.identity import CollectionMode, Identity, IdentityDocument
from continuity.domain.outbox import EventStatus
from continuity.errors import InvalidInput
from continuity.provisioning import demo_site, parse_site
from continuity.services import delivery, patients, sync_state
from continuity.session import Workspace
from continuity.store import Store
from continuity.validation import build
from sync import fhir
from sync.hl7_adt import build_message
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, SITE_TOML, Clock, identity


def built(**traits: object) -> Identity:
    """An identity through the path input takes (bilingual errors)."""
    data: dict[str, object] = {"birth_name": "LEFÈVRE", "first_names": ["JEANNE"], "birth_date": "1950-03-12"}
    return build(Identity, {**data, "sex": "F", **traits}, "Identité", "Identity")


def _ins(body: str) -> str:
    return f"{body}{97 - int(body) % 97:02d}"


INS_F_1950_03 = _ins("2500376540001")  # a woman born in March 1950, as tests.conftest.identity()


def test_an_ins_given_for_an_identity_not_qualified_is_kept_as_an_unverified_trait() -> None:
    validated = identity(ins=INS_F_1950_03, status="validee")
    assert validated.ins is None and validated.ins_unverified == INS_F_1950_03
    retrieved = identity(ins=INS_F_1950_03, status="recuperee")
    assert retrieved.ins is None and retrieved.ins_unverified == INS_F_1950_03
    qualified = identity(ins=INS_F_1950_03, status="qualifiee")
    assert qualified.ins == INS_F_1950_03 and qualified.ins_unverified is None
    assert qualified.ins_type == "INS-NIR"
    promoted = identity(ins_unverified=INS_F_1950_03, status="qualifiee")
    assert promoted.ins == INS_F_1950_03 and promoted.ins_unverified is None
    with pytest.raises(InvalidInput, match="exige un matricule INS"):
        built(status="recuperee")
    with pytest.raises(InvalidInput, match="ne correspond pas au sexe"):
        built(ins=_ins("1500376540001"), status="validee")  # still checked, unverified


def test_a_temporary_nir_is_typed_ins_nia() -> None:
    nia = _ins("7500376540001")
    assert identity(ins=nia, status="qualifiee").ins_type == "INS-NIA"


def test_the_new_traits_are_checked_and_left_out_of_the_data_while_unset() -> None:
    plain = identity()
    assert set(plain.data()) == {
        "birth_name",
        "used_name",
        "first_names",
        "used_first_name",
        "birth_date",
        "sex",
        "birth_place_insee",
        "ins",
        "status",
        "placeholder",
    }  # what 0.3.0 wrote: same identity hashes, bundles an older workstation reads
    full = identity(
        birth_place_name="Saint-Étienne",
        collection_mode="CV",
        document_type="PA",
        insi_queried_on="2026-11-30",
    )
    assert full.birth_place_name == "SAINT-ÉTIENNE"
    assert full.collection_mode is CollectionMode.CV and full.document_type is IdentityDocument.PA
    assert Identity.model_validate(full.data()) == full
    with pytest.raises(InvalidInput, match="justificatif d'identité"):
        built(document_type="XX")


def test_the_new_traits_are_stored_encrypted_and_read_back(workspace: Workspace) -> None:
    traits = identity(
        ins=INS_F_1950_03,
        status="validee",
        birth_place_insee="76540",
        birth_place_name="Rouen",
        collection_mode="SM",
        document_type="CN",
    )
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        admitted = patients.admit(nurse, "CARDIO", identity=traits, bed_code="1A")
        stored = nurse.store.patients.get_patient(admitted.patient.id)
        today = nurse.clock().astimezone().date()
    # the service records who checked the document, and when
    assert stored is not None
    assert stored.identity == traits.model_copy(
        update={"validated_by": NURSE.display_name, "validated_on": today}
    )
    assert stored.identity.ins is None and stored.identity.ins_unverified == INS_F_1950_03


def test_a_store_of_0_3_0_keeps_an_unqualified_ins_as_unverified_at_the_upgrade(tmp_path: Path) -> None:
    key = keyslots.new_database_key()
    old = Store.open_encrypted(tmp_path / "old.db", key, Clock(), create=True)
    old.migrate(target=10)  # 0.3.0's schema
    for pid, status in (("p1", "validee"), ("p2", "qualifiee")):
        old._conn.execute(
            "INSERT INTO patients(id, provisional_ipp, birth_name, first_names, birth_date, sex, ins,"
            " identity_status, placeholder, created_at, created_by, version, source)"
            " VALUES (?, ?, 'LEFÈVRE', '[\"JEANNE\"]', '1950-03-12', 'F', ?, ?, 0,"
            " '2026-01-01T00:00:00+00:00', 'x', 1, 'kit')",
            (pid, "90010000" + pid[1], INS_F_1950_03, status),
        )
    old.close()
    upgraded = Store.open_encrypted(tmp_path / "old.db", key, Clock())
    upgraded.migrate()
    p1, p2 = upgraded.patients.get_patient("p1"), upgraded.patients.get_patient("p2")
    upgraded.close()
    assert p1 is not None and p1.identity.ins is None and p1.identity.ins_unverified == INS_F_1950_03
    assert p2 is not None and p2.identity.ins == INS_F_1950_03 and p2.identity.ins_unverified is None


def test_no_unverified_ins_leaves_in_hl7_or_fhir(workspace: Workspace) -> None:
    """Issue 16: PID-3 carried the INS of a validated (not qualified) identity."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(
            nurse,
            "CARDIO",
            identity=identity(ins=INS_F_1950_03, status="validee", document_type="CN"),
            bed_code="1A",
        )
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        event = session.store.outbox.outbox_by_status(EventStatus.PENDING)[0]
        ctx = delivery.event_context(session, event)
        site = delivery.sending_site(session)
        message = build_message(ctx, site, session.clock())
        resource = fhir.patient_resource(ctx, site, None)
    assert INS_F_1950_03 not in message
    assert "INS" not in str(hl7.parse(message).segment("PID")(3))
    assert all(i.value != INS_F_1950_03 for i in resource.identifier or [])


def test_the_site_file_declares_finess_and_oids_checked_bilingually() -> None:
    his = parse_site(
        SITE_TOML + '\n[his]\nfiness = "2a0000017"\nipp_oid = "1.2.250.1.999.1.1"\n'
        'provisional_ipp_oid = "1.2.250.1.999.1.10"\n'
    ).his
    assert his.finess == "2A0000017" and his.ipp_oid == "1.2.250.1.999.1.1"
    assert his.provisional_ipp_oid == "1.2.250.1.999.1.10" and his.nda_oid is None
    with pytest.raises(InvalidInput) as bad_oid:
        parse_site(SITE_TOML + '\n[his]\nipp_oid = "1.2.250.01"\n')
    assert "OID invalide" in bad_oid.value.bilingual() and "invalid OID" in bad_oid.value.bilingual()
    with pytest.raises(InvalidInput, match="FINESS"):
        parse_site(SITE_TOML + '\n[his]\nfiness = "12345"\n')
    demo = demo_site().his
    assert demo.ipp_oid and demo.ipp_oid.startswith("2.999.") and demo.finess


def test_one_oid_names_one_domain_and_never_the_ins(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The kit's provisional IPP domain declared with the HIS's IPP OID (a copy-paste) would send
    the kit's provisional numbers as the HIS's own IPPs (another patient's, perhaps); an OID of
    the INS (1.2.250.1.213.1.4.x) as an establishment domain, IPPs as INS. Refused in the site
    file and in ``sync config``, in both languages."""
    from cli import main

    same = SITE_TOML + '\n[his]\nipp_oid = "1.2.250.1.999.1.1"\nprovisional_ipp_oid = "1.2.250.1.999.1.1"\n'
    with pytest.raises(InvalidInput) as caught:
        parse_site(same)
    assert "OID" in caught.value.bilingual() and "domain" in caught.value.bilingual()
    with pytest.raises(InvalidInput):
        parse_site(SITE_TOML + '\n[his]\nnda_oid = "1.2.250.1.213.1.4.8"\n')
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    base = ["--data", str(workspace.folder), "sync", "config", "--user", ADMIN.username]
    assert main([*base, "--ipp-oid", "1.2.250.1.999.1.1"]) == 0
    capsys.readouterr()
    assert main([*base, "--provisional-ipp-oid", "1.2.250.1.999.1.1"]) == 2
    assert "1.2.250.1.999.1.1" not in capsys.readouterr().out
    assert main([*base, "--movement-oid", "1.2.250.1.213.1.4.9"]) == 2
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        domains = sync_state.identifier_domains(session)
        assert (domains.provisional_ipp_oid, domains.movement_oid) == (None, None)


def test_sync_config_and_the_sending_site_carry_the_domains(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli import main

    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    base = ["--data", str(workspace.folder), "sync", "config", "--user", ADMIN.username]
    assert main([*base, "--ipp-oid", "1.2.250.1.999.1.1", "--finess", "750000001"]) == 0
    out = capsys.readouterr().out
    assert "FINESS : 750000001" in out and "1.2.250.1.999.1.1" in out
    assert main([*base, "--nda-oid", "1..2"]) == 2
    assert "OID invalide (nda_oid)" in capsys.readouterr().err
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        site = delivery.sending_site(session)
        assert site.ipp_oid == "1.2.250.1.999.1.1" and site.finess == "750000001"
        assert site.nda_oid is None
        assert sync_state.identifier_domains(session).missing() == [
            "nda_oid",
            "movement_oid",
            "provisional_ipp_oid",
            "provisional_nda_oid",
        ]


def test_doctor_warns_while_an_oid_is_missing(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        report = doctor.run(workspace, session.clock(), session=session)
        check = next(c for c in report.checks if c.name == "his_domains")
        assert check.level is doctor.Level.WARN and "ipp_oid" in check.message_fr
        sync_state.set_identifier_domains(
            session,
            finess="750000001",
            **{  # one OID per domain
                n: f"1.2.250.1.999.1.{i}" for i, n in enumerate(sync_state.DOMAIN_KEYS, 1) if n != "finess"
            },
        )
        report = doctor.run(workspace, session.clock(), session=session)
    assert next(c for c in report.checks if c.name == "his_domains").level is doctor.Level.PASS


def test_the_his_names_are_never_the_kits_own(workspace: Workspace) -> None:
    """Review of issue 16: the HIS's assigning authority or FHIR systems could be set to the kit's
    own provisional namespace, so the kit's provisional IPPs would go out as the HIS's own."""
    for setting in ('authority = "CONTINUITE-DEMO"', 'ipp_system = "urn:continuite:DEMO:ipp"'):
        with pytest.raises(InvalidInput) as refused:
            parse_site(SITE_TOML + f"\n[his]\n{setting}\n")
        assert "propres identifiants provisoires du kit" in refused.value.bilingual()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        with pytest.raises(InvalidInput, match="provisoires du kit"):
            sync_state.set_endpoints(session, None, None, his_authority="continuite-x")
        with pytest.raises(InvalidInput, match="provisoires du kit"):
            sync_state.set_endpoints(session, None, None, his_nda_system="urn:continuite:X:nda")
        sync_state.set_endpoints(session, None, None, his_authority="CHU-EXEMPLE")
