"""Who may see and do what on the inventory pages (roles in roles.py; mallory is from another client)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear
from tests.web.conftest import ClientFor

READ_PAGES = ["/o/nordlys/", "/o/nordlys/2025/"]
DATA_PAGES = ["/o/nordlys/2025/entries/", "/o/nordlys/2025/template.xlsx"]
EDIT_PAGES = ["/o/nordlys/2025/entries/new/", "/o/nordlys/2025/entries/new/electricity/"]


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(1000),
                                 unit="kWh")
    return year


@pytest.mark.parametrize("name", ["alice", "olga", "carl", "emma", "aud", "petra"])
def test_every_nordlys_role_sees_the_overview_and_year(client_for: ClientFor, everyone: dict[str, User],
                                                       year_2025: ReportingYear, name: str) -> None:
    client = client_for(everyone[name])
    for url in READ_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Nordlys Kundesenter AS" in client.get("/o/nordlys/").content.decode()


@pytest.mark.parametrize("url", READ_PAGES + DATA_PAGES + EDIT_PAGES + ["/o/nordlys/sites/"])
def test_mallory_from_another_client_gets_404_everywhere(client_for: ClientFor, mallory: User,
                                                         year_2025: ReportingYear, url: str) -> None:
    assert client_for(mallory).get(url).status_code == 404


def test_mallory_cannot_post_either(client_for: ClientFor, mallory: User, year_2025: ReportingYear) -> None:
    client = client_for(mallory)
    entry = year_2025.entries.get()
    for url in ["/o/nordlys/2025/close/", f"/o/nordlys/2025/entries/{entry.pk}/delete/", "/o/nordlys/years/"]:
        assert client.post(url, {"year": 2026}).status_code == 404, url
    assert ActivityEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(("name", "status"), [("alice", 200), ("olga", 200), ("carl", 200), ("petra", 200),
                                              ("aud", 403), ("emma", 403)])
def test_data_entry_pages_need_edit_rights(client_for: ClientFor, everyone: dict[str, User],
                                           year_2025: ReportingYear, name: str, status: int) -> None:
    client = client_for(everyone[name])
    for url in EDIT_PAGES:
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("name", "status"), [("alice", 200), ("aud", 200), ("carl", 200), ("emma", 403)])
def test_entry_list_and_template_need_view_data(client_for: ClientFor, everyone: dict[str, User],
                                                year_2025: ReportingYear, name: str, status: int) -> None:
    client = client_for(everyone[name])
    for url in DATA_PAGES:
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize("name", ["emma", "aud"])
def test_read_only_roles_see_no_write_buttons_and_get_403_on_writes(
        client_for: ClientFor, everyone: dict[str, User], year_2025: ReportingYear, name: str) -> None:
    client = client_for(everyone[name])
    page = client.get("/o/nordlys/2025/").content.decode()
    for button in ("Legg inn data", "Lukk året", "Lagre fakta", "Last opp en fil"):
        assert button not in page
    entry = year_2025.entries.get()
    writes = {"/o/nordlys/2025/close/": {}, "/o/nordlys/2025/facts/": {"gwp_set": "AR5"},
              f"/o/nordlys/2025/entries/{entry.pk}/delete/": {}, "/o/nordlys/years/": {"year": 2026},
              "/o/nordlys/2025/upload/": {}}
    for url, data in writes.items():
        assert client.post(url, data).status_code == 403, url
    assert ActivityEntry.objects.filter(pk=entry.pk).exists()
    year_2025.refresh_from_db()
    assert not year_2025.is_closed


def test_contributor_may_enter_data_but_not_close_the_year(client_for: ClientFor, carl: User,
                                                           year_2025: ReportingYear) -> None:
    client = client_for(carl)
    page = client.get("/o/nordlys/2025/").content.decode()
    assert "Legg inn data" in page
    assert "Lukk året" not in page
    assert client.post("/o/nordlys/2025/close/").status_code == 403


def test_admin_sees_every_button(client_for: ClientFor, alice: User, year_2025: ReportingYear) -> None:
    page = client_for(alice).get("/o/nordlys/2025/").content.decode()
    for button in ("Legg inn data", "Lukk året", "Lagre fakta", "Last ned malen"):
        assert button in page


def test_unknown_year_is_404(client_for: ClientFor, alice: User, year_2025: ReportingYear) -> None:
    assert client_for(alice).get("/o/nordlys/1999/").status_code == 404
