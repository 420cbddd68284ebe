"""``continuity doctor``: would the kit on this workstation work today? pass / warn / fail.

Checks that need no key run always: versions, the SQLCipher build and that it
really encrypts, the GUI toolkit, fonts, printing, free disk, the clock, the data
folder. Checks of the store itself (integrity, newest HIS snapshot, sync backlog,
provisional numbers left) run when a user unlocks it; otherwise the last state
the application recorded (``maintenance.Health``) is reported with its age.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from continuity import __version__, keyslots, maintenance, rekey
from continuity.dates import age_text
from continuity.domain.transport import SyncthingState
from continuity.errors import ContinuityError
from continuity.folders import copy_folders
from continuity.schema import LATEST_VERSION
from continuity.services import his_index, sync_state, witnesses
from continuity.session import Session, Workspace
from continuity.store import Store

MIN_FREE_BYTES = 200 * 1024 * 1024
LOW_FREE_BYTES = 2 * 1024 * 1024 * 1024
NUMBERS_LOW_SHARE = 0.10
CLOCK_TOLERANCE = timedelta(minutes=10)
STALE_HEALTH = timedelta(days=7)


class Level(StrEnum):
    PASS = "pass"  # noqa: S105 - a check's outcome, not a password
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


class Check(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    level: Level
    message_fr: str
    message_en: str


class Report(BaseModel):
    model_config = ConfigDict(frozen=True)
    at: datetime
    kit_version: str
    data_folder: str
    checks: list[Check]

    @property
    def worst(self) -> Level:
        levels = {c.level for c in self.checks}
        for level in (Level.FAIL, Level.WARN):
            if level in levels:
                return level
        return Level.PASS


def _check(name: str, level: Level, fr: str, en: str | None = None) -> Check:
    return Check(name=name, level=level, message_fr=fr, message_en=en or fr)


def run(
    workspace: Workspace,
    now: datetime,
    session: Session | None = None,
    open_error: tuple[str, str] | None = None,
    syncthing: SyncthingState | None = None,
) -> Report:
    """``open_error``: the store could not be opened with the credentials given (why).
    ``syncthing``: the kit's Syncthing as probed by the caller (``sync.syncthing.probe``, composed
    by the CLI: the core does not reach it), where the site carries the exchange folder with it."""
    checks: list[Check] = []
    for probe in (_versions, _sqlcipher, _gui_toolkit, _fonts, _printing):
        checks.append(probe())
    checks += [_disk(workspace.folder), _clock(workspace, now), _folder(workspace), _store_file(workspace)]
    checks.append(_keys(workspace, session))
    if open_error is not None:
        checks.append(_check("store_open", Level.FAIL, *open_error))
    else:
        try:
            checks += _store_checks(workspace, now, session)
        except Exception as exc:  # a damaged store is a finding, not a crash of the doctor
            checks.append(
                _check(
                    "store_open",
                    Level.FAIL,
                    f"Base illisible ({type(exc).__name__}) : restaurez la dernière sauvegarde.",
                    f"Database unreadable ({type(exc).__name__}): restore the latest backup.",
                )
            )
    if syncthing is not None:
        checks += syncthing_checks(syncthing, now)
    return Report(at=now, kit_version=__version__, data_folder=str(workspace.folder), checks=checks)


def syncthing_checks(state: SyncthingState, now: datetime) -> list[Check]:
    """Installed, version, running; then each declared device: connected, last seen, waiting."""
    usb = (
        " Le dossier d'échange reste utilisable à la main (clé USB).",
        " The exchange folder can still be carried by hand (USB stick).",
    )
    if not state.installed:
        return [
            _check(
                "syncthing",
                Level.WARN,
                "Syncthing absent de ce poste alors que le site l'utilise : installez le paquet "
                "syncthing (installer/system-deps.sh)." + usb[0],
                "Syncthing is not installed on this workstation though the site uses it: install the "
                "syncthing package (installer/system-deps.sh)." + usb[1],
            )
        ]
    if not state.running:
        return [
            _check(
                "syncthing",
                Level.WARN,
                f"Syncthing {state.version} installé mais arrêté : il tourne avec la surveillance "
                "(l'application ou « continuity watch »)." + usb[0],
                f"Syncthing {state.version} installed but not running: it runs with the watch "
                "(the application or 'continuity watch')." + usb[1],
            )
        ]
    if state.error is not None:
        return [
            _check(
                "syncthing",
                Level.WARN,
                f"Syncthing {state.version} en marche mais muet ({state.error}).",
                f"Syncthing {state.version} running but not answering ({state.error}).",
            )
        ]
    checks = [
        _check(
            "syncthing",
            Level.PASS,
            f"Syncthing {state.version} en marche, appareil {state.device_id}.",
            f"Syncthing {state.version} running, device {state.device_id}.",
        )
    ]
    if not state.peers:
        checks.append(
            _check(
                "syncthing_peers",
                Level.WARN,
                "Aucun appareil déclaré : rien n'est porté (continuity exchange device add).",
                "No device declared: nothing is carried (continuity exchange device add).",
            )
        )
    for peer in state.peers:
        seen_fr = f"vu il y a {age_text(now - peer.last_seen)}" if peer.last_seen is not None else "jamais vu"
        seen_en = f"seen {age_text(now - peer.last_seen)} ago" if peer.last_seen is not None else "never seen"
        waiting_fr = f", {peer.need_items} fichier(s) en attente" if peer.need_items else ""
        waiting_en = f", {peer.need_items} file(s) waiting" if peer.need_items else ""
        if peer.connected:
            checks.append(
                _check(
                    "syncthing_peer",
                    Level.PASS,
                    f"{peer.name} connecté ({peer.address}){waiting_fr}.",
                    f"{peer.name} connected ({peer.address}){waiting_en}.",
                )
            )
        else:
            checks.append(
                _check(
                    "syncthing_peer",
                    Level.WARN,
                    f"{peer.name} non connecté ({seen_fr}){waiting_fr} : poste éteint ou réseau de crise "
                    "coupé ?",
                    f"{peer.name} not connected ({seen_en}){waiting_en}: workstation off or crisis "
                    "network down?",
                )
            )
    return checks


def _versions() -> Check:
    ok = sys.version_info >= (3, 11)
    text = f"kit {__version__}, Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    return _check("versions", Level.PASS if ok else Level.FAIL, text)


def _sqlcipher() -> Check:
    try:
        version, encrypted = Store.encryption_probe()
    except Exception as exc:  # a broken build must be reported, not crash the doctor
        return _check(
            "sqlcipher",
            Level.FAIL,
            f"SQLCipher inutilisable ({type(exc).__name__}).",
            f"SQLCipher unusable ({type(exc).__name__}).",
        )
    if not encrypted:
        return _check(
            "sqlcipher",
            Level.FAIL,
            f"SQLCipher {version} présent mais le fichier écrit n'est PAS chiffré.",
            f"SQLCipher {version} present but the file written is NOT encrypted.",
        )
    return _check(
        "sqlcipher",
        Level.PASS,
        f"SQLCipher {version} : un fichier écrit est illisible sans la clé.",
        f"SQLCipher {version}: a file written cannot be read without the key.",
    )


def _gui_toolkit() -> Check:
    if importlib.util.find_spec("PySide6") is None:
        return _check(
            "qt",
            Level.FAIL,
            "PySide6 (Qt) absent : l'application ne démarrera pas.",
            "PySide6 (Qt) missing: the application will not start.",
        )
    version = importlib.metadata.version("PySide6")
    return _check("qt", Level.PASS, f"PySide6 {version}")


def _fonts() -> Check:
    spec = importlib.util.find_spec("reportlab")
    folder = Path(spec.origin).parent / "fonts" if spec and spec.origin else None
    needed = ["Vera.ttf", "VeraBd.ttf"]
    if folder is None or not all((folder / f).is_file() for f in needed):
        return _check(
            "fonts",
            Level.FAIL,
            "Polices des documents imprimés absentes (reportlab).",
            "Fonts of printed documents missing (reportlab).",
        )
    if platform.system() == "Linux" and not any(
        Path(d).is_dir() and any(Path(d).rglob("*.tt*"))
        for d in ("/usr/share/fonts", "/usr/local/share/fonts")
    ):
        return _check(
            "fonts",
            Level.WARN,
            "Documents : polices présentes ; écran : aucune police système (installez fonts-dejavu).",
            "Documents: fonts present; screen: no system font (install fonts-dejavu).",
        )
    return _check(
        "fonts",
        Level.PASS,
        "Polices des documents et de l'écran présentes.",
        "Fonts for documents and screen present.",
    )


def _printing() -> Check:
    if platform.system() == "Windows":
        return _check(
            "printing",
            Level.SKIP,
            "Imprimantes Windows : vérifiez-les depuis l'application (Imprimer).",
            "Windows printers: check them from the application (Print).",
        )
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return _check(
            "printing",
            Level.WARN,
            "Aucun système d'impression (CUPS) : documents en PDF seulement.",
            "No printing system (CUPS): documents as PDF only.",
        )
    try:
        out = subprocess.run([lpstat, "-a"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    printers = [line.split()[0] for line in out.splitlines() if line.strip()]
    if not printers:
        return _check(
            "printing",
            Level.WARN,
            "CUPS présent mais aucune imprimante déclarée.",
            "CUPS present but no printer set up.",
        )
    return _check(
        "printing",
        Level.PASS,
        f"Imprimante(s) : {', '.join(printers[:5])}",
        f"Printer(s): {', '.join(printers[:5])}",
    )


def _disk(folder: Path) -> Check:
    probe = folder if folder.exists() else folder.parent
    while not probe.exists():
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    text_fr, text_en = f"{free / 1e9:.1f} Go libres", f"{free / 1e9:.1f} GB free"
    if free < MIN_FREE_BYTES:
        return _check(
            "disk", Level.FAIL, text_fr + " : trop peu pour travailler.", text_en + ": too little to work."
        )
    if free < LOW_FREE_BYTES:
        return _check("disk", Level.WARN, text_fr + " : à surveiller.", text_en + ": watch it.")
    return _check("disk", Level.PASS, text_fr, text_en)


def _clock(workspace: Workspace, now: datetime) -> Check:
    """The clock must not be behind the last write (times order the records and the merges)."""
    last = max((p.stat().st_mtime for p in workspace.folder.glob("continuity.db*")), default=None)
    zone = now.astimezone().tzname() or "?"
    if now.year < 2025:
        return _check(
            "clock", Level.FAIL, f"Horloge impossible : {now:%d/%m/%Y}.", f"Impossible clock: {now:%Y-%m-%d}."
        )
    if last is not None and now.timestamp() < last - CLOCK_TOLERANCE.total_seconds():
        return _check(
            "clock",
            Level.FAIL,
            "L'horloge du poste est en retard sur la dernière écriture de la base : "
            "réglez-la avant de saisir.",
            "The workstation clock is behind the database's last write: set it before recording anything.",
        )
    return _check(
        "clock",
        Level.PASS,
        f"{now.astimezone():%d/%m/%Y %H:%M} ({zone})",
        f"{now.astimezone():%Y-%m-%d %H:%M} ({zone})",
    )


def _folder(workspace: Workspace) -> Check:
    folder = workspace.folder
    if not workspace.is_provisioned():
        return _check(
            "data_folder",
            Level.FAIL,
            f"Poste non provisionné : {folder}",
            f"Workstation not provisioned: {folder}",
        )
    if not os.access(folder, os.W_OK):
        return _check(
            "data_folder",
            Level.FAIL,
            f"Dossier de données en lecture seule : {folder}",
            f"Data folder is read-only: {folder}",
        )
    if os.name == "posix" and folder.stat().st_mode & 0o077:
        return _check(
            "data_folder",
            Level.WARN,
            f"Dossier de données lisible par d'autres comptes : {folder} (chmod 700).",
            f"Data folder readable by other accounts: {folder} (chmod 700).",
        )
    return _check("data_folder", Level.PASS, str(folder))


def _store_file(workspace: Workspace) -> Check:
    """The store on disk must not be readable as plain SQLite (encryption really applied)."""
    path = workspace.db_path
    if not path.is_file():
        return _check("store_file", Level.SKIP, "Pas de base sur ce poste.", "No database here.")
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"SQLite format 3"):
        return _check(
            "store_file",
            Level.FAIL,
            "La base de ce poste est EN CLAIR (non chiffrée) : ne pas l'utiliser.",
            "This workstation's database is in CLEAR (not encrypted): do not use it.",
        )
    if len(head) < 16 or not any(head):
        return _check(
            "store_file", Level.FAIL, "Fichier de base vide ou abîmé.", "Database file empty or damaged."
        )
    return _check(
        "store_file",
        Level.PASS,
        "Fichier de base chiffré (aucun en-tête en clair).",
        "Database file encrypted (no clear header).",
    )


ROTATE_HINT = (
    "Après la perte ou le vol d'un poste, d'une clé USB ou d'une sauvegarde, lancez "
    "« continuity keys rotate --reason ... ».",
    "After a workstation, USB stick or backup is lost or stolen, run 'continuity keys rotate --reason ...'.",
)


def _keys(workspace: Workspace, session: Session | None) -> Check:
    """The key slots: a re-key waiting or left half-way, stray slot files in the copies,
    slots of the old format (their users lose access at the next re-key)."""
    if not workspace.is_provisioned():
        return _check("keys", Level.SKIP, "Pas de base sur ce poste.", "No database here.")
    try:
        slots = keyslots.load(workspace.slots_path)
    except ContinuityError as exc:
        return _check("keys", Level.FAIL, exc.message_fr, exc.message_en)
    if session is not None and not workspace.is_copy:
        todo = rekey.plan(session, slots, session.db_key)
        if todo.unknown:
            names = ", ".join(todo.unknown)
            return _check(
                "keys",
                Level.WARN,
                f"Emplacements de clé que la base ne connaît pas (fichier des clés modifié) : {names} ; "
                "refusés à l'ouverture, retirés au prochain « continuity keys rotate » : lancez-le.",
                f"Key slots the store does not know (key-slot file edited): {names}; refused at "
                "sign-in, removed at the next 'continuity keys rotate': run it.",
            )
    if slots.recovery_next is not None:
        return _check(
            "keys",
            Level.WARN,
            "Une nouvelle clé de secours a été préparée mais pas mise en place (affichage interrompu ?) : "
            "l'ancienne reste valable ; relancez « continuity recovery-key ».",
            "A new recovery key was prepared but not put in place (display interrupted?): the old "
            "one still works; run 'continuity recovery-key' again.",
        )
    due = session.store.get_meta(rekey.ROTATION_DUE_KEY) if session is not None else None
    legacy = sorted(sid for sid, slot in slots.slots.items() if slot.version == keyslots.LEGACY_FORMAT)
    if legacy and due:
        names = ", ".join(sid.removeprefix("user:") for sid in legacy)
        return _check(
            "keys",
            Level.WARN,
            f"Changement de la clé de la base en attente ({due}) : ces comptes (ancien format) doivent se "
            f"connecter une fois (ou recevoir un nouveau mot de passe) avant « continuity keys rotate » : "
            f"{names}.",
            f"Re-key of the database waiting ({due}): these accounts (old format) must sign in once "
            f"(or get a new password) before 'continuity keys rotate': {names}.",
        )
    if slots.pending is not None or due:
        return _check(
            "keys",
            Level.WARN,
            "Changement de la clé de la base en attente ou inachevé : fermez la base partout, puis "
            "lancez « continuity keys rotate ».",
            "Re-key of the database waiting or unfinished: close the store everywhere, then run "
            "'continuity keys rotate'.",
        )
    strays = [c for c in copy_folders(workspace.live_folder) if (c / workspace.SLOTS_NAME).exists()]
    if strays:
        return _check(
            "keys",
            Level.WARN,
            f"{len(strays)} copie(s) gardent un ancien fichier des clés : « continuity keys rotate » "
            "les retire.",
            f"{len(strays)} copy(ies) keep an old key-slot file: 'continuity keys rotate' removes them.",
        )
    if legacy:
        names = ", ".join(sid.removeprefix("user:") for sid in legacy)
        return _check(
            "keys",
            Level.WARN,
            f"Emplacements de clé de l'ancien format (pas de connexion depuis la mise à jour) : {names} ; "
            "un changement de clé leur retirera l'accès. " + ROTATE_HINT[0],
            f"Key slots of the old format (no sign-in since the upgrade): {names}; a re-key will "
            "remove their access. " + ROTATE_HINT[1],
        )
    return _check(
        "keys",
        Level.PASS,
        f"{len(slots.slots)} emplacements de clé. " + ROTATE_HINT[0],
        f"{len(slots.slots)} key slots. " + ROTATE_HINT[1],
    )


def _store_checks(workspace: Workspace, now: datetime, session: Session | None) -> list[Check]:
    if not workspace.is_provisioned():
        return []
    if session is not None:
        intact = session.store.integrity_ok()  # the whole file is read: once
        checks = [
            _check(
                "integrity",
                Level.PASS if intact else Level.FAIL,
                "Base intègre (PRAGMA integrity_check)."
                if intact
                else "Base ABÎMÉE : restaurez la dernière sauvegarde.",
                "Database intact." if intact else "Database DAMAGED: restore the latest backup.",
            )
        ]
        checks.append(_witness(session))
        checks.append(_identifier_domains(session))
        checks.append(_identity_index(session, now))
        current = maintenance.health(session)
        maintenance.write_health(workspace, current)
        return checks + _state_checks(current, now, recorded=False)
    state = maintenance.read_health(workspace)
    if state is None:
        return [
            _check(
                "store",
                Level.SKIP,
                "État de la base inconnu : lancez doctor avec --user pour le vérifier.",
                "Database state unknown: run doctor with --user to check it.",
            )
        ]
    return _state_checks(state, now, recorded=True)


def _identifier_domains(session: Session) -> Check:
    """A site whose messages would name its identifier domains without their OIDs."""
    missing = sync_state.identifier_domains(session).missing()
    if not missing:
        return _check(
            "his_domains",
            Level.PASS,
            "FINESS et OID des domaines d'identifiants déclarés (messages PAM France complets).",
            "FINESS and identifier-domain OIDs declared (complete IHE PAM France messages).",
        )
    names = ", ".join(missing)
    return _check(
        "his_domains",
        Level.WARN,
        f"Non déclarés : {names}. Les messages HL7 nommeront ces domaines sans leur OID, ce "
        "qu'un DPI français peut refuser : renseignez-les (fichier de site [his] ou « continuity "
        "sync config --ipp-oid … »).",
        f"Not declared: {names}. HL7 messages will name these domains without their OID, which "
        "a French HIS may refuse: declare them (site file [his] or 'continuity sync config "
        "--ipp-oid …').",
    )


INDEX_MAX_AGE = timedelta(days=8)  # a weekly full index, or daily deltas


def _identity_index(session: Session, now: datetime) -> Check:
    """The HIS identity index: without it every returning patient gets a provisional IPP."""
    state = his_index.index_state(session)
    if state is None:
        return _check(
            "his_index",
            Level.WARN,
            "Aucun index des identités du DPI sur ce poste : chaque patient déjà connu du DPI "
            "recevra un IPP provisoire à rapprocher. Déposez l'index (« continuity snapshot "
            "import-index FICHIER »).",
            "No HIS identity index on this workstation: every patient the HIS knows will get a "
            "provisional IPP to reconcile. Drop the index ('continuity snapshot import-index FILE').",
        )
    age = now - state.taken_at
    level = Level.WARN if age > INDEX_MAX_AGE else Level.PASS
    return _check(
        "his_index",
        level,
        f"Index du DPI : {state.count} identités, extraction {state.extraction} du "
        f"{state.taken_at.astimezone():%d/%m/%Y %H:%M} (il y a {age_text(age)})"
        + (" : trop ancien, demandez un nouvel export." if level is Level.WARN else "."),
        f"HIS index: {state.count} identities, extraction {state.extraction} of "
        f"{state.taken_at.astimezone():%Y-%m-%d %H:%M} ({age_text(age)} ago)"
        + (": too old, ask for a new export." if level is Level.WARN else "."),
    )


def _witness(session: Session) -> Check:
    """A witness file found missing or not held at an unlock, not acknowledged by IT."""
    pending = witnesses.findings(session)
    if not pending:
        return _check(
            "audit_witness", Level.PASS, "Témoin du journal d'audit en place.", "Audit witness in place."
        )
    return _check(
        "audit_witness",
        Level.FAIL,
        f"{len(pending)} constat(s) sur le fichier témoin du journal d'audit (absent ou d'une tête "
        "que le journal n'a pas) : vérifiez le poste, puis « continuity audit witness --acknowledge "
        "RAISON ».",
        f"{len(pending)} finding(s) about the audit witness file (missing, or of a head the chain "
        "does not hold): check the workstation, then 'continuity audit witness --acknowledge REASON'.",
    )


def _state_checks(state: maintenance.Health, now: datetime, *, recorded: bool) -> list[Check]:
    def note(fr: str, en: str) -> tuple[str, str]:
        if not recorded:
            return fr, en
        age = age_text(now - state.updated_at)
        return f"{fr} (état enregistré il y a {age})", f"{en} (state recorded {age} ago)"

    out: list[Check] = []
    level = Level.PASS if state.schema_version <= LATEST_VERSION else Level.FAIL
    out.append(
        _check(
            "schema",
            level,
            *note(
                f"Schéma v{state.schema_version} (ce kit : v{LATEST_VERSION})",
                f"Schema v{state.schema_version} (this kit: v{LATEST_VERSION})",
            ),
        )
    )
    if state.last_snapshot_at is None:
        out.append(
            _check(
                "snapshot",
                Level.WARN,
                *note(
                    "Aucun instantané du DPI reçu : le recensement d'avant panne manquera.",
                    "No HIS snapshot received: the pre-outage census will be missing.",
                ),
            )
        )
    else:
        age = now - state.last_snapshot_at
        stale = age > timedelta(minutes=state.snapshot_max_age_minutes)
        out.append(
            _check(
                "snapshot",
                Level.WARN if stale else Level.PASS,
                *note(
                    f"Dernier instantané du DPI il y a {age_text(age)}" + (" : trop ancien" if stale else ""),
                    f"Newest HIS snapshot {age_text(age)} old" + (": too old" if stale else ""),
                ),
            )
        )
    level = Level.WARN if state.sync_refused else Level.PASS
    out.append(
        _check(
            "sync_backlog",
            level,
            *note(
                f"{state.sync_backlog} événement(s) à renvoyer au DPI, {state.sync_refused} refusé(s)",
                f"{state.sync_backlog} event(s) to hand back to the HIS, {state.sync_refused} refused",
            ),
        )
    )
    if state.sync_awaiting:
        out.append(_awaiting(state, now, note))
    share = state.numbers_left / state.numbers_total if state.numbers_total else 0
    level = Level.FAIL if state.numbers_left == 0 else Level.WARN if share < NUMBERS_LOW_SHARE else Level.PASS
    out.append(
        _check(
            "identifiers",
            level,
            *note(
                f"{state.numbers_left} numéro(s) provisoire(s) restant(s) sur {state.numbers_total}",
                f"{state.numbers_left} provisional number(s) left of {state.numbers_total}",
            ),
        )
    )
    if state.exercise:
        out.append(
            _check(
                "exercise",
                Level.WARN,
                *note("Cette base est en mode EXERCICE.", "This database is in EXERCISE mode."),
            )
        )
    if recorded and now - state.updated_at > STALE_HEALTH:
        out.append(
            _check(
                "state_age",
                Level.WARN,
                "État enregistré ancien : ouvrez l'application ou lancez doctor --user.",
                "Recorded state is old: open the application or run doctor --user.",
            )
        )
    return out


def _awaiting(state: maintenance.Health, now: datetime, note: Callable[[str, str], tuple[str, str]]) -> Check:
    """HL7 enhanced mode: events the HIS committed (CA) without its application ACK yet."""
    since = state.sync_awaiting_since
    age = now - since if since else timedelta(0)
    overdue = age > sync_state.APP_ACK_OVERDUE
    fr = (
        f"{state.sync_awaiting} événement(s) pris en charge par le DPI (CA), accusé applicatif "
        f"attendu depuis {age_text(age)}"
    )
    en = (
        f"{state.sync_awaiting} event(s) committed by the HIS (CA), application ACK awaited "
        f"for {age_text(age)}"
    )
    if overdue:
        fr += (
            " : en retard, voyez avec l'équipe d'interface du DPI (continuity sync status), "
            "puis continuity sync resend ÉVÉNEMENT"
        )
        en += (
            ": overdue, check with the HIS interface team (continuity sync status), "
            "then continuity sync resend EVENT"
        )
    return _check("sync_awaiting", Level.WARN if overdue else Level.PASS, *note(fr, en))


def print_report(report: Report, english: bool, out: Callable[[str], None]) -> None:
    marks = {Level.PASS: "OK  ", Level.WARN: "WARN", Level.FAIL: "FAIL", Level.SKIP: "--  "}
    for c in report.checks:
        out(f"[{marks[c.level]}] {c.name:<13} {c.message_en if english else c.message_fr}")
    out(
        {
            Level.PASS: "Tout est en ordre. / All good.",
            Level.WARN: "Utilisable, avec des points à surveiller. / Usable, with points to watch.",
            Level.FAIL: "NE PAS COMPTER SUR CE POSTE en l'état. / DO NOT RELY ON THIS WORKSTATION as it is.",
        }[report.worst]
    )
