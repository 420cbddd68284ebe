"""The Syncthing transport's settings: the site file's [exchange], the devices IT declares, the doctor."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from continuity import doctor
from continuity.domain.transport import PeerState, SyncthingState, device_id, luhn32
from continuity.errors import InvalidInput, NotFound, PermissionDenied
from continuity.provisioning import parse_site, provision
from continuity.services import exchange_peers
from continuity.session import Session, Workspace
from tests.conftest import ADMIN, ADMIN_PW, SITE_TOML, TEST_KDF
from tests.test_cli import Cli

# Device IDs Syncthing 1.19 generated (its own Luhn characters, not this module's).
REAL_A = "XXSTRI3-4HYQLU2-X5VJOR4-TU3OVNC-AC5NDNZ-JRTLPSK-SXJVBLJ-VABRTQW"
REAL_B = "N5S4BXC-EWE3X6N-WYMW47B-EPLWLEH-TIAK6T3-OJSDAA4-62CQG7P-ZTC2DQ4"

EXCHANGE = f"""
[exchange]
syncthing = true
listen = "tcp://10.99.0.11:22000"

[[exchange.peers]]
workstation = "ws-b"
device_id = "{REAL_B.lower().replace("-", "")}"
address = "tcp://10.99.0.12:22000"

[[exchange.peers]]
workstation = "WS-A"
device_id = "{REAL_A}"
address = "tcp://10.99.0.11:22000"
"""


def test_real_device_ids_pass_their_check_and_one_typo_fails_it() -> None:
    assert device_id(REAL_A.lower().replace("-", " ")) == REAL_A
    for position in (0, 20, 62):  # a letter of each kind of place: data, data, check character
        typo = REAL_A[:position] + ("A" if REAL_A[position] != "A" else "B") + REAL_A[position + 1 :]
        with pytest.raises(ValueError, match="check character"):
            device_id(typo)
    with pytest.raises(ValueError, match="invalid Syncthing device ID"):
        device_id(REAL_A[:-1])
    with pytest.raises(ValueError, match="invalid Syncthing device ID"):
        device_id(REAL_A.replace("X", "1", 1))  # 1 is not a base32 digit
    assert luhn32("XXSTRI34HYQLU") == "2"


def test_the_site_file_declares_the_transport_and_its_devices() -> None:
    site = parse_site(SITE_TOML + EXCHANGE)
    assert site.exchange.syncthing and site.exchange.listen == "tcp://10.99.0.11:22000"
    assert [(p.workstation, p.device_id) for p in site.exchange.peers] == [("WS-B", REAL_B), ("WS-A", REAL_A)]
    assert not parse_site(SITE_TOML).exchange.syncthing  # off unless the site says so


@pytest.mark.parametrize(
    ("text", "fr", "en"),
    [
        ('device_id = "{a}Q"\naddress = "tcp://h:1"', "identifiant d'appareil", "device ID"),
        ('device_id = "{b}"\naddress = "http://h:22000"', "adresse Syncthing invalide", "invalid Syncthing"),
        ('device_id = "{b}"\naddress = "tcp://10.0.0.300:22000"', "adresse Syncthing", "Syncthing address"),
        ('device_id = "{b}"\naddress = "tcp://h:70000"', "adresse Syncthing", "Syncthing address"),
        (
            'device_id = "{b}"\naddress = "tcp://h:1"\nworkstation = "WS-Z"',
            "poste WS-Z absent",
            "WS-Z not in",
        ),
        ('device_id = "{b}"\naddress = "tcp://h:1"\nname = "x"', "champ inconnu", "unknown field"),
    ],
)
def test_the_site_file_refuses_a_bad_device_in_both_languages(text: str, fr: str, en: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_site(SITE_TOML + "\n[[exchange.peers]]\n" + text.format(a=REAL_A, b=REAL_B))
    assert fr in caught.value.message_fr + str(caught.value.details)
    assert en in str(caught.value)


def test_a_device_declared_twice_in_the_site_file_is_refused() -> None:
    twice = f'\n[[exchange.peers]]\ndevice_id = "{REAL_B}"\naddress = "tcp://h:1"\n' * 2
    with pytest.raises(InvalidInput, match="declared twice"):
        parse_site(SITE_TOML + twice)


def test_provisioning_keeps_the_site_transport_and_it_skips_its_own_device(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws")
    provision(workspace, parse_site(SITE_TOML + EXCHANGE), "WS-A", ADMIN, ADMIN_PW, kdf=TEST_KDF)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        transport = exchange_peers.transport(session)
    assert transport.syncthing and transport.listen == "tcp://10.99.0.11:22000"
    assert transport.workstation == "WS-A" and transport.site_code
    from sync.syncthing import plan_for

    plan = plan_for(transport, tmp_path / "echange")
    assert [(d.name, d.device_id, d.address) for d in plan.devices] == [
        ("WS-B", REAL_B, "tcp://10.99.0.12:22000")
    ]


def test_it_declares_and_withdraws_devices_and_each_change_is_audited(admin_session: Session) -> None:
    assert not exchange_peers.transport(admin_session).syncthing
    peer = exchange_peers.add_device(admin_session, REAL_B.lower(), "tcp://[fd00::12]:22000", "ws-b")
    assert (peer.device_id, peer.workstation) == (REAL_B, "WS-B")
    again = exchange_peers.add_device(admin_session, REAL_B, "tcp://10.99.0.12:22001", "WS-B")
    assert exchange_peers.devices(admin_session) == (again,)  # replaced by its device ID
    exchange_peers.configure(admin_session, syncthing=True, listen="tcp://10.99.0.11:22000")
    assert exchange_peers.transport(admin_session).syncthing
    assert exchange_peers.remove_device(admin_session, REAL_B.replace("-", "")) == again
    assert exchange_peers.devices(admin_session) == ()
    actions = [r.action for r in admin_session.store.audit.audit_rows() if r.action.startswith("exchange.")]
    assert actions[-4:] == [
        "exchange.device_add",
        "exchange.device_add",
        "exchange.transport",
        "exchange.device_remove",
    ]
    with pytest.raises(NotFound):
        exchange_peers.remove_device(admin_session, REAL_B)
    with pytest.raises(NotFound, match="WS-Z"):
        exchange_peers.add_device(admin_session, REAL_B, "tcp://h:1", "WS-Z")
    with pytest.raises(InvalidInput, match="this very workstation"):
        exchange_peers.add_device(admin_session, REAL_B, "tcp://h:1", "WS-A")
    with pytest.raises(InvalidInput, match="Syncthing listen address"):
        exchange_peers.configure(admin_session, listen="10.99.0.11")
    with pytest.raises(InvalidInput, match="check character"):
        exchange_peers.remove_device(admin_session, REAL_B[:-1] + "A")


def test_only_it_declares_devices(nurse: Session, crisis: Session) -> None:
    for session in (nurse, crisis):
        with pytest.raises(PermissionDenied):
            exchange_peers.add_device(session, REAL_B, "tcp://h:1")
        with pytest.raises(PermissionDenied):
            exchange_peers.configure(session, syncthing=True)
    assert not exchange_peers.transport(nurse).syncthing  # the watch reads it as any user


def test_cli_device_add_list_config_remove(
    provisioned: tuple[Workspace, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = Cli(provisioned[0].folder, capsys, monkeypatch)
    admin = {"user": ADMIN.username, "password": ADMIN_PW}
    code, out, _ = run(
        "exchange", "device", "add", REAL_B, "tcp://10.99.0.12:22000", "--workstation", "WS-B", **admin
    )
    assert code == 0 and REAL_B in out
    code, out, _ = run(
        "exchange", "device", "config", "--syncthing", "on", "--listen", "tcp://0.0.0.0:22001", **admin
    )
    assert code == 0 and "tcp://0.0.0.0:22001" in out
    code, out, _ = run("exchange", "device", "list", "--json", **admin)
    listed = json.loads(out)
    assert listed["syncthing"] and listed["devices"][0]["device_id"] == REAL_B
    own = listed["this"]["device_id"]
    assert own is not None and device_id(own) == own  # its keys were made for it
    assert (provisioned[0].folder / "syncthing").stat().st_mode & 0o777 == 0o700
    code, _, err = run("exchange", "device", "add", REAL_B[:-1] + "A", "tcp://h:1", **admin)
    assert code != 0 and "check character" in err
    code, _, err = run("exchange", "device", "add", REAL_A, "tcp://h:1", user="ide", password="x" * 12)
    assert code != 0
    code, out, _ = run("exchange", "device", "remove", REAL_B, **admin)
    assert code == 0 and "withdrawn" in out


NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _levels(state: SyncthingState) -> list[tuple[str, doctor.Level]]:
    return [(c.name, c.level) for c in doctor.syncthing_checks(state, NOW)]


def test_the_doctor_on_syncthing_in_both_languages() -> None:
    assert _levels(SyncthingState(installed=False)) == [("syncthing", doctor.Level.WARN)]
    stopped = doctor.syncthing_checks(SyncthingState(installed=True, version="1.19.2"), NOW)
    assert stopped[0].level is doctor.Level.WARN
    assert "arrêté" in stopped[0].message_fr and "not running" in stopped[0].message_en
    up = PeerState(device_id=REAL_B, name="WS-B", connected=True, address="10.99.0.12:22000")
    down = PeerState(
        device_id=REAL_A, name="WS-C", connected=False, last_seen=NOW - timedelta(hours=2), need_items=3
    )
    state = SyncthingState(installed=True, version="1.19.2", running=True, device_id=REAL_A, peers=(up, down))
    checks = doctor.syncthing_checks(state, NOW)
    assert [(c.name, c.level) for c in checks] == [
        ("syncthing", doctor.Level.PASS),
        ("syncthing_peer", doctor.Level.PASS),
        ("syncthing_peer", doctor.Level.WARN),
    ]
    assert "WS-C non connecté (vu il y a 2 h" in checks[2].message_fr
    assert "3 file(s) waiting" in checks[2].message_en
    alone = SyncthingState(installed=True, version="1.19.2", running=True, device_id=REAL_A)
    assert _levels(alone)[-1] == ("syncthing_peers", doctor.Level.WARN)
