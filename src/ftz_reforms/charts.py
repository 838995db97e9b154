"""The data at a glance: charts drawn by the build from the dataset, as SVG files under ``docs/charts/``.

Each chart is written by this module from the built dataset alone, element by element (``_Drawing``): the file
is a function of the data and of this code, so the build's ``--check`` holds its bytes on any machine, with no
plotting library to pin. Text stays text, in a font stack every browser has (DejaVu Sans, Verdana, sans-serif);
label widths are reckoned at a fixed width per character, generous for Latin text.

Labels are English: a Chinese label would need a CJK font the reader may not have. Each label names its case
or effect id and figures, so a reader finds the Chinese in one step (``ftz-reforms show b5-08``). Build-time
only.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from ftz_reforms.model.records import Case, Dataset, Effect
from ftz_reforms.model.vocab import Category, Direction, Measure, category_label, measure_label
from ftz_reforms.text.english import figure_en, qualifier_en, signed_percent

__all__ = ["CHARTS", "CHART_DIR", "Chart", "render_charts"]

CHART_DIR = Path("docs") / "charts"

_DOWN, _UP, _GREY, _INK, _RULE = "#1b6f8a", "#b35c00", "#8c8c8c", "#222222", "#c8c8c8"
_TIME = (Measure.PROCESSING_TIME, Measure.WAITING_OR_TRANSIT_TIME)
_FONT = 12
_CHARACTER = 7.2
"""Pixels reckoned per character of a 12-pixel label: DejaVu Sans's widest lower-case letters are about this."""
_LINE = 15
_MARGIN = 16
_PLOT = 360
"""The width of a chart's bars at their longest, in pixels."""


