"""The data at a glance: charts drawn by the build from the dataset, as SVG files under ``docs/charts/``.

Each chart is made from the built dataset alone and written byte for byte the same on every run (the build's
``--check`` holds them): matplotlib, pinned to one version in the ``charts`` extra, draws with its own bundled
DejaVu Sans; the SVG keeps text as text (``svg.fonttype: none``), carries no date, and names its elements from
a fixed salt.

Labels are English. A Chinese label needs a CJK font, and none comes with matplotlib or with the machines the
build runs on (CI's included); a chart that depends on a font installed by chance would not be the same file
everywhere. Each label names its case id and figures, so a reader finds the Chinese in one step
(``ftz-reforms show b5-08``). Build-time only.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ftz_reforms.errors import MissingExtraError
from ftz_reforms.model.records import Case, Dataset, Effect
from ftz_reforms.model.vocab import CATEGORY_DEFINITIONS, Category, Direction, Measure
from ftz_reforms.text.english import figure_en, qualifier_en

__all__ = ["CHARTS", "CHART_DIR", "Chart", "render_charts"]

CHART_DIR = Path("docs") / "charts"

_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "ftz-reforms",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
}
_DOWN, _UP, _GREY = "#1b6f8a", "#d9822b", "#8c8c8c"
_TIME = (Measure.PROCESSING_TIME, Measure.WAITING_OR_TRANSIT_TIME)


class Chart:
    """One chart: its file name, the sentence ``docs/charts.md`` says of it, and how it is drawn."""

    def __init__(
        self, name: str, caption: str | Callable[[Dataset], str], draw: Callable[[Any, Dataset], None]
    ) -> None:
        self.name = name
        self.caption = caption
        """What ``docs/charts.md`` says of it: a sentence, or one made from the data (what the chart leaves out)."""
        self.draw = draw

    def caption_of(self, data: Dataset) -> str:
        return self.caption(data) if callable(self.caption) else self.caption


def _effect_label(case: Case, effect: Effect) -> str:
    """The effect's id and what changed, then its two ends, always as before → after (… for an end the text
    does not state), so that every bar's last line reads the same way."""
    before, after = (figure_en(case.metric(ref)) if ref is not None else "…" for ref in (effect.before, effect.after))
    ends = f"{before} → {after}" if (effect.before or effect.after) else ""
    what = textwrap.shorten(effect.description_en or effect.measure.value, 96, placeholder="…")
    lines = textwrap.wrap(f"{effect.id}  {what}", 52)
    return "\n".join([*lines, ends] if ends else lines)


def _time_effects(data: Dataset) -> list[tuple[Case, Effect]]:
    """Every effect on a time (processing, waiting or transit) that the reform cut, each change once."""
    return [
        (case, effect)
        for case in data.cases
        for effect in case.effects
        if effect.measure in _TIME and effect.direction is Direction.DOWN and effect.restates is None
    ]


def _time_cuts(pyplot: Any, data: Dataset) -> None:
    timed = _time_effects(data)
    rows = [
        (effect.relative_change, _effect_label(case, effect), qualifier_en(effect.relative_change_qualifier))
        for case, effect in timed
        if effect.relative_change is not None
    ]
    rows.sort(key=lambda row: (row[0], row[1]))
    figure, axes = pyplot.subplots(figsize=(9, 0.55 * len(rows) + 1.4))
    positions = range(len(rows))
    for position, (value, _, bound) in zip(positions, rows):
        # A bound ('at least 50%') is drawn as one: an outline with hatching, not a solid bar.
        style = {"color": _DOWN} if not bound else {"facecolor": "white", "edgecolor": _DOWN, "hatch": "///"}
        axes.barh(position, value, height=0.6, **style)
        axes.text(value - 1.5, position, f"{bound}{value:.1f}%", va="center", ha="right", fontsize=7.5)
    axes.set_yticks(list(positions), [label for _, label, _ in rows], fontsize=7.5)
    axes.invert_yaxis()
    axes.set_xlim(-112, 0)
    axes.set_xlabel("change of the time (%): from the two ends, or as the text states it; hatched: a bound")
    axes.set_title(f"Time cuts with a percentage: {len(rows)} of the {len(timed)} time cuts")
    figure.tight_layout()


def _time_cuts_caption(data: Dataset) -> str:
    """What the time-cuts chart leaves out, and why: the cuts with no percentage, each with its figures."""
    left_out = [
        f"{effect.id} ({', '.join(figure_en(case.metric(ref)) for ref in effect.metric_ids())})"
        for case, effect in _time_effects(data)
        if effect.relative_change is None
    ]
    return (
        "Every cut of a processing, waiting or transit time with a relative change, largest cut first: computed "
        "from the two ends where the text states both in one unit (or minutes, hours and days), else the percent "
        "it states; a change the text states twice is one bar. The cuts with no percentage (ends in units that "
        "do not convert, such as working days and minutes, or a cut stated as an amount) are not drawn: "
        + "; ".join(left_out)
        + "."
    )


