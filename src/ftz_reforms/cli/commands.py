"""The commands of ``ftz-reforms``: for each, the options it takes and what it does.

One convention: a command is a :class:`Command`, whose ``arguments`` adds its options to its own
parser and whose ``run`` turns the parsed options into an :class:`Output` (lines of text, or bytes,
and an exit code). Commands print nothing themselves; ``app`` writes every output the same way. A
command raises the library's own errors (unknown case, filter value, table…), which ``app`` turns into
a one-line message and exit code 2.

Commands import the data and its models only when they run: ``search`` never needs pydantic.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ftz_reforms.model.vocab import Category, Direction, Role, Unit, Where
from ftz_reforms.text.chars import CJK_RUN

if TYPE_CHECKING:
    from ftz_reforms.datasets import LoadedDataset
    from ftz_reforms.model.records import Dataset

__all__ = ["COMMANDS", "Command", "NothingFound", "Output", "UsageError"]

EXIT_OK = 0
EXIT_NOTHING = 1


@dataclass(frozen=True)
class Output:
    """What a command produced: text lines or bytes for stdout, an optional note for stderr, an exit code."""

    lines: Iterable[str] = ()
    data: bytes | None = None
    note: str | None = None
    code: int = EXIT_OK


class NothingFound(Exception):
    """A query matched nothing: exit 1 with this message."""


class UsageError(Exception):
    """The command cannot run as asked: exit 2 with this message."""


@dataclass(frozen=True)
class Command:
    """One command: its name, its help, its options and what it does."""

    name: str
    help: str
    description: str
    examples: tuple[str, ...]
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], Output]
    needs_checkout: bool = False
    """Offered only in a source checkout (the build)."""


def _json(value: object) -> bytes:
    import orjson  # only when JSON is asked for: a plain search never pays its import

    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


def _values(vocabulary: Iterable[Unit | Role | Direction | Where | Category]) -> str:
    return ", ".join(member.value for member in vocabulary)


def _output_options(parser: argparse.ArgumentParser, formats: list[str], lang_default: str | None, what: str) -> None:
    """The options every reading command shares: --format (its first choice is the default) and --lang."""
    parser.add_argument("--format", choices=formats, default=formats[0], help=f"output format (default {formats[0]})")
    default = f"default {lang_default}" if lang_default else "default: the language of what matched"
    parser.add_argument("--lang", choices=["zh", "en"], default=lang_default, help=f"{what} ({default})")


def _table_output(table_name: str, rows: list[dict[str, object]], fmt: str) -> Output:
    """Rows of a table printed as ``export`` writes them (``--format json|csv``)."""
    from ftz_reforms.tables.definitions import CASES, HITS, METRICS
    from ftz_reforms.tables.formats import encode

    table = {"cases": CASES, "metrics": METRICS, "hits": HITS}[table_name]
    return Output(data=encode(table, rows, fmt))


def _loaded(args: argparse.Namespace) -> LoadedDataset | None:
    """The dataset ``--data FILE`` names, or None for the bundled one."""
    if getattr(args, "data", None) is None:
        return None
    from ftz_reforms.datasets import load

    return load(args.data)


def _dataset(args: argparse.Namespace) -> Dataset:
    loaded = _loaded(args)
    if loaded is not None:
        return loaded.data
    from ftz_reforms import store

    return store.dataset()


# --- list -----------------------------------------------------------------------------------------


def _filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (combine freely)")
    group.add_argument("--province", metavar="NAME", help="provider province: 山东, Shandong or CN-SD")
    group.add_argument("--area", metavar="NAME", help="pilot area: 青岛片区 or Qingdao Area")
    group.add_argument("--category", metavar="NAME", help=f"policy category: {_values(Category)}")
    group.add_argument("--unit", metavar="UNIT", help=f"a unit the case's metrics use: {_values(Unit)} (or 万元, %%…)")
    group.add_argument("--text", metavar="TEXT", help="text the case contains (Chinese or English)")


def _filters(args: argparse.Namespace) -> dict[str, str | None]:
    return {name: getattr(args, name) for name in ("province", "area", "category", "unit", "text")}


def _list_arguments(parser: argparse.ArgumentParser) -> None:
    _output_options(parser, ["table", "json", "csv"], "zh", "language of names and titles")
    _filter_options(parser)


def _run_list(args: argparse.Namespace) -> Output:
    from ftz_reforms import store
    from ftz_reforms.cli.render import table
    from ftz_reforms.retrieval.engine import bundled_index
    from ftz_reforms.tables.definitions import case_row

    loaded = _loaded(args)
    wanted = set((loaded or bundled_index()).filter_ids(**_filters(args)))
    data = loaded.data if loaded is not None else store.dataset()
    rows = [case_row(case, data.source_of(case.batch)) for case in data.cases if case.id in wanted]
    if not rows:
        raise NothingFound("no case passes these filters")
    if args.format != "table":
        return _table_output("cases", rows, args.format)
    lang = args.lang
    separator = "、" if lang == "zh" else ", "
    return Output(
        lines=table(
            ["number", "case_id", f"province_names_{lang}", f"case_title_{lang}"],
            [
                [
                    str(row["number"]),
                    str(row["case_id"]),
                    separator.join(row[f"province_names_{lang}"]),
                    str(row[f"case_title_{lang}"] or ""),
                ]
                for row in rows
            ],
        )
    )


# --- show -----------------------------------------------------------------------------------------


def _show_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ref", metavar="REF", help="case number (17) or id (b5-17)")
    _output_options(parser, ["text", "json"], "zh", "language of the text")


def _run_show(args: argparse.Namespace) -> Output:
    from ftz_reforms.cli.render import case_text
    from ftz_reforms.store import find_case

    case = find_case(_dataset(args).cases, args.ref)
    if args.format == "json":
        return Output(data=_json(case.model_dump(mode="json")))
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    return Output(lines=case_text(case, width=width, lang=args.lang))


# --- search ---------------------------------------------------------------------------------------

_ANSI_MARK = ("\x1b[1;33m", "\x1b[0m")
_PLAIN_MARK = ("«", "»")


def marks() -> tuple[str, str]:
    """Colour for a terminal (https://no-color.org: NO_COLOR set, even empty, turns it off)."""
    import os

    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        return _ANSI_MARK
    return _PLAIN_MARK


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _search_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="+", metavar="QUERY", help="words to search for")
    parser.add_argument("--limit", type=_positive_int, default=10, metavar="N", help="at most N hits (10)")
    _output_options(parser, ["table", "json", "csv"], None, "language of titles and snippets")
    _filter_options(parser)


