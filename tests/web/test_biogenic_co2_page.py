"""The account page and exports show biogenic CO2 apart from the scopes (issue 10, medium).

1,000 litres of ``fuel.diesel`` in 2025: DESNZ 2025 row 99_604_1011_8_2 (outside of scopes, diesel
average biofuel blend, 0.14 kg CO2 per litre) gives 140 kg = 0.1 t biogenic CO2; scope 1 stays at the
2,570.82 kg of row 1_101_1011_8_1.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from klimabok.accounts.models import Organisation, User
from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.inventory.models import ActivityEntry, ReportingYear
from tests.web.conftest import ClientFor, streamed_text
from tests.web.test_account_views import text


@pytest.fixture
def diesel_year(nordlys: Organisation) -> ReportingYear:
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    ActivityEntry.objects.create(reporting_year=year, activity="fuel.diesel", quantity=1000, unit="litres",
                                 description="Aggregat")
    return year


@pytest.mark.usefixtures("diesel_year")
def test_page_and_exports_show_biogenic_co2_outside_the_scopes(client_for: ClientFor, alice: User) -> None:
    client = client_for(alice)
    page = text(client.get(reverse("account:account", args=["nordlys", 2025])))
    assert "Biogent CO2, utenfor scopene: 0,1 t" in page
    assert "Scope 1: direkte utslipp 2,6 t CO₂e" in page  # 2,570.82 kg, biogenic not added
    export = "account:account_export"
    summary = streamed_text(client.get(reverse(export, args=["nordlys", 2025, "summary.csv"])))
    assert '"Biogent CO2, utenfor scopene (t CO2)",0.14' in summary
    lines = streamed_text(client.get(reverse(export, args=["nordlys", 2025, "lines.csv"])))
    assert "99_604_1011_8_2" in lines
    expected = compute_account([ActivityLine("fuel.diesel", 1000, "litres")], year=2025,
                               catalogue=default_catalogue())
    assert json.loads(json.dumps(expected.to_dict()))["biogenic_co2_outside_scopes"] == {"t_co2": 0.14}


def test_no_biogenic_line_without_biofuel(client_for: ClientFor, alice: User, nordlys: Organisation) -> None:
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    ActivityEntry.objects.create(reporting_year=year, activity="fuel.diesel_mineral", quantity=1000,
                                 unit="litres")
    page = client_for(alice).get(reverse("account:account", args=["nordlys", 2025])).content.decode()
    assert 'data-testid="biogenic-co2"' not in page
