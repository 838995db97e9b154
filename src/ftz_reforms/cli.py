"""The ``ftz-reforms`` command line (also ``python -m ftz_reforms``).

Exit codes: 0 success, 1 nothing found or a check failed, 2 usage error or bad input.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence

import orjson

from ftz_reforms import queries, store
from ftz_reforms.render import case_text, table
from ftz_reforms.vocab import Direction, Role, Unit, Where

__all__ = ["main"]

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_USAGE = 2

_EXAMPLES = """\
examples:
  ftz-reforms list                       every case: number, id, provinces, title
  ftz-reforms show 17                    case 17 in full (also: show b5-17)
  ftz-reforms show 17 --format json      the case as JSON
  ftz-reforms metrics --case 4           every figure case 4 reports
  ftz-reforms metrics --unit CNY --role change --direction down --format csv
                                         money saved, as CSV
  ftz-reforms build --check              is the bundled data current with sources/?
"""


def _json_out(value: object) -> str:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def _cmd_list(args: argparse.Namespace) -> Iterable[str]:
    all_cases = store.cases()
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
    rows = [
        [str(case.number), case.id, "、".join(zone.province_zh for zone in case.providers), case.title_zh]
        for case in all_cases
    ]
    yield from table(["#", "id", "provinces", "title"], rows)


def _cmd_show(args: argparse.Namespace) -> Iterable[str]:
    case = store.get(args.ref)
    if args.format == "json":
        yield _json_out(case.model_dump(mode="json"))
        return
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    yield from case_text(case, width=width)


_METRIC_COLUMNS = (
    "case_id", "case_number", "case_title_zh", "id", "where", "section", "span", "value", "value_max", "unit",
    "classifier", "per", "qualifier", "role", "direction", "as_of", "description_en", "sentence",
)  # fmt: skip


def _metric_row(found: queries.CaseMetric) -> dict[str, object]:
    metric = found.metric.model_dump(mode="json")
    metric["per"] = "/".join(metric["per"])
    return {
        "case_id": found.case.id,
        "case_number": found.case.number,
        "case_title_zh": found.case.title_zh,
        **{key: metric[key] for key in _METRIC_COLUMNS[3:]},
    }


def _cmd_metrics(args: argparse.Namespace) -> Iterable[str]:
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
        rows.append([m.id, m.span, f"{m.value:g}", m.unit.value, change, m.as_of or "", m.description_en or ""])
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


class _NothingFound(Exception):
    """A query matched nothing: exit 1 with this message."""


def _cmd_build(args: argparse.Namespace) -> int:
    from ftz_reforms import build

    return build.main(["--check"] if args.check else [])


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
    listing.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    listing.set_defaults(handler=_cmd_list)

    show = commands.add_parser(
        "show",
        help="show one case in full",
        description="Show one case in full.",
        epilog="REF is a case number (17) or id (b5-17).",
    )
    show.add_argument("ref", metavar="REF", help="case number (1-23) or id (b5-17)")
    show.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    show.set_defaults(handler=_cmd_show)

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
    metric_parser.add_argument("--format", choices=["table", "json", "csv"], default="table", help="output format")
    metric_parser.set_defaults(handler=_cmd_metrics)

    build = commands.add_parser(
        "build",
        help="regenerate the bundled data from sources/ (source checkout only)",
        description="Regenerate the bundled dataset and JSON Schemas from sources/.",
    )
    build.add_argument("--check", action="store_true", help="exit 1 naming stale generated files")
    build.set_defaults(runner=_cmd_build)
    return parser


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
    except (store.CaseNotFoundError, queries.FilterError) as error:
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