def _run_search(args: argparse.Namespace) -> Output:
    query = " ".join(args.query)
    loaded = _loaded(args)
    if loaded is not None:
        hits = loaded.search(query, limit=args.limit, lang=args.lang, **_filters(args))
    else:
        from ftz_reforms.retrieval.engine import search

        hits = search(query, limit=args.limit, lang=args.lang, **_filters(args))
    if not hits:
        raise NothingFound(f"no case matches {query!r}")
    if args.format != "table":
        from ftz_reforms.tables.definitions import hit_row

        return _table_output("hits", [hit_row(rank, hit) for rank, hit in enumerate(hits, start=1)], args.format)
    open_mark, close_mark = marks()
    english = args.lang == "en" or (args.lang is None and not CJK_RUN.search(query))
    lines = []
    for rank, hit in enumerate(hits, start=1):
        title = (hit.title_en or hit.title_zh) if english else hit.title_zh
        lines += [
            f"{rank:>2}. {hit.number:>2} [{hit.id}] {title}  (score {hit.score:.2f})",
            f"    matched: {', '.join(hit.matched_terms)}",
            f"    {hit.marked(open_mark, close_mark)}",
        ]
    return Output(lines=lines)


# --- metrics --------------------------------------------------------------------------------------


def _metrics_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", metavar="REF", help="case number (17) or id (b5-17)")
    parser.add_argument("--unit", metavar="UNIT", help=f"unit of the value: {_values(Unit)} (or 万元, %%…)")
    parser.add_argument("--role", metavar="ROLE", help=f"role of the figure: {_values(Role)}")
    parser.add_argument("--direction", metavar="DIR", help=f"direction of a change: {_values(Direction)}")
    parser.add_argument("--where", metavar="PART", help=f"part of the case: {_values(Where)}")
    parser.add_argument("--min", type=float, help="smallest value (in the metric's unit)")
    parser.add_argument("--max", type=float, help="largest value (in the metric's unit)")
    parser.add_argument("--distinct", action="store_true", help="leave out figures that restate an earlier one")
    _output_options(parser, ["table", "json", "csv"], "en", "table: describe each figure in English or by its sentence")


