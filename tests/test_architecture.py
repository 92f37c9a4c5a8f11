"""The core must not depend on Django (docs/architecture.md, layer 1)."""

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


KLIMABOK = CORE.parent

#: Each package of klimabok and its layer: a module may import a package of a LOWER layer only (imports run
#: one way, toward the core and the account — docs/architecture.md). A new app gets its place here, which
#: is the point: where it sits is decided, not discovered. Packages in one layer do not import each other.
LAYERS: dict[str, int] = {
    "core": 0,  # pure Python: engine, factors, SAF-T/GL readers, credits, claims
    "accounts": 1,  # organisations, users, roles, access
    "web": 2, "audit": 2,  # shared page helpers; the hash-chained audit trail
    "factors": 3, "credits": 3,  # the factor library; the partner's credits
    "inventory": 4, "certificates": 4,  # activity data of a year; certificates of retired credits
    "ledger": 5,  # accounting-ledger (SAF-T / GL) imports and spend mapping, on a year's data
    "account": 6,  # a year's climate account: lines, spend parts, figures, pages, close/reopen/recalculate
    "claims": 7, "compensation": 7,  # read the account
    "api": 8,
    "demo": 9,
    "cli": 10,  # the console command: may reach everything
}


def package_imports() -> dict[tuple[str, str], list[str]]:
    """``{(from package, to package): [modules doing it]}`` for every import between klimabok packages."""
    edges: dict[tuple[str, str], list[str]] = {}
    for path in KLIMABOK.rglob("*.py"):
        relative = path.relative_to(KLIMABOK)
        if len(relative.parts) < 2 or "migrations" in relative.parts:
            continue  # settings, urls, wsgi wire everything together; migrations are frozen history
        source = relative.parts[0]
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "klimabok" and len(parts) > 1 and parts[1] != source and parts[1] in LAYERS:
                edges.setdefault((source, parts[1]), []).append(str(relative))
    return edges


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in KLIMABOK.iterdir() if (p / "__init__.py").is_file()}
    assert packages - set(LAYERS) == set(), "give the new package its layer in LAYERS"
    assert set(LAYERS) - packages == set()


def test_imports_between_apps_run_one_way() -> None:
    edges = package_imports()
    upward = {f"{source} → {target}": sorted(modules) for (source, target), modules in edges.items()
              if LAYERS[target] >= LAYERS[source]}
    assert upward == {}
    # the account's home sits above the data it is made of, and the apps that show it import it
    assert {("account", "inventory"), ("account", "ledger"), ("ledger", "inventory"),
            ("claims", "account")} <= set(edges)
