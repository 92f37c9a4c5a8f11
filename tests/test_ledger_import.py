"""SAF-T import into a reporting year (issue 4 §3): spend lines join the account, all or nothing."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation
from klimabok.core.engine import AccountResult
from klimabok.core.errors import InputError, InputErrors
from klimabok.core.factors.model import FactorDataset
from klimabok.core.saft import summarise
from klimabok.core.spend import categories
from klimabok.core.spend.factors import SectorChoice
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.inventory.services import YearClosed
from klimabok.ledger.models import LedgerImport, SpendLine
from klimabok.ledger.read_models import spend_line_id_of
from klimabok.ledger.services import delete_import, import_saft

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from generate_saft import generate  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> ReportingYear:
    org = Organisation.objects.create(slug="nordlys", name="Nordlys Kundesenter AS")
    return ReportingYear.objects.create(organisation=org, year=2025)


@pytest.fixture
def saft_file(tmp_path: Path) -> Path:
    return generate(tmp_path / "nordlys-2025.xml", 400, seed=3, year=2025)


def _spend_tonnes(account: AccountResult, scope_label: str | None = None) -> float:
    return sum(line.t_co2e for line in account.lines
               if line.ref.startswith("spend:") and (scope_label is None or line.scope_label == scope_label))


def test_import_adds_scope_3_1_spend_equal_to_account_emissions(year: ReportingYear, saft_file: Path) -> None:
    before = load_account(year)
    imported = import_saft(year, saft_file, None)
    after = load_account(year)

    summary = summarise(saft_file)
    table = {c.key: c for c in categories()}
    by_hand = sum((item.t_co2e for item in summary.accounts
                   if item.t_co2e is not None and item.category
                   and table[item.category].scope == 3 and table[item.category].ghg_category == 1),
                  Decimal(0))
    assert by_hand > 0
    added = after.by_category().get("scope_3.1", 0.0) - before.by_category().get("scope_3.1", 0.0)
    assert added == pytest.approx(float(by_hand), rel=1e-6, abs=1e-3)
    # the stored import agrees with the reader's summary
    assert imported.line_count == summary.lines
    assert imported.transactions == summary.transactions
    assert imported.total_debit == summary.total_debit
    assert imported.company_name == "Nordlys Kundesenter AS"
    assert imported.t_co2e == pytest.approx(summary.t_co2e, abs=Decimal("0.01"))
    assert imported.coverage["mapped_share"] > 0
    # every spend result line leads back to a stored spend line, tier 4
    spend = [line for line in after.lines if line.ref.startswith("spend:")]
    assert spend and all(line.data_quality == 4 and line.activity.startswith("spend.") for line in spend)
    ids = {spend_line_id_of(line.ref) for line in spend}
    assert ids <= set(SpendLine.objects.filter(ledger_import=imported).values_list("id", flat=True))
    # one row per (account, supplier), far fewer than ledger lines
    assert SpendLine.objects.filter(ledger_import=imported).count() < imported.line_count


def test_uploaded_file_and_delete(year: ReportingYear, saft_file: Path) -> None:
    upload = SimpleUploadedFile("upload.xml", saft_file.read_bytes())
    imported = import_saft(year, upload, None)
    assert imported.filename == "upload.xml"
    assert load_account(year).totals.total_location > 0
    assert delete_import(imported) > 0
    assert not SpendLine.objects.exists()
    assert load_account(year).totals.total_location == 0


def test_same_file_twice_refused_naming_the_earlier_import(year: ReportingYear, saft_file: Path,
                                                           tmp_path: Path) -> None:
    import_saft(year, saft_file, None)
    copy = tmp_path / "again.xml"
    copy.write_bytes(saft_file.read_bytes())
    with pytest.raises(InputError, match=re.escape("already imported as “nordlys-2025.xml”")):
        import_saft(year, copy, None)
    assert LedgerImport.objects.count() == 1


def test_closed_year_refused(year: ReportingYear, saft_file: Path) -> None:
    year.status = ReportingYear.Status.CLOSED
    year.save()
    # the message is in the request's language: bokmål here, whatever an earlier test left active
    with translation.override("nb"), \
            pytest.raises(YearClosed, match=f"^{year.year} er lukket: åpne året igjen for å endre dataene"):
        import_saft(year, saft_file, None)
    assert not LedgerImport.objects.exists()


def test_bad_total_imports_nothing(year: ReportingYear, saft_file: Path, tmp_path: Path) -> None:
    text = saft_file.read_text(encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text(re.sub(r"<TotalDebit>[^<]*<", "<TotalDebit>1.00<", text, count=1), encoding="utf-8")
    with pytest.raises((InputError, InputErrors), match=re.escape("TotalDebit says 1.00")):
        import_saft(year, bad, None)
    assert not LedgerImport.objects.exists() and not SpendLine.objects.exists()


def test_period_outside_the_year_refused(saft_file: Path) -> None:
    org = Organisation.objects.create(slug="other", name="Other AS")
    year_2024 = ReportingYear.objects.create(organisation=org, year=2024)
    with pytest.raises(InputError, match="not within the reporting year 2024"):
        import_saft(year_2024, saft_file, None)
    assert not LedgerImport.objects.exists()


def test_electricity_spend_excluded_when_the_year_has_kwh(year: ReportingYear, saft_file: Path) -> None:
    """kWh of the suppliers on the file's electricity account exclude exactly that spend; kWh that name no
    supplier, voucher or cost leave it counted (and flagged): issue 10, High 5."""
    imported = import_saft(year, saft_file, None)
    electricity = SpendLine.objects.filter(ledger_import=imported, category="electricity_heat")
    assert electricity.exists()
    electricity_ids = set(electricity.values_list("id", flat=True))
    counted = {spend_line_id_of(line.ref) for line in load_account(year).lines}
    assert electricity_ids & counted  # no kWh yet: the electricity account counts, spend-based

    entry = ActivityEntry.objects.create(reporting_year=year, activity="electricity.no",
                                         quantity=Decimal(120000), unit="kWh")
    counted = {spend_line_id_of(line.ref) for line in load_account(year).lines}
    assert electricity_ids <= counted  # nothing says which spend these kWh are
    entry.details = {"supplier": "; ".join(electricity.values_list("supplier_name", flat=True))}
    entry.save()
    account = load_account(year)
    counted = {spend_line_id_of(line.ref) for line in account.lines}
    assert not electricity_ids & counted
    assert counted - {None}  # other spend still counts
    kwh = [line for line in account.lines if line.ref.startswith("entry:")]
    assert kwh and all(line.activity == "electricity.no" for line in kwh)



def test_closing_pins_the_spend_factors_and_a_release_that_changes_them_leaves_the_account_alone(
        year: ReportingYear, saft_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Spend lines are part of a closed account like entries: their factor dataset is pinned and archived."""
    from klimabok.account.services import close_year
    from klimabok.core.spend import factors as spend_factors
    from klimabok.factors.models import StoredDataset

    import_saft(year, saft_file, None)
    open_total = load_account(year).totals.scope_3
    close_year(year, None)
    year.refresh_from_db()
    assert year.pinned_datasets is not None
    [spend_ref] = [r for r in year.pinned_datasets if r.startswith("open-ceda-2025-spend@")]
    assert StoredDataset.objects.filter(dataset_id="open-ceda-2025-spend").count() == 1
    assert year.closed_lines is not None
    assert {line[0] for line in year.closed_lines} & {f"spend.{c.key}" for c in categories()}

    # A "release" doubles every spend factor under a new content version.
    original = spend_factors.spend_factor_dataset

    def doubled(y: int, chosen: SectorChoice | None = None) -> FactorDataset:
        from dataclasses import replace
        data = original(y, chosen)
        return replace(data, version=data.version + "-next",
                       factors=tuple(replace(f, kg_co2e=f.kg_co2e * 2) for f in data.factors))

    monkeypatch.setattr("klimabok.ledger.read_models.spend_factor_dataset", doubled)
    assert load_account(year).totals.scope_3 == pytest.approx(open_total)
    assert spend_ref in year.pinned_datasets


