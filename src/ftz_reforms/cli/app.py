"""The ``ftz-reforms`` command line: the parser built from the commands, and one way to print their output.

``--data FILE`` only chooses the collection every command is handed (the bundled one otherwise); rows go
through ``output.emit``; every error the library raises on purpose (``FtzReformsError``) is one line on
stderr. Exit codes: 0 success, 1 nothing found or a check failed, 2 usage error or bad input.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ftz_reforms._paths import source_checkout
from ftz_reforms.cli.commands import COMMANDS, Command, NothingFound, format_options
from ftz_reforms.cli.output import (
    EXIT_NOTHING,
    EXIT_USAGE,
    Output,
    Selection,
    check_output,
    emit,
    is_terminal,
    path_argument,
    terminal_width,
)
from ftz_reforms.errors import FtzReformsError

if TYPE_CHECKING:
    from ftz_reforms.collection import Collection

__all__ = ["main"]


def _offered(command: Command) -> bool:
    return not command.needs_checkout or source_checkout() is not None


def _parser() -> argparse.ArgumentParser:
    return _parser_of(tuple(command for command in COMMANDS if _offered(command)), _help_width())


@functools.lru_cache(maxsize=4)
def _parser_of(offered: tuple[Command, ...], help_width: int) -> argparse.ArgumentParser:
    """The parser offering ``offered``, its descriptions filled to ``help_width``: made once a process for each,
    since parsing leaves a parser as it was and ``main`` may run many times in one process (a test, a notebook)."""
    parser = argparse.ArgumentParser(
        prog="ftz-reforms",
        description="China's pilot free trade zone best-practice cases, from the bundled dataset.",
        epilog="examples:\n" + "\n".join(f"  {example}" for command in offered for example in command.examples[:2]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version_line())
    parser.add_argument(
        "--data",
        type=path_argument,
        metavar="FILE",
        help="query this dataset file (from `ftz-reforms import`, or any valid dataset) instead of the bundled data",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for command in offered:
        subparser = subparsers.add_parser(
            command.name,
            help=command.help,
            description=textwrap.fill(command.description, help_width),
            epilog="examples:\n" + "\n".join(f"  {example}" for example in command.examples),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.arguments(subparser)
        if command.formats:
            format_options(subparser, command)
        subparser.set_defaults(command_object=command)
    return parser


def _help_width() -> int:
    """How wide help text is written: the terminal's (or ``COLUMNS``) less argparse's margin, at most 88."""
    import shutil

    return max(min(shutil.get_terminal_size((90, 24)).columns - 2, 88), 40)


def _version_line() -> str:
    from ftz_reforms._version import DATA_VERSION, SCHEMA_VERSION, __version__

    return f"ftz-reforms {__version__} (data {DATA_VERSION}, schema {SCHEMA_VERSION})"


def _collection(data: Path | None) -> Collection:
    from ftz_reforms.collection import dataset, load

    return dataset() if data is None else load(data)


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


def _readable_streams() -> str | None:
    """Let stdout and stderr show what their encoding cannot as escapes (\\u9000) instead of failing; the
    encoding's name when it cannot show Chinese, for a one-line hint."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "中".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return encoding
    return None


