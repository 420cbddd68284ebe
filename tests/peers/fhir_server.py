"""A small FHIR R4 server for the tests: transactions with conditional create and update.

No full FHIR server could run here (HAPI needs Maven Central, which this
machine cannot reach; npm's ``fhir-server`` (release 0.3) depends on a package that
is not published; Medplum is not on npm), so this stands in for one. Every
Bundle it receives is validated with the FHIR models of ``fhir.resources``
(R4B, identical to R4 for Patient, Encounter and Bundle), and it implements
the parts of the FHIR REST specification the kit relies on: transactions
applied all or nothing, ``ifNoneExist`` conditional create, conditional update
``PUT Type?identifier=system|value``, urn:uuid references resolved within the
transaction, ``Prefer: return=representation``. It assigns the HIS's own IPP
to every Patient it creates. Faults can be queued.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

HIS_IPP_SYSTEM = "urn:oid:1.2.250.1.999.1.1"


class FhirState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.resources: dict[str, dict[str, dict[str, Any]]] = {"Patient": {}, "Encounter": {}}
        self.counter = 0
        self.transactions = 0
        self.invalid: list[str] = []
        self.faults: deque[str] = deque()
        self.refuse_family: set[str] = set()

    def find(self, kind: str, query: str) -> list[dict[str, Any]]:
        return _find(self.resources, kind, query)


def _find(resources: dict[str, dict[str, dict[str, Any]]], kind: str, query: str) -> list[dict[str, Any]]:
    """Resources of ``kind`` matching an ``identifier=system|value`` search."""
    wanted = parse_qs(query).get("identifier", [""])[0]
    system, _, value = wanted.partition("|")
    return [
        r
        for r in resources[kind].values()
        if any(i.get("system") == system and i.get("value") == value for i in r.get("identifier", []))
    ]


def _outcome(text: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "invalid", "diagnostics": text}],
    }


class _Refused(Exception):
    pass


def _apply(state: FhirState, bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """Apply a transaction to a copy of the resources; the caller swaps it in on success."""
    work = {kind: dict(items) for kind, items in state.resources.items()}
    counter = state.counter
    urls: dict[str, str] = {}
    replies = []
    for entry in bundle.get("entry", []):
        req, resource = entry["request"], copy.deepcopy(entry.get("resource", {}))
        kind = resource.get("resourceType")
        method, url = req["method"], req["url"]
        for name in resource.get("name", []):
            if name.get("family") in state.refuse_family:
                raise _Refused(f"Patient refusé : nom {name.get('family')} en conflit")
        subject = resource.get("subject", {}).get("reference")
        if subject in urls:
            resource["subject"]["reference"] = urls[subject]
        elif subject and subject.startswith("urn:uuid:"):
            raise _Refused("unresolved reference " + subject)
        if method == "POST":
            found = _find(work, kind, req.get("ifNoneExist", "")) if req.get("ifNoneExist") else []
            if len(found) > 1:
                raise _Refused("multiple matches for ifNoneExist")
            if found:
                current, status = found[0], "200 OK"
            else:
                current, status, counter = _create(work, kind, resource, counter), "201 Created", counter + 1
        elif method == "PUT" and "?" in url:
            kind, query = url.split("?", 1)
            found = _find(work, kind, query)
            if len(found) > 1:
                raise _Refused("multiple matches for conditional update")
            if found:
                kept = [i for i in found[0].get("identifier", []) if i.get("system") == HIS_IPP_SYSTEM]
                resource["id"] = found[0]["id"]
                resource.setdefault("identifier", []).extend(
                    i for i in kept if i not in resource.get("identifier", [])
                )
                resource["meta"] = {"versionId": str(int(found[0]["meta"]["versionId"]) + 1)}
                work[kind][resource["id"]] = current = resource
                status = "200 OK"
            else:
                current, status, counter = _create(work, kind, resource, counter), "201 Created", counter + 1
        else:
            raise _Refused(f"unsupported request {method} {url}")
        urls[entry.get("fullUrl", "")] = f"{kind}/{current['id']}"
        replies.append(
            {
                "resource": current,
                "response": {
                    "status": status,
                    "location": f"{kind}/{current['id']}/_history/{current['meta']['versionId']}",
                },
            }
        )
    state.resources, state.counter = work, counter
    return replies


def _create(
    work: dict[str, dict[str, dict[str, Any]]], kind: str, resource: dict[str, Any], counter: int
) -> dict[str, Any]:
    resource["id"] = f"{kind[:3].lower()}{counter + 1}"
    resource["meta"] = {"versionId": "1"}
    if kind == "Patient":
        resource.setdefault("identifier", []).append(
            {"system": HIS_IPP_SYSTEM, "value": f"9{counter + 1:07d}", "use": "official"}
        )
    work[kind][resource["id"]] = resource
    return resource


def _handler(state: FhirState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, code: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            kind = parts.path.strip("/")
            with state.lock:
                found = state.find(kind, parts.query) if kind in state.resources else []
            self._send(
                200,
                {
                    "resourceType": "Bundle",
                    "type": "searchset",
                    "total": len(found),
                    "entry": [{"resource": r} for r in found],
                },
            )

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with state.lock:
                fault = state.faults.popleft() if state.faults else None
            if fault == "drop_before":
                self.close_connection = True
                self.connection.close()
                return
            if fault and fault.startswith("delay:"):
                time.sleep(float(fault.split(":")[1]))
            if fault == "500":
                self._send(500, _outcome("internal error"))
                return
            if fault == "garbage":
                self._send(200, {"resourceType": "Patient"})
                return
            try:
                data = json.loads(body)
                Bundle.model_validate(data)
            except (ValueError, ValidationError) as exc:
                with state.lock:
                    state.invalid.append(str(exc)[:500])
                self._send(400, _outcome(f"invalid Bundle: {str(exc)[:200]}"))
                return
            if data.get("type") != "transaction":
                self._send(400, _outcome("only transaction Bundles are accepted"))
                return
            try:
                with state.lock:
                    replies = _apply(state, data)
                    state.transactions += 1
            except _Refused as exc:
                self._send(422, _outcome(str(exc)))
                return
            if fault == "drop_after":
                self.close_connection = True
                self.connection.close()
                return
            if self.headers.get("Prefer") != "return=representation":
                for r in replies:
                    r.pop("resource", None)
            self._send(200, {"resourceType": "Bundle", "type": "transaction-response", "entry": replies})

    return Handler


class FhirServer:
    def __init__(self) -> None:
        self.state = FhirState()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FhirServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"fhir+http://127.0.0.1:{self.port}/fhir"
