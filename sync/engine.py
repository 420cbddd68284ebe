"""Delivery of the outbox to the HIS: MLLP, FHIR or files; resumable and idempotent.

Exactly-once at the HIS comes from two halves. Here: every event is sent
until the HIS acknowledges it, and a resend carries the same HL7 message
control ID (or, in FHIR, the same conditional requests), so it is recognisably
the same message. At the HIS: a receiver ignores a control ID it has already
processed (standard for HL7 interface engines) and FHIR conditional requests
do not create twice. Acknowledgements are committed in chunks, so a crash can
only cause the resend of a few already-acknowledged messages, never a loss.

Events of one patient go out in order, one at a time; a refusal (HL7 AE/AR,
FHIR 4xx) puts the event in the error queue and holds that patient's later
events, while other patients carry on.

HL7 acknowledgement modes (HL7 v2.5 section 2.9; the site's ``[his] ack_mode``).
Original, the default: MSH-15/16 empty, the HIS answers each message with its
application ACK, AA (delivered), AE/AR (error queue); a commit ACK (CA/CE/CR) is
then a protocol error (retried, then the run stops), never a delivery. Enhanced:
MSH-15/16 AL/AL, the HIS answers a commit ACK, then its application ACK as a
message of its own. CA: the event is ``committed`` at once (the HIS holds it: it
is never resent blindly, and the patient's later events wait behind it); CE: retried;
CR: error queue. The application ACK settles it (AA delivered, AE/AR error queue),
whenever it comes on a connection the kit opened: right after the CA, before the
reply to a later message, or while the kit listens at the end of the run
(``SyncOptions.app_ack_wait``). The kit answers it with its own commit ACK when its
MSH-15 asks, after recording it. The kit never listens for connections from the HIS.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum

from fhir.resources.R4B.bundle import Bundle
from pydantic import BaseModel, ConfigDict

from continuity.domain.delivery import EventContext, FoundIdentifier, SiteInfo, control_id
from continuity.domain.outbox import IdentifierKind, IdentifierSource, OutboxEvent
from continuity.domain.users import Permission
from continuity.errors import Conflict, InvalidInput
from continuity.services import crisis, delivery, sync_state
from continuity.session import Session
from sync import fhir, files
from sync.endpoints import Scheme, Target, parse_target
from sync.hl7_adt import COMMIT_CODES, Ack, AckCode, BadAck, build_message, commit_ack, read_block
from sync.mllp import LinkError, MllpLink
from sync.tls import client_context


@dataclass(frozen=True)
class SyncOptions:
    timeout: float = 10.0  # seconds to wait for a connection or a reply
    attempts: int = 5  # tries of one event in one run before the run stops
    backoff: float = 1.0  # first wait after a failure, doubled each time
    backoff_max: float = 60.0
    chunk: int = 200  # events read, marked sent and acknowledged per transaction
    tls_ca: str | None = None  # CA file for mllps:// and https:// (system store by default)
    # HL7 enhanced mode: how long to wait for an application ACK after a CA, and at the end of
    # a run for those still awaited (the event stays committed, awaiting, when none comes)
    app_ack_wait: float = 5.0


class Progress(BaseModel):
    model_config = ConfigDict(frozen=True)
    done: int
    total: int
    acknowledged: int
    refused: int
    note_fr: str = ""
    note_en: str = ""


class RunReport(BaseModel):
    model_config = ConfigDict(frozen=True)
    target: str
    acknowledged: int
    refused: int
    exported: int
    remaining: int
    files: list[str] = []
    stopped_fr: str | None = None
    stopped_en: str | None = None
    cancelled: bool = False
    awaiting: int = 0  # HL7 enhanced mode: committed by the HIS, application ACK still awaited


ProgressFn = Callable[[Progress], None]


class _Stop(Exception):
    def __init__(self, fr: str, en: str):
        super().__init__(en)
        self.fr, self.en = fr, en


@dataclass
class _Run:
    session: Session
    target: Target
    site: SiteInfo
    options: SyncOptions
    progress: ProgressFn
    cancel: threading.Event
    total: int
    done: int = 0
    acknowledged: int = 0
    refused: int = 0
    held: set[str] = field(default_factory=set)
    last_seq: int = 0
    # HL7 enhanced mode
    enhanced: bool = False
    awaiting: dict[str, OutboxEvent] = field(default_factory=dict)  # control ID -> committed event
    blocked: set[str] = field(default_factory=set)  # patients with an event refused in this run
    released: bool = False  # an application ACK freed a patient's later events: another pass

    def report(self, note_fr: str = "", note_en: str = "") -> None:
        self.progress(
            Progress(
                done=self.done,
                total=self.total,
                acknowledged=self.acknowledged,
                refused=self.refused,
                note_fr=note_fr,
                note_en=note_en,
            )
        )

    def delay(self, attempt: int) -> float:
        """Seconds to wait after the ``attempt``-th failure: doubling, capped."""
        return min(self.options.backoff * 2.0 ** (attempt - 1), self.options.backoff_max)

    def wait(self, attempt: int) -> None:
        if self.cancel.wait(self.delay(attempt)):
            raise _Stop("Synchronisation interrompue.", "Synchronisation cancelled.")

    def chunks(self, *, not_exported: bool = False) -> Iterator[list[OutboxEvent]]:
        """Deliverable events in order, a chunk at a time, skipping held patients."""
        while not self.cancel.is_set():
            events = delivery.deliverable(
                self.session, self.options.chunk, not_exported=not_exported, after_seq=self.last_seq
            )
            if not events:
                return
            self.last_seq = events[-1].seq
            ready = [e for e in events if e.patient_id not in self.held]
            if ready:
                yield ready


# ---------------------------------------------------------------------- target
def resolve_target(session: Session, text: str | None) -> Target:
    """The endpoint to use, refusing the real HIS (and any unlisted one) in exercise mode."""
    his, exercise_endpoint = sync_state.endpoints(session)
    exercise = crisis.exercise_mode(session)
    chosen = text or (exercise_endpoint if exercise else his)
    if not chosen and exercise:
        raise Conflict(
            "Poste en mode exercice : aucune destination d'exercice configurée "
            "(continuity sync config --exercise ...) ; le DPI réel n'est jamais "
            "utilisé en exercice.",
            "Workstation in exercise mode: no exercise endpoint configured "
            "(continuity sync config --exercise ...); the real HIS is never used in "
            "an exercise.",
        )
    if not chosen:
        raise InvalidInput(
            "Aucune destination : donnez --to ou configurez le DPI (continuity sync config --his ...).",
            "No target: give --to or configure the HIS (continuity sync config --his ...).",
        )
    target = parse_target(chosen)
    if exercise and target.is_network:
        real = parse_target(his) if his else None
        drill = parse_target(exercise_endpoint) if exercise_endpoint else None
        if (
            (real is not None and target.same_endpoint(real))
            or drill is None
            or not target.same_endpoint(drill)
        ):
            raise Conflict(
                "Poste en mode exercice : envoi au DPI réel refusé. Seules la destination "
                "d'exercice configurée et les fichiers sont permis.",
                "Workstation in exercise mode: sending to the real HIS is refused. Only the "
                "configured exercise endpoint and files are allowed.",
            )
    return target


# ------------------------------------------------------------------------ run
def synchronise(
    session: Session,
    target_text: str | None = None,
    *,
    options: SyncOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    export_all: bool = False,
) -> RunReport:
    """Deliver every deliverable event to the target; return what happened."""
    session.require(Permission.SYNC)
    target = resolve_target(session, target_text)
    opts = options or SyncOptions()
    started = session.clock()
    run = _Run(
        session=session,
        target=target,
        site=delivery.sending_site(session),
        options=opts,
        progress=progress or (lambda _: None),
        cancel=cancel or threading.Event(),
        total=sync_state.backlog(session),
    )
    run.report()
    stopped: _Stop | None = None
    written: list[str] = []
    exported = 0
    try:
        if target.scheme in (Scheme.MLLP, Scheme.MLLPS):
            _deliver_mllp(run)
        elif target.scheme is Scheme.FHIR:
            _deliver_fhir(run)
        else:
            exported, written = _export_files(run, export_all)
    except _Stop as exc:
        stopped = exc
    remaining = sync_state.backlog(session)
    awaiting = len(delivery.awaiting(session)) if target.scheme in (Scheme.MLLP, Scheme.MLLPS) else 0
    report = RunReport(
        target=target.text,
        acknowledged=run.acknowledged,
        refused=run.refused,
        exported=exported,
        remaining=remaining,
        files=written,
        stopped_fr=stopped.fr if stopped else None,
        stopped_en=stopped.en if stopped else None,
        cancelled=run.cancel.is_set(),
        awaiting=awaiting,
    )
    sync_state.record_run(
        session,
        sync_state.LastRun(
            target=target.text,
            started_at=started,
            finished_at=session.clock(),
            acknowledged=run.acknowledged,
            refused=run.refused,
            remaining=remaining,
            stopped_reason=stopped.en if stopped else None,
        ),
    )
    run.report("Terminé.", "Finished.")
    return report


def _contexts(run: _Run, events: list[OutboxEvent]) -> list[EventContext]:
    return [delivery.event_context(run.session, e) for e in events]


# ------------------------------------------------------------------------ MLLP
class _Outcome(Enum):
    ACKNOWLEDGED = "acknowledged"  # AA for this message: settled with its chunk
    REFUSED = "refused"  # AE/AR (or CR): to the error queue
    COMMITTED = "committed"  # CA, no application ACK yet: recorded, awaiting
    SETTLED = "settled"  # CA then its application ACK: already recorded and counted


def _deliver_mllp(run: _Run) -> None:
    target, opts = run.target, run.options
    tls = client_context(opts.tls_ca) if target.scheme is Scheme.MLLPS else None
    link = MllpLink(target.host, target.port, timeout=opts.timeout, tls=tls)
    run.enhanced = run.site.ack_mode == "enhanced"
    if run.enhanced:
        run.awaiting = {control_id(e.event_id): e for e in delivery.awaiting(run.session)}
    try:
        while True:
            run.released = False
            run.last_seq = 0
            _mllp_pass(run, link)
            if run.awaiting and not run.cancel.is_set():
                _collect(run, link)
            if not run.released or run.cancel.is_set():
                break
    finally:
        link.close()


def _mllp_pass(run: _Run, link: MllpLink) -> None:
    for events in run.chunks():
        contexts = _contexts(run, events)
        delivery.mark_sent(run.session, [e.event_id for e in events])
        acked: list[str] = []
        untouched = {e.event_id for e in events}
        try:
            for ctx in contexts:
                if run.cancel.is_set():
                    break
                if ctx.event.patient_id in run.held:
                    continue
                untouched.discard(ctx.event.event_id)
                outcome, ack = _send_one(run, link, ctx)
                run.done += 1
                if outcome is _Outcome.ACKNOWLEDGED:
                    acked.append(ctx.event.event_id)
                    run.acknowledged += 1
                elif outcome is _Outcome.REFUSED:
                    _refused_by_his(run, ctx.event, ack)
                if run.done % 50 == 0:
                    run.report()
        finally:
            delivery.settle(run.session, acked, run.target.text, sorted(untouched))
        run.report()


def _send_one(run: _Run, link: MllpLink, ctx: EventContext) -> tuple[_Outcome, Ack]:
    message = build_message(ctx, run.site, run.session.clock()).encode("utf-8")
    fresh_retry_used = False
    attempt = 0
    while True:
        reused = link.connected
        try:
            raw = link.exchange(message)
            return _answer(run, link, ctx, raw)
        except LinkError as exc:
            if reused and not fresh_retry_used:
                # The HIS may close idle connections (or each one after its ACK): one
                # immediate retry on a new connection is not a failure.
                fresh_retry_used = True
                continue
            failure: LinkError | BadAck = exc
        except BadAck as exc:
            link.disconnect()
            failure = exc
        attempt += 1
        _retry_later(run, ctx.event, attempt, failure.fr, failure.en)
        if attempt >= run.options.attempts:
            raise _Stop(
                f"Arrêt après {attempt} tentatives : {failure.fr}",
                f"Stopped after {attempt} attempts: {failure.en}",
            )
        run.report(f"Nouvel essai ({attempt}) : {failure.fr}", f"Retrying ({attempt}): {failure.en}")
        run.wait(attempt)


def _answer(run: _Run, link: MllpLink, ctx: EventContext, raw: bytes) -> tuple[_Outcome, Ack]:
    """What the HIS's reply to this message means; ``BadAck`` (retried) if it is not a usable one."""
    while True:
        ack = read_block(raw)
        if ack.control_id == ctx.control_id:
            break
        if not (run.enhanced and ack.is_application):
            raise BadAck(
                "L'accusé du DPI répond à un autre message (identifiant de contrôle différent).",
                "The HIS acknowledgement answers another message (different control ID).",
            )
        _application_ack(run, link, ack)  # an earlier message's, handed over first
        raw = link.receive()
    code = ack.code.value
    if ack.code in COMMIT_CODES and not run.enhanced:
        raise BadAck(
            f"Le DPI a répondu par un accusé de prise en charge ({code}) : en mode original "
            "(MSH-15/16 vides), seul un accusé applicatif AA/AE/AR dit si le message est intégré. "
            "Vérifiez le mode d'accusé du DPI (continuity sync config --ack-mode).",
            f"The HIS answered with a commit acknowledgement ({code}): in original mode "
            "(MSH-15/16 empty) only an application ACK AA/AE/AR says whether the message was "
            "processed. Check the HIS's acknowledgement mode (continuity sync config --ack-mode).",
        )
    if ack.code is AckCode.COMMIT_ERROR:
        raise BadAck(
            "Le DPI ne peut pas prendre le message en charge pour l'instant (CE).",
            "The HIS cannot take the message in charge for now (CE, commit error).",
        )
    if run.enhanced and ack.wants_commit_ack:
        # The HIS answered with its application ACK alone (no CA first), asking for the kit's
        # commit ACK: recorded now, then commit-acknowledged, as one coming after a CA.
        if ack.code is AckCode.ACCEPT:
            delivery.acknowledge(run.session, [ctx.event.event_id], run.target.text)
            run.acknowledged += 1
        else:
            _refused_by_his(run, ctx.event, ack)
        with contextlib.suppress(LinkError):
            link.send(commit_ack(ack, run.site, run.session.clock()).encode("utf-8"))
        return _Outcome.SETTLED, ack
    if ack.code in (AckCode.COMMIT_REJECT, AckCode.ERROR, AckCode.REJECT):
        return _Outcome.REFUSED, ack
    if ack.code is AckCode.ACCEPT:
        return _Outcome.ACKNOWLEDGED, ack
    # CA: the HIS holds it. Recorded before waiting, so that nothing resends it blindly.
    delivery.commit(run.session, ctx.event.event_id)
    run.awaiting[ctx.control_id] = ctx.event
    run.held.add(ctx.event.patient_id)
    return _await_application(run, link, ctx, ack)


