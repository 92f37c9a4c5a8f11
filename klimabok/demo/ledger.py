"""Nordlys Kundesenter AS's general ledger for 2025 as a SAF-T Financial 1.30 file (synthetic, seeded).

A year of a 391-FTE call centre's bookkeeping: monthly sales to five clients (334 MNOK, as the
year's facts say), payroll with withholding tax, employer's contribution and pension, rent for
both offices, electricity and district heating, IT and telephony, cleaning and waste, car
leasing, fuel and charging, travel, office supplies, consulting, canteen, depreciation, VAT terms,
supplier payments and bank fees — about 3,200 balanced ledger lines in 1,300 vouchers.

Consistent with the demo's 2025 activity data (:mod:`klimabok.demo.activity`, read from there so the
two cannot drift apart; only the prices are set here): the electricity invoices bill exactly the
head office's 868,000 kWh and Drammen's 226,000 kWh (with the head office's guarantees of
origin), the district heating invoices the 572,000 kWh from Hafslund Celsio, the canteen's food
invoices the 11.2 t of food,
the fuel card the 2,150 litres of diesel, the leasing company the five electric cars (the diesel
car returned in June), the travel agency one invoice per return flight and one per hotel stay
(the same trips and nights), the taxi and rail statements the same kilometres. So the account
excludes those spend lines as covered by activity data, and counts what has no activity data
(IT, telephony, rent, cleaning, hired staff, consulting…). The canteen's food, the headsets and the
waste collection are in the activity data by weight: the demo excludes those suppliers by hand
(:data:`EXCLUDED_BY_HAND`). Suppliers are made up (valid mod-11 org.nr) except Hafslund Celsio,
named as in the activity data and without an org.nr.

Every stream's yearly total is a round figure (:data:`YEARLY_NOK`) split over its invoices by a
seeded random generator; the same seed gives the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from klimabok.core.saft.writer import (
    Account,
    Company,
    Party,
    Posting,
    Tax,
    TaxCode,
    Transaction,
    org_number,
    write_saft,
)
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
    Account("6350", "IT-drift, programvare og telefoni", OPEX, "6350"),
    Account("6360", "Renhold", OPEX, "6395"),
    Account("6370", "Renovasjon", OPEX, "6395"),
    Account("6440", "Leasing av biler", OPEX, "6440"),
    Account("6540", "Inventar og utstyr", OPEX, "6500"),
    Account("6700", "Revisjonshonorar", OPEX, "6700"),
    Account("6720", "Juridisk bistand", OPEX, "6700"),
    Account("6790", "Annen fremmed tjeneste", OPEX, "6700"),
    Account("6800", "Kontorrekvisita", OPEX, "6995"),
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

_SUPPLIERS = (  # (key, name, NACE, city)
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
          city) for i, (key, name, nace, city) in enumerate(_SUPPLIERS))
_SUPPLIER = {key: party.party_id for (key, *_), party in zip(_SUPPLIERS, SUPPLIERS, strict=True)}

#: Purchases the activity data already has by weight (purchases, waste): no category rule can see that
#: double counting, so the demo excludes these suppliers by hand, as a user would, with the reason.
EXCLUDED_BY_HAND = (
    ("matgrossist", "Kantinens matvarer er ført i tonn under innkjøp (leverandørens årsoppgave)"),
    ("headset", "Headset, tastatur og mus er ført i tonn under innkjøp (vekt fra produktark)"),
    ("avfall", "Avfallet er ført i tonn per fraksjon (Gjenvinningsselskapet Øst AS, årsrapport)"),
)


def excluded_by_hand() -> list[tuple[str, str]]:
    """(SupplierID, reason) of :data:`EXCLUDED_BY_HAND`."""
    return [(_SUPPLIER[key], reason) for key, reason in EXCLUDED_BY_HAND]


_CUSTOMERS = (  # (name, NACE, city, share of revenue in per cent)
    ("Fjordnett Telekom AS", "61.200", "Oslo", 31),
    ("Trygg Havn Forsikring ASA", "65.120", "Bergen", 22),
    ("Vestlandskraft Strømsalg AS", "35.140", "Bergen", 18),
    ("Sparebanken Nordvik", "64.190", "Tromsø", 15),
    ("Østlandet Kollektivtrafikk AS", "49.310", "Oslo", 14),
)
CUSTOMERS = tuple(Party(f"{10001 + i}", name, org_number(91876543 + 65_537 * i), nace, city)
                  for i, (name, nace, city, _share) in enumerate(_CUSTOMERS))

TAX_CODES = (
    TaxCode("1", "Inngående mva, høy sats", 25, "1"),
    TaxCode("31", "Inngående mva, middels sats (næringsmidler)", 15, "31"),
    TaxCode("13", "Inngående mva, lav sats (persontransport, hotell)", 12, "13"),
    TaxCode("3", "Utgående mva, høy sats", 25, "3"),
)
_INPUT_CODE = {25: "1", 15: "31", 12: "13"}

#: Yearly totals in NOK excluding VAT of the streams with round figures, by (account, supplier key).
YEARLY_NOK = {
    ("3000", "sales"): 334_000_000,
    ("5000", "salaries"): 215_000_000,
    ("4500", "bemanning"): 4_800_000,
    ("5900", "kantine"): 1_080_000,
    ("5900", "julebord"): 190_000,
    ("6300", "gardeier_oslo"): 15_120_000,
    ("6300", "gardeier_drammen"): 2_100_000,
    ("6350", "kontaktsenter"): 3_600_000,
    ("6350", "itdrift"): 2_160_000,
    ("6350", "lisenser"): 1_150_000,
    ("6350", "datasenter"): 480_000,
    ("6350", "telefoni"): 1_450_000,
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
class _Activity:
    """The 2025 activity data (:mod:`klimabok.demo.activity`) that the invoices bill."""

    electricity_kwh: dict[str, int]  # by site
    heating_kwh: int
    diesel_litres: int
    flights: list[tuple[str, int]]  # (IATA code of the destination, return trips)
    hotel_nights: list[tuple[str, int]]  # (activity key, nights)
    taxi_km: int
    rail_km: int
    food_kg: int


def _activity() -> _Activity:
    lines = NORDLYS_YEARS[YEAR]

    def quantities(kind: str) -> list[dict[str, Any]]:
        return [answers for entry_kind, answers in lines if entry_kind == kind]

    def quantity(kind: str, field: str, value: str) -> int:
        return round(sum(Decimal(a["quantity"]) for a in quantities(kind) if a.get(field) == value))

    return _Activity(
        electricity_kwh={a["site"]: int(a["quantity"]) for a in quantities("electricity")},
        heating_kwh=sum(int(a["quantity"]) for a in quantities("district_heating")),
        diesel_litres=quantity("company_cars", "fuel", "diesel"),
        flights=[(a["destination"], a["trips"]) for a in quantities("flight")],
        hotel_nights=[(a["activity"], int(a["quantity"])) for a in quantities("hotel")],
        taxi_km=quantity("transport", "activity", "travel.taxi"),
        rail_km=quantity("transport", "activity", "travel.rail.national"),
        food_kg=round(1000 * Decimal(next(a["quantity"] for a in quantities("purchases")
                                          if a["activity"] == "goods.food_and_drink"))))


_KWH_PROFILE = (115, 105, 95, 80, 70, 60, 55, 65, 75, 85, 95, 100)  # per mille of the year's kWh
_HEAT_PROFILE = (160, 140, 120, 80, 40, 20, 15, 20, 40, 90, 130, 145)
_SPOT = (78, 92, 62, 55, 42, 30, 38, 55, 62, 68, 85, 90)  # øre/kWh, plausible NO1 monthly averages
_BUSY = (105, 100, 100, 95, 90, 85, 75, 95, 105, 110, 115, 125)  # call volume: telephony, hired staff


@dataclass
class _Book:
    rng: random.Random
    activity: _Activity
    vouchers: list[tuple[date, int, Transaction]]

    def add(self, when: date, text: str, postings: Sequence[Posting]) -> None:
        assert sum(p.ore for p in postings) == 0, text
        self.vouchers.append((when, len(self.vouchers), Transaction(when, text, postings)))

    def purchase(self, when: date, account: str, supplier: str, net: int, vat: int, text: str,
                 pay_after: int = 30) -> None:
        """An invoice (expense + input VAT = payable to the supplier) and its payment, if within the year."""
        sid = _SUPPLIER[supplier]
        tax = round(net * vat / 100)
        postings = [Posting(account, net, text, supplier_id=sid,
                            tax=Tax(_INPUT_CODE[vat], vat, net, tax) if vat else None)]
        if tax:
            postings.append(Posting("2710", tax, text, supplier_id=sid))
        postings.append(Posting("2400", -(net + tax), text, supplier_id=sid))
        self.add(when, text, postings)
        paid = when + timedelta(days=pay_after)
        if paid.year == YEAR:
            text = f"Betaling {text}"
            self.add(paid, text, [Posting("2400", net + tax, text, supplier_id=sid),
                                  Posting("1920", -(net + tax), text)])

    def day(self, month: int) -> date:
        return date(YEAR, month, self.rng.randint(1, 28))


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` øre over ``weights``, in whole øre that add up to exactly ``total``."""
    scale = sum(weights)
    parts = [int(total * w / scale) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _month_end(month: int) -> date:
    return (date(YEAR, month + 1, 1) if month < 12 else date(YEAR + 1, 1, 1)) - timedelta(days=1)


def _yearly(book: _Book, account: str, supplier: str, vat: int, weights: Sequence[float], text: str,
            months: Sequence[int] = tuple(range(1, 13))) -> None:
    """A yearly total (:data:`YEARLY_NOK`) invoiced in ``months`` (one per weight)."""
    for month, amount in zip(months, _split(YEARLY_NOK[(account, supplier)] * 100, weights), strict=True):
        book.purchase(book.day(month), account, supplier, amount, vat, f"{text} {_MONTHS[month - 1]}")


_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "desember")


