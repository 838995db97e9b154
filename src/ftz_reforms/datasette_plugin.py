"""A Datasette plugin: the search box reads Chinese as people type it, unspaced, simplified or traditional.

SQLite's full-text index of an ftz-reforms database holds the Chinese text cut into words (退货, 出口), so a
query typed without spaces (出口退货) reaches it as one word that no row holds, and a traditional one (退貨)
as characters no row uses. Datasette turns what is typed in the box (``_search``, ``_search_COLUMN``) into
the index's query language with the SQL function ``escape_fts``; on a connection to one of our databases
this plugin defines that function again (``prepare_connection``), so that it first reads the query as the
index was written: traditional characters become simplified ones and every run of Chinese is cut into the
words the index holds, with the database's own dictionary (both are stored in the database by
``ftz-reforms export --format sqlite``, table ``_ftz_query_reading``). Datasette then finds the rows that
hold every word. The request is never rewritten: the box keeps what the user typed, and the page says how
it was read (``filters_from_request``: "… and the box read it as "出口" "退货""). A database without that
table, or whose table is not as the export writes it (another program's table of that name, a damaged one),
and ``_searchmode=raw`` (which does not call ``escape_fts``), are searched as Datasette searches them
without the plugin.

It also shows the export's tables as people read them, in the table pages only (the JSON and CSV Datasette
serves keep the stored values): a boolean column as ``yes``/``no`` (SQLite stores 1/0), a number as it is
written (``50,000,000``, not ``50000000.0``), a relative change as a rounded percent (``-73.2%``), and the
column descriptions folded under one line above the rows, a click away.

Datasette loads it by itself when ftz-reforms is installed beside it (``pip install "ftz-reforms[datasette]"``);
nothing else imports it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from typing import Any, TypeGuard

from datasette import hookimpl
from datasette.utils import escape_fts

from ftz_reforms.retrieval.segmenter import Segmenter
from ftz_reforms.tables.definitions import DATASET_TABLES, Column
from ftz_reforms.tables.sqlite import QUERY_READING_TABLE
from ftz_reforms.text.chars import CJK_RUN
from ftz_reforms.text.english import plain_number, signed_percent

__all__ = [
    "LARGEST_VALUE",
    "LONGEST_WORD",
    "QueryReader",
    "extra_body_script",
    "filters_from_request",
    "prepare_connection",
    "reader_from",
    "reader_of",
    "render_cell",
]

_COLUMNS = {(table.name, column.name): column for table in DATASET_TABLES.values() for column in table.columns}
"""Every column of the export's tables, by (table, column)."""


class QueryReader:
    """Reads a search query as one database's index was written."""

    def __init__(self, dictionary: dict[str, Any], traditional: dict[str, str]) -> None:
        self._segmenter = Segmenter(dictionary["frequencies"], dictionary["total"])
        self._simplified = str.maketrans(traditional)

    def read(self, query: str) -> str:
        """``query`` with its Chinese in simplified characters and cut into words, separated by spaces."""
        simplified = query.translate(self._simplified)

        def words(run: Any) -> str:
            found = list(dict.fromkeys(self._segmenter.words(run.group())))
            return f" {' '.join(found)} " if found else run.group()

        return " ".join(CJK_RUN.sub(words, simplified).split())


LARGEST_VALUE = 8 * 1024 * 1024
"""The longest value of a reading table read, in characters: the bundled database's are about 43,000, and
jieba's whole dictionary written so would be 4.5 million."""
LONGEST_WORD = 32
"""The longest dictionary word read: the bundled dictionary's longest has 9 characters, jieba's 16."""


def _character(value: object) -> bool:
    """One character a query string can carry (UTF-8 has no lone surrogate)."""
    return isinstance(value, str) and len(value) == 1 and not "\ud800" <= value <= "\udfff"


def _word_counts(value: object) -> dict[str, int] | None:
    if not isinstance(value, dict):
        return None
    for word, count in value.items():
        if not (isinstance(word, str) and 0 < len(word) <= LONGEST_WORD):
            return None
        if type(count) is not int or count < 0:
            return None
    return value


def reader_from(rows: Iterable[Sequence[object]]) -> QueryReader | None:
    """The reader the rows of a reading table (``name, value``) describe, or None when they are not as
    ``export --format sqlite`` writes them: one JSON text each for ``dictionary`` (``frequencies``, word →
    count, and ``total``, both whole numbers) and ``traditional`` (one character → one character)."""
    values = _reading_values(rows)
    if values is None:
        return None
    dictionary, traditional = values.get("dictionary"), values.get("traditional")
    if _is_dictionary(dictionary) and _is_character_table(traditional):
        return QueryReader(dictionary, traditional)
    return None


_READINGS = ("dictionary", "traditional")
"""The names of a reading table's rows."""


def _reading_values(rows: Iterable[Sequence[object]]) -> dict[object, object] | None:
    """Each row's JSON value by its name, or None as soon as a row is not one the export writes."""
    values: dict[object, object] = {}
    for row in rows:
        entry = _reading_entry(row, values)
        if entry is None:
            return None
        name, value = entry
        values[name] = value
    return values


