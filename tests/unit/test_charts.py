"""The overview's SVG charts, parsed as XML: every bar has its label and its number as
text, bar lengths follow the values, a line breaks where a month has no data, series
differ by marker and line pattern (not only by colour), and text is escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from chainproof.web.charts import Bar, Series, _nice, bar_chart, line_chart, number

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314  (the chart module's own output)


def texts(svg: ET.Element, css: str) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == css]


def test_a_bar_chart_labels_every_bar_and_prints_its_number():
    svg = parse(
        bar_chart(
            [Bar("Critical", 12, "bar-critical"), Bar("High", 6), Bar("Low", 0)],
            ident="levels",
            title="Records by level",
        )
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "levels-title levels-desc"
    assert svg.find(f"{SVG}title").text == "Records by level"
    assert svg.find(f"{SVG}desc").text == "Critical: 12; High: 6; Low: 0"
    assert texts(svg, "bar-label") == ["Critical", "High", "Low"]
    assert texts(svg, "bar-value") == ["12", "6", "0"]
    groups = [g for g in svg.iter(f"{SVG}g") if "bar" in (g.get("class") or "").split()]
    assert [g.get("class") for g in groups] == ["bar bar-critical", "bar ", "bar "]
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert len(widths) == 3
    assert widths[0] == pytest.approx(2 * widths[1])  # lengths follow the values
    assert widths[2] == 2.0  # a zero still shows a mark
    # Each number sits just past the end of its bar.
    for group in groups:
        rect = group.find(f"{SVG}rect")
        value = next(t for t in group.iter(f"{SVG}text") if t.get("class") == "bar-value")
        assert float(value.get("x")) > float(rect.get("x")) + float(rect.get("width"))


def test_a_bar_chart_without_bars_says_so():
    svg = parse(bar_chart([], ident="empty", title="Nothing"))
    assert svg.find(f"{SVG}rect") is None
    assert texts(svg, "chart-empty") == ["Nothing to show yet"]
    assert svg.find(f"{SVG}desc").text == "Nothing to show."


def test_text_is_escaped_and_reads_back_as_given():
    label = 'Tom & "Jerry" <b>'
    svg = parse(bar_chart([Bar(label, 3)], ident="x", title="<title> & more"))
    assert texts(svg, "bar-label") == [label]
    assert svg.find(f"{SVG}title").text == "<title> & more"


def test_a_line_breaks_where_a_month_has_no_data():
    months = ["Jan", "Feb", "Mar", "Apr", "May"]
    svg = parse(
        line_chart(
            months,
            [Series("Answered", [10, 20, None, 40, 50])],
            ident="rate",
            title="Response rate",
            unit="%",
            ceiling=100,
        )
    )
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 2  # Jan-Feb and Apr-May
    assert [len(p.get("points").split()) for p in lines] == [2, 2]
    assert texts(svg, "point-value") == ["10%", "20%", "40%", "50%"]
    assert len(list(svg.iter(f"{SVG}circle"))) == 4
    assert texts(svg, "axis") == ["0%", "50%", "100%", *months]
    assert svg.find(f"{SVG}desc").text == (
        "Answered: Jan 10%, Feb 20%, Mar no data, Apr 40%, May 50%."
    )
    # Higher values are drawn higher.
    ys = [float(p.split(",")[1]) for line in lines for p in line.get("points").split()]
    assert ys == sorted(ys, reverse=True)


def test_two_series_differ_by_marker_and_line_and_have_a_legend():
    svg = parse(
        line_chart(
            ["Jan", "Feb"],
            [
                Series("Critical", [3, 5], marker="square"),
                Series("High", [7, 9], marker="circle"),
            ],
            ident="risk",
            title="Risk",
        )
    )
    series = [g for g in svg.iter(f"{SVG}g") if (g.get("class") or "").startswith("series")]
    plotted = series[:2]
    assert len(list(plotted[0].iter(f"{SVG}rect"))) == 2
    assert len(list(plotted[1].iter(f"{SVG}circle"))) == 2
    dashes = [next(g.iter(f"{SVG}polyline")).get("stroke-dasharray") for g in plotted]
    assert dashes[0] is None
    assert dashes[1]
    assert texts(svg, "legend-label") == ["Critical", "High"]
    assert texts(svg, "point-value") == ["3", "5", "7", "9"]
    assert texts(svg, "axis")[:3] == ["0", "5", "10"]  # counts: an even top


def test_a_line_chart_without_any_value_says_so():
    svg = parse(
        line_chart(["Jan", "Feb"], [Series("Open hits", [None, None])], ident="h", title="t")
    )
    assert texts(svg, "chart-empty") == ["No data yet"]
    assert svg.find(f"{SVG}polyline") is None
    assert texts(svg, "point-value") == []


@pytest.mark.parametrize(
    ("value", "top"), [(0, 2), (1, 2), (3, 4), (7, 8), (12, 20), (27, 40), (100, 100), (101, 200)]
)
def test_the_scale_of_counts_is_round_and_even(value, top):
    assert _nice(value) == top


def test_numbers_read_as_people_write_them():
    assert number(3.0) == "3"
    assert number(33.3, "%") == "33.3%"
    assert number(None) == "no data"
