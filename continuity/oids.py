"""Object identifiers (ISO/IEC 8824 OIDs) and the FINESS number, as the site file declares them.

French HIS interfaces name each identifier domain by its OID (IHE PAM France: HD
``namespace&OID&ISO``; FR Core: ``urn:oid:`` systems). The establishment has its own
arc (usually under 1.2.250.1, France); the kit checks the syntax only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MAX_OID_LENGTH = 64  # HL7 v2.5 HD-2 universal ID (length) and what interface engines accept
OID_RE = re.compile(r"[0-2](\.(0|[1-9][0-9]*))+")
# FINESS: 9 characters, the département first (2A and 2B for Corsica), the last a check key.
FINESS_RE = re.compile(r"(\d{2}|2[AB])\d{7}")
EXAMPLE_ARC = "2.999"  # ITU-T X.660's arc for examples: never a real establishment's


def is_oid(text: str) -> bool:
    return len(text) <= MAX_OID_LENGTH and OID_RE.fullmatch(text) is not None


def is_finess(text: str) -> bool:
    return FINESS_RE.fullmatch(text) is not None


def urn(oid: str) -> str:
    """The FHIR ``system`` of an identifier domain named by its OID."""
    return f"urn:oid:{oid}"


# The INS's own domains (NIR, NIA and their test and demonstration arcs): never an establishment's.
# By the type FR Core (fr-core-cs-v2-0203) and the messages give an INS of each.
INS_OID_OF_TYPE = {
    "INS-NIR": "1.2.250.1.213.1.4.8",
    "INS-NIA": "1.2.250.1.213.1.4.9",
    "INS-NIR-TEST": "1.2.250.1.213.1.4.10",
    "INS-NIR-DEMO": "1.2.250.1.213.1.4.11",
}
INS_TYPE_OF_OID = {oid: kind for kind, oid in INS_OID_OF_TYPE.items()}
INS_OIDS = frozenset(INS_OID_OF_TYPE.values())
TEST_INS_OIDS = frozenset({INS_OID_OF_TYPE["INS-NIR-TEST"], INS_OID_OF_TYPE["INS-NIR-DEMO"]})


def test_arc(oid: str | None) -> str | None:
    """An INS's OID when it is the test or demonstration arc (of an HIS's pre-production):
    kept with the INS, which goes back under it; None for the production arcs."""
    return oid if oid in TEST_INS_OIDS else None


def domain_clash(domains: Mapping[str, str | None]) -> tuple[str, str | None] | None:
    """The first OID that cannot name its domain: ``(name, None)`` for an OID of the INS,
    ``(name, other)`` for an OID declared for two domains (one OID names one domain: the kit's
    provisional IPPs under the HIS's IPP OID would be taken for the HIS's own)."""
    seen: dict[str, str] = {}
    for name, oid in domains.items():
        if not oid:
            continue
        if oid in INS_OIDS:
            return name, None
        if oid in seen:
            return seen[oid], name
        seen[oid] = name
    return None
