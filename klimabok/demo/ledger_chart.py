"""What Nordlys Kundesenter AS is and buys in 2025, for its general ledger (:mod:`klimabok.demo.ledger`).

The chart of accounts (NS 4102 numbers with næringsspesifikasjon grouping codes), the clients and
suppliers (made-up names with valid mod-11 org.nr and NACE codes, except Hafslund Celsio, named as
in the activity data, without an org.nr), the VAT codes, the yearly totals of the streams with round
figures, the prices of what the activity data counts, and those quantities, read from
:mod:`klimabok.demo.activity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from klimabok.core.saft.writer import Account, Company, Party, TaxCode, org_number
from klimabok.demo.activity import NORDLYS_YEARS

YEAR = 2025
#: The file's name (organisation number and year, as accounting systems name their exports).
FILENAME = "SAF-T Financial_928467139_2025.xml"
COMPANY = Company("Nordlys Kundesenter AS", "928467139", city="Oslo", postal_code="0155",
                  street="Storgata 12", contact=("Ingrid", "Solheim"))
ASSET, CURRENT, EQUITY, DEBT = ("balanseverdiForAnleggsmiddel", "balanseverdiForOmloepsmiddel", "egenkapital",
                                 "kortsiktigGjeld")
SALES, GOODS, PAY, OPEX, FINANCE = ("salgsinntekt", "varekostnad", "loennskostnad", "annenDriftskostnad",
                                    "finansinntekt")

#: The chart of accounts (NS 4102 numbers, næringsspesifikasjon grouping codes), openings in NOK.
ACCOUNTS = (
    Account("1280", "Kontormaskiner og IT-utstyr", ASSET, "1280", 4_200_000_00),
    Account("1500", "Kundefordringer", CURRENT, "1500"),
    Account("1920", "Bankinnskudd", CURRENT, "1920", 24_500_000_00),
    Account("2050", "Annen egenkapital", EQUITY, "2050", -28_700_000_00),
    Account("2400", "Leverandørgjeld", DEBT, "2400"),
    Account("2600", "Forskuddstrekk", DEBT, "2600"),
    Account("2700", "Utgående merverdiavgift", DEBT, "2740"),
    Account("2710", "Inngående merverdiavgift", DEBT, "2740"),
    Account("2740", "Oppgjørskonto merverdiavgift", DEBT, "2740"),
    Account("2770", "Skyldig arbeidsgiveravgift", DEBT, "2770"),
    Account("3000", "Salgsinntekt, avgiftspliktig", SALES, "3000"),
    Account("4500", "Innleid arbeidskraft", GOODS, "4500"),
    Account("5000", "Lønn til ansatte", PAY, "5000"),
    Account("5400", "Arbeidsgiveravgift", PAY, "5400"),
    Account("5420", "Pensjonskostnad", PAY, "5420"),
    Account("5900", "Kantine og personalvelferd", PAY, "5900"),
    Account("6010", "Avskrivning kontormaskiner", OPEX, "6000"),
    Account("6300", "Leie lokaler", OPEX, "6300"),
    Account("6340", "Lys, varme", OPEX, "6340"),
    Account("6360", "Renhold", OPEX, "6395"),
    Account("6370", "Renovasjon", OPEX, "6395"),
    Account("6440", "Leasing av biler", OPEX, "6440"),
    Account("6540", "Inventar og utstyr", OPEX, "6500"),
    Account("6700", "Revisjonshonorar", OPEX, "6700"),
    Account("6720", "Juridisk bistand", OPEX, "6700"),
    Account("6790", "Annen fremmed tjeneste", OPEX, "6700"),
    Account("6800", "Kontorrekvisita", OPEX, "6995"),
    Account("6810", "IT-drift, programvare og telefoni", OPEX, "6350"),  # NS 4102 "Data/EDB-kostnad"
    Account("6900", "Mobiltelefon", OPEX, "6995"),
    Account("6940", "Porto", OPEX, "6995"),
    Account("7000", "Drivstoff og lading", OPEX, "7000"),
    Account("7020", "Vedlikehold biler", OPEX, "7020"),
    Account("7130", "Reisekostnad, flyreiser", OPEX, "7165"),
    Account("7140", "Reisekostnad, hotell", OPEX, "7165"),
    Account("7145", "Reisekostnad, taxi og tog", OPEX, "7165"),
    Account("7150", "Diett og bilgodtgjørelse", OPEX, "7155"),
    Account("7330", "Stillingsannonser", OPEX, "7330"),
    Account("7400", "Kontingenter", OPEX, "7400"),
    Account("7500", "Forsikringspremie", OPEX, "7500"),
    Account("7770", "Bank- og kortgebyrer", OPEX, "7700"),
    Account("8050", "Renteinntekt bank", FINANCE, "8050"),
)

SUPPLIER_LIST = (  # (key, name, NACE, city)
    ("kraft", "Akerselva Kraft AS", "35.140", "Oslo"),
    ("nett_oslo", "Østnett AS", "35.130", "Oslo"),
    ("nett_drammen", "Drammensnett AS", "35.130", "Drammen"),
    ("fjernvarme", "Hafslund Celsio AS", "35.300", "Oslo"),
    ("kontaktsenter", "Skykontakt AS", "58.290", "Oslo"),
    ("itdrift", "Driftspartner Oslo AS", "62.030", "Oslo"),
    ("lisenser", "Programvarehuset Norge AS", "58.290", "Lysaker"),
    ("datasenter", "Datasenteret Norge AS", "63.110", "Oslo"),
    ("telefoni", "Nordtelefon AS", "61.100", "Oslo"),
    ("mobil", "Mobilnett Norge AS", "61.200", "Fornebu"),
    ("renhold_oslo", "Renholdspartner Oslo AS", "81.210", "Oslo"),
    ("renhold_drammen", "Drammen Renhold AS", "81.210", "Drammen"),
    ("avfall", "Gjenvinningsselskapet Øst AS", "38.110", "Oslo"),
    ("gardeier_oslo", "Storgata Eiendom AS", "68.209", "Oslo"),
    ("gardeier_drammen", "Bragernes Næringsbygg AS", "68.209", "Drammen"),
    ("bilfinans", "Fjord Bilfinans AS", "77.110", "Oslo"),
    ("drivstoff", "Veikro Drivstoff AS", "47.300", "Oslo"),
    ("lading", "Ladenett Norge AS", "35.140", "Oslo"),
    ("verksted", "Bilservice Oslo AS", "45.200", "Oslo"),
    ("reisebyraa", "Reisefabrikken AS", "79.120", "Oslo"),
    ("taxi", "Oslo Taxisentral AS", "49.320", "Oslo"),
    ("tog", "Togreiser Norge AS", "49.100", "Oslo"),
    ("kontor", "Kontorspar AS", "46.660", "Oslo"),
    ("post", "Brevbudet AS", "53.100", "Oslo"),
    ("headset", "Headsetgrossisten AS", "46.510", "Oslo"),
    ("pc", "IT-Grossisten Norge AS", "46.510", "Oslo"),
    ("revisor", "Revisjonshuset Norge AS", "69.201", "Oslo"),
    ("advokat", "Advokatfirmaet Lund & Co AS", "69.100", "Oslo"),
    ("raadgivning", "Kundeopplevelse Rådgivning AS", "70.220", "Oslo"),
    ("bemanning", "Bemanningshuset AS", "78.200", "Oslo"),
    ("matgrossist", "Matgrossisten Øst AS", "46.390", "Oslo"),
    ("kantine", "Kantinedrift AS", "56.290", "Oslo"),
    ("julebord", "Restaurant Fjordterrassen AS", "56.101", "Oslo"),
    ("annonser", "Jobbportalen AS", "63.120", "Oslo"),
    ("forening", "Serviceforbundet Arbeidsgiver", "94.110", "Oslo"),
    ("forsikring", "Trygghet Forsikring ASA", "65.120", "Bergen"),
    ("pensjon", "Fremtid Pensjon AS", "65.300", "Oslo"),
)
SUPPLIERS = tuple(
    Party(f"{30001 + i}", name, None if key == "fjernvarme" else org_number(81234567 + 104_729 * i), nace,
          city) for i, (key, name, nace, city) in enumerate(SUPPLIER_LIST))
SUPPLIER_IDS = {key: party.party_id for (key, *_), party in zip(SUPPLIER_LIST, SUPPLIERS, strict=True)}

#: Purchases the activity data already has by weight (purchases, waste): no category rule can see that
#: double counting, so the demo excludes these suppliers by hand, as a user would, with the reason.
EXCLUDED_BY_HAND = (
    ("matgrossist", "Kantinens matvarer er ført i tonn under innkjøp (leverandørens årsoppgave)"),
    ("headset", "Headset, tastatur og mus er ført i tonn under innkjøp (vekt fra produktark)"),
    ("avfall", "Avfallet er ført i tonn per fraksjon (Gjenvinningsselskapet Øst AS, årsrapport)"),
)


def excluded_by_hand() -> list[tuple[str, str]]:
    """(SupplierID, reason) of :data:`EXCLUDED_BY_HAND`."""
    return [(SUPPLIER_IDS[key], reason) for key, reason in EXCLUDED_BY_HAND]


CUSTOMER_LIST = (  # (name, NACE, city, share of revenue in per cent)
    ("Fjordnett Telekom AS", "61.200", "Oslo", 31),
    ("Trygg Havn Forsikring ASA", "65.120", "Bergen", 22),
    ("Vestlandskraft Strømsalg AS", "35.140", "Bergen", 18),
    ("Sparebanken Nordvik", "64.190", "Tromsø", 15),
    ("Østlandet Kollektivtrafikk AS", "49.310", "Oslo", 14),
)
CUSTOMERS = tuple(Party(f"{10001 + i}", name, org_number(91876543 + 65_537 * i), nace, city)
                  for i, (name, nace, city, _share) in enumerate(CUSTOMER_LIST))

TAX_CODES = (
    TaxCode("1", "Inngående mva, høy sats", 25, "1"),
    TaxCode("31", "Inngående mva, middels sats (næringsmidler)", 15, "31"),
    TaxCode("13", "Inngående mva, lav sats (persontransport, hotell)", 12, "13"),
    TaxCode("3", "Utgående mva, høy sats", 25, "3"),
)
INPUT_VAT_CODE = {25: "1", 15: "31", 12: "13"}

#: Yearly totals in NOK excluding VAT of the streams with round figures, by (account, supplier key).
YEARLY_NOK = {
    ("3000", "sales"): 334_000_000,
    ("5000", "salaries"): 215_000_000,
    ("4500", "bemanning"): 4_800_000,
    ("5900", "kantine"): 1_080_000,
    ("5900", "julebord"): 190_000,
    ("6300", "gardeier_oslo"): 15_120_000,
    ("6300", "gardeier_drammen"): 2_100_000,
    ("6810", "kontaktsenter"): 3_600_000,
    ("6810", "itdrift"): 2_160_000,
    ("6810", "lisenser"): 1_150_000,
    ("6810", "datasenter"): 480_000,
    ("6810", "telefoni"): 1_450_000,
    ("6360", "renhold_oslo"): 1_560_000,
    ("6360", "renhold_drammen"): 360_000,
    ("6370", "avfall"): 96_000,
    ("6540", "headset"): 310_000,
    ("6700", "revisor"): 420_000,
    ("6720", "advokat"): 280_000,
    ("6790", "raadgivning"): 850_000,
    ("6800", "kontor"): 380_000,
    ("6900", "mobil"): 1_404_000,
    ("6940", "post"): 45_000,
    ("7020", "verksted"): 48_000,
    ("7150", "diett"): 96_000,
    ("7330", "annonser"): 420_000,
    ("7400", "forening"): 140_000,
    ("7500", "forsikring"): 360_000,
    ("7770", "bank"): 36_000,
    ("6010", "avskrivning"): 1_850_000,
}

#: Prices (NOK excl. VAT) and VAT rates of what the activity data counts: a return flight from Oslo,
#: a hotel night by country, taxi and rail per km, food per kg, diesel per litre.
FLIGHT_PRICES = {"BGO": ("Bergen", 2_780, 12), "TRD": ("Trondheim", 2_640, 12),
                 "ARN": ("Stockholm", 3_260, 0), "CPH": ("København", 2_910, 0), "LHR": ("London", 4_380, 0),
                 "JFK": ("New York", 9_650, 0)}
HOTEL_PRICES = {"hotel.no": ("Norge", 1_420, 12), "hotel.se": ("Sverige", 1_540, 0),
                "hotel.dk": ("Danmark", 1_690, 0), "hotel.gb": ("Storbritannia", 2_280, 0),
                "hotel.us": ("USA", 3_150, 0)}
TAXI_ORE_PER_KM, RAIL_ORE_PER_KM, FOOD_NOK_PER_KG, DIESEL_ORE_PER_LITRE = 24_00, 1_55, 62, 17_40


@dataclass(frozen=True)
class ActivityQuantities:
    """The 2025 activity data (:mod:`klimabok.demo.activity`) that the invoices bill."""

    electricity_kwh: dict[str, int]  # by site
    heating_kwh: int
    diesel_litres: int
    flights: list[tuple[str, int]]  # (IATA code of the destination, return trips)
    hotel_nights: list[tuple[str, int]]  # (activity key, nights)
    taxi_km: int
    rail_km: int
    food_kg: int


def activity_quantities() -> ActivityQuantities:
    lines = NORDLYS_YEARS[YEAR]

    def quantities(kind: str) -> list[dict[str, Any]]:
        return [answers for entry_kind, answers in lines if entry_kind == kind]

    def quantity(kind: str, field: str, value: str) -> int:
        return round(sum(Decimal(a["quantity"]) for a in quantities(kind) if a.get(field) == value))

    return ActivityQuantities(
        electricity_kwh={a["site"]: int(a["quantity"]) for a in quantities("electricity")},
        heating_kwh=sum(int(a["quantity"]) for a in quantities("district_heating")),
        diesel_litres=quantity("company_cars", "fuel", "diesel"),
        flights=[(a["destination"], a["trips"]) for a in quantities("flight")],
        hotel_nights=[(a["activity"], int(a["quantity"])) for a in quantities("hotel")],
        taxi_km=quantity("transport", "activity", "travel.taxi"),
        rail_km=quantity("transport", "activity", "travel.rail.national"),
        food_kg=round(1000 * Decimal(next(a["quantity"] for a in quantities("purchases")
                                          if a["activity"] == "goods.food_and_drink"))))


KWH_PROFILE = (115, 105, 95, 80, 70, 60, 55, 65, 75, 85, 95, 100)  # per mille of the year's kWh
HEAT_PROFILE = (160, 140, 120, 80, 40, 20, 15, 20, 40, 90, 130, 145)
SPOT_ORE = (78, 92, 62, 55, 42, 30, 38, 55, 62, 68, 85, 90)  # øre/kWh, plausible NO1 monthly averages
BUSY = (105, 100, 100, 95, 90, 85, 75, 95, 105, 110, 115, 125)  # call volume: telephony, hired staff