def _sales(book: _Book) -> None:
    for month, total in enumerate(_split(YEARLY_NOK[("3000", "sales")] * 100, _BUSY), start=1):
        invoiced = date(YEAR, month, 28)
        for customer, share in zip(CUSTOMERS, _split(total, [c[3] for c in _CUSTOMERS]), strict=True):
            vat = share // 4
            text = f"Kundesentertjenester {_MONTHS[month - 1]}, {customer.name}"
            book.add(invoiced, text, [
                Posting("1500", share + vat, text, customer_id=customer.party_id),
                Posting("3000", -share, text, customer_id=customer.party_id, tax=Tax("3", 25, share, -vat)),
                Posting("2700", -vat, text, customer_id=customer.party_id)])
            if month < 12:
                paid = invoiced + timedelta(days=book.rng.randint(25, 31))
                book.add(paid, f"Innbetaling {customer.name}", [
                    Posting("1920", share + vat, "Innbetaling", customer_id=customer.party_id),
                    Posting("1500", -(share + vat), "Innbetaling", customer_id=customer.party_id)])


def _payroll(book: _Book) -> None:
    """Salaries on the 25th (holiday pay in June), withholding tax and employer's contribution paid
    every second month, pension invoiced monthly, travel expense claims paid with the salary."""
    weights = (100, 100, 100, 100, 100, 135, 85, 100, 100, 100, 100, 105)
    gross = _split(YEARLY_NOK[("5000", "salaries")] * 100, weights)
    claims = _split(YEARLY_NOK[("7150", "diett")] * 100, (8, 9, 10, 9, 9, 7, 2, 7, 10, 11, 10, 8))
    withheld = employer = 0
    for month, (pay, claim) in enumerate(zip(gross, claims, strict=True), start=1):
        when, name = date(YEAR, month, 25), _MONTHS[month - 1]
        tax, aga = pay * 31 // 100, pay * 141 // 1000
        book.add(when, f"Lønn {name}", [Posting("5000", pay, f"Lønn {name}"),
                                        Posting("2600", -tax, f"Forskuddstrekk {name}"),
                                        Posting("1920", -(pay - tax), f"Utbetalt lønn {name}")])
        book.add(when, f"Arbeidsgiveravgift {name}", [Posting("5400", aga, f"Arbeidsgiveravgift {name}"),
                                                      Posting("2770", -aga, f"Arbeidsgiveravgift {name}")])
        book.add(when, f"Reiseregninger {name}", [Posting("7150", claim, f"Diett og km-godtgjørelse {name}"),
                                                  Posting("1920", -claim, f"Reiseregninger {name}")])
        book.purchase(date(YEAR, month, 20), "5420", "pensjon", pay * 4 // 100, 0, f"Pensjonspremie {name}",
                      pay_after=10)
        withheld, employer = withheld + tax, employer + aga
        if month % 2 == 0 and month < 12:  # the term's tax is due on the 15th of the next month
            due = date(YEAR, month + 1, 15)
            book.add(due, "Skattetrekk og arbeidsgiveravgift", [
                Posting("2600", withheld, "Skattetrekk"), Posting("2770", employer, "Arbeidsgiveravgift"),
                Posting("1920", -(withheld + employer), "Skatteetaten")])
            withheld = employer = 0


