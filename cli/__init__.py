"""``continuity``: the command line, and the composition root of the kit.

This package sits above ``continuity`` (the core), ``forms`` (paper documents)
and ``sync`` (HIS hand-back, snapshots, exchange): it imports them, builds one
argparse parser from its command-group modules, and maps errors to exit codes.
Nothing below it imports it.
"""

from __future__ import annotations

from cli.root import build_parser, main

__all__ = ["build_parser", "main"]
