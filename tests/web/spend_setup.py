"""A small, hand-checkable ledger import for nordlys 2025 (confirmed, as the account counts it).

Spend factors (klimabok/data/spend/factors.csv, the 2025 rows, column kg_co2e_per_nok):

- ``electricity_heat,2025,0.024373795`` (row 3)
- ``it_telecom,2025,0.012002989`` (row 5)

(``test_spend_account.py::test_factors_are_the_csv_rows`` checks these are still the rows.)

Spend lines (net NOK, debit − credit):

==========  ==============================  =========  ==================  ==========
account     supplier                        NOK        category            kg CO2e
==========  ==============================  =========  ==================  ==========
6340        20001 Oslo Kraft AS             100 000    electricity_heat    2 437.3795
6350        20003 Skyhuset Drift AS          40 000    it_telecom            480.11956
6350        20004 Nordic Software AS         10 000    it_telecom            120.02989
5000        (none)                          500 000    payroll (excluded)        —
6790        20009 Ukjent Tjeneste AS         20 000    unmapped                  —
==========  ==============================  =========  ==================  ==========

Skyhuset's 40 000 are two vouchers: T1 25 000 ("Skylisens januar") and T2 15 000.
Counted: 150 000 NOK, 2 437.3795 + 480.11956 + 120.02989 = 3 037.52895 kg = 3.0 t.
Coverage of the 670 000 NOK cost spend: mapped 150 000 (22.4 %), excluded 500 000 (74.6 %),
unmapped 20 000 (3.0 %).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from klimabok.accounts.models import Organisation
from klimabok.core.spend import ExclusionReason, exclusion_message
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import LedgerImport, Posting, SpendLine

ELECTRICITY_PER_NOK = Decimal("0.024373795")
IT_PER_NOK = Decimal("0.012002989")


def spend_year(organisation: Organisation, year: int = 2025) -> ReportingYear:
    """``organisation``'s ``year`` with the import above."""
    reporting_year = ReportingYear.objects.create(organisation=organisation, year=year)
    add_import(reporting_year)
    return reporting_year


def add_import(reporting_year: ReportingYear) -> LedgerImport:
    imported = LedgerImport.objects.create(
        reporting_year=reporting_year, filename="nordlys-2025.xml", sha256="0" * 64,
        audit_file_version="1.30", company_name="Nordlys Kundesenter AS", status="confirmed")

    def line(account: str, description: str, supplier: str, name: str, nok: int, *, category: str = "",
             excluded: str = "", lines: int = 1) -> SpendLine:
        return SpendLine.objects.create(
            ledger_import=imported, account_id=account, account_description=description, supplier_id=supplier,
            supplier_name=name, supplier_org_number="912345674" if supplier else "", category=category,
            excluded=excluded, rule=f"grouping code {account}", lines=lines, net_nok=Decimal(nok))

    line("6340", "Lys, varme", "20001", "Oslo Kraft AS", 100_000, category="electricity_heat", lines=12)
    sky = line("6350", "IT-kostnader", "20003", "Skyhuset Drift AS", 40_000, category="it_telecom", lines=2)
    line("6350", "IT-kostnader", "20004", "Nordic Software AS", 10_000, category="it_telecom")
    payroll = str(exclusion_message(ExclusionReason.PAYROLL))
    line("5000", "Lønn til ansatte", "", "", 500_000, excluded=payroll)
    line("6790", "Annen fremmed tjeneste", "20009", "Ukjent Tjeneste AS", 20_000)
    Posting.objects.create(spend_line=sky, transaction_id="T1", record_id="1", date=date(2025, 1, 31),
                           period=1, description="Skylisens januar", amount=Decimal(25_000))
    Posting.objects.create(spend_line=sky, transaction_id="T2", record_id="1", date=date(2025, 2, 28),
                           period=2, description="Skylisens februar", amount=Decimal(15_000))
    return imported
