"""The commands of ``ftz-reforms``: for each, the options it takes and what it does.

One convention: a command is a :class:`Command`, whose ``arguments`` adds its options to its own parser
and whose ``run`` turns the parsed options into an :class:`Output` (lines of text, or bytes, and an exit
code) or, for a command that reads rows of a table, a :class:`Selection` that ``output.emit`` renders in the
``--format`` asked for (every such command takes the formats its ``formats`` names, and ``-o PATH``).
Commands print nothing themselves and never look at ``--data``: ``app`` hands them the collection it names.
They raise the library's own errors (unknown case, filter value, table…), which ``app`` turns into a
one-line message and exit code 2.

Commands import the data and its models only when they run: ``search`` never needs pydantic.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ftz_reforms._files import json_file_bytes
from ftz_reforms.cli.columns import cut, display_width
from ftz_reforms.cli.output import (
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_USAGE,
    FORMATS,
    Output,
    Selection,
    UsageError,
    output_argument,
    path_argument,
)
from ftz_reforms.errors import FtzReformsError
from ftz_reforms.model.vocab import BASELINES, Category, Direction, Measure, Role, Unit, Where
from ftz_reforms.text.chars import CJK_RUN

if TYPE_CHECKING:
    from ftz_reforms.assemble import CasebookFacts
    from ftz_reforms.collection import Collection
    from ftz_reforms.history import DataDiff
    from ftz_reforms.retrieval.engine import Hit
    from ftz_reforms.tables.definitions import Row

__all__ = ["COMMANDS", "Command", "NothingFound", "Output", "Selection", "UsageError"]


class NothingFound(FtzReformsError, LookupError):
    """A query matched nothing: exit 1 with this message."""


@dataclass(frozen=True)
class Command:
    """One command: its name, its help, its options and what it does with the collection ``--data`` chose."""

    name: str
    help: str
    description: str
    examples: tuple[str, ...]
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Collection], Output | Selection]
    formats: tuple[str, ...] = ()
    """The ``--format`` choices of a command that selects rows, its default first; empty for the others."""
    needs_checkout: bool = False
    """Offered only in a source checkout (the build)."""


def _values(vocabulary: Iterable[Unit | Role | Direction | Where | Category | Measure]) -> str:
    return ", ".join(member.value for member in vocabulary)


def _lang_option(parser: argparse.ArgumentParser, default: str | None, what: str) -> None:
    shown = f"default {default}" if default else "default: the language of what matched"
    parser.add_argument("--lang", choices=["zh", "en"], default=default, help=f"{what} ({shown})")


# --- list -----------------------------------------------------------------------------------------


def _filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (combine freely)")
    group.add_argument("--province", metavar="NAME", help="provider province: 山东, Shandong or CN-SD")
    group.add_argument("--area", metavar="NAME", help="pilot area: 青岛片区 or Qingdao Area")
    group.add_argument("--category", metavar="NAME", help=f"policy category: {_values(Category)}")
    group.add_argument("--unit", metavar="UNIT", help=f"a unit the case's metrics use: {_values(Unit)} (or 万元, %%…)")
    group.add_argument("--text", metavar="TEXT", help="text the case contains (Chinese or English)")


def _place_options(parser: argparse.ArgumentParser) -> None:
    """--province and --area, as the case filters read them, for a query of metrics or effects."""
    parser.add_argument("--province", metavar="NAME", help="a province: 广东, Guangdong or CN-GD")
    parser.add_argument("--area", metavar="NAME", help="a pilot area: 南沙 or Qingdao Area")


def _filters(args: argparse.Namespace) -> dict[str, str | None]:
    return {name: getattr(args, name) for name in ("province", "area", "category", "unit", "text")}


def _list_arguments(parser: argparse.ArgumentParser) -> None:
    _lang_option(parser, "zh", "table: language of names and titles")
    _filter_options(parser)


def _run_list(args: argparse.Namespace, collection: Collection) -> Selection:
    from ftz_reforms.cli.views import view_lines
    from ftz_reforms.tables.definitions import CASES, case_row

    entries = collection.listing(**_filters(args))
    if not entries:
        raise NothingFound("no case passes these filters")

    def rows() -> list[Row]:
        data = collection.data
        wanted = {entry["id"] for entry in entries}
        return [case_row(case, data.source_of(case.batch)) for case in data.cases if case.id in wanted]

    # The terminal's columns of the cases rows, from the catalogue: a listing loads no records.
    shown = [
        {
            "number": entry["number"],
            "case_id": entry["id"],
            "province_names_zh": [names[0] for names in entry["provinces"]],
            "province_names_en": [names[1] for names in entry["provinces"]],
            "case_title_zh": entry["title_zh"],
            "case_title_en": entry["title_en"],
        }
        for entry in entries
    ]
    return Selection(CASES, rows, collection, lambda width: view_lines(CASES, shown, args.lang, width))


# --- show -----------------------------------------------------------------------------------------


def _show_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "ref", metavar="REF", help="case number (17) or id (b5-17), or a metric's or effect's id (b5-08-m07)"
    )
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format (default text)")
    _lang_option(parser, "zh", "language of the text")


def _run_show(args: argparse.Namespace, collection: Collection) -> Output:
    from ftz_reforms.cli.render import case_lines, fit_lines, record_text
    from ftz_reforms.model.records import Case

    ref = args.ref.strip()
    found = collection.record(ref) if not ref.isdigit() else collection.get(ref)
    if args.format == "json":
        return Output(data=json_file_bytes(found.model_dump(mode="json")))
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    if isinstance(found, Case):
        # Two columns kept for a closing mark that hangs past the width, as Chinese typesetting hangs it.
        return Output(lines=fit_lines(case_lines(found, width=width - 2, lang=args.lang), width))
    return Output(lines=fit_lines(record_text(collection.get(found.id.rsplit("-", 1)[0]), found, width=width), width))


# --- search ---------------------------------------------------------------------------------------

_ANSI_MARK = ("\x1b[1;33m", "\x1b[0m")
_PLAIN_MARK = ("«", "»")


def marks() -> tuple[str, str]:
    """Colour for a terminal (https://no-color.org: NO_COLOR set, even empty, turns it off)."""
    import os

    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        return _ANSI_MARK
    return _PLAIN_MARK


def positive_int(text: str) -> int:
    """A whole number from 1 to a million, for argparse; a clear message otherwise."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"must be from 1 to 1000000: {text}")
    return value


def _search_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="+", metavar="QUERY", help="words to search for")
    parser.add_argument("--limit", type=positive_int, default=10, metavar="N", help="at most N hits (10)")
    _lang_option(parser, None, "language of titles and snippets")
    _filter_options(parser)


def _run_search(args: argparse.Namespace, collection: Collection) -> Selection:
    from ftz_reforms.tables.definitions import HITS, hit_row

    query = " ".join(args.query)
    hits = collection.search(query, limit=args.limit, lang=args.lang, **_filters(args))
    if not hits:
        raise NothingFound(f"no case matches {query!r}")
    english = args.lang == "en" or (args.lang is None and not CJK_RUN.search(query))

    def terminal(width: int | None) -> list[str]:
        # The bounds' own escaping, not render's: render imports the text tools, which a cold search would pay for.
        from ftz_reforms.model.bounds import escape_control_characters as visible

        open_mark, close_mark = marks()
        lines = []
        for rank, hit in enumerate(hits, start=1):
            title = visible((hit.title_en or hit.title_zh) if english else hit.title_zh)
            head = f"{rank:>2}. {hit.number:>2} [{visible(hit.id)}] "
            score = f"  (score {hit.score:.2f})"
            matched = f"    matched: {visible(', '.join(hit.matched_terms))}"
            if width is not None:  # the score stays; the title and the terms give way, cut with an ellipsis
                title = cut(title, max(width - display_width(head) - display_width(score), 8))
                matched = cut(matched, width)
            lines += [
                f"{head}{title}{score}",
                matched,
                f"    {_shortened(hit, width).marked(open_mark, close_mark, escape=visible)}",
            ]
        return lines

    return Selection(HITS, lambda: [hit_row(rank, hit) for rank, hit in enumerate(hits, start=1)], collection, terminal)


def _shortened(hit: Hit, width: int | None) -> Hit:
    """The hit with its snippet cut to fit ``width`` after a four-column indent, an ellipsis at the cut, the
    matches beyond it dropped (the terminal's marks take no columns of their own on a colour terminal, and two
    each otherwise: room is left for them)."""
    import dataclasses

    from ftz_reforms.model.bounds import escape_control_characters as visible

    if width is None:
        return hit
    marks_room = 2 * len(hit.highlights) if marks() == _PLAIN_MARK else 0
    room = max(width - 4 - marks_room, 8)
    text = visible(hit.snippet)
    if display_width(text) <= room or text != hit.snippet:  # an escaped snippet keeps its offsets only whole
        return hit if display_width(text) <= room else dataclasses.replace(hit, snippet=cut(text, room), highlights=())
    shortened = cut(hit.snippet, room)
    kept = len(shortened) - 1  # the characters before the ellipsis
    highlights = tuple((start, min(end, kept)) for start, end in hit.highlights if start < kept)
    return dataclasses.replace(hit, snippet=shortened, highlights=highlights)


# --- metrics --------------------------------------------------------------------------------------


def _record_options(parser: argparse.ArgumentParser, kind: str, example: str) -> None:
    """The filters metrics and effects share: their case, one by its id, the place, the part of the case."""
    parser.add_argument("--case", metavar="REF", help="case number (17) or id (b5-17)")
    parser.add_argument("--id", metavar="ID", help=f"one {kind} by its id ({example})")
    _place_options(parser)
    parser.add_argument("--where", metavar="PART", help=f"part of the case: {_values(Where)}")


def _record_filters(args: argparse.Namespace) -> dict[str, Any]:
    """The values of ``_record_options``, and of --direction and --distinct, which both commands have."""
    names = ("case", "id", "province", "area", "where", "direction", "distinct")
    return {name: getattr(args, name) for name in names}


def _metrics_arguments(parser: argparse.ArgumentParser) -> None:
    _record_options(parser, "metric", "b5-08-m07")
    parser.add_argument("--unit", metavar="UNIT", help=f"unit of the value: {_values(Unit)} (or 万元, %%…)")
    parser.add_argument("--role", metavar="ROLE", help=f"role of the figure: {_values(Role)}")
    parser.add_argument("--direction", metavar="DIR", help=f"direction of a change: {_values(Direction)}")
    parser.add_argument("--min", type=float, help="smallest value (in the metric's unit)")
    parser.add_argument("--max", type=float, help="largest value (in the metric's unit)")
    parser.add_argument("--distinct", action="store_true", help="leave out figures that restate an earlier one")
    _lang_option(parser, "en", "table: describe each figure in English or by its sentence")


def _run_metrics(args: argparse.Namespace, collection: Collection) -> Selection:
    from ftz_reforms.cli.views import view_lines
    from ftz_reforms.tables.definitions import METRICS, metric_row

    found = collection.metrics(
        **_record_filters(args), unit=args.unit, role=args.role, min_value=args.min, max_value=args.max
    )
    if not found:
        raise NothingFound("no metric matches these filters")
    rows = [metric_row(each.case, each.metric) for each in found]
    return Selection(METRICS, lambda: rows, collection, lambda width: view_lines(METRICS, rows, args.lang, width))


# --- effects --------------------------------------------------------------------------------------


def _effects_arguments(parser: argparse.ArgumentParser) -> None:
    _record_options(parser, "effect", "b5-08-e03")
    parser.add_argument("--measure", metavar="NAME", help=f"what changed: {_values(Measure)}")
    parser.add_argument("--direction", metavar="DIR", help=f"direction of the change: {_values(Direction)}")
    parser.add_argument(
        "--baseline", metavar="B", help="what the change is compared with: a year (2017), " + ", ".join(BASELINES)
    )
    parser.add_argument("--min-change", type=float, metavar="PCT", help="smallest relative change, signed percent")
    parser.add_argument(
        "--max-change", type=float, metavar="PCT", help="largest relative change, signed percent (-50: cut by half+)"
    )
    parser.add_argument("--distinct", action="store_true", help="leave out effects that restate an earlier one")
    _lang_option(parser, "en", "table: describe each effect in English or by its sentence")


def _run_effects(args: argparse.Namespace, collection: Collection) -> Selection:
    from ftz_reforms.cli.render import effect_line
    from ftz_reforms.cli.views import view_lines
    from ftz_reforms.tables.definitions import EFFECTS, effect_row

    found = collection.effects(
        **_record_filters(args),
        measure=args.measure,
        baseline=args.baseline,
        min_change=args.min_change,
        max_change=args.max_change,
    )
    if not found:
        if not any(case.effects for case in collection.data.cases):
            raise NothingFound(
                "this dataset holds no effects (a file written before schema 2.3 has none: import its casebook "
                "again to find them)"
            )
        raise NothingFound("no effect matches these filters")
    rows = [effect_row(each.case, each.effect) for each in found]

    def terminal(width: int | None) -> list[str]:
        lines = [effect_line(each.case, each.effect, args.lang) for each in found]
        return view_lines(EFFECTS, [{**row, "change_line": line} for row, line in zip(rows, lines)], args.lang, width)

    return Selection(EFFECTS, lambda: rows, collection, terminal)


# --- export ---------------------------------------------------------------------------------------


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    from ftz_reforms.tables.definitions import DATASET_TABLES

    parser.add_argument(
        "--table",
        choices=[*DATASET_TABLES, "all"],
        default="cases",
        metavar="TABLE",
        help=f"which table: {', '.join(DATASET_TABLES)} (default cases); all: every table as a sheet (xlsx)",
    )
    parser.add_argument("--excel", action="store_true", help="CSV only: start with a UTF-8 BOM so Excel reads Chinese")
    parser.add_argument(
        "--all",
        action="store_true",
        help="a release in the folder -o DIR: every table in every format, SQLite, schemas, changelog, "
        "datapackage.json and SHA256SUMS (needs ftz-reforms[parquet])",
    )


def _run_export(args: argparse.Namespace, collection: Collection) -> Selection | Output:
    from ftz_reforms.tables.definitions import table_named

    if args.all:
        return _export_all(args, collection)
    if args.table == "all":
        return _workbook(args, collection)
    return Selection(table_named(args.table), lambda: collection.to_records(args.table), collection)


def _workbook(args: argparse.Namespace, collection: Collection) -> Output:
    """Every table in one workbook, a sheet each (``--table all --format xlsx``)."""
    from ftz_reforms._files import refuse_same_file, write_atomically

    if args.format != "xlsx":
        raise UsageError(
            "--table all is one workbook of every table: give --format xlsx (export --all writes the rest)"
        )
    if not isinstance(args.output, Path):
        if args.output is None and sys.stdout.isatty():
            raise UsageError("xlsx is binary: give -o PATH, or redirect stdout to a file")
        return Output(data=collection.to_xlsx())
    refuse_same_file(args.output, collection.inputs())
    content = collection.to_xlsx()
    write_atomically(args.output, content)
    return Output(note=f"wrote every table, a sheet each, to {args.output} ({len(content)} bytes)")


def _export_all(args: argparse.Namespace, collection: Collection) -> Output:
    given = [option for option in ("--table", "--format", "--excel") if _given(args, option)]
    if given:
        raise UsageError(f"--all writes every table in every format: leave out {', '.join(given)}")
    if not isinstance(args.output, Path):
        raise UsageError("--all writes a folder of files: give it with -o DIR")
    count = collection.export_all(args.output)
    return Output(note=f"wrote a release bundle of {count} files to {args.output} (check it: sha256sum -c SHA256SUMS)")


def _given(args: argparse.Namespace, option: str) -> bool:
    """Whether an option differs from its default (what argparse tells of an option given)."""
    defaults = {"--table": "cases", "--format": "csv", "--excel": False}
    return bool(getattr(args, option.removeprefix("--")) != defaults[option])


# --- zones and areas ------------------------------------------------------------------------------


def _zones_arguments(parser: argparse.ArgumentParser) -> None:
    _lang_option(parser, "zh", "table: language of the names")


def _run_zones(args: argparse.Namespace, collection: Collection) -> Selection:
    from ftz_reforms.cli.views import view_lines
    from ftz_reforms.tables.definitions import ZONES, zone_row

    rows = [zone_row(zone) for zone in collection.zones()]
    return Selection(ZONES, lambda: rows, collection, lambda width: view_lines(ZONES, rows, args.lang, width))


def _areas_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--zone", metavar="ZONE", help="only this zone's areas: 广东, Guangdong, CN-GD…")
    _lang_option(parser, "zh", "table: language of the names")


def _run_areas(args: argparse.Namespace, collection: Collection) -> Selection:
    from ftz_reforms.cli.views import view_lines
    from ftz_reforms.tables.definitions import AREAS, area_row

    zones = {zone.province_zh: zone for zone in collection.zones()}
    rows = [area_row(area, zones) for area in collection.areas(zone=args.zone)]
    return Selection(AREAS, lambda: rows, collection, lambda width: view_lines(AREAS, rows, args.lang, width))


def _batches_arguments(parser: argparse.ArgumentParser) -> None:
    """No options beyond --format and -o."""


def _run_batches(args: argparse.Namespace, collection: Collection) -> Selection:
    from ftz_reforms.cli.views import view_lines
    from ftz_reforms.tables.definitions import BATCHES, batch_row

    rows = [batch_row(batch) for batch in collection.batches()]
    if not rows:
        raise NothingFound("this dataset holds no table of the series' batches (a dataset of schema 2.1 or older)")
    # The series' facts are in English (the issuer); its table has no language option.
    return Selection(BATCHES, lambda: rows, collection, lambda width: view_lines(BATCHES, rows, "en", width))


# --- import ---------------------------------------------------------------------------------------


_FACTS = (
    ("title_zh", "TEXT", "the casebook's Chinese title"),
    ("title_en", "TEXT", "the casebook's English title"),
    ("publisher_zh", "TEXT", "the issuing body, in Chinese"),
    ("publisher_en", "TEXT", "the issuing body, in English"),
    ("published", "YYYY-MM", "when the batch was announced"),
)
"""What a casebook does not say of itself, which ``import`` takes as options (``--title-zh``…) and a dataset
file and a scaffold record: (name, as ``assemble.CasebookFacts`` names it; metavar; help)."""


def _facts(args: argparse.Namespace) -> dict[str, str | None]:
    """The casebook's facts the command line gave (``_FACTS``), by name."""
    return {name: getattr(args, name) for name, _, _ in _FACTS}


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "casebook",
        type=path_argument,
        metavar="CASEBOOK",
        help="the casebook: its PDF as published (needs ftz-reforms[pdf]) or its text (UTF-8), however extracted",
    )
    parser.add_argument("--batch", type=positive_int, required=True, metavar="N", help="the casebook's batch number")
    for name, metavar, help_text in _FACTS:
        parser.add_argument(f"--{name.replace('_', '-')}", metavar=metavar, help=help_text)
    parser.add_argument("--first-page", type=positive_int, metavar="N", help="printed page of the first line")
    written = parser.add_mutually_exclusive_group()
    written.add_argument(
        "-o",
        "--output",
        type=output_argument,
        metavar="PATH",
        help="write the dataset to PATH (default, or -: stdout)",
    )
    written.add_argument(
        "--scaffold",
        type=path_argument,
        metavar="DIR",
        help="source checkout only: write a curation scaffold as DIR (sources/batchN) instead of a dataset",
    )


