"""MLLP client (optionally over TLS) on python-hl7's asyncio streams, used synchronously.

The sync engine runs in a worker thread or a command-line process: this
wraps one private event loop so callers see blocking ``exchange`` calls with a
deadline. Any failure of the link (refused, reset, closed, timed out, bad
framing) raises ``LinkError``; the caller decides whether to retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Coroutine
from typing import Any

from hl7.mllp import open_hl7_connection
from hl7.mllp.exceptions import InvalidBlockError

MAX_REPLY = 1 << 20


class LinkError(Exception):
    """The MLLP link failed before a complete reply arrived."""

    def __init__(self, fr: str, en: str):
        super().__init__(en)
        self.fr, self.en = fr, en


class _Closed(Exception):
    """The HIS closed the connection between two blocks (not a failure while waiting for more)."""


def _dropped() -> LinkError:
    return LinkError(
        "Connexion au DPI coupée avant l'accusé de réception.",
        "Connection to the HIS dropped before the acknowledgement.",
    )


class MllpLink:
    def __init__(self, host: str, port: int, *, timeout: float, tls: ssl.SSLContext | None = None):
        self.host, self.port, self.timeout, self.tls = host, port, timeout, tls
        self._loop = asyncio.new_event_loop()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    @property
    def connected(self) -> bool:
        return self._writer is not None

    def connect(self) -> None:
        self.disconnect()
        try:
            self._reader, self._writer = self._loop.run_until_complete(
                asyncio.wait_for(
                    open_hl7_connection(
                        self.host, self.port, limit=MAX_REPLY, encoding="utf-8", ssl=self.tls
                    ),
                    self.timeout,
                )
            )
        except TimeoutError:
            raise LinkError(
                "Le DPI ne répond pas (connexion trop longue).",
                "The HIS does not answer (connection timed out).",
            ) from None
        except ssl.SSLError:
            raise LinkError(
                "Échec de la négociation TLS avec le DPI (certificat ?).",
                "TLS handshake with the HIS failed (certificate?).",
            ) from None
        except OSError as exc:
            raise LinkError(
                f"Connexion au DPI impossible ({exc.strerror or type(exc).__name__}).",
                f"Cannot connect to the HIS ({exc.strerror or type(exc).__name__}).",
            ) from None

    def exchange(self, message: bytes) -> bytes:
        """Send one framed message and wait for one framed reply."""
        self.send(message)
        return self.receive()

    def send(self, message: bytes) -> None:
        """Frame and write one message (connecting first if needed)."""
        if self._writer is None or self._reader is None:
            self.connect()
        assert self._writer is not None
        writer = self._writer

        async def write() -> None:
            async with asyncio.timeout(self.timeout):
                writer.write(b"\x0b" + message + b"\x1c\r")
                await writer.drain()

        self._run(write())

    def receive(self) -> bytes:
        """The next framed block from the HIS, within the timeout, or ``LinkError``."""
        block = self._read(self.timeout)
        assert block is not None
        return block

    def receive_next(self, wait: float) -> bytes | None:
        """The next block if one comes within ``wait`` seconds; None if none comes or the HIS
        closed the connection (then disconnected). Other failures raise ``LinkError``."""
        if self._reader is None:
            return None
        try:
            return self._read(wait, quiet=True)
        except _Closed:
            self.disconnect()
            return None

    def _read(self, timeout: float, *, quiet: bool = False) -> bytes | None:
        if self._reader is None:
            raise LinkError(
                "Connexion au DPI coupée avant l'accusé de réception.",
                "Connection to the HIS dropped before the acknowledgement.",
            )
        reader = self._reader

        async def read() -> bytes:
            async with asyncio.timeout(timeout):
                block: bytes = await reader.readblock()  # type: ignore[attr-defined]
                return block

        try:
            return self._loop.run_until_complete(read())
        except TimeoutError:
            if quiet:
                return None
            self.disconnect()
            raise LinkError(
                "Pas d'accusé de réception du DPI dans le délai.", "No acknowledgement from the HIS in time."
            ) from None
        except asyncio.IncompleteReadError as exc:
            if quiet and not exc.partial:
                raise _Closed from None
            self.disconnect()
            raise _dropped() from None
        except (ConnectionError, OSError):
            if quiet:
                raise _Closed from None
            self.disconnect()
            raise _dropped() from None
        except (InvalidBlockError, ValueError):
            self.disconnect()
            raise LinkError(
                "Trame MLLP invalide reçue du DPI.", "Invalid MLLP frame received from the HIS."
            ) from None

    def _run(self, step: Coroutine[Any, Any, None]) -> None:
        try:
            self._loop.run_until_complete(step)
        except TimeoutError:
            self.disconnect()
            raise LinkError(
                "Pas d'accusé de réception du DPI dans le délai.", "No acknowledgement from the HIS in time."
            ) from None
        except (ConnectionError, OSError):
            self.disconnect()
            raise _dropped() from None

    def disconnect(self) -> None:
        writer, self._writer, self._reader = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(TimeoutError, OSError, ConnectionError, ssl.SSLError):
                self._loop.run_until_complete(asyncio.wait_for(writer.wait_closed(), 1.0))

    def close(self) -> None:
        self.disconnect()
        self._loop.close()