def _run_metrics(args: argparse.Namespace) -> Output:
    from ftz_reforms.cli.render import table
    from ftz_reforms.queries import select_metrics
    from ftz_reforms.tables.definitions import metric_row

    found = select_metrics(
        _dataset(args).cases,
        case=args.case,
        unit=args.unit,
        role=args.role,
        direction=args.direction,
        where=args.where,
        min_value=args.min,
        max_value=args.max,
        distinct=args.distinct,
    )
    if not found:
        raise NothingFound("no metric matches these filters")
    rows = [metric_row(each.case, each.metric) for each in found]
    if args.format != "table":
        return _table_output("metrics", rows, args.format)
    what = "description_en" if args.lang == "en" else "sentence"
    cells = []
    for row in rows:
        change = str(row["role"]) + (f" {row['direction']}" if row["direction"] else "")
        value = f"{row['value']:g}"
        cells.append(
            [
                str(row["metric_id"]),
                str(row["span"]),
                value,
                str(row["unit"]),
                change,
                str(row["as_of"] or ""),
                str(row[what] or ""),
            ]
        )
    return Output(lines=table(["metric_id", "span", "value", "unit", "role", "as_of", what], cells))


# --- export ---------------------------------------------------------------------------------------


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    from ftz_reforms.tables.definitions import DATASET_TABLES
    from ftz_reforms.tables.formats import FORMATS

    parser.add_argument("--table", choices=list(DATASET_TABLES), default="cases", help="which table (default cases)")
    parser.add_argument(
        "--format", choices=[*FORMATS, "sqlite"], default="csv", help="file format (default csv; sqlite: every table)"
    )
    parser.add_argument("--excel", action="store_true", help="CSV only: start with a UTF-8 BOM so Excel reads Chinese")
    parser.add_argument("-o", "--output", type=Path, metavar="PATH", help="write to PATH (default: stdout)")


def _run_export(args: argparse.Namespace) -> Output:
    from ftz_reforms.tables.formats import export_bytes

    if args.format == "sqlite":
        return _export_sqlite(args)
    if args.format == "parquet" and args.output is None and sys.stdout.isatty():
        raise UsageError("Parquet is binary: give -o PATH, or redirect stdout to a file")
    content = export_bytes(args.table, args.format, excel=args.excel, data=_dataset(args))
    return _to_file_or_stdout(content, args.output)


def _export_sqlite(args: argparse.Namespace) -> Output:
    """Every table in one SQLite file (the --table option does not apply), and Datasette's metadata beside it."""
    if args.output is None:
        raise UsageError("a SQLite database is a file: give -o PATH (e.g. -o ftz.db)")
    loaded = _loaded(args)
    try:
        if loaded is not None:
            metadata = loaded.to_sqlite(args.output)
        else:
            from ftz_reforms.tables.sqlite import to_sqlite

            metadata = to_sqlite(args.output)
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
    size = args.output.stat().st_size
    return Output(
        note=f"wrote {size} bytes to {args.output} and Datasette's metadata to {metadata}; browse it with: "
        f"datasette {args.output} --metadata {metadata}"
    )


def _to_file_or_stdout(content: bytes, output: Path | None) -> Output:
    if output is None:
        return Output(data=content)
    try:
        output.write_bytes(content)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    return Output(note=f"wrote {len(content)} bytes to {output}")


# --- zones and areas ------------------------------------------------------------------------------