def _run_import(args: argparse.Namespace, collection: Collection) -> Output:
    from ftz_reforms._files import refuse_same_file, text_of, write_atomically
    from ftz_reforms.collection import import_casebook

    if args.scaffold is not None:
        return _scaffold(args)
    if isinstance(args.output, Path):
        refuse_same_file(args.output, [(args.casebook, "the casebook"), *collection.inputs()])
    imported = import_casebook(
        args.casebook,
        batch=args.batch,
        file=text_of(args.casebook.name),
        first_page=args.first_page,
        **cast("CasebookFacts", _facts(args)),  # _FACTS are CasebookFacts' names (a test holds it)
    )
    content = imported.to_json()
    figures = len(imported.metrics())
    summary = f"imported {len(imported)} cases and {figures} uncurated figures of batch {args.batch}"
    if not isinstance(args.output, Path):
        return Output(data=content, note=summary)
    write_atomically(args.output, content)
    return Output(note=f"{summary}; wrote {len(content)} bytes to {args.output}")


def _scaffold(args: argparse.Namespace) -> Output:
    import importlib

    from ftz_reforms._paths import source_checkout

    root = source_checkout()
    if root is None:
        raise UsageError(
            "--scaffold writes curation files into sources/ of a source checkout; this is an installed copy"
        )
    # By name: the build package is in a source checkout only, never in the wheel.
    scaffold = importlib.import_module("ftz_reforms.bundling.scaffold")
    written: list[Path] = scaffold.write_scaffold(
        args.casebook, batch=args.batch, directory=args.scaffold, root=root, facts=_facts(args)
    )
    return Output(
        note=f"wrote {len(written)} files to {args.scaffold}: fill english/ and metrics/ (review.md lists the "
        "figures), complete source.json, then: ftz-reforms build"
    )


