"""Tenant isolation, URL by URL: another tenant's organisation or object is a 404, GET and POST alike.

Nordlys (client of Klimapartner) gets a year with an entry, a site, an upload,
an invitation, two orders (one retired with a certificate, one reserved) and
Klimapartner a priced project. mallory (administrator of Fjordbakst, no partner)
requests every Nordlys and partner URL with those real primary keys, and her own
organisation's URLs with Nordlys's primary keys; gina, staff of a second
climate partner, requests Klimapartner's objects. Every request is a 404 and
changes nothing; anonymous visitors are sent to the login page or get a 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client

from klimabok.accounts.models import Invitation, Membership, Organisation, User
from klimabok.accounts.roles import Role
from klimabok.audit.models import Event
from klimabok.certificates.models import Certificate
from klimabok.certificates.services import issue_certificate
from klimabok.core.credits.registries import Project
from klimabok.credits.models import (
    CompensationOrder,
    CreditBlock,
    CreditProject,
    CreditRange,
    Retirement,
)
from klimabok.credits.services import add_block, reserve, retire, set_price
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site, Upload
from tests.web.conftest import PASSWORD, ClientFor

BLOCK = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"


@dataclass
class Nordlys:
    site: int
    entry: int
    upload: int
    membership: int
    invitation: int
    project: int
    retired_order: int
    reserved_order: int
    retirement: int
    certificate: str


@pytest.fixture
def objects(klimapartner: Organisation, nordlys: Organisation, alice: User, petra: User,
            fjordbakst: Organisation) -> Nordlys:
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    ReportingYear.objects.create(organisation=fjordbakst, year=2025)  # her own year: only the pk is foreign
    site = Site.objects.create(organisation=nordlys, name="Hovedkontor Tromsø")
    upload = Upload.objects.create(reporting_year=year, filename="reiser.xlsx", sha256="0" * 64, size=10,
                                   line_count=1, uploaded_by=alice)
    entry = ActivityEntry.objects.create(reporting_year=year, activity="hotel.no", quantity=Decimal(20),
                                         unit="room_night", site=site, upload=upload)
    invitation = Invitation.objects.create(organisation=nordlys, email="ny@nordlys.example",
                                           role=Role.EMPLOYEE, token_hash="1" * 64, invited_by=alice,
                                           expires_at=datetime(2099, 1, 1, tzinfo=UTC))
    project = Project(registry="verra", project_id="1340", name="Bale Mountains Eco-region REDD+ project",
                      country="Ethiopia", methodology="VM0015")
    block = add_block(klimapartner, BLOCK, 425, project, user=petra, kind="reduction")
    set_price(block, Decimal("180.00"), petra)
    retired_order = CompensationOrder.objects.create(client=nordlys, partner=klimapartner,
                                                     reporting_year=2025, tonnes=138,
                                                     idempotency_key="order-1", created_by=petra)
    reserve(retired_order, 138, user=petra)
    retirement = Retirement.objects.create(
        order=retired_order, retired_on=date(2026, 4, 10), registry_reference="VCS retirement 58213",
        registry_url="https://registry.verra.org/app/retirement/58213",
        beneficiary="Nordlys Kundesenter AS", reason="Climate account 2025", recorded_by=petra)
    retire(retired_order, retirement, user=petra)
    certificate = issue_certificate(retirement, petra, request_url="https://klimabok.example/")
    reserved_order = CompensationOrder.objects.create(client=nordlys, partner=klimapartner,
                                                      reporting_year=2025, tonnes=10,
                                                      idempotency_key="order-2", created_by=petra)
    reserve(reserved_order, 10, user=petra)
    return Nordlys(site=site.pk, entry=entry.pk, upload=upload.pk,
                   membership=Membership.objects.get(user=alice).pk, invitation=invitation.pk,
                   project=block.project_id, retired_order=retired_order.pk, reserved_order=reserved_order.pk,
                   retirement=retirement.pk, certificate=certificate.number)


def org_urls(o: Nordlys, slug: str) -> list[str]:
    """Every URL under ``/o/<slug>/`` that names an object, or the organisation itself."""
    base, year = f"/o/{slug}", f"/o/{slug}/2025"
    return [
        f"{base}/", f"{base}/years/", f"{base}/sites/", f"{base}/sites/{o.site}/",
        f"{base}/sites/{o.site}/delete/", f"{base}/members/", f"{base}/members/invite/",
        f"{base}/members/{o.membership}/role/", f"{base}/members/{o.membership}/remove/",
        f"{base}/invitations/{o.invitation}/withdraw/", f"{base}/settings/", f"{base}/certificates/",
        f"{base}/certificates/issue/{o.retirement}/", f"{base}/certificates/{o.certificate}/revoke/",
        f"{year}/", f"{year}/facts/", f"{year}/close/", f"{year}/reopen/", f"{year}/recalculate/",
        f"{year}/entries/", f"{year}/entries/new/", f"{year}/entries/new/generic/",
        f"{year}/entries/{o.entry}/", f"{year}/entries/{o.entry}/delete/", f"{year}/template.xlsx",
        f"{year}/upload/", f"{year}/upload/{o.upload}/delete/", f"{year}/account/", f"{year}/account/lines/",
        f"{year}/account/lines/?entry={o.entry}", f"{year}/account/export.lines.csv",
        f"{year}/account/export.summary.csv", f"{year}/account/export.xlsx",
        f"{year}/claims/", f"{year}/claims/prerequisites/", f"{year}/compensate/",
        f"{year}/compensate/orders/{o.reserved_order}/cancel/",
    ]


def partner_urls(o: Nordlys) -> list[str]:
    return ["/partner/credits/", "/partner/credits/import/", "/partner/credits/add/",
            "/partner/credits/policy/",
            f"/partner/credits/projects/{o.project}/", "/partner/log/", "/partner/log/?verify=1",
            "/partner/orders/", f"/partner/orders/{o.reserved_order}/retire/",
            "/partner/credits/?partner=klimapartner"]


def snapshot() -> tuple[object, ...]:
    """Everything the POSTs could change."""
    return (list(Site.objects.values_list("pk", "name")), ActivityEntry.objects.count(),
            Upload.objects.count(),
            list(Membership.objects.values_list("pk", "role")),
            list(Invitation.objects.values_list("pk", "accepted_at")),
            list(ReportingYear.objects.values_list("pk", "status")),
            list(CompensationOrder.objects.values_list("pk", "status")),
            list(CreditRange.objects.values_list("pk", "status")), CreditBlock.objects.count(),
            list(CreditProject.objects.values_list("pk", "name", "description")),
            list(Certificate.objects.values_list("pk", "revoked_at")), Event.objects.count(),
            Retirement.objects.count(), Organisation.objects.count())


def _requests(client: Client, urls: list[str]) -> list[tuple[str, str, int]]:
    wrong = []
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"name": "x", "role": "admin", "reason": "x"}
                                               if method == "post" else None)
            # A URL refuses a method it never takes (405) before it looks at the organisation: that
            # reveals nothing.
            if response.status_code not in (404, 405):
                wrong.append((method.upper(), url, response.status_code))
    return wrong


def test_every_nordlys_and_partner_url_is_a_404_for_another_tenant(
        objects: Nordlys, mallory: User, client_for: ClientFor) -> None:
    before = snapshot()
    wrong = _requests(client_for(mallory), org_urls(objects, "nordlys") + partner_urls(objects))
    assert wrong == []
    assert snapshot() == before


def test_her_own_organisation_with_nordlys_primary_keys_is_a_404(
        objects: Nordlys, mallory: User, client_for: ClientFor) -> None:
    """The object lookups filter by the request's organisation in the same query."""
    own = [url for url in org_urls(objects, "fjordbakst")
           if any(str(pk) in url.rsplit("/2025", 1)[-1].replace("/o/fjordbakst", "")
                  for pk in (objects.site, objects.entry, objects.upload, objects.membership,
                             objects.invitation, objects.retirement, objects.reserved_order,
                             objects.certificate))]
    assert len(own) >= 10
    before = snapshot()
    wrong = [w for w in _requests(client_for(mallory), own)
             # Fjordbakst has no partner: issuing and revoking are partner-only (403 before any lookup).
             if not (w[2] == 403 and "/certificates/" in w[1])]
    assert wrong == []
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_log_in_or_get_a_404(objects: Nordlys, db: None) -> None:
    client = Client()
    before = snapshot()
    for url in org_urls(objects, "nordlys") + partner_urls(objects):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 404, 405), (method, url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/login/"), (method, url)
    assert snapshot() == before


@pytest.fixture
def gina(db: None) -> User:
    """Staff of a second climate partner, with one client of its own."""
    other = Organisation.objects.create(slug="gronnpartner", name="Grønn Partner AS",
                                        kind=Organisation.Kind.PARTNER)
    Organisation.objects.create(slug="tindved", name="Tindved AS", partner=other)
    user = User.objects.create_user("gina@gronnpartner.example", PASSWORD, name="Gina Grønn")
    Membership.objects.create(user=user, organisation=other, role=Role.PARTNER)
    return user


def test_another_partner_sees_nothing_of_klimapartner(
        objects: Nordlys, gina: User, client_for: ClientFor) -> None:
    client = client_for(gina)
    before = snapshot()
    wrong = _requests(client, [
        *org_urls(objects, "nordlys"), f"/partner/credits/projects/{objects.project}/",
        f"/partner/orders/{objects.reserved_order}/retire/", "/partner/credits/?partner=klimapartner"])
    assert wrong == []
    assert snapshot() == before
    for url in ("/partner/credits/", "/partner/orders/", "/partner/log/", "/partner/log/?verify=1",
                "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in ("Nordlys", "nordlys", "Klimapartner", "Bale Mountains", "941467", "VCS retirement",
                       objects.certificate):
            assert secret not in page, (url, secret)


def test_ledger_verification_reports_only_the_partners_own_events_and_blocks(
        objects: Nordlys, gina: User, petra: User, client_for: ClientFor) -> None:
    """The chain is one for everybody; another partner's totals, serials and event count are not shown."""
    theirs = client_for(gina).get("/partner/log/?verify=1").content.decode()
    assert "Kjeden og alle beholdninger er intakte." in theirs or "intact" in theirs
    # Klimapartner's block and order totals, as words (the page's random CSRF token may hold the digits)
    assert not re.search(r"\b(425|138)\b", theirs)
    assert f"{Event.objects.count()} events" not in theirs
    assert "0 of them about your credits" in theirs and "blocks: 0" in theirs
    own = client_for(petra).get("/partner/log/?verify=1").content.decode()
    assert "(277 + 10 + 138 = 425 t)" in own and "blocks: 1," in own