def _await_application(run: _Run, link: MllpLink, ctx: EventContext, commit: Ack) -> tuple[_Outcome, Ack]:
    """After the CA: the application ACK if it comes on this connection in time."""
    deadline = time.monotonic() + run.options.app_ack_wait
    while (left := deadline - time.monotonic()) > 0:
        ack = _next_ack(link, left)
        if ack is None:
            break
        if ack.is_application:
            _application_ack(run, link, ack)
            if ack.control_id == ctx.control_id:
                return _Outcome.SETTLED, ack
    run.report(
        "Pris en charge par le DPI (CA), accusé applicatif attendu.",
        "Committed by the HIS (CA), application ACK awaited.",
    )
    return _Outcome.COMMITTED, commit


def _next_ack(link: MllpLink, wait: float) -> Ack | None:
    """The next ACK on the connection within ``wait``; None if none (or the link failed)."""
    try:
        raw = link.receive_next(wait)
        return read_block(raw) if raw is not None else None
    except (LinkError, BadAck):
        link.disconnect()
        return None


def _application_ack(run: _Run, link: MllpLink, ack: Ack) -> None:
    """Enhanced mode: the HIS's application ACK of a message it committed earlier."""
    event = run.awaiting.pop(ack.control_id, None)
    if event is not None:
        if ack.code is AckCode.ACCEPT:
            delivery.acknowledge(run.session, [event.event_id], run.target.text)
            run.acknowledged += 1
            if event.patient_id not in run.blocked:
                run.held.discard(event.patient_id)
                run.released = True
        else:
            _refused_by_his(run, event, ack)
    # Recorded (or a repeat of one already recorded): say so if the HIS asks.
    if ack.wants_commit_ack:
        # on a failure the HIS hands it over again; recording it twice changes nothing
        with contextlib.suppress(LinkError):
            link.send(commit_ack(ack, run.site, run.session.clock()).encode("utf-8"))