# --- validate -------------------------------------------------------------------------------------


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=path_argument, metavar="FILE", help="JSON files to check")
    parser.add_argument(
        "--kind",
        choices=["auto", "dataset", "case"],
        default="auto",
        help="what each file holds (default auto: a dataset when it has 'cases')",
    )


def _run_validate(args: argparse.Namespace, collection: Collection) -> Output:
    from ftz_reforms.validate import validate_file

    lines: list[str] = []
    invalid = unreadable = 0
    for name in args.files:
        problems = validate_file(name, kind=args.kind)
        lines.extend(str(problem) for problem in problems)
        invalid += bool(problems)
        unreadable += any(problem.unreadable for problem in problems)
    checked = len(args.files)
    summary = f"{checked - invalid} of {checked} file{'s' if checked != 1 else ''} valid"
    # A path that names no readable file is a mistake in the command, not a verdict on a file.
    code = EXIT_USAGE if unreadable else EXIT_NOTHING if invalid else EXIT_OK
    return Output(lines=lines, note=summary, code=code)


# --- diff and changes ------------------------------------------------------------------------------


def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=path_argument, metavar="OLD", help="the older dataset file")
    parser.add_argument("new", type=path_argument, metavar="NEW", help="the newer dataset file")
    parser.add_argument(
        "--format",
        choices=["table", "json", "csv"],
        default="table",
        help="table: one line per record and field; json: the whole comparison with counts; csv: one row per field",
    )
    parser.add_argument(
        "-o", "--output", type=output_argument, metavar="PATH", help="write to PATH (default, or -: stdout)"
    )


