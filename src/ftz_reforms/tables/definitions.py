"""The flat tables, each defined once: its columns (name, type, meaning) and how its rows are made.

Every output reads these definitions: ``to_records``, JSON, JSON Lines, CSV, Parquet, SQLite, the Frictionless
``datapackage.json``, the data dictionary, and the ``--format`` output of ``list``, ``metrics``, ``effects``
and ``search``, which print rows of the ``cases``, ``metrics``, ``effects`` and ``hits`` tables. Every row of a
table of cases carries its case's id and titles, so any one table reads on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from ftz_reforms.errors import ExportError
from ftz_reforms.model.vocab import AreaKind, Category, Direction, Measure, Qualifier, Role, Unit, Verification, Where

if TYPE_CHECKING:
    from ftz_reforms.model.records import (
        BatchInfo,
        Case,
        Dataset,
        Effect,
        FreeTradeZone,
        Metric,
        Part,
        PilotArea,
        SourceDocument,
        Withdrawn,
    )
    from ftz_reforms.retrieval.engine import Hit

__all__ = [
    "AREAS",
    "BATCHES",
    "CASES",
    "DATASET_TABLES",
    "DIFFERENCES",
    "EFFECTS",
    "HITS",
    "METRICS",
    "PARAGRAPHS",
    "SECTIONS",
    "WITHDRAWN",
    "ZONES",
    "Column",
    "ColumnType",
    "Row",
    "Table",
    "area_row",
    "batch_row",
    "case_row",
    "effect_row",
    "hit_row",
    "metric_row",
    "paragraph_rows",
    "section_row",
    "table_named",
    "withdrawn_row",
    "zone_row",
]

VocabularyType = type[Enum]
"""A controlled vocabulary (a str enum of ``model.vocab``)."""
ColumnType = Literal["string", "integer", "number", "boolean", "list"]
Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, its type and what it holds."""

    name: str
    type: ColumnType
    description: str
    required: bool = True
    """Filled in every row (a list column: never empty)."""
    unit: str | None = None
    """The unit of every value of the column, where there is one (km²), as Pint spells it (km^2)."""
    vocabulary: VocabularyType | None = None
    """The controlled vocabulary the column's values (or items) come from."""


@dataclass(frozen=True)
class Table:
    """A flat table: its columns, its key, and for a table of the dataset how its rows are made."""

    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    dataset_rows: Callable[[Dataset], Iterator[Row]] | None = None
    """The table's rows for a whole dataset; None for a table of query results (``hits``)."""
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    """(column, other table, its column) for every column that refers to another table."""
    leading: tuple[str, ...] = ()
    """The columns a person reads a row by, in that order, where they are not the first ones: a SQLite table
    (and so Datasette's table page) puts them first; every other format keeps the order of ``columns``."""

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def reading_order(self) -> tuple[Column, ...]:
        """The columns with the ``leading`` ones first."""
        first = [next(column for column in self.columns if column.name == name) for name in self.leading]
        return (*first, *(column for column in self.columns if column.name not in self.leading))


_CASE_COLUMNS = (
    Column("case_id", "string", "Case identifier, e.g. b5-01."),
    Column("case_title_zh", "string", "Title of the case, normalized source text."),
    Column(
        "case_title_en",
        "string",
        "English translation of the case title; empty in an imported (uncurated) dataset.",
        False,
    ),
)


def _case_keys(case: Case) -> Row:
    return {"case_id": case.id, "case_title_zh": case.title_zh, "case_title_en": case.title_en}


def _history(record: Case | Metric | Effect) -> Row:
    return {"first_seen": record.first_seen, "last_changed": record.last_changed}


_HISTORY_COLUMNS = (
    Column(
        "first_seen",
        "string",
        "Data version in which the record first appeared under its id (an import: its own version); empty in a "
        "file written before schema 2.5.",
        False,
    ),
    Column(
        "last_changed",
        "string",
        "Data version in which any of its fields last changed (a field the schema added counts once the record "
        "got a value for it); empty in a file written before schema 2.5.",
        False,
    ),
)


