"""Nordlys Kundesenter AS's general ledger for 2025 as a SAF-T Financial 1.30 file (synthetic, seeded).

A year of a 391-FTE call centre's bookkeeping: monthly sales to five clients (334 MNOK, as the
year's facts say), payroll with withholding tax, employer's contribution and pension, rent for
both offices, electricity and district heating, IT and telephony, cleaning and waste, car
leasing, fuel and charging, travel, office supplies, consulting, canteen, depreciation, VAT terms,
supplier payments and bank fees — about 3,200 balanced ledger lines in 1,300 vouchers. What the
company is and buys is in :mod:`klimabok.demo.ledger_chart`; this module books it.

Consistent with the demo's 2025 activity data (:mod:`klimabok.demo.activity`, read from there so the
two cannot drift apart; only the prices are set here): the electricity invoices bill exactly the
head office's 868,000 kWh and Drammen's 226,000 kWh (with the head office's guarantees of
origin), the district heating invoices the 572,000 kWh from Hafslund Celsio, the canteen's food
invoices the 11.2 t of food, the fuel card the 2,150 litres of diesel, the leasing company the five
electric cars (the diesel car returned in June), the travel agency one invoice per return flight
and one per hotel stay (the same trips and nights), the taxi and rail statements the same
kilometres. So the account excludes those spend lines as covered by activity data, and counts what
has no activity data (IT, telephony, rent, cleaning, hired staff, consulting…). The canteen's
food, the headsets and the waste collection are in the activity data by weight: the demo excludes
those suppliers by hand (``EXCLUDED_BY_HAND``).

Every stream's yearly total is a round figure (``YEARLY_NOK``) split over its invoices by a seeded
random generator; the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from klimabok.core.saft.writer import Posting, Tax, Transaction, write_saft
from klimabok.demo.ledger_chart import (
    ACCOUNTS,
    BUSY,
    COMPANY,
    CUSTOMER_LIST,
    CUSTOMERS,
    DIESEL_ORE_PER_LITRE,
    FLIGHT_PRICES,
    FOOD_NOK_PER_KG,
    HEAT_PROFILE,
    HOTEL_PRICES,
    INPUT_VAT_CODE,
    KWH_PROFILE,
    RAIL_ORE_PER_KM,
    SPOT_ORE,
    SUPPLIER_IDS,
    SUPPLIERS,
    TAX_CODES,
    TAXI_ORE_PER_KM,
    YEAR,
    YEARLY_NOK,
    ActivityQuantities,
    activity_quantities,
)


@dataclass
class _Book:
    rng: random.Random
    activity: ActivityQuantities
    vouchers: list[tuple[date, int, Transaction]]

    def add(self, when: date, text: str, postings: Sequence[Posting]) -> None:
        assert sum(p.ore for p in postings) == 0, text
        self.vouchers.append((when, len(self.vouchers), Transaction(when, text, postings)))

    def purchase(self, when: date, account: str, supplier: str, net: int, vat: int, text: str,
                 pay_after: int = 30) -> None:
        """An invoice (expense + input VAT = payable to the supplier) and its payment, if within the year."""
        sid = SUPPLIER_IDS[supplier]
        tax = round(net * vat / 100)
        postings = [Posting(account, net, text, supplier_id=sid,
                            tax=Tax(INPUT_VAT_CODE[vat], vat, net, tax) if vat else None)]
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


def _split(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` (øre, kWh…) over ``weights``, in whole units that add up to exactly ``total``."""
    scale = sum(weights)
    parts = [total * w // scale for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _month_end(month: int) -> date:
    return (date(YEAR, month + 1, 1) if month < 12 else date(YEAR + 1, 1, 1)) - timedelta(days=1)


def _yearly(book: _Book, account: str, supplier: str, vat: int, weights: Sequence[int], text: str,
            months: Sequence[int] = tuple(range(1, 13))) -> None:
    """A yearly total (:data:`YEARLY_NOK`) invoiced in ``months`` (one per weight)."""
    for month, amount in zip(months, _split(YEARLY_NOK[(account, supplier)] * 100, weights), strict=True):
        book.purchase(book.day(month), account, supplier, amount, vat, f"{text} {_MONTHS[month - 1]}")


_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "desember")


