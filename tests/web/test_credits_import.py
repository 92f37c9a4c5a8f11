"""Importing registry exports into a partner's portfolio: all-or-nothing, no overlap, screened, shown."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from klimabok.accounts.models import Organisation, User
from klimabok.audit.models import Event
from klimabok.core.errors import InputErrors
from klimabok.credits import services
from klimabok.credits.models import CreditBlock, CreditRange, RegistryImport
from tests.web.conftest import ClientFor

DATA = Path(__file__).resolve().parents[1] / "data" / "registries"

VERRA_HEADER = (
    "Issuance Date,Sustainable Development Goals,Vintage Start,Vintage End,ID,Name,Country/Area,"
    "Project Type,Methodology,Total Vintage Quantity,Quantity Issued,Serial Number,"
    "Additional Certifications,Retirement/Cancellation Date,Retirement Beneficiary,"
    "Retirement Reason,Retirement Details\n"
)
SERIAL = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"  # 425 credits


def verra_csv(*rows: str) -> bytes:
    return (VERRA_HEADER + "".join(rows)).encode()


def verra_row(
    serial: str = SERIAL,
    quantity: int = 425,
    labels: str = "ICVCM CCP;Carbon Dioxide Removals",
    vintage: str = "2020",
) -> str:
    return (
        f"2026-04-03,,{vintage}-01-01,{vintage}-12-31,1340,Bale Mountains,Ethiopia,AFOLU,VM0047,"
        f'"1,454,054",{quantity},{serial},{labels},,,,\n'
    )


def upload(data: bytes, name: str = "transactions.csv") -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


@pytest.mark.parametrize(
    ("folder", "fmt", "count"),
    [
        ("verra/transactions.csv", "verra", 200),
        ("gold-standard/issuances.csv", "gold-standard", 100),
        ("isometric/issuances.csv", "isometric", 100),
    ],
)
def test_real_exports_import_and_screen(
    klimapartner: Organisation, petra: User, folder: str, fmt: str, count: int
) -> None:
    result = services.import_registry_file(klimapartner, DATA / folder, fmt, petra)
    assert len(result.offered) + len(result.rejected) == count
    assert CreditBlock.objects.filter(project__owner=klimapartner).count() == count
    # each block starts as one available range covering it exactly
    assert CreditRange.objects.count() == count
    if fmt == "verra":
        # half of the Verra transactions are retirements: the registry export says so, so they are rejected
        retired = [b for b in result.rejected if b.checks.get(name="unretired").status == "fail"]
        assert len(retired) == 100


def test_the_same_file_again_is_recognised(klimapartner: Organisation, petra: User) -> None:
    first = services.import_registry_file(
        klimapartner, DATA / "gold-standard/issuances.csv", "gold-standard", petra
    )
    again = services.import_registry_file(
        klimapartner, DATA / "gold-standard/issuances.csv", "gold-standard", petra
    )
    assert again.already_imported and again.registry_import == first.registry_import
    assert CreditBlock.objects.count() == 100


def test_overlapping_reimport_is_refused_naming_the_row_and_block(
    klimapartner: Organisation, petra: User
) -> None:
    services.import_registry_file(klimapartner, upload(verra_csv(verra_row())), "verra", petra)
    before = (
        CreditBlock.objects.count(),
        CreditRange.objects.count(),
        Event.objects.count(),
        RegistryImport.objects.count(),
    )
    # 941467400–941467500 reaches into the block above (…007–…431); the first row is fine on its own
    other = "19386-941467500-941467600-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
    clash = "19387-941467400-941467499-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
    refusal = r"second\.csv, row 3, column serial: serial 19387-941467400-.* overlaps block 19385-941467007-"
    with pytest.raises(InputErrors, match=refusal) as caught:
        services.import_registry_file(
            klimapartner,
            upload(verra_csv(verra_row(other, 101), verra_row(clash, 100)), "second.csv"),
            "verra",
            petra,
        )
    [error] = caught.value.errors
    assert error.row == 3 and error.field == "serial"
    assert SERIAL in str(error) and clash in str(error)
    assert (
        CreditBlock.objects.count(),
        CreditRange.objects.count(),
        Event.objects.count(),
        RegistryImport.objects.count(),
    ) == before


def test_another_partners_block_counts_too(klimapartner: Organisation, petra: User) -> None:
    other = Organisation.objects.create(slug="annen", name="Annen Partner AS", kind=Organisation.Kind.PARTNER)
    services.import_registry_file(other, upload(verra_csv(verra_row())), "verra", None)
    with pytest.raises(InputErrors, match="held by another climate partner"):
        services.import_registry_file(
            klimapartner, upload(verra_csv(verra_row()), "mine.csv"), "verra", petra
        )


def test_missing_column_names_the_column(klimapartner: Organisation, petra: User) -> None:
    bad = verra_csv(verra_row()).replace(b"Serial Number", b"Serial")
    with pytest.raises(InputErrors, match="Serial Number"):
        services.import_registry_file(klimapartner, upload(bad), "verra", petra)
    assert not CreditBlock.objects.exists()


def test_import_page_shows_summary_and_rejection_reasons(
    client_for: ClientFor,
    klimapartner: Organisation,
    petra: User,
) -> None:
    services.update_policy(klimapartner, petra, min_vintage_year=2021)
    data = verra_csv(
        verra_row(),
        verra_row("19390-5-14-VCS-VCU-1507-VER-ET-14-1340-01012022-31122022-1", 10, vintage="2022"),
    )
    response = client_for(petra).post(
        "/partner/credits/import/",
        {"format": "verra", "file": SimpleUploadedFile("t.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 blokk er importert og tilbys; 1 avvist av screeningen." in text
    assert "bryter retningslinjenes regel om eldste årgang" in text  # vintage 2020 < 2021, in bokmål
    portfolio = client_for(petra).get("/partner/credits/").content.decode()
    assert "✗" in portfolio and "2020" in portfolio


def test_import_page_lists_row_errors(
    client_for: ClientFor,
    klimapartner: Organisation,
    petra: User,
) -> None:
    data = verra_csv(verra_row(quantity=424))
    response = client_for(petra).post(
        "/partner/credits/import/",
        {"format": "verra", "file": SimpleUploadedFile("t.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "upload-errors" in response.content.decode()
    assert not CreditBlock.objects.exists()


def test_a_row_repeated_word_for_word_names_the_first_row_as_the_other(
    klimapartner: Organisation, petra: User
) -> None:
    refusal = r"transactions\.csv, row 3, column serial: .* overlaps row 2 of the same file"
    with pytest.raises(InputErrors, match=refusal) as caught:
        services.import_registry_file(
            klimapartner, upload(verra_csv(verra_row(), verra_row())), "verra", petra
        )
    [error] = caught.value.errors
    assert error.row == 3 and "overlaps row 2 of the same file" in str(error)
    assert not CreditBlock.objects.exists()


def test_adding_an_overlapping_block_by_hand_says_so_beside_the_serial(
    client_for: ClientFor, klimapartner: Organisation, petra: User
) -> None:
    services.import_registry_file(klimapartner, upload(verra_csv(verra_row())), "verra", petra)
    inside = "19385-941467100-941467109-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
    response = client_for(petra).post("/partner/credits/add/", {
        "serial": inside, "quantity": 10, "project_name": "Bale Mountains", "kind": "unknown"})
    assert response.status_code == 400
    form = response.context["form"]
    [problem] = form.errors["serial"]
    assert problem.startswith(f"serienummer {inside} overlapper blokk {SERIAL}")
    assert "feil:" not in response.content.decode()  # no "1 feil: kolonne serial:" before it
    assert CreditBlock.objects.count() == 1


def test_a_gold_standard_per_added_by_hand_is_rejected_as_ex_ante(
    client_for: ClientFor, klimapartner: Organisation, petra: User
) -> None:
    """A Gold Standard serial does not say VER or PER; the form asks, and a PER fails the ex-post check."""
    client_for(petra).post("/partner/credits/add/", {
        "serial": "GS1-1-KE-GS11603-16-2025-30256-110-5463", "quantity": 5354, "project_name": "Cookstoves",
        "kind": "reduction", "product_type": "PER"})
    block = CreditBlock.objects.get()
    assert block.status == "rejected"
    assert [c.name for c in block.checks.all() if c.status == "fail"] == ["ex_post"]
