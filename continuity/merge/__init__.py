"""Internal: the deterministic merge of changes received from other workstations.

Called by the services (exchange import, movements that free a disputed bed) inside
their transactions; it checks no permission and is imported by nothing else (the
layering contract enforces it).
"""