def _provinces(case: Case) -> Row:
    return {
        "provinces": [zone.iso_code for zone in case.providers],
        "province_names_zh": [zone.province_zh for zone in case.providers],
        "province_names_en": [zone.province_en for zone in case.providers],
    }


_PROVINCE_COLUMNS = (
    Column("provinces", "list", "ISO 3166-2 codes of the provider zones' provinces."),
    Column("province_names_zh", "list", "Chinese names of the provider zones' provinces, e.g. 广东."),
    Column("province_names_en", "list", "English names of the provider zones' provinces, e.g. Guangdong."),
)


def case_row(case: Case, document: SourceDocument) -> Row:
    """The ``cases`` row of a case published in ``document``."""
    return {
        **_case_keys(case),
        "number": case.number,
        "batch": case.batch,
        **_provinces(case),
        "providers_zh": [zone.name_zh for zone in case.providers],
        "providers_en": [zone.name_en for zone in case.providers],
        "areas_zh": [area.name_zh for area in case.areas],
        "areas_en": [area.name_en for area in case.areas],
        "summary_zh": case.summary_zh,
        "summary_en": case.summary_en,
        "categories": [category.value for category in case.categories],
        "keywords": list(case.keywords),
        "metric_count": len(case.metrics),
        "page_start": case.source.page_start,
        "page_end": case.source.page_end,
        "citation": case.citation(document),
        **_history(case),
    }


def section_row(case: Case, part: Part) -> Row:
    """The ``sections`` row of one section (a part of the case other than its introduction)."""
    section = part.section
    if section is None:
        raise ValueError(f"{case.id}: the introduction is not a section")
    return {
        **_case_keys(case),
        "part": part.where.value,
        "position": part.position,
        "ordinal": section.ordinal,
        "heading_zh": section.heading_zh,
        "heading_en": section.heading_en,
        "text_zh": section.text_zh,
        "text_en": section.text_en,
        "paragraphs": len(section.paragraph_starts_zh),
        "points": list(section.points),
    }


def paragraph_rows(case: Case, part: Part) -> Iterator[Row]:
    """The ``paragraphs`` rows of one part of a case: its introduction or one of its sections."""
    ends_zh = (*part.paragraph_starts_zh[1:], len(part.text_zh))
    english = zip(part.paragraph_starts_en, part.paragraphs_en)
    for number, (start, end, text_zh) in enumerate(zip(part.paragraph_starts_zh, ends_zh, part.paragraphs_zh), start=1):
        start_en, text_en = next(english, (None, None))
        yield {
            **_case_keys(case),
            "part": part.where.value,
            "position": part.position,
            "ordinal": part.ordinal,
            "paragraph": number,
            "start_zh": start,
            "end_zh": end,
            "text_zh": text_zh,
            "start_en": start_en,
            "end_en": None if start_en is None or text_en is None else start_en + len(text_en),
            "text_en": text_en,
        }


def metric_row(case: Case, metric: Metric) -> Row:
    """The ``metrics`` row of one metric of ``case``."""
    part = next(part for part in case.parts() if part.key == (metric.where, metric.section))
    return {
        **_case_keys(case),
        "metric_id": metric.id,
        "where": metric.where.value,
        "section": metric.section,
        "span": metric.span,
        "sentence": metric.sentence,
        "value": metric.value,
        "value_max": metric.value_max,
        "unit": metric.unit.value,
        "classifier": metric.classifier,
        "per": list(metric.per),
        "qualifier": metric.qualifier.value,
        "role": metric.role.value,
        "direction": metric.direction.value if metric.direction else None,
        "as_of": metric.as_of,
        "baseline": metric.baseline,
        "since": metric.since,
        "description_en": metric.description_en,
        "curated": metric.curated,
        "paragraph": part.paragraph_at(metric.start),
        "start": metric.start,
        "end": metric.end,
        "restates": metric.restates,
        **_history(metric),
    }


