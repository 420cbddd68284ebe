"""Medplum's real FHIR engine as the tests' HIS, and the FR Core validator: Node processes on loopback.

``MedplumFhir`` runs ``medplum_fhir.mjs`` (Medplum's FhirRouter over a MemoryRepository, installed
from tests/peers/package.json by ``npm ci``) on a free loopback port and waits for its readiness
line; the tests queue faults and read back what the engine stores through its FHIR search API.
``validate_fr_core`` runs ``fr_core_validate.mjs`` over resources (Medplum's validateResource with
the FR Core StructureDefinitions, plus the checks it does not make itself).

Node.js 20 or later and the installed peers are required: without them these raise, so that a
test needing the real engine fails clearly instead of being skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import httpx

PEERS = Path(__file__).resolve().parent
REPO = PEERS.parent.parent
HIS_IPP_SYSTEM = "urn:oid:1.2.250.1.999.1.1"
READY = "MEDPLUM-FHIR READY "
FR_CORE_DIR = REPO / "tests" / "data" / "fr-core"


class PeerMissing(RuntimeError):
    """Node.js or the installed Node peers are missing: run `make tests/peers/node_modules/.installed`."""


def node() -> str:
    found = shutil.which("node")
    if found is None:
        raise PeerMissing("node (Node.js 20 or later) is not on PATH; the FHIR tests need it")
    if not (PEERS / "node_modules" / "@medplum" / "fhir-router").is_dir():
        raise PeerMissing("tests/peers/node_modules is missing: make tests/peers/node_modules/.installed")
    return found


class MedplumFhir:
    """The engine in its own process, for one module of tests (``reset`` between tests)."""

    def __init__(self, his_ipp_system: str | None = HIS_IPP_SYSTEM, startup_timeout: float = 60.0):
        command = [node(), "--experimental-websocket", str(PEERS / "medplum_fhir.mjs")]
        if his_ipp_system:
            command += ["--his-ipp-system", his_ipp_system]
        self._process = subprocess.Popen(
            command,
            cwd=PEERS,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.port = self._wait_ready(startup_timeout)
        self._http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30.0)

    def _wait_ready(self, timeout: float) -> int:
        assert self._process.stdout is not None
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(self._process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        if not lines or not lines[0].startswith(READY):
            self._process.kill()
            _, err = self._process.communicate(timeout=10)
            raise PeerMissing(f"the Medplum FHIR peer did not start: {(lines or [''])[0]!r} {err[-2000:]}")
        return int(lines[0][len(READY) :])

    @property
    def url(self) -> str:
        """The kit's endpoint for this server."""
        return f"fhir+http://127.0.0.1:{self.port}/fhir"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/fhir"

    def _peer(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        response = self._http.request(method, f"/_peer/{path}", json=body)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def reset(self) -> None:
        """An empty server with no fault queued (the process and its loaded definitions stay)."""
        self._peer("POST", "reset")

    def queue_faults(self, faults: list[str]) -> None:
        self._peer("POST", "faults", faults)

    def refuse_family(self, *families: str) -> None:
        self._peer("POST", "refuse-family", list(families))

    def stats(self) -> dict[str, Any]:
        return self._peer("GET", "stats")

    def received(self) -> list[dict[str, Any]]:
        """Every transaction Bundle the server was sent, as it arrived (before the HIS's IPP)."""
        response = self._http.get("/_peer/received")
        response.raise_for_status()
        bundles: list[dict[str, Any]] = response.json()
        return bundles

    def search(self, kind: str, **params: str) -> list[dict[str, Any]]:
        """What the engine stores, read back through its FHIR search API."""
        response = self._http.get(f"/fhir/{kind}", params={"_count": "1000", **params})
        response.raise_for_status()
        bundle = response.json()
        assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
        return [e["resource"] for e in bundle.get("entry", [])]

    def read(self, kind: str, server_id: str) -> dict[str, Any]:
        response = self._http.get(f"/fhir/{kind}/{server_id}")
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def stop(self) -> None:
        self._http.close()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.communicate(timeout=10)


def validate_fr_core(
    resources: list[dict[str, Any]], profiles: list[str | None] | None = None, fr_core: Path = FR_CORE_DIR
) -> list[dict[str, Any]]:
    """One report per resource: ``{"profile", "errors": [...], "warnings": [...]}``.

    Each resource is checked against ``profiles[i]`` or, when None, every profile in its
    ``meta.profile`` (a resource claiming none is checked against nothing but R4 and fails).
    """
    if not (fr_core / "README.md").is_file():
        raise PeerMissing(f"FR Core conformance files not found in {fr_core}")
    items = [{"resource": r, "profile": (profiles[i] if profiles else None)} for i, r in enumerate(resources)]
    env = {**os.environ, "FR_CORE_DIR": str(fr_core)}
    done = subprocess.run(
        [node(), "--experimental-websocket", str(PEERS / "fr_core_validate.mjs")],
        cwd=PEERS,
        input=json.dumps(items),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"fr_core_validate.mjs failed ({done.returncode}): {done.stderr[-3000:]}")
    reports: list[dict[str, Any]] = json.loads(done.stdout)
    return reports