def _energy(book: _Book) -> None:
    """Electricity (power + grid) per site and month from the year's kWh, district heating, GoO."""
    grid = {"Hovedkontor Oslo": ("nett_oslo", 2_500_00), "Drammen": ("nett_drammen", 900_00)}
    for site, kwh in book.activity.electricity_kwh.items():
        for month, used in enumerate(_split(kwh, _KWH_PROFILE), start=1):
            name = _MONTHS[month - 1]
            book.purchase(date(YEAR, month, 27), "6340", "kraft", used * (_SPOT[month - 1] + 4),
                          25, f"Strøm {name} {site}, {used:,} kWh".replace(",", " "))
            supplier, fixed = grid[site]
            book.purchase(date(YEAR, month, 28), "6340", supplier, used * 42 + fixed, 25,
                          f"Nettleie og elavgift {name} {site}, {used:,} kWh".replace(",", " "))
    for month, used in enumerate(_split(book.activity.heating_kwh, _HEAT_PROFILE), start=1):
        book.purchase(date(YEAR, month, 26), "6340", "fjernvarme", used * 88, 25,
                      f"Fjernvarme {_MONTHS[month - 1]}, {used:,} kWh".replace(",", " "))
    hq = book.activity.electricity_kwh["Hovedkontor Oslo"]
    book.purchase(date(YEAR, 12, 15), "6340", "kraft", hq * 1_50 // 100, 25,
                  f"Opprinnelsesgarantier 2025, Hovedkontor Oslo, {hq:,} kWh".replace(",", " "))