def test_year_page_overview_and_account_show_the_same_totals_after_an_import(
        year: ReportingYear, saft_file: Path) -> None:
    from klimabok.account.read_models import load_year_accounts, load_year_overview

    import_saft(year, saft_file, None)
    account = load_account(year)
    assert account.totals.scope_3 > 0
    overview = load_year_overview(year).account
    assert overview is not None and overview.totals == account.totals
    listed = load_year_accounts([year])[year.pk]
    assert not isinstance(listed, Exception) and listed.totals == account.totals


# --- The postings, as written: INSERTs on SQLite, COPY on PostgreSQL (issue 14) ------------------------

#: A description with what COPY's text format must escape (tab, newline, backslash) and what XML does.
AWKWARD = "Kaffe\tog te \\ «sitat» \"x\" ø & linje1\nlinje2"


def _awkward_file(saft_file: Path, tmp_path: Path) -> Path:
    """The fixture's file with the first cost line's description made :data:`AWKWARD`."""
    text = saft_file.read_text(encoding="utf-8")
    escaped = AWKWARD.replace("&", "&amp;").replace("\n", "&#10;")
    # light/heat: a cost account, so it has postings
    at = text.index("<AccountID>6340</AccountID>", text.index("<GeneralLedgerEntries>"))
    start = text.index("<Description>", at) + len("<Description>")
    end = text.index("</Description>", start)
    path = tmp_path / "awkward.xml"
    path.write_text(text[:start] + escaped + text[end:], encoding="utf-8")
    return path


