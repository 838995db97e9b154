"""The charts: drawn by the build from the data, byte for byte the same on every run (no plotting library, so
no version of one to pin), and shown in the docs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from ftz_reforms.charts import CHART_DIR, CHARTS, render_charts
from ftz_reforms.model.records import Dataset

SVG = "{http://www.w3.org/2000/svg}"


def test_at_least_three_charts_are_committed_as_the_build_draws_them(repo: Path, data: Dataset) -> None:
    rendered = render_charts(data)
    assert len(CHARTS) >= 3
    for path, content in rendered.items():
        assert (repo / path).read_bytes() == content, f"{path} is stale: python -m ftz_reforms.bundling"
    assert {path.name for path in (repo / CHART_DIR).glob("*.svg")} == {chart.name for chart in CHARTS}


@pytest.mark.slow
def test_a_second_process_draws_the_same_bytes(repo: Path, data: Dataset) -> None:
    script = (
        "import sys, ftz_reforms\n"
        "from ftz_reforms.charts import render_charts\n"
        "for path, content in sorted(render_charts(ftz_reforms.dataset().data).items()):\n"
        "    sys.stdout.buffer.write(str(path).encode() + b'\\n' + content)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]


def test_the_charts_hold_the_data_as_text(repo: Path, data: Dataset) -> None:
    time_cuts = (repo / CHART_DIR / "time-cuts.svg").read_text(encoding="utf-8")
    root = ElementTree.fromstring(time_cuts)
    texts = " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))
    cuts = [
        effect
        for case in data.cases
        for effect in case.effects
        if effect.measure.value in ("processing_time", "waiting_or_transit_time")
        and effect.direction is not None
        and effect.direction.value == "down"
        and effect.restates is None  # a change the text states twice is one cut
    ]
    drawn = [effect for effect in cuts if effect.relative_change is not None]
    assert drawn and all(effect.id in texts for effect in drawn)
    # The title says what is drawn, and the caption names every cut left out (no percentage), with its figures.
    assert f"Time cuts with a percentage: {len(drawn)} of the {len(cuts)} time cuts" in texts
    caption = (repo / "docs" / "charts.md").read_text(encoding="utf-8")
    assert all(effect.id in caption for effect in cuts if effect.relative_change is None)
    assert "b5-19-e02 (at most 2 working days, less than 10 minutes)" in caption
    # One convention for the ends: before → after, … for an end the text does not state; a bound says so.
    assert "-99.3%" in texts and "97 working days → 26 working days" in texts and "… → 0.29 hours" in texts
    assert "at least -66.7%" in texts and "hatched: a bound" in texts
    # No date, no machine: the file is the data's, not the moment's.
    assert not re.search(r"<dc:date>|\d{4}-\d{2}-\d{2}T", time_cuts)
    by_measure = (repo / CHART_DIR / "effects-by-measure.svg").read_text(encoding="utf-8")
    # A change the text states twice (Effect.restates) is one bar.
    distinct = sum(1 for case in data.cases for effect in case.effects if effect.restates is None)
    assert distinct == sum(len(case.effects) for case in data.cases) - 1
    with_effects = sum(1 for case in data.cases if case.effects)
    assert f"effects ({distinct} in {with_effects} of the 23 cases)" in by_measure
    # Human labels, not codes.
    categories = (repo / CHART_DIR / "cases-by-province-and-category.svg").read_text(encoding="utf-8")
    assert "Customs and trade facilitation" in categories and "customs_trade" not in categories


def _texts(svg: str) -> list[str]:
    return ["".join(element.itertext()) for element in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def test_a_bound_is_drawn_as_a_bound_and_every_bar_as_long_as_its_change(repo: Path, data: Dataset) -> None:
    """The time cuts: one bar per cut with a percentage, its length the cut (100% is the whole plot), hatched
    exactly where the relative change is a bound (at least 66.7%)."""
    root = ElementTree.fromstring((repo / CHART_DIR / "time-cuts.svg").read_text(encoding="utf-8"))
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("height") == "14"]
    cuts = sorted(
        (effect.relative_change, effect.relative_change_qualifier is not None and effect.relative_change_qualifier.value != "exact")
        for case in data.cases for effect in case.effects
        if effect.measure.value in ("processing_time", "waiting_or_transit_time") and effect.direction is not None
        and effect.direction.value == "down" and effect.restates is None and effect.relative_change is not None
    )  # fmt: skip
    widths = [float(rect.get("width", "0")) for rect in bars]
    assert len(bars) == len(cuts)
    longest = max(widths) / -min(change for change, _ in cuts)  # pixels per percent
    assert [round(width / longest, 1) for width in widths] == [round(-change, 1) for change, _ in cuts]
    assert [rect.get("fill") == "url(#hatch)" for rect in bars] == [bound for _, bound in cuts]
    assert any(bound for _, bound in cuts) and not all(bound for _, bound in cuts)


def test_the_before_and_after_chart_pairs_every_effect_with_both_ends(repo: Path, data: Dataset) -> None:
    texts = _texts((repo / CHART_DIR / "before-after.svg").read_text(encoding="utf-8"))
    pairs = [effect for case in data.cases for effect in case.effects
             if effect.before and effect.after and effect.restates is None]  # fmt: skip
    assert texts[0] == f"Before and after: the {len(pairs)} effects whose text states both ends"
    assert all(any(text.startswith(effect.id) for text in texts) for effect in pairs)
    assert "before: 97 working days" in texts and "after: 26 working days (-73.2%)" in texts
    assert "before: 31" in texts and "after: 3 (-90.3%)" in texts
    # Ends in units that do not convert are written, never drawn on one scale.
    assert "after: less than 10 minutes (units differ)" in texts


def test_the_readme_shows_one_chart_and_docs_show_them_all(repo: Path, data: Dataset) -> None:
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert re.search(r"!\[[^\]]+\]\(docs/charts/time-cuts\.svg\)", readme)
    page = (repo / "docs" / "charts.md").read_text(encoding="utf-8")
    for chart in CHARTS:
        assert f"(charts/{chart.name})" in page and chart.caption_of(data) in page
