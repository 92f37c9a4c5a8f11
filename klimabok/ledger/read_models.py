"""A year's imported spend lines as engine input, beside its activity entries.

Each counted :class:`~klimabok.ledger.models.SpendLine` (a spend category, not excluded, a non-zero
net amount) becomes a tier-4 :func:`~klimabok.core.spend.spend_activity_line` with
``ref="spend:<id>"``, computed with the spend factors ``spend.<category>``
(:func:`~klimabok.core.spend.spend_factor_dataset`, method "spend-based", "CEDA by Watershed").
A spend category that the year's activity data already covers (electricity kWh vs the
electricity account, fuel litres vs the fuel account, flights vs travel) is excluded
(:func:`~klimabok.core.spend.exclude_covered`): not counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from klimabok.core.engine import ActivityLine
from klimabok.core.errors import KlimabokError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.spend import Classification, categories, exclude_covered, spend_activity_line
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import SpendLine

SPEND_REF_PREFIX = "spend:"


def activity_groups(catalogue: Catalogue, activities: Iterable[str]) -> set[str]:
    """The activity groups (``electricity``, ``fuel``, ``flight``…) of the year's activity keys.

    An activity's ``group`` in the catalogue, and its key prefix (``electricity.no`` → ``electricity``).
    """
    groups: set[str] = set()
    for key in set(activities):
        groups.add(key.split(".", 1)[0])
        try:
            group = catalogue.activity(key).group
        except KlimabokError:
            continue
        if group:
            groups.add(group)
    return groups


def load_spend_lines(reporting_year: ReportingYear) -> list[SpendLine]:
    """Every spend line of the year's confirmed imports, in import and account order (one query)."""
    return list(SpendLine.objects.filter(ledger_import__reporting_year=reporting_year,
                                         ledger_import__status="confirmed")
                .order_by("ledger_import_id", "id"))


def spend_classification(line: SpendLine) -> Classification | None:
    """The stored line as a classification (``None`` when it is excluded or has no category)."""
    if line.excluded or not line.category:
        return None
    table = {c.key: c for c in categories()}
    spend = table.get(line.category)
    if spend is None:
        return None
    return Classification(spend.key, spend.scope, spend.ghg_category, None, None)


def counted_spend_lines(lines: Iterable[SpendLine], groups: Iterable[str]) -> list[SpendLine]:
    """The spend lines that join the account: mapped, non-zero, not covered by activity data."""
    groups = set(groups)
    out = []
    for line in lines:
        found = spend_classification(line)
        if found is None or not line.net_nok:
            continue
        if exclude_covered(found, groups).excluded is not None:
            continue
        out.append(line)
    return out


def spend_engine_line(line: SpendLine) -> ActivityLine:
    """A spend line as the engine's input line (tier 4, ``ref="spend:<id>"``)."""
    who = line.supplier_name or line.supplier_id
    description = f"{line.account_id} {line.account_description}" + (f" — {who}" if who else "")
    return spend_activity_line(line.net_nok, line.category, ref=f"{SPEND_REF_PREFIX}{line.pk}",
                               description=description[:300])


def spend_line_id_of(ref: str) -> int | None:
    """The spend line id in a result line's ``ref`` (``"spend:42"`` → 42), else None."""
    if ref.startswith(SPEND_REF_PREFIX) and ref[len(SPEND_REF_PREFIX):].isdigit():
        return int(ref[len(SPEND_REF_PREFIX):])
    return None
