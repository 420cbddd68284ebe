"""Per-workstation signatures on exchange bundles: an insider holding the shared site key
cannot make a bundle pass for another workstation's (real stores, real bundle files)."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from continuity import signing
from continuity.domain.movement import DischargeMode
from continuity.domain.users import Role, User
from continuity.errors import InvalidInput
from continuity.provisioning import parse_site, provision
from continuity.services import exchange, patients
from continuity.session import Workspace
from sync import bundles
from tests.conftest import (
    ADMIN,
    ADMIN_PW,
    CRISIS,
    CRISIS_PW,
    NURSE,
    NURSE_PW,
    SITE_TOML,
    TEST_KDF,
    identity,
)
from tests.exchange_helpers import Site


@pytest.fixture
def site(three_workstations: Site) -> Site:
    return three_workstations


def _victim(site: Site) -> tuple[str, str]:
    """A patient admitted on WS-A, known to WS-B too: (patient id, stay id)."""
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        adm = patients.admit(a, "CARDIO", identity=identity(birth_name="VICTIME"), bed_code="1A")
    assert site.deliver("WS-B", site.export("WS-A")).outcome is bundles.BundleOutcome.IMPORTED
    return adm.patient.id, adm.stay.id


def _insider_changes(site: Site, patient_id: str, stay_id: str) -> exchange.Export:
    """On WS-B, a user renames the patient and discharges them: what WS-B would export."""
    with site.login("WS-B", NURSE.username, NURSE_PW) as b:
        rec = b.store.patients.get_patient(patient_id)
        assert rec is not None
        renamed = rec.identity.model_copy(update={"birth_name": "FAUX"})
        patients.update_identity(b, rec.id, renamed, rec.version)
        patients.discharge(b, stay_id, DischargeMode.HOME)
        export = exchange.prepare_export(b)
    assert export is not None
    return export


def _as_if_from(export: exchange.Export, claimed: str, **header: object) -> tuple[bytes, bytes]:
    """The insider's changes rewritten as changes of ``claimed``: (header bytes, body bytes)."""
    changes = [
        c.model_copy(
            update={"origin": claimed, "change_id": f"{claimed}:{c.origin_seq + 9000}", "actor": "crise"}
        ).model_dump(mode="json")
        for c in export.changes
    ]
    forged = export.header.model_copy(update={"workstation": claimed, "seq": 77, **header})
    body = json.dumps({"changes": changes, "his_records": export.his_records}).encode()
    return forged.model_dump_json().encode(), body


def _unsigned(header: bytes, body: bytes, key: bytes) -> bytes:
    """The 0.2 layout: sealed with the shared key, no signature."""
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, zlib.compress(body), bundles.MAGIC + header)
    return bundles.MAGIC + header + b"\n" + nonce + sealed


def _signed(header: bytes, body: bytes, key: bytes, private: bytes) -> bytes:
    """The 0.3 layout, signed with ``private``."""
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, zlib.compress(body), bundles.MAGIC + header)
    signature = signing.sign(private, bundles.MAGIC + header + b"\n" + nonce + sealed)
    return bundles.MAGIC + header + b"\n" + signature + nonce + sealed


def _untouched(site: Site, patient_id: str, stay_id: str) -> None:
    with site.login("WS-A", CRISIS.username, CRISIS_PW) as a:
        rec = a.store.patients.get_patient(patient_id)
        stay = a.store.stays.get_stay(stay_id)
        assert rec is not None and rec.identity.birth_name == "VICTIME"
        assert stay is not None and stay.state.value != "discharged"
        assert a.store.exchange.change_known("WS-C:9001") is False


