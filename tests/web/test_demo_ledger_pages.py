"""What the demo's users see of Nordlys's imported 2025 ledger: the import for whoever may see data,
the energy spend excluded as covered by the activity data, and nothing at all for another company."""

from __future__ import annotations

import pytest
from django.test import Client

from klimabok.accounts.models import User
from klimabok.demo.ledger_chart import FILENAME

pytestmark = pytest.mark.django_db

LEDGER = "/o/nordlys/2025/ledger/"
SPEND = "/o/nordlys/2025/account/spend/"


@pytest.fixture
def demo(demo_db: None) -> None:
    """The demo, loaded once for the module (tests/conftest.py): these tests only read it."""


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_demo_import_is_listed_for_whoever_sees_data_and_for_nobody_else(demo: None) -> None:
    for email in ("alice@nordlys.example", "olga@nordlys.example", "carl@nordlys.example",
                  "aud@revisor.example", "petra@klimapartner.example"):
        page = _client(email).get(LEDGER).content.decode()
        assert FILENAME in page, email
        assert "3202" in page.replace("\u00a0", "").replace(" ", ""), email  # the file's ledger lines
    assert _client("emma@nordlys.example").get(LEDGER).status_code == 403  # an employee sees totals only
    mallory = _client("mallory@fjordbakst.example")
    assert mallory.get(LEDGER).status_code == 404
    assert mallory.get(SPEND).status_code == 404


def test_the_spend_page_excludes_light_and_heat_as_covered_and_counts_it(demo: None) -> None:
    page = _client("alice@nordlys.example").get(SPEND).content.decode()
    # 6340 Lys, varme: 1,791,540.20 NOK of power, grid and district heating for the kWh entered.
    assert "Lys, varme" in page and "dekket av aktivitetsdata" in page
    # 6810 IT (grouping code 6350): 8,840,000 NOK counted (tests/test_demo_ledger.py has the tonnes).
    assert "IT-drift, programvare og telefoni" in page and "8\u00a0840\u00a0000" in page
    assert "CEDA by Watershed" in page
    # The canteen's food is in the activity data by weight: excluded by hand, with the reason.
    assert "Kantinens matvarer er ført i tonn under innkjøp" in page
    # The badge says "excluded by hand" once: not "Utelatt utelatt manuelt: …" (the badge, then the reason).
    assert '<span class="badge badge-muted">Excluded by hand</span> Kantinens matvarer' in page or (
        '<span class="badge badge-muted">Utelatt manuelt</span> Kantinens matvarer' in page)
    assert "utelatt manuelt" not in page
