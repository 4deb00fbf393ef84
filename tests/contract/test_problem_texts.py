"""Every problem a service raises speaks Chinese, and English to a client that asks for it.

Reads the source of every service, the gateway and shared: each construction of a problem error
(`NotFound(...)`, `Conflict(...)`, a service's own subclasses) must give its text in Chinese as the
first argument and the English one as `en=`; each `raise ValueError("...")` with a literal message
must be a `TextError("中文", "English")` instead. A call whose text is not a literal (built
elsewhere and passed on) is checked where it is built.

A `# not user-facing` comment on the line or the one above exempts an error no client can meet
(start-up checks).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted(REPO.glob("*-svc/src")),
    REPO / "gateway" / "src",
    REPO / "shared" / "src",
]
BASE_PROBLEMS = {
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
EXEMPT = "# not user-facing"


def _files() -> Iterator[Path]:
    for root in SOURCES:
        yield from sorted(root.rglob("*.py"))


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _problem_classes() -> tuple[set[str], set[str]]:
    """The problem classes (the base ones and every subclass declared anywhere, transitively), and
    those among them that write their own texts (an `__init__` whose first argument is not the
    detail: their calls pass keys, and the texts are checked in their `super().__init__`)."""
    known = set(BASE_PROBLEMS)
    classes: list[tuple[str, set[str], bool]] = []
    for path in _files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                init = next(
                    (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None
                )
                own_texts = init is not None and [a.arg for a in init.args.args[1:2]] != ["detail"]
                inherits = init is None  # no __init__ of its own: it writes texts as its base does
                classes.append((node.name, {n for b in node.bases if (n := _name(b))}, own_texts, inherits))
    own = {name for name, _, writes, _ in classes if writes}
    changed = True
    while changed:
        changed = False
        for name, bases, _, inherits in classes:
            if name not in known and bases & known:
                known.add(name)
                changed = True
            if inherits and name not in own and bases & own:
                own.add(name)
                changed = True
    return known, {name for name in own if name in known}


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and _name(func.value.func) == "super"
    )


def _literal_text(node: ast.expr) -> str | None:
    """The literal text of a str constant, f-string or concatenation of them; None if not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_text(node.left), _literal_text(node.right)
        if left is None and right is None:
            return None
        return (left or "") + (right or "")
    return None


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _findings() -> list[str]:
    problems, own_texts = _problem_classes()
    found: list[str] = []
    for path in _files():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        rel = path.relative_to(REPO)
        tree = ast.parse(source)
        # super().__init__(...) inside a problem class that writes its own texts is checked as a problem.
        own_inits = {
            id(call)
            for cls in ast.walk(tree)
            if isinstance(cls, ast.ClassDef) and cls.name in own_texts
            for call in ast.walk(cls)
            if isinstance(call, ast.Call) and _is_super_init(call)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if id(node) in own_inits:
                name = "ProblemError"
            elif name in own_texts:
                continue  # its texts are its own, checked in its super().__init__
            where = f"{rel}:{node.lineno}"
            if EXEMPT in lines[node.lineno - 1] or (node.lineno > 1 and EXEMPT in lines[node.lineno - 2]):
                continue
            if name in problems:
                if any(k.arg is None for k in node.keywords):
                    continue  # **kwargs passed on: checked where they are built
                detail = (
                    node.args[0]
                    if node.args
                    else next((k.value for k in node.keywords if k.arg == "detail"), None)
                )
                if detail is None:
                    continue  # the class supplies its own texts
                text = _literal_text(detail)
                if text is not None and not _has_chinese(text):
                    found.append(f"{where}: {name}(...) has no Chinese text: {text[:60]!r}")
                if not any(k.arg == "en" for k in node.keywords):
                    found.append(f"{where}: {name}(...) has no en= text")
            elif name == "ValueError" and node.args:
                text = _literal_text(node.args[0])
                if text is not None and not _has_chinese(text):
                    found.append(f"{where}: ValueError({text[:60]!r}): raise TextError('中文', 'English')")
    return found


def test_every_problem_has_chinese_and_english_texts() -> None:
    findings = _findings()
    assert not findings, f"{len(findings)} problem text(s) to fix:\n" + "\n".join(findings)