def test_a_bundle_forged_by_an_insider_as_from_another_workstation_is_refused(site: Site) -> None:
    """The attack of issue 15: WS-B holds the shared key, writes a bundle "from" WS-C."""
    patient_id, stay_id = _victim(site)
    export = _insider_changes(site, patient_id, stay_id)
    with site.login("WS-B", ADMIN.username, ADMIN_PW) as b:
        key = exchange.bundle_key(b)
        insider_key = exchange.own_signing_key(b)
        insider_public = signing.public_key(insider_key)
    with site.login("WS-C", ADMIN.username, ADMIN_PW) as c:
        crisis_public = exchange.own_public_key(c)
    forgeries = {
        # as 0.2 wrote them: no signature at all
        "unsigned.cxb": _unsigned(*_as_if_from(export, "WS-C", format=1, signer=None, signer_key=None), key),
        # signed with the insider's own key, saying so
        "own-key.cxb": _signed(
            *_as_if_from(
                export,
                "WS-C",
                signer=signing.fingerprint(insider_public),
                signer_key=signing.public_key_text(insider_public),
            ),
            key,
            insider_key,
        ),
        # signed with the insider's key, claiming WS-C's real key
        "claimed-key.cxb": _signed(
            *_as_if_from(
                export,
                "WS-C",
                signer=signing.fingerprint(crisis_public),
                signer_key=signing.public_key_text(crisis_public),
            ),
            key,
            insider_key,
        ),
    }
    for name, raw in forgeries.items():
        path = site.stick / name
        path.write_bytes(raw)
        result = site.deliver("WS-A", path)
        assert result.outcome is bundles.BundleOutcome.REFUSED, name
        assert result.error_fr and result.error_en and "WS-C" in result.error_fr, name
        _untouched(site, patient_id, stay_id)
        # remembered as refused: not opened again at the next look
        again = site.deliver("WS-A", path)
        assert again.outcome is bundles.BundleOutcome.REFUSED and again.error_fr is None
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a:
        refused = a.store.exchange.refused_bundles()
        assert {name for name, _, _ in refused} == set(forgeries)
        actions = [r.action for r in a.store.audit.audit_after(0, ("exchange.refused",))]
        assert len(actions) == len(forgeries)
    # WS-B's own bundle, signed by WS-B, is still accepted (and says it is WS-B's).
    result = site.deliver("WS-A", site.export("WS-B"))
    assert result.outcome is bundles.BundleOutcome.IMPORTED


def test_a_bundle_altered_after_signing_is_refused(site: Site) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity())
    good = site.export("WS-A")
    raw = good.read_bytes()
    header_end = raw.index(b"\n", len(bundles.MAGIC)) + 1
    bad_signature = site.stick / "signature.cxb"
    bad_signature.write_bytes(raw[:header_end] + bytes([raw[header_end] ^ 1]) + raw[header_end + 1 :])
    result = site.deliver("WS-B", bad_signature)
    assert result.outcome is bundles.BundleOutcome.REFUSED and "signature" in (result.error_fr or "").lower()
    assert site.deliver("WS-B", good).outcome is bundles.BundleOutcome.IMPORTED


def test_a_workstation_not_declared_is_refused_until_its_key_is(site: Site) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity())
    bundle = site.export("WS-A")
    # as on a workstation whose IT never declared WS-A
    with site.login("WS-B", ADMIN.username, ADMIN_PW) as b, b.store.transaction():
        b.store._write("DELETE FROM peer_keys WHERE workstation = 'WS-A'")
    result = site.deliver("WS-B", bundle)
    assert result.outcome is bundles.BundleOutcome.REFUSED
    assert "peer add" in (result.error_fr or "") and "WS-A" in (result.error_en or "")
    assert site.deliver("WS-B", bundle).error_fr is None  # remembered, not opened again
    # IT compares the fingerprint read on WS-A and declares it (the fingerprint alone is enough:
    # the bundle carries the key, accepted because its fingerprint is the one declared).
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a:
        fingerprint = signing.fingerprint(exchange.own_public_key(a))
    with site.login("WS-B", ADMIN.username, ADMIN_PW) as b:
        declared = exchange.declare_peer(b, "ws-a", fingerprint)
        assert (declared.fingerprint, declared.public_key) == (fingerprint, None)
    assert site.deliver("WS-B", bundle).outcome is bundles.BundleOutcome.IMPORTED


