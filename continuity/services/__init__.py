"""Services: every action of the kit, with its permission check, audit entry and outbox event.

Each public function takes a ``Session`` and checks its permission first
(tests/test_service_boundary.py); the GUI, the CLI, ``forms`` and ``sync`` call
these functions and nothing below them (tests/test_architecture.py).
"""
