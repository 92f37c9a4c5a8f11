"""Country names in the interface language, by ISO 3166-1 alpha-2 code.

The factor library names hotel factors "Hotel night, Austria" in both languages (the Hotel Footprinting
Tool publishes English names only), and Django ships no country names. Bokmål names follow Språkrådet's
list of country names (språkrådet.no, «Navn på land og hovedsteder»); the table holds the countries of
klimabok's hotel, electricity and airport data and is extended with them.
"""

from __future__ import annotations

from django.utils.translation import get_language

#: code → (English, bokmål)
NAMES: dict[str, tuple[str, str]] = {
    "ae": ("United Arab Emirates", "De forente arabiske emirater"), "ar": ("Argentina", "Argentina"),
    "at": ("Austria", "Østerrike"), "au": ("Australia", "Australia"), "be": ("Belgium", "Belgia"),
    "br": ("Brazil", "Brasil"), "ca": ("Canada", "Canada"), "ch": ("Switzerland", "Sveits"),
    "cl": ("Chile", "Chile"), "cn": ("China", "Kina"), "co": ("Colombia", "Colombia"),
    "cr": ("Costa Rica", "Costa Rica"), "cz": ("Czechia", "Tsjekkia"), "de": ("Germany", "Tyskland"),
    "dk": ("Denmark", "Danmark"), "ee": ("Estonia", "Estland"), "eg": ("Egypt", "Egypt"),
    "es": ("Spain", "Spania"), "fi": ("Finland", "Finland"), "fj": ("Fiji", "Fiji"),
    "fr": ("France", "Frankrike"), "gb": ("United Kingdom", "Storbritannia"), "gr": ("Greece", "Hellas"),
    "hk": ("Hong Kong", "Hongkong"), "hu": ("Hungary", "Ungarn"), "id": ("Indonesia", "Indonesia"),
    "ie": ("Ireland", "Irland"), "il": ("Israel", "Israel"), "in": ("India", "India"),
    "is": ("Iceland", "Island"), "it": ("Italy", "Italia"), "jo": ("Jordan", "Jordan"),
    "jp": ("Japan", "Japan"), "kr": ("South Korea", "Sør-Korea"), "lt": ("Lithuania", "Litauen"),
    "lv": ("Latvia", "Latvia"), "mo": ("Macao", "Macao"), "mv": ("Maldives", "Maldivene"),
    "mx": ("Mexico", "Mexico"), "my": ("Malaysia", "Malaysia"), "nl": ("Netherlands", "Nederland"),
    "no": ("Norway", "Norge"), "nz": ("New Zealand", "New Zealand"), "om": ("Oman", "Oman"),
    "pa": ("Panama", "Panama"), "pe": ("Peru", "Peru"), "ph": ("Philippines", "Filippinene"),
    "pl": ("Poland", "Polen"), "pt": ("Portugal", "Portugal"), "qa": ("Qatar", "Qatar"),
    "ro": ("Romania", "Romania"), "ru": ("Russia", "Russland"), "sa": ("Saudi Arabia", "Saudi-Arabia"),
    "se": ("Sweden", "Sverige"), "sg": ("Singapore", "Singapore"), "sk": ("Slovakia", "Slovakia"),
    "th": ("Thailand", "Thailand"), "tr": ("Türkiye", "Tyrkia"), "tw": ("Taiwan", "Taiwan"),
    "us": ("United States", "USA"), "vn": ("Vietnam", "Vietnam"), "za": ("South Africa", "Sør-Afrika"),
}
#: Regions some factors are published for within a country (hotel.gb.london).
REGIONS: dict[str, tuple[str, str]] = {"london": ("London", "London")}


def country_name(code: str) -> str:
    """The country's name in the active language; the upper-case code when the table lacks it.

    A code with a region ("gb.london") reads "United Kingdom (London)".
    """
    country, _dot, region = code.lower().partition(".")
    bokmal = (get_language() or "nb").startswith("nb")
    names = NAMES.get(country)
    name = (names[1] if bokmal else names[0]) if names else country.upper()
    if region:
        place = REGIONS.get(region)
        name += f" ({(place[1] if bokmal else place[0]) if place else region.title()})"
    return name
