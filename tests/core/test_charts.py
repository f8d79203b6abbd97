"""The server-rendered SVG bar chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markupsafe import Markup

from core.charts import bar_chart, format_value

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_chart_is_accessible_svg_with_title_and_desc():
    svg = parse(bar_chart([("Serbia", 120.0), ("Kosovo", 30.0)], title="ICT workforce"))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "ICT workforce"
    assert svg.find(f"{SVG}title").text == "ICT workforce"
    assert "Serbia: 120" in svg.find(f"{SVG}desc").text


def test_values_are_labelled_and_bars_scale_to_the_largest():
    svg = parse(bar_chart([("A", 200), ("B", 50)], title="t", unit="people"))
    bars = svg.findall(f".//{SVG}rect")
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == 4 * widths[1]
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-value"]
    assert values == ["200\u00a0people", "50\u00a0people"]


def test_none_is_shown_as_dash_without_a_bar():
    svg = parse(bar_chart([("A", None), ("B", 10)], title="t"))
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-value"]
    assert values[0] == "\u2014"
    assert [r.get("class") for r in svg.iter(f"{SVG}rect")] == ["chart-track", "chart-bar-fill"]


def test_max_value_fixes_the_scale():
    svg = parse(bar_chart([("A", 50)], title="t", max_value=100))
    full = parse(bar_chart([("A", 100)], title="t", max_value=100))
    half_width = float(svg.find(f".//{SVG}rect").get("width"))
    assert half_width * 2 == float(full.find(f".//{SVG}rect").get("width"))


def test_no_inline_styles_and_labels_are_escaped():
    markup = str(bar_chart([("<script>x</script>", 1)], title="a & b"))
    assert "style" not in markup
    assert "<script>" not in markup
    assert parse(Markup(markup)).get("aria-label") == "a & b"


def test_empty_rows_and_all_none_render():
    assert parse(bar_chart([], title="empty")).get("role") == "img"
    assert "\u2014" in str(bar_chart([("A", None)], title="t"))


def test_format_value():
    assert format_value(1234567) == "1,234,567"
    assert format_value(1234567, locale="de") == "1.234.567"
    assert format_value(1234567, locale="sv") == "1\u00a0234\u00a0567"
    assert format_value(12.5, "%") == "12.5%"
    assert format_value(12.5, "%", "de") == "12,5\u00a0%"
    assert format_value(None) == "\u2014"