def _cars(book: _Book) -> None:
    """Five electric cars leased all year (the fifth from July), the diesel car until June."""
    diesel = _split(book.activity.diesel_litres, (400, 380, 390, 360, 330, 290))  # less as spring came
    for month in range(1, 13):
        name = _MONTHS[month - 1]
        rent = 4 * 6_200_00 + (5_900_00 if month <= 6 else 6_400_00)
        cars = "4 elbiler og 1 dieselbil" if month <= 6 else "5 elbiler"
        book.purchase(date(YEAR, month, 1), "6440", "bilfinans", rent, 25, f"Leasing {cars}, {name}")
        charged = (900, 850, 800, 700, 650, 600, 550, 700, 750, 800, 850, 850)[month - 1]  # 9,000 kWh
        book.purchase(date(YEAR, month, 28), "7000", "lading", charged * 3_60, 25,
                      f"Hurtiglading {name}, {charged} kWh")
        if month <= 6:
            litres = diesel[month - 1]
            book.purchase(date(YEAR, month, 28), "7000", "drivstoff", litres * DIESEL_ORE_PER_LITRE, 25,
                          f"Drivstoffkort {name}, diesel {litres} liter")
    _yearly(book, "7020", "verksted", 25, (14, 10, 14, 10), "Service og dekkskift", months=(3, 4, 10, 11))


