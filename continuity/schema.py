"""Schema migrations, keyed on ``PRAGMA user_version``.

``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``. A
migration is never edited once released: changes go into a new entry.
Only ``continuity.store`` executes these statements.
"""

from __future__ import annotations

import sqlite3

V1_CORE = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE site (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE ufs (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE beds (
    uf_code TEXT NOT NULL REFERENCES ufs(code),
    code TEXT NOT NULL,
    room TEXT NOT NULL,
    blocked INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (uf_code, code)
);
CREATE TABLE workstations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    block_start INTEGER NOT NULL,
    block_end INTEGER NOT NULL,
    next_number INTEGER NOT NULL,
    is_local INTEGER NOT NULL DEFAULT 0,
    CHECK (block_start <= next_number AND next_number <= block_end + 1)
);
CREATE TABLE users (
    username TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    ufs TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE patients (
    id TEXT PRIMARY KEY,
    provisional_ipp TEXT NOT NULL UNIQUE,
    ipp TEXT,
    birth_name TEXT NOT NULL,
    used_name TEXT,
    first_names TEXT NOT NULL,
    used_first_name TEXT,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_place_insee TEXT,
    ins TEXT,
    identity_status TEXT NOT NULL,
    placeholder INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX patients_birth_date ON patients(birth_date);
CREATE INDEX patients_ipp ON patients(ipp) WHERE ipp IS NOT NULL;
CREATE TABLE patient_name_keys (
    key TEXT NOT NULL,
    patient_id TEXT NOT NULL REFERENCES patients(id),
    PRIMARY KEY (key, patient_id)
) WITHOUT ROWID;
CREATE INDEX patient_name_keys_patient ON patient_name_keys(patient_id);
CREATE TABLE stays (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients(id),
    provisional_nda TEXT NOT NULL UNIQUE,
    nda TEXT,
    state TEXT NOT NULL,
    uf_code TEXT REFERENCES ufs(code),
    bed_code TEXT,
    admitted_at TEXT,
    discharged_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    FOREIGN KEY (uf_code, bed_code) REFERENCES beds(uf_code, code)
);
CREATE INDEX stays_patient ON stays(patient_id);
CREATE INDEX stays_uf_state ON stays(uf_code, state);
CREATE UNIQUE INDEX stays_one_per_bed ON stays(uf_code, bed_code)
    WHERE state IN ('present', 'leave') AND bed_code IS NOT NULL;
CREATE UNIQUE INDEX stays_one_open_per_patient ON stays(patient_id)
    WHERE state IN ('present', 'leave');
CREATE TABLE movements (
    id TEXT PRIMARY KEY,
    stay_id TEXT NOT NULL REFERENCES stays(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    uf_code TEXT,
    bed_code TEXT,
    discharge_mode TEXT,
    destination TEXT,
    destination_detail TEXT,
    cancels TEXT REFERENCES movements(id),
    reason TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (stay_id, seq)
);
"""

V2_AUDIT_OUTBOX = """
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    patient_id TEXT NOT NULL REFERENCES patients(id),
    stay_id TEXT REFERENCES stays(id),
    movement_id TEXT REFERENCES movements(id),
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    updated_at TEXT
);
CREATE INDEX outbox_status ON outbox(status, seq);
CREATE INDEX outbox_patient ON outbox(patient_id, seq);
CREATE INDEX outbox_movement ON outbox(movement_id) WHERE movement_id IS NOT NULL;
CREATE INDEX audit_entity ON audit(entity, entity_id);
"""

V3_CRISIS = """
CREATE TABLE services (code TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE status_changes (
    seq INTEGER PRIMARY KEY,
    service_code TEXT NOT NULL REFERENCES services(code),
    status TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    note TEXT
);
CREATE INDEX status_changes_service ON status_changes(service_code, seq);
CREATE TABLE crisis_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    category TEXT NOT NULL,
    text TEXT NOT NULL,
    service_code TEXT REFERENCES services(code)
);
INSERT INTO services (code, name, position) SELECT code, name, rowid FROM ufs;
"""

V4_CANCEL_INDEX = """
CREATE INDEX movements_cancels ON movements(cancels) WHERE cancels IS NOT NULL;
"""

# Pre-numbered blank admission forms: numbers taken from the block and printed on paper,
# then used once when the form is keyed back in (its number becomes the provisional IPP).
V5_PAPER_FORMS = """
CREATE TABLE paper_forms (
    number TEXT PRIMARY KEY,
    uf_code TEXT NOT NULL REFERENCES ufs(code),
    batch TEXT NOT NULL,
    reserved_at TEXT NOT NULL,
    reserved_by TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT,
    patient_id TEXT REFERENCES patients(id),
    CHECK ((used_at IS NULL) = (patient_id IS NULL))
);
CREATE INDEX paper_forms_batch ON paper_forms(batch);
CREATE INDEX paper_forms_uf_unused ON paper_forms(uf_code) WHERE used_at IS NULL;
"""

# Delivery to the HIS: per-event retry schedule, the HIS's reply, file exports; and the
# HIS's own identifiers for provisional identities (proposed, then confirmed or rejected).
V6_HIS_SYNC = """
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN his_reply TEXT;
ALTER TABLE outbox ADD COLUMN delivered_to TEXT;
ALTER TABLE outbox ADD COLUMN exported_at TEXT;
CREATE TABLE his_identifiers (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('patient', 'stay')),
    entity_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'rejected')),
    proposed_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    UNIQUE (entity, entity_id, kind, value)
);
CREATE INDEX his_identifiers_status ON his_identifiers(status);
CREATE INDEX his_identifiers_value ON his_identifiers(kind, value);
"""

# HIS snapshots and workstation exchange. ``source`` says who created a record: the kit
# (offline, here or on another workstation) or the HIS (a pre-outage snapshot, holding
# its IPP/NDA; ``his_as_of`` is when the snapshot that last wrote it was taken).
# ``movements.after_id`` is the stay's latest movement when this one was recorded: the
# movements of a stay form a tree, a fork meaning two workstations recorded concurrently.
# ``movements.rejected``: left out by that merge (its outbox event is then superseded).
# ``changes`` holds what other workstations sent (applied, waiting for what it builds on,
# or failed: it contradicts what is here, and a conflict says so); ``conflicts`` what a
# user must look at.
V7_SNAPSHOTS_EXCHANGE = """
ALTER TABLE patients ADD COLUMN source TEXT NOT NULL DEFAULT 'kit';
ALTER TABLE patients ADD COLUMN his_as_of TEXT;
ALTER TABLE patients ADD COLUMN edited_here INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stays ADD COLUMN source TEXT NOT NULL DEFAULT 'kit';
ALTER TABLE stays ADD COLUMN his_as_of TEXT;
ALTER TABLE movements ADD COLUMN after_id TEXT;
ALTER TABLE movements ADD COLUMN origin TEXT;
ALTER TABLE movements ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0;
UPDATE movements SET after_id = (SELECT p.id FROM movements p
    WHERE p.stay_id = movements.stay_id AND p.seq = movements.seq - 1);
