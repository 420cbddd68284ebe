"""Benchmark of the paper documents: a 500-page census and 1,000 wristbands.

Each figure is printed beside a baseline measured in the same run: plain
reportlab drawing the same number of pages, each with the same number of text
lines in a standard PDF font (no embedded font, no fitting, no table, no
barcode). Targets: under 5 s each.

Run: ``python -m bench.bench_forms`` (``make bench-forms``).
"""

from __future__ import annotations

import io
import json
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import reportlab
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from forms.base import PrintContext
from forms.census import ROW_HEIGHT, render_census
from forms.wristband import BANDS, render_wristbands
from tests.test_forms import synthetic_census

RESULTS = Path(__file__).parent / "results" / "forms-latest.json"
CENSUS_PAGES = 500
WRISTBANDS = 1000
TARGET_S = 5.0
RUNS = 3


def _plain(pages: int, lines: int, size: tuple[float, float]) -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=size)
    for page in range(pages):
        for n in range(lines):
            c.setFont("Helvetica", 9)
            c.drawString(30, size[1] - 40 - n * 14, f"Ligne {n} de la page {page} : texte")
        c.showPage()
    c.save()
    return buffer.getvalue()


def _time(work: Callable[[], bytes]) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(work())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> int:
    ctx = PrintContext("CH de banc d'essai", datetime.now(UTC), "Benchmark")
    probe = render_census(ctx, synthetic_census(50))
    first_page = pypdf.PdfReader(io.BytesIO(probe)).pages[0].extract_text()
    per_page = first_page.count("PATIENT-")  # beds a page, read back outside the timed part
    census = synthetic_census(CENSUS_PAGES * per_page)
    patients = [b.occupant for b in census[0].beds if b.occupant][:WRISTBANDS]
    band = BANDS["adulte"]
    figures = {
        "census": _time(lambda: render_census(ctx, census)),
        "census_plain": _time(lambda: _plain(CENSUS_PAGES, per_page + 6, landscape(A4))),
        "wristbands": _time(lambda: render_wristbands(ctx, patients, band)),
        "wristbands_plain": _time(lambda: _plain(WRISTBANDS, 3, band.page)),
    }
    pages = len(pypdf.PdfReader(io.BytesIO(render_census(ctx, census))).pages)
    machine = (
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"reportlab {reportlab.Version}"
    )
    print(f"Machine: {machine}; median of {RUNS} runs")
    print(f"{'document':<44}{'kit':>9}{'plain reportlab':>17}{'ratio':>8}{'target':>9}  result")
    rows = []
    for name, kit, plain, count in (
        (f"census, {pages} pages ({per_page} beds a page)", "census", "census_plain", pages),
        (f"wristbands, {WRISTBANDS} bands", "wristbands", "wristbands_plain", WRISTBANDS),
    ):
        k, p = figures[kit][0], figures[plain][0]
        ok = k < TARGET_S
        rows.append(
            {
                "document": name,
                "seconds": round(k, 3),
                "plain_seconds": round(p, 3),
                "pdf_bytes": figures[kit][1],
                "pages": count,
                "pass": ok,
            }
        )
        print(f"{name:<44}{k:>8.2f}s{p:>16.2f}s{k / p:>7.1f}x{'< 5 s':>9}  {'PASS' if ok else 'FAIL'}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": machine,
                "runs": RUNS,
                "rows": rows,
                "row_height_mm": round(ROW_HEIGHT / 72 * 25.4, 1),
            },
            indent=2,
        )
        + "\n"
    )
    return 0 if all(r["pass"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
