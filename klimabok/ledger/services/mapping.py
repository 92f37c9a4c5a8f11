"""The climate partner's mapping table: which CEDA sectors a spend category uses for its clients.

A partner may replace a category's sectors (``categories.csv``) for all its clients; the choice is
stored per partner (:class:`~klimabok.ledger.models.SpendSectorChoice`), read by
:func:`klimabok.ledger.read_models.sector_choice` and applied when a client's spend factor dataset
is built (``spend_factor_dataset(year, sector_choice(partner))``), whose version then includes it:
a closed year keeps the dataset it was closed with, an open year uses the partner's current choice.
"""

from __future__ import annotations

from django.db import transaction

from klimabok.accounts.models import Organisation, User
from klimabok.core.spend.factors import check_sectors
from klimabok.core.spend.tables import category
from klimabok.ledger.models import SpendSectorChoice


def parse_sectors(text: str) -> tuple[str, ...]:
    """Sector codes typed by the partner (spaces or commas between them), each once, in order; every
    one must be an Open CEDA 2025 sector (:class:`~klimabok.core.errors.FactorNotFound` names the first
    that is not)."""
    codes = tuple(dict.fromkeys(text.replace(",", " ").upper().split()))
    check_sectors(codes)
    return codes


@transaction.atomic
def choose_sectors(partner: Organisation, key: str, sectors: tuple[str, ...], rationale: str,
                   user: User | None) -> SpendSectorChoice | None:
    """Store the partner's ``sectors`` for spend category ``key``; the shipped sectors with no rationale
    of its own mean no choice (the row is removed, ``None``)."""
    shipped = category(key)
    if sectors == shipped.ceda_sectors and not rationale.strip():
        reset_sectors(partner, key)
        return None
    choice, _ = SpendSectorChoice.objects.update_or_create(
        partner=partner, category=key,
        defaults={"ceda_sectors": " ".join(sectors), "rationale": rationale.strip(), "changed_by": user})
    return choice


@transaction.atomic
def reset_sectors(partner: Organisation, key: str) -> None:
    """Back to ``categories.csv``'s sectors for spend category ``key``."""
    SpendSectorChoice.objects.filter(partner=partner, category=key).delete()
