"""``python -m cli``: the ``continuity`` command."""

from __future__ import annotations

import sys

from cli.root import main

sys.exit(main())
