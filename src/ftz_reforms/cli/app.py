"""The ``ftz-reforms`` command line (also ``python -m ftz_reforms``).

Exit codes: 0 success, 1 nothing found or a check failed, 2 usage error or bad input.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ftz_reforms.cli.render import case_text, table
from ftz_reforms.errors import CaseNotFoundError, FilterError, QueryError
from ftz_reforms.model.vocab import Category, Direction, Role, Unit, Where
from ftz_reforms.tables.formats import ExportError, MissingExtraError
from ftz_reforms.text.chars import CJK_RUN

if TYPE_CHECKING:
    from ftz_reforms.queries import CaseMetric
    from ftz_reforms.retrieval.engine import Hit

# Commands import the data and its models only when they run: `search` never needs pydantic.

__all__ = ["main"]

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_USAGE = 2

_EXAMPLES = """\
examples:
  ftz-reforms search 退货                 cases about returned goods, best first
  ftz-reforms search credit supervision --limit 3
  ftz-reforms search 海事 --province Hebei --format json
  ftz-reforms list                       every case: number, id, provinces, title
  ftz-reforms list --category tax --lang en
  ftz-reforms show 17                    case 17 in full (also: show b5-17)
  ftz-reforms show 5 --lang en           case 5 in English
  ftz-reforms show 17 --format json      the case as JSON
  ftz-reforms metrics --case 4           every figure case 4 reports
  ftz-reforms metrics --unit CNY --role change --direction down --format csv
                                         money saved, as CSV
  ftz-reforms export --table metrics --format csv --excel -o metrics.csv
                                         every figure, as a CSV file Excel opens
  ftz-reforms validate my-case.json      check a case or dataset file against the schema
  ftz-reforms schema case                the JSON Schema of one case
  ftz-reforms build --check              is the bundled data current with sources/?
"""


def _json_out(value: object) -> str:
    import orjson  # only when JSON is asked for: a plain search never pays its import

    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def _filters(args: argparse.Namespace) -> dict[str, str | None]:
    return {
        "province": args.province,
        "area": args.area,
        "category": args.category,
        "unit": args.unit,
        "text": args.text,
    }


def _cmd_list(args: argparse.Namespace) -> Iterable[str]:
    from ftz_reforms import store
    from ftz_reforms.retrieval.engine import filter_cases

    wanted = set(filter_cases(**_filters(args)))
    all_cases = [case for case in store.cases() if case.number in wanted]
    if not all_cases:
        raise _NothingFound("no case passes these filters")
    if args.format == "csv":
        yield from _csv_lines(
            ["number", "id", "iso_codes", "title_zh", "title_en"],
            [
                {
                    "number": case.number,
                    "id": case.id,
                    "iso_codes": "; ".join(zone.iso_code for zone in case.providers),
                    "title_zh": case.title_zh,
                    "title_en": case.title_en,
                }
                for case in all_cases
            ],
        )
        return
    if args.format == "json":
        yield _json_out(
            [
                {
                    "number": case.number,
                    "id": case.id,
                    "provinces": [zone.province_zh for zone in case.providers],
                    "iso_codes": [zone.iso_code for zone in case.providers],
                    "title_zh": case.title_zh,
                    "title_en": case.title_en,
                }
                for case in all_cases
            ]
        )
        return
    if args.lang == "en":
        rows = [
            [str(case.number), case.id, ", ".join(zone.province_en for zone in case.providers), case.title_en or ""]
            for case in all_cases
        ]
    else:
        rows = [
            [str(case.number), case.id, "、".join(zone.province_zh for zone in case.providers), case.title_zh]
            for case in all_cases
        ]
    yield from table(["#", "id", "provinces", "title"], rows)


def _cmd_show(args: argparse.Namespace) -> Iterable[str]:
    from ftz_reforms import store

    case = store.get(args.ref)
    if args.format == "json":
        yield _json_out(case.model_dump(mode="json"))
        return
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    yield from case_text(case, width=width, lang=args.lang)


_METRIC_COLUMNS = (
    "case_id", "case_number", "case_title_zh", "id", "where", "section", "span", "value", "value_max", "unit",
    "classifier", "per", "qualifier", "role", "direction", "as_of", "description_en", "sentence",
)  # fmt: skip


def _metric_row(found: CaseMetric) -> dict[str, object]:
    metric = found.metric.model_dump(mode="json")
    metric["per"] = "/".join(metric["per"])
    return {
        "case_id": found.case.id,
        "case_number": found.case.number,
        "case_title_zh": found.case.title_zh,
        **{key: metric[key] for key in _METRIC_COLUMNS[3:]},
    }


def _cmd_metrics(args: argparse.Namespace) -> Iterable[str]:
    from ftz_reforms import queries

    found = queries.metrics(
        case=args.case,
        unit=args.unit,
        role=args.role,
        direction=args.direction,
        where=args.where,
        min_value=args.min,
        max_value=args.max,
    )
    if not found:
        raise _NothingFound("no metric matches these filters")
    if args.format == "json":
        yield _json_out([{"case_id": f.case.id, **f.metric.model_dump(mode="json")} for f in found])
        return
    if args.format == "csv":
        yield from _csv_lines(_METRIC_COLUMNS, [_metric_row(f) for f in found])
        return
    rows = []
    for f in found:
        m = f.metric
        change = f"{m.role.value}" + (f" {m.direction.value}" if m.direction else "")
        what = (m.description_en or "") if args.lang == "en" else m.sentence
        rows.append([m.id, m.span, f"{m.value:g}", m.unit.value, change, m.as_of or "", what])
    yield from table(["id", "span", "value", "unit", "role", "as of", "what"], rows)


def _csv_lines(columns: Sequence[str], rows: Iterable[dict[str, object]]) -> Iterable[str]:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    yield buffer.getvalue().rstrip("\n")


_ANSI_MARK = ("\x1b[1;33m", "\x1b[0m")
_PLAIN_MARK = ("«", "»")


def _marks() -> tuple[str, str]:
    """Colour for a terminal (https://no-color.org: NO_COLOR set, even empty, turns it off)."""
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        return _ANSI_MARK
    return _PLAIN_MARK


def _hit_record(rank: int, hit: Hit) -> dict[str, object]:
    return {
        "rank": rank,
        "number": hit.number,
        "id": hit.id,
        "score": hit.score,
        "title_zh": hit.title_zh,
        "title_en": hit.title_en,
        "matched_terms": list(hit.matched_terms),
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.highlights],
    }


