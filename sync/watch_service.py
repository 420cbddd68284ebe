"""The watched folders of a workstation: the HIS snapshot inbox and the exchange folder.

``WatchService`` finds complete files (``sync.watch``) and imports them
(``sync.inbox`` for snapshots, ``sync.bundles`` for exchange bundles). The CLI
runs ``process`` in a loop (``continuity watch``); the GUI takes ``ready``
files on its thread and runs ``process`` on its store worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from continuity.errors import ContinuityError
from continuity.services import snapshots
from continuity.session import Session
from continuity.text import for_display
from sync import bundles, inbox
from sync.watch import DEFAULT_SETTLE_SECONDS, FolderWatch, is_candidate

RETRY_UNAVAILABLE_SECONDS = 10.0
DEFAULT_INBOX = "depot-dpi"
DEFAULT_EXCHANGE = "echange"


class ReadyFiles(BaseModel):
    model_config = ConfigDict(frozen=True)
    snapshots: list[Path] = []
    bundles: list[Path] = []

    def __bool__(self) -> bool:
        return bool(self.snapshots or self.bundles)


Result = inbox.FileResult | bundles.BundleResult


def describe(result: Result) -> str:
    """One line for a handled file: its name, what happened, counts (no patient data).

    The name is the dropper's: shown through ``for_display`` (no escape sequence)."""
    name = for_display(result.name)
    if isinstance(result, inbox.FileResult):
        if result.report is not None:
            fr, en = result.report.summary()
            return f"[instantané / snapshot] {name} : {result.outcome.value} — {fr} / {en}"
        if result.outcome is inbox.FileOutcome.QUARANTINED:
            return (
                f"[instantané / snapshot] {name} : mis en quarantaine / quarantined — "
                f"{result.error_fr} / {result.error_en}"
            )
        if result.error_fr:
            return (
                f"[instantané / snapshot] {name} : laissé en place / left in place — "
                f"{result.error_fr} / {result.error_en}"
            )
        return f"[instantané / snapshot] {name} : {result.outcome.value}"
    if result.report is not None:
        r = result.report
        return (
            f"[échange / exchange] {name} : {result.outcome.value} — {r.applied} "
            f"appliqué(s) / applied, {r.already_known} déjà connu(s) / known, {r.waiting} en "
            f"attente / waiting, {r.conflicts} conflit(s) ouvert(s) / open conflict(s)"
        )
    if result.error_fr:
        return f"[échange / exchange] {name} : refusé / refused — {result.error_fr} / {result.error_en}"
    return f"[échange / exchange] {name} : {result.outcome.value}"


def _messages(exc: Exception) -> tuple[str, str]:
    """What to say about an unexpected failure: the core's own words, else its type only."""
    if isinstance(exc, ContinuityError):
        return exc.message_fr, exc.message_en
    return (
        f"Erreur inattendue ({type(exc).__name__}) : fichier laissé en place.",
        f"Unexpected error ({type(exc).__name__}): file left in place.",
    )


def _is_bundle(path: Path) -> bool:
    return is_candidate(path) and path.suffix == bundles.SUFFIX


class WatchService:
    def __init__(
        self,
        inbox_dir: Path | None,
        exchange_dir: Path | None,
        *,
        settle: float = DEFAULT_SETTLE_SECONDS,
        grace: float = inbox.INCOMPLETE_GRACE_SECONDS,
    ):
        self.inbox = FolderWatch(inbox_dir, settle=settle) if inbox_dir else None
        self.exchange = FolderWatch(exchange_dir, settle=settle, accept=_is_bundle) if exchange_dir else None
        self.grace = grace
        self._unavailable: list[FolderWatch] = []

    def start(self) -> list[Path]:
        """Start watching; return the folders that could not be watched (missing medium...)."""
        self._unavailable = []
        for watch in (self.inbox, self.exchange):
            if watch is None:
                continue
            try:
                watch.start()
            except OSError:
                self._unavailable.append(watch)
        return [w.folder for w in self._unavailable]

    def retry_unavailable(self) -> list[Path]:
        """Try again the folders that could not be watched (a USB stick plugged in since)."""
        found = []
        for watch in list(self._unavailable):
            try:
                watch.start()
            except OSError:
                continue
            self._unavailable.remove(watch)
            found.append(watch.folder)
        return found

    def stop(self) -> None:
        for watch in (self.inbox, self.exchange):
            if watch is not None:
                watch.stop()

    def ready(self) -> ReadyFiles:
        return ReadyFiles(
            snapshots=self.inbox.ready() if self.inbox else [],
            bundles=self.exchange.ready() if self.exchange else [],
        )

    def retry(self, files: ReadyFiles) -> None:
        for watch, paths in ((self.inbox, files.snapshots), (self.exchange, files.bundles)):
            for path in paths:
                if watch is not None:
                    watch.retry_later(path)

    def process(
        self, session: Session, files: ReadyFiles, progress: Callable[[int, int], None] | None = None
    ) -> list[Result]:
        """Import the files; those found incomplete are looked at again later.

        Snapshots first, then bundles in the order of their sequence (fewer changes
        wait for an earlier one).
        """
        queue = [(p, False) for p in files.snapshots]
        queue += [(p, True) for p in sorted(files.bundles, key=lambda p: p.name)]
        results: list[Result] = []
        for path, is_bundle in queue:
            results.append(self._import(session, path, is_bundle))
            if progress is not None:
                progress(len(results), len(queue))
        return results

    def _import(self, session: Session, path: Path, is_bundle: bool) -> Result:
        watch = self.exchange if is_bundle else self.inbox
        result: Result
        try:
            result = (
                bundles.import_file(session, path, grace=self.grace)
                if is_bundle
                else inbox.import_file(session, path, grace=self.grace)
            )
        except Exception as exc:  # never let one file stop the watch
            fr, en = _messages(exc)
            result = (
                bundles.BundleResult(
                    name=path.name, outcome=bundles.BundleOutcome.REFUSED, error_fr=fr, error_en=en
                )
                if is_bundle
                else inbox.FileResult(
                    name=path.name, outcome=inbox.FileOutcome.UNREADABLE, error_fr=fr, error_en=en
                )
            )
        if result.outcome.value == "retry" and watch is not None:
            watch.retry_later(path)
        return result

    def run(
        self,
        session: Session,
        stop: threading.Event,
        on_result: Callable[[Result], None],
        interval: float = 0.05,
        started: threading.Event | None = None,
        on_unavailable: Callable[[list[Path]], None] | None = None,
    ) -> None:
        """Watch until ``stop`` is set (the headless ``continuity watch``)."""
        failed = self.start()
        if failed and on_unavailable is not None:
            on_unavailable(failed)
        if started is not None:
            started.set()
        try:
            last_retry = time.monotonic()
            while not stop.is_set():
                if self._unavailable and time.monotonic() - last_retry > RETRY_UNAVAILABLE_SECONDS:
                    self.retry_unavailable()
                    last_retry = time.monotonic()
                files = self.ready()
                if files:
                    for result in self.process(session, files):
                        on_result(result)
                stop.wait(interval)
        finally:
            self.stop()


def folders(session: Session, data_folder: Path) -> tuple[Path, Path]:
    """The inbox and exchange folders of this workstation: configured, else in its data folder."""
    inbox_dir, exchange_dir = snapshots.watch_folders(session)
    return (
        Path(inbox_dir) if inbox_dir else data_folder / DEFAULT_INBOX,
        Path(exchange_dir) if exchange_dir else data_folder / DEFAULT_EXCHANGE,
    )