def _expected_postings(path: Path) -> list[tuple[object, ...]]:
    """The postings an import must hold, from the reader alone: every line of an account that is
    neither balance sheet nor revenue, amounts to øre."""
    from klimabok.core.saft import SaftReader
    from klimabok.core.spend import ExclusionReason, classify, exclusion_message

    reader = SaftReader(path)
    lines = list(reader.lines())
    no_postings = {exclusion_message(ExclusionReason.BALANCE_SHEET),
                   exclusion_message(ExclusionReason.REVENUE)}
    kept = []
    for line in lines:
        account = reader.accounts[line.account_id]
        found = classify(line.account_id, grouping_category=account.grouping_category,
                         grouping_code=account.grouping_code, standard_account_id=account.standard_account_id,
                         description=account.description)
        if found.excluded not in no_postings:
            kept.append((line.account_id, line.supplier_id or "", line.transaction_id, line.record_id,
                         line.date, line.period, line.description, line.amount.quantize(Decimal("0.01"))))
    return sorted(kept)


def _stored_postings(imported: LedgerImport) -> list[tuple[object, ...]]:
    from klimabok.ledger.models import Posting

    return sorted(Posting.objects.filter(spend_line__ledger_import=imported).values_list(
        "spend_line__account_id", "spend_line__supplier_id", "transaction_id", "record_id", "date", "period",
        "description", "amount"))


def test_imported_postings_are_the_ledger_lines_exactly(year: ReportingYear, saft_file: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rows whichever backend writes them (run with DATABASE_URL for PostgreSQL's COPY path)."""
    from django.db import connection

    from klimabok.ledger.services import spend_lines

    copied: list[int] = []
    copy = spend_lines._copy_postings
    monkeypatch.setattr(spend_lines, "_copy_postings",
                        lambda *args: copied.append(1) or copy(*args))  # type: ignore[func-returns-value]
    path = _awkward_file(saft_file, tmp_path)
    imported = import_saft(year, path, None)
    expected = _expected_postings(path)
    assert len(expected) > 100
    assert any(row[6] == AWKWARD for row in expected)
    assert _stored_postings(imported) == expected
    assert copied == ([1] if connection.vendor == "postgresql" else [])
    # each posting hangs under the spend line of its (account, supplier), whose line count agrees
    counts: dict[tuple[object, object], int] = {}
    for row in expected:
        counts[(row[0], row[1])] = counts.get((row[0], row[1]), 0) + 1
    spend = SpendLine.objects.filter(ledger_import=imported)
    stored = {(line.account_id, line.supplier_id): line.lines for line in spend
              if (line.account_id, line.supplier_id) in counts}
    assert stored == counts


@pytest.mark.postgres
def test_a_copy_that_fails_leaves_nothing_of_the_import(year: ReportingYear, saft_file: Path,
                                                        tmp_path: Path) -> None:
    """PostgreSQL refuses a posting mid-COPY (a period beyond smallint): the worker's import fails and
    neither its spend lines nor any posting stay — the COPY is inside the import's transaction."""
    from django.core.files import File
    from django.db import connection

    from klimabok.ledger.models import Posting
    from klimabok.ledger.services import process_import, start_import

    if connection.vendor != "postgresql":
        pytest.skip("the COPY path is PostgreSQL's (SQLite stores any integer in the period)")
    text = saft_file.read_text(encoding="utf-8")
    last = text.rindex("<Period>")  # the last voucher's period, so COPY has sent most rows before it
    bad = tmp_path / "period.xml"
    bad.write_text(text[:last] + "<Period>70000" + text[text.index("</Period>", last):], encoding="utf-8")
    assert any(row[5] == 70000 for row in _expected_postings(bad))  # a posting carries it
    with bad.open("rb") as handle:
        imported = start_import(year, File(handle, name=bad.name), None)
    imported = process_import(imported)
    assert imported.status == LedgerImport.Status.FAILED
    assert "unexpected error" in str(imported.errors)
    assert not SpendLine.objects.filter(ledger_import=imported).exists()
    assert not Posting.objects.exists()

