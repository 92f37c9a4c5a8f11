"""Chromium: emma, an employee, reads the news on her start page, makes a suggestion and votes for a
colleague's (issue 12 §8); the start page's screenshot is var/screenshots/employee-start.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.engagement import services
from klimabok.engagement.models import PostRead, Suggestion, Vote
from tests.web.browser.test_enter_data_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def test_emma_reads_the_news_suggests_and_votes(
        live_server: Any, page: Any, nordlys: Organisation, olga: User, carl: User, emma: User) -> None:
    post = services.save_post(nordlys, services.PostDraft(
        "Sykkelbod og garderobe", "Fra 1. mai står **20 nye sykkelplasser** ved inngangen.\n\n"
        "<script>alert(1)</script>Meld deg på *Sykle til jobben*."), olga)
    services.publish_post(post, olga)
    colleague = services.submit_suggestion(nordlys, "Vegetardag i kantina", "Én dag i uka.", carl,
                                           anonymous=False)
    base = live_server.url
    dialogs: list[str] = []
    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    log_in(page, base, emma)
    page.goto(f"{base}/o/nordlys/")
    news = page.locator(".start-news")
    assert "1 ulest" in news.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "employee-start.png"), full_page=True)

    news.get_by_role("link", name="Sykkelbod og garderobe").click()
    assert "20 nye sykkelplasser" in page.locator(".prose").inner_text()
    assert page.locator(".prose strong").inner_text() == "20 nye sykkelplasser"
    assert "lest av 1 person" in page.locator(".news-post").inner_text()
    assert PostRead.objects.filter(post=post, user=emma).count() == 1

    page.goto(f"{base}/o/nordlys/")
    page.get_by_role("link", name="Kom med et forslag").click()
    page.get_by_label("Forslaget ditt med få ord").fill("Samkjøring fra Lillestrøm")
    page.get_by_label("Beskriv det").fill("En oppslagstavle for samkjøring.")
    page.get_by_role("button", name="Send forslaget").click()
    assert "Takk: forslaget ditt er #2." in page.locator(".messages").inner_text()
    mine = Suggestion.objects.get(number=2)
    assert mine.author == emma

    page.goto(f"{base}/o/nordlys/")
    page.get_by_role("button", name="Stem for #1").click()
    assert "Stemmen din for #1 er telt." in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="Trekk tilbake stemmen din for #1").is_visible()
    assert list(Vote.objects.filter(suggestion=colleague).values_list("user__email", flat=True)) == [
        "emma@nordlys.example"]
    assert dialogs == []  # the script in the post never ran
    page.screenshot(path=str(SCREENSHOTS / "employee-start-voted.png"), full_page=True)
