"""Reading and writing the files a user names: whole or not at all, with one clear error, never replacing
what the path is.

Where a write goes depends on what is at the path, as ``cp`` and ``sort -o`` decide it:

- a new path, or a regular file: written to a temporary file in the target's own directory and moved into
  place with ``os.replace`` only once it is complete, so a failure (a full disk, a size limit, a signal)
  leaves the previous file as it was, and concurrent writers to one path end with one whole file. The file
  it replaces keeps its permissions (and, for root, its owner);
- a symbolic link to a regular file (or to a new path): the link is kept and its target is replaced as above;
- a character or block device, a FIFO, or a link to an open descriptor (``/proc/self/fd/1``, ``/dev/stdout``):
  written to directly, which is what the user asked for; the content is made whole first, so a failure
  while making it writes nothing;
- a directory or a socket: refused in one line.

``refuse_same_file`` is the other half of the promise: a command never writes over the file it reads.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ftz_reforms.errors import FileAccessError

__all__ = [
    "json_file_bytes",
    "read_bytes",
    "refuse_same_file",
    "replace_file",
    "same_file",
    "text_of",
    "write_atomically",
    "write_atomically_with",
    "writes_in_place",
]


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def read_bytes(path: str | Path, what: str = "file", limit: int = 1 << 30) -> bytes:
    """The bytes of ``path``; a :class:`FileAccessError` naming it and the reason when it cannot be read, or
    when it holds more than ``limit`` bytes (a device such as /dev/zero, a runaway pipe, the wrong file).

    Read in pieces, so an endless input costs at most ``limit`` bytes before it is refused.
    """
    try:
        with open(path, "rb") as file:
            pieces, size = [], 0
            while piece := file.read(min(1 << 24, limit + 1 - size)):
                pieces.append(piece)
                size += len(piece)
                if size > limit:
                    raise FileAccessError(
                        f"{path}: more than {limit:,} bytes, too large for a {what}: is it the file you meant?"
                    )
            return b"".join(pieces)
    except IsADirectoryError:
        raise FileAccessError(f"{path}: is a directory, not a {what}") from None
    except OSError as error:
        if isinstance(error, FileAccessError):
            raise
        raise FileAccessError(f"cannot read {path}: {_reason(error)}") from None


def text_of(name: str) -> str:
    """A file's name as text, whatever the locale: its bytes read as UTF-8. (In a locale Python reads as ASCII,
    a Chinese name is held as surrogate escapes, which no JSON or SQLite text may hold.)"""
    return os.fsencode(name).decode("utf-8", "replace")


def same_file(one: str | Path, other: str | Path) -> bool:
    """Whether the two paths name one file: by name, through symbolic links or as hard links."""
    try:
        return os.path.samestat(os.stat(one), os.stat(other))
    except (OSError, ValueError):  # either is absent or cannot be reached: not one file
        return False


def refuse_same_file(output: str | Path, inputs: Iterable[tuple[str | Path, str]]) -> None:
    """Raise a :class:`FileAccessError` when ``output`` is one of ``inputs`` (each a path and what it is):
    writing it would destroy what the command reads."""
    for path, what in inputs:
        if same_file(output, path):
            alias = "" if os.path.abspath(output) == os.path.abspath(path) else f" ({path}, by another name)"
            raise FileAccessError(
                f"-o {output} is {what}{alias} this command reads: write to another path; nothing was written"
            )


def _is_descriptor_link(path: Path) -> bool:
    """Whether ``path`` reaches its file through an open descriptor (``/proc/<pid>/fd/N``, ``/dev/fd/N``,
    ``/dev/stdout``): what it names is the descriptor's file, not a path that can be replaced."""
    resolved = os.path.realpath(path)
    if resolved.startswith(("/proc/", "/dev/fd/")):
        return True
    try:  # a descriptor's magic link resolves to a name such as "pipe:[1234]" that is no path at all
        return not os.path.samestat(os.stat(resolved), os.stat(path))
    except OSError:
        return True


