"""The demo's activity data, as the answers a user gives in the guided forms.

Nordlys Kundesenter AS is a fictional 400-employee call centre: head office
in Oslo (4,800 m²) and a smaller office in Drammen (1,200 m²). The figures are
what such a company typically has (about 2,800 kWh per employee-year of
electricity in an office building, hybrid work three days a week at the office)
and are consistent between the years; 2025 shows the measures taken:
guarantees of origin for the head office's electricity, a third fewer flights,
less canteen food and paper,
the last diesel car replaced by an electric one, a repaired heat pump and
more staff cycling.

Every line goes through the same form as a user's would (so it reopens in it
and the arithmetic is the form's), keyed by the form's kind.
"""

from __future__ import annotations

from typing import Any

HQ, DRAMMEN = "Hovedkontor Oslo", "Drammen"
#: The suppliers the entries name (as in the demo ledger, :mod:`klimabok.demo.ledger_chart`), so the
#: account excludes exactly their spend as covered by the activity data.
TRAVEL_AGENCY = "Reisefabrikken AS"

Answers = dict[str, Any]


def _flight(origin: str, destination: str, trips: int, cabin: str = "economy", note: str = "") -> Answers:
    return {"origin": origin, "destination": destination, "cabin_class": cabin, "trips": trips,
            "return_trip": True, "radiative_forcing": True, "data_quality": 2, "description": note,
            "supplier": TRAVEL_AGENCY}


def _goo(year: int, kwh: str) -> Answers:
    """Guarantees of origin cancelled for ``kwh`` of the year's electricity, produced in NO1 that year."""
    return {"goo_volume": kwh, "goo_zone": "NO1", "goo_period_start": f"{year}-01-01",
            "goo_period_end": f"{year}-12-31", "goo_reference": f"Kraftleverandørens sletting {year}"}


def _commute(mode: str, employees: int, km: str, days: int) -> Answers:
    return {"activity": mode, "employees": employees, "km_one_way": km, "days": days, "data_quality": 4,
            "description": "Reisevaneundersøkelse blant de ansatte"}


