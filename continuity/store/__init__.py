"""The encrypted store: the only package that speaks SQL.

``Store`` (core.py) opens the database and owns its connection, migrations and
transactions; each concern is a manager on it, sharing that connection and
transaction: ``store.reference``, ``store.paper``, ``store.users``,
``store.patients``, ``store.stays``, ``store.movements``, ``store.audit``,
``store.outbox``, ``store.his_ids``, ``store.snapshots``, ``store.exchange``,
``store.conflicts``, ``store.crisis``, ``store.backup``, ``store.drafts``,
``store.his_index``, ``store.merges``.
"""

from continuity.store.core import Store

__all__ = ["Store"]