def _decoded(arguments: list[str]) -> list[str]:
    """Arguments as typed: in a locale Python reads as ASCII (LC_ALL=C without UTF-8 mode), Chinese arrives
    as undecodable bytes; they are read as UTF-8, what every terminal here sends. A path argument is given
    back its bytes by its type (``output.path_argument``), so the file system finds it by its own name."""
    decoded = []
    for argument in arguments:
        try:
            decoded.append(os.fsencode(argument).decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(argument)
    return decoded


def _silence_stdout() -> None:
    # The reader went away (`| head`): point stdout at devnull so the interpreter's final flush
    # cannot raise a second BrokenPipeError while shutting down.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _run(args: argparse.Namespace) -> Output:
    command: Command = args.command_object
    collection = _collection(args.data)
    if command.formats:
        check_output(collection, args.format, args.output)
    result = command.run(args, collection)
    if isinstance(result, Selection):
        width = None if getattr(args, "wide", False) else terminal_width()
        return emit(result, args.format, args.output, excel=getattr(args, "excel", False), width=width)
    return result


def _run_showing_progress(args: argparse.Namespace) -> Output:
    """``_run``, with progress on stderr when it is a terminal (``cli.progress``); elsewhere progress would show
    nothing, so its modules are not even imported (a search in a pipe pays nothing for it)."""
    if not is_terminal(sys.stderr):
        return _run(args)
    from ftz_reforms._progress import reporting
    from ftz_reforms.cli.progress import TerminalProgress

    progress = TerminalProgress(sys.stderr)
    try:
        with reporting(progress):
            return _run(args)
    finally:
        progress.clear()  # before any message: the line of progress is gone


class _Terminated(BaseException):
    """SIGTERM, raised where the process is, so every write in progress removes its temporary file."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number


def _raise_terminated(signal_number: int, frame: object) -> None:
    raise _Terminated(signal_number)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (128 + the signal's number when interrupted or terminated:
    one line, no traceback, and nothing half-written left on disk)."""
    import signal

    try:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread (main called from a thread): Python delivers signals elsewhere
        previous = None
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("ftz-reforms: interrupted; nothing half-written was left", file=sys.stderr)
        return 128 + signal.SIGINT
    except _Terminated as terminated:
        print("ftz-reforms: terminated; nothing half-written was left", file=sys.stderr)
        return 128 + terminated.signal_number
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: Sequence[str] | None) -> int:
    if sys.stdout is None or sys.stderr is None:
        return _closed_stdout()
    unshowable = _readable_streams()
    arguments = list(_decoded(sys.argv[1:]) if argv is None else argv)
    if _not_offered_here(arguments):
        return _failed(
            "build regenerates the data from the sources of a source checkout; "
            "this is an installed copy, whose data is already built"
        )
    ran = _ran(_parser().parse_args(arguments))
    if isinstance(ran, int):
        return ran
    unwritten = _written(ran)
    if unwritten is not None:
        return unwritten
    _hint_encoding(unshowable, ran)
    return ran.code


def _failed(message: object, code: int = EXIT_USAGE) -> int:
    """``message`` as the command's one line on stderr; ``code``, the exit code it ends with."""
    print(f"ftz-reforms: {message}", file=sys.stderr)
    return code


def _closed_stdout() -> int:
    """No stdout (or no stderr): said on stderr where there is one; a usage error."""
    if sys.stderr is not None:
        print("ftz-reforms: standard output is closed: give it somewhere to write to", file=sys.stderr)
    return EXIT_USAGE


def _not_offered_here(arguments: list[str]) -> bool:
    """A command this copy does not offer (``build``, of an installed copy, which has no sources to build from)
    asked for by name: argparse, which does not list it, would only say it is no choice."""
    return any(arguments[:1] == [command.name] and not _offered(command) for command in COMMANDS)


def _ran(args: argparse.Namespace) -> Output | int:
    """The command's output, or the exit code of an error it raised on purpose (said on stderr)."""
    try:
        return _run_showing_progress(args)
    except NothingFound as nothing:
        return _failed(nothing, EXIT_NOTHING)
    except FtzReformsError as error:
        return _failed(error)


def _written(output: Output) -> int | None:
    """Write ``output``; the exit code when it could not be written whole, None otherwise."""
    try:
        _write(output)
    except BrokenPipeError:
        # The reader stopped reading; what the command found still decides the exit code.
        _silence_stdout()
    except OSError as error:  # a full disk, a file-size limit: what was printed is not whole
        _silence_stdout()
        return _failed(f"cannot write the output: {error.strerror or error}")
    return None


def _hint_encoding(unshowable: str | None, output: Output) -> None:
    """Where lines went to an output whose encoding (``unshowable``) cannot show Chinese, how to see it."""
    if unshowable is None or not output.lines:
        return
    print(
        f"ftz-reforms: this output's encoding ({unshowable}) cannot show Chinese, so it is printed as \\u "
        "escapes; set PYTHONIOENCODING=utf-8 (or a UTF-8 locale) to see the text",
        file=sys.stderr,
    )


if __name__ == "__main__":
    sys.exit(main())
