"""Users, roles and the permissions each role grants; enforced by the services."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from continuity.validation import custom


class Role(StrEnum):
    WARD_STAFF = "ward_staff"
    CRISIS_CELL = "crisis_cell"
    IT_ADMIN = "it_admin"
    IDENTITY_VIGILANCE = "identity_vigilance"  # cellule d'identitovigilance (CIV)


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.WARD_STAFF: ("soignant d'unité", "ward staff"),
    Role.CRISIS_CELL: ("cellule de crise", "crisis cell"),
    Role.IT_ADMIN: ("administrateur informatique", "IT administrator"),
    Role.IDENTITY_VIGILANCE: ("cellule d'identitovigilance", "identity vigilance cell"),
}


class Permission(StrEnum):
    READ_PATIENTS = "read_patients"
    RECORD_MOVEMENTS = "record_movements"
    READ_STATUS = "read_status"
    SET_STATUS = "set_status"
    READ_LOG = "read_log"
    WRITE_LOG = "write_log"
    MANAGE_USERS = "manage_users"
    MANAGE_KEYS = "manage_keys"
    SYNC = "sync"
    RESERVE_PAPER_FORMS = "reserve_paper_forms"
    VERIFY_AUDIT = "verify_audit"
    RECONCILE_IDENTITIES = "reconcile_identities"
    EXCHANGE = "exchange"  # receive HIS snapshots and workstation bundles, export this workstation's changes
    CANCEL_LATE = "cancel_late"  # undo a movement older than the site's undo window
    REVIEW_IDENTITIES = "review_identities"  # the identity-vigilance review queue
    MERGE_IDENTITIES = "merge_identities"  # merge two local identities of one person, undo a merge
    SEND_INSTRUCTIONS = "send_instructions"  # the crisis cell's instructions to all or some UFs
    WRITE_SERVICE_LOG = "write_service_log"  # main courante entries for one's own UFs only
    IMPORT_HIS_INDEX = (
        "import_his_index"  # replace or update the HIS identity index (its identities are the HIS's)
    )


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.WARD_STAFF: frozenset(
        {
            Permission.READ_PATIENTS,
            Permission.RECORD_MOVEMENTS,
            Permission.READ_STATUS,
            Permission.READ_LOG,
            Permission.RESERVE_PAPER_FORMS,
            Permission.EXCHANGE,
            Permission.WRITE_SERVICE_LOG,
        }
    ),
    Role.CRISIS_CELL: frozenset(
        {
            Permission.READ_PATIENTS,
            Permission.READ_STATUS,
            Permission.SET_STATUS,
            Permission.READ_LOG,
            Permission.WRITE_LOG,
            Permission.VERIFY_AUDIT,
            Permission.RECONCILE_IDENTITIES,
            Permission.EXCHANGE,
            Permission.CANCEL_LATE,
            Permission.IMPORT_HIS_INDEX,
            Permission.SEND_INSTRUCTIONS,
        }
    ),
    Role.IDENTITY_VIGILANCE: frozenset(
        {
            Permission.READ_PATIENTS,
            Permission.READ_STATUS,
            Permission.READ_LOG,
            Permission.RECONCILE_IDENTITIES,
            Permission.REVIEW_IDENTITIES,
            Permission.MERGE_IDENTITIES,
            Permission.EXCHANGE,
        }
    ),
    Role.IT_ADMIN: frozenset(
        {
            Permission.READ_STATUS,
            Permission.MANAGE_USERS,
            Permission.MANAGE_KEYS,
            Permission.SYNC,
            Permission.VERIFY_AUDIT,
            Permission.READ_LOG,
            Permission.RESERVE_PAPER_FORMS,
            Permission.EXCHANGE,
            Permission.IMPORT_HIS_INDEX,
        }
    ),
}

# Permissions that a ward-staff user holds only for their own UFs (IT admins, who print
# blank forms for every ward, hold them site-wide).
UF_SCOPED = frozenset(
    {Permission.RECORD_MOVEMENTS, Permission.RESERVE_PAPER_FORMS, Permission.WRITE_SERVICE_LOG}
)


def _username(value: str) -> str:
    text = value.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._\-]{1,31}", text):
        raise custom("username.format")
    return text


Username = Annotated[str, AfterValidator(_username)]


class User(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    username: Username
    display_name: Annotated[str, Field(min_length=1, max_length=120)]
    role: Role
    ufs: tuple[str, ...] = ()
    active: bool = True

    @model_validator(mode="after")
    def _ufs_for_ward_staff(self) -> Self:
        if self.role is Role.WARD_STAFF and not self.ufs:
            raise custom("ufs.required")
        return self

    def can(self, permission: Permission, uf_code: str | None = None) -> bool:
        if not self.active or permission not in ROLE_PERMISSIONS[self.role]:
            return False
        if permission in UF_SCOPED and uf_code is not None and self.role is Role.WARD_STAFF:
            return uf_code in self.ufs
        return True

    def sees_uf(self, uf_code: str) -> bool:
        """Ward staff see the census of their own UFs; the crisis cell and the CIV see all."""
        if self.role in (Role.CRISIS_CELL, Role.IDENTITY_VIGILANCE):
            return True
        return self.role is Role.WARD_STAFF and uf_code in self.ufs