def effect_row(case: Case, effect: Effect) -> Row:
    """The ``effects`` row of one effect of ``case``: its links, and the figures they name, spelled out."""
    ends = _effect_ends(case, effect)
    linked = [metric for metric in ends.values() if metric is not None]
    part = next(part for part in case.parts() if part.key == (effect.where, effect.section))
    qualifier = effect.relative_change_qualifier
    return {
        **_case_keys(case),
        **_provinces(case),
        "effect_id": effect.id,
        "where": effect.where.value,
        "section": effect.section,
        "paragraph": part.paragraph_at(linked[0].start),
        "measure": effect.measure.value,
        "description_en": effect.description_en,
        "direction": effect.direction.value if effect.direction else None,
        "baseline": effect.baseline,
        **_end_cells(ends),
        "relative_change": effect.relative_change,
        "relative_change_qualifier": qualifier.value if qualifier else None,
        "relative_change_caveat": effect.relative_change_caveat,
        "consistent": effect.consistent,
        "restates": effect.restates,
        "curated": effect.curated,
        "sentence": _sentences_of(linked),
        **_history(effect),
    }


def _effect_ends(case: Case, effect: Effect) -> dict[str, Metric | None]:
    """The metrics an effect links as its before, after and change; None for a link it does not state."""
    links = (("before", effect.before), ("after", effect.after), ("change", effect.change))
    return {name: case.metric(ref) if ref is not None else None for name, ref in links}


def _end_cells(ends: dict[str, Metric | None]) -> Row:
    """The cells of an effect's links: each linked metric's id, span, value and unit, empty for a link not stated."""
    cells: Row = {}
    for name, metric in ends.items():
        cells[name] = metric.id if metric else None
        cells[f"{name}_span"] = metric.span if metric else None
        cells[f"{name}_value"] = metric.value if metric else None
        cells[f"{name}_unit"] = metric.unit.value if metric else None
    return cells


def _sentences_of(metrics: list[Metric]) -> str:
    """The sentences that hold ``metrics``, in the order of the text, each once."""
    in_order = sorted(metrics, key=lambda metric: metric.start)
    return "".join(dict.fromkeys(metric.sentence for metric in in_order))


def hit_row(rank: int, hit: Hit) -> Row:
    """The ``hits`` row of a search result at ``rank`` (1 for the best)."""
    return {
        "rank": rank,
        "case_id": hit.id,
        "case_title_zh": hit.title_zh,
        "case_title_en": hit.title_en,
        "number": hit.number,
        "score": hit.score,
        "matched_terms": list(hit.matched_terms),
        "snippet": hit.snippet,
        "snippet_marked": hit.marked(),
    }


def _plain(value: Any) -> Any:
    """A record's attribute as a row holds it: a vocabulary value as its string, a tuple as a list."""
    if isinstance(value, Enum):
        return value.value
    return list(value) if isinstance(value, tuple) else value


def _attributes(record: Any, table: Table, **derived: Any) -> Row:
    """The row of a reference record whose table's columns are its attributes (but the ``derived`` ones)."""
    return {
        column.name: derived[column.name] if column.name in derived else _plain(getattr(record, column.name))
        for column in table.columns
    }


def zone_row(zone: FreeTradeZone) -> Row:
    """The ``zones`` row of a free trade zone."""
    return _attributes(zone, ZONES)


def area_row(area: PilotArea, zones: dict[str, FreeTradeZone]) -> Row:
    """The ``areas`` row of a pilot area (``zones``: the zones by their province's Chinese name)."""
    return _attributes(area, AREAS, zone_iso_code=zones[area.province_zh].iso_code)


def _zone_rows(data: Dataset) -> Iterator[Row]:
    for zone in data.free_trade_zones:
        yield zone_row(zone)


def _area_rows(data: Dataset) -> Iterator[Row]:
    zones = {zone.province_zh: zone for zone in data.free_trade_zones}
    for area in data.pilot_areas:
        yield area_row(area, zones)


def _case_rows(data: Dataset) -> Iterator[Row]:
    for case in data.cases:
        yield case_row(case, data.source_of(case.batch))


def _section_rows(data: Dataset) -> Iterator[Row]:
    for case in data.cases:
        for part in case.parts():
            if part.section is not None:
                yield section_row(case, part)


def _paragraph_rows(data: Dataset) -> Iterator[Row]:
    for case in data.cases:
        for part in case.parts():
            yield from paragraph_rows(case, part)


def _metric_rows(data: Dataset) -> Iterator[Row]:
    for case in data.cases:
        for metric in case.metrics:
            yield metric_row(case, metric)


