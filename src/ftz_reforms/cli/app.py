"""The ``ftz-reforms`` command line: the parser built from the commands, and one way to print their output.

Exit codes: 0 success, 1 nothing found or a check failed, 2 usage error or bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from ftz_reforms._paths import source_checkout
from ftz_reforms.cli.commands import COMMANDS, Command, NothingFound, Output, UsageError
from ftz_reforms.errors import (
    CasebookError,
    CaseNotFoundError,
    DatasetFileError,
    ExportError,
    FilterError,
    QueryError,
    ReferenceNotFoundError,
    StaleIndexError,
)
from ftz_reforms.tables.formats import MissingExtraError

__all__ = ["EXIT_NOTHING", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_USAGE = 2

# What the library raises for input it cannot use; each becomes one line on stderr and exit 2.
_BAD_INPUT = (
    CaseNotFoundError,
    FilterError,
    QueryError,
    ExportError,
    MissingExtraError,
    StaleIndexError,
    ReferenceNotFoundError,
    CasebookError,
    DatasetFileError,
    UsageError,
)


def _offered(command: Command) -> bool:
    return not command.needs_checkout or source_checkout() is not None


def _examples(commands: Iterable[Command]) -> str:
    lines = ["examples:"]
    for command in commands:
        lines += [f"  {example}" for example in command.examples[:2]]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    offered = [command for command in COMMANDS if _offered(command)]
    parser = argparse.ArgumentParser(
        prog="ftz-reforms",
        description="China's pilot free trade zone best-practice cases, from the bundled dataset.",
        epilog=_examples(offered),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version_line())
    parser.add_argument(
        "--data",
        type=Path,
        metavar="FILE",
        help="query this dataset file (one `ftz-reforms import` wrote) instead of the bundled data",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for command in offered:
        subparser = subparsers.add_parser(
            command.name,
            help=command.help,
            description=textwrap.fill(command.description, 88),
            epilog="examples:\n" + "\n".join(f"  {example}" for example in command.examples),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.arguments(subparser)
        subparser.set_defaults(run=command.run)
    return parser


def _version_line() -> str:
    from ftz_reforms._version import DATA_VERSION, __version__

    return f"ftz-reforms {__version__} (data {DATA_VERSION})"


def _write(output: Output) -> None:
    if output.data is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(output.data)
        sys.stdout.buffer.flush()
    write = sys.stdout.write
    for line in output.lines:
        write(line + "\n")
    sys.stdout.flush()
    if output.note:
        print(output.note, file=sys.stderr)


def _silence_stdout() -> None:
    # The reader went away (`| head`): point stdout at devnull so the interpreter's final flush
    # cannot raise a second BrokenPipeError while shutting down.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["build"] and source_checkout() is None:
        print(
            "ftz-reforms: build regenerates the data from the sources of a source checkout; "
            "this is an installed copy, whose data is already built",
            file=sys.stderr,
        )
        return EXIT_USAGE
    args = _parser().parse_args(arguments)
    try:
        output: Output = args.run(args)
        _write(output)
    except _BAD_INPUT as error:
        print(f"ftz-reforms: {error}", file=sys.stderr)
        return EXIT_USAGE
    except NothingFound as nothing:
        print(f"ftz-reforms: {nothing}", file=sys.stderr)
        return EXIT_NOTHING
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    return output.code


if __name__ == "__main__":
    sys.exit(main())