def _collect(run: _Run, link: MllpLink) -> None:
    """End of a pass, enhanced mode: listen for the application ACKs still awaited, first on
    the open connection, then on a new one on which the kit sends nothing."""
    deadline = time.monotonic() + run.options.app_ack_wait
    fresh = False
    while run.awaiting and not run.cancel.is_set() and (left := deadline - time.monotonic()) > 0:
        if not link.connected:
            if fresh:
                return
            fresh = True
            try:
                link.connect()
            except LinkError:
                return
        ack = _next_ack(link, left)
        if ack is None:
            if link.connected:
                return  # the connection stays open and silent: nothing more for now
            continue
        if ack.is_application:
            _application_ack(run, link, ack)


def _retry_later(run: _Run, event: OutboxEvent, attempt: int, fr: str, en: str) -> None:
    when = run.session.clock() + timedelta(seconds=run.delay(attempt))
    delivery.retry_later(run.session, event.event_id, f"{fr} / {en}", when)


def _refused_by_his(run: _Run, event: OutboxEvent, ack: Ack) -> None:
    """The HIS's own refusal (AE, AR, CR): the event to the error queue with its text."""
    code = ack.code.value
    _refuse(run, event, ack.text or code, f"Refusé par le DPI ({code})", f"Refused by the HIS ({code})")