_SIGNS = {"added": "+", "changed": "~", "withdrawn": "-", "removed": "-"}


def _value(value: object, longest: int = 60) -> str:
    import json

    from ftz_reforms.model.bounds import escape_control_characters

    text = "(none)" if value is None else json.dumps(value, ensure_ascii=False)
    text = escape_control_characters(text)
    return text if len(text) <= longest else f"{text[: longest - 1]}…"


def _diff_lines(comparison: DataDiff) -> list[str]:
    from ftz_reforms.model.bounds import escape_control_characters as visible

    lines = [visible(comparison.summary())]
    for change in comparison.records:
        head = f"{_SIGNS[change.status]} {change.kind:<6} {visible(change.id)}"
        if change.status == "withdrawn":
            lines.append(f"{head}  withdrawn in data {change.withdrawn_in}: {visible(change.reason or '')}")
        elif change.status in ("added", "removed"):
            lines.append(f"{head}  {change.status}")
        for number, each in enumerate(change.fields):
            lead = head if number == 0 else " " * len(head)
            lines.append(f"{lead}  {visible(each.path)}: {_value(each.old)} → {_value(each.new)}")
    return lines


def _run_diff(args: argparse.Namespace, collection: Collection) -> Output:
    from ftz_reforms._files import refuse_same_file, write_atomically
    from ftz_reforms.history import diff
    from ftz_reforms.tables.definitions import DIFFERENCES
    from ftz_reforms.tables.formats import encode

    comparison = diff(args.old, args.new)
    if args.format == "json":
        content = json_file_bytes(comparison.to_json())
    elif args.format == "csv":
        content = encode(DIFFERENCES, comparison.rows(), "csv")
    else:
        content = "".join(line + "\n" for line in _diff_lines(comparison)).encode("utf-8")
    code = EXIT_OK if comparison.equal else EXIT_NOTHING
    if isinstance(args.output, Path):
        refuse_same_file(args.output, [(args.old, "the old dataset file"), (args.new, "the new dataset file")])
        write_atomically(args.output, content)
        return Output(note=f"{comparison.summary()}; wrote {len(content)} bytes to {args.output}", code=code)
    if args.format == "table":
        return Output(lines=_diff_lines(comparison), code=code)
    return Output(data=content, code=code)


