"""The grid's reader of a block copied out of Excel (tab-separated, Excel's quoting)."""

from __future__ import annotations

from klimabok.inventory.grid import COLUMNS, parse_pasted


def filled(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if v}


def test_a_header_row_says_which_column_is_which() -> None:
    rows = parse_pasted("Fra\tTil\tPassasjerer\tKlasse\r\nOSL\tBGO\t2\tbusiness\r\nTRD\tOSL\t\t\r\n")
    assert [filled(r) for r in rows] == [
        {"origin": "OSL", "destination": "BGO", "passengers": "2", "cabin_class": "business"},
        {"origin": "TRD", "destination": "OSL"}]
    assert set(rows[0]) == set(COLUMNS)


def test_without_a_header_the_cells_fill_from_the_column_pasted_into() -> None:
    assert [filled(r) for r in parse_pasted("12 500,5\tkWh\tOslo\n3,25\tMWh", start_column="quantity")] == [
        {"quantity": "12 500,5", "unit": "kWh", "site": "Oslo"}, {"quantity": "3,25", "unit": "MWh"}]
    assert filled(parse_pasted("electricity.no\t100")[0]) == {"activity": "electricity.no", "quantity": "100"}


def test_excel_quotes_a_cell_with_a_line_break_or_a_quote() -> None:
    rows = parse_pasted('hotel.no\t4\t\t\t"Kundemøte\nBergen, ""stor"" kunde"\n')
    assert filled(rows[0]) == {"activity": "hotel.no", "quantity": "4",
                               "note": 'Kundemøte Bergen, "stor" kunde'}


def test_blank_lines_and_cells_beyond_the_grid_are_dropped() -> None:
    rows = parse_pasted("\n\t\t\nOSL\tBGO\teconomy\tja\t1\textra\tmore\n\n", start_column="origin")
    assert [filled(r) for r in rows] == [{"origin": "OSL", "destination": "BGO", "cabin_class": "economy",
                                          "return_trip": "ja", "passengers": "1"}]


def test_a_header_of_unknown_words_is_data() -> None:
    assert filled(parse_pasted("Strøm\t100")[0]) == {"activity": "Strøm", "quantity": "100"}
