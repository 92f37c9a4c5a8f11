"""``klimabok factors``: list the factor catalogue, import a DESNZ file or a factor table.

``list`` works without a database (the shipped catalogue); when a database is
set up it includes the imported datasets. The imports write to the database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from klimabok.cli import django_setup, reports_errors
from klimabok.core.errors import KlimabokError
from klimabok.core.factors.catalogue import Catalogue, default_catalogue
from klimabok.core.factors.model import Factor, FactorDataset

app = typer.Typer(no_args_is_help=True, add_completion=False)


def catalogue_for_cli() -> Catalogue:
    """The catalogue with database imports if a database exists, else the shipped one."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    try:
        django_setup()
        from django.conf import settings

        db = settings.DATABASES["default"]
        name = str(db["NAME"])
        in_memory = name.startswith(("file:", ":memory:"))
        if db["ENGINE"].endswith("sqlite3") and not in_memory and not Path(name).exists():
            return default_catalogue()  # no database yet: do not create an empty file
        from klimabok.factors.services import catalogue_with_imports

        return catalogue_with_imports()
    except (DatabaseError, ImproperlyConfigured) as exc:
        typer.echo(f"note: no database ({exc.__class__.__name__}: {exc}); shipped catalogue only", err=True)
        return default_catalogue()


def factor_json(f: Factor) -> dict[str, Any]:
    return {
        "key": f.key, "name": f.name, "name_nb": f.name_nb, "unit": f.unit, "year": f.year,
        "published_year": f.published_year or f.year, "region": f.region, "scope": f.scope,
        "category": f.category, "basis": str(f.basis), "kg_co2e_per_unit": f.kg_co2e, "kg_co2": f.kg_co2,
        "kg_ch4": f.kg_ch4, "kg_n2o": f.kg_n2o, "kg_other_co2e": f.kg_other_co2e, "gwp_set": f.gwp_set,
        "kg_co2_biogenic": f.kg_co2_biogenic, "biogenic_source_ref": f.biogenic_source_ref,
        "source": f.source, "source_ref": f.source_ref, "licence": f.licence,
        "dataset": f"{f.dataset_id}@{f.dataset_version}" if f.dataset_id else "",
    }


def table(rows: list[list[str]], right: set[int]) -> str:
    """Rows as aligned text columns (``right``: indexes of right-aligned columns)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]

    def line(row: list[str]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(cells)).rstrip()

    return "\n".join(line(r) for r in rows)


@app.command("list")
@reports_errors
def list_factors(
    year: Annotated[int | None, typer.Option(help="Only the factors an account for this year uses.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Print the factor catalogue: key, unit, year, kg CO2e per unit, source reference."""
    catalogue = catalogue_for_cli()
    if year is not None and (not catalogue.years or year < min(catalogue.years)):
        known = ", ".join(map(str, catalogue.years))
        raise KlimabokError(f"no factors for {year} (catalogue years: {known})")
    factors = catalogue.factors(year)
    if as_json:
        json.dump([factor_json(f) for f in factors], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    header = ["key", "unit", "year", "published", "region", "scope", "kg CO2e/unit", "source ref"]
    rows = [[f.key, f.unit, str(f.year), str(f.published_year or f.year), f.region, f.scope_label,
             f"{f.kg_co2e:.6g}", f.source_ref] for f in factors]
    typer.echo(table([header, *rows], right={2, 3, 6}))
    typer.echo(f"{len(factors)} factors", err=True)


def _store(dataset: FactorDataset, file: Path) -> None:
    django_setup()
    from django.db import DatabaseError
    from django.utils import translation

    from klimabok.factors.services import import_dataset

    try:
        with translation.override("en"):  # operators' console: English, like the other commands
            import_dataset(dataset, file_name=file.name)
    except DatabaseError as exc:
        raise KlimabokError(f"database error ({exc}); run `manage.py migrate` first?") from None
    typer.echo(f"stored {dataset.ref}: year {dataset.year}, {len(dataset.factors)} factors from {file.name}")


@app.command("import-desnz")
@reports_errors
def import_desnz(
    file: Annotated[Path, typer.Argument(help="A complete DESNZ flat file (XLSX or CSV).")],
    version: Annotated[str | None, typer.Option(help="Version (default: the file's, else 1.0).")] = None,
) -> None:
    """Load an official DESNZ conversion-factor flat file as a new dataset version."""
    from klimabok.core.factors.desnz import load_desnz_flat_file

    _store(load_desnz_flat_file(file, version=version), file)


@app.command("import-csv")
@reports_errors
def import_csv(
    file: Annotated[Path, typer.Argument(help="A factor table in the curated CSV format.")],
    dataset_id: Annotated[str, typer.Option(help="Dataset id, e.g. plant-hafslund-oslo.")],
    version: Annotated[str, typer.Option(help="Version label, e.g. 2024.")],
) -> None:
    """Load your own factors (a plant-specific district-heating factor …) as a dataset version."""
    from klimabok.core.factors.factor_csv import load_factor_csv

    _store(load_factor_csv(file, dataset_id=dataset_id, version=version), file)
