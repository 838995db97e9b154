"""Helpers shared by the tests."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

from ftz_reforms import __version__, load

if sys.version_info >= (3, 11):
    import tomllib as tomllib
else:  # Python 3.10: the same reader, from PyPI (the test extra)
    import tomli as tomllib  # noqa: F401  (re-exported for the tests)


def casebook(*lines: str) -> str:
    """A casebook in the extracted-PDF layout: every physical line followed by a blank line."""
    return "".join(f"{line}\n\n" for line in lines)


def cache_entry(cache: Path, path: Path) -> Path:
    """The cache folder of the dataset file ``path`` (the only one in ``cache``)."""
    (entry,) = (cache / "datasets" / __version__).iterdir()
    assert entry.name == load(path).sha256
    return entry


def benchmark(repo: Path, name: str) -> ModuleType:
    """The module of ``benchmarks/<name>.py``, loaded as a script of that folder would be."""
    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(f"benchmark_{name}", repo / "benchmarks" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(repo / "benchmarks"))


def in_process(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    """What ``ftz-reforms arguments`` exits with and writes, from ``main`` in this process: for a test about what
    is written, not about the process (the entry point only passes ``main``'s code to ``sys.exit``)."""
    from ftz_reforms.cli.app import main

    out, err = io.BytesIO(), io.BytesIO()
    stdout, stderr = io.TextIOWrapper(out, encoding="utf-8"), io.TextIOWrapper(err, encoding="utf-8")
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(list(arguments))
    stdout.flush()
    stderr.flush()
    return subprocess.CompletedProcess(list(arguments), code, out.getvalue(), err.getvalue())


_COMMANDS = """
import json, os, sys
from ftz_reforms.cli.app import main

plan = json.loads(sys.stdin.read())
arguments = sys.argv[1:]
codes = []
for command in plan["commands"]:
    argv, arguments = arguments[: command["count"]], arguments[command["count"] :]
    os.chdir(command["cwd"])
    for stream, descriptor, name in ((sys.stdout, 1, "stdout"), (sys.stderr, 2, "stderr")):
        stream.flush()
        target = os.open(command[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, descriptor)
        os.close(target)
    sys.argv = [sys.argv[0], *argv]  # as the entry point's process has them: decoded by this locale
    try:
        code = main()
    except SystemExit as exit:
        code = exit.code
    sys.stdout.flush()
    sys.stderr.flush()
    codes.append(code)
with open(plan["codes"], "w", encoding="ascii") as file:
    json.dump(codes, file)
"""


def commands_in_one_process(
    commands: Sequence[tuple[Sequence[str], Path]], env: Mapping[str, str], work: Path
) -> list[subprocess.CompletedProcess[bytes]]:
    """Each ``(argv, folder)`` of ``commands`` as ``ftz-reforms argv`` run in ``folder``, one after the other in
    one real process started with ``env``: each with its arguments as that process's own command line (decoded
    as its locale decodes them), with the standard streams Python made for that environment (their encoding and
    errors), its file descriptors 1 and 2 pointed at files of its own (in ``work``). What each exited with and
    wrote, as ``subprocess.run`` would give it."""
    work.mkdir(parents=True, exist_ok=True)
    plan = {
        "codes": str(work / "codes.json"),
        "commands": [
            {"count": len(argv), "cwd": str(folder), "stdout": str(work / f"{n}.out"), "stderr": str(work / f"{n}.err")}
            for n, (argv, folder) in enumerate(commands)
        ],
    }
    arguments = [argument for argv, _ in commands for argument in argv]
    done = subprocess.run(
        [sys.executable, "-c", _COMMANDS, *arguments],
        input=json.dumps(plan).encode("ascii"),
        env=dict(env),
        capture_output=True,
        check=False,
        timeout=600,
    )
    # A traceback ends the process; it is written where that command's stderr went.
    said = done.stderr + b"".join(path.read_bytes() for path in sorted(work.glob("*.err")))
    assert done.returncode == 0 and done.stderr == b"", said.decode(errors="replace")
    codes = json.loads((work / "codes.json").read_text(encoding="ascii"))
    return [
        subprocess.CompletedProcess(
            list(argv), codes[n], (work / f"{n}.out").read_bytes(), (work / f"{n}.err").read_bytes()
        )
        for n, (argv, _) in enumerate(commands)
    ]
