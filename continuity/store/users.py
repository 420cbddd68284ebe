"""Users: accounts, roles and UFs (passwords live in the key slots, not here)."""

from __future__ import annotations

import json

from continuity.domain.users import User
from continuity.errors import Conflict, NotFound
from continuity.store.base import _INTEGRITY_ERRORS, Manager
from continuity.store.rows import _user


class UserManager(Manager):
    """``store.users``: the ``users`` table."""

    def insert_user(self, user: User) -> None:
        try:
            self._write(
                "INSERT INTO users(username, display_name, role, ufs, active) VALUES (?, ?, ?, ?, ?)",
                (
                    user.username,
                    user.display_name,
                    user.role.value,
                    json.dumps(list(user.ufs)),
                    int(user.active),
                ),
            )
        except _INTEGRITY_ERRORS:
            raise Conflict("Cet identifiant existe déjà.", "This user name already exists.") from None

    def set_user_active(self, username: str, active: bool) -> None:
        cur = self._write(
            "UPDATE users SET active = ?, version = version + 1 WHERE username = ?", (int(active), username)
        )
        if cur.rowcount == 0:
            raise NotFound("Utilisateur inconnu.", "Unknown user.")

    def get_user(self, username: str) -> User | None:
        row = self._one(
            "SELECT username, display_name, role, ufs, active FROM users WHERE username = ?", (username,)
        )
        return _user(row) if row else None

    def list_users(self) -> list[User]:
        return [
            _user(r)
            for r in self._all(
                "SELECT username, display_name, role, ufs, active FROM users ORDER BY username"
            )
        ]
