"""``klimabok export audit ORG YEAR [--out FILE]``: the auditor's bundle of a year (a ZIP with a manifest).

``klimabok export verify BUNDLE``: re-check a bundle without a database: the manifest's own hash, its
file list against the ZIP, and every file's SHA-256. Prints ``OK: N files``, or names the first bad
file on stderr with exit status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klimabok.cli import django_setup, fail, reports_errors
from klimabok.core.bundle import check

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command("audit")
@reports_errors
def audit(
    org: Annotated[str, typer.Argument(help="The organisation's slug.")],
    year: Annotated[int, typer.Argument(help="The reporting year.")],
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the ZIP "
                                              "(default: audit-ORG-YEAR.zip here).")] = None,
    language: Annotated[str | None, typer.Option("--language", help="nb or en: the CSV column names "
                                                  "(default: the site's language).")] = None,
) -> None:
    """Write the auditor's bundle of an organisation's reporting year: lines, factors, imports,
    overrides, audit events, reports and a SHA-256 manifest."""
    django_setup()
    from klimabok.accounts.models import Organisation
    from klimabok.inventory.models import ReportingYear
    from klimabok.reports.audit_bundle import build_bundle, bundle_filename

    organisation = Organisation.objects.filter(slug=org, kind=Organisation.Kind.CLIENT).first()
    if organisation is None:
        fail(f"no client organisation '{org}'")
    reporting_year = ReportingYear.objects.filter(organisation=organisation, year=year).first()
    if reporting_year is None:
        years = ", ".join(str(y) for y in ReportingYear.objects.filter(organisation=organisation)
                          .order_by("year").values_list("year", flat=True)) or "none"
        fail(f"no reporting year {year} for organisation '{org}' (its years: {years})")
    if language not in (None, "nb", "en"):
        fail(f"--language {language}: nb or en")
    data = build_bundle(reporting_year, language)
    target = out or Path(bundle_filename(reporting_year))
    target.write_bytes(data)
    state = "closed" if reporting_year.is_closed else "open (a draft: the account may still change)"
    typer.echo(f"wrote {target} ({len(data):,} bytes): {org} {year}, {state}")


@app.command("verify")
@reports_errors
def verify(bundle: Annotated[Path, typer.Argument(help="An auditor's bundle (ZIP).")]) -> None:
    """Check every file of a bundle against its manifest's SHA-256 and the manifest's own integrity."""
    if not bundle.exists():
        raise FileNotFoundError(2, "no such file", str(bundle))
    result = check(bundle.read_bytes())
    if not result.ok:
        fail(f"{bundle}: {result.bad}: {result.problem}")
    typer.echo(f"OK: {result.files} files")
