"""Qt desktop application (PySide6): a thin layer over the services of ``continuity``."""
