"""News (issue 12 §1, §7): the ombudsman's posts on every employee's start page, sanitised, with images
and read counts; drafts proposed from milestones in wording the claims rules allow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.audit.services import record_event
from klimabok.core.claims import NEVER_WITH_CREDITS, OFFSET_CLAIMS
from klimabok.core.errors import InputErrors
from klimabok.engagement import milestones, services
from klimabok.engagement.models import Post, PostRead
from klimabok.inventory.models import ReportingYear
from klimabok.plans import services as plans
from tests.web.conftest import ClientFor
from tests.web.plans_setup import closed_2024

__all__ = ["closed_2024"]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            '<a href="javascript:alert(1)">klikk</a>', "[lenke](javascript:alert(1))")


def _publish(organisation: Organisation, author: User, title: str, body: str) -> Post:
    post = services.save_post(organisation, services.PostDraft(title, body), author)
    return services.publish_post(post, author)


def test_olgas_post_reaches_emmas_start_page_with_script_stripped(
        client_for: ClientFor, nordlys: Organisation, olga: User, emma: User) -> None:
    body = "Vi har **byttet** til LED.\n\n" + "\n\n".join(PAYLOADS) + "\n\n[Les mer](https://enova.no)"
    response = client_for(olga).post("/o/nordlys/news/new/", {"title": "Nytt lys", "body": body,
                                                                "publish": "1"})
    assert response.status_code == 302
    post = Post.objects.get(organisation=nordlys)
    assert post.status == Post.Status.PUBLISHED
    assert Event.objects.filter(kind=Kind.ENGAGEMENT_POST_PUBLISHED,
                                subject=f"post:nordlys/{post.pk}").exists()

    emma_client = client_for(emma)
    home = emma_client.get("/o/nordlys/").content.decode()
    assert "Nytt lys" in home and "1 ulest" in home
    page = emma_client.get(f"/o/nordlys/news/{post.pk}/").content.decode()
    article = page[page.index('<div class="prose">'):page.index("</article>")]
    assert "<strong>byttet</strong>" in article
    assert '<a href="https://enova.no" rel="noopener noreferrer nofollow">Les mer</a>' in article
    for bad in ("<script", "alert(1)", "onerror", "javascript:", "<img"):
        assert bad not in article
    assert "ulest" not in emma_client.get("/o/nordlys/").content.decode()


def test_read_counts_count_people_once_and_never_name_them(
        client_for: ClientFor, nordlys: Organisation, olga: User, emma: User, carl: User) -> None:
    post = _publish(nordlys, olga, "Årsmøte", "Velkommen.")
    for user in (emma, emma, carl):  # emma twice: one reader
        client_for(user).get(f"/o/nordlys/news/{post.pk}/")
    assert PostRead.objects.filter(post=post).count() == 2
    page = client_for(olga).get("/o/nordlys/news/").content.decode()
    assert "lest av 2 personer" in page
    assert "Emma" not in page and "Carl" not in page


def test_an_image_is_kept_when_it_is_one_and_refused_otherwise(
        client_for: ClientFor, nordlys: Organisation, olga: User, emma: User, mallory: User) -> None:
    def upload(name: str, data: bytes) -> int:
        return client_for(olga).post("/o/nordlys/news/new/", {
            "title": "Med bilde", "body": "Se bildet.", "publish": "1",
            "image": SimpleUploadedFile(name, data)}).status_code

    assert upload("tegning.svg", b"<svg onload='alert(1)'/>") == 400
    assert upload("program.png", b"MZ\x90\x00 not a picture") == 400
    assert upload("stort.png", PNG + b"\x00" * services.MAX_IMAGE_BYTES) == 400
    assert not Post.objects.exists()
    assert upload("sol.png", PNG) == 302
    post = Post.objects.get()
    try:
        response = client_for(emma).get(f"/o/nordlys/news/{post.pk}/image/")
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
        assert client_for(mallory).get(f"/o/nordlys/news/{post.pk}/image/").status_code == 404
    finally:
        default_storage.delete(post.image_name)


def test_employees_read_but_cannot_write_or_see_drafts(
        client_for: ClientFor, nordlys: Organisation, olga: User, emma: User) -> None:
    draft = services.save_post(nordlys, services.PostDraft("Utkast", "Ikke klart"), olga)
    emma_client = client_for(emma)
    assert emma_client.get("/o/nordlys/news/new/").status_code == 403
    assert emma_client.post(f"/o/nordlys/news/{draft.pk}/publish/").status_code == 403
    assert emma_client.get(f"/o/nordlys/news/{draft.pk}/").status_code == 404
    assert "Utkast" not in emma_client.get("/o/nordlys/news/").content.decode()


def test_a_post_needs_a_title_and_a_text(db: None) -> None:
    with pytest.raises(InputErrors) as refused:
        services.save_post(Organisation(slug="x"), services.PostDraft(" ", "tekst"), None)
    assert refused.value.errors[0].field == "title"


@pytest.fixture
def milestones_of_nordlys(nordlys: Organisation, alice: User, olga: User,
                          closed_2024: ReportingYear) -> None:
    """A year closed and a certificate issued (their events as the account and certificate services write
    them), a target set and a measure done (through the plan's services)."""
    with transaction.atomic():
        record_event(organisation=nordlys, actor=alice, kind=Kind.YEAR_CLOSED, subject="year:nordlys/2024",
                     payload={"year": 2024, "lines": 12, "total_t_co2e": {
                         "location_based": Decimal("306.214"), "market_based": Decimal("511.180")}})
        record_event(organisation=nordlys, actor=None, kind=Kind.CERTIFICATE_ISSUED,
                     subject="certificate:KB-2025-0001",
                     payload={"certificate": "KB-2025-0001", "tonnes": 138})
    plans.save_target(nordlys, plans.TargetDraft(
        name="1,5-gradersmålet", base_year=closed_2024, target_year=2030, coverage="scope_1_2",
        reduction_percent=Decimal("25.2"), base_t_co2e=Decimal("10")), olga)
    measure = plans.save_measure(nordlys, plans.MeasureDraft(
        title="LED i kantina", kind="energy_efficiency", params={"pct": 10}, start_year=2025), olga)
    plans.set_measure_status(measure, "done", "", olga)


def test_milestones_propose_drafts_in_gross_tonnes_and_credits_apart(
        milestones_of_nordlys: None, nordlys: Organisation) -> None:
    with translation.override("nb"):
        proposed = {p.kind: p for p in milestones.proposals(nordlys)}
    assert set(proposed) == {"year.closed", "certificate_issued", "plans.target_saved", "plans.measure_saved"}
    year = proposed["year.closed"]
    assert year.title == "Klimaregnskapet vårt for 2024 er klart"
    assert "**511,2 t CO₂e** (markedsbasert) og **306,2 t CO₂e** (lokasjonsbasert)" in year.body
    assert "aldri trukket fra" in year.body
    assert "138 verifiserte klimakreditter" in proposed["certificate_issued"].body
    assert "trekkes ikke fra våre rapporterte utslipp" in proposed["certificate_issued"].body
    assert "med 25,2 % fra 2024 til 2030" in proposed["plans.target_saved"].body
    assert proposed["plans.measure_saved"].title == "Tiltak gjennomført: LED i kantina"


def test_no_proposed_draft_says_neutral_compensated_or_net_zero(
        milestones_of_nordlys: None, nordlys: Organisation) -> None:
    forbidden = [w for phrase in (*OFFSET_CLAIMS, *NEVER_WITH_CREDITS) for w in (phrase.nb, phrase.en)]
    forbidden += ["nøytral", "kompensert", "neutral", "compensated", "offset"]
    for language in ("nb", "en"):
        with translation.override(language):
            proposed = milestones.proposals(nordlys)
        assert len(proposed) == 4
        for proposal in proposed:
            text = f"{proposal.title}\n{proposal.body}".casefold()
            assert [w for w in forbidden if w.casefold() in text] == [], (language, proposal.kind)


def test_olga_makes_a_milestone_a_draft_once(
        milestones_of_nordlys: None, client_for: ClientFor, nordlys: Organisation, olga: User,
        emma: User) -> None:
    event = Event.objects.get(kind=Kind.YEAR_CLOSED)
    olga_client = client_for(olga)
    assert "Klimaregnskapet vårt for 2024 er klart" in olga_client.get("/o/nordlys/news/").content.decode()
    assert client_for(emma).post(f"/o/nordlys/news/milestone/{event.pk}/").status_code == 403
    response = olga_client.post(f"/o/nordlys/news/milestone/{event.pk}/")
    draft = Post.objects.get(milestone=event)
    assert response["Location"] == f"/o/nordlys/news/{draft.pk}/edit/"
    assert draft.status == Post.Status.DRAFT and draft.title == "Klimaregnskapet vårt for 2024 er klart"
    olga_client.post(f"/o/nordlys/news/milestone/{event.pk}/")
    assert Post.objects.filter(milestone=event).count() == 1
    assert "Klimaregnskapet vårt for 2024 er klart" not in str(
        [p.title for p in milestones.proposals(nordlys)])


def test_the_markdown_sanitiser_keeps_text_and_drops_every_payload() -> None:
    from klimabok.engagement.rendering import post_html

    html = str(post_html("\n\n".join(PAYLOADS) + "\n\n<iframe src=//evil></iframe> ok"))
    assert html.count("<p>") >= 4 and "ok" in html
    for bad in ("script", "onerror", "javascript", "iframe", "<img"):
        assert bad not in html
