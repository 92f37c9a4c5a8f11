"""Suggestions (issue 12 §2, §7): named or anonymous (no author stored at all), one vote each, comments,
the ombudsman's answer; an accepted suggestion becomes a measure of the plan, linked both ways."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.engagement import services
from klimabok.engagement.models import Comment, Suggestion, Vote
from klimabok.plans.models import Measure
from tests.web.conftest import ClientFor
from tests.web.plans_setup import closed_2024

__all__ = ["closed_2024"]

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def test_an_anonymous_suggestion_stores_no_author_at_all(
        client_for: ClientFor, nordlys: Organisation, emma: User, olga: User) -> None:
    response = client_for(emma).post("/o/nordlys/suggestions/new/", {
        "title": "Sykkelparkering", "text": "Flere plasser ved inngangen.", "anonymous": "on"})
    suggestion = Suggestion.objects.get()
    assert response["Location"] == f"/o/nordlys/suggestions/{suggestion.pk}/"
    # the row itself, read with SQL: no column holds emma's id, name or address
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM engagement_suggestion WHERE id = %s", [suggestion.pk])
        row = cursor.fetchone()
        columns = [c[0] for c in cursor.description]
    stored = dict(zip(columns, row, strict=True))
    assert stored["author_id"] is None and stored["anonymous"] in (True, 1)
    assert emma.pk not in [v for k, v in stored.items() if k.endswith("_id")]
    assert not any(emma.email in str(v) or "Emma" in str(v) for v in stored.values())
    assert not Event.objects.filter(actor=emma).exists()  # no audit event names her either
    # the database refuses an anonymous suggestion with an author
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.create(organisation=nordlys, number=99, title="x", text="y", anonymous=True,
                                  author=emma)
    page = client_for(olga).get(f"/o/nordlys/suggestions/{suggestion.pk}/").content.decode()
    assert "Anonym" in page and "Emma" not in page


def test_one_vote_each_taken_back_with_a_second_click_and_refused_twice_by_the_database(
        client_for: ClientFor, nordlys: Organisation, emma: User, carl: User) -> None:
    suggestion = services.submit_suggestion(nordlys, "Vegetardag", "Hver fredag.", carl, anonymous=False)
    emma_client = client_for(emma)
    url = f"/o/nordlys/suggestions/{suggestion.pk}/vote/"
    emma_client.post(url)
    services.toggle_vote(suggestion, carl)
    assert Vote.objects.filter(suggestion=suggestion).count() == 2  # emma + carl
    assert '<span class="vote-count">2</span>' in emma_client.get("/o/nordlys/suggestions/").content.decode()
    emma_client.post(url)  # a second click takes her vote back
    assert list(Vote.objects.values_list("user__email", flat=True)) == ["carl@nordlys.example"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.bulk_create([Vote(suggestion=suggestion, user=carl)])


def test_script_in_suggestions_and_comments_is_shown_as_text(
        client_for: ClientFor, nordlys: Organisation, emma: User, olga: User) -> None:
    emma_client = client_for(emma)
    emma_client.post("/o/nordlys/suggestions/new/", {"title": SCRIPT, "text": IMG})
    suggestion = Suggestion.objects.get()
    emma_client.post(f"/o/nordlys/suggestions/{suggestion.pk}/comment/",
                     {"text": '<a href="javascript:alert(1)">x</a>'})
    assert Comment.objects.get().text == '<a href="javascript:alert(1)">x</a>'  # stored as typed
    for page in (emma_client.get(f"/o/nordlys/suggestions/{suggestion.pk}/").content.decode(),
                 client_for(olga).get("/o/nordlys/suggestions/").content.decode(),
                 emma_client.get("/o/nordlys/").content.decode()):
        assert SCRIPT not in page and IMG not in page and 'href="javascript:' not in page
    page = emma_client.get(f"/o/nordlys/suggestions/{suggestion.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;" in page


def test_olga_accepts_a_suggestion_into_a_measure_and_its_author_is_told(
        client_for: ClientFor, nordlys: Organisation, emma: User, olga: User, closed_2024: object,
        settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    suggestion = services.submit_suggestion(nordlys, "Slå av skjermene", "Om natten.", emma, anonymous=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(olga).post(f"/o/nordlys/suggestions/{suggestion.pk}/answer/", {
            "status": "accepted", "reply": "Godt forslag, vi gjør det.", "kind": "energy_efficiency",
            "start_year": "2026", "percent": "5"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    measure = Measure.objects.get()
    assert suggestion.measure == measure and suggestion.status == "accepted"
    assert (measure.title, measure.kind, measure.params["pct"]) == (
        "Slå av skjermene", "energy_efficiency", 5.0)
    assert measure.source_ref == f"suggestion #{suggestion.number}"
    measure_page = client_for(emma).get(f"/o/nordlys/plan/measures/{measure.pk}/").content.decode()
    assert (f'Fra <a href="/o/nordlys/suggestions/{suggestion.pk}/">forslag #{suggestion.number}</a>'
            in measure_page)
    suggestion_page = client_for(emma).get(f"/o/nordlys/suggestions/{suggestion.pk}/").content.decode()
    assert f'href="/o/nordlys/plan/measures/{measure.pk}/"' in suggestion_page
    assert "Godt forslag, vi gjør det." in suggestion_page
    [told] = mail.outbox
    assert told.to == ["emma@nordlys.example"]
    assert told.subject == "Forslaget ditt #1: Akseptert"
    assert "Godt forslag, vi gjør det." in told.body and "«Slå av skjermene»" in told.body
    event = Event.objects.get(kind=Kind.ENGAGEMENT_SUGGESTION_STATUS_CHANGED)
    assert event.actor == olga and event.payload["status"] == ["new", "accepted"]


def test_declining_needs_a_reason_and_an_anonymous_author_is_told_nothing(
        client_for: ClientFor, nordlys: Organisation, emma: User, olga: User, settings: Settings,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    suggestion = services.submit_suggestion(nordlys, "Gratis taxi", "Hjem hver dag.", emma, anonymous=True)
    url = f"/o/nordlys/suggestions/{suggestion.pk}/answer/"
    olga_client = client_for(olga)
    refused = olga_client.post(url, {"status": "declined"})
    assert refused.status_code == 400 and "Si hvorfor forslaget avslås." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        olga_client.post(url, {"status": "declined", "declined_reason": "Det øker utslippene."})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.declined_reason) == ("declined", "Det øker utslippene.")
    assert mail.outbox == []


def test_who_may_do_what(client_for: ClientFor, nordlys: Organisation, emma: User, aud: User,
                         mallory: User, carl: User) -> None:
    suggestion = services.submit_suggestion(nordlys, "Ombruk", "Møbler.", carl, anonymous=False)
    base = f"/o/nordlys/suggestions/{suggestion.pk}"
    assert client_for(emma).post(f"{base}/answer/", {"status": "accepted"}).status_code == 403
    assert client_for(aud).get(f"{base}/").status_code == 200
    assert client_for(aud).post(f"{base}/vote/").status_code == 403
    assert client_for(aud).post("/o/nordlys/suggestions/new/", {"title": "a", "text": "b"}).status_code == 403
    for url in (f"{base}/", f"{base}/vote/", "/o/nordlys/suggestions/"):
        assert client_for(mallory).get(url).status_code in (404, 405)
        assert client_for(mallory).post(url).status_code == 404
    assert not Vote.objects.exists()
