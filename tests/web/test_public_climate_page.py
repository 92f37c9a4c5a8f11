"""The public climate page of the demo's Nordlys (opted in by the demo): what it shows, that nothing internal
leaks, that its template gets only the whitelisted fields, and that an organisation not opted in is a 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import formats, translation

from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.certificates.models import Certificate
from klimabok.core.reports.public_page import PUBLIC_FIELDS, PublicClimatePage, is_plain
from klimabok.credits.models import CreditBlock, CreditRange
from klimabok.demo.people import USERS
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.ledger.models import SpendLine
from klimabok.plans.models import Measure, MeasureNote, Status
from klimabok.reports.services import set_public_page
from klimabok.reports.views.public import PUBLIC_CONTEXT
from tests.web.conftest import ClientFor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]

URL = "/climate/nordlys/"


def _page(url: str = URL) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def _nb(value: float, decimals: int) -> str:
    with translation.override("nb"):
        return formats.number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


def test_the_page_shows_the_closed_year_both_scope_2_figures_targets_measures_certificates() -> None:
    text = _page()
    account = load_account(ReportingYear.objects.get(organisation__slug="nordlys", year=2024)).totals
    assert "Våre utslipp i 2024" in text
    for value in (
        account.scope_1,
        account.scope_2_location,
        account.scope_2_market,
        account.scope_3,
        account.total_market,
        account.total_location,
    ):
        assert _nb(value, 1) in text
    assert "lokasjonsbasert" in text and "markedsbasert" in text and "GHG-protokollen" in text
    assert "Scope 1 og 2: −25,2 % innen 2030" in text  # the targets
    assert "Bedre kildesortering" in text  # the one measure done
    certificate = Certificate.objects.get(organisation__slug="nordlys")
    assert f'href="/verify/{certificate.token}/?lang=nb"' in text
    # the consumer wording the claims rules allow: gross emissions, credits beside them
    assert "De er ikke trukket fra våre rapporterte utslipp." in text
    assert "klimanøytral" not in text.lower()


def test_the_page_in_english() -> None:
    text = _page(f"{URL}?lang=en")
    assert "Our emissions in 2024" in text and "location-based" in text
    assert "In 2024 Nordlys Kundesenter AS emitted" in text


def _internal_strings() -> list[str]:
    """Everything of Nordlys the public page must never show."""
    nordlys = Organisation.objects.get(slug="nordlys")
    people = [s for u in USERS for s in (u.email, u.name)]
    suppliers = {
        name
        for name in SpendLine.objects.filter(ledger_import__reporting_year__organisation=nordlys).values_list(
            "supplier_name", flat=True
        )
        if name
    }
    suppliers |= {"Reisefabrikken AS", "Hafslund Celsio", "Veikro Drivstoff AS", "Oslo Taxisentral AS"}
    assert len(suppliers) > 10
    spend = sorted(
        SpendLine.objects.filter(ledger_import__reporting_year__organisation=nordlys).values_list(
            "net_nok", flat=True
        ),
        reverse=True,
    )[:5]
    spend_texts = [_nb(float(nok), 0) for nok in spend if nok >= Decimal(10000)]
    assert spend_texts
    not_done = list(
        Measure.objects.filter(organisation=nordlys)
        .exclude(status=Status.DONE)
        .values_list("title", flat=True)
    )
    assert "Energieffektivisering av hovedkontoret" in not_done  # an idea
    notes = list(MeasureNote.objects.filter(measure__organisation=nordlys).values_list("text", flat=True))
    notes += [
        d for d in Measure.objects.filter(organisation=nordlys).values_list("description", flat=True) if d
    ]
    notes += [
        d
        for d in ActivityEntry.objects.filter(reporting_year__organisation=nordlys).values_list(
            "description", flat=True
        )
        if d
    ]
    open_year = load_account(ReportingYear.objects.get(organisation=nordlys, year=2025)).totals
    open_figures = [
        _nb(open_year.total_market, 1),
        _nb(open_year.total_location, 1),
        _nb(open_year.scope_3, 1),
    ]
    return [
        *people,
        *suppliers,
        *spend_texts,
        *not_done,
        *notes,
        *open_figures,
        "Utskrevne ark per årsverk",
        "5,4 %",
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_no_internal_figure_or_name_leaks(language: str) -> None:
    text = _page(f"{URL}?lang={language}")
    leaked = [s for s in _internal_strings() if s in text]
    assert leaked == []


def test_unscreened_credits_are_not_claimed() -> None:
    """Credits of a block that failed screening count toward no claim: the page says nothing of them."""
    ranges = CreditRange.objects.filter(order__client__slug="nordlys", status=CreditRange.Status.RETIRED)
    serial = ranges.first().block.raw_serial  # type: ignore[union-attr]
    assert serial.split("-")[0] in _page()
    CreditBlock.objects.filter(ranges__in=ranges).update(status=CreditBlock.Status.REJECTED)
    text = _page()
    assert "klimakreditter (138 t CO2e" not in text and "Verra VCS, serienummer" not in text


def test_the_template_gets_only_the_whitelisted_fields() -> None:
    response = Client().get(URL)
    keys = {key for context in response.context for key in context.flatten()}  # type: ignore[union-attr]
    keys -= {"True", "False", "None"}
    assert keys == set(PUBLIC_CONTEXT) == {"page", "language", "other_language"}
    page = response.context["page"]
    assert isinstance(page, PublicClimatePage) and is_plain(page)
    assert PUBLIC_FIELDS == {
        "PublicClimatePage": (
            "organisation_name",
            "account",
            "targets",
            "measures_done",
            "certificates",
            "claims",
        ),
        "PublicAccount": (
            "year",
            "gwp_set",
            "scope_1_t",
            "scope_2_location_t",
            "scope_2_market_t",
            "scope_3_t",
            "total_location_t",
            "total_market_t",
            "scope_3_categories",
        ),
        "PublicCategory": ("key", "t_co2e"),
        "PublicTarget": (
            "name",
            "coverage",
            "base_year",
            "target_year",
            "reduction_percent",
            "progress_year",
            "change_percent",
            "required_percent",
            "on_track",
        ),
        "PublicCertificate": ("number", "reporting_year", "tonnes", "retired_on", "verify_url"),
    }
    assert not is_plain(Organisation.objects.get(slug="nordlys")) and not is_plain({"a": 1})


def test_an_organisation_that_has_not_opted_in_is_a_404(client_for: ClientFor) -> None:
    assert Client().get("/climate/fjordbakst/").status_code == 404  # never opted in
    assert Client().get("/climate/klimapartner/").status_code == 404  # a partner has no climate page
    assert Client().get("/climate/nobody/").status_code == 404
    alice = User.objects.get(email="alice@nordlys.example")
    events = Event.objects.filter(kind=Kind.REPORTS_PUBLIC_PAGE_CHANGED).count()
    response = client_for(alice).post("/o/nordlys/reports/public-page/", {})  # the box unticked: off
    assert response.status_code == 302
    anonymous = Client().get(URL)
    assert anonymous.status_code == 404 and "Ingen klimaside her" in anonymous.content.decode()
    assert Event.objects.filter(kind=Kind.REPORTS_PUBLIC_PAGE_CHANGED).count() == events + 1
    client_for(alice).post("/o/nordlys/reports/public-page/", {"enabled": "on"})
    assert Client().get(URL).status_code == 200
    assert Event.objects.filter(kind=Kind.REPORTS_PUBLIC_PAGE_CHANGED).count() == events + 2


def test_only_the_administrator_and_the_partner_publish(client_for: ClientFor) -> None:
    for email, status in (
        ("olga@nordlys.example", 403),
        ("emma@nordlys.example", 403),
        ("mallory@fjordbakst.example", 404),
        ("petra@klimapartner.example", 200),
    ):
        assert (
            client_for(User.objects.get(email=email)).get("/o/nordlys/reports/public-page/").status_code
            == status
        )
    set_public_page(
        Organisation.objects.get(slug="nordlys"), True, User.objects.get(email="alice@nordlys.example")
    )