def _reading_entry(row: Sequence[object], seen: Collection[object]) -> tuple[object, object] | None:
    """A row's name and JSON value, or None for a row the export does not write: not a pair, a name it does not
    write or one ``seen`` already, a value that is not a JSON text of at most ``LARGEST_VALUE`` characters."""
    if len(row) != 2:
        return None
    name, text = row
    if name not in _READINGS or name in seen or not isinstance(text, str) or len(text) > LARGEST_VALUE:
        return None
    try:
        return name, json.loads(text)
    except (ValueError, RecursionError):
        return None


def _is_dictionary(value: object) -> TypeGuard[dict[str, Any]]:
    """Whether ``value`` is a dictionary as the export writes it: ``frequencies`` (word → count) and ``total``,
    a whole number above zero."""
    if not isinstance(value, dict):
        return False
    total = value.get("total")
    return _word_counts(value.get("frequencies")) is not None and type(total) is int and total > 0


def _is_character_table(value: object) -> TypeGuard[dict[str, str]]:
    """Whether ``value`` maps one character to one character."""
    return isinstance(value, dict) and all(_character(one) for pair in value.items() for one in pair)


_READING_SQL = (
    f"select name, case when length(value) <= {LARGEST_VALUE} then value end from {QUERY_READING_TABLE} limit 3"
)


def reader_of(connection: sqlite3.Connection) -> QueryReader | None:
    """The reader of the database ``connection`` opens, or None when it holds no reading table as the
    export writes it."""
    try:
        rows = connection.execute(_READING_SQL).fetchall()
    except sqlite3.Error:  # no such table, another program's columns, a query Datasette interrupts
        return None
    return reader_from(rows)


# Datasette defines its own escape_fts on every connection, in a hook of the same name: ours comes after it.
@hookimpl(trylast=True)  # type: ignore[untyped-decorator]  # datasette ships no type information
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    reader = reader_of(conn)
    if reader is None:
        return

    def read_then_escape(query: str) -> str:
        return str(escape_fts(reader.read(query)))

    conn.create_function("escape_fts", 1, read_then_escape, deterministic=True)


def _escaped_searches(request: Any, table_metadata: dict[str, Any]) -> list[str]:
    """What the user typed in the search boxes that Datasette passes through ``escape_fts``, as its own search
    filter reads them: ``_search`` alone when given, else every ``_search_COLUMN``; none in raw mode."""
    mode = request.args.get("_searchmode") or ("raw" if table_metadata.get("searchmode") == "raw" else "escaped")
    if mode == "raw":
        return []
    names = [name for name in request.args if name.startswith("_search") and name != "_searchmode"]
    return [request.args[name] for name in (["_search"] if "_search" in names else names)]


@hookimpl(trylast=True)  # type: ignore[untyped-decorator]  # datasette ships no type information
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Callable[[], Awaitable[Any]]:
    """Says beside the box how a search was read, where the reading changed it; filters nothing itself."""

    # Here, not at the top: importing datasette.filters leaves an in-memory SQLite connection open (its
    # detect_json1), which a program that imports this module to read a database's reading table never needs.
    from datasette.filters import FilterArguments

    async def described() -> Any:
        descriptions = []
        searches = _escaped_searches(request, datasette.table_metadata(database, table))
        db = datasette.get_database(database)
        if searches and await db.fts_table(table):
            for query in searches:
                read = (await db.execute("select escape_fts(:query)", {"query": query})).first()[0]
                if read != escape_fts(query):
                    descriptions.append(f"the box read it as {read}")
        return FilterArguments([], human_descriptions=descriptions)

    return described


_FOLD_COLUMN_DESCRIPTIONS = """
const list = document.querySelector("dl.column-descriptions");
if (list) {
  const folded = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = `What each of the ${list.querySelectorAll("dt").length} columns holds`;
  list.replaceWith(folded);
  folded.append(summary, list);
}
"""


@hookimpl  # type: ignore[untyped-decorator]  # datasette ships no type information
def extra_body_script(view_name: str, table: str | None) -> str:
    """On a table page of the export, the column descriptions folded under one line, so the page opens on its
    rows (without JavaScript they stay in full, as Datasette shows them)."""
    return _FOLD_COLUMN_DESCRIPTIONS if view_name == "table" and table in DATASET_TABLES else ""


@hookimpl  # type: ignore[untyped-decorator]  # datasette ships no type information
def render_cell(value: object, column: str, table: str | None) -> str | None:
    """A cell of the export's tables as people read it: booleans as yes/no, numbers as written, percents rounded;
    None (Datasette's own rendering) for every other cell."""
    found = _COLUMNS.get((table or "", column))
    if found is None or found.type not in _CELLS:
        return None
    return _CELLS[found.type](value, found)


def _boolean_cell(value: object, column: Column) -> str | None:
    """SQLite's 1 or 0 as yes or no."""
    if value in (0, 1) and not isinstance(value, float):
        return "yes" if value else "no"
    return None


def _number_cell(value: object, column: Column) -> str | None:
    """A number as it is written, a percent signed and rounded."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return signed_percent(value) if column.unit == "percent" else plain_number(value)


_CELLS: dict[str, Callable[[object, Column], str | None]] = {"boolean": _boolean_cell, "number": _number_cell}
"""How a cell of each column type reads, by the type; a cell of another type is left to Datasette."""