def _refuse(run: _Run, event: OutboxEvent, his_text: str, fr: str, en: str) -> None:
    delivery.refuse(run.session, event.event_id, f"{fr} / {en}", his_text)
    run.refused += 1
    run.held.add(event.patient_id)
    run.blocked.add(event.patient_id)


# ------------------------------------------------------------------------ FHIR
def _by_patient(contexts: list[EventContext]) -> list[list[EventContext]]:
    groups: dict[str, list[EventContext]] = {}
    for ctx in contexts:
        groups.setdefault(ctx.event.patient_id, []).append(ctx)
    return list(groups.values())


def _deliver_fhir(run: _Run) -> None:
    opts = run.options
    verify: bool | str = opts.tls_ca or True
    client = fhir.FhirClient(run.target.base_url, timeout=opts.timeout, verify=verify)
    ipp_system, nda_system = fhir.his_ipp_system(run.site), fhir.his_nda_system(run.site)
    try:
        for events in run.chunks():
            for group in _by_patient(_contexts(run, events)):
                if run.cancel.is_set():
                    return
                ids = [c.event.event_id for c in group]
                delivery.mark_sent(run.session, ids)
                bundle = fhir.patient_bundle(group, run.site, ipp_system)
                try:
                    results = _transaction(run, client, bundle, group[0].event)
                except fhir.FhirRefused as exc:
                    run.done += len(group)
                    _refuse(
                        run,
                        group[0].event,
                        exc.text,
                        f"Refusé par le serveur FHIR (HTTP {exc.status})",
                        f"Refused by the FHIR server (HTTP {exc.status})",
                    )
                    continue
                found = _found_ids(group, results, ipp_system, nda_system)
                delivery.acknowledge(run.session, ids, run.target.text, found)
                run.done += len(group)
                run.acknowledged += len(group)
                run.report()
    finally:
        client.close()


