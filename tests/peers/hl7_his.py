"""A stand-in HIS ADT receiver built on hl7apy's MLLP server (not on the kit's python-hl7).

Every message is parsed and validated by hl7apy against the HL7 v2.5
structures at STRICT level; the French ZBE segment, which hl7apy does not
know, is parsed on its own, and so is ZFD (identity complements); both are checked against
the IHE PAM France tables (movement action and nature, XON of a UF, identity collection
mode, identity document). Like a real interface engine, the receiver applies
a message control ID once and answers a repeat with the same ACK without
applying it again. Faults can be queued to play a misbehaving HIS.

hl7apy's server handles one message per connection and then closes it; the
kit must cope with that too.

Acknowledgement modes (HL7 v2.5 section 2.9), as a conformant receiver plays them: a
message whose MSH-15 and MSH-16 are both empty gets an application ACK (AA/AE/AR,
original mode); one with MSH-15 = AL gets a commit ACK (CA, or CE/CR) first, then,
as MSH-16 asks (AL always, ER on error only, SU on success only, NE never), its
application ACK as a separate ACK message: on the same connection right after the
CA (``app_ack_delivery = "same"``), or held and handed over on the kit's next
connection (``"next"``: before the reply to its next message, or pushed when the kit
connects and sends nothing), or kept until the test releases them (``"hold"``), or
never (``"never"``), or as the only answer, without a CA (``"alone"``). An application
ACK asks for the kit's commit ACK (its MSH-15 is ``app_ack_accept``, AL by default); the
kit's answers are validated and recorded. One the kit did not commit-acknowledge (a kill, a
dropped connection) is handed over again on its next connection, whatever the mode, as an
enhanced-mode sender retries (HL7 v2.5 2.9.3).
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Message
from hl7apy.exceptions import HL7apyException
from hl7apy.mllp import AbstractErrorHandler, AbstractHandler, MLLPRequestHandler, MLLPServer
from hl7apy.parser import parse_message, parse_segment

TRIGGERS = {
    "A01": "ADT_A01",
    "A02": "ADT_A02",
    "A03": "ADT_A03",
    "A08": "ADT_A01",
    "A11": "ADT_A09",
    "A12": "ADT_A12",
    "A13": "ADT_A01",
    "A21": "ADT_A21",
    "A22": "ADT_A21",
    "A31": "ADT_A05",
    "A52": "ADT_A52",
    "A53": "ADT_A52",
    # IHE PAM France's movement update (section 5.3.2): not a v2.5 trigger, parsed and validated
    # STRICT with the ADT_A01 structure it is declared with (ADT^Z99^ADT_A01, as IHE's Gazelle
    # PAM profiles do); ZBE-4 must then be UPDATE and ZBE-6 name the original trigger.
    "Z99": "ADT_A01",
    "A40": "ADT_A39",  # a merge of two patients (PID the kept one, MRG-1 the merged IPP)
}
MOVEMENT_TRIGGERS = set(TRIGGERS) - {"A08", "A31", "A40"}
IDLE_PUSH = 0.3  # seconds without a message: the kit connected to collect application ACKs


class Drop(Exception):
    """Raised by a handler to make hl7apy close the connection without any reply."""


@dataclass(frozen=True)
class Applied:
    control_id: str
    trigger: str
    patient: str  # first PID-3 identifier (the provisional IPP)
    movement: str | None  # ZBE-1
    action: str | None  # ZBE-4
    family: str
    processing: str  # MSH-11: P production, T training (exercise)
    ack_types: tuple[str, str] = ("", "")  # MSH-15, MSH-16 of the message
    raw: str = ""  # the message as received (ER7)


@dataclass
class HisState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    applied: list[Applied] = field(default_factory=list)
    acks: dict[str, str] = field(default_factory=dict)  # control id -> code answered
    received: int = 0
    settled: int = 0  # messages whose handling is over (answered, dropped or refused)
    duplicates: int = 0
    invalid: list[str] = field(default_factory=list)
    faults: deque[str] = field(default_factory=deque)
    refuse_patients: set[str] = field(default_factory=set)  # provisional IPPs answered AE
    refusal_text: str | None = None  # MSA-3 of a refusal, laid in as is (no escaping): a sloppy HIS
    # acknowledgement modes: None follows each message's MSH-15/16; "original"/"enhanced" force one
    ack_mode: str | None = None
    app_ack_delivery: str = "same"  # same | next | hold | never | alone (enhanced mode, see the module)
    app_ack_accept: str = "AL"  # MSH-15 of our application ACKs: AL asks the kit for a commit ACK
    pending_app_acks: list[str] = field(default_factory=list)  # framed, for "next" / "hold"
    app_acks_sent: list[tuple[str, str]] = field(default_factory=list)  # (control id, code)
    commit_acks: list[str] = field(default_factory=list)  # MSA-2 of the kit's commit ACKs
    commits: int = 0  # commit ACKs (CA) answered
    idle_connections: int = 0  # connections on which the kit sent nothing (collecting ACKs)

    def release_app_acks(self) -> None:
        """Held application ACKs ("hold") go out on the kit's next connection."""
        with self.lock:
            self.app_ack_delivery = "next"

    def next_fault(self) -> str | None:
        with self.lock:
            return self.faults.popleft() if self.faults else None

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every message received so far has been handled (late ones included)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.settled >= self.received:
                    return
            time.sleep(0.01)

    def movements_of(self, patient: str) -> list[tuple[str, str | None, str | None]]:
        return [(a.trigger, a.movement, a.action) for a in self.applied if a.patient == patient]


