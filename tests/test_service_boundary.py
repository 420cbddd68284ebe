"""Every public service takes a Session and checks its permission; nothing public takes a bare Store.

Read over the syntax trees of ``continuity/services``: a function "checks" when it
calls ``session.require`` or ``User.can``, or a helper that does, or another
service that does (followed through the calls until nothing changes).
"""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parent.parent / "continuity" / "services"

# Public functions that touch no store: pure computations the GUI, CLI and sync share.
PURE = {
    "exchange.key_id",
    "indicators.parse_meta_time",
    "snapshots.his_patient_id",
    "snapshots.his_stay_id",
    "snapshots.his_admission_id",
}


def _functions() -> dict[str, ast.FunctionDef]:
    found = {}
    for path in sorted(SERVICES.glob("*.py")):
        module = path.stem
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                found[f"{module}.{node.name}"] = node
    return found


def _imported() -> dict[str, dict[str, str]]:
    """Per module, the names it imports from another service module: local name -> "module.name"."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(SERVICES.glob("*.py")):
        names = found.setdefault(path.stem, {})
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("continuity.services."):
                source = (node.module or "").rsplit(".", 1)[1]
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{source}.{alias.name}"
    return found


IMPORTED = _imported()


def _callee(module: str, call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return IMPORTED.get(module, {}).get(func.id, f"{module}.{func.id}")
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return None


def _checks_directly(node: ast.FunctionDef) -> bool:
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("require", "can"):
            return True
    return False


def _checked(functions: dict[str, ast.FunctionDef]) -> set[str]:
    checked = {name for name, node in functions.items() if _checks_directly(node)}
    changed = True
    while changed:
        changed = False
        for name, node in functions.items():
            if name in checked:
                continue
            module = name.split(".")[0]
            calls = (n for n in ast.walk(node) if isinstance(n, ast.Call))
            if any(_callee(module, c) in checked for c in calls):
                checked.add(name)
                changed = True
    return checked


def _annotations(node: ast.FunctionDef) -> list[str]:
    return [ast.unparse(a.annotation) if a.annotation else "" for a in node.args.args]


def test_every_public_service_takes_a_session_and_checks_its_permission() -> None:
    functions = _functions()
    checked = _checked(functions)
    wrong = []
    for name, node in functions.items():
        module, function = name.split(".")
        if module.startswith("_") or function.startswith("_"):
            continue
        annotations = _annotations(node)
        if "Store" in annotations:
            wrong.append(f"{name}: takes a bare Store")
        elif name in PURE:
            continue
        elif not annotations or annotations[0] != "Session":
            wrong.append(f"{name}: does not take a Session first")
        elif name not in checked:
            wrong.append(f"{name}: checks no permission")
    assert wrong == [], "\n".join(wrong)


def test_the_check_sees_a_service_that_checks_nothing(tmp_path: Path) -> None:
    tree = ast.parse(
        "def leaky(session: Session) -> int:\n    return session.store.count()\n"
        "def safe(session: Session) -> int:\n    session.require(P)\n    return 1\n"
        "def through(session: Session) -> int:\n    return safe(session)\n"
    )
    functions = {f"m.{n.name}": n for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert _checked(functions) == {"m.safe", "m.through"}
