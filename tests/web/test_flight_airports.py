"""Issue 10 (High 9): the flight form reads an airport code or a name, shows it, refuses guesses.

"oslo" and "bergen" were cut to three letters by the field's maxlength and saved as OSL→BER (Berlin
Brandenburg). Known answers from ``airportsdata`` (MIT): OSL "Oslo Gardermoen Airport" (60.1939 N,
11.1004 E), BGO "Bergen Airport Flesland" (60.2934 N, 5.21814 E), 325 km apart as the crow flies
(haversine, R = 6371 km, as tests/web/test_entry_forms.py computes); BER "Berlin Brandenburg Airport".
"""

from __future__ import annotations

import html

import pytest
from django.test import Client

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear
from tests.web.conftest import ClientFor

FLIGHT = "/o/nordlys/2025/entries/new/flight/"
BASE = {"cabin_class": "economy", "trips": 1, "return_trip": "on", "radiative_forcing": "on",
        "data_quality": 2}


@pytest.fixture
def carl_client(client_for: ClientFor, carl: User, nordlys: Organisation) -> Client:
    ReportingYear.objects.create(organisation=nordlys, year=2025)
    return client_for(carl)


def page(client: Client, origin: str, destination: str, action: str) -> tuple[int, str]:
    response = client.post(FLIGHT, {**BASE, "origin": origin, "destination": destination, "action": action})
    return response.status_code, html.unescape(response.content.decode())


def test_the_fields_take_a_whole_name_not_three_letters(carl_client: Client) -> None:
    form = carl_client.get(FLIGHT).content.decode()
    assert 'maxlength="3"' not in form
    assert "Fra (flyplasskode eller by)" in form and "Til (flyplasskode eller by)" in form


def test_oslo_to_bergen_by_name_previews_both_airports_and_the_distance_then_saves_osl_bgo(
        carl_client: Client) -> None:
    status, preview = page(carl_client, "oslo", "bergen", "preview")
    assert status == 200
    assert "OSL – Oslo Gardermoen Airport, Oslo (NO)" in preview
    assert "BGO – Bergen Airport Flesland, Bergen (NO)" in preview
    assert "<dt>Avstand i luftlinje</dt><dd>325 km</dd>" in preview
    route = preview.split('<dl class="facts route">', 1)[1].split("</dl>", 1)[0]
    assert "Berlin" not in route and "BER" not in route  # (the datalist of common airports has Berlin)
    assert not ActivityEntry.objects.exists()
    status, _page = page(carl_client, "oslo", "bergen", "save")
    assert status == 302
    details = ActivityEntry.objects.get().details
    assert (details["origin"], details["destination"]) == ("OSL", "BGO")
    assert (details["origin_name"], details["destination_name"]) == ("Oslo Gardermoen Airport",
                                                                      "Bergen Airport Flesland")
    # Reopened for editing, the entry shows the codes it was saved with.
    edit = carl_client.get(f"/o/nordlys/2025/entries/{ActivityEntry.objects.get().pk}/").content.decode()
    assert 'value="OSL"' in edit and 'value="BGO"' in edit


@pytest.mark.parametrize("typed", ["BER", "ber", " Ber "])
def test_ber_typed_as_a_code_stays_berlin(carl_client: Client, typed: str) -> None:
    _status, preview = page(carl_client, "OSL", typed, "preview")
    assert "BER – Berlin Brandenburg Airport, Berlin (DE)" in preview
    page(carl_client, "OSL", typed, "save")
    assert ActivityEntry.objects.get().details["destination"] == "BER"


def test_london_is_refused_with_its_airports_named(carl_client: Client) -> None:
    status, body = page(carl_client, "OSL", "London", "save")
    assert status == 400
    assert ("Til: «London» passer med LHR London Heathrow Airport (GB), LGW London Gatwick Airport (GB), "
            in body)
    assert "STN London Stansted Airport (GB)" in body and "LCY London City Airport (GB)" in body
    assert "– skriv koden til den du mener." in body
    # The airport that did resolve is still shown, so only the refused one needs retyping.
    assert "OSL – Oslo Gardermoen Airport, Oslo (NO)" in body
    assert not ActivityEntry.objects.exists()


def test_an_unknown_name_is_refused_naming_the_field(carl_client: Client) -> None:
    status, body = page(carl_client, "Atlantis", "BGO", "save")
    assert status == 400
    assert ("Fra: «Atlantis» er verken en flyplasskode eller en by eller flyplass vi kjenner – skriv koden "
            "på tre bokstaver.") in body
    assert not ActivityEntry.objects.exists()


def test_the_preview_says_why_no_uplift_is_added_and_cites_desnz(carl_client: Client, carl: User) -> None:
    """Issue 10, item 4: where the distance is shown, the form says the DESNZ factors already include
    the 8 % uplift, and where DESNZ says so (tests/test_flight_bands.py has the known answer)."""
    _status, preview = page(carl_client, "OSL", "BGO", "preview")
    assert "<dt>Avstand i luftlinje</dt><dd>325 km</dd>" in preview
    assert ("<dt>Hvorfor 8 % ikke legges til</dt><dd>DESNZs faktorer for flyreiser har allerede med "
            "avstandspåslaget på 8 % for omveier og venting, og bruker derfor luftlinjeavstanden (DESNZ, "
            "Greenhouse gas reporting: conversion factors — methodology paper, passenger air transport; "
            "merknaden på arket «Business travel- air»: «All the factors include the distance uplift»).</dd>"
            ) in preview
    carl.language = "en"
    carl.save()
    _status, preview = page(carl_client, "OSL", "BGO", "preview")
    assert ("<dt>Why 8 % is not added</dt><dd>DESNZ's air passenger factors already include the 8 % "
            "distance uplift for indirect routes and holding, so they take the great-circle distance"
            ) in preview
    assert "methodology paper, passenger air transport" in preview
