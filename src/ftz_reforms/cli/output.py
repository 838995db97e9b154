"""One output layer: every reading command's ``--format`` and ``-o`` go through ``emit``.

A reading command produces a :class:`Selection` (rows of one table of ``tables.definitions``, the collection
they come from, and how a terminal shows them); ``FORMATS`` holds every format by name, each a function of a
selection: ``table`` (a terminal table), ``json``, ``jsonl``, ``csv``, ``parquet`` (the exports' encoder) and
``sqlite`` (every table of the collection, as a database file). ``emit`` renders the selection in the chosen
format and sends it to stdout (no ``-o``, or ``-o -``) or, with ``-o PATH``, to a file written whole or not at
all, a device, a FIFO or a descriptor written to directly (``_files``), and never to a file the command reads.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ftz_reforms.errors import FtzReformsError

if TYPE_CHECKING:
    from ftz_reforms.collection import Collection
    from ftz_reforms.tables.definitions import Row, Table

__all__ = [
    "EXIT_NOTHING",
    "EXIT_OK",
    "EXIT_USAGE",
    "FORMATS",
    "STDOUT",
    "Format",
    "Output",
    "Selection",
    "Target",
    "UsageError",
    "check_output",
    "emit",
    "is_terminal",
    "os_path",
    "output_argument",
    "path_argument",
    "terminal_width",
]

EXIT_OK = 0
EXIT_NOTHING = 1
"""Nothing found, or a file that is not valid, or two datasets that differ: a result, not an error."""
EXIT_USAGE = 2
"""What was asked cannot be done: a bad argument, an unreadable file, an output that cannot be written."""

STDOUT: Literal["-"] = "-"
"""``-o -``: standard output, as no ``-o`` (and, for SQLite, the database's bytes)."""

Target = Path | Literal["-"] | None
"""Where a command's output goes: a path, ``STDOUT``, or None (stdout, the default)."""


def os_path(text: str) -> str:
    """A path as the file system names it, from the text a user typed. In a locale Python reads as ASCII, the
    command line reads Chinese as UTF-8 (``app._decoded``), which the file system encoding cannot encode back;
    the text's UTF-8 bytes, decoded as the file system decodes names, are the name's own bytes again. In a
    UTF-8 locale this is the text itself."""
    return os.fsdecode(text.encode("utf-8", "surrogateescape"))


def path_argument(text: str) -> Path:
    """A path argument (``--data``, a casebook, a file to validate), as the file system names it."""
    return Path(os_path(text))


def output_argument(text: str) -> Path | Literal["-"]:
    """``-o``'s value as typed: ``-`` is standard output (``./-`` is a file of that name)."""
    return STDOUT if text == STDOUT else path_argument(text)


@dataclass(frozen=True)
class Output:
    """What a command produced: text lines or bytes for stdout, an optional note for stderr, an exit code."""

    lines: Iterable[str] = ()
    data: bytes | None = None
    note: str | None = None
    code: int = EXIT_OK


class UsageError(FtzReformsError, ValueError):
    """The command cannot run as asked: exit 2 with this message."""


@dataclass(frozen=True)
class Selection:
    """Rows of one table, as a reading command selected them, and how a terminal shows them."""

    table: Table
    rows: Callable[[], Sequence[Row]]
    """The rows, made when a format needs them."""
    collection: Collection
    terminal: Callable[[int | None], list[str]] | None = None
    """The ``table`` format's lines, fitted to a width (a terminal's, in columns; None for whole lines); None
    for a command that offers no terminal table (export)."""


@dataclass(frozen=True)
class Format:
    """An output format: how a selection becomes bytes (or terminal lines), or a file of its own."""

    name: str
    help: str
    render: Callable[[Selection, bool, int | None], bytes | list[str]] | None = None
    """The selection as bytes or lines (the flag: a CSV for Excel, with a BOM; the width: a terminal's, which
    only the terminal table reads; machine formats are never cut)."""
    write_file: Callable[[Selection, Path], str] | None = None
    """For a format that is a file of its own (SQLite): write it at the path, return a note on what was written."""
    binary: bool = False
    """Bytes no terminal can show: refused on a terminal without -o."""


def is_terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal; a closed, replaced or unusual stream is not."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def terminal_width() -> int | None:
    """The width lines must fit: the terminal's, or ``COLUMNS`` when set; None when stdout is a file or a pipe
    and no width is asked for (the lines are then whole)."""
    if "COLUMNS" in os.environ or is_terminal(sys.stdout):
        return max(shutil.get_terminal_size().columns, 20)
    return None


def _terminal(selection: Selection, excel: bool, width: int | None) -> list[str]:
    if selection.terminal is None:
        raise UsageError(f"--format table is for the terminal; {selection.table.name} is exported as json or csv")
    return selection.terminal(width)


def _encoded(fmt: str) -> Callable[[Selection, bool, int | None], bytes]:
    def render(selection: Selection, excel: bool, width: int | None) -> bytes:
        from ftz_reforms.tables.formats import encode

        return encode(selection.table, selection.rows(), fmt, excel=excel)

    return render


def _sqlite(selection: Selection, path: Path) -> str:
    metadata = selection.collection.to_sqlite(path)
    if metadata is None:
        return (
            f"wrote every table to {path}; Datasette's metadata goes beside a database file only "
            "(-o FILE.db writes FILE.metadata.json)"
        )
    return (
        f"wrote every table to {path} ({path.stat().st_size} bytes) and Datasette's metadata to {metadata}; "
        f"browse it with: datasette {path} --metadata {metadata}"
    )


FORMATS: dict[str, Format] = {
    "table": Format("table", "aligned columns for the terminal", render=_terminal),
    "json": Format("json", "a JSON array of rows", render=_encoded("json")),
    "jsonl": Format("jsonl", "JSON Lines: one row a line", render=_encoded("jsonl")),
    "csv": Format("csv", "CSV with a header row (lists joined by '; ')", render=_encoded("csv")),
    "parquet": Format("parquet", "Parquet (needs ftz-reforms[parquet])", render=_encoded("parquet"), binary=True),
    "xlsx": Format("xlsx", "an Excel workbook (needs ftz-reforms[xlsx])", render=_encoded("xlsx"), binary=True),
    "sqlite": Format("sqlite", "every table in one SQLite database, for Datasette", write_file=_sqlite, binary=True),
}
"""Every output format, by its --format name."""


def emit(
    selection: Selection, fmt: str, output: Target = None, *, excel: bool = False, width: int | None = None
) -> Output:
    """``selection`` in format ``fmt``, for stdout or written whole to ``output`` (which ``check_output`` let
    through). ``width``: the columns a terminal table fits (``terminal_width``; a file always gets whole lines)."""
    from ftz_reforms._files import write_atomically

    chosen = FORMATS[fmt]
    if chosen.write_file is not None:
        return _file_output(chosen.write_file, selection, fmt, output)
    assert chosen.render is not None
    rendered = chosen.render(selection, excel, None if isinstance(output, Path) else width)
    if not isinstance(output, Path):
        return Output(lines=rendered) if isinstance(rendered, list) else Output(data=rendered)
    content = rendered if isinstance(rendered, bytes) else _utf8_lines(rendered)
    write_atomically(output, content)
    return Output(note=f"wrote {len(content)} bytes to {output}")


def check_output(collection: Collection, fmt: str, output: Target) -> None:
    """Refuse ``output`` before the command runs (a refused command costs nothing, not even a search index): a file
    ``collection`` reads, or a terminal for a binary format."""
    from ftz_reforms._files import refuse_same_file

    if isinstance(output, Path):
        refuse_same_file(output, collection.inputs())
    _refuse_binary_on_a_terminal(FORMATS[fmt], fmt, output)


def _refuse_binary_on_a_terminal(chosen: Format, fmt: str, output: Target) -> None:
    """A binary format bound for stdout, when stdout is a terminal, is a usage error."""
    to_file = output is not None and output != STDOUT
    if chosen.binary and not to_file and sys.stdout.isatty():
        raise UsageError(f"{fmt} is binary: give -o PATH, or redirect stdout to a file")


def _file_output(
    write_file: Callable[[Selection, Path], str], selection: Selection, fmt: str, output: Target
) -> Output:
    """A format that is a file of its own: written at ``output``, or its bytes for stdout (``-o -``)."""
    if output is None:
        raise UsageError(f"{fmt} is a file: give -o PATH (e.g. -o ftz.{fmt}), or -o - for stdout")
    if isinstance(output, Path):
        return Output(note=write_file(selection, output))
    return Output(data=_file_bytes(write_file, selection, fmt))


def _utf8_lines(lines: Iterable[str]) -> bytes:
    """Lines as a text file holds them: each ended by a newline, in UTF-8."""
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _file_bytes(write_file: Callable[[Selection, Path], str], selection: Selection, fmt: str) -> bytes:
    """The bytes of a format that is a file of its own, made in a scratch folder (its side files dropped)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ftz-reforms-") as scratch:
        path = Path(scratch) / f"ftz.{fmt}"
        write_file(selection, path)
        return path.read_bytes()
