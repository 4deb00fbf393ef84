"""`make lint`'s shape check (ADR 0008): what import contracts cannot say.

- every service package has the same top-level names (SERVICE_TOP_LEVEL) and the three layers;
- routes (`api/`) and event handlers (`consumers/`) never touch SQLAlchemy; services (`services/`)
  only name the session's type (`sqlalchemy.ext.asyncio.AsyncSession`): queries live in
  `repositories/`;
- no function in any `src/` is longer than MAX_FUNCTION_LINES lines.

Prints one line per finding (path:line: what) and exits 1 when there is any.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVICES = {
    "identity-svc": "identity",
    "catalog-svc": "catalog",
    "intake-svc": "intake",
    "hotline-svc": "hotline",
    "evaluation-svc": "evaluation",
    "licence-svc": "licence",
}
OTHER_SOURCES = [REPO / "shared" / "src", REPO / "gateway" / "src"]

#: What a service package may hold at its top level; the layers are required.
SERVICE_TOP_LEVEL = {
    "__init__.py",
    "__main__.py",
    "main.py",
    "config.py",
    "models",
    "schemas",
    "errors.py",
    "events.py",
    "api",
    "consumers",
    "services",
    "repositories",
    "demo",
    "clients",
    "lifecycles",
    "data",
    "py.typed",
}
REQUIRED = {
    *("main.py", "config.py", "errors.py", "events.py"),
    *("api", "services", "repositories", "models", "schemas"),
}
#: Where a name may stand as a module or as a package of modules.
EITHER = {"models", "schemas", "consumers", "demo", "clients", "lifecycles"}

#: SQLAlchemy names a service module may import: the session's type, for its signatures.
SERVICES_MAY_IMPORT = {("sqlalchemy.ext.asyncio", "AsyncSession")}

MAX_FUNCTION_LINES = 80

#: The shared problem classes: a service raises its own subclass with a declared code instead of
#: passing `code="..."` to one of these (ADR 0008: codes are declared, and listed in the OpenAPI).
GENERIC_PROBLEMS = {
    "ProblemError",
    "BadRequest",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "Conflict",
    "Gone",
    "UnprocessableEntity",
    "TooManyRequests",
    "ServiceUnavailable",
}


def _entries(package: Path) -> Iterator[str]:
    for entry in sorted(package.iterdir()):
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        name = entry.name
        if entry.is_file() and name.endswith(".py") and name[:-3] in EITHER:
            name = name[:-3]
        yield name if entry.is_dir() or name in EITHER else entry.name


def check_top_level(service: str, package: Path) -> list[str]:
    """Findings about the names at a service package's top level."""
    found = set(_entries(package))
    problems = [
        f"{package.relative_to(REPO)}/{name}: not one of the service layout's names (ADR 0008)"
        for name in sorted(found - SERVICE_TOP_LEVEL)
    ]
    problems += [f"{package.relative_to(REPO)}: has no {name}" for name in sorted(REQUIRED - found)]
    return problems


def _sqlalchemy_imports(tree: ast.AST) -> Iterator[tuple[int, str, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    yield node.lineno, alias.name, ""
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if (node.module or "").split(".")[0] != "sqlalchemy":
                continue
            for alias in node.names:
                yield node.lineno, str(node.module), alias.name


def check_layer(path: Path, layer: str) -> list[str]:
    """Findings about SQLAlchemy imports in one module of `api`, `consumers` or `services`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    problems = []
    for line, module, name in _sqlalchemy_imports(tree):
        if layer == "services" and (module, name) in SERVICES_MAY_IMPORT:
            continue
        what = f"{module}.{name}" if name else module
        where = f"{path.relative_to(REPO)}:{line}"
        problems.append(f"{where}: {layer}/ imports {what}: queries belong in repositories/")
    return problems


def check_function_lengths(path: Path) -> list[str]:
    """Findings about functions longer than MAX_FUNCTION_LINES lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                problems.append(
                    f"{path.relative_to(REPO)}:{node.lineno}: {node.name} is {length} lines"
                    f" (at most {MAX_FUNCTION_LINES}: split it)"
                )
    return problems


def check_loose_codes(path: Path) -> list[str]:
    """Findings about generic problems raised with a code of their own instead of a declared class."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in GENERIC_PROBLEMS and any(k.arg == "code" for k in node.keywords):
            problems.append(
                f"{path.relative_to(REPO)}:{node.lineno}: {name}(code=...): declare the error as a class"
                " with its code in errors.py"
            )
    return problems


def findings() -> list[str]:
    """Every finding in the repository."""
    problems: list[str] = []
    for folder, package_name in SERVICES.items():
        package = REPO / folder / "src" / package_name
        problems += check_top_level(folder, package)
        for layer in ("api", "consumers", "services"):
            base = package / layer
            module = base.with_suffix(".py")
            paths = sorted(base.rglob("*.py")) if base.is_dir() else ([module] if module.is_file() else [])
            for path in paths:
                problems += check_layer(path, layer)
        for path in sorted(package.rglob("*.py")):
            problems += check_function_lengths(path)
            problems += check_loose_codes(path)
    for source in OTHER_SOURCES:
        for path in sorted(source.rglob("*.py")):
            problems += check_function_lengths(path)
    return problems


def main() -> int:
    """Print the findings; 1 if there are any."""
    problems = findings()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} findings (ADR 0008): docs/adr/0008", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
