"""Build the test excerpt of the EFRAG VSME digital template: ``tests/data/vsme/vsme-template-excerpt.xlsx``.

The official template (``vsme-digital-template-1.3.0.xlsx``, EFRAG-EU/Digital-Template-to-XBRL-Converter,
MIT licence) is 0.8 MB and is not shipped (see ``klimabok/reports/vsme_template.py``). The excerpt keeps
its sheets "General Information", "Environmental Disclosures" (B3 and C3) and "Licence" unchanged, and the
named ranges on them; the other sheets (social, governance, translations, converters, lists) and their
named ranges are dropped, and so are the data validations and conditional formats of the kept sheets
(openpyxl cannot write the template's validation extension back). No value is edited.

    .venv/bin/python scripts/build_vsme_excerpt.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

from openpyxl import load_workbook

KEEP = ("General Information", "Environmental Disclosures", "Licence")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "vsme" / "vsme-template-excerpt.xlsx"


def build(data: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        workbook = load_workbook(data / "vsme" / "vsme-digital-template-1.3.0.xlsx")
    for name in list(workbook.sheetnames):
        if name not in KEEP:
            del workbook[name]
    for name, defined in list(workbook.defined_names.items()):
        sheets = {sheet for sheet, _ in defined.destinations}
        if not sheets or not sheets <= set(KEEP):
            del workbook.defined_names[name]
    for sheet in workbook.worksheets:
        sheet.defined_names.clear()
        sheet.data_validations.dataValidation = []
        sheet.conditional_formatting = type(sheet.conditional_formatting)()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(OUT)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    build(parser.parse_args().data)