def _nordlys(year: int) -> list[tuple[str, Answers]]:
    later = year >= 2025
    office_days = 140  # hybrid: about three days a week at the office
    lines: list[tuple[str, Answers]] = [
        ("electricity", {"site": HQ, "quantity": "868000" if later else "892000", "unit": "kWh",
                         **(_goo(year, "868000") if later else {}), "data_quality": 1,
                         "description": "Elhub årsoversikt, Hovedkontor Oslo"}),
        ("electricity", {"site": DRAMMEN, "quantity": "226000" if later else "231000", "unit": "kWh",
                         "data_quality": 1, "description": "Elhub årsoversikt, Drammen"}),
        # Delivered kWh on Hafslund Celsio's bill; no Celsio figure per delivered kWh is in the factor
        # library, so the Norwegian default (Norsk Fjernvarme's worked example, p. 19).
        ("district_heating", {"site": HQ, "quantity": "572000" if later else "614000", "unit": "kWh",
                              "activity": "district_heating.delivered.no_default",
                              "supplier": "Hafslund Celsio", "data_quality": 2,
                              "description": "Hafslund Celsio, fjernvarme levert"}),
        ("company_cars", {"vehicle": "car.medium", "fuel": "bev", "measure": "km",
                          "quantity": "104000" if later else "78000", "data_quality": 2,
                          "supplier": "Ladenett Norge AS; Fjord Bilfinans AS",
                          "description": "Elbiler, kjørebok" if not later else "Fem elbiler, kjørebok"}),
        ("company_cars", {"vehicle": "car.medium", "fuel": "diesel", "measure": "litres",
                          "quantity": "2150" if later else "4600", "data_quality": 1,
                          "supplier": "Veikro Drivstoff AS",
                          "description": "Drivstoffkort, dieselbiler"}),
        ("flight", _flight("OSL", "BGO", 42 if later else 60, note="Kundemøter Bergen")),
        ("flight", _flight("OSL", "TRD", 28 if later else 40, note="Kundemøter Trondheim")),
        ("flight", _flight("OSL", "ARN", 12 if later else 18, note="Stockholm")),
        ("flight", _flight("OSL", "CPH", 14 if later else 20, note="København")),
        ("flight", _flight("OSL", "LHR", 8 if later else 12, note="Leverandørmøter London")),
        ("flight", _flight("OSL", "JFK", 1 if later else 2, note="Bransjekonferanse New York")),
        ("hotel", {"activity": "hotel.no", "quantity": "130" if later else "185", "data_quality": 2,
                   "description": "Reisebyrårapport", "supplier": TRAVEL_AGENCY}),
        ("hotel", {"activity": "hotel.se", "quantity": "16" if later else "24", "data_quality": 2,
                   "supplier": TRAVEL_AGENCY}),
        ("hotel", {"activity": "hotel.dk", "quantity": "18" if later else "26", "data_quality": 2,
                   "supplier": TRAVEL_AGENCY}),
        ("hotel", {"activity": "hotel.gb", "quantity": "22" if later else "34", "data_quality": 2,
                   "supplier": TRAVEL_AGENCY}),
        ("hotel", {"activity": "hotel.us", "quantity": "4" if later else "8", "data_quality": 2,
                   "supplier": TRAVEL_AGENCY}),
        ("transport", {"activity": "travel.taxi", "quantity": "5200" if later else "6800", "data_quality": 2,
                       "description": "Taxikonto", "supplier": "Oslo Taxisentral AS"}),
        ("transport", {"activity": "travel.rail.national", "quantity": "38000" if later else "31000",
                       "data_quality": 2, "description": "Vy-billetter (flere tar tog til Bergen)",
                       "supplier": "Togreiser Norge AS"}),
        ("commuting", _commute("commute.rail.light_rail", 124, "11", office_days)),
        ("commuting", _commute("commute.rail.national", 58, "32", office_days)),
        ("commuting", _commute("commute.bus.local", 46, "9", office_days)),
        ("commuting", _commute("commute.car.medium.petrol.km", 22 if later else 28, "21", office_days)),
        ("commuting", _commute("commute.car.medium.bev.km", 34 if later else 30, "24", office_days)),
        ("homeworking", {"heating": "electric", "fte": "372" if later else "368", "days": 80, "hours": "7.5",
                         "data_quality": 4, "description": "Hybridavtale: to dager hjemme i uka"}),
        ("waste", {"fraction": "mixed", "treatment": "incineration", "quantity": "15.8" if later else "18.4",
                   "unit": "tonne", "data_quality": 1,
                   "description": "Gjenvinningsselskapet Øst AS, årsrapport"}),
        ("waste", {"fraction": "paper", "treatment": "recycling", "quantity": "8.1" if later else "8.9",
                   "unit": "tonne", "data_quality": 1}),
        ("waste", {"fraction": "food", "treatment": "anaerobic_digestion",
                   "quantity": "6.4" if later else "5.2", "unit": "tonne", "data_quality": 1,
                   "description": "Matavfall fra kantina"}),
        ("waste", {"fraction": "plastic", "treatment": "recycling", "quantity": "1.6" if later else "1.3",
                   "unit": "tonne", "data_quality": 1}),
        ("waste", {"fraction": "glass", "treatment": "recycling", "quantity": "420" if later else "460",
                   "unit": "kg", "data_quality": 1}),
        ("water", {"activity": "water.supply", "quantity": "6100" if later else "6450", "data_quality": 1,
                   "description": "Oslo kommune VAV, vannmåler"}),
        ("water", {"activity": "water.treatment", "quantity": "6100" if later else "6450",
                   "data_quality": 3}),
        # Purchases by weight (DESNZ material use): the supplier's annual statement or product sheets.
        ("purchases", {"activity": "capital.it_equipment", "quantity": "0.31" if later else "0.46",
                       "unit": "tonne", "data_quality": 3,
                       "description": "Bærbare PC-er og skjermer, vekt fra produktark"}),
        ("purchases", {"activity": "goods.it_equipment", "quantity": "0.38" if later else "0.41",
                       "unit": "tonne", "data_quality": 3, "description": "Headset, tastatur og mus"}),
        ("purchases", {"activity": "goods.food_and_drink", "quantity": "11.2" if later else "12.4",
                       "unit": "tonne", "data_quality": 3,
                       "description": "Kantinens innkjøp, leverandørens årsoppgave"}),
        ("purchases", {"activity": "goods.paper", "quantity": "0.9" if later else "1.4", "unit": "tonne",
                       "data_quality": 2, "description": "Kontorpapir og trykksaker"}),
    ]
    if not later:
        lines.append(("refrigerant", {"site": HQ, "activity": "refrigerant.r410a", "quantity": "2.4",
                                      "data_quality": 1,
                                      "description": "Lekkasje varmepumpe, reparert i 2024"}))
    return lines


NORDLYS_SITES = (
    {"name": HQ, "address": "Storgata 12, 0155 Oslo", "country": "NO", "floor_area_m2": "4800"},
    {"name": DRAMMEN, "address": "Bragernes torg 6, 3017 Drammen", "country": "NO", "floor_area_m2": "1200"},
)
NORDLYS_FACTS = {
    2024: {"fte": "382", "revenue_nok": "312000000"},
    2025: {"fte": "391", "revenue_nok": "334000000"},
}
NORDLYS_YEARS = {2024: _nordlys(2024), 2025: _nordlys(2025)}

BAKERY = "Bakeriet Sandviken"
FJORDBAKST_SITES = ({"name": BAKERY, "address": "Sandviksveien 40, 5035 Bergen", "country": "NO",
                     "floor_area_m2": "640"},)
FJORDBAKST_FACTS = {2025: {"fte": "14", "revenue_nok": "21500000"}}
FJORDBAKST_YEARS = {2025: [
    ("electricity", {"site": BAKERY, "quantity": "186000", "unit": "kWh",
                     "data_quality": 1, "description": "Elektriske ovner og kjøl"}),
    ("company_cars", {"vehicle": "van.class_2", "fuel": "diesel", "measure": "km", "quantity": "24000",
                      "data_quality": 2, "description": "Varebil, utkjøring"}),
    ("waste", {"fraction": "food", "treatment": "anaerobic_digestion", "quantity": "3.8", "unit": "tonne",
               "data_quality": 2, "description": "Brød som ikke ble solgt"}),
]}
