"""``klimabok credits``: read registry exports and serial numbers, and screen them — no database needed.

``inspect`` reads a Verra, Gold Standard or Isometric export, screens every
block against the default policy (the strict one: CCP label, vintage at most 5 years old, ex post) and
against the other rows of the same file (an overlap inside an export is an
error too), and prints a line per block with the checks that did not pass.
``parse-serial`` shows what klimabok reads from one serial number.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from klimabok.cli import fail, reports_errors
from klimabok.core.credits.blocks import overlapping_pairs
from klimabok.core.credits.registries import FORMATS, RegistryBlock, read_registry_export
from klimabok.core.credits.screening import CheckStatus, Policy, ScreeningResult, screen
from klimabok.core.credits.serials import SerialBlock, parse_serial

app = typer.Typer(no_args_is_help=True, add_completion=False)

#: What ``inspect`` screens against until the partner's policy is stored (the database-backed commands).
DEFAULT_POLICY = Policy()


def serial_json(block: SerialBlock) -> dict[str, Any]:
    return {
        "serial": block.raw, "registry": block.registry, "identity": block.identity, "start": block.start,
        "end": block.end, "quantity": block.quantity, "unit_type": block.unit_type,
        "project_id": block.project_id, "country": block.country, "batch": block.batch,
        "vintage_start": block.vintage_start.isoformat() if block.vintage_start else None,
        "vintage_end": block.vintage_end.isoformat() if block.vintage_end else None,
        "vintage_year": block.vintage_year,
    }


def block_json(block: RegistryBlock, result: ScreeningResult) -> dict[str, Any]:
    project = block.project
    return {
        "row": block.row, **serial_json(block.serial), "product_type": block.product_type,
        "labels": list(block.labels), "kind": str(block.kind), "article6": block.article6,
        "issued_on": block.issued_on.isoformat() if block.issued_on else None,
        "total_credits": str(block.total_credits) if block.total_credits is not None else None,
        "buffer_credits": str(block.buffer_credits) if block.buffer_credits is not None else None,
        "retired_on": (block.retirement.retired_on.isoformat()
                       if block.retirement and block.retirement.retired_on else None),
        "project": {"registry": project.registry, "id": project.project_id, "name": project.name,
                    "country": project.country, "methodology": project.methodology,
                    "type": project.project_type, "url": project.url},
        "offerable": result.offerable,
        "checks": [{"name": c.name, "status": str(c.status), "message": str(c.message)}
                   for c in result.checks],
    }


@app.command("inspect")
@reports_errors
def inspect(
    file: Annotated[Path, typer.Argument(help="The registry's export (CSV).")],
    format: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")],
    projects: Annotated[Path | None, typer.Option(
        help="Isometric only: the projects export, for project names, countries and protocols.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
) -> None:
    """Read a registry export and screen every block: one line per block, then the checks not passed."""
    if projects is not None and format != "isometric":
        fail("--projects is only for --format isometric")
    blocks = read_registry_export(file, format, projects=projects)
    clashes: dict[int, list[SerialBlock]] = {}
    for earlier, later in overlapping_pairs(b.serial for b in blocks):
        clashes.setdefault(id(later), []).append(earlier)
    results = [screen(b, DEFAULT_POLICY, existing_ranges=clashes.get(id(b.serial), [])) for b in blocks]
    if as_json:
        typer.echo(json.dumps([block_json(b, r) for b, r in zip(blocks, results, strict=True)], indent=2,
                              ensure_ascii=False))
        return
    for block, result in zip(blocks, results, strict=True):
        verdict = "offerable" if result.offerable else "not offerable"
        typer.echo(f"row {block.row}: {block.serial.raw}  {block.quantity} t  vintage {block.vintage_year}  "
                   f"{block.project.project_id} {block.project.name}  {block.kind}  {verdict}")
        for check in result.checks:
            if check.status != CheckStatus.PASS:
                typer.echo(f"    {check.status}: {check.name}: {check.message}")
    offerable = [b for b, r in zip(blocks, results, strict=True) if r.offerable]
    typer.echo(f"{len(blocks)} blocks, {sum(b.quantity for b in blocks)} t; "
               f"offerable: {len(offerable)} blocks, {sum(b.quantity for b in offerable)} t")


@app.command("parse-serial")
@reports_errors
def parse_serial_command(
    serial: Annotated[str, typer.Argument(help="A Verra, Gold Standard, CDM or isometric:… serial number.")],
    quantity: Annotated[int | None, typer.Option(help="Check it equals end − start + 1.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
) -> None:
    """Show what klimabok reads from a serial number (registry, range, quantity, vintage, project)."""
    facts = serial_json(parse_serial(serial, quantity=quantity))
    if as_json:
        typer.echo(json.dumps(facts, indent=2))
        return
    width = max(map(len, facts))
    for key, value in facts.items():
        typer.echo(f"{key.ljust(width)}  {'' if value is None else value}")


# --- commands on the database: import into and add to a partner's portfolio -----------------------


def _partner(slug: str) -> Any:
    from klimabok.accounts.models import Organisation

    partner = Organisation.objects.filter(slug=slug, kind=Organisation.Kind.PARTNER).first()
    if partner is None:
        fail(f"no climate partner '{slug}'")
    return partner


@app.command("import")
@reports_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="The registry's export (CSV).")],
    format: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")],
    partner: Annotated[str, typer.Option("--partner", help="The climate partner's slug.")],
    projects: Annotated[Path | None, typer.Option(help="Isometric only: the projects export.")] = None,
) -> None:
    """Import a registry export into the partner's portfolio (all or nothing) and screen every block."""
    from klimabok.cli import django_setup

    django_setup()
    from klimabok.credits.services import import_registry_file

    result = import_registry_file(_partner(partner), file, format, None, projects=projects)
    record = result.registry_import
    if result.already_imported:
        typer.echo(f"{file.name} was imported before ({record.imported_at:%Y-%m-%d %H:%M}); nothing changed")
        return
    for block in result.rejected:
        failed = "; ".join(f"{c.name}: {c.text()}" for c in block.checks.all() if c.status == "fail")
        typer.echo(f"rejected row {block.source_row}: {block.raw_serial}: {failed}")
    typer.echo(f"{len(result.offered)} blocks offered ({sum(b.quantity for b in result.offered)} t), "
               f"{len(result.rejected)} rejected")


