"""The curated klimabok keys and where each sits in a DESNZ flat file.

DESNZ row IDs are only stable within one year's file, so the curated keys
(``fuel.diesel``, ``car.medium.diesel.km``, ``flight.long_haul.business.rf``
…) point at a *level path* (Level 1–4, Column Text, UOM). The same specs
serve ``scripts/build_factors.py`` for the shipped 2024/2025 tables and any
newer DESNZ file a user imports.

Key conventions (see klimabok/data/factors/README.md): the well-to-tank factor
of key ``K`` is ``K.wtt``; its category is 3 when ``K`` is scope 1 or 2 (fuel-
and energy-related activities) and otherwise ``K``'s own category (business
travel 6, commuting 7), as the GHG Protocol Scope 3 Standard assigns them.
"""

from __future__ import annotations

from dataclasses import dataclass

from klimabok.core.factors.model import Basis

Path6 = tuple[str, str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class CuratedSpec:
    """A curated key and the DESNZ level path (Level 1–4, Column Text, UOM) it is read from."""

    key: str
    name: str
    name_nb: str
    path: Path6
    scope: int | None = None
    category: int | None = None
    region: str = "GB"
    basis: Basis = Basis.BOTH
    notes: str = ""


# The tables below are data, one entry per line where it fits.
# fmt: off
# (slug, DESNZ Level 2, Level 3, English name, bokmål name, unit of the bare key)
FUELS = (
    ("diesel", "Liquid fuels", "Diesel (average biofuel blend)", "Diesel (UK average biofuel blend)",
     "Diesel (britisk snitt for innblanding av biodrivstoff)", "litres"),
    ("diesel_mineral", "Liquid fuels", "Diesel (100% mineral diesel)", "Diesel (100% mineral)",
     "Diesel (100 % fossil)", "litres"),
    ("petrol", "Liquid fuels", "Petrol (average biofuel blend)", "Petrol (UK average biofuel blend)",
     "Bensin (britisk snitt for innblanding av biodrivstoff)", "litres"),
    ("petrol_mineral", "Liquid fuels", "Petrol (100% mineral petrol)", "Petrol (100% mineral)",
     "Bensin (100 % fossil)", "litres"),
    ("gas_oil", "Liquid fuels", "Gas oil", "Gas oil (light heating oil)", "Lett fyringsolje", "litres"),
    ("burning_oil", "Liquid fuels", "Burning oil", "Burning oil (kerosene)", "Fyringsparafin", "litres"),
    ("fuel_oil", "Liquid fuels", "Fuel oil", "Fuel oil (heavy)", "Tungolje", "litres"),
    ("lpg", "Gaseous fuels", "LPG", "LPG", "LPG (flytende propan/butan)", "litres"),
    ("propane", "Gaseous fuels", "Propane", "Propane", "Propan", "litres"),
    ("butane", "Gaseous fuels", "Butane", "Butane", "Butan", "litres"),
    ("lng", "Gaseous fuels", "LNG", "LNG", "LNG (flytende naturgass)", "litres"),
    ("natural_gas", "Gaseous fuels", "Natural gas", "Natural gas", "Naturgass", "cubic metres"),
)
# (key suffix, DESNZ UOM, English, bokmål); the bare key is the fuel's usual purchase unit.
#: The bokmål of a fuel's own DESNZ unit in its name ("Diesel, liter", not "Diesel, litres").
BARE_UNITS_NB = {"litres": "liter", "cubic metres": "kubikkmeter"}
FUEL_UNITS = (
    ("tonnes", "tonnes", "tonnes", "tonn"),
    ("kwh_net", "kWh (Net CV)", "kWh, net CV", "kWh, nedre brennverdi"),
    ("kwh_gross", "kWh (Gross CV)", "kWh, gross CV", "kWh, øvre brennverdi"),
)
CAR_SIZES = (
    ("small", "Small car", "small car", "liten bil"),
    ("medium", "Medium car", "medium car", "mellomstor bil"),
    ("large", "Large car", "large car", "stor bil"),
    ("average", "Average car", "average car", "gjennomsnittsbil"),
)
CAR_FUELS = (
    ("diesel", "Diesel", "diesel", "diesel"), ("petrol", "Petrol", "petrol", "bensin"),
    ("hybrid", "Hybrid", "hybrid", "hybrid"),
    ("phev", "Plug-in Hybrid Electric Vehicle", "plug-in hybrid", "ladbar hybrid"),
    ("bev", "Battery Electric Vehicle", "battery electric", "elbil"),
    ("cng", "CNG", "CNG", "CNG"), ("lpg", "LPG", "LPG", "LPG"),
    ("unknown", "Unknown", "unknown fuel", "ukjent drivstoff"),
)
VAN_CLASSES = (
    ("class_1", "Class I (up to 1.305 tonnes)", "van class I (≤1.305 t)", "varebil kl. I (≤1,305 t)"),
    ("class_2", "Class II (1.305 to 1.74 tonnes)", "van class II (1.305–1.74 t)",
     "varebil kl. II (1,305–1,74 t)"),
    ("class_3", "Class III (1.74 to 3.5 tonnes)", "van class III (1.74–3.5 t)",
     "varebil kl. III (1,74–3,5 t)"),
    ("average", "Average (up to 3.5 tonnes)", "average van (≤3.5 t)", "gjennomsnittlig varebil (≤3,5 t)"),
)
FLIGHT_BANDS = (
    ("domestic", "Domestic, to/from UK", "domestic flight", "innenlandsfly"),
    ("short_haul", "Short-haul, to/from UK", "short-haul flight", "kortdistansefly"),
    ("long_haul", "Long-haul, to/from UK", "long-haul flight", "langdistansefly"),
    ("international", "International, to/from non-UK", "international flight", "internasjonalt fly"),
)
FLIGHT_CLASSES = (
    ("average", "Average passenger", "average passenger", "gjennomsnittspassasjer"),
    ("economy", "Economy class", "economy", "økonomiklasse"),
    ("premium_economy", "Premium economy class", "premium economy", "premium økonomi"),
    ("business", "Business class", "business", "businessklasse"),
    ("first", "First class", "first class", "første klasse"),
)
# (key suffix, Level 1, Level 2, Column Text, English, bokmål); the well-to-tank factor is read "With RF".
FLIGHT_VARIANTS = (
    ("rf", "Business travel- air", "Flights", "With RF", "with radiative forcing", "med strålingspådriv"),
    ("no_rf", "Business travel- air", "Flights", "Without RF", "without radiative forcing",
     "uten strålingspådriv"),
    ("wtt", "WTT- business travel- air", "WTT- flights", "With RF", "well-to-tank",
     "oppstrøm (well-to-tank)"),
)
# (key part, Level 2, Level 3, WTT Level 2, UOM, English, bokmål)
PUBLIC_TRANSPORT = (
    ("bus.local", "Bus", "Average local bus", "WTT- bus", "passenger.km", "Local bus", "Lokalbuss"),
    ("bus.coach", "Bus", "Coach", "WTT- bus", "passenger.km", "Coach", "Langdistansebuss"),
    ("rail.national", "Rail", "National rail", "WTT- rail", "passenger.km", "National rail", "Tog"),
    ("rail.international", "Rail", "International rail", "WTT- rail", "passenger.km", "International rail",
     "Internasjonalt tog"),
    ("rail.light_rail", "Rail", "Light rail and tram", "WTT- rail", "passenger.km", "Light rail and tram",
     "Bybane og trikk"),
    ("rail.underground", "Rail", "London Underground", "WTT- rail", "passenger.km",
     "Metro (London Underground figure)", "T-bane (tall for London Underground)"),
    ("taxi", "Taxis", "Regular taxi", "WTT- taxis", "passenger.km", "Taxi", "Drosje"),
    ("taxi.km", "Taxis", "Regular taxi", "WTT- taxis", "km", "Taxi, vehicle km", "Drosje, kjørte km"),
    ("motorbike.average.km", "Motorbike", "Average", "WTT- motorbike", "km", "Motorbike", "Motorsykkel"),
)
FERRIES = (
    ("foot", "Foot passenger", "Ferry, foot passenger", "Ferje, passasjer uten bil"),
    ("car", "Car passenger", "Ferry, car passenger", "Ferje, passasjer med bil"),
    ("average", "Average (all passenger)", "Ferry, average passenger", "Ferje, gjennomsnittspassasjer"),
)
# (key part, Level 2, Level 3, English, bokmål)
WASTE_FRACTIONS = (
    ("mixed", "Refuse", "Commercial and industrial waste", "Mixed commercial waste", "Blandet næringsavfall"),
    ("food", "Refuse", "Organic: food and drink waste", "Food and drink waste", "Matavfall"),
    ("paper", "Paper", "Paper and board: mixed", "Paper and cardboard, mixed", "Papir og papp, blandet"),
    ("cardboard", "Paper", "Paper and board: board", "Cardboard", "Papp"),
    ("plastic", "Plastic", "Plastics: average plastics", "Plastics, average", "Plast, gjennomsnitt"),
    ("glass", "Other", "Glass", "Glass", "Glass"),
    ("metal", "Metal", "Metal: mixed cans", "Metal, mixed cans", "Metall, blandet emballasje"),
    ("scrap_metal", "Metal", "Metal: scrap metal", "Scrap metal", "Metallskrap"),
    ("weee", "Electrical items", "WEEE - mixed", "Electrical and electronic waste", "EE-avfall, blandet"),
    ("batteries", "Electrical items", "Batteries", "Batteries", "Batterier"),
    ("wood", "Construction", "Wood", "Wood", "Trevirke"),
    ("clothing", "Other", "Clothing", "Clothing and textiles", "Klær og tekstiler"),
)
WASTE_TREATMENTS = (
    ("incineration", "Combustion", "incineration", "forbrenning"),
    ("landfill", "Landfill", "landfill", "deponi"),
    ("recycling", "Closed-loop", "recycling (closed loop)", "materialgjenvinning (lukket kretsløp)"),
    ("recycling_open_loop", "Open-loop", "recycling (open loop)", "materialgjenvinning (åpent kretsløp)"),
    ("composting", "Composting", "composting", "kompostering"),
    ("anaerobic_digestion", "Anaerobic digestion", "anaerobic digestion", "biogassproduksjon"),
    ("reuse", "Re-use", "re-use", "ombruk"),
)
REFRIGERANTS = (
    ("r134a", "Kyoto protocol products", "HFC-134a", "R-134a"),
    ("r32", "Kyoto protocol products", "HFC-32", "R-32"),
    ("r744", "Kyoto protocol products", "Carbon dioxide", "R-744 (CO2)"),
    ("r404a", "Blends", "R404A", "R-404A"), ("r407a", "Blends", "R407A", "R-407A"),
    ("r407c", "Blends", "R407C", "R-407C"), ("r407f", "Blends", "R407F", "R-407F"),
    ("r410a", "Blends", "R410A", "R-410A"), ("r417a", "Blends", "R417A", "R-417A"),
    ("r422d", "Blends", "R422D", "R-422D"), ("r507a", "Blends", "R507A", "R-507A"),
)
#: DESNZ "Hotel stay" country names → ISO 3166 codes (the key is ``hotel.<code>``).
# Purchased goods by mass, from DESNZ "Material use", primary material production (cradle to gate):
# (key, Level 2, Level 3, English, bokmål, category). IT bought as an asset is capital goods (3.2).
MATERIALS = (
    ("goods.it_equipment", "Electrical items", "Electrical items - IT",
     "IT equipment (computers, screens, phones)", "IT-utstyr (datamaskiner, skjermer, telefoner)", 1),
    ("capital.it_equipment", "Electrical items", "Electrical items - IT",
     "IT equipment bought as capital goods", "IT-utstyr kjøpt som driftsmiddel", 2),
    ("goods.electrical_small", "Electrical items", "Electrical items - small", "Small electrical items",
     "Små elektriske artikler", 1),
    ("goods.food_and_drink", "Other", "Food and drink", "Food and drink (canteen, catering)",
     "Mat og drikke (kantine, servering)", 1),
    ("goods.paper", "Paper", "Paper and board: paper", "Paper (office paper, print)",
     "Papir (kontorpapir, trykk)", 1),
    ("goods.clothing", "Other", "Clothing", "Clothing and work wear", "Klær og arbeidstøy", 1),
)
HOTEL_COUNTRIES = {
    "UK": "gb", "UK (London)": "gb.london", "Argentina": "ar", "Australia": "au", "Austria": "at",
    "Belgium": "be", "Brazil": "br", "Canada": "ca", "Chile": "cl", "China": "cn", "Colombia": "co",
    "Costa Rica": "cr", "Czech Republic": "cz", "Egypt": "eg", "Fiji": "fj", "Finland": "fi", "France": "fr",
    "Germany": "de", "Greece": "gr", "Hong Kong, China": "hk", "India": "in", "Indonesia": "id",
    "Ireland": "ie", "Israel": "il", "Italy": "it", "Japan": "jp", "Jordan": "jo", "Kazakhstan": "kz",
    "Korea": "kr", "Macau, China": "mo", "Malaysia": "my", "Maldives": "mv", "Mexico": "mx",
    "Netherlands": "nl", "New Zealand": "nz", "Oman": "om", "Panama": "pa", "Peru": "pe",
    "Philippines": "ph", "Poland": "pl", "Portugal": "pt", "Qatar": "qa", "Romania": "ro",
    "Russian Federation": "ru", "Saudi Arabia": "sa", "Singapore": "sg", "South Africa": "za", "Spain": "es",
    "Switzerland": "ch", "Taiwan, China": "tw", "Thailand": "th", "Turkey": "tr",
    "United Arab Emirates": "ae", "United States": "us", "Vietnam": "vn",
}
# fmt: on
HOMES_NOTE = "UK homes, mostly gas-heated: high for Norway."
UK_KWH = ("Electricity: UK", "kWh", "", "kWh")
PER_FTE_HOUR = ("", "", "", "per FTE Working Hour")
# Keys read one by one.
# fmt: off
WATER_AND_HOMEWORKING = (
    CuratedSpec("water.supply", "Water supply", "Vannforsyning",
                ("Water supply", "Water supply", "Water supply", "", "", "cubic metres"),
                scope=3, category=1),
    CuratedSpec("water.treatment", "Wastewater treatment", "Avløpsrensing",
                ("Water treatment", "Water treatment", "Water treatment", "", "", "cubic metres"),
                scope=3, category=5),
    CuratedSpec("homeworking", "Homeworking (office equipment and heating)",
                "Hjemmekontor (kontorutstyr og oppvarming)",
                ("Homeworking", "Homeworking (office equipment + heating)", *PER_FTE_HOUR),
                scope=3, category=7, notes=HOMES_NOTE),
    CuratedSpec("homeworking.office_equipment", "Homeworking, office equipment", "Hjemmekontor, kontorutstyr",
                ("Homeworking", "Office Equipment", *PER_FTE_HOUR), scope=3, category=7),
    CuratedSpec("homeworking.heating", "Homeworking, heating", "Hjemmekontor, oppvarming",
                ("Homeworking", "Heating", *PER_FTE_HOUR), scope=3, category=7, notes=HOMES_NOTE),
)
UK_ELECTRICITY = (
    CuratedSpec("electricity.gb.location", "Electricity, UK grid (location-based)",
                "Strøm, britisk nett (lokasjonsbasert)",
                ("UK electricity", "Electricity generated", *UK_KWH), scope=2, basis=Basis.LOCATION),
    CuratedSpec("electricity.gb.td", "Electricity, UK transmission and distribution losses",
                "Strøm, britiske nettap",
                ("Transmission and distribution", "T&D- UK electricity", *UK_KWH), scope=3, category=3),
    CuratedSpec("electricity.gb.wtt", "Electricity, UK generation well-to-tank",
                "Strøm, britisk produksjon oppstrøm",
                ("WTT- UK electricity", "WTT- UK electricity (generation)", *UK_KWH), scope=3, category=3),
    CuratedSpec("electricity.gb.td.wtt", "Electricity, UK T&D losses well-to-tank",
                "Strøm, britiske nettap oppstrøm",
                ("WTT- UK electricity", "WTT- UK electricity (T&D)", *UK_KWH), scope=3, category=3),
)
# fmt: on
BEV_NOTE = ("Tailpipe only: a battery electric vehicle has no scope 1 emissions; enter its charging "
            "electricity under electricity.no.")
UK_EV_NOTE = "DESNZ includes UK grid electricity for electric and plug-in cars; Norwegian grid is cleaner."


def _with_wtt(main: CuratedSpec, wtt_path: Path6) -> list[CuratedSpec]:
    """A factor and its well-to-tank twin ``<key>.wtt`` (category 3 for scope 1/2 use, else the same)."""
    scope = main.scope or 3
    category = 3 if scope in (1, 2) else main.category
    wtt = CuratedSpec(
        f"{main.key}.wtt",
        f"{main.name}, well-to-tank",
        f"{main.name_nb}, oppstrøm (well-to-tank)",
        wtt_path,
        scope=3,
        category=category,
        region=main.region,
    )
    return [main, wtt]


def _fuels() -> list[CuratedSpec]:
    specs = []
    for slug, level2, level3, name, name_nb, bare_uom in FUELS:
        bare = ("", bare_uom, bare_uom, BARE_UNITS_NB.get(bare_uom, bare_uom))
        variants = [bare] + [(f".{s}", u, e, n) for s, u, e, n in FUEL_UNITS]
        for suffix, uom, unit_en, unit_nb in variants:
            main = CuratedSpec(
                f"fuel.{slug}{suffix}",
                f"{name}, {unit_en}",
                f"{name_nb}, {unit_nb}",
                ("Fuels", level2, level3, "", "", uom),
                scope=1,
            )
            specs += _with_wtt(main, ("WTT- fuels", level2, level3, "", "", uom))
    return specs


def _road(
    prefix: str, level1: str, scope: int, category: int | None, who_en: str, who_nb: str
) -> list[CuratedSpec]:
    """Cars by size and fuel per km (company cars scope 1; private cars in business travel/commuting)."""
    specs = []
    for size, size_level, size_en, size_nb in CAR_SIZES:
        for fuel, fuel_text, fuel_en, fuel_nb in CAR_FUELS:
            notes = (
                BEV_NOTE if scope == 1 and fuel == "bev" else UK_EV_NOTE if fuel in ("bev", "phev") else ""
            )
            main = CuratedSpec(
                f"{prefix}.{size}.{fuel}.km",
                f"{who_en}: {size_en}, {fuel_en}, per km",
                f"{who_nb}: {size_nb}, {fuel_nb}, per km",
                (level1, "Cars (by size)", size_level, "", fuel_text, "km"),
                scope=scope,
                category=category,
                notes=notes,
            )
            specs += _with_wtt(
                main,
                ("WTT- pass vehs & travel- land", "WTT- cars (by size)", size_level, "", fuel_text, "km"),
            )
    return specs


def _vans() -> list[CuratedSpec]:
    specs = []
    for cls, level3, cls_en, cls_nb in VAN_CLASSES:
        for fuel, fuel_text, fuel_en, fuel_nb in CAR_FUELS:
            main = CuratedSpec(
                f"van.{cls}.{fuel}.km",
                f"Company {cls_en}, {fuel_en}, per km",
                f"Firmabil {cls_nb}, {fuel_nb}, per km",
                ("Delivery vehicles", "Vans", level3, "", fuel_text, "km"),
                scope=1,
                notes=BEV_NOTE if fuel == "bev" else "",
            )
            specs += _with_wtt(
                main, ("WTT- delivery vehs & freight", "WTT- vans", level3, "", fuel_text, "km")
            )
    return specs


def _travel(prefix: str, category: int, who_en: str, who_nb: str) -> list[CuratedSpec]:
    specs = []
    for part, level2, level3, wtt_level2, uom, name, name_nb in PUBLIC_TRANSPORT:
        main = CuratedSpec(
            f"{prefix}.{part}",
            f"{who_en}: {name}",
            f"{who_nb}: {name_nb}",
            ("Business travel- land", level2, level3, "", "", uom),
            scope=3,
            category=category,
        )
        specs += _with_wtt(main, ("WTT- pass vehs & travel- land", wtt_level2, level3, "", "", uom))
    for part, level3, name, name_nb in FERRIES:
        main = CuratedSpec(
            f"{prefix}.ferry.{part}",
            f"{who_en}: {name}",
            f"{who_nb}: {name_nb}",
            ("Business travel- sea", "Ferry", level3, "", "", "passenger.km"),
            scope=3,
            category=category,
        )
        specs += _with_wtt(main, ("WTT- business travel- sea", "WTT- ferry", level3, "", "", "passenger.km"))
    return specs


def _flights() -> list[CuratedSpec]:
    """Each band and class with and without radiative forcing, and its well-to-tank factor."""
    return [
        CuratedSpec(
            f"flight.{band}.{cls}.{variant}",
            f"{band_en.capitalize()}, {cls_en}, {variant_en}",
            f"{band_nb.capitalize()}, {cls_nb}, {variant_nb}",
            (level1, level2, band_level, cls_level, rf_text, "passenger.km"),
            scope=3,
            category=6,
        )
        for band, band_level, band_en, band_nb in FLIGHT_BANDS
        for cls, cls_level, cls_en, cls_nb in FLIGHT_CLASSES
        for variant, level1, level2, rf_text, variant_en, variant_nb in FLIGHT_VARIANTS
    ]


def _single() -> list[CuratedSpec]:
    """Hotels, waste, water, homeworking, refrigerants and UK electricity."""
    specs = [
        CuratedSpec(
            f"hotel.{code}",
            f"Hotel night, {country}",
            f"Hotellovernatting, {country}",
            ("Hotel stay", "Hotel stay", country, "", "", "Room per night"),
            scope=3,
            category=6,
            region=code.split(".")[0].upper(),
        )
        for country, code in HOTEL_COUNTRIES.items()
    ]
    for fraction, level2, level3, name, name_nb in WASTE_FRACTIONS:
        for treatment, text, t_en, t_nb in WASTE_TREATMENTS:
            specs.append(
                CuratedSpec(
                    f"waste.{fraction}.{treatment}",
                    f"Waste: {name}, {t_en}",
                    f"Avfall: {name_nb}, {t_nb}",
                    ("Waste disposal", level2, level3, "", text, "tonnes"),
                    scope=3,
                    category=5,
                )
            )
    specs += [
        CuratedSpec(key, name, name_nb,
                    ("Material use", level2, level3, "", "Primary material production", "tonnes"),
                    scope=3, category=category)
        for key, level2, level3, name, name_nb, category in MATERIALS
    ]
    specs += WATER_AND_HOMEWORKING
    specs += [
        CuratedSpec(
            f"refrigerant.{slug}",
            f"Refrigerant {label} leaked, per kg",
            f"Kuldemedium {label}, lekkasje per kg",
            ("Refrigerant & other", level2, level3, "", "Emissions including only Kyoto products", "kg"),
            scope=1,
        )
        for slug, level2, level3, label in REFRIGERANTS
    ]
    specs += UK_ELECTRICITY
    return specs


CURATED_SPECS: tuple[CuratedSpec, ...] = tuple(
    _fuels()
    + _road("car", "Passenger vehicles", 1, None, "Company car", "Firmabil")
    + _vans()
    + _road("travel.car", "Business travel- land", 3, 6, "Business travel by car", "Tjenestereise med bil")
    + _road("commute.car", "Business travel- land", 3, 7, "Commuting by car", "Pendling med bil")
    + _travel("travel", 6, "Business travel", "Tjenestereise")
    + _travel("commute", 7, "Commuting", "Pendling")
    + _flights()
    + _single()
)