def _effect_rows(data: Dataset) -> Iterator[Row]:
    for case in data.cases:
        for effect in case.effects:
            yield effect_row(case, effect)


_NUMBER = Column("number", "integer", "1-based position of the case in its casebook.")

CASES = Table(
    "cases",
    "One row per case: titles, providers, areas, summary, categories, keywords and where it is printed.",
    ("case_id",),
    (
        *_CASE_COLUMNS,
        _NUMBER,
        Column("batch", "integer", "Batch of best-practice cases."),
        *_PROVINCE_COLUMNS,
        Column("providers_zh", "list", "Chinese names of the free trade zones credited with the case."),
        Column("providers_en", "list", "English names of the free trade zones credited with the case."),
        Column("areas_zh", "list", "Chinese names of the pilot areas named in the summary.", required=False),
        Column("areas_en", "list", "English names of the pilot areas named in the summary.", required=False),
        Column("summary_zh", "string", "Introductory paragraph, normalized source text."),
        Column("summary_en", "string", "English translation of the summary; empty in an imported dataset.", False),
        Column(
            "categories",
            "list",
            "Policy domains from the controlled vocabulary; empty in an imported dataset.",
            False,
            vocabulary=Category,
        ),
        Column("keywords", "list", "Key terms computed at build time."),
        Column("metric_count", "integer", "Number of quantified figures of the case."),
        Column("page_start", "integer", "Printed page on which the case starts."),
        Column("page_end", "integer", "Printed page on which the case ends."),
        Column("citation", "string", "How to cite the case."),
        *_HISTORY_COLUMNS,
    ),
    _case_rows,
)

_TO_CASES = (("case_id", "cases", "case_id"),)

SECTIONS = Table(
    "sections",
    "One row per section of a case's practices or outcomes.",
    ("case_id", "part", "position"),
    (
        *_CASE_COLUMNS,
        Column("part", "string", "practice or outcome."),
        Column("position", "integer", "1-based position of the section within its part."),
        Column("ordinal", "integer", "Number of the sub-section; empty for an unnumbered block.", False),
        Column("heading_zh", "string", "Heading without its marker; empty when there is none.", False),
        Column("heading_en", "string", "English translation of the heading.", False),
        Column("text_zh", "string", "Body, normalized source text."),
        Column("text_en", "string", "English translation of the body; empty in an imported dataset.", False),
        Column("paragraphs", "integer", "Number of paragraphs of the body (its rows in the paragraphs table)."),
        Column("points", "list", "Enumerated points of the body, verbatim.", required=False),
    ),
    _section_rows,
    _TO_CASES,
)

PARAGRAPHS = Table(
    "paragraphs",
    "One row per paragraph of a case's introduction and sections, as the casebook prints them, in Chinese and English.",
    ("case_id", "part", "position", "paragraph"),
    (
        *_CASE_COLUMNS,
        Column("part", "string", "Part of the case the paragraph is in.", vocabulary=Where),
        Column("position", "integer", "1-based position of the section within its part; 0 for the introduction."),
        Column(
            "ordinal",
            "integer",
            "Number of the sub-section (a metric's section); empty for the intro or a block.",
            False,
        ),
        Column("paragraph", "integer", "1-based number of the paragraph within its part (a metric's paragraph)."),
        Column("start_zh", "integer", "Where the paragraph starts in its part's Chinese text (code points)."),
        Column("end_zh", "integer", "Where it ends in the Chinese text (exclusive): text_zh[start_zh:end_zh]."),
        Column("text_zh", "string", "The paragraph, normalized source text."),
        Column("start_en", "integer", "Where the paragraph starts in the part's English text.", False),
        Column("end_en", "integer", "Where it ends in the English text (exclusive, before the joining space).", False),
        Column("text_en", "string", "English translation of the paragraph.", False),
    ),
    _paragraph_rows,
    _TO_CASES,
)