CREATE INDEX stays_source ON stays(source, uf_code) WHERE source = 'his';
CREATE INDEX patients_his_ipp ON patients(ipp) WHERE source = 'his';
CREATE TABLE snapshot_imports (
    sha256 TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE TABLE changes (
    change_id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    origin_seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('applied', 'waiting', 'failed')),
    received_at TEXT NOT NULL
);
CREATE INDEX changes_waiting ON changes(status) WHERE status = 'waiting';
CREATE INDEX changes_entity ON changes(entity, entity_id);
CREATE TABLE exchange_bundles (
    sha256 TEXT PRIMARY KEY,
    workstation TEXT NOT NULL,
    seq INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    changes INTEGER NOT NULL
);
CREATE INDEX exchange_bundles_workstation ON exchange_bundles(workstation, seq);
CREATE TABLE exchange_refused (
    sha256 TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    refused_at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    heads TEXT NOT NULL,
    detail TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    resolution TEXT,
    UNIQUE (entity, entity_id, kind, heads)
);
"""

# Forms being typed (an admission, a paper form keyed in), kept in the encrypted store so a
# crash, a kill or a power cut loses nothing: one row per open form, its fields as JSON,
# written a second after the last key, deleted when the form is saved or abandoned.
# Only their owner ever reads them back.
V8_DRAFTS = """
CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,
    fields TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX drafts_owner ON drafts(owner, updated_at);
