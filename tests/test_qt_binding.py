"""Guard against a Qt binding that corrupts the interpreter (seen with PySide6 6.12.0)."""

from __future__ import annotations

import subprocess
import sys

LOOP = """
import sys
from PySide6.QtCore import QObject
o = QObject()
before = sys.getrefcount(None)
for _ in range(200_000):
    o.setObjectName("x")
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_do_not_leak_references_to_none() -> None:
    done = subprocess.run([sys.executable, "-c", LOOP], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 1000