def _number(value: float) -> str:
    """A coordinate written the same on every machine: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class _Drawing:
    """An SVG picture built element by element, top to bottom."""

    def __init__(self, width: float) -> None:
        self.width = width
        self._elements: list[str] = []

    def text(self, x: float, y: float, content: str, *, anchor: str = "start", bold: bool = False,
             size: int = _FONT, fill: str = _INK) -> None:  # fmt: skip
        weight = ' font-weight="bold"' if bold else ""
        self._elements.append(
            f'<text x="{_number(x)}" y="{_number(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"'
            f"{weight}>{escape(content)}</text>"
        )

    def rect(self, x: float, y: float, width: float, height: float, fill: str, *, hatched: bool = False) -> None:
        paint = f'fill="url(#hatch)" stroke="{fill}"' if hatched else f'fill="{fill}"'
        self._elements.append(
            f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" height="{_number(height)}" {paint}/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str = _RULE) -> None:
        self._elements.append(
            f'<line x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" y2="{_number(y2)}" stroke="{colour}"/>'
        )

    def svg(self, height: float, title: str, description: str) -> bytes:
        """The picture as an SVG file: its title and description for screen readers, then its elements."""
        width, tall = _number(self.width), _number(height)
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{tall}" viewBox="0 0 {width} {tall}"'
            f' role="img" aria-labelledby="title desc" font-family="DejaVu Sans, Verdana, sans-serif">'
        )
        hatch = (
            '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{_DOWN}" stroke-width="2"/></pattern></defs>'
        )
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            head,
            f'<title id="title">{escape(title)}</title>',
            f'<desc id="desc">{escape(description)}</desc>',
            hatch,
            f'<rect width="{width}" height="{tall}" fill="white"/>',
            *self._elements,
            "</svg>",
            "",
        ]
        return "\n".join(lines).encode("utf-8")


def _label_width(labels: Sequence[Sequence[str]]) -> float:
    return max((len(line) for label in labels for line in label), default=0) * _CHARACTER + _MARGIN


@dataclass(frozen=True)
class _Bar:
    """One row of a bar chart: its label lines, its segments (length in the chart's units, colour, hatched),
    and the text after the bar."""

    label: tuple[str, ...]
    segments: tuple[tuple[float, str, bool], ...]
    after: str


def _bar_chart(title: str, bars: Sequence[_Bar], scale: float, axis: Callable[[float], str], ticks: Sequence[float],
               note: str, legend: Sequence[tuple[str, str, bool]] = ()) -> bytes:  # fmt: skip
    """Horizontal bars from a common left edge, one row per bar, label at left, ticks below, a note under them."""
    left = _MARGIN + _label_width([bar.label for bar in bars])
    after = max((len(bar.after) for bar in bars), default=0) * _CHARACTER + _MARGIN
    drawing = _Drawing(left + _PLOT + after + _MARGIN)
    drawing.text(_MARGIN, 24, title, bold=True, size=14)
    y = 40.0
    for text, colour, hatched in legend:
        drawing.rect(_MARGIN, y, 12, 12, colour, hatched=hatched)
        drawing.text(_MARGIN + 18, y + 10, text)
        y += 18
    top: float = y + 6
    for bar in bars:
        height = max(len(bar.label) * _LINE, 22) + 8
        for number, line in enumerate(bar.label):
            drawing.text(left - 8, top + 14 + number * _LINE, line, anchor="end")
        x = left
        for length, colour, hatched in bar.segments:
            width = length / scale * _PLOT
            drawing.rect(x, top + 4, width, 14, colour, hatched=hatched)
            x += width
        drawing.text(x + 6, top + 15, bar.after)
        top += height
    drawing.line(left, y + 6, left, top, _INK)
    for tick in ticks:
        x = left + tick / scale * _PLOT
        drawing.line(x, top, x, top + 4, _INK)
        drawing.text(x, top + 17, axis(tick), anchor="middle", size=11)
    note_lines = textwrap.wrap(note, int((drawing.width - 2 * _MARGIN) / _CHARACTER))
    for number, line in enumerate(note_lines):
        drawing.text(_MARGIN, top + 38 + number * _LINE, line, size=11)
    return drawing.svg(top + 38 + len(note_lines) * _LINE, title, note)


class Chart:
    """One chart: its file name, the sentence ``docs/charts.md`` says of it, and how it is drawn."""

    def __init__(self, name: str, caption: str | Callable[[Dataset], str], draw: Callable[[Dataset], bytes]) -> None:
        self.name = name
        self.caption = caption
        """What ``docs/charts.md`` says of it: a sentence, or one made from the data (what the chart leaves out)."""
        self.draw = draw

    def caption_of(self, data: Dataset) -> str:
        return self.caption(data) if callable(self.caption) else self.caption


def _ends(case: Case, effect: Effect) -> str:
    """The effect's two ends as before → after (… for an end the text does not state), or "" for neither."""
    before, after = (figure_en(case.metric(ref)) if ref is not None else "…" for ref in (effect.before, effect.after))
    return f"{before} → {after}" if (effect.before or effect.after) else ""


def _effect_label(case: Case, effect: Effect) -> tuple[str, ...]:
    """The effect's id and what changed, then its two ends, always as before → after, so that every bar's last
    line reads the same way."""
    what = textwrap.shorten(effect.description_en or effect.measure.value, 96, placeholder="…")
    lines = textwrap.wrap(f"{effect.id}  {what}", 52)
    ends = _ends(case, effect)
    return tuple([*lines, ends] if ends else lines)


def _time_effects(data: Dataset) -> list[tuple[Case, Effect]]:
    """Every effect on a time (processing, waiting or transit) that the reform cut, each change once."""
    return [
        (case, effect)
        for case in data.cases
        for effect in case.effects
        if effect.measure in _TIME and effect.direction is Direction.DOWN and effect.restates is None
    ]


def _percent_axis(tick: float) -> str:
    return signed_percent(-tick) if tick else "0%"


def _time_cuts(data: Dataset) -> bytes:
    timed = _time_effects(data)
    rows = sorted(
        ((effect.relative_change, _effect_label(case, effect), effect) for case, effect in timed
         if effect.relative_change is not None),
        key=lambda row: (row[0], row[1]),
    )  # fmt: skip
    bars = [
        _Bar(
            label,
            # A bound ('at least 50%') is drawn as one: an outline with hatching, not a solid bar.
            ((-value, _DOWN, bool(qualifier_en(effect.relative_change_qualifier))),),
            f"{qualifier_en(effect.relative_change_qualifier)}{signed_percent(value)}",
        )
        for value, label, effect in rows
    ]
    return _bar_chart(
        f"Time cuts with a percentage: {len(rows)} of the {len(timed)} time cuts",
        bars,
        100,
        _percent_axis,
        (0, 25, 50, 75, 100),
        "The length of a bar is the cut of the time, in percent: from the two ends, or as the text states it; "
        "hatched: a bound.",
    )


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


def _pairs(data: Dataset) -> list[tuple[Case, Effect]]:
    """Every effect whose text states both ends, each change once."""
    return [
        (case, effect)
        for case in data.cases
        for effect in case.effects
        if effect.before is not None and effect.after is not None and effect.restates is None
    ]


def _before_after(data: Dataset) -> bytes:
    bars = []
    for case, effect in _pairs(data):
        assert effect.before is not None and effect.after is not None  # _pairs keeps only these
        before, after = case.metric(effect.before), case.metric(effect.after)
        what = textwrap.shorten(effect.description_en or effect.measure.value, 96, placeholder="…")
        label = tuple(textwrap.wrap(f"{effect.id}  {what}", 52))
        change = signed_percent(effect.relative_change) if effect.relative_change is not None else "units differ"
        segments: tuple[tuple[tuple[float, str, bool], ...], tuple[tuple[float, str, bool], ...]] = ((), ())
        if before.unit is after.unit:
            # Each row on its own scale, its larger end the full width: a row compares its own two figures.
            largest = max(before.value, after.value) or 1
            segments = (
                ((before.value / largest * 100, _GREY, False),),
                ((after.value / largest * 100, _DOWN if after.value < before.value else _UP, False),),
            )
        # Ends in units that do not convert (working days, minutes): their figures are written, no bars.
        bars += [
            _Bar(label, segments[0], f"before: {figure_en(before)}"),
            _Bar(("",), segments[1], f"after: {figure_en(after)} ({change})"),
        ]
    return _bar_chart(
        f"Before and after: the {len(bars) // 2} effects whose text states both ends",
        bars,
        100,
        lambda tick: "",
        (),
        "Each pair of bars on its own scale (the larger of its two figures is the full length), so a bar compares "
        "its own before and after, not one effect with another; grey: before; blue: a cut; orange: a rise. Ends in "
        "units that do not convert are written, not drawn.",
    )


def _count_bars(counts: Counter[str]) -> list[_Bar]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [_Bar((name,), ((count, _GREY, False),), str(count)) for name, count in ordered]


def _cases_by_province_and_category(data: Dataset) -> bytes:
    provinces: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    for case in data.cases:
        for province in {zone.province_en for zone in case.providers}:
            provinces[province] += 1
        for category in case.categories:
            categories[category_label(category)] += 1
    bars = [
        _Bar(("Per providing province:",), (), ""),
        *_count_bars(provinces),
        _Bar(("",), (), ""),
        _Bar(("Per policy category:",), (), ""),
        *_count_bars(categories),
    ]
    largest = max([*provinces.values(), *categories.values(), 1])
    return _bar_chart(
        "Cases per providing province and per policy category",
        bars,
        largest,
        lambda tick: str(int(tick)),
        range(largest + 1),
        f"A case provided by two zones counts for each province; a case has one or more of the {len(Category)} "
        "categories.",
    )


def _effects_by_measure(data: Dataset) -> bytes:
    counts = _distinct_effect_counts(data)
    measures = sorted({measure for measure, _ in counts}, key=lambda m: (-_measure_total(counts, m), m.value))
    bars = [_measure_bar(measure, counts) for measure in measures]
    largest = max((_measure_total(counts, m) for m in measures), default=1)
    with_effects = sum(1 for case in data.cases if case.effects)
    return _bar_chart(
        "What the reforms changed, by measure and direction",
        bars,
        largest,
        lambda tick: str(int(tick)),
        range(0, largest + 1, 2),
        f"effects ({sum(counts.values())} in {with_effects} of the {len(data.cases)} cases); a change the text "
        "states twice counts once.",
        legend=(("down (a cut or saving)", _DOWN, False), ("up (a rise)", _UP, False)),
    )


_EffectCounts = Counter[tuple[Measure, Direction | None]]


def _distinct_effect_counts(data: Dataset) -> _EffectCounts:
    """How many effects change each measure in each direction, an effect that restates another left out."""
    return Counter(
        (effect.measure, effect.direction) for case in data.cases for effect in case.effects if effect.restates is None
    )


def _measure_total(counts: _EffectCounts, measure: Measure) -> int:
    """The effects on ``measure``, in every direction."""
    return sum(counts[measure, direction] for direction in Direction)


def _measure_bar(measure: Measure, counts: _EffectCounts) -> _Bar:
    """A measure's bar: its cuts, then its rises."""
    down, up = counts[measure, Direction.DOWN], counts[measure, Direction.UP]
    return _Bar((measure_label(measure),), ((down, _DOWN, False), (up, _UP, False)), f"{down} down, {up} up")


CHARTS: tuple[Chart, ...] = (
    Chart("time-cuts.svg", _time_cuts_caption, _time_cuts),
    Chart(
        "before-after.svg",
        "Every effect whose text states both ends, before and after, each pair on its own scale, with its relative "
        "change (97 → 26 → 7 working days, 31 → 3 form fields).",
        _before_after,
    ),
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


def render_charts(data: Dataset) -> dict[Path, bytes]:
    """Every chart of ``CHARTS`` as SVG bytes, by its path under the repository, and ``docs/charts.md``."""
    rendered = {CHART_DIR / chart.name: chart.draw(data) for chart in CHARTS}
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