def _changes_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="VERSION", help="only the data versions after this one (0.7.0)")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format (default text)")


def _run_changes(args: argparse.Namespace, collection: Collection) -> Output:
    from ftz_reforms.history import changelog_text, changes

    if collection.path is not None:
        raise UsageError(
            "changes lists the bundled data's releases; compare a file with another by: ftz-reforms diff OLD NEW"
        )
    entries = changes(args.since)
    if args.format == "json":
        return Output(data=json_file_bytes({"versions": entries}))
    if not entries:
        return Output(note=f"no data version after {args.since}")
    from ftz_reforms.cli.output import terminal_width
    from ftz_reforms.cli.render import fit_lines

    return Output(lines=fit_lines(changelog_text(entries).rstrip("\n").split("\n"), terminal_width()))


# --- schema ---------------------------------------------------------------------------------------


def _schema_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", choices=["dataset", "case"], default="dataset", help="which schema")


def _run_schema(args: argparse.Namespace, collection: Collection) -> Output:
    from ftz_reforms.model.schema import json_schema

    return Output(data=json_file_bytes(json_schema(args.name)))


# --- site -----------------------------------------------------------------------------------------


def _site_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="DIR",
        help="the folder to write: new, empty, or an earlier site (replaced whole)",
    )  # fmt: skip


