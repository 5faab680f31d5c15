"""The card's HTML: ids stay unique when plots repeat matplotlib's ids, and references inside a plot follow it."""

from __future__ import annotations

import re

from tony.card.build import CardHeader, unique_anchors
from tony.card.render import render_html, scoped_svg
from tony.card.section import Section

SVG = ('<svg xmlns:xlink="http://www.w3.org/1999/xlink"><g id="figure_1"><clipPath id="p1"><rect/></clipPath>'
       '<path clip-path="url(#p1)"/><use xlink:href="#m1"/><path id="m1"/><a href="#elsewhere">x</a></g></svg>')


def _section(task: str) -> Section:
    return Section(task=task, title=task, headline="h", method="m", judge="j", columns=[], rows=[], plot_svg=SVG + SVG)


def test_plot_ids_are_unique_in_the_page_and_references_follow_them():
    sections = [_section("tony/run"), _section("tony/run")]
    unique_anchors(sections)
    assert [s.anchor for s in sections] == ["run", "run-2"]
    header = CardHeader(model="m", judges=[], generated="now", tony_version="0", inspect_version="0", wall_time_s=0,
                        tokens={"input": 0, "output": 0, "total": 0}, provenance=[])
    html = render_html(header, sections, {})
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)) and len(ids) == 4 + 2 + 2 * 2 * 3, ids  # scorecard, summary, contents, run; sections; 4 plots
    for reference in re.findall(r'url\(#([^)]+)\)|xlink:href="#([^"]+)"', html):
        assert "".join(reference) in ids
    assert 'href="#elsewhere"' in html  # a reference to no id of the plot is left alone


def test_scoped_svg_numbers_each_svg():
    scoped = scoped_svg(SVG + SVG, "x")
    assert 'id="x-0-figure_1"' in scoped and 'id="x-1-figure_1"' in scoped and 'url(#x-1-p1)' in scoped