def _cmd_search(args: argparse.Namespace) -> Iterable[str]:
    from ftz_reforms.retrieval.engine import search

    query = " ".join(args.query)
    hits = search(query, limit=args.limit, lang=args.lang, **_filters(args))
    if not hits:
        raise _NothingFound(f"no case matches {query!r}")
    if args.format == "json":
        yield _json_out([_hit_record(rank, hit) for rank, hit in enumerate(hits, start=1)])
        return
    if args.format == "csv":
        rows = []
        for rank, hit in enumerate(hits, start=1):
            record = _hit_record(rank, hit)
            record["matched_terms"] = "; ".join(hit.matched_terms)
            record["snippet"] = hit.marked()
            del record["highlights"]
            rows.append(record)
        yield from _csv_lines(list(rows[0]), rows)
        return
    open_mark, close_mark = _marks()
    english = args.lang == "en" or (args.lang is None and not CJK_RUN.search(query))
    for rank, hit in enumerate(hits, start=1):
        title = (hit.title_en or hit.title_zh) if english else hit.title_zh
        yield f"{rank:>2}. {hit.number:>2} [{hit.id}] {title}  (score {hit.score:.2f})"
        yield f"    matched: {', '.join(hit.matched_terms)}"
        yield f"    {hit.marked(open_mark, close_mark)}"


class _NothingFound(Exception):
    """A query matched nothing: exit 1 with this message."""


