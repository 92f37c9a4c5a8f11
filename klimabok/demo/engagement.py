"""Nordlys's news and suggestions: olga's posts (one made from the milestone of the closed 2024), the
employees' suggestions in every status (one accepted into a measure of the plan, as an idea so the plan's
figures stay as they are), with votes and comments from the demo users. Written through
:mod:`klimabok.engagement.services`, as the pages would."""

from __future__ import annotations

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.engagement import services
from klimabok.engagement.models import Suggestion
from klimabok.plans.services import MeasureDraft

BIKE_POST = """Fra 1. mai står **20 nye sykkelplasser** under tak ved hovedinngangen, med lader for elsykler.

- Garderoben i 1. etasje har fått skap og dusj.
- Meld deg på *Sykle til jobben* innen 15. april.

Les mer om aksjonen hos [Syklistforeningen](https://syklistene.no)."""


def load_demo_engagement(nordlys: Organisation, alice: User, olga: User, carl: User, emma: User) -> None:
    """News, suggestions, votes and comments of Nordlys (needs the closed 2024 and its plan)."""
    closed = Event.objects.filter(organisation=nordlys, kind=Kind.YEAR_CLOSED).order_by("pk").first()
    if closed is not None:  # olga turns the milestone's proposal into a post and publishes it
        services.publish_post(services.draft_from_milestone(nordlys, closed.pk, olga), olga)
    bikes = services.save_post(nordlys, services.PostDraft("Sykkelbod og garderobe", BIKE_POST), olga)
    services.publish_post(bikes, olga)
    services.save_post(nordlys, services.PostDraft("Utkast: matsvinn i kantina", "Tall kommer."), olga)
    for reader in (emma, carl, alice):
        services.mark_read(bikes, reader)

    def suggest(title: str, text: str, author: User, *, anonymous: bool = False) -> Suggestion:
        return services.submit_suggestion(nordlys, title, text, author, anonymous=anonymous)

    screens = suggest("Slå av skjermene om natten", "Mange skjermer står på hele natten i kundesenteret. "
                      "En tidsstyrt strømlist per pult ville spare strøm.", emma)
    services.answer_suggestion(screens, services.Answer("accepted", "Godt forslag! Vi prøver tidsstyrte "
                                                        "strømlister i 2. etasje først."), olga,
                               MeasureDraft(title=screens.title, kind="energy_efficiency", params={"pct": 3},
                                            start_year=2026, description=screens.text))
    meat = suggest("Vegetardag i kantina", "Én dag i uka uten kjøtt.", carl)
    services.answer_suggestion(meat, services.Answer("under_review", "Vi spør kantineleverandøren."), olga)
    suggest("Samkjøring fra Lillestrøm", "En oppslagstavle for samkjøring, vi er mange fra samme kant.", emma)
    taxi = suggest("Taxi hjem etter kveldsvakt", "Dekk taxi for alle på kveldsvakt.", carl, anonymous=True)
    reason = "Det ville øke utslippene fra pendling; vi ser heller på tilskudd til nattbuss."
    services.answer_suggestion(taxi, services.Answer("declined", declined_reason=reason), olga)
    cups = suggest("Slutt med engangskopper", "Kaffekopper av porselen på alle kjøkken.", alice)
    services.answer_suggestion(cups, services.Answer("done", "Kjøpt inn og tatt i bruk i mars."), olga)
    for suggestion, voters in ((meat, (emma, alice, olga)), (screens, (carl, alice)),
                               (nordlys.suggestions.get(number=3), (carl,))):
        for voter in voters:
            services.toggle_vote(suggestion, voter)
    services.add_comment(meat, "Gjerne med en god linsegryte!", emma)
    services.add_comment(meat, "Leverandøren svarer innen fredag.", olga)
    services.add_comment(screens, "Vi kan teste på mitt team.", carl)
