"""Render every paper document of the demo site to PDF, then to PNG pages in docs/forms/.

Run: ``make forms-images``. The demo site is provisioned in a temporary
folder; the PDFs stay there and are deleted with it, only the page images
(demo data, no real patient) are kept.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from continuity.domain.crisis import DegradedStatus, LogCategory
from continuity.domain.identity import IdentityStatus
from continuity.provisioning import provision_demo
from continuity.services import crisis, patients
from continuity.session import Session, Workspace
from forms import documents
from forms.wristband import BANDS, STOCKS

OUT = Path(__file__).parent / "forms"
DPI = 80
PDFTOPPM = shutil.which("pdftoppm") or "pdftoppm"  # poppler-utils, from installer/system-deps.sh


def seed(workspace: Workspace) -> None:
    with workspace.unlock("crise", "demo-crise-2026") as session:
        crisis.set_status(session, "DPI", DegradedStatus.DEGRADED, "Cyberattaque : DPI arrêté")
        crisis.set_status(session, "LABO", DegradedStatus.RECOVERY, "Résultats sur papier")
        for text, cat in (
            ("Déclenchement de la cellule de crise", LogCategory.DECISION),
            ("Imprimantes du 2e étage hors service", LogCategory.ALERT),
        ):
            crisis.add_log_entry(session, text, cat)


def first_in_bed(session: Session) -> str:
    ward = patients.census(session, ["URG"])[0]
    return next(b.occupant for b in ward.beds if b.occupant).patient.provisional_ipp


def doubtful_homonym_band(session: Session) -> bytes:
    """The band of a doubtful identity that has a homonym (the first patient's traits again)."""
    ward = patients.census(session, ["URG"])[0]
    first = next(b.occupant for b in ward.beds if b.occupant)
    twin = first.patient.identity.model_copy(
        update={"used_name": None, "status": IdentityStatus.PROVISOIRE, "doubtful": True}
    )
    admitted = patients.admit(session, "URG", identity=twin, not_a_duplicate="homonyme, vérifié")
    return documents.wristbands(session, BANDS["adulte"], [admitted.patient.provisional_ipp])


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(Path(tmp) / "demo")
        provision_demo(workspace)
        seed(workspace)
        jobs: list[tuple[str, str, Callable[[Session], bytes], int]] = [
            (
                "admin",
                "01-formulaire-admission-vierge",
                lambda s: documents.blank_admission_forms(s, "URG", 1),
                1,
            ),
            ("ide.urg", "02-recensement", lambda s: documents.census(s), 1),
            ("ide.urg", "03-registre-mouvements", lambda s: documents.movement_register(s, "URG"), 1),
            (
                "ide.urg",
                "04-bracelet",
                lambda s: documents.wristbands(s, BANDS["adulte"], [first_in_bed(s)]),
                1,
            ),
            (
                "ide.urg",
                "05-etiquettes-3x8",
                lambda s: documents.labels(s, STOCKS["3x8"], uf_code="URG", copies=2),
                1,
            ),
            (
                "ide.urg",
                "06-etiquettes-2x7",
                lambda s: documents.labels(s, STOCKS["2x7"], [first_in_bed(s)]),
                1,
            ),
            (
                "ide.urg",
                "07-fiche-transfert",
                lambda s: documents.transfer_sheet(s, first_in_bed(s), "SMR de Rouen — rééducation"),
                1,
            ),
            ("crise", "08-point-de-situation", documents.situation_report, 1),
            ("ide.urg", "09-bracelet-identite-douteuse", doubtful_homonym_band, 1),  # last: it admits
        ]
        passwords = {"admin": "demo-admin-2026", "crise": "demo-crise-2026", "ide.urg": "demo-urg-2026"}
        for user, name, build, pages in jobs:
            with workspace.unlock(user, passwords[user]) as session:
                pdf = Path(tmp) / f"{name}.pdf"
                pdf.write_bytes(build(session))
            subprocess.run(
                [PDFTOPPM, "-r", str(DPI), "-png", "-f", "1", "-l", str(pages), str(pdf), str(OUT / name)],
                check=True,
            )
            print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
