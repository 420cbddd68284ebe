"""Paper forms: numbers reserved for the paper fallback, and which were keyed in."""

from __future__ import annotations

from continuity.domain.records import PaperForm
from continuity.errors import Conflict
from continuity.store.base import Manager
from continuity.store.rows import _PAPER_COLS, _iso, _paper_form


class PaperManager(Manager):
    """``store.paper``: the ``paper_forms`` table."""

    def insert_paper_form(self, form: PaperForm) -> None:
        self._write(
            "INSERT INTO paper_forms (number, uf_code, batch, reserved_at, reserved_by) "
            "VALUES (?, ?, ?, ?, ?)",
            (form.number, form.uf_code, form.batch, _iso(form.reserved_at), form.reserved_by),
        )

    def paper_form(self, number: str) -> PaperForm | None:
        row = self._one(f"SELECT {_PAPER_COLS} FROM paper_forms WHERE number = ?", (number,))
        return _paper_form(row) if row else None

    def paper_forms_of_batch(self, batch: str) -> list[PaperForm]:
        return [
            _paper_form(r)
            for r in self._all(
                f"SELECT {_PAPER_COLS} FROM paper_forms WHERE batch = ? ORDER BY number", (batch,)
            )
        ]

    def use_paper_form(self, number: str, used_by: str, patient_id: str) -> None:
        """Mark a reserved form as keyed in; refused if it is unknown or already used."""
        cur = self._write(
            "UPDATE paper_forms SET used_at = ?, used_by = ?, patient_id = ? "
            "WHERE number = ? AND used_at IS NULL",
            (_iso(self._clock()), used_by, patient_id, number),
        )
        if cur.rowcount != 1:
            raise Conflict(
                "Ce formulaire papier a déjà été saisi ou n'a pas été réservé.",
                "This paper form was already keyed in or was never reserved.",
            )

    def count_unused_paper_forms(self) -> dict[str, int]:
        return {
            r[0]: int(r[1])
            for r in self._all(
                "SELECT uf_code, count(*) FROM paper_forms WHERE used_at IS NULL GROUP BY uf_code"
            )
        }

    def add_paper_form_if_absent(self, form: PaperForm) -> None:
        self._write(
            "INSERT OR IGNORE INTO paper_forms (number, uf_code, batch, reserved_at,"
            " reserved_by) VALUES (?, ?, ?, ?, ?)",
            (form.number, form.uf_code, form.batch, _iso(form.reserved_at), form.reserved_by),
        )
