"""A refrigerant blend under AR6 on the account's lines: the AR6 figure and where it comes from.

R-410A = HFC-32 50 % + HFC-125 50 % by mass (US EPA GHG Emission Factors Hub 2025, Table 12); AR6
GWPs (IPCC AR6 WG1 Table 7.SM.7) HFC-32 771, HFC-125 3,740: 2 kg × 2,255.5 = 4,511 kg CO2e.
Under AR5 the DESNZ 2025 row 3_201_2156_3_1 (1,924 kg CO2e/kg) gives 3,848 kg.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear
from tests.web.conftest import ClientFor

NBSP = "\u00a0"


@pytest.mark.parametrize(("gwp_set", "kg", "note"), [
    ("AR6", f"4{NBSP}511,0 kg CO₂e", "AR6, beregnet fra komponentene: HFC-32 50 %, HFC-125 50 %"),
    ("AR5", f"3{NBSP}848,0 kg CO₂e", None),
])
def test_the_lines_say_which_gwp_set_a_blend_was_computed_with(
        client_for: ClientFor, alice: User, nordlys: Organisation, gwp_set: str, kg: str,
        note: str | None) -> None:
    year = ReportingYear.objects.create(organisation=nordlys, year=2025, gwp_set=gwp_set)
    ActivityEntry.objects.create(reporting_year=year, activity="refrigerant.r410a", quantity=Decimal(2),
                                 unit="kg", description="Varmepumpe, lekkasje")
    html = client_for(alice).get(reverse("account:account_lines", args=["nordlys", 2025])).content.decode()
    page = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))
    assert kg in page
    assert "3_201_2156_3_1" in page  # the DESNZ row stays the line's reference
    if note:
        assert note in page
    else:
        assert "fra komponentene" not in page
