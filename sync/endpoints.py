"""Where events go: ``mllp://HOST:PORT``, ``mllps://`` (TLS), ``fhir+http(s)://BASE``, ``file:DIR``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from continuity.errors import InvalidInput


class Scheme(StrEnum):
    MLLP = "mllp"
    MLLPS = "mllps"
    FHIR = "fhir"
    FILE = "file"


class Target(BaseModel):
    model_config = ConfigDict(frozen=True)

    scheme: Scheme
    text: str
    host: str = ""
    port: int = 0
    base_url: str = ""
    folder: Path | None = None

    @property
    def is_network(self) -> bool:
        return self.scheme is not Scheme.FILE

    def same_endpoint(self, other: Target) -> bool:
        if self.scheme is Scheme.FILE or other.scheme is Scheme.FILE:
            return False
        if self.scheme is Scheme.FHIR or other.scheme is Scheme.FHIR:
            return self.base_url.rstrip("/") == other.base_url.rstrip("/")
        return (self.host.lower(), self.port) == (other.host.lower(), other.port)


def _bad(text: str) -> InvalidInput:
    return InvalidInput(
        f"Destination « {text} » non reconnue : mllp://HÔTE:PORT, mllps://HÔTE:PORT, "
        "fhir+https://ADRESSE ou file:DOSSIER.",
        f"Unrecognised target '{text}': mllp://HOST:PORT, mllps://HOST:PORT, "
        "fhir+https://ADDRESS or file:FOLDER.",
    )


def parse_target(text: str) -> Target:
    value = text.strip()
    if value.startswith("file:"):
        rest = value[len("file:") :]
        if rest.startswith("//"):
            rest = urlsplit(value).path
        if not rest:
            raise _bad(text)
        return Target(scheme=Scheme.FILE, text=value, folder=Path(rest).expanduser())
    parts = urlsplit(value)
    if parts.scheme in ("mllp", "mllps"):
        try:
            port = parts.port
        except ValueError:
            raise _bad(text) from None
        if not parts.hostname or port is None:
            raise _bad(text)
        return Target(scheme=Scheme(parts.scheme), text=value, host=parts.hostname, port=port)
    if parts.scheme in ("fhir+http", "fhir+https") and parts.hostname:
        base = value[len("fhir+") :].rstrip("/")
        return Target(scheme=Scheme.FHIR, text=value, base_url=base)
    raise _bad(text)