def _ack(
    incoming: Any, code: str, text: str = "", control_id: str | None = None, accept: str | None = None
) -> str:
    ack = Message("ACK", version="2.5", validation_level=VALIDATION_LEVEL.STRICT)
    ack.msh.msh_3 = "DPI"
    ack.msh.msh_4 = "CH"
    ack.msh.msh_5 = incoming.msh.msh_3.to_er7() if incoming is not None else "?"
    ack.msh.msh_9 = "ACK^" + (incoming.msh.msh_9.msh_9_2.to_er7() if incoming is not None else "A01") + "^ACK"
    ack.msh.msh_10 = f"ACK{int(time.time() * 1000) % 10**12}"
    ack.msh.msh_11 = "P"
    ack.msh.msh_12 = "2.5"
    if accept is not None:  # enhanced mode: an application ACK may ask for an accept ACK
        ack.msh.msh_15 = accept
        ack.msh.msh_16 = "NE"
    ack.msa.msa_1 = code
    ack.msa.msa_2 = control_id if control_id is not None else incoming.msh.msh_10.to_er7()
    if text:
        ack.msa.msa_3 = text[:80]
    return str(ack.to_mllp())


def _raw_ack(control_id: str, code: str, text: str) -> str:
    """An ACK written by hand, its text unescaped, as some interface engines do."""
    return (
        "\x0bMSH|^~\\&|DPI|CH|CONTINUITE|X|20261127080000||ACK^A01^ACK|R1|P|2.5\r"
        f"MSA|{code}|{control_id}|{text}\r\x1c\r"
    )


def _z(raw: str, name: str) -> Any:
    for line in raw.split("\r"):
        if line.startswith(name + "|"):
            return parse_segment(line, version="2.5")
    return None


def _zbe(raw: str) -> Any:
    return _z(raw, "ZBE")


# IHE PAM France tables: ZBE-4 action, ZBE-9 nature, ZFD-5 collection mode, ZFD-7 document.
ZBE_ACTIONS = {"INSERT", "UPDATE", "CANCEL"}
ZBE_NATURES = {"S", "H", "M", "L", "D", "SM", "SH", "MH", "LD", "HMS"}
ZFD_MODES = {"SM", "CV", "INSI", "CB", "RFID"}
ZFD_DOCUMENTS = {"AN", "CC", "CE", "CM", "CN", "CS", "LE", "PA", "PC", "TC", "DC", "AC", "IE"}


def _parts(segment: Any, number: int) -> list[str]:
    """The components of a Z segment's field, by position (1-based list index 0)."""
    for f in segment.children:
        if f.name == f"{segment.name}_{number}":
            return [c.to_er7() for c in f.children]
    return []


