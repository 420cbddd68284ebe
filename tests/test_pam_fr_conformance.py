"""Each IHE PAM France 2.11 rule of issue 16, asserted over every message of a full outage.

The outage (tests/pam_scenario.py) is recorded on a real store and synchronised over MLLP to
the hl7apy STRICT peer, which validates each message and checks ZBE and ZFD against the PAM FR
tables; the rules below are then checked on what the peer received, read by hl7apy. The rules
and their sources: docs/conformance-pam-fr.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from continuity.session import Workspace
from sync import engine
from sync.hl7_adt import NATURES, parse_ack
from sync.mllp import MllpLink
from tests.conftest import ADMIN, ADMIN_PW
from tests.pam_scenario import DOMAINS, QUALIFIED_INS, UNVERIFIED_INS, record_outage
from tests.peers import hl7_fields
from tests.peers.hl7_his import Hl7His
from tests.sync_helpers import FAST

STAY_TRIGGERS = {"A01", "A02", "A03", "A08", "A11", "A12", "A13", "A21", "A22", "A52", "A53", "Z99"}


@pytest.fixture
def his() -> Iterator[Hl7His]:
    peer = Hl7His().start()
    yield peer
    peer.stop()


def fields_of(er7: str) -> dict[str, dict[str, Any]]:
    return {name: fields for name, fields in hl7_fields.read(er7)}


def value(reps: list[Any] | None, rep: int = 1, comp: int = 1, sub: int = 1) -> str:
    try:
        return str((reps or [])[rep - 1][comp - 1][sub - 1])
    except IndexError:
        return ""


@pytest.fixture
def received(workspace: Workspace, his: Hl7His) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    record_outage(workspace)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        report = engine.synchronise(session, his.url, options=FAST)
    assert (report.refused, report.remaining) == (0, 0)
    assert his.state.invalid == []
    out = [(a.trigger, fields_of(a.raw)) for a in his.state.applied]
    assert {t for t, _ in out} == STAY_TRIGGERS | {"A31"}
    return out


def test_every_message_of_the_outage_follows_pam_fr(
    received: list[tuple[str, dict[str, dict[str, Any]]]],
) -> None:
    for trigger, seg in received:
        msh, pid, pv1 = seg["MSH"], seg["PID"], seg["PV1"]
        where = f"{trigger}"
        # MSH-12: version 2.5, internationalization code FRA, PAM FR version
        assert msh["12"] == [[["2.5"], ["FRA"], ["2.11"]]], where
        # MSH-4 / MSH-6: the establishment's FINESS
        assert value(msh["4"]) == value(msh["6"]) == DOMAINS["finess"], where
        # PID-3: every identifier in an HD namespace&OID&ISO; the kit's IPP first (the HIS's for
        # the patient it knows: the qualified identity, which comes from the HIS only)
        for cx in pid["3"]:
            assert len(cx[3]) == 3 and cx[3][2] == "ISO", where
            assert value([cx], comp=5) in {"PI", "INS"}, where
        first = value(pid["3"], comp=4, sub=2)
        assert first == DOMAINS["provisional_ipp_oid"] or (
            first == DOMAINS["ipp_oid"] and QUALIFIED_INS in str(seg)
        )
        # an INS only with QUAL (type INS, authority INS-NIR), never an unverified one
        kinds = [value([cx], comp=5) for cx in pid["3"]]
        reliability = value(pid.get("32"))
        assert reliability in {"PROV", "RECUP", "VALI", "QUAL"}, where
        assert ("INS" in kinds) == (reliability == "QUAL"), where
        for cx in pid["3"]:
            if value([cx], comp=5) == "INS":
                assert cx[0] == [QUALIFIED_INS], where
                assert cx[3] == ["ASIP-SANTE-INS-NIR", "1.2.250.1.213.1.4.8", "ISO"], where
        assert UNVERIFIED_INS not in str(seg), where
        # PID-5: L first, birth first name list in component 3 beginning with component 2
        birth = pid["5"][0]
        assert value([birth], comp=7) == "L", where
        assert value([birth], comp=3).split(" ")[0] == value([birth], comp=2), where
        # PID-8: F, M or U
        assert value(pid["8"]) in {"F", "M", "U"}, where
        # PID-11 BDL: the INSEE code in XAD-9; PID-23 never a code
        for address in pid.get("11", []):
            if value([address], comp=7) == "BDL":
                assert len(value([address], comp=9)) == 5, where
        assert not value(pid.get("23")).isdigit(), where
        # PV1-2 and the NDA
        if trigger in STAY_TRIGGERS:
            assert value(pv1["2"]) in {"I", "E"}, where
            assert pid["18"] == pv1["19"], where
            assert value(pid["18"], comp=5) == "AN", where
            assert value(pid["18"], comp=4, sub=2) == DOMAINS["provisional_nda_oid"], where
        else:
            assert value(pv1["2"]) == "N" and "18" not in pid, where
        # ZBE-7/8 (XON of a UF) and ZBE-9 (nature) on every movement
        if trigger not in {"A08", "A31"}:
            zbe = seg["ZBE"]
            # ZBE-4: UPDATE exactly on Z99 (section 6.13.4); ZBE-6 the trigger that inserted the
            # movement updated or cancelled, only then (section 6.13.6)
            action = value(zbe["4"])
            assert action == ("UPDATE" if trigger == "Z99" else action) and action in {
                "INSERT",
                "CANCEL",
                "UPDATE",
            }, where
            assert (action == "INSERT") == ("6" not in zbe), where
            for number in ("7", "8"):
                assert value(zbe[number], comp=7) == "UF" and value(zbe[number], comp=10), where
            assert value(zbe["9"]) in NATURES, where
            assert value(zbe["1"], comp=3) == DOMAINS["movement_oid"], where
            assert value(zbe["1"], comp=4) == "ISO", where
        else:
            assert "ZBE" not in seg, where
        # ZFD: how the identity was collected, for the patients whose collection is recorded
        if "ZFD" in seg:
            zfd = seg["ZFD"]
            assert value(zfd["5"]) in {"SM", "CV", "INSI", "CB", "RFID"}, where
            assert value(zfd["7"]) in {"CN", "PA"}, where
            assert ("6" in zfd) == (value(zfd["5"]) == "INSI"), where


def test_birth_place_and_zfd_of_the_scenario(received: list[tuple[str, dict[str, dict[str, Any]]]]) -> None:
    first = received[0][1]["PID"]
    assert first["11"] == [[[], [], ["PARIS"], [], [], [], ["BDL"], [], ["75056"]]]
    assert first["23"] == [[["PARIS"]]]
    zfds = [(t, s["ZFD"]) for t, s in received if "ZFD" in s]
    assert [t for t, _ in zfds] == ["A01", "A11", "A01"]  # the qualified patient, the validated one
    assert zfds[0][1] == {"5": [[["INSI"]]], "6": [[["20261130"]]], "7": [[["CN"]]]}
    assert zfds[2][1] == {"5": [[["CV"]]], "7": [[["PA"]]]}
    # an unknown patient of sex « indéterminé » goes out U (FHIR: unknown)
    unknown = [value(s["PID"]["8"]) for t, s in received if "INCONNU" in value(s["PID"]["5"])]
    assert unknown == ["U"]


def test_natures_follow_the_movements(received: list[tuple[str, dict[str, dict[str, Any]]]]) -> None:
    natures = [(t, value(s["ZBE"]["9"])) for t, s in received if "ZBE" in s]
    assert natures == [
        ("A01", "HMS"),
        ("A02", "L"),
        ("Z99", "L"),  # the bed of that transfer corrected: still a change of bed
        ("A02", "HMS"),
        ("A12", "HMS"),
        ("A21", "HMS"),
        ("A52", "HMS"),
        ("A21", "HMS"),
        ("A22", "HMS"),
        ("A53", "HMS"),
        ("A03", "HMS"),
        ("A13", "HMS"),
        ("A03", "HMS"),
        ("A01", "HMS"),
        ("A01", "HMS"),
        ("A11", "HMS"),
        ("A01", "HMS"),
        ("A01", "HMS"),
    ]


@pytest.mark.parametrize(
    ("zbe", "zfd", "problem"),
    [
        ("ZBE|m1^A|20260101120000||INSERT|N||^^^^^^UF^^^CARDIO|^^^^^^UF^^^CARDIO|X", "", "ZBE-9"),
        ("ZBE|m1^A|20260101120000||INSERT|N||^^^^^^^^^CARDIO", "", "ZBE-7"),
        ("ZBE|m1^A|20260101120000||MOVE|N", "", "ZBE-4"),
        ("ZBE|m1^A|20260101120000||INSERT|N", "ZFD|||||XX", "ZFD-5"),
        ("ZBE|m1^A|20260101120000||INSERT|N", "ZFD||||||2026|CN", "ZFD-6"),
        ("ZBE|m1^A|20260101120000||INSERT|N", "ZFD|||||INSI|20260101|ZZ", "ZFD-7"),
    ],
)
def test_the_peer_checks_zbe_and_zfd(his: Hl7His, zbe: str, zfd: str, problem: str) -> None:
    link = MllpLink("127.0.0.1", his.port, timeout=2)
    text = (
        "MSH|^~\\&|X|Y|DPI|CH|20260101120000||ADT^A01^ADT_A01|CTRL1|P|2.5^FRA^2.11\r"
        "EVN||20260101120000\rPID|||123^^^A^PI||NOM^PRENOM^PRENOM^^^^L\rPV1||I\r"
        f"{zbe}\r" + (f"{zfd}\r" if zfd else "")
    )
    try:
        raw = link.exchange(text.encode())
    finally:
        link.close()
    assert parse_ack(raw.decode(), "CTRL1").code.value == "AR"
    assert his.state.applied == [] and his.state.invalid[0].startswith(problem)
