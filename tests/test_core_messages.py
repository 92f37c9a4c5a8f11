"""Every message the core gives a user has a bokmål translation, and is made the one way that allows it.

The core (no Django) makes user-facing text with ``klimabok.core.messages.message``;
the web translates the template with gettext from ``klimabok/locale/nb``. These
tests find every call in the source, so a new English message without a
translation — or one that bypasses ``message()`` — fails here, not on a
Norwegian page.
"""

from __future__ import annotations

import ast
import copy
import importlib
import pkgutil
import re
from pathlib import Path

import polib
import pytest

import klimabok.core
from klimabok.core.errors import InputError, InputErrors, KlimabokError
from klimabok.core.messages import Message, message

ROOT = Path(__file__).resolve().parent.parent
#: Where core messages are made: the core, and the one web-side module raising a core-style error.
SOURCES = sorted([*(ROOT / "klimabok" / "core").rglob("*.py"),
                  ROOT / "klimabok" / "inventory" / "catalogues.py"])
CATALOGUE = ROOT / "klimabok" / "locale" / "nb" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdgfr]")


def calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def core_templates() -> dict[str, str]:
    """Template → where it is made, from every ``message("…")`` call in :data:`SOURCES`."""
    found: dict[str, str] = {}
    for path in SOURCES:
        for call in calls(path):
            if called_name(call) != "message":
                continue
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            first = call.args[0] if call.args else None
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), \
                f"{where}: message() needs a string literal (translators find it by that)"
            found.setdefault(first.value, where)
    return found


def klimabok_error_names() -> set[str]:
    for module in pkgutil.walk_packages(klimabok.core.__path__, "klimabok.core."):
        importlib.import_module(module.name)
    importlib.import_module("klimabok.inventory.catalogues")
    names, todo = set(), [KlimabokError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo += cls.__subclasses__()
    return names


def test_the_collector_finds_the_core_messages() -> None:
    templates = core_templates()
    assert "'%(text)s' is not a number" in templates
    assert "factor from %(figure_year)s: no %(year)s figure published" in templates
    assert len(templates) >= 40


def test_every_core_message_has_a_bokmal_translation_with_the_same_placeholders() -> None:
    # Django merges every catalogue: a core message made in an app's module (inventory/catalogues.py)
    # is extracted into that app's catalogue by `make messages`, the core's own into klimabok/locale.
    catalogues = sorted((ROOT / "klimabok").rglob("locale/nb/LC_MESSAGES/*.po"))
    translations = {entry.msgid: entry for path in catalogues for entry in polib.pofile(str(path))}
    missing = sorted(t for t in core_templates()
                     if not (t in translations and translations[t].msgstr.strip()))
    assert missing == [], f"add these to {CATALOGUE.relative_to(ROOT)} (make messages, then translate)"
    for template in core_templates():
        translated = translations[template].msgstr
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(template)), template
        assert translations[template].fuzzy is False, template


def test_the_catalogue_holds_no_stale_entries() -> None:
    """klimabok/locale holds the core's messages and the texts of the code without a catalogue of its own
    (the project-wide templates in klimabok/templates, the API): `make messages` puts each text in the
    catalogue nearest to the file that makes it. Every entry here is still made where it says."""
    core = set(core_templates())
    klimabok_dir = ROOT / "klimabok"

    def made_here(where: str) -> bool:
        package = klimabok_dir / where.split("/")[0]
        return (klimabok_dir / where).is_file() and not (package / "locale").is_dir()

    stale = sorted(e.msgid for e in polib.pofile(str(CATALOGUE)) if e.msgid not in core
                   and not (e.occurrences and all(made_here(where) for where, _line in e.occurrences)))
    assert stale == []


def test_the_catalogue_header_is_bokmal() -> None:
    metadata = polib.pofile(str(CATALOGUE)).metadata
    assert metadata["Language"] == "nb"
    assert metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_core_errors_are_raised_with_messages_not_plain_text() -> None:
    """``raise InputError(f"…")`` in the core would show English on a Norwegian page."""
    errors = klimabok_error_names()
    offenders = [f"{path.relative_to(ROOT)}:{call.lineno}" for path in SOURCES for call in calls(path)
                 if called_name(call) in errors and call.args
                 and isinstance(call.args[0], ast.Constant | ast.JoinedStr | ast.BinOp)]
    assert offenders == []


def test_no_message_is_built_around_the_marker() -> None:
    offenders = [f"{path.relative_to(ROOT)}:{call.lineno}" for path in SOURCES for call in calls(path)
                 if called_name(call) == "Message" and path.name != "messages.py"]
    assert offenders == []


def test_str_is_the_english_text() -> None:
    flag = message("factor from %(figure_year)s: no %(year)s figure published", figure_year=2023, year=2025)
    assert str(flag) == "factor from 2023: no 2025 figure published"
    assert flag == Message("factor from %(figure_year)s: no %(year)s figure published",
                           {"year": 2025, "figure_year": 2023})
    assert len({flag, message("factor from %(figure_year)s: no %(year)s figure published",
                              figure_year=2023, year=2025)}) == 1
    assert str(message("100 %% renewable")) == "100 % renewable"


def test_errors_keep_their_english_text_and_parts() -> None:
    problem = message("'%(text)s' is not a number", text="abc")
    error = InputError(problem, source="upload.xlsx", row=7, field="quantity")
    assert str(error) == "upload.xlsx, row 7, column quantity: 'abc' is not a number"
    assert (error.problem, error.source, error.row, error.field) == (problem, "upload.xlsx", 7, "quantity")
    many = InputErrors([error] * 52)
    assert str(many).splitlines()[0] == "52 error(s):"
    assert str(many).splitlines()[-1] == "… and 2 more"
    assert str(KlimabokError("already translated")) == "already translated"


@pytest.mark.parametrize("error", [InputError(message("empty unit"), row=2), InputErrors([InputError("x")])])
def test_errors_survive_a_copy(error: KlimabokError) -> None:
    # deepcopy goes the way pickle does (__reduce__): a task queue or a cache may copy an error.
    assert str(copy.deepcopy(error)) == str(error)
