"""Outputs respect what is already there: a device, a FIFO or a descriptor link is written to, never replaced;
a link to a file keeps being a link; ``-o -`` is stdout; an output that is the command's own input is
refused, touching nothing; a signal leaves no temporary file and no traceback; a scaffold is whole or absent.

Device nodes and FIFOs are made in the test's own folder (device nodes need root, as CI is), never in /dev.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms._files import write_atomically
from ftz_reforms._paths import DATA_DIRECTORY
from ftz_reforms.errors import FileAccessError
from ftz_reforms.store import DATA_FILE
from tests.helpers import in_process


def export_bytes(table: str, fmt: str) -> bytes:
    return ftz_reforms.dataset().export(table, fmt)


def _cli(*arguments: str, **run: object) -> subprocess.CompletedProcess[bytes]:
    """``ftz-reforms arguments`` as a process of its own: for what is the process's (its descriptors)."""
    streams = {} if "stdout" in run else {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.run(
        [sys.executable, "-m", "ftz_reforms", *arguments],
        **streams,  # type: ignore[arg-type]
        env={**os.environ, "COLUMNS": "120"},
        timeout=120,
        **run,  # type: ignore[arg-type]
    )


def _one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    error = result.stderr.decode("utf-8")
    assert b"Traceback" not in result.stderr and error.startswith("ftz-reforms: ") and error.count("\n") == 1, error
    return error


@pytest.fixture
def dataset_file(tmp_path: Path) -> Path:
    path = tmp_path / "b5.json"
    shutil.copyfile(DATA_DIRECTORY / DATA_FILE, path)
    return path


# --- devices, FIFOs, descriptors, links ------------------------------------------------------------------


def test_a_character_device_is_written_to_never_replaced(tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the machine's /dev/null, in our own folder
    result = in_process("effects", "--format", "csv", "-o", str(null))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(null.lstat().st_mode) and null.lstat().st_rdev == os.makedev(1, 3)
    assert [path.name for path in tmp_path.iterdir()] == ["null"], "no temporary file beside it"


def test_a_full_device_is_one_line_and_stays_a_device(tmp_path: Path) -> None:
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # /dev/full: every write fails with ENOSPC
    for arguments in (("effects", "--format", "csv"), ("export", "--format", "sqlite")):
        result = in_process(*arguments, "-o", str(full))
        assert result.returncode == 2 and "No space left on device" in _one_line(result)
        assert stat.S_ISCHR(full.lstat().st_mode)


def _through_a_fifo(fifo: Path, write: Callable[[], object]) -> tuple[object, bytes | None]:
    """What ``write`` returns, and what a reader of the FIFO ``fifo`` (made here) received while it ran."""
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    returned = write()
    reader.join(timeout=60)
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced"
    return returned, (received[0] if received else None)


def test_a_fifo_is_written_into_and_its_reader_gets_the_content(tmp_path: Path) -> None:
    result, received = _through_a_fifo(
        tmp_path / "pipe", lambda: in_process("metrics", "--format", "csv", "-o", str(tmp_path / "pipe"))
    )
    assert received == export_bytes("metrics", "csv"), "the FIFO's reader got nothing: the output went elsewhere"
    assert isinstance(result, subprocess.CompletedProcess) and result.returncode == 0, result


@pytest.mark.parametrize("descriptor", ["/proc/self/fd/1", "/dev/fd/1"])
def test_a_descriptor_link_reaches_the_descriptor(tmp_path: Path, descriptor: str) -> None:
    # Links of the test's own to the descriptor, as /dev/stdout is: the machine's /dev is never an output here.
    link = tmp_path / "out"
    link.symlink_to(descriptor)
    out = tmp_path / "captured.csv"
    with open(out, "wb") as stdout:  # a regular file behind the descriptor: the hardest case
        result = _cli("metrics", "--format", "csv", "-o", str(link), stdout=stdout, stderr=subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == export_bytes("metrics", "csv")
    assert link.is_symlink() and os.readlink(link) == descriptor
    assert sorted(path.name for path in tmp_path.iterdir()) == ["captured.csv", "out"], "no temporary file left"


def test_a_link_to_a_file_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "metrics.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "metrics.csv"
    link.symlink_to(Path("real") / "metrics.csv")
    result = in_process("metrics", "--format", "csv", "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "metrics.csv")
    assert target.read_bytes() == export_bytes("metrics", "csv")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "the file keeps its permissions"
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "real" / "new.csv")
    assert in_process("metrics", "--format", "csv", "-o", str(dangling)).returncode == 0
    assert dangling.is_symlink() and (tmp_path / "real" / "new.csv").read_bytes() == export_bytes("metrics", "csv")


def test_a_directory_or_a_socket_is_refused_in_one_line(tmp_path: Path) -> None:
    result = in_process("metrics", "-o", str(tmp_path))
    assert result.returncode == 2 and "is a directory" in _one_line(result)
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock_path))
        result = in_process("metrics", "--format", "csv", "-o", str(sock_path))
        assert result.returncode == 2 and "is a socket" in _one_line(result)
        assert stat.S_ISSOCK(sock_path.lstat().st_mode)
    finally:
        server.close()


def test_dash_is_stdout_and_dot_slash_dash_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = in_process("metrics", "--format", "csv", "-o", "-")
    assert result.returncode == 0 and result.stdout == export_bytes("metrics", "csv")
    assert list(tmp_path.iterdir()) == []
    database = in_process("export", "--format", "sqlite", "-o", "-")
    assert database.returncode == 0 and database.stdout.startswith(b"SQLite format 3\0")
    assert list(tmp_path.iterdir()) == [], "no database or metadata left anywhere for -o -"
    assert in_process("metrics", "--format", "csv", "-o", "./-").returncode == 0
    assert (tmp_path / "-").read_bytes() == export_bytes("metrics", "csv")


def test_the_library_writes_into_a_fifo_too(tmp_path: Path) -> None:
    _, received = _through_a_fifo(tmp_path / "pipe", lambda: write_atomically(tmp_path / "pipe", b"whole\n"))
    assert received == b"whole\n"


# --- never over the input --------------------------------------------------------------------------------

_READERS = [
    ("effects", "--format", "csv"),
    ("list", "--format", "json"),
    ("metrics", "--format", "jsonl"),
    ("search", "退货", "--format", "json"),
    ("export", "--table", "cases", "--format", "json"),
    ("export", "--format", "sqlite"),
]


@pytest.mark.parametrize("how", ["by-name", "relative", "symlink", "hard-link"])
@pytest.mark.parametrize("arguments", _READERS, ids=lambda arguments: "-".join(arguments[:1] + arguments[-1:]))
def test_an_output_that_is_the_data_file_is_refused_touching_nothing(
    dataset_file: Path, tmp_path: Path, how: str, arguments: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = dataset_file.read_bytes()
    output = {
        "by-name": str(dataset_file),
        "relative": f"./{dataset_file.name}",
        "symlink": str(tmp_path / "alias.json"),
        "hard-link": str(tmp_path / "hard.json"),
    }[how]
    if how == "symlink":
        (tmp_path / "alias.json").symlink_to(dataset_file)
    if how == "hard-link":
        os.link(dataset_file, tmp_path / "hard.json")
    before = sorted(path.name for path in tmp_path.iterdir())
    monkeypatch.chdir(tmp_path)

    def refuse(*_: object) -> None:
        raise AssertionError("a search index was built for a command refused before it ran")

    monkeypatch.setattr("ftz_reforms.collection._built_index_file", refuse)
    result = in_process("--data", str(dataset_file), *arguments, "-o", output)
    assert result.returncode == 2 and "the dataset file" in _one_line(result)
    assert dataset_file.read_bytes() == original
    assert sorted(path.name for path in tmp_path.iterdir()) == before


def test_sqlites_metadata_beside_it_may_not_be_the_data_file_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "ftz.metadata.json"
    shutil.copyfile(DATA_DIRECTORY / DATA_FILE, data)
    original = data.read_bytes()

    def refuse(*_: object) -> None:
        raise AssertionError("a search index was built for a database refused before it was written")

    monkeypatch.setattr("ftz_reforms.collection._built_index_file", refuse)
    result = in_process("--data", str(data), "export", "--format", "sqlite", "-o", str(tmp_path / "ftz.db"))
    assert result.returncode == 2 and "the dataset file" in _one_line(result)
    assert data.read_bytes() == original and not (tmp_path / "ftz.db").exists()


def test_the_bundled_data_is_never_an_output(tmp_path: Path) -> None:
    bundled = DATA_DIRECTORY / DATA_FILE
    original = bundled.read_bytes()
    try:
        result = in_process("list", "--format", "json", "-o", str(bundled))
        assert result.returncode == 2 and "the bundled data" in _one_line(result)
    finally:
        if bundled.read_bytes() != original:
            bundled.write_bytes(original)
            pytest.fail("the bundled data was overwritten (and restored)")


def test_import_refuses_its_casebook_as_output_through_a_hard_link(tmp_path: Path) -> None:
    casebook = tmp_path / "casebook.txt"
    shutil.copyfile(Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt", casebook)
    os.link(casebook, tmp_path / "same.json")
    original = casebook.read_bytes()
    result = in_process("import", str(casebook), "--batch", "90", "-o", str(tmp_path / "same.json"))
    assert result.returncode == 2 and "the casebook" in _one_line(result)
    assert casebook.read_bytes() == original


def test_the_library_refuses_a_database_over_its_own_file(dataset_file: Path) -> None:
    from ftz_reforms import load

    original = dataset_file.read_bytes()
    with pytest.raises(FileAccessError, match="the dataset file"):
        load(dataset_file).to_sqlite(dataset_file)
    assert dataset_file.read_bytes() == original


# --- signals ----------------------------------------------------------------------------------------------

_INTERRUPTED = """
import os, signal, sys
from ftz_reforms.tables import sqlite
from ftz_reforms.cli.app import main

# Ctrl-C as a terminal's foreground process takes it, whatever this process inherited: a shell ignores SIGINT
# for the jobs it puts in the background (and a profiler's or coverage's parent may), and an ignored one is kept.
signal.signal(signal.SIGINT, signal.default_int_handler)

real = sqlite._insert
def insert(connection, table, rows):
    real(connection, table, rows)
    if table.name == "metrics":
        os.kill(os.getpid(), getattr(signal, sys.argv[1]))
sqlite._insert = insert
sys.exit(main(["export", "--format", "sqlite", "-o", sys.argv[2]]))
"""


@pytest.mark.parametrize(("name", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_during_a_database_write_leaves_the_old_file_and_nothing_else(
    tmp_path: Path, name: str, code: int
) -> None:
    database = tmp_path / "ftz.db"
    database.write_bytes(b"the user's previous database\n")
    result = subprocess.run([sys.executable, "-c", _INTERRUPTED, name, str(database)], capture_output=True, timeout=120)
    assert result.returncode == code
    assert "nothing half-written" in _one_line(result)
    assert database.read_bytes() == b"the user's previous database\n"
    assert [path.name for path in tmp_path.iterdir()] == ["ftz.db"], "no .partial, no journal"


# --- the scaffold -------------------------------------------------------------------------------------------


def test_a_scaffold_onto_a_file_is_one_line(repo: Path, tmp_path: Path) -> None:
    blocker = repo / "sources" / "batch97"
    assert not blocker.exists()
    blocker.write_text("a file where the folder would go\n")
    try:
        result = in_process("import", str(repo / "tests" / "casebooks" / "batch90" / "casebook.txt"), "--batch", "97",
                      "--scaffold", str(blocker))  # fmt: skip
        assert result.returncode == 2 and "is a file, not a folder" in _one_line(result)
        assert blocker.read_text() == "a file where the folder would go\n"
    finally:
        blocker.unlink()


def test_a_scaffold_that_fails_half_way_leaves_nothing_and_a_retry_works(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftz_reforms.bundling import scaffold

    checkout = tmp_path / "checkout"
    shutil.copytree(repo / "sources" / "batch5", checkout / "sources" / "batch5")
    casebook = repo / "tests" / "casebooks" / "batch90" / "casebook.txt"
    directory = checkout / "sources" / "batch90"
    written: list[Path] = []
    real = Path.write_bytes

    def fail_on_the_fourth(path: Path, content: bytes) -> int:
        written.append(path)
        if len(written) == 4:
            raise OSError(28, "No space left on device")
        return real(path, content)

    monkeypatch.setattr(Path, "write_bytes", fail_on_the_fourth)
    with pytest.raises(FileAccessError, match="No space left on device"):
        scaffold.write_scaffold(casebook, batch=90, directory=directory, root=checkout)
    assert sorted(path.name for path in (checkout / "sources").iterdir()) == ["batch5"]
    monkeypatch.undo()
    files = scaffold.write_scaffold(casebook, batch=90, directory=directory, root=checkout)
    assert len(files) > 4, "the failure came half-way"
    assert sorted(path.relative_to(directory) for path in directory.rglob("*") if path.is_file()) == sorted(
        path.relative_to(directory) for path in files
    )
