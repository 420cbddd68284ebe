"""The ``continuity`` command line, run in-process and once as the installed script."""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cli as cli_package
from cli import main, root
from tests.conftest import ADMIN_PW, CRISIS_PW, NURSE_PW, SITE_TOML


class Cli:
    def __init__(self, data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.data, self.capsys, self.monkeypatch = data, capsys, monkeypatch

    def __call__(
        self,
        *args: str,
        user: str | None = None,
        password: str | None = None,
        new_password: str | None = None,
    ) -> tuple[int, str, str]:
        for var, value in (
            ("CONTINUITY_USER", user),
            ("CONTINUITY_PASSWORD", password),
            ("CONTINUITY_NEW_PASSWORD", new_password),
        ):
            if value is None:
                self.monkeypatch.delenv(var, raising=False)
            else:
                self.monkeypatch.setenv(var, value)
        code = main(["--data", str(self.data), *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def nurse(self, *args: str) -> tuple[int, str, str]:
        return self(*args, user="ide", password=NURSE_PW)

    def crisis(self, *args: str) -> tuple[int, str, str]:
        return self(*args, user="crise", password=CRISIS_PW)


@pytest.fixture
def cli(
    provisioned: tuple[object, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    workspace = provisioned[0]
    return Cli(workspace.folder, capsys, monkeypatch)  # type: ignore[attr-defined]


def test_init_from_site_file_prints_recovery_key_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site.toml"
    site.write_text(SITE_TOML, encoding="utf-8")
    run = Cli(tmp_path / "ws", capsys, monkeypatch)
    code, out, _ = run(
        "init",
        "--site",
        str(site),
        "--workstation",
        "ws-b",
        "--admin",
        "chef",
        new_password="chef-password-1",
    )
    assert code == 0 and "CLÉ DE SECOURS" in out
    key = out.splitlines()[1].strip()
    code, out, _ = run("user", "list", "--json", user="chef", password="chef-password-1")
    assert code == 0 and json.loads(out)[0]["username"] == "chef"
    code, _, err = run(
        "init", "--site", str(site), "--workstation", "WS-B", "--admin", "x", new_password="chef-password-1"
    )
    assert code == 6 and "déjà un magasin" in err
    monkeypatch.setenv("CONTINUITY_RECOVERY_KEY", key)
    code, _, _ = run("user", "passwd", "chef", "--recovery", new_password="chef-password-2")
    assert code == 0
    assert run("user", "list", user="chef", password="chef-password-2")[0] == 0


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("not = [toml", "illisible"),
        (SITE_TOML.replace("block = [101000, 101999]", "block = [100500, 101999]"), "chevauchent"),
        (SITE_TOML.replace('code = "PNEUMO"', 'code = "CARDIO"'), "code en double"),
        (SITE_TOML.replace('code = "PNEUMO"', 'code = "pn eu"'), "code invalide"),
    ],
)
def test_bad_site_files(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    fragment: str,
) -> None:
    site = tmp_path / "site.toml"
    site.write_text(content, encoding="utf-8")
    run = Cli(tmp_path / "ws", capsys, monkeypatch)
    code, _, err = run(
        "init",
        "--site",
        str(site),
        "--workstation",
        "WS-A",
        "--admin",
        "chef",
        new_password="chef-password-1",
    )
    assert code == 2 and fragment in err
    assert not (tmp_path / "ws").exists()


def test_admit_move_discharge_cycle(cli: Cli) -> None:
    code, out, _ = cli.nurse(
        "admit",
        "--uf",
        "CARDIO",
        "--bed",
        "1A",
        "--birth-name",
        "Lefèvre",
        "--first-names",
        "Jeanne, Marie",
        "--birth-date",
        "12/03/1950",
        "--sex",
        "F",
        "--json",
    )
    assert code == 0
    admitted = json.loads(out)
    ipp = admitted["patient"]["provisional_ipp"]
    assert admitted["stay"]["bed_code"] == "1A"
    code, out, _ = cli.nurse("search", "lefevre", "--json")
    assert [s["patient"]["provisional_ipp"] for s in json.loads(out)] == [ipp]
    assert cli.nurse("transfer", ipp, "--uf", "CARDIO", "--bed", "2A")[0] == 0
    assert cli.nurse("leave", ipp)[0] == 0
    assert cli.nurse("return", ipp)[0] == 0
    code, out, _ = cli.crisis("census", "--uf", "CARDIO", "--json")
    beds = {b["bed_code"]: b["occupant"] for b in json.loads(out)[0]["beds"]}
    assert beds["2A"]["patient"]["provisional_ipp"] == ipp and beds["1A"] is None
    code, out, _ = cli.crisis("census")
    assert "LEFÈVRE Jeanne" in out and "— libre —" in out
    assert cli.nurse("cancel", ipp)[0] == 0  # cancels the return
    assert cli.nurse("return", ipp)[0] == 0
    assert cli.nurse("discharge", ipp, "--mode", "transfer", "--destination", "smr")[0] == 0
    code, _, err = cli.nurse("discharge", ipp, "--mode", "home")
    assert code == 6 and "pas de séjour en cours" in err
    other = ["--uf", "CARDIO", "--bed", "2A", "--birth-name", "Martin", "--first-names", "Paul"]
    assert cli.nurse("admit", *other, "--birth-date", "01/02/1960", "--sex", "M")[0] == 0
    code, _, err = cli.nurse("cancel", ipp, "--reason", "sortie saisie par erreur")  # the discharge
    assert code == 6 and "2A est occupé" in err and "--bed" in err
    code, out, _ = cli.nurse("cancel", ipp, "--bed", "1B", "--reason", "sortie saisie par erreur")
    assert code == 0 and "present CARDIO/1B" in out


def test_bad_admissions_write_nothing(cli: Cli) -> None:
    base = ["admit", "--uf", "CARDIO", "--birth-name", "Martin", "--first-names", "Paul", "--sex", "M"]
    cases = [
        ([*base, "--birth-date", "31/02/1970"], 2, "Le 31/02/1970 n'existe pas"),
        ([*base, "--birth-date", "01/01/2190"], 2, "futur"),
        (
            ["admit", "--uf", "CARDIO", "--birth-name", "Martin", "--sex", "M", "--birth-date", "01/01/1970"],
            2,
            "prénoms de naissance : au moins 1",
        ),
        ([*base, "--birth-date", "01/01/1970", "--bed", "ZZ"], 5, "Lit ZZ inconnu"),
        ([*base, "--birth-date", "01/01/1970", "--uf", "XX"], 5, "UF inconnue"),
        ([*base, "--birth-date", "01/01/1970", "--uf", "PNEUMO"], 4, "non autorisée"),
        ([*base, "--birth-date", "01/01/1970", "--at", "hier"], 2, "Date et heure invalides"),
        (["admit", "--uf", "CARDIO", "--unknown"], 2, "--estimated-birth-year"),
    ]
    for args, expected, fragment in cases:
        code, out, err = cli.nurse(*args)
        assert (code, fragment in err) == (expected, True), (args, err)
        assert "Traceback" not in err
    code, out, _ = cli.crisis("search", "martin", "--json")
    assert json.loads(out) == []


def test_duplicate_warning_on_the_cli(cli: Cli) -> None:
    args = [
        "admit",
        "--uf",
        "CARDIO",
        "--birth-name",
        "Martin",
        "--first-names",
        "Paul",
        "--sex",
        "M",
        "--birth-date",
        "01/01/1970",
    ]
    assert cli.nurse(*args)[0] == 0
    code, _, err = cli.nurse(*args)
    assert code == 7 and "MARTIN Paul" in err and "--confirm-not-duplicate" in err
    assert cli.nurse(*args, "--confirm-not-duplicate", "")[0] == 2  # a reason is required
    assert cli.nurse(*args, "--confirm-not-duplicate", "carte vitale et date vérifiées")[0] == 0


def test_unknown_patient_and_wrong_check_digit(cli: Cli) -> None:
    code, out, _ = cli.nurse(
        "admit", "--uf", "CARDIO", "--unknown", "--sex", "F", "--estimated-birth-year", "1960", "--json"
    )
    ipp = json.loads(out)["patient"]["provisional_ipp"]
    bad = ipp[:-1] + str((int(ipp[-1]) + 3) % 10)
    code, _, err = cli.nurse("transfer", bad, "--uf", "CARDIO", "--bed", "1B")
    assert code == 2 and "chiffre de contrôle" in err
    code, out, _ = cli.crisis("search", ipp)
    assert "IDENTITÉ D'ATTENTE" in out


def test_crisis_commands(cli: Cli) -> None:
    assert cli.crisis("status", "set", "labo", "degraded", "--note", "SIL arrêté")[0] == 0
    code, out, _ = cli.crisis("status", "show", "--json")
    labo = next(s for s in json.loads(out) if s["code"] == "LABO")
    assert labo["status"] == "degraded" and labo["changed_by"] == "crise"
    code, _, _err = cli.nurse("status", "set", "LABO", "normal")
    assert code == 4
    assert cli.crisis("log", "add", "Plan", "blanc", "déclenché", "--category", "decision")[0] == 0
    code, out, _ = cli.crisis("log", "show")
    assert "Plan blanc déclenché" in out
    code, out, _ = cli.crisis("log", "show", "--json", "--category", "decision")
    assert json.loads(out)[0]["text"] == "Plan blanc déclenché"


def test_users_and_authentication(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, _ = cli(
        "user",
        "add",
        "interne",
        "--role",
        "ward_staff",
        "--uf",
        "pneumo",
        user="admin",
        password=ADMIN_PW,
        new_password="interne-pass",
    )
    assert code == 0
    code, _, err = cli(
        "user",
        "add",
        "bad user",
        "--role",
        "ward_staff",
        user="admin",
        password=ADMIN_PW,
        new_password="interne-pass",
    )
    assert code == 2 and "identifiant invalide" in err
    code, _, err = cli(
        "user",
        "add",
        "x2",
        "--role",
        "ward_staff",
        user="admin",
        password=ADMIN_PW,
        new_password="interne-pass",
    )
    assert code == 2 and "au moins une UF" in err
    code, _, err = cli("census", user="ide", password="wrong-password")
    assert code == 3 and "mot de passe incorrect" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("interne-pass\n"))
    code, out, _ = cli("census", "--json", "--user", "interne", "--password-stdin")
    assert code == 0 and json.loads(out)[0]["uf_code"] == "PNEUMO"
    assert cli("user", "remove", "interne", user="admin", password=ADMIN_PW)[0] == 0
    code, out, _ = cli("user", "list", user="admin", password=ADMIN_PW)
    assert "interne" in out and "désactivé" in out
    assert cli("recovery-key", user="admin", password=ADMIN_PW)[0] == 0


def test_installed_script_runs_demo_and_census(tmp_path: Path) -> None:
    script = shutil.which("continuity", path=str(Path(sys.executable).parent))
    assert script is not None
    env = {"CONTINUITY_HOME": str(tmp_path / "demo"), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [script, "demo", "--patients", "10"], env=env, capture_output=True, text=True, check=True
    )
    assert "RECOVERY KEY" in done.stdout
    again = subprocess.run(
        [script, "demo", "--if-missing"], env=env, capture_output=True, text=True, check=True
    )
    assert "déjà présent" in again.stdout
    census = subprocess.run(
        [script, "census", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "CONTINUITY_USER": "crise", "CONTINUITY_PASSWORD": "demo-crise-2026"},
    )
    ufs = json.loads(census.stdout)
    assert [u["uf_code"] for u in ufs] == ["URG", "MED", "CHIR"]
    assert sum(1 for u in ufs for b in u["beds"] if b["occupant"]) == 10
    queue = subprocess.run(  # the demo's identity-vigilance cell opens its review queue
        [script, "civ", "queue", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "CONTINUITY_USER": "civ", "CONTINUITY_PASSWORD": "demo-civ-2026"},
    )
    assert "counts" in json.loads(queue.stdout)


def test_unexpected_errors_never_print_patient_data(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from continuity.services import patients

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("row LEFÈVRE Jeanne 9001000540")

    monkeypatch.setattr(patients, "census", broken)
    code, out, err = cli.crisis("census")
    assert code == 1 and "RuntimeError" in err and "Traceback" not in err
    assert "LEFÈVRE" not in err + out and "9001000540" not in err + out


# Every top-level command, in the order ``continuity --help`` lists them.
COMMANDS = [
    "init",
    "demo",
    "user",
    "recovery-key",
    "admit",
    "transfer",
    "leave",
    "return",
    "discharge",
    "cancel",
    "movements",
    "correct-movement",
    "census",
    "search",
    "status",
    "log",
    "instruction",
    "civ",
    "audit",
    "doctor",
    "backup",
    "upgrade",
    "keys",
    "exercise",
    "forms",
    "sync",
    "watch",
    "snapshot",
    "exchange",
]


def test_installed_script_help_lists_every_command_group() -> None:
    script = shutil.which("continuity", path=str(Path(sys.executable).parent))
    assert script is not None
    done = subprocess.run(
        [script, "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": str(Path(sys.executable).parent), "COLUMNS": "200"},
    )
    listed = [
        line.split()[0]
        for line in done.stdout.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert listed == COMMANDS


def test_python_m_cli_prints_the_version() -> None:
    from continuity import __version__

    done = subprocess.run(
        [sys.executable, "-m", "cli", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == f"continuity {__version__}"


def test_every_command_group_is_registered() -> None:
    """A ``cli`` module with a ``register`` function is one of the groups the parser is built from."""
    with_register = set()
    for info in pkgutil.iter_modules(cli_package.__path__):
        if info.name == "__main__":  # running it is running the command
            continue
        module = importlib.import_module(f"cli.{info.name}")
        if callable(getattr(module, "register", None)):
            with_register.add(module.__name__)
    assert with_register == {group.__name__ for group in root.GROUPS}


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """``continuity … | head``: no "internal error" for a closed pipe, and the SIGPIPE exit code."""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "--data", str(tmp_path / "data"), "doctor"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command writes anything
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""


def test_a_printed_document_saved_from_the_command_line_is_owner_only(cli: Cli, tmp_path: Path) -> None:
    """The census PDF names patients in clear: it is created for its owner only (docs/security.md)."""
    import stat

    out = tmp_path / "recensement.pdf"
    code, _, err = cli("forms", "census", "-o", str(out), user="ide", password=NURSE_PW)
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF") and stat.S_IMODE(out.stat().st_mode) == 0o600
    out.chmod(0o644)
    code, _, err = cli("forms", "census", "-o", str(out), "--force", user="ide", password=NURSE_PW)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
