"""Qt-free core of the continuity kit: domain, encrypted store and services."""

# The one place the version is written: the build reads it (pyproject.toml, dynamic) and
# the offline bundle takes it from the wheel. Every release that changes the schema or
# the installer bumps it and gets an entry in CHANGELOG.md.
__version__ = "0.4.0"
