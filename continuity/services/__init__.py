"""Services: every action of the kit, with its permission check, audit entry and outbox event.

The GUI, the CLI and the tests call these functions and nothing below them.
"""
