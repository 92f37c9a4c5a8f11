"""The account page's SVG charts: proportional bars, readable labels, escaped text, empty state."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from klimabok.inventory.charts import Bar, Group, bar_chart, grouped_bar_chart, nice_axis_max

NS = {"svg": "http://www.w3.org/2000/svg"}


def fmt(value: float) -> str:
    return f"{value:.1f}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- markup we generated in this test, not untrusted input


def bar_widths(root: ET.Element) -> list[float]:
    return [float(r.get("width", "0")) for r in root.iterfind(".//svg:g[@class='bar']/svg:rect", NS)]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iterfind(".//svg:text", NS)]


def text_at(root: ET.Element, path: str) -> str | None:
    """The text of the element at ``path``, which must be there."""
    element = root.find(path, NS)
    assert element is not None, path
    return element.text


def test_bar_widths_are_proportional_to_values() -> None:
    svg = bar_chart([Bar("Scope 1", 12.0), Bar("Scope 2", 30.0), Bar("Scope 3", 6.0)],
                    title="Emissions by scope", unit="t", empty_text="-", number_format=fmt)
    widths = bar_widths(parse(svg))
    assert len(widths) == 3
    # 12 : 30 : 6 → the widths keep the same ratios (to the 0.01 px the markup is rounded to).
    assert widths[0] / widths[1] == pytest.approx(12 / 30, abs=1e-3)
    assert widths[2] / widths[1] == pytest.approx(6 / 30, abs=1e-3)
    # The axis ends at a round number at or above the largest value, so the largest bar fits.
    assert 0 < widths[1] <= 500


def test_values_are_written_as_text_and_in_the_description() -> None:
    root = parse(bar_chart([Bar("Flights", 41.25), Bar("Hotels", 3.5)], title="Where to cut",
                           unit="t CO2e", empty_text="-", number_format=fmt))
    assert "41.2 t CO2e" in texts(root) or "41.3 t CO2e" in texts(root)
    assert "3.5 t CO2e" in texts(root)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Where to cut"
    assert text_at(root, "svg:title") == "Where to cut"
    assert text_at(root, "svg:desc") == "Flights: 41.2 t CO2e; Hotels: 3.5 t CO2e."


def test_labels_are_escaped_and_links_kept() -> None:
    svg = bar_chart([Bar('<script>alert("x")</script> & co', 5.0, href="/o/n/2025/account/lines/?a=1&b=2")],
                    title="T <b>", unit="t", empty_text="-", number_format=fmt)
    assert "<script>" not in svg
    root = parse(svg)  # still well-formed XML
    assert text_at(root, "svg:title") == "T <b>"
    link = root.find("svg:a", NS)
    assert link is not None and link.get("href") == "/o/n/2025/account/lines/?a=1&b=2"


def test_long_labels_are_shortened_with_the_full_text_in_the_tooltip() -> None:
    name = "Purchased goods and services (food, IT, cleaning, consultants)"
    root = parse(bar_chart([Bar(name, 1.0)], title="t", unit="t", empty_text="-", number_format=fmt))
    label = text_at(root, ".//svg:text[@class='label']")
    assert label is not None and label.endswith("…") and len(label) == 40
    assert text_at(root, ".//svg:g[@class='bar']/svg:title") == f"{name}: 1.0 t"


def test_grouped_chart_has_a_legend_and_proportional_bars_across_groups() -> None:
    svg = grouped_bar_chart(
        [Group("Scope 1", (10.0, 10.0)), Group("Scope 2", (5.0, 200.0)), Group("Scope 3", (100.0, 100.0))],
        series=("Location-based", "Market-based"), title="Location vs market", unit="t",
        empty_text="-", number_format=fmt)
    root = parse(svg)
    widths = bar_widths(root)
    assert len(widths) == 6
    assert widths[3] / widths[2] == pytest.approx(200 / 5, rel=1e-3)
    assert widths[4] / widths[3] == pytest.approx(100 / 200, rel=1e-3)
    legend = ["".join(t.itertext()) for t in root.iterfind(".//svg:g[@class='legend']/svg:text", NS)]
    assert legend == ["Location-based", "Market-based"]
    colours = [r.get("fill") for r in root.iterfind(".//svg:g[@class='bar']/svg:rect", NS)]
    assert colours[0] != colours[1] and colours[0] == colours[2]


def test_grouped_chart_needs_one_value_per_series() -> None:
    with pytest.raises(ValueError, match="one value per series"):
        grouped_bar_chart([Group("x", (1.0,))], series=("a", "b"), title="t", unit="t", empty_text="-",
                          number_format=fmt)


@pytest.mark.parametrize("bars", [[], [Bar("Scope 1", 0.0), Bar("Scope 2", 0.0)]])
def test_no_data_renders_the_empty_state(bars: list[Bar]) -> None:
    root = parse(bar_chart(bars, title="By scope", unit="t", empty_text="No emissions yet",
                           number_format=fmt))
    assert "chart-empty" in root.get("class", "")
    assert "No emissions yet" in texts(root)
    assert bar_widths(root) == []


def test_year_over_year_with_a_category_missing_last_year() -> None:
    root = parse(grouped_bar_chart([Group("Waste", (0.0, 2.0)), Group("Flights", (8.0, 4.0))],
                                   series=("2024", "2025"), title="t", unit="t", empty_text="-",
                                   number_format=fmt))
    widths = bar_widths(root)
    assert widths[0] == 0
    assert widths[1] / widths[2] == pytest.approx(2 / 8, rel=1e-3)


@pytest.mark.parametrize(("peak", "axis_max", "step"), [
    (0.3, 0.3, 0.1), (0.31, 0.4, 0.1), (7, 8, 2), (41.25, 60, 20), (9, 10, 2.5), (380, 400, 100),
    (1000, 1000, 250), (1, 1, 0.25),
])
def test_axis_ends_at_a_round_number(peak: float, axis_max: float, step: float) -> None:
    got_max, got_step = nice_axis_max(peak)
    assert got_max == pytest.approx(axis_max)
    assert got_step == pytest.approx(step)
