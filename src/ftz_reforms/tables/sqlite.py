"""The dataset as one SQLite database, ready for Datasette: every table, its keys, and full-text search
that works for Chinese.

Every dataset table of ``definitions`` becomes a table with its primary key and foreign keys, its columns in
reading order (a table's ``leading`` columns first, so that Datasette's page of the effects opens on the spans
and the relative change, not on the titles and provinces every row repeats); list columns hold JSON arrays (so
Datasette can facet on them with ``_facet_array``). SQLite's default FTS tokenizer sees a run of Chinese
characters as one word, and its trigram tokenizer needs three characters, so a two-character word such as 退货
would match nothing: ``cases_fts``, ``sections_fts`` and ``paragraphs_fts`` index the Chinese text pre-segmented
(jieba's search mode over the casebook's dictionary, words separated by spaces) beside the English text
(Porter-stemmed), as external-content indexes of ``cases``, ``sections`` and ``paragraphs``, so that Datasette
finds them and ``_search=退货`` works; and ``cases_trigram`` holds each case's raw Chinese for substring search
of three characters or more.
Only the standard library's ``sqlite3`` is needed.

``datasette_metadata`` gives the database's title, description, licence and source and a description
(and unit) for every column, from the same column definitions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftz_reforms._files import refuse_same_file, text_of, write_atomically, write_atomically_with, writes_in_place
from ftz_reforms.tables.definitions import DATASET_TABLES, Column, Row, Table

if TYPE_CHECKING:
    from ftz_reforms.model.records import Case, Dataset

__all__ = [
    "CANNED_QUERIES",
    "FACET_SIZE",
    "FTS_TABLES",
    "QUERY_READING_TABLE",
    "QueryReading",
    "datasette_metadata",
    "to_sqlite",
    "write_sqlite",
]

_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "list": "TEXT"}

Tokenize = Callable[[str], list[str]]

FTS_TABLES = {"cases": "cases_fts", "sections": "sections_fts", "paragraphs": "paragraphs_fts"}
"""The full-text index of each table that has one (Datasette's ``_search``)."""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_table(table: Table) -> str:
    columns = [
        f"{_quoted(c.name)} {_SQL_TYPES[c.type]}{' NOT NULL' if c.required else ''}" for c in table.reading_order
    ]
    columns.append(f"PRIMARY KEY ({', '.join(_quoted(k) for k in table.key)})")
    for column, other, other_column in table.foreign_keys:
        columns.append(f"FOREIGN KEY ({_quoted(column)}) REFERENCES {_quoted(other)}({_quoted(other_column)})")
    return f"CREATE TABLE {_quoted(table.name)} (\n  " + ",\n  ".join(columns) + "\n)"


def _depth(table: Table) -> int:
    """How many tables stand between ``table`` and a table that refers to none."""
    return max((1 + _depth(DATASET_TABLES[other]) for _, other, _ in table.foreign_keys), default=0)


def _cell(column: Column, value: Any) -> Any:
    if column.type == "list":
        return json.dumps(value or [], ensure_ascii=False)
    if column.type == "boolean" and value is not None:
        return int(bool(value))
    return value


def _insert(connection: sqlite3.Connection, table: Table, rows: Iterable[Row]) -> None:
    names = ", ".join(_quoted(column.name) for column in table.reading_order)
    marks = ", ".join("?" for _ in table.columns)
    connection.executemany(
        f"INSERT INTO {_quoted(table.name)} ({names}) VALUES ({marks})",
        ([_cell(column, row[column.name]) for column in table.reading_order] for row in rows),
    )


def _segmented(tokenize: Tokenize, text: str | None) -> str:
    return " ".join(token for token in tokenize(text) if token.strip()) if text else ""


# The columns each index holds, all columns of its table (so Datasette finds the index by its
# content="…" and searches the table with _search); Chinese ones are indexed pre-segmented.
_INDEXED: dict[str, tuple[tuple[str, bool], ...]] = {
    "cases": (
        ("case_title_zh", True),
        ("case_title_en", False),
        ("summary_zh", True),
        ("summary_en", False),
        ("keywords", True),
        ("sections_zh", True),
        ("sections_en", False),
    ),
    "sections": (("heading_zh", True), ("heading_en", False), ("text_zh", True), ("text_en", False)),
    "paragraphs": (("text_zh", True), ("text_en", False)),
}


def _with_sections(rows: Iterable[Row], data: Dataset) -> Iterator[Row]:
    """The cases rows with their sections' headings and text in each language, which ``cases_fts`` indexes
    too (no column of the table holds them): a search of the cases finds what a case says, not only its title."""
    for row, case in zip(rows, data.cases, strict=True):
        sections = [*case.practices, *case.outcomes]
        yield {
            **row,
            "sections_zh": "\n".join(f"{s.heading_zh or ''}\n{s.text_zh}" for s in sections),
            "sections_en": "\n".join(f"{s.heading_en or ''}\n{s.text_en or ''}" for s in sections),
        }


def _index_rows(table: Table, rows: Iterable[Row], tokenize: Tokenize) -> Iterable[tuple[Any, ...]]:
    for rowid, row in enumerate(rows, start=1):
        values = []
        for name, chinese in _INDEXED[table.name]:
            value = row[name]
            if isinstance(value, list):
                value = " ".join(value)
            values.append(_segmented(tokenize, value) if chinese else (value or ""))
        yield (rowid, *values)


def _parts_text_zh(case: Case) -> str:
    return "\n".join(part.text_zh for part in case.parts())


QUERY_READING_TABLE = "_ftz_query_reading"
"""How a query is read for this database's full-text indexes: the segmenter's dictionary and the traditional →
simplified mapping, so that the Datasette plugin reads 出口退货 or 退貨 as the index was written."""


@dataclass(frozen=True)
class QueryReading:
    """What segments and folds this database's text (from the dataset's search index)."""

    tokenize: Tokenize
    dictionary: Mapping[str, Any]
    """The segmenter's ``{"total": …, "frequencies": {…}}``."""
    traditional: Mapping[str, str]


def write_sqlite(path: Path, data: Dataset, reading: QueryReading) -> None:
    """Write ``data`` as a SQLite database at ``path`` (replacing any file there).

    ``reading.tokenize`` cuts Chinese text into search-mode tokens (the search index's segmenter); the
    dictionary and the traditional mapping are stored beside the tables, for the Datasette plugin.
    """
    tokenize = reading.tokenize
    if path.exists():
        path.unlink()
    connection = sqlite3.connect(path)
    try:
        with connection:
            # Referenced tables first, so every foreign key points at a table that exists (effects → metrics → cases).
            for table in sorted(DATASET_TABLES.values(), key=_depth):
                assert table.dataset_rows is not None
                connection.execute(_create_table(table))
                _insert(connection, table, table.dataset_rows(data))
            for name, index in FTS_TABLES.items():
                table = DATASET_TABLES[name]
                assert table.dataset_rows is not None
                columns = [column for column, _ in _INDEXED[name]]
                # External content: Datasette finds the index by content="…"; what is indexed is the
                # segmented text, what a query returns is the table's own row.
                connection.execute(
                    f"CREATE VIRTUAL TABLE {index} USING fts5({', '.join(columns)}, "
                    f"content=\"{name}\", tokenize='porter unicode61')"
                )
                marks = ", ".join("?" for _ in range(len(columns) + 1))
                rows = table.dataset_rows(data)
                connection.executemany(
                    f"INSERT INTO {index} (rowid, {', '.join(columns)}) VALUES ({marks})",
                    _index_rows(table, _with_sections(rows, data) if name == "cases" else rows, tokenize),
                )
            connection.execute(
                "CREATE VIRTUAL TABLE cases_trigram USING fts5(case_id UNINDEXED, text_zh, tokenize='trigram')"
            )
            connection.executemany(
                "INSERT INTO cases_trigram (case_id, text_zh) VALUES (?, ?)",
                ((case.id, _parts_text_zh(case)) for case in data.cases),
            )
            connection.execute(f"CREATE TABLE {QUERY_READING_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.executemany(
                f"INSERT INTO {QUERY_READING_TABLE} (name, value) VALUES (?, ?)",
                [
                    ("dictionary", json.dumps(reading.dictionary, ensure_ascii=False, sort_keys=True)),
                    ("traditional", json.dumps(reading.traditional, ensure_ascii=False, sort_keys=True)),
                ],
            )
        connection.execute("VACUUM")
    finally:
        connection.close()


def metadata_path(path: Path) -> Path:
    """Where Datasette's metadata of the database at ``path`` goes: ``<name>.metadata.json`` beside it."""
    return path.with_name(f"{path.stem}.metadata.json")


def to_sqlite(
    path: str | Path, data: Dataset, reading_of: Callable[[], QueryReading], *, keep: Iterable[tuple[Path, str]] = ()
) -> Path | None:
    """Write ``data`` as a SQLite database at ``path``, and beside it Datasette's metadata
    (``metadata_path``); returns the metadata file's path. ``reading_of()`` gives what segments the Chinese
    text (the dataset's search segmenter), asked for only once both files are known to be allowed: a refusal
    costs no search index. Each file is written whole or not at all: a failure or an interruption leaves
    what was there before, and no journal. A device, FIFO or descriptor at ``path`` receives the database and
    no metadata (None is returned); neither file may be one of ``keep`` (the files the caller reads).
    """
    path = Path(path)
    beside = not writes_in_place(path)
    refuse_same_file(path, keep)
    if beside:
        refuse_same_file(metadata_path(path), keep)
    reading = reading_of()

    def write(temporary: Path) -> None:
        try:
            write_sqlite(temporary, data, reading)
        except sqlite3.Error as error:
            # SQLite's own word for a failed write (a full disk, a size limit): an OSError, so the file
            # being replaced stays as it was and the message names it.
            raise OSError(str(error)) from None
        finally:
            for suffix in ("-journal", "-wal", "-shm"):
                temporary.with_name(temporary.name + suffix).unlink(missing_ok=True)

    write_atomically_with(path, write)
    if not beside:
        return None
    metadata = metadata_path(path)
    text = json.dumps(datasette_metadata(data, text_of(path.stem)), ensure_ascii=False, indent=2) + "\n"
    write_atomically(metadata, text.encode("utf-8"))
    return metadata


PRESET_FACETS: dict[str, list[Any]] = {
    "cases": [{"array": "province_names_en"}, {"array": "categories"}],
    "metrics": ["unit", "role"],
    "effects": [{"array": "province_names_en"}, "measure", "direction"],
}
"""The facets a table page opens with: what a reader filters these tables by (list columns as arrays)."""


FACET_SIZE = 6
"""The values a preset facet lists before its "…" link: short enough that a table page opens on its rows."""


def datasette_metadata(data: Dataset, database: str = "ftz") -> dict[str, Any]:
    """Datasette's metadata for the database named ``database``: title, licence, source, every column."""
    titles = "; ".join(f"{d.title_en} ({d.title_zh})" for d in data.sources if d.title_en)
    tables: dict[str, Any] = {table.name: _table_metadata(table) for table in DATASET_TABLES.values()}
    tables[QUERY_READING_TABLE] = {"hidden": True, "description": "How the search box reads a query (for the plugin)."}
    return {
        "title": "ftz-reforms: best practice cases of China's pilot free trade zones",
        "description": (
            f"The {len(data.cases)} cases of {titles or 'the casebook'}, their sections and quantified figures, "
            "and the reference tables of the 22 pilot free trade zones and their pilot areas. Search with "
            "Chinese words (退货) or English ones; list columns are JSON arrays (facet with _facet_array)."
        ),
        "license": "Source text: official document, outside copyright (PRC Copyright Law, Art. 5); curation: MIT",
        "license_url": "https://opensource.org/licenses/MIT",
        "source": "; ".join(filter(None, (d.publisher_en for d in data.sources))) or "ftz-reforms",
        "databases": {database: {"tables": tables, "queries": CANNED_QUERIES}},
    }


def _table_metadata(table: Table) -> dict[str, Any]:
    """Datasette's metadata of one table: its columns in reading order, units, search, facets and sort."""
    entry: dict[str, Any] = {
        "description": table.description,
        "columns": {column.name: column.description for column in table.reading_order},
    }
    units = {column.name: column.unit for column in table.columns if column.unit}
    if units:
        entry["units"] = units
    if table.name in FTS_TABLES:
        entry["fts_table"] = FTS_TABLES[table.name]
    if table.name in PRESET_FACETS:
        entry["facets"] = PRESET_FACETS[table.name]
        entry["facet_size"] = FACET_SIZE
    if table.leading:  # the rows in the order of their ids (a case's records in the order it states them)
        entry["sort"] = table.key[0]
    return entry


CANNED_QUERIES: dict[str, dict[str, str]] = {
    "largest_time_cuts": {
        "title": "Largest time cuts",
        "description": "Effects on processing, waiting or transit time, the largest relative cut first, with the "
        "figures of both ends and the stated change.",
        "sql": (
            "select case_id, effect_id, description_en, before_span, after_span, change_span, relative_change, "
            "consistent, sentence from effects where measure in ('processing_time', 'waiting_or_transit_time') "
            "and direction = 'down' and restates is null "
            "order by relative_change is null, relative_change, case_id, effect_id"
        ),
    },
    "money_saved_by_case": {
        "title": "Money saved by case",
        "description": "Costs, fees and taxes cut, in CNY, by case: each saving stated as an amount (a percent has "
        "no base to turn into money, so it is left out).",
        "sql": (
            "select e.case_id, c.case_title_en, count(*) as savings, sum(m.value) as cny_saved, "
            "group_concat(m.span, '; ') as figures from effects e join metrics m on m.metric_id = e.change "
            "join cases c on c.case_id = e.case_id where e.measure in ('cost', 'fees_or_taxes') and "
            "e.direction = 'down' and e.restates is null and m.unit = 'CNY' group by e.case_id order by cny_saved desc"
        ),
    },
    "effects_by_measure": {
        "title": "Effects by measure and direction",
        "description": "How many effects each measure has, up and down (a change the text states twice counts once).",
        "sql": (
            "select measure, direction, count(*) as effects, count(relative_change) as with_relative_change "
            "from effects where restates is null group by measure, direction order by effects desc, measure, direction"
        ),
    },
}
"""Datasette's canned queries over the effects (``/ftz/largest_time_cuts``)."""
