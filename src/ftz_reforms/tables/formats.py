"""Flat tables of the dataset (cases, sections, metrics) and their JSON, JSON Lines, CSV and Parquet forms.

Each table is described once, column by column (``TABLES``): the records, the CSV header, the Parquet
schema and the Frictionless ``datapackage.json`` all come from that description, so they cannot drift.
Every row carries its case's id and titles, so any one table reads on its own. List-valued columns are
lists in records, JSON and Parquet, and joined with ``"; "`` in CSV.

pandas and pyarrow are optional: ``to_dataframe`` needs the ``pandas`` extra and Parquet the ``parquet``
extra, and each says so when it is missing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ftz_reforms.model.records import Case, Dataset, Metric, Section

__all__ = [
    "FORMATS",
    "LIST_SEPARATOR",
    "TABLES",
    "Column",
    "ExportError",
    "MissingExtraError",
    "Table",
    "csv_text",
    "export_bytes",
    "parquet_bytes",
    "to_dataframe",
    "to_records",
]

LIST_SEPARATOR = "; "
FORMATS = ("json", "jsonl", "csv", "parquet")
ColumnType = Literal["string", "integer", "number", "list"]
Row = dict[str, Any]


class ExportError(ValueError):
    """An export was asked for something that does not exist; the message names what does."""


class MissingExtraError(ImportError):
    """An optional dependency is missing; the message names the extra that installs it."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(f"{module} is not installed: pip install 'ftz-reforms[{extra}]'")


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, its type and what it holds."""

    name: str
    type: ColumnType
    description: str
    required: bool = True


@dataclass(frozen=True)
class Table:
    """A flat table: its columns and how to make its rows from the cases."""

    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: Callable[[Dataset], Iterator[Row]]


_CASE_COLUMNS = (
    Column("case_id", "string", "Case identifier, e.g. b5-01."),
    Column("case_title_zh", "string", "Title of the case, normalized source text."),
    Column("case_title_en", "string", "English translation of the case title."),
)


def _case_keys(case: Case) -> Row:
    return {"case_id": case.id, "case_title_zh": case.title_zh, "case_title_en": case.title_en}


def _case_rows(data: Dataset) -> Iterator[Row]:
    for case in data.cases:
        yield {
            **_case_keys(case),
            "number": case.number,
            "batch": case.batch,
            "provinces": [zone.iso_code for zone in case.providers],
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
            "citation": case.citation(data.source),
        }


def _section_row(case: Case, part: str, position: int, section: Section) -> Row:
    return {
        **_case_keys(case),
        "part": part,
        "position": position,
        "ordinal": section.ordinal,
        "heading_zh": section.heading_zh,
        "heading_en": section.heading_en,
        "text_zh": section.text_zh,
        "text_en": section.text_en,
        "points": list(section.points),
    }


def _section_rows(data: Dataset) -> Iterator[Row]:
    for case in data.cases:
        for part, sections in (("practice", case.practices), ("outcome", case.outcomes)):
            for position, section in enumerate(sections, start=1):
                yield _section_row(case, part, position, section)


def _metric_row(case: Case, metric: Metric) -> Row:
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
        "description_en": metric.description_en,
    }


def _metric_rows(data: Dataset) -> Iterator[Row]:
    for case in data.cases:
        for metric in case.metrics:
            yield _metric_row(case, metric)


TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "cases",
            "One row per case: titles, providers, areas, summary, categories, keywords and where it is printed.",
            ("case_id",),
            (
                *_CASE_COLUMNS,
                Column("number", "integer", "1-based position of the case in the casebook."),
                Column("batch", "integer", "Batch of best-practice cases."),
                Column("provinces", "list", "ISO 3166-2 codes of the provider zones' provinces."),
                Column("providers_zh", "list", "Chinese names of the free trade zones credited with the case."),
                Column("providers_en", "list", "English names of the free trade zones credited with the case."),
                Column("areas_zh", "list", "Chinese names of the pilot areas named in the summary.", required=False),
                Column("areas_en", "list", "English names of the pilot areas named in the summary.", required=False),
                Column("summary_zh", "string", "Introductory paragraph, normalized source text."),
                Column("summary_en", "string", "English translation of the summary."),
                Column("categories", "list", "Policy domains from the controlled vocabulary."),
                Column("keywords", "list", "Key terms computed at build time."),
                Column("metric_count", "integer", "Number of quantified figures of the case."),
                Column("page_start", "integer", "Printed page on which the case starts."),
                Column("page_end", "integer", "Printed page on which the case ends."),
                Column("citation", "string", "How to cite the case."),
            ),
            _case_rows,
        ),
        Table(
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
                Column("text_en", "string", "English translation of the body."),
                Column("points", "list", "Enumerated points of the body, verbatim.", required=False),
            ),
            _section_rows,
        ),
        Table(
            "metrics",
            "One row per quantified figure, with the exact span and sentence it came from.",
            ("metric_id",),
            (
                *_CASE_COLUMNS,
                Column("metric_id", "string", "Metric identifier, e.g. b5-01-m03."),
                Column("where", "string", "intro, practice or outcome."),
                Column("section", "integer", "Ordinal of the section; empty for the intro or a block.", False),
                Column("span", "string", "Exact text of the figure with its qualifier and unit."),
                Column("sentence", "string", "Normalized sentence holding the span."),
                Column("value", "number", "Normalized value (万/亿 applied; fractions as percent)."),
                Column("value_max", "number", "Upper end of a range; empty otherwise.", False),
                Column("unit", "string", "Unit of the value."),
                Column("classifier", "string", "Measure word of a count.", False),
                Column("per", "list", "Denominators of a rate.", False),
                Column("qualifier", "string", "How the text qualifies the figure."),
                Column("role", "string", "level, change, before, after or rank."),
                Column("direction", "string", "up or down for a change; empty otherwise.", False),
                Column("as_of", "string", "Time the text pins the figure to.", False),
                Column("description_en", "string", "What is measured, in English."),
            ),
            _metric_rows,
        ),
    )
}


def _table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise ExportError(f"no table {name!r}: choose one of {', '.join(TABLES)}") from None


def to_records(table: str, data: Dataset | None = None) -> list[Row]:
    """The rows of ``table`` (cases, sections or metrics) as plain dicts, in document order.

    ``data`` defaults to the bundled dataset.
    """
    if data is None:
        from ftz_reforms.store import dataset

        data = dataset()
    return list(_table(table).rows(data))


def to_dataframe(table: str, data: Dataset | None = None) -> Any:
    """The rows of ``table`` as a pandas DataFrame (needs the ``pandas`` extra)."""
    try:
        import pandas
    except ImportError:
        raise MissingExtraError("pandas", "pandas") from None
    columns = [column.name for column in _table(table).columns]
    return pandas.DataFrame.from_records(to_records(table, data), columns=columns)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return "" if value is None else value


def csv_text(table: str, data: Dataset | None = None) -> str:
    """The table as CSV text: a header row, then one row per record (lists joined by ``"; "``)."""
    columns = [column.name for column in _table(table).columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in to_records(table, data):
        writer.writerow([_csv_cell(row[name]) for name in columns])
    return buffer.getvalue()


def _arrow_type(column: Column, pyarrow: Any) -> Any:
    kinds = {"string": pyarrow.string(), "integer": pyarrow.int64(), "number": pyarrow.float64()}
    return pyarrow.list_(pyarrow.string()) if column.type == "list" else kinds[column.type]


def parquet_bytes(table: str, data: Dataset | None = None) -> bytes:
    """The table as a Parquet file (needs the ``parquet`` extra)."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingExtraError("pyarrow", "parquet") from None
    description = _table(table)
    schema = pyarrow.schema([(column.name, _arrow_type(column, pyarrow)) for column in description.columns])
    arrow_table = pyarrow.Table.from_pylist(to_records(table, data), schema=schema)
    sink = io.BytesIO()
    pyarrow.parquet.write_table(arrow_table, sink)
    return sink.getvalue()


def export_bytes(table: str, fmt: str, *, excel: bool = False, data: Dataset | None = None) -> bytes:
    """The table in format ``fmt`` (json, jsonl, csv or parquet), as the bytes of a file.

    ``excel`` puts a UTF-8 byte-order mark before CSV, so Excel opens the Chinese text correctly.
    """
    import orjson  # here, not at the top: the CLI imports this module for a search, which never exports

    if fmt == "json":
        return orjson.dumps(to_records(table, data), option=orjson.OPT_INDENT_2) + b"\n"
    if fmt == "jsonl":
        return b"".join(orjson.dumps(row) + b"\n" for row in to_records(table, data))
    if fmt == "csv":
        return ("\ufeff" if excel else "").encode() + csv_text(table, data).encode("utf-8")
    if fmt == "parquet":
        return parquet_bytes(table, data)
    raise ExportError(f"no format {fmt!r}: choose one of {', '.join(FORMATS)}")
