"""The layering contract of the kit, checked over the source's syntax trees.

Every ``import`` counts, at module level or inside a function (the hidden ones are
the ones that make cycles), except those under ``if TYPE_CHECKING:``, which never run.
An ``importlib.import_module("...")`` or ``__import__("...")`` with a literal name
counts as an import of that name, and one with a computed name is refused, so a
layer cannot be reached by a string either.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("continuity", "forms", "sync", "app", "cli")

# Who may not import whom: (importer package, forbidden top-level names).
FORBIDDEN: Mapping[str, tuple[str, ...]] = {
    "continuity": ("app", "forms", "sync", "cli", "PySide6", "shiboken6"),
    "forms": ("app", "cli", "sync"),
    "sync": ("app", "cli", "forms"),
    "app": ("cli",),
    "cli": ("app", "PySide6", "shiboken6"),
}

# Internal packages: only the listed importers (dotted prefixes) may import them.
INTERNAL: Mapping[str, tuple[str, ...]] = {
    "continuity.merge": ("continuity.services", "continuity.merge"),
    "continuity.store": ("continuity",),
    "continuity.schema": ("continuity",),
}
# Above the core, the store is reached only through ``continuity.services``: no ``x.store``.
SERVICES_ONLY = ("forms", "sync", "app", "cli")


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    imported: str  # dotted name as written, resolved when relative
    path: Path
    line: int


@dataclass(frozen=True)
class Violation:
    rule: str
    where: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path, packages: Sequence[str] = PACKAGES) -> Iterator[Path]:
    for package in packages:
        folder = root / package
        if folder.is_dir():
            yield from sorted(folder.rglob("*.py"))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those in ``if TYPE_CHECKING:`` bodies."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _resolve(importer: str, is_package: bool, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports_of(root: Path, path: Path) -> Iterator[Import]:
    importer = module_name(root, path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(importer, alias.name, path, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(importer, is_package, node.module, node.level)
            for alias in node.names:
                # ``from pkg import mod`` imports pkg.mod when it is a module: keep both.
                yield Import(importer, f"{base}.{alias.name}" if base else alias.name, path, node.lineno)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            yield Import(importer, _literal_import(node) or DYNAMIC, path, node.lineno)


DYNAMIC = "<dynamic import>"


def _is_dynamic_import(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id in ("import_module", "__import__")
    )


def _literal_import(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _known_module(name: str, modules: set[str]) -> str | None:
    """The project module an imported name refers to (``a.b.C`` -> ``a.b``), if any."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def check(root: Path, packages: Sequence[str] = PACKAGES) -> list[Violation]:
    files = list(source_files(root, packages))
    modules = {module_name(root, f) for f in files}
    found: list[Violation] = []
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for path in files:
        for imp in imports_of(root, path):
            top, target = imp.importer.split(".")[0], imp.imported.split(".")[0]
            where = f"{path.relative_to(root)}:{imp.line}"
            if imp.imported == DYNAMIC:
                found.append(Violation("import by a computed name (the contract cannot see it)", where))
                continue
            if target in FORBIDDEN.get(top, ()):
                found.append(Violation(f"{top} imports {imp.imported} (forbidden: {target})", where))
            for internal, allowed in INTERNAL.items():
                if _within(imp.imported, internal) and not any(_within(imp.importer, a) for a in allowed):
                    found.append(Violation(f"{imp.importer} imports internal {internal}", where))
            known = _known_module(imp.imported, modules)
            if known is not None and known != imp.importer:
                graph[imp.importer].add(known)
        if module_name(root, path).split(".")[0] in SERVICES_ONLY:
            found.extend(_store_reaches(root, path))
    found.extend(Violation("import cycle: " + " -> ".join(c), c[0]) for c in cycles(graph))
    return found


def _store_reaches(root: Path, path: Path) -> Iterator[Violation]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("store", "_store"):
            where = f"{path.relative_to(root)}:{node.lineno}"
            yield Violation(f"reaches the store directly ({ast.unparse(node)}): use a service", where)


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one module, as one cycle through it (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        group.append(top)
                        if top == node:
                            break
                    if len(group) > 1:
                        groups.append(_cycle_through(sorted(group), graph))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _cycle_through(group: list[str], graph: Mapping[str, set[str]]) -> list[str]:
    """A readable path start -> ... -> start inside one strongly connected group."""
    members, start = set(group), group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return [*group, start]
