"""``continuity admit`` and the RNIV: validation on a document, the attributes, the INS Datamatrix."""

from __future__ import annotations

import json

from tests.conftest import NURSE
from tests.test_cli import Cli, cli  # noqa: F401 - the fixture
from tests.test_ins_datamatrix import INS, code

BASE = ["admit", "--uf", "CARDIO", "--birth-name", "Lefèvre", "--first-names", "Jeanne", "--sex", "F"]


def test_validation_on_a_document_checked_by_the_user(cli: Cli) -> None:  # noqa: F811
    args = [*BASE, "--birth-date", "12/03/1950", "--identity-status", "validee"]
    status, _, err = cli.nurse(*args)
    assert status == 2 and "pièce d'identité à haut niveau de confiance" in err
    status, _, err = cli.nurse(*args, "--document-type", "CN", "--document-expires-on", "01/01/2001")
    assert status == 2 and "expiré" in err
    status, out, _ = cli.nurse(
        *args, "--document-type", "CN", "--document-expires-on", "01/01/2099", "--json"
    )
    assert status == 0
    identity = json.loads(out)["patient"]["identity"]
    assert identity["validated_by"] == NURSE.display_name and identity["document_expires_on"] == "2099-01-01"


def test_no_qualified_identity_offline_and_the_attributes(cli: Cli) -> None:  # noqa: F811
    born = ["--birth-date", "12/03/1950"]
    status, _, err = cli.nurse(*BASE, *born, "--ins", INS, "--identity-status", "qualifiee")
    assert status == 2 and "qualifiée hors ligne" in err
    status, _, err = cli.nurse(*BASE, *born, "--doubtful", "--fictitious")
    assert status == 2 and "douteuse et fictive" in err
    status, out, _ = cli.nurse(*BASE, *born, "--doubtful", "--json")
    assert status == 0 and json.loads(out)["patient"]["identity"]["doubtful"] is True


def test_admit_from_an_ins_datamatrix(cli: Cli) -> None:  # noqa: F811
    status, out, _ = cli.nurse(
        "admit", "--uf", "CARDIO", "--datamatrix", code(), "--used-name", "Martin", "--json"
    )
    assert status == 0, out
    identity = json.loads(out)["patient"]["identity"]
    assert identity["birth_name"] == "LEFEVRE" and identity["first_names"] == ["JEANNE", "MARIE"]
    assert identity["ins_unverified"] == INS and identity.get("ins") is None
    assert identity["collection_mode"] == "CB" and identity["used_name"] == "MARTIN"
    status, _, err = cli.nurse("admit", "--uf", "CARDIO", "--datamatrix", code(), "--birth-name", "Autre")
    assert status == 2 and "--datamatrix" in err
    status, _, err = cli.nurse("admit", "--uf", "CARDIO", "--datamatrix", code(sex="M"))
    assert status == 2 and "Datamatrix" in err and "LEFEVRE" not in err


def test_census_and_search_say_a_doubtful_identity(cli: Cli) -> None:  # noqa: F811
    assert cli.nurse(*BASE, "--birth-date", "12/03/1950", "--doubtful", "--bed", "1A")[0] == 0
    status, out, _ = cli.nurse("search", "lefevre")
    assert status == 0 and "[IDENTITÉ DOUTEUSE]" in out and "provisoire" in out
    status, out, _ = cli.nurse("census", "--uf", "CARDIO")
    assert status == 0 and "[IDENTITÉ DOUTEUSE]" in out