def test_declaring_a_peer_needs_it_to_be_another_workstation_of_the_site(site: Site) -> None:
    from continuity.errors import NotFound, PermissionDenied

    public = signing.public_key_text(signing.public_key(signing.new_private_key()))
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a:
        with pytest.raises(NotFound):
            exchange.declare_peer(a, "WS-Z", public)
        with pytest.raises(InvalidInput):
            exchange.declare_peer(a, "WS-A", public)
        with pytest.raises(InvalidInput):
            exchange.declare_peer(a, "WS-B", "pas une clé")
    with site.login("WS-A", CRISIS.username, CRISIS_PW) as a, pytest.raises(PermissionDenied):
        exchange.declare_peer(a, "WS-B", public)


def test_the_site_file_declares_the_other_workstations_keys(tmp_path: Path) -> None:
    """Provisioned with the others' public keys (or fingerprints) in the site file."""
    first = Workspace(tmp_path / "a")
    provision(first, parse_site(SITE_TOML), "WS-A", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    with first.unlock(ADMIN.username, ADMIN_PW) as a:
        public = exchange.own_public_key(a)
        key = exchange.new_key(a)
    text = SITE_TOML.replace(
        "block = [100000, 100999]", f'block = [100000, 100999]\nsigning_key = "{signing.fingerprint(public)}"'
    )
    second = Workspace(tmp_path / "b")
    provision(second, parse_site(text), "WS-B", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    with second.unlock(ADMIN.username, ADMIN_PW) as b:
        exchange.import_key(b, key)
        admin_user = User(username="crise", display_name="Cellule", role=Role.CRISIS_CELL)
        from continuity.services import admin

        admin.add_user(b, admin_user, CRISIS_PW)
        [peer] = exchange.peer_keys(b)
        assert (peer.workstation, peer.fingerprint) == ("WS-A", signing.fingerprint(public))
    with first.unlock(ADMIN.username, ADMIN_PW) as a:
        path = bundles.write_bundle(a, tmp_path / "stick", everything=True)
    assert path is not None
    with second.unlock("crise", CRISIS_PW) as b:
        assert bundles.import_file(b, path, grace=0).outcome is bundles.BundleOutcome.IMPORTED
    bad = SITE_TOML.replace("block = [100000, 100999]", 'block = [100000, 100999]\nsigning_key = "x"')
    with pytest.raises(InvalidInput, match=r"signature|signing"):
        parse_site(bad)


@pytest.fixture
def admin_cli(site: Site) -> Iterator[Site]:
    os.environ["CONTINUITY_PASSWORD"] = ADMIN_PW
    yield site
    del os.environ["CONTINUITY_PASSWORD"]


def test_cli_key_show_peer_add_and_list(admin_cli: Site, capsys: pytest.CaptureFixture[str]) -> None:
    from cli import main

    site = admin_cli
    folder_a, folder_b = str(site.spaces["WS-A"].folder), str(site.spaces["WS-B"].folder)
    assert main(["--data", folder_a, "exchange", "key", "show", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    with site.login("WS-A", ADMIN.username, ADMIN_PW) as a:
        public = exchange.own_public_key(a)
    assert signing.public_key_text(public) in out and signing.fingerprint(public) in out
    assert f"continuity exchange peer add WS-A {signing.public_key_text(public)}" in out  # ready to copy
    assert main(["--data", folder_b, "exchange", "peer", "add", "WS-A", signing.public_key_text(public),
                 "--user", "admin"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert signing.fingerprint(public) in out and "compar" in out
    assert main(["--data", folder_b, "exchange", "peer", "list", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "WS-A" in out and "WS-C" in out and signing.fingerprint(public) in out
    assert main(["--data", folder_b, "exchange", "peer", "list", "--json", "--user", "admin"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {p["workstation"] for p in listed["peers"]} == {"WS-A", "WS-C"}
    # a stolen workstation: its key is withdrawn, its bundles are refused from now on
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        patients.admit(a, "CARDIO", identity=identity())
    bundle = site.export("WS-A")
    assert main(["--data", folder_b, "exchange", "peer", "remove", "WS-A", "--user", "admin"]) == 0
    assert "refusés" in capsys.readouterr().out
    result = site.deliver("WS-B", bundle)
    assert result.outcome is bundles.BundleOutcome.REFUSED and "peer add" in (result.error_fr or "")
    assert main(["--data", folder_b, "exchange", "peer", "list", "--user", "admin"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if x.startswith("WS-A")]
    assert "non déclaré" in line
