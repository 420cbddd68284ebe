"""Qt-free core of the continuity kit: domain, encrypted store and services."""

__version__ = "0.1.0"