METRICS = Table(
    "metrics",
    "One row per quantified figure, with the exact span and sentence it came from.",
    ("metric_id",),
    (
        *_CASE_COLUMNS,
        Column("metric_id", "string", "Metric identifier, e.g. b5-01-m03."),
        Column("where", "string", "Part of the case the figure is in.", vocabulary=Where),
        Column("section", "integer", "Ordinal of the section; empty for the intro or a block.", False),
        Column("span", "string", "Exact text of the figure with its qualifier and unit."),
        Column("sentence", "string", "Normalized sentence holding the span."),
        Column("value", "number", "Normalized value (万/亿 applied; fractions as percent)."),
        Column("value_max", "number", "Upper end of a range; empty otherwise.", False),
        Column("unit", "string", "Unit of the value.", vocabulary=Unit),
        Column("classifier", "string", "Measure word of a count.", False),
        Column("per", "list", "Denominators of a rate.", False),
        Column("qualifier", "string", "How the text qualifies the figure.", vocabulary=Qualifier),
        Column("role", "string", "What the figure is within its sentence.", vocabulary=Role),
        Column("direction", "string", "up or down for a change; empty otherwise.", False, vocabulary=Direction),
        Column("as_of", "string", "Time the text pins the figure to.", False),
        Column(
            "baseline",
            "string",
            "What a change is compared with: a year, same_period_last_year, previous_period or before_reform; "
            "empty for any other figure.",
            False,
        ),
        Column("since", "string", "Start of a cumulative figure (自2020年4月…以来 → 2020-04); empty otherwise.", False),
        Column("description_en", "string", "What is measured, in English; empty for an uncurated figure.", False),
        Column("curated", "boolean", "Whether a curator reviewed the figure; false for an imported casebook's."),
        Column("paragraph", "integer", "1-based number of the paragraph of its part that holds the figure."),
        Column("start", "integer", "Where the span starts in its part's text (code points): text[start:end] == span."),
        Column("end", "integer", "Where the span ends in its part's text (exclusive)."),
        Column(
            "restates", "string", "Id of an earlier metric of the case this figure repeats; empty otherwise.", False
        ),
        *_HISTORY_COLUMNS,
    ),
    _metric_rows,
    _TO_CASES,
    leading=("metric_id", "case_id", "span", "value", "unit", "role", "direction", "description_en", "sentence"),
)


def _end_columns(name: str, what: str) -> tuple[Column, ...]:
    return (
        Column(name, "string", f"Id of the metric stating {what}; empty when the text states none.", False),
        Column(f"{name}_span", "string", "Exact text of that figure (the metric's span).", False),
        Column(f"{name}_value", "number", "Its normalized value.", False),
        Column(f"{name}_unit", "string", "Its unit.", False, vocabulary=Unit),
    )


EFFECTS = Table(
    "effects",
    "One row per effect: a statement that a reform changed a quantity, with the metrics of its two ends and "
    "its change, the measure, direction, baseline and relative change.",
    ("effect_id",),
    (
        *_CASE_COLUMNS,
        *_PROVINCE_COLUMNS,
        Column("effect_id", "string", "Effect identifier, e.g. b5-08-e01."),
        Column("where", "string", "Part of the case the statement is in.", vocabulary=Where),
        Column("section", "integer", "Ordinal of the section; empty for the intro or a block.", False),
        Column("paragraph", "integer", "1-based number of the paragraph of its part that holds the statement."),
        Column("measure", "string", "What quantity changed.", vocabulary=Measure),
        Column("description_en", "string", "What changed, in English; empty for an uncurated effect.", False),
        Column("direction", "string", "up or down (a saving or reduction is down).", False, vocabulary=Direction),
        Column(
            "baseline",
            "string",
            "What the change is compared with: a year, same_period_last_year, previous_period or before_reform.",
            False,
        ),
        *_end_columns("before", "the quantity before the change"),
        *_end_columns("after", "the quantity the change reached"),
        *_end_columns("change", "the size of the change"),
        Column(
            "relative_change",
            "number",
            "Signed percent: computed from the ends (one unit, or minutes/hours/days), else the stated percent or "
            "multiple; empty otherwise.",
            False,
            "percent",
        ),
        Column(
            "relative_change_qualifier",
            "string",
            "How exact relative_change is: exact, approx, or a bound (at_most when it comes from a 'more than' "
            "before, as 2万余件 → 7万件); empty when there is none.",
            False,
            vocabulary=Qualifier,
        ),
        Column(
            "relative_change_caveat",
            "string",
            "Why relative_change may not mean what it seems, where the text leaves it open (percent or "
            "percentage points?); empty when the text is clear.",
            False,
        ),
        Column(
            "consistent",
            "boolean",
            "Whether the stated change agrees with the ends within the text's rounding; empty unless both are stated.",
            False,
        ),
        Column(
            "restates",
            "string",
            "Id of an earlier effect of the case this statement repeats (count it once); empty otherwise.",
            False,
        ),
        Column("curated", "boolean", "Whether a curator reviewed the effect; false for an imported casebook's."),
        Column("sentence", "string", "The normalized sentence (or two) that states the effect."),
        *_HISTORY_COLUMNS,
    ),
    _effect_rows,
    (
        *_TO_CASES,
        ("before", "metrics", "metric_id"),
        ("after", "metrics", "metric_id"),
        ("change", "metrics", "metric_id"),
    ),
    leading=(
        "effect_id",
        "case_id",
        "measure",
        "before_span",
        "after_span",
        "change_span",
        "relative_change",
        "description_en",
        "province_names_en",
    ),
)