def french_segments_problem(raw: str) -> str | None:
    """What is wrong with the message's ZBE and ZFD against the PAM FR tables, if anything."""
    zbe = _zbe(raw)
    if zbe is not None:
        action = "".join(_parts(zbe, 4))
        if action not in ZBE_ACTIONS:
            return f"ZBE-4 {action!r} is not INSERT/UPDATE/CANCEL"
        for number in (7, 8):
            xon = _parts(zbe, number)
            if xon and (len(xon) < 10 or xon[6] != "UF" or not xon[9]):
                return f"ZBE-{number} is not an XON naming a UF (UF in component 7, code in 10)"
        nature = _parts(zbe, 9)
        if nature and nature[0] not in ZBE_NATURES:
            return f"ZBE-9 {nature[0]!r} is not a PAM FR movement nature"
    zfd = _z(raw, "ZFD")
    if zfd is not None:
        mode, queried, document = (_parts(zfd, n) for n in (5, 6, 7))
        if mode and mode[0] not in ZFD_MODES:
            return f"ZFD-5 {mode[0]!r} is not an identity collection mode"
        if queried and not re.fullmatch(r"\d{8}", queried[0]):
            return "ZFD-6 is not a date"
        if document and document[0] not in ZFD_DOCUMENTS:
            return f"ZFD-7 {document[0]!r} is not an identity document type"
    return None


def _pid_of(msg: Any) -> Any:
    """The PID segment, at the top of the message or in its PATIENT group (ADT_A39 of an A40)."""
    for child in msg.children:
        if child.name == "PID":
            return child
        if child.name.endswith("_PATIENT"):
            for grandchild in child.children:
                if grandchild.name == "PID":
                    return grandchild
    raise ValueError("no PID segment")


