"""Release bookkeeping: one version source, a changelog entry for it, a bump when the schema
moved since a kept release."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from continuity import __version__
from continuity.schema import LATEST_VERSION

ROOT = Path(__file__).resolve().parent.parent
HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2}|Unreleased)$", re.MULTILINE)


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_changelog_has_an_entry_for_the_current_version_first() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    entries = HEADING.findall(text)
    versions = [v for v, _ in entries]
    assert __version__ in versions, f"CHANGELOG.md has no '## [{__version__}] - DATE' entry"
    assert versions[0] == __version__, "the newest changelog entry is not the current version"
    assert versions == sorted(versions, key=_key, reverse=True), "changelog entries out of order"
    assert len(set(versions)) == len(versions)
    assert all(date != "Unreleased" for _, date in entries[1:]), "only the newest may be unreleased"
    assert "bumps the version and gets an" in text  # the rule is stated in the header


def test_pyproject_has_no_literal_version_and_reads_the_kit_s() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in data["project"]
    assert "version" in data["project"]["dynamic"]
    assert data["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "continuity.__version__"}
    # The installed package was built from it (make reinstalls when continuity/__init__.py changes).
    assert importlib.metadata.version("continuity-kit") == __version__


def test_the_version_number_is_written_nowhere_else() -> None:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    allowed = {"continuity/__init__.py", "CHANGELOG.md"}
    literal = re.compile(rf"(?<![\d.]){re.escape(__version__)}(?![\d.])")
    found = []
    for name in filter(None, listed.split("\0")):
        path = ROOT / name
        if name in allowed or name.startswith("tests/data/") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if literal.search(line)]
    assert not found, f"version {__version__} written outside continuity/__init__.py: {found}"


def test_a_kept_release_with_another_schema_has_another_version() -> None:
    """The release stores kept for the upgrade tests name their version and schema; a schema
    that moved since one of them means the version moved too (the changelog rule)."""
    kept = [
        re.fullmatch(r"release-(\d+\.\d+\.\d+)-schema-v(\d+)", p.name)
        for p in (ROOT / "tests" / "data").iterdir()
    ]
    releases = [(m.group(1), int(m.group(2))) for m in kept if m]
    assert releases, "no kept release store in tests/data"
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for version, schema in releases:
        assert f"## [{version}]" in text
        assert schema <= LATEST_VERSION
        if schema != LATEST_VERSION:
            assert _key(__version__) > _key(version), (
                f"schema v{LATEST_VERSION} differs from release {version} (v{schema}): bump the version"
            )