_SOURCES = Column("sources", "list", "Where the reference facts come from (addresses of the pages that state them).")

ZONES = Table(
    "zones",
    "One row per pilot free trade zone: all 22, with their official names and planned size.",
    ("iso_code",),
    (
        Column("iso_code", "string", "ISO 3166-2 code of the zone's province-level division, e.g. CN-GD."),
        Column("province_zh", "string", "Province-level division in Chinese, e.g. 广东."),
        Column("province_en", "string", "Province-level division in English, e.g. Guangdong."),
        Column("name_zh", "string", "Official Chinese name, e.g. 中国（广东）自由贸易试验区."),
        Column("name_en", "string", "Official English name, e.g. China (Guangdong) Pilot Free Trade Zone."),
        Column("established", "integer", "Year the State Council approved the zone's overall plan."),
        Column("size_km2", "number", "Total planned size in km² where a source states it; else empty.", False, "km^2"),
        Column("note", "string", "What the reference facts leave open.", False),
        _SOURCES,
    ),
    _zone_rows,
)

AREAS = Table(
    "areas",
    "One row per pilot area (片区) of every zone, with its kind, year, planned size, aliases and sources.",
    ("name_zh",),
    (
        Column("name_zh", "string", "Official Chinese name, e.g. 广州南沙新区片区."),
        Column("short_name_en", "string", "Short English name, e.g. Nansha Area."),
        Column(
            "name_en", "string", "Full English name, e.g. Nansha Area of the China (Guangdong) Pilot Free Trade Zone."
        ),
        Column("zone_iso_code", "string", "ISO code of the zone the area belongs to (see the zones table)."),
        Column("province_zh", "string", "Province of the zone the area belongs to, e.g. 广东."),
        Column("kind", "string", "What kind of place the area is.", vocabulary=AreaKind),
        Column("established", "integer", "Year the area was set up."),
        Column(
            "size_km2",
            "number",
            "Planned size in km² where a source states it; else empty, never a guess.",
            False,
            "km^2",
        ),
        Column("aliases_zh", "list", "Other Chinese names in use, e.g. 南沙片区.", False),
        Column("aliases_en", "list", "Other English names in use, e.g. South Sichuan Port Area.", False),
        Column("part_of", "string", "Chinese name of the area this one is grouped under.", False),
        Column("status", "string", "How far the sources confirm the row's facts.", vocabulary=Verification),
        Column("note", "string", "What the reference facts leave open.", False),
        _SOURCES,
    ),
    _area_rows,
    (("zone_iso_code", "zones", "iso_code"),),
)

HITS = Table(
    "hits",
    "One row per case a search found, best first.",
    ("rank",),
    (
        Column("rank", "integer", "1 for the best match."),
        *_CASE_COLUMNS,
        _NUMBER,
        Column("score", "number", "BM25F score of the case for the query (higher is better)."),
        Column("matched_terms", "list", "The query's terms the case holds, in the query's order."),
        Column("snippet", "string", "The best-matching sentence (shortened around its first match when long)."),
        Column("snippet_marked", "string", "The snippet with every match between « and »."),
    ),
)


