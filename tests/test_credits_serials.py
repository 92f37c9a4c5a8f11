"""Serial numbers: the registries' formats read into blocks, written back for sub-ranges, bad ones named."""

from __future__ import annotations

from datetime import date

import pytest

from klimabok.core.credits.serials import format_serial, parse_serial
from klimabok.core.errors import InputError

BALE = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
KENYA = "GS1-1-KE-GS11603-16-2025-30256-110-5463"
RWANDA_CER = "RW-5-1459975-2-2-0-7014 - RW-5-1460107-2-2-0-7014"


def test_a_verra_serial_reads_into_its_parts() -> None:
    block = parse_serial(BALE)
    assert (block.registry, block.identity, block.batch) == ("verra", "verra:VCS-VCU", "19385")
    # 941467431 − 941467007 + 1 = 425
    assert (block.start, block.end, block.quantity) == (941467007, 941467431, 425)
    assert (block.unit_type, block.country, block.project_id) == ("VCU", "ET", "1340")
    assert (block.vintage_start, block.vintage_end, block.vintage_year) == (
        date(2020, 1, 1), date(2020, 12, 31), 2020)
    assert block.raw == BALE


def test_a_gold_standard_serial_numbers_within_its_batch() -> None:
    block = parse_serial(KENYA)
    assert (block.registry, block.identity) == ("gold-standard", "gold-standard:GS1:30256")
    assert (block.start, block.end, block.quantity) == (110, 5463, 5354)  # 5463 − 110 + 1
    assert (block.project_id, block.country, block.vintage_year, block.unit_type) == ("11603", "KE", 2025, "")


def test_a_cdm_range_from_the_gold_standard_export() -> None:
    block = parse_serial(RWANDA_CER)
    assert (block.registry, block.identity, block.unit_type) == ("cdm", "cdm:RW-5", "CER")
    assert (block.start, block.end, block.quantity) == (1459975, 1460107, 133)  # the export says 133
    assert block.vintage_year is None


def test_isometric_issuances_get_a_synthetic_range() -> None:
    block = parse_serial("isometric:iss_1KP6EDZ8K1S036PY:1-2710")
    assert (block.identity, block.batch, block.quantity) == ("isometric:iss_1KP6EDZ8K1S036PY",
                                                           "iss_1KP6EDZ8K1S036PY", 2710)


@pytest.mark.parametrize("serial", [BALE, KENYA, RWANDA_CER, "isometric:iss_1KP6EDZ8K1S036PY:1-2710"])
def test_format_gives_back_the_serial(serial: str) -> None:
    assert format_serial(parse_serial(serial)) == serial


def test_a_sub_range_keeps_the_original_numbering() -> None:
    assert parse_serial(BALE).sub_block(941467100, 941467199).raw == (
        "19385-941467100-941467199-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1")
    assert parse_serial(KENYA).sub_block(110, 209).raw == "GS1-1-KE-GS11603-16-2025-30256-110-209"
    assert parse_serial(RWANDA_CER).sub_block(1460000, 1460107).raw == (
        "RW-5-1460000-2-2-0-7014 - RW-5-1460107-2-2-0-7014")
    padded = parse_serial("GS1-1-KE-GS1-16-2025-3-001-099")
    assert padded.sub_block(5, 9).raw == "GS1-1-KE-GS1-16-2025-3-005-009"


def test_a_sub_range_outside_the_block_is_refused() -> None:
    with pytest.raises(InputError, match="range 941467000–941467010 is not inside"):
        parse_serial(BALE).sub_block(941467000, 941467010)


def test_the_quantity_must_match_the_range() -> None:
    assert parse_serial(BALE, quantity=425).quantity == 425
    with pytest.raises(InputError, match="quantity 400 does not match serial range 941467007–941467431") as \
            caught:
        parse_serial(BALE, quantity=400)
    assert caught.value.field == "quantity"
    assert str(caught.value) == ("column quantity: quantity 400 does not match serial range "
                                 "941467007–941467431 (end − start + 1 = 425)")


@pytest.mark.parametrize("serial", ["", "hello", "19385-941467007-VCS-VCU", KENYA.replace("GS11603", "11603"),
                                    BALE.replace("-VCS-", "-vcs-")])
def test_an_unknown_format_names_the_field_and_the_expected_forms(serial: str) -> None:
    with pytest.raises(InputError, match="is not a serial number klimabok reads: expected Verra") as caught:
        parse_serial(serial)
    assert caught.value.field == "serial"
    assert "is not a serial number klimabok reads: expected Verra (19385-941467007-" in str(caught.value)


def test_a_serial_of_another_registry_is_refused_when_one_is_asked_for() -> None:
    with pytest.raises(InputError, match=r"is not a verra serial number: expected the form 19385-"):
        parse_serial(KENYA, registry="verra")


def test_broken_serials_say_what_is_wrong() -> None:
    with pytest.raises(InputError, match=r"ends before it starts \(941467431 > 941467007\)"):
        parse_serial("19385-941467431-941467007-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1")
    with pytest.raises(InputError, match=r"'31022020' in serial .* is not a date \(ddmmyyyy\)"):
        parse_serial(BALE.replace("31122020", "31022020"))
    with pytest.raises(InputError, match="name different units"):
        parse_serial("RW-5-1459975-2-2-0-7014 - RW-5-1460107-2-2-0-7015")
    with pytest.raises(InputError, match="unknown registry 'acr'"):
        parse_serial(BALE, registry="acr")
