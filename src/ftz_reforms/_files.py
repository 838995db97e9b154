"""Reading and writing the files a user names: whole or not at all, with one clear error.

``write_atomically`` writes to a temporary file in the target's own directory and moves it into place
with ``os.replace`` only once it is complete, so a failure (a full disk, a size limit, an interruption)
leaves the previous file as it was, and concurrent writers to one path end with one whole file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ftz_reforms.errors import FileAccessError

__all__ = ["read_bytes", "write_atomically", "write_atomically_with"]


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


def write_atomically_with(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Let ``write`` fill a temporary path beside ``path``, then move it into place; returns ``path``.

    On any failure the temporary file is removed and ``path`` is untouched; an ``OSError`` becomes a
    :class:`FileAccessError` naming ``path``.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        descriptor, temporary_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=directory)
    except OSError as error:
        raise FileAccessError(f"cannot write {target}: {_reason(error)}") from None
    os.close(descriptor)
    temporary = Path(temporary_name)
    try:
        write(temporary)
        if target.exists():  # keep the permissions the user gave the file it replaces
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise FileAccessError(f"cannot write {target}: {_reason(error)}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def write_atomically(path: str | Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` whole or not at all (see the module's note); returns ``path``."""

    def write(temporary: Path) -> None:
        with open(temporary, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())

    return write_atomically_with(path, write)