def _travel(book: _Book) -> None:
    """One invoice per return flight and per hotel stay (the activity data's trips and nights)."""
    busy_months = (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)
    for destination, trips in book.activity.flights:
        city, price, vat = FLIGHT_PRICES[destination]
        for _ in range(trips):
            book.purchase(book.day(book.rng.choice(busy_months)), "7130", "reisebyraa", price * 100, vat,
                          f"Flyreise Oslo–{city} t/r")
    for key, nights in book.activity.hotel_nights:
        country, price, vat = HOTEL_PRICES[key]
        left = nights
        while left:
            stay = min(left, book.rng.choice((1, 1, 2, 2, 3)))
            left -= stay
            book.purchase(book.day(book.rng.choice(busy_months)), "7140", "reisebyraa", stay * price * 100,
                          vat, f"Hotell {country}, {stay} {'natt' if stay == 1 else 'netter'}")
    taxi = _split(book.activity.taxi_km, (9, 9, 10, 9, 9, 8, 3, 8, 10, 10, 9, 6))
    rail = _split(book.activity.rail_km, (9, 9, 10, 9, 9, 8, 3, 8, 10, 10, 9, 6))
    for month, (km_taxi, km_rail) in enumerate(zip(taxi, rail, strict=True), start=1):
        name = _MONTHS[month - 1]
        book.purchase(date(YEAR, month, 28), "7145", "taxi", km_taxi * TAXI_ORE_PER_KM, 12,
                      f"Taxikonto {name}, {km_taxi} km")
        book.purchase(date(YEAR, month, 28), "7145", "tog", km_rail * RAIL_ORE_PER_KM, 12,
                      f"Togbilletter {name}, {km_rail} personkm")


def _services(book: _Book) -> None:
    """Rent, IT, cleaning, staffing, consulting, canteen, office supplies and the rest."""
    flat = (1,) * 12
    quarters = (1, 4, 7, 10)
    rent = "Husleie og felleskostnader"
    _yearly(book, "6300", "gardeier_oslo", 25, (1,) * 4, f"{rent} Storgata 12, kvartal fra", months=quarters)
    _yearly(book, "6300", "gardeier_drammen", 25, (1,) * 4, f"{rent} Bragernes torg 6, kvartal fra",
            months=quarters)
    _yearly(book, "6350", "kontaktsenter", 25, flat, "Kontaktsenterplattform, 320 plasser,")
    _yearly(book, "6350", "itdrift", 25, flat, "Driftsavtale IT")
    _yearly(book, "6350", "lisenser", 25, (74, 9, 9, 8), "Programvarelisenser", months=quarters)
    _yearly(book, "6350", "datasenter", 25, flat, "Hosting og backup")
    _yearly(book, "6350", "telefoni", 25, _BUSY, "SIP-trunk og samtaleminutter")
    _yearly(book, "6900", "mobil", 25, flat, "Mobilabonnementer")
    _yearly(book, "6360", "renhold_oslo", 25, flat, "Renhold Storgata 12")
    _yearly(book, "6360", "renhold_drammen", 25, flat, "Renhold Drammen")
    _yearly(book, "6370", "avfall", 25, (8, 8, 9, 8, 9, 8, 6, 8, 9, 9, 9, 9), "Avfallshenting")
    _yearly(book, "4500", "bemanning", 25, (6, 6, 7, 7, 8, 14, 16, 9, 6, 6, 7, 8), "Innleid personell")
    _yearly(book, "5900", "kantine", 25, flat, "Kantinedrift")
    _yearly(book, "5900", "julebord", 25, (1,), "Julebord", months=(12,))
    _yearly(book, "6540", "headset", 25, (30, 15, 20, 15, 20), "Headset, tastatur og mus",
            months=(1, 3, 6, 9, 11))
    _yearly(book, "6700", "revisor", 25, (55, 15, 30), "Revisjon", months=(3, 9, 11))
    _yearly(book, "6720", "advokat", 25, (40, 25, 35), "Juridisk bistand", months=(2, 5, 10))
    _yearly(book, "6790", "raadgivning", 25, (20, 30, 30, 20), "Rådgivning kundeopplevelse",
            months=(4, 5, 6, 8))
    _yearly(book, "6800", "kontor", 25, flat, "Kontorrekvisita og papir")
    _yearly(book, "6940", "post", 0, flat, "Porto")
    _yearly(book, "7330", "annonser", 25, (12, 10, 10, 8, 12, 6, 2, 10, 8, 8, 8, 6), "Stillingsannonser")
    _yearly(book, "7400", "forening", 0, (1,), "Medlemskontingent 2025", months=(1,))
    _yearly(book, "7500", "forsikring", 0, (1,), "Forsikringer 2025", months=(1,))
    weeks = [w for w in (date(YEAR, 1, 6) + timedelta(weeks=n) for n in range(51)) if w.month != 7]
    for week, kilos in zip(weeks, _split(book.activity.food_kg, [book.rng.randint(200, 260) for _ in weeks]),
                           strict=True):
        book.purchase(week, "5900", "matgrossist", kilos * FOOD_NOK_PER_KG * 100, 15,
                      f"Matvarer kantine, {kilos} kg")
    for month, laptops in ((2, 65), (8, 60)):
        book.purchase(date(YEAR, month, 12), "1280", "pc", laptops * 12_000_00, 25,
                      f"{laptops} bærbare PC-er")