def _zones_arguments(parser: argparse.ArgumentParser) -> None:
    _output_options(parser, ["table", "json", "csv"], "zh", "language of the names")


def _run_zones(args: argparse.Namespace) -> Output:
    from ftz_reforms.cli.render import table
    from ftz_reforms.tables.definitions import ZONES, zone_row

    rows = [zone_row(zone) for zone in _dataset(args).free_trade_zones]
    if args.format != "table":
        from ftz_reforms.tables.formats import encode

        return Output(data=encode(ZONES, rows, args.format))
    name = f"name_{args.lang}"
    cells = [[str(r["iso_code"]), str(r[name]), str(r["established"]), _km2(r["size_km2"])] for r in rows]
    return Output(lines=table(["iso_code", name, "established", "size_km2"], cells))


def _km2(value: object) -> str:
    return "" if value is None else f"{value:g}"


def _areas_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--zone", metavar="ZONE", help="only this zone's areas: 广东, Guangdong, CN-GD, 广东自贸区…")
    _output_options(parser, ["table", "json", "csv"], "zh", "language of the names")


def _run_areas(args: argparse.Namespace) -> Output:
    from ftz_reforms.casebook.reference import zone_table
    from ftz_reforms.cli.render import table
    from ftz_reforms.tables.definitions import AREAS, area_row

    data = _dataset(args)
    zones = {zone.province_zh: zone for zone in data.free_trade_zones}
    province = None if args.zone is None else zone_table().find(args.zone).province_zh
    rows = [area_row(area, zones) for area in data.pilot_areas if province in (None, area.province_zh)]
    if args.format != "table":
        from ftz_reforms.tables.formats import encode

        return Output(data=encode(AREAS, rows, args.format))
    name = "name_zh" if args.lang == "zh" else "short_name_en"
    columns = ["zone_iso_code", name, "kind", "established", "size_km2", "status"]
    cells = [[_km2(row[c]) if c == "size_km2" else str(row[c]) for c in columns] for row in rows]
    return Output(lines=table(columns, cells))


# --- import ---------------------------------------------------------------------------------------


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "casebook", type=Path, metavar="CASEBOOK", help="the casebook's text (UTF-8), as extracted from its PDF"
    )
    parser.add_argument("--batch", type=_positive_int, required=True, metavar="N", help="the casebook's batch number")
    parser.add_argument("--title-zh", metavar="TEXT", help="the casebook's Chinese title")
    parser.add_argument("--title-en", metavar="TEXT", help="the casebook's English title")
    parser.add_argument("--publisher-zh", metavar="TEXT", help="the issuing body, in Chinese")
    parser.add_argument("--publisher-en", metavar="TEXT", help="the issuing body, in English")
    parser.add_argument("--published", metavar="YYYY-MM", help="when the batch was announced")
    parser.add_argument("--first-page", type=_positive_int, metavar="N", help="printed page of the first line")
    parser.add_argument("-o", "--output", type=Path, metavar="PATH", help="write the dataset to PATH (default: stdout)")


def _run_import(args: argparse.Namespace) -> Output:
    from ftz_reforms.assemble import import_casebook

    try:
        text = args.casebook.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{args.casebook}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise UsageError(f"cannot read {args.casebook}: {error.strerror or error}") from None
    data = import_casebook(
        text,
        batch=args.batch,
        file=args.casebook.name,
        title_zh=args.title_zh,
        title_en=args.title_en,
        publisher_zh=args.publisher_zh,
        publisher_en=args.publisher_en,
        published=args.published,
        first_page=args.first_page,
    )
    output = _to_file_or_stdout(_json(data.model_dump(mode="json")), args.output)
    figures = sum(len(case.metrics) for case in data.cases)
    summary = f"imported {len(data.cases)} cases and {figures} uncurated figures of batch {args.batch}"
    return Output(data=output.data, note=f"{summary}; {output.note}" if output.note else summary)


# --- validate -------------------------------------------------------------------------------------


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSON files to check")
    parser.add_argument(
        "--kind",
        choices=["auto", "dataset", "case"],
        default="auto",
        help="what each file holds (default auto: a dataset when it has 'cases')",
    )


