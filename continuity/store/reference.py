"""Reference data: the site, its services, UFs and beds, the local workstation and its number block."""

from __future__ import annotations

from collections.abc import Sequence

from continuity.domain.site import ServiceSpec, Site, WorkstationSpec
from continuity.errors import IdentifiersExhausted, NotFound
from continuity.store.base import Manager


class ReferenceManager(Manager):
    """``store.reference``: the site as provisioned, and the allocator of provisional numbers."""

    def insert_site(self, site: Site, local_workstation: str) -> None:
        self._write("INSERT INTO site(code, name) VALUES (?, ?)", (site.code, site.name))
        for uf in site.ufs:
            self._write("INSERT INTO ufs(code, name) VALUES (?, ?)", (uf.code, uf.name))
            for room in uf.rooms:
                for bed in room.beds:
                    self._write(
                        "INSERT INTO beds(uf_code, code, room) VALUES (?, ?, ?)", (uf.code, bed, room.code)
                    )
        for ws in site.workstations:
            self._write(
                "INSERT INTO workstations(code, name, block_start, block_end, next_number, is_local)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (ws.code, ws.name, ws.block[0], ws.block[1], ws.block[0], int(ws.code == local_workstation)),
            )
        if self._store.user_version() >= 3:
            self.insert_services(site.all_services())

    def insert_services(self, services: Sequence[ServiceSpec]) -> None:
        start = self._one("SELECT coalesce(max(position), 0) FROM services")[0]
        for i, s in enumerate(services, start=start + 1):
            self._write(
                "INSERT OR IGNORE INTO services(code, name, position) VALUES (?, ?, ?)", (s.code, s.name, i)
            )

    def site_name(self) -> tuple[str, str]:
        row = self._one("SELECT code, name FROM site")
        if row is None:
            raise NotFound("Site non provisionné.", "Site not provisioned.")
        return row[0], row[1]

    def list_ufs(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._all("SELECT code, name FROM ufs ORDER BY rowid")]

    def uf_exists(self, uf_code: str) -> bool:
        return self._one("SELECT 1 FROM ufs WHERE code = ?", (uf_code,)) is not None

    def bed_info(self, uf_code: str, bed_code: str) -> tuple[str, bool] | None:
        row = self._one("SELECT room, blocked FROM beds WHERE uf_code = ? AND code = ?", (uf_code, bed_code))
        return (row[0], bool(row[1])) if row else None

    def beds_of(self, uf_code: str) -> list[tuple[str, str, bool]]:
        return [
            (r[0], r[1], bool(r[2]))
            for r in self._all(
                "SELECT code, room, blocked FROM beds WHERE uf_code = ? ORDER BY rowid", (uf_code,)
            )
        ]

    def local_workstation(self) -> WorkstationSpec:
        row = self._one("SELECT code, name, block_start, block_end FROM workstations WHERE is_local = 1")
        if row is None:
            raise NotFound("Poste non provisionné.", "Workstation not provisioned.")
        return WorkstationSpec(code=row[0], name=row[1], block=(row[2], row[3]))

    def local_rank(self) -> int:
        """Rank of the local workstation's block among the site's blocks (0: the lowest)."""
        row = self._one(
            "SELECT count(*) FROM workstations"
            " WHERE block_start < (SELECT block_start FROM workstations WHERE is_local = 1)"
        )
        return int(row[0]) if row else 0

    def allocate_number(self) -> int:
        """Next number of the local block; numbers only move forward, so none is reused."""
        row = self._write(
            "UPDATE workstations SET next_number = next_number + 1 "
            "WHERE is_local = 1 AND next_number <= block_end RETURNING next_number - 1"
        ).fetchone()
        if row is None:
            raise IdentifiersExhausted(
                "Bloc d'identifiants provisoires épuisé sur ce poste : demandez un nouveau bloc "
                "à l'informatique.",
                "This workstation's block of provisional identifiers is used up: ask IT for a new block.",
            )
        return int(row[0])

    def remaining_numbers(self) -> int:
        row = self._one("SELECT block_end - next_number + 1 FROM workstations WHERE is_local = 1")
        return int(row[0]) if row else 0

    def all_beds(self) -> dict[tuple[str, str], bool]:
        """(UF, bed) -> blocked."""
        return {(r[0], r[1]): bool(r[2]) for r in self._all("SELECT uf_code, code, blocked FROM beds")}