def _cases_by_province_and_category(pyplot: Any, data: Dataset) -> None:
    provinces: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    for case in data.cases:
        for province in {zone.province_en for zone in case.providers}:
            provinces[province] += 1
        for category in case.categories:
            categories[CATEGORY_DEFINITIONS[category].split(":")[0]] += 1
    figure, (left, right) = pyplot.subplots(1, 2, figsize=(10, 5.2))
    for axes, counts, title in (
        (left, provinces, "Cases per providing province"),
        (right, categories, "Cases per policy category"),
    ):
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        positions = range(len(ordered))
        axes.barh(positions, [n for _, n in ordered], color=_GREY, height=0.6)
        axes.set_yticks(list(positions), [name for name, _ in ordered])
        axes.invert_yaxis()
        axes.set_xticks(range(max(counts.values()) + 1))
        axes.set_title(title)
    right.set_xlabel(f"a case has one or more of the {len(Category)} categories")
    left.set_xlabel("a case provided by two zones counts for each")
    figure.tight_layout()


def _effects_by_measure(pyplot: Any, data: Dataset) -> None:
    counts: Counter[tuple[Measure, Direction | None]] = Counter(
        (effect.measure, effect.direction) for case in data.cases for effect in case.effects if effect.restates is None
    )
    measures = sorted(
        {measure for measure, _ in counts}, key=lambda m: (-sum(counts[m, d] for d in Direction), m.value)
    )
    figure, axes = pyplot.subplots(figsize=(8, 0.4 * len(measures) + 1.6))
    positions = list(range(len(measures)))
    down = [counts[measure, Direction.DOWN] for measure in measures]
    up = [counts[measure, Direction.UP] for measure in measures]
    axes.barh(positions, down, color=_DOWN, height=0.6, label="down (a cut or saving)")
    axes.barh(positions, up, left=down, color=_UP, height=0.6, label="up (a rise)")
    axes.set_yticks(positions, [measure.value.replace("_", " ") for measure in measures])
    axes.invert_yaxis()
    with_effects = sum(1 for case in data.cases if case.effects)
    axes.set_xlabel(f"effects ({sum(counts.values())} in {with_effects} of the {len(data.cases)} cases)")
    axes.set_title("What the reforms changed, by measure and direction")
    axes.legend(frameon=False, loc="lower right")
    figure.tight_layout()


CHARTS: tuple[Chart, ...] = (
    Chart("time-cuts.svg", _time_cuts_caption, _time_cuts),
    Chart(
        "cases-by-province-and-category.svg",
        "How many cases each province's pilot free trade zone provided, and how many carry each policy category.",
        _cases_by_province_and_category,
    ),
    Chart(
        "effects-by-measure.svg",
        "How many effects change each measure, down (a cut or a saving) or up (a rise).",
        _effects_by_measure,
    ),
)
"""The charts the build draws, in the order ``docs/charts.md`` shows them."""


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise MissingExtraError("matplotlib, which the build draws its charts with,", "charts") from None
    matplotlib.use("svg")
    import matplotlib.pyplot as pyplot

    return pyplot


def render_charts(data: Dataset) -> dict[Path, bytes]:
    """Every chart of ``CHARTS`` as SVG bytes, by its path under the repository, and ``docs/charts.md``."""
    pyplot = _pyplot()
    rendered: dict[Path, bytes] = {}
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        for chart in CHARTS:
            chart.draw(pyplot, data)
            buffer = io.BytesIO()
            pyplot.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
            pyplot.close("all")
            rendered[CHART_DIR / chart.name] = buffer.getvalue()
    lines = [
        "# The data at a glance",
        "",
        "Drawn by the build from the bundled data (`python -m ftz_reforms.bundling`) and held current by its",
        "`--check`. Labels are English: every label names its case and effect ids, so `ftz-reforms show` finds",
        "the Chinese text in one step.",
        "",
    ]
    for chart in CHARTS:
        caption = chart.caption_of(data)
        lines += [f"## {chart.name.removesuffix('.svg').replace('-', ' ').capitalize()}", "", caption, "",
                  f"![{caption.split(': ')[0]}](charts/{chart.name})", ""]  # fmt: skip
    rendered[Path("docs") / "charts.md"] = "\n".join(lines).encode("utf-8")
    return rendered
