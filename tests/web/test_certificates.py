"""Certificates: issuing for a recorded retirement, the public page, PDF and badge, the client's list.

Klimapartner holds the Verra block 941467007…941467431 (425 credits) of the
Bale Mountains REDD+ project; Nordlys orders 138 for 2025, so the retired
range is 941467007…941467144 (941467007 + 138 − 1). petra (partner staff)
records the retirement and issues the certificate; alice and emma (Nordlys)
may see it; mallory (Fjordbakst) sees nothing of Nordlys; anyone on the
internet may open the public page with its token.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.test import Client
from pypdf import PdfReader

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.certificates.models import Certificate
from klimabok.certificates.services import CertificateError, issue_certificate, revoke_certificate
from klimabok.core.credits.registries import Project
from klimabok.credits import verification
from klimabok.credits.models import CompensationOrder, Retirement
from klimabok.credits.services import add_block, reserve, retire, set_price
from tests.web.conftest import ClientFor

BLOCK = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
RETIRED = "19385-941467007-941467144-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
SITE = "https://klimabok.example"
STATEMENT_NB = ("Kredittene er slettet på vegne av Nordlys Kundesenter AS for å finansiere klimatiltak "
                "utenfor egen verdikjede. De er ikke trukket fra Nordlys Kundesenter AS sine rapporterte "
                "utslipp.")


@pytest.fixture(autouse=True)
def site_url(settings: object) -> None:
    settings.KLIMABOK_SITE_URL = SITE  # type: ignore[attr-defined]


@pytest.fixture
def retirement(klimapartner: Organisation, nordlys: Organisation, petra: User) -> Retirement:
    project = Project(registry="verra", project_id="1340", name="Bale Mountains Eco-region REDD+ project",
                      country="Ethiopia", methodology="VM0015")
    block = add_block(klimapartner, BLOCK, 425, project, user=petra, kind="reduction",
                      labels=("CCB-No Distinction",))
    set_price(block, Decimal("180.00"), petra)
    order = CompensationOrder.objects.create(client=nordlys, partner=klimapartner, reporting_year=2025,
                                             tonnes=138, idempotency_key="order-1", created_by=petra)
    reserve(order, 138, user=petra)
    recorded = Retirement.objects.create(
        order=order, retired_on=date(2026, 4, 10), registry_reference="VCS retirement 58213",
        registry_url="https://registry.verra.org/app/retirement/58213",
        beneficiary="Nordlys Kundesenter AS", reason="Climate account 2025", recorded_by=petra)
    retire(order, recorded, user=petra)
    return recorded


@pytest.fixture
def certificate(retirement: Retirement, petra: User) -> Certificate:
    return issue_certificate(retirement, petra)


def parse_svg(content: bytes) -> ElementTree.Element:
    """Parse the badge as a strict XML parser (a browser's <img>) would; it is our own response."""
    return ElementTree.fromstring(content)  # noqa: S314


def public_page(certificate: Certificate, query: str = "") -> str:
    response = Client().get(f"/verify/{certificate.token}/{query}")
    assert response.status_code == 200
    return response.content.decode()


# ---- issuing and revoking -----------------------------------------------------------------------------


def test_issuing_freezes_the_facts_and_appends_the_ledger_event(certificate: Certificate) -> None:
    facts = certificate.certificate_facts()
    assert certificate.number == f"KB-{certificate.issued_at.year}-000001"
    assert facts.tonnes == 138
    assert [(r.serial, r.vintage, r.quantity) for r in facts.serial_ranges] == [(RETIRED, "2020", 138)]
    assert facts.organisation_name == "Nordlys Kundesenter AS" and facts.organisation_number == "974 760 673"
    assert facts.reporting_year == 2025 and facts.retired_on == date(2026, 4, 10)
    assert facts.projects[0].registry_url == "https://registry.verra.org/app/projectDetail/VCS/1340"
    assert facts.projects[0].labels == ("CCB-No Distinction",)
    assert facts.verification_url == f"{SITE}/verify/{certificate.token}/"
    assert len(certificate.token) >= 22  # 128 random bits
    event = Event.objects.get(kind=Kind.CERTIFICATE_ISSUED)
    assert event.hash == certificate.ledger_hash == facts.ledger_hash
    assert event.payload["certificate"] == certificate.number and event.payload["tonnes"] == 138
    assert verification.verify().ok


def test_no_certificate_before_the_credits_are_retired(klimapartner: Organisation, nordlys: Organisation,
                                                      petra: User) -> None:
    """A retirement row whose ranges were never marked retired certifies nothing."""
    block = add_block(klimapartner, BLOCK, 425, Project(registry="verra", project_id="1340", name="Bale"),
                      user=petra)
    set_price(block, Decimal("180.00"), petra)
    order = CompensationOrder.objects.create(client=nordlys, partner=klimapartner, reporting_year=2025,
                                             tonnes=10, idempotency_key="order-2")
    reserve(order, 10, user=petra)
    recorded = Retirement.objects.create(order=order, retired_on=date(2026, 4, 10), registry_reference="x",
                                         beneficiary="Nordlys Kundesenter AS")
    with pytest.raises(CertificateError, match="ingen slettede kreditter"):
        issue_certificate(recorded, petra)
    assert not Certificate.objects.exists()
    assert not Event.objects.filter(kind=Kind.CERTIFICATE_ISSUED).exists()


def test_a_retirement_gets_one_valid_certificate(certificate: Certificate, petra: User) -> None:
    with pytest.raises(CertificateError, match="har allerede et sertifikat"):
        issue_certificate(certificate.retirement, petra)


def test_revoking_records_why_and_allows_a_new_certificate(certificate: Certificate, petra: User) -> None:
    with pytest.raises(CertificateError, match="Skriv hvorfor"):
        revoke_certificate(certificate, "  ", petra)
    revoke_certificate(certificate, "Wrong beneficiary name", petra)
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_reason == "Wrong beneficiary name"
    assert Event.objects.filter(kind=Kind.CERTIFICATE_REVOKED).count() == 1
    with pytest.raises(CertificateError, match="allerede tilbakekalt"):
        revoke_certificate(certificate, "again", petra)
    second = issue_certificate(certificate.retirement, petra)
    assert second.number.endswith("-000002")
    assert verification.verify().ok


# ---- the public page ---------------------------------------------------------------------------------


def test_public_page_shows_the_certificate_without_login(certificate: Certificate) -> None:
    page = public_page(certificate)
    assert "Gyldig sertifikat" in page
    assert "Nordlys Kundesenter AS" in page and "974 760 673" in page
    assert '<p class="tonnes">138</p>' in page
    assert RETIRED in page and "10. april 2026" in page and "2025" in page
    assert STATEMENT_NB in page
    assert 'href="https://registry.verra.org/app/projectDetail/VCS/1340"' in page
    assert 'href="https://registry.verra.org/app/retirement/58213"' in page
    assert certificate.ledger_hash in page
    assert "CCB-No Distinction" in page


def test_public_page_in_english(certificate: Certificate) -> None:
    page = public_page(certificate, "?lang=en")
    assert '<html lang="en">' in page and "Valid certificate" in page
    assert "They are not deducted from Nordlys Kundesenter AS&#x27;s reported emissions." in page
    assert "10 April 2026" in page


def test_public_page_shows_nothing_that_is_not_on_the_certificate(certificate: Certificate) -> None:
    page = public_page(certificate)
    for private in ("180", "24840", "petra", "Petra", "order-1", "Climate account 2025", "nordlys.example",
                    "price", "pris"):
        # as a word: the page's event hash and token are random hex/base64 and held "180" once in ~60 runs
        assert not re.search(rf"\b{re.escape(private)}\b", page), private
    assert "csrfmiddlewaretoken" not in page  # no forms, no session needed


def test_revoked_certificate_says_so(certificate: Certificate, petra: User) -> None:
    revoke_certificate(certificate, "Feil mottaker", petra)
    page = public_page(certificate)
    assert "Tilbakekalt" in page and "Feil mottaker" in page
    assert "Gyldig sertifikat" not in page
    english = public_page(certificate, "?lang=en")
    assert "Revoked" in english and "Reason: Feil mottaker" in english


def test_unknown_token_is_a_404_that_says_there_is_no_such_certificate(db: None) -> None:
    response = Client().get("/verify/not-a-real-token/")
    assert response.status_code == 404
    assert "Sertifikatet finnes ikke" in response.content.decode()
    assert Client().get("/verify/not-a-real-token/certificate.pdf").status_code == 404


def test_pdf_download_in_both_languages(certificate: Certificate) -> None:
    for language, expected in (("nb", "Sertifikat for sletting av klimakreditter"),
                               ("en", "Certificate of carbon credit retirement")):
        response = Client().get(f"/verify/{certificate.token}/certificate.pdf?lang={language}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = " ".join(" ".join((p.extract_text() or "").split())
                        for p in PdfReader(io.BytesIO(response.content)).pages)
        assert expected in text and RETIRED in text and certificate.ledger_hash in text
        assert f"{SITE}/verify/{certificate.token}/" in text


def test_pdf_of_a_revoked_certificate_is_stamped(certificate: Certificate, petra: User) -> None:
    revoke_certificate(certificate, "Feil mottaker", petra)
    response = Client().get(f"/verify/{certificate.token}/certificate.pdf")
    assert "TILBAKEKALT" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_badge_is_svg_with_the_tonnes_and_cache_headers(certificate: Certificate) -> None:
    response = Client().get(f"/verify/{certificate.token}/badge.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    svg = parse_svg(response.content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    text = "".join(svg.itertext())
    assert "138 t CO2e klimakreditter slettet for 2025 — se bevis" in text
    english = "".join(parse_svg(Client().get(f"/verify/{certificate.token}/badge.svg?lang=en").content)
                      .itertext())
    assert "138 t CO2e carbon credits retired for 2025 — see proof" in english


def test_badge_does_not_read_like_a_sustainability_label(certificate: Certificate) -> None:
    """Directive (EU) 2024/825 bans sustainability labels not based on a certification scheme or set up
    by public authorities: the badge states a fact (tonnes, year, proof), with no label words, no check
    mark and no green "approved" colour."""
    for query in ("", "?lang=en"):
        content = Client().get(f"/verify/{certificate.token}/badge.svg{query}").content
        text = "".join(parse_svg(content).itertext()).lower()
        for word in ("nøytral", "neutral", "sertifisert", "certified", "godkjent", "approved",
                     "kompensert", "compensated", "bærekraft", "sustainab", "grønn", "green",
                     "✓", "✔", "☑"):
            assert word not in text, word
        svg = content.decode()
        assert "#1d7356" not in svg and "#124a39" not in svg  # the former green seal colours
        fills = {element.get("fill") for element in parse_svg(content).iter()} - {None, "#fff"}
        assert fills == {"#52525b", "#3f3f46"}


def test_badge_of_revoked_and_unknown_certificates(certificate: Certificate, petra: User) -> None:
    revoke_certificate(certificate, "Feil mottaker", petra)
    revoked = Client().get(f"/verify/{certificate.token}/badge.svg")
    assert "tilbakekalt" in "".join(parse_svg(revoked.content).itertext())
    unknown = Client().get("/verify/nope/badge.svg")
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("image/svg+xml")


# ---- the organisation's list -------------------------------------------------------------------------


def test_members_see_their_certificates_and_the_badge_snippet(certificate: Certificate, alice: User,
                                                              emma: User, client_for: ClientFor) -> None:
    for user in (alice, emma):
        page = client_for(user).get("/o/nordlys/certificates/").content.decode()
        assert certificate.number in page
        assert f"/verify/{certificate.token}/certificate.pdf?lang=nb" in page
        assert f"&lt;img src=&quot;{SITE}/verify/{certificate.token}/badge.svg&quot;" in page
        assert "Utsted sertifikat" not in page  # issuing is the partner's


def test_the_list_writes_dates_in_the_page_language(certificate: Certificate, alice: User,
                                                   client_for: ClientFor) -> None:
    client = client_for(alice)
    assert "10. april 2026" in client.get("/o/nordlys/certificates/").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get("/o/nordlys/certificates/").content.decode()
    assert "April 10, 2026" in page
    assert "10. April 2026" not in page  # the bokmål pattern with English month names


def test_outsiders_get_404_and_anonymous_visitors_the_login(certificate: Certificate, mallory: User,
                                                             client_for: ClientFor) -> None:
    assert client_for(mallory).get("/o/nordlys/certificates/").status_code == 404
    response = Client().get("/o/nordlys/certificates/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/o/nordlys/certificates/"


def test_partner_issues_and_revokes_from_the_list(retirement: Retirement, petra: User, alice: User,
                                                  client_for: ClientFor) -> None:
    assert client_for(alice).post(f"/o/nordlys/certificates/issue/{retirement.pk}/").status_code == 403
    client = client_for(petra)
    page = client.get("/o/nordlys/certificates/").content.decode()
    assert "VCS retirement 58213" in page and "Utsted sertifikat" in page
    response = client.post(f"/o/nordlys/certificates/issue/{retirement.pk}/", {"language": "en"})
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.language == "en"
    assert client_for(alice).post(f"/o/nordlys/certificates/{certificate.number}/revoke/",
                                  {"reason": "x"}).status_code == 403
    client.post(f"/o/nordlys/certificates/{certificate.number}/revoke/", {"reason": "Feil årstall"})
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Feil årstall"