def writes_in_place(path: Path) -> bool:
    """Whether a write to ``path`` goes straight into what is there (see the module's note); raises a
    :class:`FileAccessError` for what cannot be written at all."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return False  # a new path, or a link to one: made whole beside its target
    except OSError as error:
        raise FileAccessError(f"cannot write {path}: {_reason(error)}") from None
    if stat.S_ISDIR(found.st_mode):
        raise FileAccessError(f"cannot write {path}: it is a directory; give a file's path")
    if stat.S_ISSOCK(found.st_mode):
        raise FileAccessError(f"cannot write {path}: it is a socket; give a file, a device or a FIFO")
    if stat.S_ISREG(found.st_mode):
        return _is_descriptor_link(path)
    return True  # a device or a FIFO


def _write_directly(path: Path, content: bytes) -> None:
    try:
        # No O_CREAT: the device, FIFO or descriptor is there already; O_TRUNC only where it means something.
        flags = os.O_WRONLY | (os.O_TRUNC if stat.S_ISREG(os.stat(path).st_mode) else 0)
        descriptor = os.open(path, flags)
        with open(descriptor, "wb", closefd=True) as file:
            file.write(content)
    except OSError as error:
        raise FileAccessError(f"cannot write {path}: {_reason(error)}") from None


def _replace_into(target: Path, write: Callable[[Path], None]) -> None:
    directory = target.parent if str(target.parent) else Path(".")
    try:
        descriptor, temporary_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=directory)
    except OSError as error:
        raise FileAccessError(f"cannot write {target}: {_reason(error)}") from None
    os.close(descriptor)
    temporary = Path(temporary_name)
    try:
        write(temporary)
        try:
            previous: os.stat_result | None = os.lstat(target)
        except FileNotFoundError:
            previous = None
        if previous is not None and stat.S_ISREG(previous.st_mode):
            # Keep the permissions (and, where allowed, the owner) of the file it replaces.
            os.chmod(temporary, previous.st_mode & 0o7777)
            if hasattr(os, "chown") and (previous.st_uid, previous.st_gid) != (os.getuid(), os.getgid()):
                # Only root may give a file away; the content is the user's all the same.
                with contextlib.suppress(PermissionError):
                    os.chown(temporary, previous.st_uid, previous.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise FileAccessError(f"cannot write {target}: {_reason(error)}") from None
    except BaseException:  # an interruption included: no temporary file is left behind
        temporary.unlink(missing_ok=True)
        raise


def write_atomically_with(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Let ``write`` fill a temporary file, then put it where ``path`` says (see the module's note); returns
    ``path``.

    On any failure the temporary file is removed and ``path`` is untouched; an ``OSError`` becomes a
    :class:`FileAccessError` naming ``path``.
    """
    target = Path(path)
    if not writes_in_place(target):
        # A link keeps being a link: its target is what is replaced.
        _replace_into(Path(os.path.realpath(target)) if target.is_symlink() else target, write)
        return target
    with tempfile.TemporaryDirectory(prefix="ftz-reforms-") as scratch:
        made = Path(scratch) / "output"
        try:
            write(made)
            content = made.read_bytes()
        except OSError as error:
            raise FileAccessError(f"cannot write {target}: {_reason(error)}") from None
    _write_directly(target, content)
    return target


def _writer(content: bytes) -> Callable[[Path], None]:
    def write(temporary: Path) -> None:
        with open(temporary, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())

    return write


def write_atomically(path: str | Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` whole or not at all (see the module's note); returns ``path``."""
    target = Path(path)
    if writes_in_place(target):
        _write_directly(target, content)
        return target
    return write_atomically_with(target, _writer(content))


def replace_file(path: str | Path, content: bytes) -> None:
    """Make ``path`` a regular file holding ``content``, whole or not at all, whatever stood at that name (a
    link is replaced, not followed; a FIFO, not written into): for files this package keeps, its cache."""
    _replace_into(Path(path), _writer(content))


def json_file_bytes(value: object) -> bytes:
    """``value`` as the project writes every JSON file (a dataset, a schema, an export, a changelog): UTF-8,
    indented by two spaces, ending in a line break."""
    import orjson  # here: reading and searching never write JSON

    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


def write_folder(
    directory: str | Path, fill: Callable[[Path], None], *, earlier: Callable[[Path], bool], what: str
) -> None:
    """Let ``fill`` write a folder of files, then put it at ``directory``, whole or not at all.

    ``directory`` may be new, empty, or hold an earlier output of the same kind (``earlier`` says whether it
    does): that is swapped out whole, and back in should the swap fail. Anything else there is the user's, and
    is refused with a :class:`FileAccessError` naming ``what`` is written. The folder is filled beside its
    target (so the final rename stays on one file system) and removed on any failure or interruption.
    """
    target = Path(directory)
    replace = _folder_to_replace(target, earlier, what)
    parent = target.absolute().parent
    if not parent.is_dir():
        raise FileAccessError(f"{parent}: no such folder to write {what} in")
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as error:
        raise FileAccessError(f"cannot write {target}: {_reason(error)}") from None
    try:
        fill(scratch)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(scratch, 0o755 & ~umask)
        if replace:
            aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
            os.rename(target, aside / "earlier")
            try:
                os.rename(scratch, target)
            except BaseException:
                os.rename(aside / "earlier", target)  # the earlier output back in place, whole
                raise
            finally:
                shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(scratch, target)
    except OSError as error:
        raise FileAccessError(f"cannot write {target}: {_reason(error)}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _folder_to_replace(target: Path, earlier: Callable[[Path], bool], what: str) -> bool:
    """Whether ``target`` is to be replaced (True) or made (False); a :class:`FileAccessError` for a path that
    is not a folder, or a folder holding anything but an earlier output."""
    if not os.path.lexists(target):
        return False
    if not target.is_dir() or target.is_symlink():
        raise FileAccessError(f"{target}: not a folder; {what} is a folder of files (give a new path)")
    if not any(target.iterdir()) or earlier(target):
        return True
    raise FileAccessError(
        f"{target}: the folder holds files that are not {what}; give a new or empty folder (an earlier "
        f"{what} there is replaced whole)"
    )
