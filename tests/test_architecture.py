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
    "survey": 5,  # the commuting survey: writes a year's category 7 entries, which the account shows
    "account": 6,  # a year's climate account: lines, spend parts, figures, pages, close/reopen/recalculate
    "plans": 7,  # targets, goals, measures, the annual wheel: read the account; claims may read the plan
    "claims": 8, "compensation": 8,  # read the account
    "engagement": 8,  # news, suggestions (an accepted one becomes a measure), the digest: read the plan
    "reports": 9,  # the Miljøfyrtårn report and the public climate page: read the account, plan, claims
    "api": 10, "demo": 10,  # the JSON API serves the reports too (issue 13 §6)
    "cli": 11,  # the console command: may reach everything
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


# --- Every Django app has the same skeleton (docs/adding-an-app.md) ---------------------------------

#: Parts an app genuinely does not have, and why. Anything else missing fails the test.
WITHOUT = {
    # The JSON API: django-ninja routers in v1.py, no pages, so no views, templates or page reads;
    # tokens are created and revoked in tokens.py, batches of activity lines in services.py, its orders
    # and SAF-T imports go through compensation's and ledger's services; its error texts are English
    # (as the orders') or the called apps' (their catalogues).
    "api": {"read_models", "views", "templates", "locale"},
    # Sign-in, members, invitations: each page reads the user's own organisation through
    # accounts.access (org_access), nothing to load once and compute with.
    "accounts": {"read_models"},
    # Its pages show a certificate's frozen facts (facts.py, the snapshot stored at issue).
    "certificates": {"read_models"},
    # The factor library page reads the catalogue through factors.services (catalogue_with_imports).
    "factors": {"read_models"},
}


def django_apps() -> list[Path]:
    """The packages under klimabok/ with models.py or urls.py: the Django apps that own data or pages.

    Skipped by that rule, on purpose: ``core`` (plain Python, no Django), ``cli`` (the typer
    command line), ``demo`` (demo data loaded through the apps' services) and ``web`` (shared web
    plumbing: middleware, template tags, the core messages' translations; no data, no pages of its own).
    ``audit`` has models but no pages: it is held to services and read models only.
    """
    return sorted(p for p in KLIMABOK.iterdir()
                  if p.is_dir() and ((p / "models.py").exists() or (p / "urls.py").exists()))


def skeleton_gaps(app: Path) -> set[str]:
    """The parts of the skeleton ``app`` lacks (see docs/adding-an-app.md)."""
    has_pages = (app / "urls.py").exists()
    gaps: set[str] = set()
    if not ((app / "services.py").exists() or (app / "services" / "__init__.py").exists()):
        gaps.add("services")
    if not (app / "read_models.py").exists():
        gaps.add("read_models")
    if has_pages:
        if not (app / "views" / "__init__.py").exists() or (app / "views.py").exists():
            gaps.add("views")
        if not (app / "templates" / app.name).is_dir():
            gaps.add("templates")
        if not (app / "locale" / "nb" / "LC_MESSAGES" / "django.po").exists():
            gaps.add("locale")
    return gaps


def test_every_django_app_follows_the_skeleton() -> None:
    apps = django_apps()
    assert {"accounts", "inventory", "ledger", "account", "credits"} <= {a.name for a in apps}
    assert {"core", "cli", "web"}.isdisjoint(a.name for a in apps)
    gaps = {app.name: sorted(skeleton_gaps(app) - WITHOUT.get(app.name, set())) for app in apps}
    assert {name: missing for name, missing in gaps.items() if missing} == {}


def test_the_skeleton_allow_list_is_still_needed() -> None:
    """An app that gains a part it was excused from comes off the list, so the list stays short."""
    excused = {name: sorted(parts - skeleton_gaps(KLIMABOK / name)) for name, parts in WITHOUT.items()}
    assert {name: parts for name, parts in excused.items() if parts} == {}


def test_no_app_keeps_flat_prefixed_modules_beside_its_packages() -> None:
    """An app with a views/ or services/ package has no views.py/services.py or ``*_views.py`` /
    ``*_services.py`` beside it: one place for an app's views, one for its writes."""
    strays: dict[str, list[str]] = {}
    for app in django_apps():
        found = sorted(p.name for p in app.glob("*.py") if p.stem.endswith(("_views", "_services")))
        for part in ("views", "services"):
            if (app / part).is_dir() and (app / f"{part}.py").exists():
                found.append(f"{part}.py")
        if found:
            strays[app.name] = found
    assert strays == {}
