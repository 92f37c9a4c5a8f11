"""The English UI text has no doubled words ("By hand excluded by hand"), and units read in bokmål.

Scans every string the templates and the Python code hand to gettext; placeholders count as a word
of their own, so "%(year)s %(year)s" is not flagged but "the the" is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from klimabok.core.factors.catalogue import default_catalogue
from klimabok.inventory.templatetags.account_format import localized_name, unit_name

ROOT = Path(__file__).resolve().parents[1] / "klimabok"
DOUBLED = re.compile(r"\b([A-Za-z]{2,})\s+\1\b", re.IGNORECASE)
TEMPLATE_STRINGS = re.compile(
    r'\{%\s*translate\s+"([^"]*)"|\{%\s*blocktranslate[^%]*%\}(.*?)\{%\s*endblocktranslate', re.DOTALL)
PYTHON_STRINGS = re.compile(r'\b(?:gettext|gettext_lazy|ngettext|_|message)\(((?:\s*"(?:[^"\\]|\\.)*"\s*)+)')


def ui_strings() -> list[tuple[str, str]]:
    found = []
    for path in sorted(ROOT.rglob("*.html")):
        for single, block in TEMPLATE_STRINGS.findall(path.read_text()):
            found.append((str(path.relative_to(ROOT)), single or block))
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for group in PYTHON_STRINGS.findall(path.read_text()):
            found.append((str(path.relative_to(ROOT)), "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', group))))
    return found


def test_the_scan_finds_the_strings() -> None:
    strings = ui_strings()
    assert len(strings) > 1000
    assert any(text == "By hand" for _path, text in strings)


def test_no_doubled_words_in_english_ui_text() -> None:
    doubled = []
    for path, text in ui_strings():
        plain = re.sub(r"\{\{[^}]*\}\}|%\(\w+\)[sd]", " X ", text)
        doubled += [f"{path}: {m.group(0)!r} in {text[:80]!r}" for m in DOUBLED.finditer(plain)]
    assert doubled == []


def test_fuel_names_say_liter_in_bokmal() -> None:
    catalogue = default_catalogue()
    with translation.override("nb"):
        names = {key: localized_name(catalogue.activity(key)) for key in
                 ("fuel.diesel", "fuel.burning_oil", "fuel.natural_gas", "fuel.diesel.tonnes")}
        assert names == {"fuel.diesel": "Diesel (britisk snitt for innblanding av biodrivstoff), liter",
                         "fuel.burning_oil": "Fyringsparafin, liter",
                         "fuel.natural_gas": "Naturgass, kubikkmeter",
                         "fuel.diesel.tonnes": "Diesel (britisk snitt for innblanding av biodrivstoff), tonn"}
    with translation.override("en"):
        english = localized_name(catalogue.activity("fuel.diesel"))
        assert english == "Diesel (UK average biofuel blend), litres"


@pytest.mark.parametrize(("unit", "nb", "en"), [("litres", "liter", "litres"), ("tonnes", "tonn", "tonnes"),
                                                ("room_night", "romdøgn", "room-nights")])
def test_units_in_the_interface_language(unit: str, nb: str, en: str) -> None:
    with translation.override("nb"):
        assert unit_name(unit) == nb
    with translation.override("en"):
        assert unit_name(unit) == en