def _cmd_export(args: argparse.Namespace) -> int:
    from ftz_reforms.tables.formats import export_bytes

    if args.format == "parquet" and args.output is None and sys.stdout.isatty():
        raise _UsageError("Parquet is binary: give -o PATH, or redirect stdout to a file")
    content = export_bytes(args.table, args.format, excel=args.excel)
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        try:
            args.output.write_bytes(content)
        except OSError as error:
            raise _UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
        print(f"wrote {len(content)} bytes to {args.output}", file=sys.stderr)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ftz_reforms.validate import validate_file

    invalid = 0
    for name in args.files:
        problems = validate_file(Path(name), kind=args.kind)
        for problem in problems:
            print(problem)
        invalid += bool(problems)
    checked = len(args.files)
    summary = f"{checked - invalid} of {checked} file{'s' if checked != 1 else ''} valid"
    print(summary, file=sys.stderr)
    return EXIT_NOTHING if invalid else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> Iterable[str]:
    from ftz_reforms.model.schema import json_schema

    yield _json_out(json_schema(args.name))


class _UsageError(Exception):
    """The command cannot run as asked: exit 2 with this message."""


def _cmd_build(args: argparse.Namespace) -> int:
    from ftz_reforms.build import command

    return command.main(["--check"] if args.check else [])