def _transaction(
    run: _Run, client: fhir.FhirClient, bundle: Bundle, event: OutboxEvent
) -> list[fhir.EntryResult]:
    attempt = 0
    while True:
        try:
            return client.transaction(bundle)
        except fhir.FhirUnavailable as exc:
            attempt += 1
            _retry_later(run, event, attempt, exc.fr, exc.en)
            if attempt >= run.options.attempts:
                raise _Stop(
                    f"Arrêt après {attempt} tentatives : {exc.fr}",
                    f"Stopped after {attempt} attempts: {exc.en}",
                ) from None
            run.report(f"Nouvel essai ({attempt}) : {exc.fr}", f"Retrying ({attempt}): {exc.en}")
            run.wait(attempt)


def _found_ids(
    group: list[EventContext],
    results: list[fhir.EntryResult],
    ipp_system: str | None,
    nda_system: str | None,
) -> list[FoundIdentifier]:
    """Server ids and the HIS's own IPP/NDA, read back from the transaction response."""
    patient_id = group[-1].patient.id
    stays = list(dict.fromkeys(c.stay.id for c in group if c.stay is not None))
    patient_result, encounter_results = results[0], results[1:]
    found: list[FoundIdentifier] = []

    def keep(entity: str, entity_id: str, kind: IdentifierKind, value: str) -> None:
        found.append(
            FoundIdentifier(
                entity=entity,
                entity_id=entity_id,
                kind=kind,
                value=value,
                source=IdentifierSource.FHIR_RESPONSE,
            )
        )

    if patient_result.server_id:
        keep("patient", patient_id, IdentifierKind.FHIR_PATIENT, patient_result.server_id)
    for system, value in patient_result.identifiers:
        if ipp_system and system == ipp_system and value:
            keep("patient", patient_id, IdentifierKind.IPP, value)
    for stay_id, result in zip(stays, encounter_results, strict=False):
        if result.server_id:
            keep("stay", stay_id, IdentifierKind.FHIR_ENCOUNTER, result.server_id)
        for system, value in result.identifiers:
            if nda_system and system == nda_system and value:
                keep("stay", stay_id, IdentifierKind.NDA, value)
    return found


