"""Domain objects of the kit: pydantic models and pure rules, no I/O."""
