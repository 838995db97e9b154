"""A Datasette plugin: the search box reads Chinese as people type it, unspaced, simplified or traditional.

SQLite's full-text index of an ftz-reforms database holds the Chinese text cut into words (退货, 出口), so a
query typed without spaces (出口退货) reaches it as one word that no row holds, and a traditional one (退貨)
as characters no row uses. Before Datasette reads a request, this plugin rewrites its ``_search`` and
``_search_COLUMN`` parameters: traditional characters become simplified ones and every run of Chinese is
cut into the words the index holds, with the database's own dictionary (both are stored in the database by
``ftz-reforms export --format sqlite``, table ``_ftz_query_reading``). Datasette then finds the rows that
hold every word. A database without that table, and ``_searchmode=raw``, are left as they are.

Datasette loads it by itself when ftz-reforms is installed beside it (``pip install "ftz-reforms[datasette]"``);
nothing else imports it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from ftz_reforms.retrieval.segmenter import Segmenter
from ftz_reforms.tables.sqlite import QUERY_READING_TABLE
from ftz_reforms.text.chars import CJK_RUN

__all__ = ["QueryReader", "asgi_wrapper", "rewritten_query_string"]

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


async def _reader(datasette: Any, database: str, readers: dict[str, QueryReader | None]) -> QueryReader | None:
    if database not in readers:
        try:
            db = datasette.get_database(database)
            rows = (await db.execute(f"select name, value from {QUERY_READING_TABLE}")).rows
            values = {row[0]: json.loads(row[1]) for row in rows}
            readers[database] = QueryReader(values["dictionary"], values["traditional"])
        except (KeyError, ValueError, sqlite3.Error):  # no such database, or not one of ours: left alone
            readers[database] = None
    return readers[database]


@hookimpl  # type: ignore[untyped-decorator]  # datasette ships no type information
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    readers: dict[str, QueryReader | None] = {}

    def wrap(app: App) -> App:
        async def reading(
            scope: Scope, receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]
        ) -> None:
            query_string = scope.get("query_string", b"").decode("latin-1")
            parts = scope.get("path", "").strip("/").split("/")
            if scope.get("type") == "http" and "_search" in query_string and parts and parts[0]:
                reader = await _reader(datasette, parts[0], readers)
                if reader is not None:
                    rewritten = rewritten_query_string(query_string, reader)
                    scope = {**scope, "query_string": rewritten.encode("latin-1")}
            await app(scope, receive, send)

        return reading

    return wrap