def batch_row(batch: BatchInfo) -> Row:
    """The ``batches`` row of one batch of the series."""
    return _attributes(batch, BATCHES)


def _batch_rows(data: Dataset) -> Iterator[Row]:
    for batch in data.batches:
        yield batch_row(batch)


BATCHES = Table(
    "batches",
    "One row per batch of the series of best practice cases: when announced, how many cases, who issued it, "
    "whether this dataset holds it; every fact with its sources.",
    ("number",),
    (
        Column("number", "integer", "The batch's number in the series (第N批)."),
        Column("announced", "string", "When the batch was announced (YYYY-MM); empty when no source states it.", False),
        Column("cases", "integer", "How many cases the batch holds, as a source states it; else empty.", False),
        Column("issuer", "string", "Who issued or announced the batch, in English; empty when not stated.", False),
        Column("issuer_zh", "string", "Who issued or announced the batch, in Chinese; empty when not stated.", False),
        Column("bundled", "boolean", "Whether this dataset holds the batch's cases."),
        Column("status", "string", "How far the sources confirm the row's facts.", vocabulary=Verification),
        Column("note", "string", "What the sources leave open, or how they disagree.", False),
        Column("sources", "list", "Where the facts come from (addresses of the pages that state them).", False),
    ),
    _batch_rows,
)


def withdrawn_row(withdrawn: Withdrawn, case: Case | None) -> Row:
    """The ``withdrawn`` row of a withdrawn id (``case``: the case that held it, None for a withdrawn case)."""
    kind = "metric" if "-m" in withdrawn.id else "effect" if "-e" in withdrawn.id else "case"
    return {
        "withdrawn_id": withdrawn.id,
        "kind": kind,
        "case_id": case.id if case is not None else withdrawn.id,
        "data_version": withdrawn.data_version,
        "reason": withdrawn.reason,
    }


def _withdrawn_rows(data: Dataset) -> Iterator[Row]:
    for withdrawn in data.withdrawn:
        yield withdrawn_row(withdrawn, None)
    for case in data.cases:
        for withdrawn in case.withdrawn:
            yield withdrawn_row(withdrawn, case)


WITHDRAWN = Table(
    "withdrawn",
    "One row per id a release withdrew: the id is never used again, and a lookup of it says when and why.",
    ("withdrawn_id",),
    (
        Column("withdrawn_id", "string", "The withdrawn case, metric or effect id."),
        Column("kind", "string", "case, metric or effect."),
        Column("case_id", "string", "The case that held it (the id itself for a withdrawn case)."),
        Column("data_version", "string", "The data version that withdrew it."),
        Column("reason", "string", "Why it was withdrawn."),
    ),
    _withdrawn_rows,
)

DIFFERENCES = Table(
    "differences",
    "One row per changed field (one per record added, withdrawn or removed) between two dataset files, as "
    "`ftz-reforms diff` reports them.",
    ("kind", "id", "field"),
    (
        Column("kind", "string", "case, metric, effect, zone, area, batch or source."),
        Column("id", "string", "The record's id (a zone's ISO code, an area's Chinese name, a batch's number)."),
        Column("status", "string", "added, changed, withdrawn or removed."),
        Column("field", "string", "The changed field's path within the record; empty unless changed.", False),
        Column("old", "string", "Its old value, as JSON; empty where there was none.", False),
        Column("new", "string", "Its new value, as JSON; empty where there is none.", False),
        Column("reason", "string", "Why a withdrawn record was withdrawn; empty otherwise.", False),
    ),
)

DATASET_TABLES: dict[str, Table] = {
    table.name: table for table in (CASES, SECTIONS, PARAGRAPHS, METRICS, EFFECTS, ZONES, AREAS, BATCHES, WITHDRAWN)
}
"""The tables every dataset exports, by name."""


def table_named(name: str) -> Table:
    """The dataset table called ``name``; an :class:`ExportError` naming the tables otherwise."""
    try:
        return DATASET_TABLES[name]
    except KeyError:
        raise ExportError(f"no table {name!r}: choose one of {', '.join(DATASET_TABLES)}") from None