"""

# The public signing keys of the other workstations of the site (continuity.signing): declared
# at provisioning (site file) or with `continuity exchange peer add`; a bundle is accepted only
# signed by the key declared for the workstation it claims. ``public_key`` (base64) is NULL when
# only the fingerprint was declared: the bundle then carries the key, checked against it.
V9_PEER_KEYS = """
CREATE TABLE peer_keys (
    workstation TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    public_key TEXT,
    declared_at TEXT NOT NULL,
    declared_by TEXT NOT NULL
);
"""

# The latest head of each other workstation's audit chain, as received signed in its bundles
# (continuity.witness): this store is a witness of theirs. ``bundle_seq``: the bundle it came
# in; ``contradicted``: a later bundle of that peer showing a head its chain could not have
# reached from this one (shorter, or another entry at the same number), as JSON.
V10_AUDIT_WITNESSES = """
CREATE TABLE audit_witnesses (
    workstation TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    at TEXT NOT NULL,
    signer TEXT,
    signature TEXT,
    bundle_seq INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    contradicted TEXT
);
"""

# Identity traits for the hand-back in IHE PAM France and FR Core: an INS is kept as such only
# for a qualified identity (Référentiel INS); for any other status it is an unverified trait
# (``ins_unverified``), never sent as an INS. The town of birth, and how the identity was
# collected and on which document (PAM FR ZFD, FR Core identity reliability extension).
V11_IDENTITY_TRAITS = """
ALTER TABLE patients ADD COLUMN ins_unverified TEXT;
ALTER TABLE patients ADD COLUMN ins_oid TEXT;
ALTER TABLE patients ADD COLUMN birth_place_name TEXT;
ALTER TABLE patients ADD COLUMN collection_mode TEXT;
ALTER TABLE patients ADD COLUMN document_type TEXT;
ALTER TABLE patients ADD COLUMN insi_queried_on TEXT;
UPDATE patients SET ins_unverified = ins, ins = NULL
    WHERE ins IS NOT NULL AND identity_status <> 'qualifiee';
"""

# A movement correcting another (kind 'update', IHE PAM FR Z99): ``corrects`` names the
# movement whose time (and, for an admission or a transfer, place) it corrects.
V12_MOVEMENT_UPDATES = """
ALTER TABLE movements ADD COLUMN corrects TEXT REFERENCES movements(id);
CREATE INDEX movements_corrects ON movements(corrects) WHERE corrects IS NOT NULL;
"""


# The HIS identity index: two generations, ``a`` and ``b`` (``continuity.store.his_index``);
# the one in use is named in ``meta``, the other is where a full import is built. What follows
# gives the shape migrations 13 and 14 made (the migrations keep their own text, as shipped):
# a change of the index's shape is a new migration (tests/test_store.py checks they agree).
# Per table suffix: the columns and primary key of a generation's tables ordered by a key; a
# full import's sorted runs have the same (``continuity.store.his_index_runs``).
HIS_INDEX_KEYED_TABLES = {
    "keys": "(key TEXT NOT NULL, rid INTEGER NOT NULL, names TEXT NOT NULL, PRIMARY KEY (key, rid))"
    " WITHOUT ROWID",
    "ipps": "(ipp TEXT PRIMARY KEY, rid INTEGER NOT NULL) WITHOUT ROWID",
    "births": "(birth_date TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (birth_date, rid)) WITHOUT ROWID",
}


def his_index_table_names(gen: str) -> tuple[str, ...]:
    return (f"his_index_{gen}", *(f"his_index_{gen}_{kind}" for kind in HIS_INDEX_KEYED_TABLES))


def his_index_tables(gen: str) -> str:
    """The tables of one generation of the HIS identity index: the identities, and their
    search keys, IPPs and birth dates as tables ordered by them (``WITHOUT ROWID``), not as
    indexes: a full import writes each as sorted runs merged in one ordered pass, where
    ``CREATE INDEX`` would sort 2 million entries in memory (``temp_store = MEMORY``)."""
    identities = f"""