def _handler(state: HisState) -> type[AbstractHandler]:
    class AdtHandler(AbstractHandler):  # type: ignore[misc]
        def reply(self) -> str:
            try:
                return self._reply()
            finally:
                with state.lock:
                    state.settled += 1

        def _reply(self) -> str:
            raw: str = self.incoming_message
            with state.lock:
                state.received += 1
            fault = state.next_fault()
            if fault == "drop_before":
                raise Drop
            if fault and fault.startswith("delay:"):
                time.sleep(float(fault.split(":")[1]))
            if fault == "garbage":
                return "\x0bthis is not HL7\x1c\r"
            try:
                msg = parse_message(raw, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
                msg.validate()
            except (HL7apyException, ValueError) as exc:
                with state.lock:
                    state.invalid.append(f"{type(exc).__name__}: {exc}")
                return _ack(
                    None,
                    "AR",
                    f"invalid message: {exc}",
                    control_id=raw.split("|")[9] if raw.count("|") > 9 else "",
                )
            control = msg.msh.msh_10.to_er7()
            trigger = msg.msh.msh_9.msh_9_2.to_er7()
            if fault == "wrong_id":
                return _ack(msg, "AA", control_id="SOMETHINGELSE")
            if fault == "bad_msh":  # MSH-2 repeats a separator (python-hl7 asserted on it)
                return _ack(msg, "AA").replace("MSH|^~\\&|", "MSH|^^~\\&|", 1)
            if fault == "not_ack":
                return str(Message("ADT_A01", version="2.5").to_mllp())
            if fault in ("CA", "CE", "CR"):  # a commit ACK, the message not applied
                return _ack(msg, fault, "" if fault == "CA" else "Erreur de prise en charge")
            pid = _pid_of(msg)
            patient = pid.pid_3.cx_1.to_er7()
            zbe = _zbe(raw)
            if trigger in MOVEMENT_TRIGGERS and zbe is None:
                with state.lock:
                    state.invalid.append(f"{trigger} without ZBE")
                return _ack(msg, "AR", "ZBE segment required")
            if (
                trigger == "Z99"
                and zbe is not None
                and (zbe.zbe_4.to_er7() != "UPDATE" or zbe.zbe_6.to_er7() not in MOVEMENT_TRIGGERS)
            ):
                with state.lock:
                    state.invalid.append("Z99 without ZBE-4 UPDATE and ZBE-6")
                return _ack(msg, "AR", "Z99: ZBE-4 UPDATE and ZBE-6 required")
            problem = french_segments_problem(raw)
            if problem is not None:
                with state.lock:
                    state.invalid.append(problem)
                return _ack(msg, "AR", problem)
            accept, application = msg.msh.msh_15.to_er7(), msg.msh.msh_16.to_er7()
            forced = state.ack_mode
            enhanced = forced == "enhanced" or (forced is None and bool(accept or application))
            refusal = fault[-2:] if fault in ("AE", "AR", "CA_then_AE", "CA_then_AR") else None
            with state.lock:
                if control in state.acks and state.acks[control] == "AA":
                    state.duplicates += 1
                    answer = state.acks[control]  # the same answer again, nothing applied twice
                elif refusal is not None or patient in state.refuse_patients:
                    answer = refusal or "AE"
                    state.acks[control] = answer
                else:
                    state.applied.append(
                        Applied(
                            control_id=control,
                            trigger=trigger,
                            patient=patient,
                            movement=zbe.zbe_1.to_er7().split("^")[0] if zbe is not None else None,
                            action=zbe.zbe_4.to_er7() if zbe is not None else None,
                            family=pid.pid_5.to_er7().split("^")[0],
                            processing=msg.msh.msh_11.to_er7(),
                            ack_types=(accept, application),
                            raw=raw,
                        )
                    )
                    state.acks[control] = answer = "AA"
            if fault == "drop_after":
                raise Drop  # processed, but the ACK never leaves
            if enhanced:
                return _enhanced_reply(state, msg, control, answer, application or "AL", fault == "CA_only")
            if answer != "AA" and state.refusal_text is not None:
                return _raw_ack(control, answer, state.refusal_text)
            text = "Identité incomplète : rejet par le DPI" if answer != "AA" else ""
            return _ack(msg, answer, text)

    return AdtHandler


def _enhanced_reply(
    state: HisState, msg: Any, control: str, answer: str, application: str, no_app_ack: bool
) -> str:
    """CA for the message, then its application ACK as MSH-16 asks, where the state says."""
    wanted = {"AL": True, "ER": answer != "AA", "SU": answer == "AA"}.get(application, False)
    with state.lock:
        frames = []
        if state.app_ack_delivery in ("next", "same", "alone"):  # "same": those handed over again
            frames, state.pending_app_acks = state.pending_app_acks, []
        if state.app_ack_delivery != "alone":  # "alone": the application ACK as the only answer
            frames.append(_ack(msg, "CA"))
            state.commits += 1
        if wanted and not no_app_ack:
            if answer != "AA" and state.refusal_text is not None:
                app = _raw_ack(control, answer, state.refusal_text)
            else:
                text = "Identité incomplète : rejet par le DPI" if answer != "AA" else ""
                app = _ack(msg, answer, text, accept=state.app_ack_accept)
            state.app_acks_sent.append((control, answer))
            if state.app_ack_delivery in ("same", "alone"):
                frames.append(app)
            elif state.app_ack_delivery in ("next", "hold"):
                state.pending_app_acks.append(app)
    return "".join(frames)


def _asks_commit_ack(frame: str) -> bool:
    fields = frame.strip("\x0b\x1c\r").split("\r")[0].split("|")
    return len(fields) > 14 and fields[8].startswith("ACK") and fields[14] in ("AL", "SU")


def _control_of(frame: str) -> str:
    return frame.strip("\x0b\x1c\r").split("\r")[0].split("|")[9]


def _request_handler(state: HisState) -> type[MLLPRequestHandler]:
    class Handler(MLLPRequestHandler):  # type: ignore[misc]
        """hl7apy's one-message connection, plus the enhanced-mode conversation around it:
        application ACKs pushed on an idle connection, the kit's commit ACKs read back."""

        def handle(self) -> None:
            self.request.settimeout(IDLE_PUSH)
            try:
                first = self.request.recv(1)
            except TimeoutError:
                first = b""
            finally:
                self.request.settimeout(self.timeout)
            if not first:  # the kit connected to collect application ACKs
                with state.lock:
                    state.idle_connections += 1
                deadline = time.monotonic() + self.timeout
                while time.monotonic() < deadline:  # "hold": a HIS still processing, the line open
                    with state.lock:
                        if state.app_ack_delivery != "hold":
                            break
                    time.sleep(0.02)
                with state.lock:
                    frames: list[str] = []
                    if state.app_ack_delivery in ("next", "same"):
                        frames, state.pending_app_acks = state.pending_app_acks, []
                if frames:
                    self._deliver("".join(frames))
                self.request.close()
                return
            line = first
            while line[-2:] != b"\x1c\r":
                try:
                    char = self.rfile.read(1)
                except TimeoutError:
                    self.request.close()
                    return
                if not char:
                    break
                line += char
            message = self._extract_hl7_message(line.decode(self.encoding))
            if message is not None:
                try:
                    response = self._route_message(message)
                except Exception:
                    self.request.close()
                    return
                self._deliver(response)
            self.request.close()

        def _deliver(self, response: str) -> None:
            """Write the reply, then read the kit's commit ACKs of the application ACKs in it;
            one not commit-acknowledged is handed over again later, as an enhanced-mode
            sender retries (HL7 v2.5 2.9.3)."""
            asking = {
                _control_of(f): f + "\x1c\r"
                for f in response.split("\x1c\r")
                if f.strip() and _asks_commit_ack(f)
            }
            try:
                self.wfile.write(response.encode(self.encoding))
                self._read_commit_acks(asking)
            except OSError:
                pass
            if asking:
                with state.lock:
                    state.pending_app_acks[:0] = list(asking.values())

        def _read_commit_acks(self, asking: dict[str, str]) -> None:
            self.request.settimeout(2.0)
            buffer = b""
            while asking:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                buffer += chunk
                while b"\x1c\r" in buffer and asking:
                    block, buffer = buffer.split(b"\x1c\r", 1)
                    text = block.lstrip(b"\x0b").decode(self.encoding)
                    try:
                        ack = parse_message(text, validation_level=VALIDATION_LEVEL.STRICT)
                        ack.validate()
                    except (HL7apyException, ValueError) as exc:
                        with state.lock:
                            state.invalid.append(f"commit ACK: {type(exc).__name__}: {exc}")
                        continue
                    answered = ack.msa.msa_2.to_er7()
                    if ack.msa.msa_1.to_er7() == "CA" and asking.pop(answered, None) is not None:
                        with state.lock:
                            state.commit_acks.append(answered)

    return Handler


def _error_handler(state: HisState) -> type[AbstractErrorHandler]:
    class ErrorHandler(AbstractErrorHandler):  # type: ignore[misc]
        def reply(self) -> str:
            if isinstance(self.exc, Drop):
                raise self.exc
            with state.lock:
                state.invalid.append(f"{type(self.exc).__name__}: {self.exc}")
            return _ack(
                None,
                "AR",
                f"unsupported: {self.exc}",
                control_id=self.incoming_message.split("|")[9]
                if self.incoming_message.count("|") > 9
                else "",
            )

    return ErrorHandler


class Hl7His:
    """Start with ``start()``; ``restart()`` stops and starts again on the same port."""

    def __init__(self, state: HisState | None = None, port: int = 0):
        self.state = state or HisState()
        self.port = port
        self._server: MLLPServer | None = None
        self._thread: threading.Thread | None = None

    def _handlers(self) -> dict[str, tuple[Any, ...]]:
        adt = _handler(self.state)
        handlers: dict[str, tuple[Any, ...]] = {f"ADT^{t}^{s}": (adt,) for t, s in TRIGGERS.items()}
        handlers["ERR"] = (_error_handler(self.state),)
        return handlers

    def start(self) -> Hl7His:
        handler = _request_handler(self.state)
        self._server = MLLPServer(
            "127.0.0.1", self.port, self._handlers(), timeout=5, request_handler_class=handler
        )
        self.port = self._server.server_address[1]
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    @property
    def url(self) -> str:
        return f"mllp://127.0.0.1:{self.port}"