def _bank_and_closing(book: _Book) -> None:
    fees = _split(YEARLY_NOK[("7770", "bank")] * 100, (1,) * 12)
    depreciation = _split(YEARLY_NOK[("6010", "avskrivning")] * 100, (1,) * 12)
    for month in range(1, 13):
        last = _month_end(month)
        book.add(last, "Bankgebyrer", [Posting("7770", fees[month - 1], "Gebyrer nettbank og kort"),
                                       Posting("1920", -fees[month - 1], "Gebyrer")])
        book.add(last, "Avskrivning", [Posting("6010", depreciation[month - 1], "Avskrivning kontormaskiner"),
                                       Posting("1280", -depreciation[month - 1], "Avskrivning")])
        if month % 3 == 0:
            book.add(last, "Renter", [Posting("1920", 45_000_00, "Renter bankinnskudd"),
                                      Posting("8050", -45_000_00, "Renteinntekt")])


def _vat_terms(book: _Book) -> None:
    """Each two-month term's VAT moved to the settlement account, paid on the 10th a month later."""
    for term in range(6):
        months = (2 * term + 1, 2 * term + 2)
        output = sum(p.ore for when, _, t in book.vouchers if when.month in months
                     for p in t.postings if p.account == "2700")
        deducted = sum(p.ore for when, _, t in book.vouchers if when.month in months
                       for p in t.postings if p.account == "2710")
        end = _month_end(months[1])
        text = f"Mva-termin {term + 1}"
        book.add(end, text, [Posting("2700", -output, text), Posting("2710", -deducted, text),
                             Posting("2740", output + deducted, text)])
        if months[1] < 11:
            paid = f"Betalt {text}"
            book.add(date(YEAR, months[1] + 2, 10), paid, [Posting("2740", -(output + deducted), paid),
                                                          Posting("1920", output + deducted, paid)])


def transactions(seed: int = 1) -> list[Transaction]:
    """The year's vouchers in date order (deterministic for ``seed``)."""
    book = _Book(random.Random(seed), _activity(), [])
    for part in (_sales, _payroll, _energy, _cars, _travel, _services, _bank_and_closing):
        part(book)
    _vat_terms(book)
    return [transaction for *_, transaction in sorted(book.vouchers, key=lambda v: (v[0], v[1]))]


def write_demo_saft(path: str | Path, seed: int = 1) -> Path:
    """Write Nordlys's 2025 SAF-T file to ``path`` and return it."""
    return write_saft(path, company=COMPANY, year=YEAR, accounts=ACCOUNTS, suppliers=SUPPLIERS,
                      customers=CUSTOMERS, tax_codes=TAX_CODES, transactions=iter(transactions(seed)),
                      software_id="demo").path