# ----------------------------------------------------------------------- files
def _export_files(run: _Run, export_all: bool) -> tuple[int, list[str]]:
    folder = run.target.folder
    assert folder is not None
    if not folder.is_dir():
        raise InvalidInput(f"Dossier d'export introuvable : {folder}", f"Export folder not found: {folder}")
    now = run.session.clock()
    ipp_system = fhir.his_ipp_system(run.site)
    messages: list[str] = []
    lines: list[str] = []
    ids: list[str] = []
    for events in run.chunks(not_exported=not export_all):
        contexts = _contexts(run, events)
        messages += [build_message(c, run.site, now) for c in contexts]
        lines += [
            fhir.bundle_json(fhir.patient_bundle(g, run.site, ipp_system)) for g in _by_patient(contexts)
        ]
        ids += [c.event.event_id for c in contexts]
        run.done += len(contexts)
        run.report()
    if not ids:
        return 0, []
    hl7_path, ndjson_path = files.export_names(folder, run.site.workstation, now)
    batch_id = f"{run.site.workstation}-{now.astimezone():%Y%m%d%H%M%S}"
    files.write_atomically(
        hl7_path, files.batch_text(messages, run.site.site_code, run.site.workstation, batch_id, now)
    )
    try:
        files.write_atomically(ndjson_path, "\n".join(lines) + "\n")
    except BaseException:
        hl7_path.unlink(missing_ok=True)  # both files or neither: the events stay to export
        raise
    delivery.mark_exported(run.session, ids)
    return len(ids), [str(hl7_path), str(ndjson_path)]
