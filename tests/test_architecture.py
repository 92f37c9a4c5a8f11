"""The core must not depend on Django (design.md, layer 1)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "klimabok" / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_no_django() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(m for m in imported_modules(path) if m.split(".")[0] == "django")
        for path in CORE.rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}
    assert len(list(CORE.rglob("*.py"))) >= 5