def _run_site(args: argparse.Namespace, collection: Collection) -> Output:
    from ftz_reforms._files import refuse_same_file
    from ftz_reforms.site.build import build_site

    refuse_same_file(args.output, collection.inputs())
    report = build_site(collection, args.output, bundled=collection.path is None and collection.name == "bundled")
    page, size = report.largest_page
    return Output(
        note=f"wrote a site of {report.files} files ({report.bytes / 1e6:.1f} MB; largest page {page}, "
        f"{size // 1024} KB) to {args.output}: serve it with python -m http.server -d {args.output}"
    )


# --- build ----------------------------------------------------------------------------------------


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="exit 1 naming stale generated files")


def _run_build(args: argparse.Namespace, collection: Collection) -> Output:
    import importlib

    # By name: the build package is in a source checkout only, never in the wheel.
    command = importlib.import_module("ftz_reforms.bundling.command")
    code: int = command.main(["--check"] if args.check else [])
    return Output(code=code)


_ROWS = ("table", "json", "jsonl", "csv")
"""The formats of every command that selects rows; parquet and export's sqlite are for files."""

COMMANDS: tuple[Command, ...] = (
    Command(
        "list",
        "list the cases",
        "List the cases, filtered; --format json|csv prints rows of the cases table, as export writes them.",
        ("ftz-reforms list", "ftz-reforms list --category tax --lang en --format csv"),
        _list_arguments,
        _run_list,
        formats=_ROWS,
    ),
    Command(
        "show",
        "show one case in full",
        "Show one case in full. REF is a case number (17) or id (b5-17).",
        ("ftz-reforms show 17", "ftz-reforms show 5 --lang en", "ftz-reforms show b5-17 --format json"),
        _show_arguments,
        _run_show,
    ),
    Command(
        "search",
        "find cases by what they are about, in Chinese or English",
        "Rank the cases by how well they match QUERY (Chinese, English or both) and show the best sentence "
        "of each, with the matches marked (coloured on a terminal unless NO_COLOR is set). Exits 1 when "
        "nothing matches; --format json|csv prints rows of the hits table.",
        (
            "ftz-reforms search 退货",
            "ftz-reforms search 台湾同胞职业资格认可   # a paraphrase finds case 17",
            "ftz-reforms search credit supervision --limit 3",
            "ftz-reforms search sea-rail --lang zh   # English query, Chinese snippets",
            "ftz-reforms search 海事 --province Hebei --format json",
        ),
        _search_arguments,
        _run_search,
        formats=_ROWS,
    ),
    Command(
        "metrics",
        "list quantified figures, filtered",
        "List the quantified figures (metrics), filtered; --format json|csv prints rows of the metrics table.",
        ("ftz-reforms metrics --case 4", "ftz-reforms metrics --unit CNY --role change --direction down --format csv"),
        _metrics_arguments,
        _run_metrics,
        formats=_ROWS,
    ),
    Command(
        "effects",
        "list what the reforms changed: effects, figure linked to figure",
        "List the effects (a quantity a reform changed, with the figures of its two ends and its change), "
        "filtered; --format json|csv prints rows of the effects table.",
        (
            "ftz-reforms effects --case 8",
            "ftz-reforms effects --measure processing_time --max-change -50",
            "ftz-reforms effects --measure cost --format csv -o savings.csv",
        ),
        _effects_arguments,
        _run_effects,
        formats=_ROWS,
    ),
    Command(
        "export",
        "export a table as CSV, JSON, JSON Lines or Parquet, or every table as SQLite",
        "Export one flat table of the dataset (every row carries its case id and titles), or with --format "
        "sqlite every table in one database with Chinese full-text search, and Datasette's metadata beside it.",
        (
            "ftz-reforms export --table cases --format csv -o cases.csv",
            "ftz-reforms export --table metrics --format jsonl | head -3",
            "ftz-reforms export --table sections --format parquet -o sections.parquet",
            "ftz-reforms export --format sqlite -o ftz.db",
            "ftz-reforms export --table all --format xlsx -o ftz.xlsx   # ftz-reforms[xlsx]",
        ),
        _export_arguments,
        _run_export,
        formats=("csv", "json", "jsonl", "parquet", "sqlite", "xlsx"),
    ),
    Command(
        "zones",
        "list the 22 pilot free trade zones",
        "List the pilot free trade zones of the reference table; --format json|csv prints rows of the zones table.",
        ("ftz-reforms zones", "ftz-reforms zones --lang en --format csv"),
        _zones_arguments,
        _run_zones,
        formats=_ROWS,
    ),
    Command(
        "areas",
        "list the pilot areas of every zone, or of one",
        "List the pilot areas (片区) of the reference table, with kind, year, planned size and how far the "
        "sources confirm them; --format json|csv prints rows of the areas table (with aliases and sources).",
        ("ftz-reforms areas --zone Sichuan", "ftz-reforms areas --lang en --format csv"),
        _areas_arguments,
        _run_areas,
        formats=_ROWS,
    ),
    Command(
        "batches",
        "list the batches of the series, and which this dataset holds",
        "List the batches of the series of best practice cases: when each was announced, how many cases it "
        "holds, who issued it and whether this dataset holds it, each fact with its sources (--format json|csv).",
        ("ftz-reforms batches", "ftz-reforms batches --format csv"),
        _batches_arguments,
        _run_batches,
        formats=_ROWS,
    ),
    Command(
        "import",
        "turn a casebook (its PDF, or its text) into a dataset file",
        "Parse a casebook, its PDF as published or its text however extracted, into a dataset that `validate` and the "
        "JSON Schema accept: cases, sections, providers, areas, the figures the rules find (uncurated), "
        "keywords. Query it with --data: ftz-reforms --data dataset.json search 退货.",
        (
            "ftz-reforms import casebook.pdf --batch 6 -o batch6.json   # ftz-reforms[pdf]",
            "ftz-reforms import casebook.txt --batch 6 -o batch6.json",
            "ftz-reforms import casebook.txt --batch 6 --title-zh 第六批案例 -o b6.json",
            "ftz-reforms --data batch6.json show 3",
        ),
        _import_arguments,
        _run_import,
    ),
    Command(
        "validate",
        "check JSON files (a dataset or one case) against the data contract",
        "Check JSON files, each a whole dataset or one case, against the data contract. Prints every "
        "problem as FILE: JSON-PATH: MESSAGE; exits 1 when any file is invalid.",
        ("ftz-reforms validate cases/*.json", "ftz-reforms validate --kind case b5-01.json"),
        _validate_arguments,
        _run_validate,
    ),
    Command(
        "diff",
        "compare two dataset files: records added, changed field by field, withdrawn",
        "Compare two dataset files (the bundled data, an import, any release): the cases, metrics and effects by "
        "their ids, and the rows of the reference tables, added, changed (each field, old → new), withdrawn "
        "(with the reason) or removed. Exits 0 when they hold the same records, 1 when they differ, 2 on bad "
        "input, as diff(1) does, so a CI job can gate on it.",
        (
            "ftz-reforms diff last-year.json dataset.json",
            "ftz-reforms diff old.json new.json --format csv -o changes.csv",
        ),
        _diff_arguments,
        _run_diff,
    ),
    Command(
        "changes",
        "what changed in each release of the bundled data",
        "Print the data changelog of the bundled data: for each data version the records added, withdrawn (with "
        "the reason), removed and changed (with the fields that changed).",
        ("ftz-reforms changes --since 0.7.0", "ftz-reforms changes --format json"),
        _changes_arguments,
        _run_changes,
    ),
    Command(
        "schema",
        "print a JSON Schema",
        "Print the JSON Schema (draft 2020-12) of the data.",
        ("ftz-reforms schema case",),
        _schema_arguments,
        _run_schema,
    ),
    Command(
        "site",
        "write a static website of the cases for readers",
        "Write a static website of the dataset (the bundled one, or --data FILE's) into a folder: a page per case, "
        "its Chinese text beside its English with every figure marked, its effects and a citation to copy; a page "
        "per zone and pilot area; the effects by measure; the series; a search that ranks as `search` does, in "
        "the browser. Nothing is fetched from elsewhere: serve the folder from any static host. Needs the site "
        "extra (Jinja2).",
        (
            "ftz-reforms site -o site/   # pip install 'ftz-reforms[site]'",
            "python -m http.server -d site/ 8000",
            "ftz-reforms --data batch6.json site -o batch6-site/",
        ),
        _site_arguments,
        _run_site,
    ),
    Command(
        "build",
        "regenerate the bundled data from sources/ (source checkout only)",
        "Regenerate the bundled dataset, schemas and exports from sources/, or check that they are current.",
        ("ftz-reforms build --check",),
        _build_arguments,
        _run_build,
        needs_checkout=True,
    ),
)


def format_options(parser: argparse.ArgumentParser, command: Command) -> None:
    """--format (the command's formats, its default first) and -o, the same for every command that selects rows."""
    described = "; ".join(f"{name}: {FORMATS[name].help}" for name in command.formats)
    parser.add_argument(
        "--format", choices=command.formats, default=command.formats[0], help=f"output format: {described}"
    )
    parser.add_argument(
        "-o", "--output", type=output_argument, metavar="PATH", help="write to PATH (default, or -: stdout)"
    )
    if "table" in command.formats:
        parser.add_argument(
            "--wide", action="store_true", help="table: every cell whole, whatever the terminal's width"
        )
