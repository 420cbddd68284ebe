"""Provisioning a workstation from a site file, and the embedded demo site."""

from __future__ import annotations

import base64
import json
import random
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from continuity import keyslots, passwords, signing
from continuity.domain.exchange import MIB
from continuity.domain.identity import Identity, IdentityDocument, IdentityStatus, Sex, UnknownPatient
from continuity.domain.site import Site
from continuity.domain.snapshot import Snapshot, SnapshotFormat, SnapshotPatient, SnapshotStay
from continuity.domain.users import Role, User
from continuity.errors import Conflict, InvalidInput, NotFound
from continuity.services import admin as admin_service
from continuity.services import (
    crisis,
    exchange,
    exchange_peers,
    indicators,
    patients,
    snapshots,
    sync_state,
    undo,
)
from continuity.session import Session, Workspace
from continuity.store import Store
from continuity.validation import bilingual_error

SYSTEM_ACTOR = "system:provisioning"


def parse_site(text: str) -> Site:
    """The site file's TOML read into a ``Site``; anything else is ``InvalidInput`` saying why."""
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            f"Fichier de site illisible (TOML) : {exc}.", f"Unreadable site file (TOML): {exc}."
        ) from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise _too_deep() from None
    except ValueError:  # an integer of more than 4,300 digits (int's own limit)
        raise InvalidInput(
            "Fichier de site illisible (TOML) : valeur hors limites.",
            "Unreadable site file (TOML): value out of range.",
        ) from None
    header = raw.pop("site", {})
    if not isinstance(header, dict):
        raise InvalidInput(
            "Fichier de site : « site » doit être une table ([site]).",
            "Site file: 'site' must be a table ([site]).",
        )
    data = {**header, **raw}
    try:
        return Site.model_validate(data)
    except ValidationError as exc:
        raise bilingual_error(exc, "Fichier de site", "Site file") from None
    except RecursionError:
        raise _too_deep() from None


def _too_deep() -> InvalidInput:
    return InvalidInput(
        "Fichier de site illisible : valeurs imbriquées trop profondément.",
        "Unreadable site file: values nested too deep.",
    )