CREATE TABLE his_index_{gen} (
    rid INTEGER PRIMARY KEY,
    ipp TEXT NOT NULL,
    authority TEXT,
    birth_date TEXT NOT NULL,
    data TEXT NOT NULL
);
"""
    return identities + "".join(
        f"CREATE TABLE his_index_{gen}_{kind} {shape};\n" for kind, shape in HIS_INDEX_KEYED_TABLES.items()
    )


# Identity vigilance (RNIV): the attributes "identité douteuse" and "identité fictive", the
# expiry of the document presented, who validated the identity and when; ``from_index``: an
# identity taken from the HIS identity index at admission (its IPP and traits are the HIS's).
# ``merged_into``: a local identity merged by the identity-vigilance cell into another one;
# ``identity_merges`` keeps each merge (and what it moved) so that it can be undone.
V13_IDENTITY_VIGILANCE = """
ALTER TABLE patients ADD COLUMN doubtful INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN fictitious INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN document_expires_on TEXT;
ALTER TABLE patients ADD COLUMN validated_by TEXT;
ALTER TABLE patients ADD COLUMN validated_on TEXT;
ALTER TABLE patients ADD COLUMN from_index INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN merged_into TEXT REFERENCES patients(id);
CREATE TABLE identity_merges (
    id TEXT PRIMARY KEY,
    kept_id TEXT NOT NULL REFERENCES patients(id),
    merged_id TEXT NOT NULL REFERENCES patients(id),
    merged_at TEXT NOT NULL,
    merged_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    moved TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX identity_merges_merged ON identity_merges(merged_id);
""" + "".join(
    # v13 as it shipped: IPPs and birth dates as indexes of the identity table (v14: tables)
    f"""
CREATE TABLE his_index_{gen} (
    rid INTEGER PRIMARY KEY,
    ipp TEXT NOT NULL,
    authority TEXT,
    birth_date TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE his_index_{gen}_keys (
    key TEXT NOT NULL,
    rid INTEGER NOT NULL,
    names TEXT NOT NULL,
    PRIMARY KEY (key, rid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX his_index_{gen}_ipp ON his_index_{gen}(ipp);
CREATE INDEX his_index_{gen}_birth ON his_index_{gen}(birth_date);
"""
    for gen in ("a", "b")
)

# The HIS index's IPPs and birth dates become tables ordered by them, filled from the indexes
# they replace (read in their order: no sort), so that a full import builds them from sorted
# runs instead of ``CREATE INDEX`` (``his_index_tables``).
V14_HIS_INDEX_TABLES = "".join(
    f"""
CREATE TABLE his_index_{gen}_ipps (
    ipp TEXT PRIMARY KEY,
    rid INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO his_index_{gen}_ipps(ipp, rid) SELECT ipp, rid FROM his_index_{gen} ORDER BY ipp;
CREATE TABLE his_index_{gen}_births (
    birth_date TEXT NOT NULL,
    rid INTEGER NOT NULL,
    PRIMARY KEY (birth_date, rid)
) WITHOUT ROWID;
INSERT INTO his_index_{gen}_births(birth_date, rid)
    SELECT birth_date, rid FROM his_index_{gen} ORDER BY birth_date, rid;
DROP INDEX his_index_{gen}_ipp;
DROP INDEX his_index_{gen}_birth;
"""
    for gen in ("a", "b")
)

# The open stays that may claim a bed they do not hold (``continuity.merge.apply.settle_bed``),
# so that settling a bed reads those stays, not every bedless stay of its UF. A stay left
# without a bed is listed by the trigger with no bed known yet (it is looked at once); one
# that lost a bed to another is listed with that bed; one in a bed, or gone, is not listed.
# A change received that must wait says what for (``waits_for``: a key of
# ``continuity.merge.apply.provides``), so an import retries the changes its own changes
# unblock instead of every waiting one (none known for the changes received before: "any").
V15_BED_CLAIMS = """
CREATE TABLE bed_claims (
    stay_id TEXT PRIMARY KEY,
    uf_code TEXT NOT NULL,
    bed_code TEXT
);
CREATE INDEX bed_claims_bed ON bed_claims(uf_code, bed_code);
CREATE TRIGGER stays_left_without_bed AFTER UPDATE OF bed_code, uf_code, state ON stays
WHEN NEW.bed_code IS NULL AND NEW.uf_code IS NOT NULL AND NEW.state IN ('present', 'leave')
BEGIN
    INSERT INTO bed_claims(stay_id, uf_code, bed_code) VALUES (NEW.id, NEW.uf_code, NULL)
    ON CONFLICT(stay_id) DO UPDATE SET uf_code = excluded.uf_code, bed_code = NULL
    WHERE bed_claims.uf_code IS NOT excluded.uf_code;
END;
CREATE TRIGGER stays_with_bed_or_closed AFTER UPDATE OF bed_code, state ON stays
WHEN NEW.bed_code IS NOT NULL OR NEW.state NOT IN ('present', 'leave')
BEGIN
    DELETE FROM bed_claims WHERE stay_id = NEW.id;
END;
CREATE TRIGGER stays_admitted_without_bed AFTER INSERT ON stays
WHEN NEW.bed_code IS NULL AND NEW.uf_code IS NOT NULL AND NEW.state IN ('present', 'leave')
BEGIN
    INSERT OR REPLACE INTO bed_claims(stay_id, uf_code, bed_code) VALUES (NEW.id, NEW.uf_code, NULL);
END;
INSERT INTO bed_claims(stay_id, uf_code, bed_code)
    SELECT id, uf_code, NULL FROM stays
    WHERE bed_code IS NULL AND uf_code IS NOT NULL AND state IN ('present', 'leave');
ALTER TABLE changes ADD COLUMN waits_for TEXT;
CREATE INDEX changes_waits_for ON changes(waits_for) WHERE status = 'waiting';
"""

# The crisis cell's statuses, main courante and instructions travel in the bundles
# (``continuity.merge.crisis``): each row knows the change it came from and its workstation.
V15_CRISIS_EXCHANGE = """
ALTER TABLE status_changes ADD COLUMN change_id TEXT;
ALTER TABLE status_changes ADD COLUMN origin TEXT;
CREATE UNIQUE INDEX status_changes_change ON status_changes(change_id) WHERE change_id IS NOT NULL;
ALTER TABLE crisis_log ADD COLUMN change_id TEXT;
ALTER TABLE crisis_log ADD COLUMN origin TEXT;
CREATE UNIQUE INDEX crisis_log_change ON crisis_log(change_id) WHERE change_id IS NOT NULL;
CREATE INDEX crisis_log_at ON crisis_log(at);
CREATE TABLE instructions (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    origin TEXT NOT NULL,
    text TEXT NOT NULL,
    ufs TEXT NOT NULL
);
CREATE TABLE instruction_acks (
    instruction_id TEXT NOT NULL REFERENCES instructions(id),
    workstation TEXT NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (instruction_id, workstation)
);
"""

# The claim each open stay's movements give it to a bed (``continuity.merge.apply.settle_bed``):
# when it was put there, or no bed (``placed_at`` NULL), as merged when its movements last
# changed. Settling a bed reads its holder's claim here instead of merging the holder's whole
# movement tree again for each stay that moves in or out of that bed. Only a merge writes a
# row; any change to a stay's movements (or to which workstation is this one, the origin of
# its own movements) deletes the stay's row, so a claim is read from movements as they are.
# Every column of ``movements`` but ``rejected`` (which the merge decides, not reads) is listed.
V16_STAY_CLAIMS = """
CREATE TABLE stay_claims (
    stay_id TEXT PRIMARY KEY,
    placed_at TEXT,
    uf_code TEXT,
    bed_code TEXT
) WITHOUT ROWID;
CREATE TRIGGER movements_added_unclaim AFTER INSERT ON movements
BEGIN
    DELETE FROM stay_claims WHERE stay_id = NEW.stay_id;
END;
CREATE TRIGGER movements_changed_unclaim AFTER UPDATE OF
    id, stay_id, seq, kind, at, uf_code, bed_code, discharge_mode, destination, destination_detail,
    cancels, reason, recorded_at, recorded_by, after_id, origin, corrects ON movements
BEGIN
    DELETE FROM stay_claims WHERE stay_id IN (OLD.stay_id, NEW.stay_id);
END;
CREATE TRIGGER movements_removed_unclaim AFTER DELETE ON movements
BEGIN
    DELETE FROM stay_claims WHERE stay_id = OLD.stay_id;
END;
CREATE TRIGGER workstations_changed_unclaim AFTER UPDATE OF code, is_local ON workstations
BEGIN
    DELETE FROM stay_claims;
END;
"""

MIGRATIONS: tuple[str, ...] = (
    V1_CORE,
    V2_AUDIT_OUTBOX,
    V3_CRISIS,
    V4_CANCEL_INDEX,
    V5_PAPER_FORMS,
    V6_HIS_SYNC,
    V7_SNAPSHOTS_EXCHANGE,
    V8_DRAFTS,
    V9_PEER_KEYS,
    V10_AUDIT_WITNESSES,
    V11_IDENTITY_TRAITS,
    V12_MOVEMENT_UPDATES,
    V13_IDENTITY_VIGILANCE,
    V14_HIS_INDEX_TABLES,
    V15_BED_CLAIMS + V15_CRISIS_EXCHANGE,
    V16_STAY_CLAIMS,
)
LATEST_VERSION = len(MIGRATIONS)


def split_sql(script: str) -> list[str]:
    """Split a migration (or a generation of the index) into statements, keeping trigger bodies whole."""
    statements, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            buf = []
    if "".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
