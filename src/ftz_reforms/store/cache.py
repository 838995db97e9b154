"""The user's cache, which can only ever cost time: what it holds is believed only when this user's own key
authenticates it.

A cached file is ``MAGIC``, then a tag, then the payload; the tag is HMAC-SHA256 under a key of 32 random
bytes made once in the cache's root (readable by its owner alone), over the folder's context (what the
entries were derived from: a dataset file's SHA-256 and the package version), the file's name and the
payload. A digest of the source file alone would authenticate nothing (anyone can compute it); a tag under
the key binds each cached file to its own bytes, to its name and to what it was derived from, so a file
edited by hand, written by another program, copied from another user, machine or dataset, or moved from
one name to another fails its tag and is made again, never believed. Whoever can read the key can forge an
entry: that is the cache's owner, who can as well change the installed package.

Nothing here ever fails a query: an absent, unreadable, damaged or oversized entry reads as none, and a
cache that cannot be written (read-only, full, not the user's) is skipped. Writes go through
``_files.replace_file`` (whole or not at all, no temporary file left by an interruption, and whatever stood
at the name, a link or a FIFO included, is replaced, never followed or written into).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import tempfile
from pathlib import Path

from ftz_reforms._files import replace_file
from ftz_reforms._paths import cache_root
from ftz_reforms.errors import FileAccessError

__all__ = ["CacheFolder", "cache_folder"]

MAGIC = b"ftz-reforms cache 1\n"
KEY_FILE = "key"
KEY_SIZE = 32
ENTRY_LIMIT = 1 << 30
"""The largest cached file read (the search index of a very large dataset is far below it)."""


def _owned_privately(found: os.stat_result) -> bool:
    """Whether a key file is this user's and nobody else may change it (else another could forge entries)."""
    mine = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    return stat.S_ISREG(found.st_mode) and mine and not found.st_mode & 0o022


def _key(root: Path) -> bytes | None:
    """The cache's key, made on first use; None when it cannot be had (the cache is then not used)."""
    path = root / KEY_FILE
    for _ in range(2):
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with open(descriptor, "rb", closefd=True) as file:
                if not _owned_privately(os.fstat(file.fileno())):
                    return None
                key = file.read(KEY_SIZE + 1)
            if len(key) == KEY_SIZE:
                return key
            _new_key(root, replace=True)  # a damaged key: every entry made under it is made again
        except FileNotFoundError:
            if not _new_key(root, replace=False):
                return None
        except OSError:
            return None
    return None


def _new_key(root: Path, *, replace: bool) -> bool:
    """Write a new key (whole, readable by its owner alone); False when the cache's root cannot hold it."""
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".key.", dir=root)  # mode 0600
    except OSError:
        return False
    try:
        with open(descriptor, "wb", closefd=True) as file:
            file.write(os.urandom(KEY_SIZE))
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(temporary, root / KEY_FILE)
        else:
            # A link, not a rename: two processes making the key at once keep the first one's.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, root / KEY_FILE)
        return True
    except OSError:
        return False
    finally:
        Path(temporary).unlink(missing_ok=True)


class CacheFolder:
    """One folder of cached files derived from one thing (``context`` names it), read and written by name."""

    def __init__(self, directory: Path, context: str, key: bytes) -> None:
        self.directory = directory
        self._context = context.encode("utf-8")
        self._key = key

    def _tag(self, name: str, payload: bytes | bytearray) -> bytes:
        signer = hmac.new(self._key, digestmod=hashlib.sha256)
        for part in (self._context, name.encode("utf-8")):
            signer.update(len(part).to_bytes(8, "big") + part)
        signer.update(payload)
        return signer.digest()

    def read(self, name: str) -> bytearray | None:
        """The payload cached as ``name``, when its tag proves this cache wrote it for this context."""
        raw = _read_regular(self.directory / name)
        if raw is None:
            return None
        head = len(MAGIC) + hashlib.sha256().digest_size
        if len(raw) < head or not raw.startswith(MAGIC):
            return None
        tag = bytes(raw[len(MAGIC) : head])
        del raw[:head]  # in place: a large index is not held twice
        if not hmac.compare_digest(tag, self._tag(name, raw)):
            return None
        return raw

    def write(self, name: str, payload: bytes) -> None:
        """Cache ``payload`` as ``name``, whole or not at all; a cache that cannot be written is skipped."""
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            replace_file(self.directory / name, MAGIC + self._tag(name, payload) + payload)
        except (OSError, FileAccessError):
            return


def _read_regular(path: Path) -> bytearray | None:
    """The bytes of the regular file at ``path``, not through a link; None for anything else (a FIFO would
    block, a device never end) or a file larger than ``ENTRY_LIMIT``."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    with open(descriptor, "rb", closefd=True) as file:
        found = os.fstat(file.fileno())
        if not stat.S_ISREG(found.st_mode) or found.st_size > ENTRY_LIMIT:
            return None
        content = bytearray(found.st_size)
        try:
            size = file.readinto(content)
        except OSError:
            return None
        return content if size == found.st_size else None


def cache_folder(*parts: str, context: str) -> CacheFolder | None:
    """The cache folder ``parts`` under the user's cache root, for what ``context`` names; None when there is
    no cache (``FTZ_REFORMS_CACHE_DIR`` empty) or its key cannot be had."""
    root = cache_root()
    if root is None:
        return None
    key = _key(root)
    if key is None:
        return None
    return CacheFolder(root.joinpath(*parts), context, key)
