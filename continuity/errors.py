"""Errors raised by the core, each carrying a French and an English message.

The CLI and the logs show ``message_fr`` first (the kit is French by default) and
``message_en`` beside it (``str(exc)``, ``bilingual()``, ``details``); the GUI shows
one language only (``message_fr`` or ``message_en``, and ``details_in``). Messages
never contain names or identifiers of patients, so they are safe to log or write to
disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Detail = str | tuple[str, str]  # one text, or (French, English)


class ContinuityError(Exception):
    """Base of every error the core raises on purpose."""

    code = "error"

    def __init__(self, message_fr: str, message_en: str, *, details: Sequence[Detail] | None = None):
        self.message_fr = message_fr
        self.message_en = message_en
        self.detail_pairs: list[tuple[str, str]] = [
            (d, d) if isinstance(d, str) else d for d in details or []
        ]
        # Both languages on one line, for the CLI and the logs.
        self.details = [fr if fr == en else f"{fr} / {en}" for fr, en in self.detail_pairs]
        super().__init__("; ".join([f"{message_fr} / {message_en}", *self.details]))

    def details_in(self, english: bool) -> list[str]:
        """The details in one language (the English ones, or the French)."""
        return [en if english else fr for fr, en in self.detail_pairs]

    def bilingual(self) -> str:
        lines = [f"{self.message_fr}", f"({self.message_en})"]
        lines.extend(f"  - {d}" for d in self.details)
        return "\n".join(lines)


@dataclass(frozen=True)
class FieldError:
    """One error of a form, by the field it is about (a model field's name, "" for none)."""

    field: str
    message_fr: str
    message_en: str


class InvalidInput(ContinuityError):
    """``fields``: the same errors as ``details``, by field, for a form to show each by its input."""

    code = "invalid_input"

    def __init__(
        self,
        message_fr: str,
        message_en: str,
        *,
        details: Sequence[Detail] | None = None,
        fields: Sequence[FieldError] = (),
    ):
        super().__init__(message_fr, message_en, details=details)
        self.fields = tuple(fields)


class NotFound(ContinuityError):
    code = "not_found"


class Conflict(ContinuityError):
    """The request contradicts the current state (occupied bed, patient not admitted...)."""

    code = "conflict"


class StaleRecord(Conflict):
    """Optimistic concurrency: the record changed since the caller read it."""

    code = "stale_record"


class BedTaken(Conflict):
    """Undoing a discharge: the stay's bed went to another patient since; choose another."""

    code = "bed_taken"

    def __init__(self, uf_code: str, bed_code: str):
        super().__init__(
            f"Le lit {bed_code} est occupé depuis la sortie : choisissez un lit libre de l'UF "
            f"{uf_code} (ou sans lit) pour rouvrir le séjour.",
            f"Bed {bed_code} has been occupied since the discharge: choose a free bed of UF "
            f"{uf_code} (or none) to reopen the stay.",
        )
        self.uf_code = uf_code
        self.bed_code = bed_code


class PermissionDenied(ContinuityError):
    code = "permission_denied"


class SessionLocked(PermissionDenied):
    """The session was locked (by the user or on idle): nothing is readable until unlocked again."""

    code = "session_locked"

    def __init__(self) -> None:
        super().__init__("Session verrouillée : déverrouillez d'abord.", "Session locked: unlock first.")


class AuthenticationFailed(ContinuityError):
    code = "authentication_failed"


class RateLimited(AuthenticationFailed):
    code = "rate_limited"

    def __init__(self, seconds: float):
        wait = max(1, round(seconds))
        super().__init__(
            f"Trop d'essais de mot de passe : réessayez dans {wait} s.",
            f"Too many password attempts: try again in {wait} s.",
        )
        self.seconds = seconds


class StoreError(ContinuityError):
    code = "store_error"


class IdentifiersExhausted(ContinuityError):
    code = "identifiers_exhausted"


class PossibleDuplicates(ContinuityError):
    """Raised before creating an identity that resembles existing ones.

    ``candidate_ids`` are internal patient ids for the caller to show, ``index_ipps`` the
    IPPs of identities of the HIS identity index (not patients here yet); the message
    itself holds no identity trait.
    """

    code = "possible_duplicates"

    def __init__(self, candidate_ids: list[str], index_ipps: list[str] | None = None):
        n = len(candidate_ids) + len(index_ipps or [])
        super().__init__(
            f"{n} identité(s) existante(s) ressemblent à celle-ci : vérifiez avant de créer "
            "une nouvelle identité (doublon possible).",
            f"{n} existing identit(y/ies) resemble this one: check before creating a new "
            "identity (possible duplicate).",
        )
        self.candidate_ids = candidate_ids
        self.index_ipps = list(index_ipps or [])


class DiskFull(StoreError):
    """A write the kit does found no room (the disk, or the user's quota): it did not happen."""

    code = "disk_full"

    def __init__(self, where: str = "", *, quota: bool = False):
        into_fr, into_en = (f" dans {where}", f" into {where}") if where else ("", "")
        why_fr, why_en = (" (quota atteint)", " (quota reached)") if quota else ("", "")
        super().__init__(
            f"Disque plein{why_fr} : impossible d'écrire{into_fr} ; cette écriture n'a rien modifié. "
            "La consultation reste possible. Libérez de la place (ou choisissez un autre support), "
            "puis recommencez.",
            f"Disk full{why_en}: cannot write{into_en}; this write changed nothing. Reading still "
            "works. Free some space (or choose another medium), then try again.",
        )


class NoRoomToRekey(DiskFull):
    """A re-key needs room for a re-encrypted copy of each database; there is not enough."""

    def __init__(self, need_mib: float, free_mib: float):
        StoreError.__init__(
            self,
            f"Disque plein : changer la clé de la base demande {need_mib:.1f} Mo libres (la base et "
            f"ses copies re-chiffrées), il n'y en a que {free_mib:.1f} ; rien n'a été modifié. "
            "Libérez de la place, puis recommencez.",
            f"Disk full: re-keying the database needs {need_mib:.1f} MB free (the store and its "
            f"copies re-encrypted), only {free_mib:.1f} are; nothing was changed. Free some space, "
            "then try again.",
        )


class ReadOnlyFolder(StoreError):
    """The folder (or its medium) cannot be written: reading works, saving does not."""

    code = "read_only_folder"

    def __init__(self, where: str = ""):
        into_fr, into_en = (f" dans {where}", f" into {where}") if where else ("", "")
        super().__init__(
            f"Dossier en lecture seule : impossible d'écrire{into_fr} ; rien n'a été modifié. "
            "La consultation reste possible ; pour enregistrer, rendez le dossier accessible en "
            "écriture (ou copiez-le sur un support inscriptible).",
            f"Read-only folder: cannot write{into_en}; nothing was changed. Reading still works; "
            "to save, make the folder writable (or copy it onto a writable medium).",
        )
