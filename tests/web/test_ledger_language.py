"""Language sweep of the issue-4 pages (ledger imports, general-ledger preview, the spend part of the
account, overrides, the partner's spend mapping): every page in bokmål (the default) and in English.

Each page has pairs of (English, bokmål) texts a user sees there. In bokmål the English text must be
absent and the bokmål one present; in English the reverse, so neither language leaks into the other.
Numbers are part of the pairs where a page shows them, in each language's format (``1,650,000`` /
``1 650 000``; see ``spend_setup`` and ``small_saft`` for where they come from).

Left as they are, being data in a language by nature: account names from the ledger ("Lønn til
ansatte"), the ledger file's own column names ("Kontonavn"), CEDA sector names, source citations and
the mapping page's rationale texts shipped in klimabok/data/spend/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db.models import Field, Model
from django.test import Client
from django.utils import translation
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import LedgerImport, SpendLine, SpendOverride
from tests.web.conftest import ClientFor
from tests.web.spend_setup import spend_year
from tests.web.test_gl_import import HOVEDBOK, stage
from tests.web.test_ledger_upload import small_saft, text_of, upload

pytestmark = pytest.mark.django_db

YEAR = "/o/nordlys/2025/"
SPEND = YEAR + "account/spend/"
MAPPING = "/partner/spend-mapping/"
Pairs = list[tuple[str, str]]

# The ledger's list and imports. Ready: small_saft with 2 vouchers (3 transactions, 8 lines, debit =
# credit = 1 650 000 NOK, 1 000 000 of it IT at 0.012002989 kg/NOK = 12.0 t); failed: a 2024 file.
LIST: Pairs = [("Upload a SAF-T Financial file", "Last opp en SAF-T Financial-fil"),
               ("read, waiting for confirmation", "lest, venter på bekreftelse"),
               ("confirmed", "bekreftet"), ("failed", "feilet"), ("Uploaded", "Lastet opp"),
               ("Import general ledger (CSV/XLSX)", "Importer hovedbok (CSV/XLSX)")]
READY: Pairs = [("Transactions 3", "Transaksjoner 3"), ("Ledger lines 8", "Posteringer 8"),
                ("Company Nordlys Kundesenter AS", "Selskap Nordlys Kundesenter AS"),
                ("Total debit (NOK) 1,650,000", "Sum debet (NOK) 1 650 000"),
                ("Total credit (NOK) 1,650,000", "Sum kredit (NOK) 1 650 000"),
                ("IT services, software and telecom 1,000,000 12.0",
                 "IT-tjenester, programvare og telekom 1 000 000 12,0"),
                ("Coverage of the cost spend", "Dekning av kostnadene"), ("Unmapped", "Ikke fordelt"),
                ("the same months as this file", "de samme månedene som denne filen"),
                ("producer-price factor applied to purchaser-price spend",
                 "faktor i produsentpris brukt på kostnader i kjøperpris"),
                ("Delete the import", "Slett importen")]
CONFIRMED: Pairs = [("confirmed", "bekreftet"), ("By spend category", "Per kostnadskategori"),
                    ("Electricity and heating 100,000", "Strøm og oppvarming 100 000")]
FAILED: Pairs = [("The file could not be imported", "Filen kunne ikke importeres"),
                 ("which is not within the reporting year 2025", "som ikke er innenfor regnskapsåret 2025"),
                 ("Dismiss", "Fjern")]
GL: Pairs = [("Upload and preview", "Last opp og forhåndsvis"),
             ("Back to the ledger imports", "Tilbake til regnskapsimportene")]
GL_PREVIEW: Pairs = [("Account number", "Kontonummer"), ("– not in the file –", "– finnes ikke i filen –"),
                     ("Amount read", "Beløp lest"), ("Preview again", "Forhåndsvis på nytt")]

# The spend part of the account (spend_setup: 150 000 NOK counted, 3.0 t; 500 000 payroll excluded;
# 20 000 unmapped).
ACCOUNT: Pairs = [("From the accounting ledger (spend-based)", "Fra regnskapet (kostnadsbasert)"),
                  # the page's default view is market-based: 100 000 × 0.024373795 × 0.40491 / 0.015
                  # = 65 794.6222 kg, 99.1 % of 66 394.77165 kg (test_spend_account.py has the arithmetic)
                  ("Electricity and heating 100,000 0.6579 65.8 99.1 %",
                   "Strøm og oppvarming 100 000 0,6579 65,8 99,1 %"),
                  ("Spend-based electricity counts in both scope 2 totals: location-based 2.4 t CO₂e",
                   "Kostnadsbasert strøm telles i begge scope 2-totalene: lokasjonsbasert 2,4 t CO₂e"),
                  ("Excluded, not counted", "Utelatt, telles ikke"),
                  ("Mapped to a spend category 22.4 % · NOK 150,000",
                   "Knyttet til en kostnadskategori 22,4 % · NOK 150 000"),
                  ("Not mapped 3.0 % · NOK 20,000", "Ikke kartlagt 3,0 % · NOK 20 000")]
SPEND_ALL: Pairs = [("Counted 3.0 t CO₂e of NOK 150,000", "Telles med 3,0 t CO₂e av NOK 150 000"),
                    ("Factor and source", "Faktor og kilde"), ("1 ledger line", "1 postering"),
                    ("12 ledger lines", "12 posteringer"), ("Spend-based estimate", "Kostnadsbasert anslag"),
                    ("Spend: Electricity and heating", "Kostnad: Strøm og oppvarming"),
                    ("Excluded payroll: wages, pensions", "Utelatt lønn: lønn, pensjon"),
                    ("Back to the account", "Tilbake til regnskapet")]
OVERRIDE_FORM: Pairs = [("Use this spend category", "Bruk denne kostnadskategorien"),
                        ("Use the supplier's own factor", "Bruk leverandørens egen faktor"),
                        ("Exclude, with a reason", "Utelat, med begrunnelse"),
                        ("Source of the own factor", "Kilde for den egne faktoren"),
                        ("Save override", "Lagre overstyring")]
SPEND_ACCOUNT: Pairs = [("Account 6350 IT-kostnader", "Konto 6350 IT-kostnader"),
                        ("Supplier NOK", "Leverandør NOK"),
                        ("2 ledger lines 40,000", "2 posteringer 40 000"),
                        ("Override for account 6350", "Overstyring for konto 6350"), *OVERRIDE_FORM]
SPEND_SUPPLIER: Pairs = [("Supplier Skyhuset Drift AS", "Leverandør Skyhuset Drift AS"),
                         ("Counted 0.5 t CO₂e of NOK 40,000", "Telles med 0,5 t CO₂e av NOK 40 000"),
                         ("Override for supplier 20003", "Overstyring for leverandør 20003"), *OVERRIDE_FORM]
SPEND_CATEGORY: Pairs = [("IT services, software and telecom", "IT-tjenester, programvare og telekom"),
                         ("3 ledger lines 50,000", "3 posteringer 50 000")]
SPEND_EXCLUDED: Pairs = [("Excluded", "Utelatt"), ("1 ledger line 500,000", "1 postering 500 000")]
SPEND_UNMAPPED: Pairs = [("Not mapped: NOK 20,000 (no spend category; set one with an override)",
                          "Ikke kartlagt: NOK 20 000 (ingen kostnadskategori; velg en med en overstyring)")]
OVERRIDES_NONE: Pairs = [("No overrides", "Ingen overstyringer"),
                         ("the most specific wins (transaction, then supplier, then account)",
                          "den mest spesifikke gjelder (bilag, så leverandør, så konto)")]

# The partner's mapping (petra).
MAPPING_LIST: Pairs = [("Source and method", "Kilde og metode"), ("Change sectors", "Endre sektorer"),
                       ("covered by activity data", "dekket av aktivitetsdata"),
                       ("Mapped from", "Koblet fra")]
MAPPING_EDIT: Pairs = [("Spend mapping: Goods for resale and raw materials · klimabok",
                        "Kostnadskobling: Varer for videresalg og råvarer · klimabok"),
                       ("Choose the CEDA sectors this category uses",
                        "Velg CEDA-sektorene denne kategorien bruker"),
                       ("Save for all clients", "Lagre for alle kunder")]


def check(page: str, pairs: Pairs, language: str) -> None:
    for english, bokmal in pairs:
        shown, leak = (bokmal, english) if language == "nb" else (english, bokmal)
        assert shown in page, f"{language}: {shown!r} missing"
        assert leak not in page, f"{language}: {leak!r} shown"


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def year(nordlys: Organisation) -> ReportingYear:
    return spend_year(nordlys)


def in_language(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


LANGUAGES = pytest.mark.parametrize("language", ["nb", "en"])


@LANGUAGES
def test_ledger_imports_in_both_languages(language: str, year: ReportingYear, carl: User,
                                          client_for: ClientFor, tmp_path: Path,
                                          django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
                                          ) -> None:
    client = in_language(client_for(carl), language)

    def run_tasks() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    upload(client, small_saft(tmp_path / "a.xml", vouchers=2).read_bytes(), run_tasks, name="a.xml")
    upload(client, small_saft(tmp_path / "b.xml", year=2024).read_bytes(), run_tasks, name="b.xml")
    by_status = {imported.status: imported.pk for imported in LedgerImport.objects.all()}
    assert set(by_status) == {"ready", "confirmed", "failed"}
    check(text_of(client.get(YEAR + "ledger/")), LIST, language)
    check(text_of(client.get(f"{YEAR}ledger/{by_status['ready']}/")), READY, language)
    check(text_of(client.get(f"{YEAR}ledger/{by_status['confirmed']}/")), CONFIRMED, language)
    check(text_of(client.get(f"{YEAR}ledger/{by_status['failed']}/")), FAILED, language)
    check(text_of(client.get(YEAR + "ledger/gl/")), GL, language)
    check(text_of(client.get(stage(client, HOVEDBOK))), GL_PREVIEW, language)


@LANGUAGES
@pytest.mark.parametrize(("url", "pairs"), [
    (YEAR + "account/", ACCOUNT), (SPEND, SPEND_ALL), (SPEND + "?account=6350", SPEND_ACCOUNT),
    (SPEND + "?supplier=20003", SPEND_SUPPLIER), (SPEND + "?category=it_telecom", SPEND_CATEGORY),
    (SPEND + "?status=excluded", SPEND_EXCLUDED), (SPEND + "?status=unmapped", SPEND_UNMAPPED),
    (SPEND + "overrides/", OVERRIDES_NONE),
], ids=["account", "spend", "account-6350", "supplier-20003", "category", "excluded", "unmapped",
        "overrides"])
def test_spend_pages_in_both_languages(language: str, url: str, pairs: Pairs, year: ReportingYear, carl: User,
                                       client_for: ClientFor) -> None:
    response = in_language(client_for(carl), language).get(url)
    assert response.status_code == 200
    check(text_of(response), pairs, language)


@LANGUAGES
def test_overrides_and_their_messages_in_both_languages(language: str, year: ReportingYear, carl: User,
                                                        client_for: ClientFor) -> None:
    client = in_language(client_for(carl), language)
    overrides = SPEND + "overrides/"
    for data in [{"target": "account", "key": "6790", "action": "category", "category": "it_telecom"},
                 {"target": "supplier", "key": "20004", "action": "factor", "kg_co2e_per_nok": "0.02",
                  "source": "rapport"},
                 {"target": "transaction", "key": "T1", "action": "exclude", "excluded_reason": "privat"}]:
        assert client.post(overrides, {"next": SPEND, **data}).status_code == 302
    # no reason given: refused
    client.post(overrides, {"next": SPEND, "target": "supplier", "key": "20003", "action": "exclude"})
    assert SpendOverride.objects.count() == 3
    page = text_of(client.get(overrides))
    check(page, [("Override saved: the account now uses it.",
                  "Overstyringen er lagret: regnskapet bruker den nå."),
                 ("The override was not saved: Say why it is excluded.",
                  "Overstyringen ble ikke lagret: Oppgi hvorfor den utelates."),
                 ("Applies to", "Gjelder"), ("Set by", "Satt av"), ("Remove override", "Fjern overstyringen"),
                 ("Account 6790 Annen fremmed tjeneste Spend category: IT services, software and telecom",
                  "Konto 6790 Annen fremmed tjeneste Kostnadskategori: IT-tjenester, programvare og telekom"),
                 ("Supplier 20004 Nordic Software AS Own factor 0.02 kg CO₂e per NOK (source: rapport)",
                  "Leverandør 20004 Nordic Software AS Egen faktor 0,02 kg CO₂e per NOK (kilde: rapport)"),
                 ("Transaction T1 Excluded: privat", "Bilag T1 Utelatt: privat")], language)


@LANGUAGES
def test_partner_spend_mapping_in_both_languages(language: str, petra: User, client_for: ClientFor) -> None:
    client = in_language(client_for(petra), language)
    check(text_of(client.get(MAPPING)), MAPPING_LIST, language)
    check(text_of(client.get(MAPPING + "goods_for_resale/")), MAPPING_EDIT, language)
    response = client.post(MAPPING + "goods_for_resale/", {"ceda_sectors": "311810 999999", "rationale": ""})
    assert response.status_code == 400
    check(text_of(response), [("'999999' is not an Open CEDA 2025 sector code",
                               "«999999» er ikke en sektorkode i Open CEDA 2025")], language)


def verbose_name(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field), name  # a model's own field, not a reverse relation
    return str(field.verbose_name)


def test_ledger_field_names_are_bokmal() -> None:
    """Field names marked for translation in klimabok/ledger/models.py have their bokmål text."""
    fields = {(LedgerImport, "company_name"): "selskap", (LedgerImport, "transactions"): "transaksjoner",
              (LedgerImport, "line_count"): "posteringer", (LedgerImport, "total_debit"): "sum debet (NOK)",
              (LedgerImport, "total_credit"): "sum kredit (NOK)", (SpendLine, "account_id"): "konto",
              (SpendLine, "account_description"): "kontonavn", (SpendLine, "supplier_id"): "leverandør",
              (SpendLine, "category"): "kostnadskategori", (SpendLine, "excluded"): "utelatt fordi",
              (SpendLine, "rule"): "regel", (SpendLine, "net_nok"): "netto (NOK)",
              (SpendOverride, "target"): "gjelder", (SpendOverride, "key"): "konto, leverandør eller bilag",
              (SpendOverride, "kg_co2e_per_nok"): "egen faktor (kg CO2e per NOK)",
              (SpendOverride, "source"): "kilde for den egne faktoren", (SpendOverride, "note"): "merknad"}
    with translation.override("nb"):
        names = {(model, name): verbose_name(model, name) for model, name in fields}
        assert names == fields
        assert [str(label) for _, label in SpendOverride.Target.choices] == ["konto", "leverandør", "bilag"]
