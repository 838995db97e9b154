"""A Datasette plugin: the search box reads Chinese as people type it, unspaced, simplified or traditional.

SQLite's full-text index of an ftz-reforms database holds the Chinese text cut into words (退货, 出口), so a
query typed without spaces (出口退货) reaches it as one word that no row holds, and a traditional one (退貨)
as characters no row uses. Before Datasette reads a request, this plugin rewrites its ``_search`` and
``_search_COLUMN`` parameters: traditional characters become simplified ones and every run of Chinese is
cut into the words the index holds, with the database's own dictionary (both are stored in the database by
``ftz-reforms export --format sqlite``, table ``_ftz_query_reading``). Datasette then finds the rows that
hold every word. A database without that table, or whose table is not as the export writes it (another
program's table of that name, a damaged one), and ``_searchmode=raw``, are left as they are: Datasette
searches them as it would without the plugin.

It also shows the cells of the export's tables as people read them: a boolean column as ``yes``/``no`` (SQLite
stores 1/0) and a number as it is written (``50,000,000``, not ``50000000.0``), in the table pages only; the
JSON and CSV Datasette serves keep the stored values.

Datasette loads it by itself when ftz-reforms is installed beside it (``pip install "ftz-reforms[datasette]"``);
nothing else imports it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from ftz_reforms.retrieval.segmenter import Segmenter
from ftz_reforms.tables.definitions import DATASET_TABLES
from ftz_reforms.tables.sqlite import QUERY_READING_TABLE
from ftz_reforms.text.chars import CJK_RUN
from ftz_reforms.text.english import plain_number

__all__ = [
    "LARGEST_VALUE",
    "LONGEST_WORD",
    "QueryReader",
    "asgi_wrapper",
    "reader_from",
    "render_cell",
    "rewritten_query_string",
]

_COLUMN_TYPES = {
    (table.name, column.name): column.type for table in DATASET_TABLES.values() for column in table.columns
}
"""The type of every column of the export's tables, by (table, column)."""

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


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


def rewritten_query_string(query_string: str, reader: QueryReader) -> str:
    """The query string with every ``_search`` parameter read by ``reader`` (unless ``_searchmode=raw``)."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if ("_searchmode", "raw") in pairs or not any(name.startswith("_search") for name, _ in pairs):
        return query_string
    read = [
        (name, reader.read(value) if name == "_search" or name.startswith("_search_") else value)
        for name, value in pairs
    ]
    return urlencode(read)


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
    values: dict[str, object] = {}
    for row in rows:
        if len(row) != 2:
            return None
        name, text = row
        if name not in ("dictionary", "traditional") or name in values:
            return None
        if not isinstance(text, str) or len(text) > LARGEST_VALUE:
            return None
        try:
            values[name] = json.loads(text)
        except (ValueError, RecursionError):
            return None
    dictionary, traditional = values.get("dictionary"), values.get("traditional")
    if not isinstance(dictionary, dict) or not isinstance(traditional, dict):
        return None
    frequencies, total = _word_counts(dictionary.get("frequencies")), dictionary.get("total")
    if frequencies is None or type(total) is not int or total <= 0:
        return None
    if not all(_character(one) for pair in traditional.items() for one in pair):
        return None
    return QueryReader(dictionary, traditional)


async def _reader(datasette: Any, database: str, readers: dict[str, QueryReader | None]) -> QueryReader | None:
    if database not in readers:
        reader: QueryReader | None = None  # no such database, or not one of ours: left alone
        # Whatever goes wrong reading another program's table of that name (a column missing, a query
        # Datasette interrupts as too long) leaves the database alone too.
        with contextlib.suppress(Exception):
            db = datasette.get_database(database)
            sql = (
                f"select name, case when length(value) <= {LARGEST_VALUE} then value end "
                f"from {QUERY_READING_TABLE} limit 3"
            )
            reader = reader_from((await db.execute(sql)).rows)
        readers[database] = reader
    return readers[database]


def _database_path(path: str, datasette: Any) -> list[str]:
    """The parts of a request's path after Datasette's ``base_url`` (``/prefix/ftz/cases`` under ``/prefix/``
    is ``ftz``, ``cases``; Datasette answers the path without the prefix too): the first names the database."""
    base = "/"
    with contextlib.suppress(Exception):  # an older Datasette, or a setting of another shape: the root
        base = str(datasette.setting("base_url") or "/")
    prefix = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    if path.startswith(prefix):
        path = path[len(prefix) :]
    return path.strip("/").split("/")


@hookimpl  # type: ignore[untyped-decorator]  # datasette ships no type information
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    readers: dict[str, QueryReader | None] = {}

    def wrap(app: App) -> App:
        async def reading(
            scope: Scope, receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]
        ) -> None:
            query_string = scope.get("query_string", b"").decode("latin-1")
            parts = _database_path(scope.get("path", ""), datasette)
            if scope.get("type") == "http" and "_search" in query_string and parts and parts[0]:
                reader = await _reader(datasette, parts[0], readers)
                if reader is not None:
                    rewritten = rewritten_query_string(query_string, reader)
                    scope = {**scope, "query_string": rewritten.encode("latin-1")}
            await app(scope, receive, send)

        return reading

    return wrap


@hookimpl  # type: ignore[untyped-decorator]  # datasette ships no type information
def render_cell(value: object, column: str, table: str | None) -> str | None:
    """A cell of the export's tables as people read it: booleans as yes/no, numbers as written; None (Datasette's
    own rendering) for every other cell."""
    kind = _COLUMN_TYPES.get((table or "", column))
    if kind == "boolean" and value in (0, 1) and not isinstance(value, float):
        return "yes" if value else "no"
    if kind in ("number", "integer") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return plain_number(value) if kind == "number" else None
    return None