@app.command("add")
@reports_errors
def add_command(
    serial: Annotated[str, typer.Option("--serial", help="The block's serial number.")],
    quantity: Annotated[int, typer.Option("--quantity", help="Credits in the block (= end − start + 1).")],
    partner: Annotated[str, typer.Option("--partner", help="The climate partner's slug.")],
    project_name: Annotated[str, typer.Option("--project-name", help="The project's name.")],
    price: Annotated[str | None, typer.Option("--price", help="Price per tonne in NOK.")] = None,
    project_id: Annotated[str, typer.Option("--project-id",
                                            help="Registry project ID (else from the serial).")] = "",
    kind: Annotated[str, typer.Option("--kind", help="removal, reduction or unknown.")] = "unknown",
    country: Annotated[str, typer.Option("--country")] = "",
    methodology: Annotated[str, typer.Option("--methodology")] = "",
    label: Annotated[list[str] | None, typer.Option("--label", help="A registry label (repeat).")] = None,
    product_type: Annotated[str, typer.Option(
        "--product-type", help="Unit type as the registry names it (VER, PER, VCU…); "
                               "Gold Standard serials do not show it.")] = "",
) -> None:
    """Add a block by hand to the partner's portfolio and screen it."""
    from decimal import Decimal, InvalidOperation

    from klimabok.cli import django_setup
    from klimabok.core.credits.registries import Project

    if kind not in ("removal", "reduction", "unknown"):
        fail("--kind must be removal, reduction or unknown")
    try:
        amount = Decimal(price) if price is not None else None
    except InvalidOperation:
        fail(f"--price '{price}' is not a number")
    django_setup()
    from klimabok.credits.services import add_block

    block = add_block(_partner(partner), serial, quantity,
                      Project(registry="", project_id=project_id, name=project_name, country=country,
                              methodology=methodology),
                      user=None, kind=kind, labels=tuple(label or ()), product_type=product_type.upper(),
                      price=amount)
    typer.echo(f"{block.raw_serial}: {block.quantity} t, {block.status}")
    for check in block.checks.all():
        if check.status != "pass":
            typer.echo(f"    {check.status}: {check.name}: {check.text()}")