def load_site(path: Path) -> Site:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"Fichier de site introuvable : {path}.", f"Site file not found: {path}.") from None
    except OSError as exc:  # a folder, no permission...
        raise InvalidInput(
            f"Lecture du fichier de site impossible ({exc.strerror}).",
            f"Cannot read the site file ({exc.strerror}).",
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(
            "Fichier de site illisible : encodage UTF-8 attendu.",
            "Unreadable site file: UTF-8 encoding expected.",
        ) from None
    return parse_site(text)


def demo_site() -> Site:
    return parse_site(
        resources.files("continuity").joinpath("data/demo_site.toml").read_text(encoding="utf-8")
    )


def site_settings(site: Site) -> dict[str, str]:
    """Store settings from the site file's optional [his], [settings], [folders] and [exchange]."""
    his, policy, folders = site.his, site.settings, site.folders
    values = {
        sync_state.HIS_ENDPOINT_KEY: his.endpoint,
        sync_state.EXERCISE_ENDPOINT_KEY: his.exercise_endpoint,
        sync_state.HIS_AUTHORITY_KEY: his.authority,
        sync_state.HIS_IPP_SYSTEM_KEY: his.ipp_system,
        sync_state.HIS_NDA_SYSTEM_KEY: his.nda_system,
        sync_state.PAM_FR_VERSION_KEY: his.pam_fr_version,
        sync_state.ACK_MODE_KEY: his.ack_mode,
        sync_state.TRANSFER_NATURE_KEY: his.transfer_nature,
        sync_state.EMERGENCY_UFS_KEY: " ".join(his.emergency_ufs),
        sync_state.HIS_IPP_PATTERN_KEY: his.ipp_pattern,
        sync_state.HIS_NDA_PATTERN_KEY: his.nda_pattern,
        **{key: getattr(his, name) for name, key in sync_state.DOMAIN_KEYS.items()},
        indicators.MAX_AGE_META_KEY: str(round(policy.snapshot_max_age_hours * 60)),
        crisis.EXERCISE_KEY: "on" if policy.exercise else "off",
        admin_service.IDLE_POLICY_KEY: str(policy.idle_lock_minutes),
        undo.UNDO_WINDOW_KEY: str(round(policy.undo_hours * 60)),
        patients.PLACEHOLDER_NAME_KEY: policy.placeholder_name,
        patients.PLACEHOLDER_WORDS_KEY: " ".join(policy.placeholder_words),
        snapshots.INBOX_META_KEY: folders.inbox,
        snapshots.EXCHANGE_META_KEY: folders.exchange,
        exchange.MAX_BUNDLE_META: str(round(policy.bundle_max_mb * MIB)),
        exchange.MAX_INFLATED_META: str(round(policy.bundle_max_inflated_mb * MIB)),
        exchange.MAX_SNAPSHOT_META: str(round(policy.snapshot_max_mb * MIB)),
        exchange_peers.SYNCTHING_KEY: "on" if site.exchange.syncthing else "off",
        exchange_peers.LISTEN_KEY: site.exchange.listen,
        exchange_peers.DEVICES_KEY: json.dumps([p.model_dump() for p in site.exchange.peers], sort_keys=True),
    }
    return {k: v for k, v in values.items() if v}


def provision(
    workspace: Workspace,
    site: Site,
    workstation_code: str,
    admin: User,
    admin_password: str,
    kdf: keyslots.KdfParams | None = None,
) -> str:
    """Create the encrypted store of this workstation; return the recovery key (shown once).

    ``kdf``: argon2id parameters for its key slots, recorded in the store so that the
    slots added later take them too; None (production) is the kit's defaults, always.
    """
    if workspace.is_provisioned() or workspace.db_path.exists():
        raise Conflict(
            "Ce dossier contient déjà un magasin chiffré.", "This folder already holds an encrypted store."
        )
    ws = site.workstation(workstation_code)
    if ws is None:
        raise NotFound(
            f"Poste {workstation_code} absent du fichier de site.",
            f"Workstation {workstation_code} not in the site file.",
        )
    if admin.role is not Role.IT_ADMIN:
        raise InvalidInput(
            "Le premier utilisateur doit être administrateur.", "The first user must be an administrator."
        )
    passwords.check_password(admin_password, admin.username)
    workspace.ensure_folder()
    db_key = keyslots.new_database_key()
    slots = keyslots.new_slot_file()
    recovery = keyslots.generate_recovery_key()
    store = Store.open_encrypted(workspace.db_path, db_key, workspace.clock, create=True)
    try:
        store.migrate()
        with store.transaction():
            store.set_meta("store_id", slots.store_id)
            store.set_meta("workstation", ws.code)
            store.reference.insert_site(site, ws.code)
            # This workstation's own signing key, and the keys declared for the others.
            store.set_meta(signing.SIGNING_META_KEY, base64.b64encode(signing.new_private_key()).decode())
            for other in site.workstations:
                if other.code != ws.code and other.signing_key:
                    fingerprint, public = signing.parse_declared(other.signing_key)
                    text = base64.b64encode(public).decode() if public is not None else None
                    store.exchange.set_peer_key(other.code, fingerprint, text, SYSTEM_ACTOR)
            for key, value in site_settings(site).items():
                store.set_meta(key, value)
            if kdf is not None:  # new slots take them too (services.admin._slot_kdf)
                store.set_meta(admin_service.KDF_META_KEY, keyslots.kdf_text(kdf))
            store.users.insert_user(admin)
            store.audit.append_audit(
                SYSTEM_ACTOR,
                "site.provision",
                "site",
                site.code,
                1,
                {"workstation": ws.code, "ufs": [u.code for u in site.ufs], "admin": admin.username},
            )
        keyslots.wrap(slots, keyslots.user_slot_id(admin.username), admin_password.encode(), db_key, kdf)
        keyslots.wrap(slots, keyslots.RECOVERY_SLOT, keyslots.parse_recovery_key(recovery), db_key, kdf)
        workspace.save_slots(slots)
    except BaseException:
        store.close()
        for leftover in workspace.folder.glob(Workspace.DB_NAME + "*"):
            leftover.unlink()
        raise
    store.close()
    return recovery


# --------------------------------------------------------------------------- demo
@dataclass(frozen=True)
class DemoUser:
    user: User
    password: str


DEMO_USERS = (
    DemoUser(
        User(username="admin", display_name="Admin informatique", role=Role.IT_ADMIN), "demo-admin-2026"
    ),
    DemoUser(
        User(username="crise", display_name="Cellule de crise", role=Role.CRISIS_CELL), "demo-crise-2026"
    ),
    DemoUser(
        User(username="civ", display_name="Identitovigilance", role=Role.IDENTITY_VIGILANCE),
        "demo-civ-2026",
    ),
    DemoUser(
        User(username="ide.urg", display_name="IDE Urgences", role=Role.WARD_STAFF, ufs=("URG",)),
        "demo-urg-2026",
    ),
    DemoUser(
        User(username="ide.med", display_name="IDE Médecine", role=Role.WARD_STAFF, ufs=("MED", "CHIR")),
        "demo-med-2026",
    ),
)
DEMO_WORKSTATION = "URG-01"

_FAMILY = [
    "LEFÈVRE",
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "MOREL",
    "GIRARD",
    "ANDRÉ",
    "MERCIER",
    "DUPONT",
    "LAMBERT",
    "BONNET",
    "FRANÇOIS",
    "MARTINEZ",
    "LEGRAND",
    "GARNIER",
    "FAURE",
    "ROUSSEAU",
    "BLANC",
    "GUÉRIN",
    "MULLER",
    "HENRY",
    "ROUSSEL",
    "NICOLAS",
    "PERRIN",
    "D'ALMEIDA",
    "LE GOFF",
    "SAINT-ÉLOI",
    "CŒURDEROY",
    "NGUYEN",
    "BENOÎT",
]
_FIRST_F = [
    "Marie",
    "Jeanne",
    "Françoise",
    "Monique",
    "Catherine",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Anne-Sophie",
    "Chloé",
    "Léa",
    "Zoé",
    "Inès",
    "Maëlle",
    "Hélène",
]
_FIRST_M = [
    "Jean",
    "Pierre",
    "Michel",
    "André",
    "Philippe",
    "Alain",
    "Jacques",
    "Bernard",
    "François",
    "Loïc",
    "Jérôme",
    "Noël",
    "Hervé",
    "Jean-Baptiste",
    "Gaël",
]


def demo_identity(rng: random.Random, today: date) -> Identity:
    sex = rng.choice([Sex.F, Sex.M])
    first = _FIRST_F if sex is Sex.F else _FIRST_M
    birth = today - timedelta(days=rng.randint(18 * 365, 98 * 365))
    married = sex is Sex.F and rng.random() < 0.3
    birth_name = rng.choice(_FAMILY)
    used_name = rng.choice(_FAMILY) if married else None
    first_names = rng.sample(first, k=rng.choice([1, 1, 2]))
    status = rng.choice([IdentityStatus.PROVISOIRE, IdentityStatus.VALIDEE])
    return Identity(
        birth_name=birth_name,
        used_name=used_name,
        first_names=first_names,
        birth_date=birth,
        sex=sex,
        status=status,
        # validated on a national identity card (RNIV: a high-trust document)
        document_type=IdentityDocument.CN if status is IdentityStatus.VALIDEE else None,
    )


def populate_demo(session: Session, patients_in_beds: int = 40, seed: int = 2026) -> int:
    """Admit demo patients into free beds, a few of them unknown (placeholder identity)."""
    rng = random.Random(seed)  # noqa: S311 - fictitious demo data, not security
    today = session.clock().date()
    free = [
        (c.uf_code, b.bed_code)
        for c in patients.census(session)
        for b in c.beds
        if b.occupant is None and not b.blocked
    ]
    rng.shuffle(free)
    admitted = 0
    for uf, bed in free[:patients_in_beds]:
        identity: Identity | None = None
        unknown: UnknownPatient | None = None
        if admitted % 15 == 7:  # named by the admission: INCONNU ALPHA UN, ...
            unknown = UnknownPatient(
                sex=rng.choice([Sex.F, Sex.M]), estimated_birth_year=today.year - rng.randint(20, 80)
            )
        else:
            identity = demo_identity(rng, today)
        hours_ago = rng.randint(1, 72)
        patients.admit(
            session,
            uf,
            identity=identity,
            unknown=unknown,
            bed_code=bed,
            at=session.clock() - timedelta(hours=hours_ago),
            not_a_duplicate="données de démonstration",
        )
        admitted += 1
    return admitted


def demo_snapshot(session: Session, patients_in_beds: int, seed: int = 1789) -> Snapshot:
    """The HIS census as it was three hours before the demo: patients the HIS knew, with IPP/NDA."""
    rng = random.Random(seed)  # noqa: S311 - fictitious demo data, not security
    now = session.clock()
    taken = now - timedelta(hours=3)
    free = [
        (c.uf_code, b.bed_code)
        for c in patients.census(session)
        for b in c.beds
        if b.occupant is None and not b.blocked
    ]
    rng.shuffle(free)
    people, stays = [], []
    for n, (uf, bed) in enumerate(free[:patients_in_beds]):
        ipp, nda = f"{4_100_000 + n * 7}", f"{26_000_000 + n * 11}"
        people.append(SnapshotPatient(ipp=ipp, identity=demo_identity(rng, taken.date())))
        stays.append(
            SnapshotStay(
                nda=nda,
                ipp=ipp,
                uf_code=uf,
                bed_code=bed,
                admitted_at=taken - timedelta(hours=rng.randint(4, 200)),
            )
        )
    return Snapshot(format=SnapshotFormat.CSV, taken_at=taken, patients=people, stays=stays, census=True)


def provision_demo(workspace: Workspace, patients_in_beds: int = 40) -> str:
    """Provision the embedded demo site with its demo users and patients.

    A third of the patients come from a pre-outage HIS snapshot (they carry the
    HIS's IPP and NDA); the others were admitted offline by the ward staff.
    """
    admin, *others = DEMO_USERS
    recovery = provision(workspace, demo_site(), DEMO_WORKSTATION, admin.user, admin.password)
    with workspace.unlock(admin.user.username, admin.password) as session:
        for demo in others:
            admin_service.add_user(session, demo.user, demo.password)
        exchange.new_key(session)  # so that "export a bundle" works in the demo
    crisis_user = next(d for d in others if d.user.role is Role.CRISIS_CELL)
    from_his = patients_in_beds // 3
    with workspace.unlock(crisis_user.user.username, crisis_user.password) as session:
        snapshots.import_snapshot(session, demo_snapshot(session, from_his), "demo-snapshot")
    patients_in_beds -= from_his
    # The ward staff of the demo admit the demo patients into their own UFs.
    ward_staff = [d for d in others if d.user.role is Role.WARD_STAFF]
    total_beds = sum(len(u.bed_codes()) for u in demo_site().ufs)
    left = patients_in_beds
    for seed, demo in enumerate(ward_staff):
        beds = sum(len(u.bed_codes()) for u in demo_site().ufs if u.code in demo.user.ufs)
        share = left if seed == len(ward_staff) - 1 else round(patients_in_beds * beds / total_beds)
        left -= share
        with workspace.unlock(demo.user.username, demo.password) as session:
            populate_demo(session, share, seed=2026 + seed)
    return recovery
