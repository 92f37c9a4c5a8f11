"""Registry exports read into blocks: the real files count and check out; bad files name row and column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from klimabok.core.credits.registries import (
    CreditKind,
    read_gold_standard_issuances,
    read_isometric_issuances,
    read_registry_export,
    read_verra_transactions,
)
from klimabok.core.errors import InputError, InputErrors

REGISTRIES = Path(__file__).resolve().parent / "data" / "registries"

VERRA_HEADER = ("Issuance Date,Sustainable Development Goals,Vintage Start,Vintage End,ID,Name,Country/Area,"
                "Project Type,Methodology,Total Vintage Quantity,Quantity Issued,Serial Number,"
                "Additional Certifications,Retirement/Cancellation Date,Retirement Beneficiary,"
                "Retirement Reason,Retirement Details\n")
BALE_ROW = ("2026-04-03,,2020-01-01,2020-12-31,1340,Bale Mountains Eco-region REDD+ project,Ethiopia,"
            "Agriculture Forestry and Other Land Use,VM0015,\"1,454,054\",425,"
            "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1,CCB-No Distinction,"
            "2026-04-10,,,\n")


def write(tmp_path: Path, text: str, name: str = "transactions.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_real_verra_export() -> None:
    blocks = read_verra_transactions(REGISTRIES / "verra" / "transactions.csv")
    assert len(blocks) == 200  # 201 lines: header + 200 rows
    # Row 2: 2026-04-03,,2020-01-01,2020-12-31,1340,Bale Mountains Eco-region REDD+ project,Ethiopia,…,VM0015,
    #        "1,454,054",425,19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1,
    #        CCB-No Distinction,2026-04-10,,,
    bale = blocks[0]
    assert (bale.row, bale.quantity) == (2, 425)  # 941467431 − 941467007 + 1 = 425 = "Quantity Issued"
    assert (bale.project.project_id, bale.project.name, bale.project.methodology) == (
        "1340", "Bale Mountains Eco-region REDD+ project", "VM0015")
    assert (bale.labels, bale.kind, bale.issued_on) == (
        ("CCB-No Distinction",), CreditKind.UNKNOWN, date(2026, 4, 3))
    assert bale.retirement is not None and bale.retirement.retired_on == date(2026, 4, 10)
    # Row 4: Tongxu Biogas, "28,571" issued, 19381-941412555-941441125-…, retired for Lindblad Expeditions
    tongxu = blocks[2]
    assert tongxu.quantity == 28571  # 941441125 − 941412555 + 1
    assert tongxu.retirement is not None and tongxu.retirement.beneficiary == (
        "Lindblad Expeditions Family of Companies")
    ccp = [b for b in blocks if b.has_label("ICVCM CCP")]
    assert len(ccp) == 3
    authorised = [b for b in blocks if b.article6]
    assert len(authorised) == 24  # 19 + 5 rows with "Article 6 Authorized – …" labels
    assert sum(b.kind == CreditKind.REMOVAL for b in blocks) == 3  # "Carbon Dioxide Removals"
    assert sum(b.retirement is None for b in blocks) == 100


def test_the_real_gold_standard_exports() -> None:
    issued = read_gold_standard_issuances(REGISTRIES / "gold-standard" / "issuances.csv")
    assert len(issued) == 100
    # Row 2: 2024,Issued,19149,11236,BioLite Improved Cook stoves Programme - CPA 028 …,Uganda,…,VER,…,
    #        GS1-1-UG-GS11236-16-2024-30307-1-19149,Emission Reduction,Not Applicable
    biolite = issued[0]
    assert (biolite.quantity, biolite.product_type, biolite.vintage_year, biolite.kind) == (
        19149, "VER", 2024, CreditKind.REDUCTION)
    assert (biolite.serial.identity, biolite.project.project_id, biolite.article6) == (
        "gold-standard:GS1:30307", "11236", "")
    cers = [b for b in issued if b.serial.registry == "cdm"]
    assert [(b.product_type, b.quantity, b.vintage_year) for b in cers] == [
        ("CER", 3657, 2019), ("CER", 3845, 2018), ("CER", 133, 2017)]  # e.g. 1467609 − 1463953 + 1 = 3657
    assert sum(b.has_label("ICVCM CCP") for b in issued) == 2  # Label "ICVCM CCP, Emission Reduction"

    retired = read_gold_standard_issuances(REGISTRIES / "gold-standard" / "retirements.csv")
    assert len(retired) == 100
    # Row 2: 2025,Retired,5354,11603,…,GS1-1-KE-GS11603-16-2025-30256-110-5463,"Retirement on behalf of Hilti
    #        Corporation …",,Emission Reduction,Voluntary,Hilti Corporation,Not Applicable
    hilti = retired[0]
    assert hilti.quantity == 5354  # 5463 − 110 + 1
    assert hilti.retirement is not None
    assert (hilti.retirement.retired_on, hilti.retirement.beneficiary, hilti.retirement.status) == (
        date(2026, 4, 10), "Hilti Corporation", "retired")
    assert sum(b.kind == CreditKind.REMOVAL for b in retired) == 3  # Label "Emission Removal"


def test_the_real_isometric_export_with_its_projects() -> None:
    blocks = read_isometric_issuances(REGISTRIES / "isometric" / "issuances.csv",
                                      projects=REGISTRIES / "isometric" / "projects.csv")
    assert len(blocks) == 100
    # Row 2: iss_1KP6EDZ8K1S036PY,2026-04-14T16:50:41Z,prj_1JYCV03BW1S0RTE5,…,Alt Carbon,…,
    #        supplier 2710.062, buffer 55.308, total 2765.37 credits
    alt = blocks[0]
    # whole tonnes of the supplier's 2710.062
    assert alt.serial.raw == "isometric:iss_1KP6EDZ8K1S036PY:1-2710"
    assert (alt.total_credits, alt.buffer_credits) == (Decimal("2765.37"), Decimal("55.308"))
    assert (alt.kind, alt.vintage_year, alt.issued_on) == (CreditKind.REMOVAL, 2026, date(2026, 4, 14))
    assert (alt.project.name, alt.project.country, alt.project.methodology) == (
        "Darjeeling Revival: Alt x MOL", "IND", "enhanced-weathering-agriculture")
    plain = read_registry_export(REGISTRIES / "isometric" / "issuances.csv", "isometric")
    assert plain[0].project.name == "" and plain[0].serial == alt.serial


def test_thousands_separators_read(tmp_path: Path) -> None:
    row = BALE_ROW.replace(",425,", ',"1,000",').replace("941467431", "941468006")
    # 941468006 − 941467007 + 1 = 1000 = "1,000"
    assert read_verra_transactions(write(tmp_path, VERRA_HEADER + row))[0].quantity == 1000


def test_a_missing_column_names_the_file_and_the_column(tmp_path: Path) -> None:
    header = VERRA_HEADER.replace(",Quantity Issued", "")
    row = BALE_ROW.replace(",425,", ",")
    with pytest.raises(InputErrors, match="required column 'Quantity Issued' is missing") as caught:
        read_verra_transactions(write(tmp_path, header + row))
    assert [str(e) for e in caught.value.errors] == [
        "transactions.csv, row 1, column Quantity Issued: required column 'Quantity Issued' is missing "
        "(is this a verra export?)"]


def test_bad_rows_are_all_named_and_nothing_is_read(tmp_path: Path) -> None:
    broken_serial = BALE_ROW.replace("19385-941467007-941467431-VCS", "19385-941467007-VCS")
    mismatch = BALE_ROW.replace(",425,", ",400,")
    wrong_project = BALE_ROW.replace(",1340,", ",1341,")
    first = r"^3 error\(s\):\ntransactions\.csv, row 3, column Serial Number: "
    with pytest.raises(InputErrors, match=first) as caught:
        read_verra_transactions(write(tmp_path, VERRA_HEADER + BALE_ROW + broken_serial + mismatch
                                      + "\n" + wrong_project))
    errors = caught.value.errors
    assert [(e.row, e.field) for e in errors] == [(3, "Serial Number"), (4, "Quantity Issued"), (6, "ID")]
    assert str(errors[0]).startswith(
        "transactions.csv, row 3, column Serial Number: '19385-941467007-VCS-VCU-")
    assert "is not a verra serial number: expected the form 19385-941467007-941467431-VCS-" in str(errors[0])
    assert str(errors[1]) == ("transactions.csv, row 4, column Quantity Issued: quantity 400 does not match "
                              "serial range 941467007–941467431 (end − start + 1 = 425)")
    assert str(errors[2]) == ("transactions.csv, row 6, column ID: '1341' disagrees with the serial number, "
                              "which says '1340'")


GS_HEADER = ("Vintage,Credit Status,Quantity,GSID,Project Name,Project Developer,Country,Project Type,"
             "Methodology,Programme of Activities,POA GSID,Product Type,Issuance Date,"
             "Monitoring Period Start,Monitoring Period End,Serial Number,Label,Article Six Authorization\n")
GS_ROW = ("2025,Issued,5354,11603,Efficient and Clean Cooking,ECC,Kenya,Energy Efficiency - Domestic,"
          "GS TPDDTEC v3.1,VPA,10789.0,{product},2026-03-31,2024-03-02,2025-03-10,"
          "GS1-1-KE-GS11603-16-2025-30256-110-5463,{label},Not Applicable\n")


def test_gold_standard_product_type_and_labels(tmp_path: Path) -> None:
    text = GS_HEADER + GS_ROW.format(product="PER", label='"ICVCM CCP, Emission Removal"')
    [block] = read_gold_standard_issuances(write(tmp_path, text, "issuances.csv"))
    assert (block.product_type, block.serial.unit_type, block.labels, block.kind) == (
        "PER", "PER", ("ICVCM CCP", "Emission Removal"), CreditKind.REMOVAL)


def test_gold_standard_vintage_must_agree_with_the_serial(tmp_path: Path) -> None:
    text = GS_HEADER + GS_ROW.format(product="VER", label="").replace("2025,Issued", "2024,Issued")
    with pytest.raises(InputErrors, match=r"row 2, column Vintage: '2024' disagrees with the serial number"):
        read_gold_standard_issuances(write(tmp_path, text, "issuances.csv"))


ISO_HEADER = ("id,issued_at,project_id,supplier.organisation.name,supplier_credit_batch_size_total.credits,"
              "buffer_pool_credit_batch_size_total.credits,credit_batch_size_total.credits\n")


def test_isometric_needs_a_whole_credit_and_numbers(tmp_path: Path) -> None:
    text = ISO_HEADER + "iss_A,2026-01-02T00:00:00Z,prj_A,X,0.5,0.01,0.51\niss_B,2026-01-02,prj_B,X,abc,0,1\n"
    first = r"^2 error\(s\):\nissuances\.csv, row 2, column supplier_credit_batch_size_total\.credits: 0\.5 "
    with pytest.raises(InputErrors, match=first) as caught:
        read_isometric_issuances(write(tmp_path, text, "issuances.csv"))
    assert [str(e) for e in caught.value.errors] == [
        "issuances.csv, row 2, column supplier_credit_batch_size_total.credits: 0.5 credits: less than one "
        "whole credit to hold",
        "issuances.csv, row 3, column supplier_credit_batch_size_total.credits: 'abc' is not a number"]


def test_an_unknown_format_and_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown registry export format 'acr'"):
        read_registry_export(write(tmp_path, VERRA_HEADER), "acr")
    with pytest.raises(InputErrors, match=r"empty \(no header in row 1\)"):
        read_verra_transactions(write(tmp_path, ""))
    assert read_verra_transactions(write(tmp_path, VERRA_HEADER)) == []