def _add_output_options(
    parser: argparse.ArgumentParser, formats: list[str], lang_default: str | None, lang_help: str
) -> None:
    """The options every reading command shares: --format (its first choice is the default) and --lang."""
    parser.add_argument("--format", choices=formats, default=formats[0], help=f"output format (default {formats[0]})")
    default = f"default {lang_default}" if lang_default else "default: the language of what matched"
    parser.add_argument("--lang", choices=["zh", "en"], default=lang_default, help=f"{lang_help} ({default})")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (combine freely)")
    group.add_argument("--province", metavar="NAME", help="provider province: 山东, Shandong or CN-SD")
    group.add_argument("--area", metavar="NAME", help="pilot area: 青岛片区 or Qingdao Area")
    group.add_argument("--category", metavar="NAME", help="policy category: " + ", ".join(c.value for c in Category))
    group.add_argument("--unit", choices=[u.value for u in Unit], help="a unit the case's metrics use")
    group.add_argument("--text", metavar="TEXT", help="text the case contains (Chinese or English)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftz-reforms",
        description="China's pilot free trade zone best-practice cases, from the bundled dataset.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version_line())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    listing = commands.add_parser("list", help="list every case", description="List every case.")
    _add_output_options(listing, ["table", "json", "csv"], "zh", "language of names and titles")
    _add_filters(listing)
    listing.set_defaults(handler=_cmd_list)

    show = commands.add_parser(
        "show",
        help="show one case in full",
        description="Show one case in full.",
        epilog="REF is a case number (17) or id (b5-17).",
    )
    show.add_argument("ref", metavar="REF", help="case number (1-23) or id (b5-17)")
    _add_output_options(show, ["text", "json"], "zh", "language of the text")
    show.set_defaults(handler=_cmd_show)

    search_parser = commands.add_parser(
        "search",
        help="find cases by what they are about, in Chinese or English",
        description=(
            "Rank the cases by how well they match QUERY (Chinese, English or both) and show the best "
            "sentence of each, with the matches marked (coloured on a terminal unless NO_COLOR is set). "
            "Exits 1 when nothing matches."
        ),
        epilog=(
            "examples:\n"
            "  ftz-reforms search 退货\n"
            "  ftz-reforms search 台湾同胞职业资格认可          a paraphrase finds case 17\n"
            "  ftz-reforms search credit supervision --limit 3\n"
            "  ftz-reforms search sea-rail --lang zh             English query, Chinese snippets\n"
            "  ftz-reforms search 海事 --province Hebei --format json"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search_parser.add_argument("query", nargs="+", metavar="QUERY", help="words to search for")
    search_parser.add_argument("--limit", type=_positive_int, default=10, metavar="N", help="at most N hits (10)")
    _add_output_options(search_parser, ["table", "json", "csv"], None, "language of titles and snippets")
    _add_filters(search_parser)
    search_parser.set_defaults(handler=_cmd_search)

    metric_parser = commands.add_parser(
        "metrics",
        help="list quantified figures, filtered",
        description="List the quantified figures (metrics) of the casebook, filtered.",
        epilog="examples:\n  ftz-reforms metrics --case 4\n  ftz-reforms metrics --unit percent --role change",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    metric_parser.add_argument("--case", metavar="REF", help="case number (1-23) or id (b5-17)")
    metric_parser.add_argument("--unit", choices=[u.value for u in Unit], help="unit of the value")
    metric_parser.add_argument("--role", choices=[r.value for r in Role], help="role of the figure")
    metric_parser.add_argument("--direction", choices=[d.value for d in Direction], help="direction of a change")
    metric_parser.add_argument("--where", choices=[w.value for w in Where], help="part of the case")
    metric_parser.add_argument("--min", type=float, help="smallest value (in the metric's unit)")
    metric_parser.add_argument("--max", type=float, help="largest value (in the metric's unit)")
    _add_output_options(
        metric_parser, ["table", "json", "csv"], "en", "table: describe each figure in English or by its sentence"
    )
    metric_parser.set_defaults(handler=_cmd_metrics)

    from ftz_reforms.tables.formats import FORMATS, TABLES

    export = commands.add_parser(
        "export",
        help="export a table as JSON, JSON Lines, CSV or Parquet",
        description="Export one flat table of the dataset. Every row carries its case id and titles.",
        epilog=(
            "examples:\n  ftz-reforms export --table cases --format csv -o cases.csv\n"
            "  ftz-reforms export --table metrics --format jsonl | head -3\n"
            "  ftz-reforms export --table sections --format parquet -o sections.parquet  (needs ftz-reforms[parquet])"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--table", choices=list(TABLES), default="cases", help="which table (default cases)")
    export.add_argument("--format", choices=list(FORMATS), default="csv", help="file format (default csv)")
    export.add_argument("--excel", action="store_true", help="CSV only: start with a UTF-8 BOM so Excel reads Chinese")
    export.add_argument("-o", "--output", type=Path, metavar="PATH", help="write to PATH (default: stdout)")
    export.set_defaults(runner=_cmd_export)

    validate = commands.add_parser(
        "validate",
        help="check JSON files (a dataset or one case) against the data contract",
        description=(
            "Check JSON files, each a whole dataset or one case, against the data contract. Prints every "
            "problem as FILE: JSON-PATH: MESSAGE; exits 1 when any file is invalid."
        ),
        epilog="examples:\n  ftz-reforms validate cases/*.json\n  ftz-reforms validate --kind case b5-01.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="JSON files to check")
    validate.add_argument(
        "--kind",
        choices=["auto", "dataset", "case"],
        default="auto",
        help="what each file holds (default auto: a dataset when it has 'cases')",
    )
    validate.set_defaults(runner=_cmd_validate)

    schema = commands.add_parser(
        "schema", help="print a JSON Schema", description="Print the JSON Schema (draft 2020-12) of the data."
    )
    schema.add_argument("name", nargs="?", choices=["dataset", "case"], default="dataset", help="which schema")
    schema.set_defaults(handler=_cmd_schema)

    build = commands.add_parser(
        "build",
        help="regenerate the bundled data from sources/ (source checkout only)",
        description="Regenerate the bundled dataset and JSON Schemas from sources/.",
    )
    build.add_argument("--check", action="store_true", help="exit 1 naming stale generated files")
    build.set_defaults(runner=_cmd_build)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _version_line() -> str:
    from ftz_reforms._version import DATA_VERSION, __version__

    return f"ftz-reforms {__version__} (data {DATA_VERSION})"


def _emit(lines: Iterable[str]) -> None:
    write = sys.stdout.write
    for line in lines:
        write(line + "\n")
    sys.stdout.flush()


def _silence_stdout() -> None:
    # The reader went away (`| head`): point stdout at devnull so the interpreter's final flush
    # cannot raise a second BrokenPipeError while shutting down.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        runner: Callable[[argparse.Namespace], int] | None = getattr(args, "runner", None)
        if runner is not None:
            return runner(args)
        _emit(args.handler(args))
    except (CaseNotFoundError, FilterError, QueryError, ExportError, MissingExtraError) as error:
        print(f"ftz-reforms: {error}", file=sys.stderr)
        return EXIT_USAGE
    except _UsageError as error:
        print(f"ftz-reforms: {error}", file=sys.stderr)
        return EXIT_USAGE
    except _NothingFound as nothing:
        print(f"ftz-reforms: {nothing}", file=sys.stderr)
        return EXIT_NOTHING
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
