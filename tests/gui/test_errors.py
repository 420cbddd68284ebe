"""Errors on screen speak the interface language only; the CLI and the logs keep both."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app import i18n
from app.errors import message_for
from continuity.domain.identity import Identity
from continuity.errors import InvalidInput, NotFound
from continuity.validation import build
from tests.gui.test_i18n import _compile


def _invalid_identity() -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        build(Identity, {"birth_name": "Dupont3", "first_names": []}, "Identité", "Identity")
    return caught.value


def test_the_details_of_an_error_are_in_french_only(qapp: QApplication) -> None:
    exc = _invalid_identity()
    assert "date de naissance : champ obligatoire / birth date: required field" in str(exc)  # CLI, logs
    shown = message_for(exc).splitlines()
    assert shown[0] == "Identité : saisie invalide."
    assert any(line.startswith("nom de naissance : caractères non autorisés") for line in shown)
    assert any(line.startswith("date de naissance : champ obligatoire") for line in shown)
    assert len(shown) == 1 + len(exc.details)
    assert not [line for line in shown if " / " in line or "birth" in line or "required" in line]
    assert message_for(NotFound("Service inconnu : X.", "Unknown service: X.")) == "Service inconnu : X."


def test_in_english_the_whole_error_is_english(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "FOLDER", _compile(tmp_path).parent)
    i18n.install(qapp, "en")
    try:
        shown = message_for(_invalid_identity()).splitlines()
    finally:
        i18n.uninstall(qapp)
    assert shown[0] == "Identity: invalid input."
    assert any(line.startswith("birth name: ") for line in shown)
    assert not [line for line in shown if " / " in line or "nom de naissance" in line or "saisie" in line]


def test_a_full_disk_or_read_only_folder_is_said_so_not_an_internal_error(qapp: QApplication) -> None:
    import errno

    import sqlcipher3

    assert message_for(OSError(errno.ENOSPC, "No space left on device")).startswith("Disque plein")
    assert message_for(OSError(errno.EROFS, "Read-only file system")).startswith("Dossier en lecture seule")
    full = sqlcipher3.connect(":memory:")
    full.execute("PRAGMA max_page_count = 2")  # a real SQLITE_FULL from SQLite itself
    with pytest.raises(sqlcipher3.OperationalError) as caught:
        full.execute("CREATE TABLE t (v)")
        full.execute("INSERT INTO t SELECT zeroblob(100000)")
    assert message_for(caught.value).startswith("Disque plein")