def _run_validate(args: argparse.Namespace) -> Output:
    from ftz_reforms.validate import validate_file

    lines: list[str] = []
    invalid = 0
    for name in args.files:
        problems = validate_file(Path(name), kind=args.kind)
        lines.extend(str(problem) for problem in problems)
        invalid += bool(problems)
    checked = len(args.files)
    summary = f"{checked - invalid} of {checked} file{'s' if checked != 1 else ''} valid"
    return Output(lines=lines, note=summary, code=EXIT_NOTHING if invalid else EXIT_OK)


# --- schema ---------------------------------------------------------------------------------------


def _schema_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", choices=["dataset", "case"], default="dataset", help="which schema")


def _run_schema(args: argparse.Namespace) -> Output:
    from ftz_reforms.model.schema import json_schema

    return Output(data=_json(json_schema(args.name)))


# --- build ----------------------------------------------------------------------------------------


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="exit 1 naming stale generated files")


def _run_build(args: argparse.Namespace) -> Output:
    from ftz_reforms.build import command

    return Output(code=command.main(["--check"] if args.check else []))


COMMANDS: tuple[Command, ...] = (
    Command(
        "list",
        "list the cases",
        "List the cases, filtered; --format json|csv prints rows of the cases table, as export writes them.",
        ("ftz-reforms list", "ftz-reforms list --category tax --lang en --format csv"),
        _list_arguments,
        _run_list,
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
            "ftz-reforms search 台湾同胞职业资格认可          a paraphrase finds case 17",
            "ftz-reforms search credit supervision --limit 3",
            "ftz-reforms search sea-rail --lang zh             English query, Chinese snippets",
            "ftz-reforms search 海事 --province Hebei --format json",
        ),
        _search_arguments,
        _run_search,
    ),
    Command(
        "metrics",
        "list quantified figures, filtered",
        "List the quantified figures (metrics), filtered; --format json|csv prints rows of the metrics table.",
        ("ftz-reforms metrics --case 4", "ftz-reforms metrics --unit CNY --role change --direction down --format csv"),
        _metrics_arguments,
        _run_metrics,
    ),
    Command(
        "export",
        "export a table as JSON, JSON Lines, CSV or Parquet",
        "Export one flat table of the dataset. Every row carries its case id and titles.",
        (
            "ftz-reforms export --table cases --format csv -o cases.csv",
            "ftz-reforms export --table metrics --format jsonl | head -3",
            "ftz-reforms export --table sections --format parquet -o sections.parquet  (needs ftz-reforms[parquet])",
        ),
        _export_arguments,
        _run_export,
    ),
    Command(
        "zones",
        "list the 22 pilot free trade zones",
        "List the pilot free trade zones of the reference table; --format json|csv prints rows of the zones table.",
        ("ftz-reforms zones", "ftz-reforms zones --lang en --format csv"),
        _zones_arguments,
        _run_zones,
    ),
    Command(
        "areas",
        "list the pilot areas of every zone, or of one",
        "List the pilot areas (片区) of the reference table, with kind, year, planned size and how far the "
        "sources confirm them; --format json|csv prints rows of the areas table (with aliases and sources).",
        ("ftz-reforms areas --zone Sichuan", "ftz-reforms areas --lang en --format csv"),
        _areas_arguments,
        _run_areas,
    ),
    Command(
        "import",
        "turn a casebook's text into a dataset file",
        "Parse a casebook printed in the layout of the bundled one into a dataset that `validate` and the "
        "JSON Schema accept: cases, sections, providers, areas, the figures the rules find (uncurated), "
        "keywords. Query it with --data: ftz-reforms --data dataset.json search 退货.",
        (
            "ftz-reforms import casebook.txt --batch 6 -o batch6.json",
            "ftz-reforms import casebook.txt --batch 6 --title-zh 自由贸易试验区第六批“最佳实践案例” -o b6.json",
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
        "schema",
        "print a JSON Schema",
        "Print the JSON Schema (draft 2020-12) of the data.",
        ("ftz-reforms schema case",),
        _schema_arguments,
        _run_schema,
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