def _sales(book: _Book) -> None:
    for month, total in enumerate(_split(YEARLY_NOK[("3000", "sales")] * 100, BUSY), start=1):
        invoiced = date(YEAR, month, 28)
        for customer, share in zip(CUSTOMERS, _split(total, [c[3] for c in CUSTOMER_LIST]), strict=True):
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
        for month, used in enumerate(_split(kwh, KWH_PROFILE), start=1):
            name = _MONTHS[month - 1]
            book.purchase(date(YEAR, month, 27), "6340", "kraft", used * (SPOT_ORE[month - 1] + 4),
                          25, f"Strøm {name} {site}, {used:,} kWh".replace(",", " "))
            supplier, fixed = grid[site]
            book.purchase(date(YEAR, month, 28), "6340", supplier, used * 42 + fixed, 25,
                          f"Nettleie og elavgift {name} {site}, {used:,} kWh".replace(",", " "))
    for month, used in enumerate(_split(book.activity.heating_kwh, HEAT_PROFILE), start=1):
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
    _yearly(book, "6810", "kontaktsenter", 25, flat, "Kontaktsenterplattform, 320 plasser,")
    _yearly(book, "6810", "itdrift", 25, flat, "Driftsavtale IT")
    _yearly(book, "6810", "lisenser", 25, (74, 9, 9, 8), "Programvarelisenser", months=quarters)
    _yearly(book, "6810", "datasenter", 25, flat, "Hosting og backup")
    _yearly(book, "6810", "telefoni", 25, BUSY, "SIP-trunk og samtaleminutter")
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
    book = _Book(random.Random(seed), activity_quantities(), [])
    for part in (_sales, _payroll, _energy, _cars, _travel, _services, _bank_and_closing):
        part(book)
    _vat_terms(book)
    return [transaction for *_, transaction in sorted(book.vouchers, key=lambda v: (v[0], v[1]))]


def write_demo_saft(path: str | Path, seed: int = 1) -> Path:
    """Write Nordlys's 2025 SAF-T file to ``path`` and return it."""
    return write_saft(path, company=COMPANY, year=YEAR, accounts=ACCOUNTS, suppliers=SUPPLIERS,
                      customers=CUSTOMERS, tax_codes=TAX_CODES, transactions=iter(transactions(seed)),
                      software_id="demo").path


#: The general-ledger export's columns, as a Norwegian accounting system names them.
GL_COLUMNS = ("Bilagsnr", "Dato", "Konto", "Kontonavn", "Tekst", "Leverandørnr", "Leverandør", "Org.nr",
              "Debet", "Kredit")


def write_demo_gl_csv(path: str | Path, seed: int = 1) -> Path:
    """The same ledger as a general-ledger CSV export (for companies without SAF-T): one row per ledger
    line, semicolon-separated, decimal comma, dates as 31.01.2025, UTF-8 with a byte-order mark."""
    path = Path(path)
    names = {account.account_id: account.description for account in ACCOUNTS}
    suppliers = {supplier.party_id: supplier for supplier in SUPPLIERS}

    def amount(ore: int) -> str:
        return f"{ore // 100},{ore % 100:02d}" if ore > 0 else ""

    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(GL_COLUMNS)
        for number, transaction in enumerate(transactions(seed), start=1):
            when = transaction.when.strftime("%d.%m.%Y")
            for posting in transaction.postings:
                supplier = suppliers.get(posting.supplier_id or "")
                out.writerow((number, when, posting.account, names[posting.account], posting.description,
                              posting.supplier_id or "", supplier.name if supplier else "",
                              (supplier.org_number or "") if supplier else "", amount(posting.ore),
                              amount(-posting.ore)))
    return path
