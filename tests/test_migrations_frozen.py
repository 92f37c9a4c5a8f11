"""Migrations run the same way whenever they run: they use the historical models (apps.get_model) and
frozen copies of any logic, never live klimabok code that a later release may change."""

from __future__ import annotations

import ast
from pathlib import Path

KLIMABOK = Path(__file__).resolve().parent.parent / "klimabok"

#: Live imports a migration may make, each with its reason in the migration.
ALLOWED = {
    # the shipped factor files themselves are what inventory 0003 archives, as they are at upgrade time
    ("inventory/migrations/0003_archive_legacy_pins.py", "klimabok.core.factors.catalogue"),
}


def klimabok_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "klimabok" or name.startswith("klimabok.")}


def test_no_migration_imports_live_klimabok_code() -> None:
    migrations = sorted(KLIMABOK.glob("*/migrations/0*.py"))
    assert len(migrations) > 10
    found = {(str(path.relative_to(KLIMABOK)), name)
             for path in migrations for name in klimabok_imports(path)}
    assert found == ALLOWED
