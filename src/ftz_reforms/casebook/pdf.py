"""A casebook's text from its PDF as published, read with PDFium (the ``pdf`` extra: ``pypdfium2``).

PDFium reads each page's glyphs into lines in reading order; the lines of a page are printed one a line,
and pages are separated by a form feed, which is how ``physical_lines`` knows a page from its layout. A
printed page number, the lone number at a page's foot, stays a line of its own, so the pages a case cites
are the printed ones. The result is text in the layout ``pdftotext`` prints, which the parser reads like
any other (the same cases, text, paragraphs and pages as the text of the same casebook).

A page printed sideways is read as its reader turns it. PDFium orders a page's lines by where they are
shown, so a page shown rotated (its ``/Rotate``) or whose text is drawn rotated comes out with its lines in
the order they cross the screen, often reversed. Such a page is turned before it is read: its rotation is
cleared and its content rotated so that the most of its text runs left to right, and PDFium reads it as any
upright page. Turning the content rather than the page also keeps every line: a line whose glyphs have no
height (a CID font that is not embedded, such as STSong-Light) has no width once rotated, and PDFium skips a
text object without width. Text running another way than the rest of its page is read where PDFium places
it, as on any page; if PDFium skips some of it, the page is refused rather than read with text missing.

A PDF can be built to exhaust its reader: a few kilobytes of compressed content can hold millions of glyphs,
and PDFium holds all of a page's glyphs in memory, some 200 bytes each, before they can be counted. So the
PDF is read in a process of its own, held to ``READER_MEMORY`` bytes of memory and ``READER_SECONDS`` of
processor time where the system enforces such limits (Linux enforces both; elsewhere the process still
keeps a crash from its caller), and what it reads is bounded as it goes: at most ``MAX_PAGES`` pages,
``MAX_PAGE_CHARS`` characters a page and ``MAX_CHARS`` in all, each page's count checked before its text is
taken out. Whatever stops the reading, a damaged file included, ends in one :class:`CasebookError` naming
the file and, when it got that far, the page. Where no process can be started to read it (no
``sys.executable``, a frozen application, an interpreter that cannot import pypdfium2 as the caller does),
the PDF is read in the caller's process, with the same limits on what it reads but none on PDFium's memory.

pypdfium2 rather than pdfplumber or pypdf: PDFium is the PDF engine of Chromium, kept current and shipped
as a binary wheel for every platform, it maps CJK fonts (embedded or the standard CID fonts) to Unicode
reliably, and it reads a 50-page casebook in a fraction of a second with one dependency.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import math
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from ftz_reforms.errors import CasebookError, FtzReformsError, MissingExtraError

__all__ = [
    "MAX_CHARS",
    "MAX_PAGES",
    "MAX_PAGE_CHARS",
    "PDF_MAGIC",
    "READER_MEMORY",
    "READER_SECONDS",
    "is_pdf",
    "pdf_text",
    "read_casebook_text",
]

PDF_MAGIC = b"%PDF-"

MAX_PAGES = 2_000
"""The most pages a PDF may have: a casebook has some 70."""

MAX_PAGE_CHARS = 200_000
"""The most characters one page may hold, as PDFium counts them (line ends too): a casebook's holds under 2,000."""

MAX_CHARS = 4_000_000
"""The most characters a PDF may hold in all: a casebook's text is some 35,000."""

READER_MEMORY = 1 << 30
"""The address space, in bytes, the process reading a PDF may take: a casebook is read in well under 100 MB."""

READER_SECONDS = 120
"""The processor time, in seconds, the process reading a PDF may take: a casebook is read in well under one."""

# What pypdfium2 raises for a file PDFium cannot make sense of: its PdfiumError (a RuntimeError), and the
# lookups, conversions and checks of its own that fail on the values a damaged file holds.
_DAMAGE: tuple[type[BaseException], ...] = (
    RuntimeError,
    ValueError,
    LookupError,
    OSError,
    ArithmeticError,
    AssertionError,
    ctypes.ArgumentError,
)

# A text object within this many degrees of a right angle runs that way; a slanted one (a watermark) has no say.
_SLANT = 10.0

# The rotation (cosine, sine) that turns text running a quarter turn counterclockwise, two, three, upright.
_UPRIGHT = ((1, 0), (0, -1), (-1, 0), (0, 1))

_TEXT, _FORM = 1, 5  # FPDF_PAGEOBJ_TEXT, FPDF_PAGEOBJ_FORM


def is_pdf(raw: bytes) -> bool:
    """Whether ``raw`` is a PDF file (by its first bytes, whatever the file is called)."""
    return raw[:1024].lstrip().startswith(PDF_MAGIC)


def pdf_text(raw: bytes, name: str = "the PDF") -> str:
    """The text of the PDF ``raw``: each page's lines in reading order, pages separated by form feeds.

    Read in a process of its own, within the limits above; a PDF that is damaged, past a limit or without
    text raises :class:`CasebookError`, one line that begins with ``name``.
    """
    try:
        import pypdfium2  # noqa: F401  (only to say the extra is missing before starting a process)
    except ImportError:
        raise MissingExtraError("pypdfium2 (to read a PDF)", "pdf") from None
    pages = _read_apart(raw, name)
    if pages is None:
        pages = []
        _read(raw, name, lambda count: None, pages.append)
    if not any(pages):
        raise CasebookError(None, f"{name} holds no text (a scan? this reads a PDF's text, not its images)")
    return "\f".join(pages) + "\n"


def read_casebook_text(path: Path, raw: bytes) -> str:
    """The casebook's text from the bytes of the file at ``path``: its PDF's text, or the text itself (UTF-8)."""
    if is_pdf(raw):
        return pdf_text(raw, str(path))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CasebookError(None, f"{path}: neither a PDF nor UTF-8 text (byte {error.start})") from None


# The reading process imports what this one does, from the same places (its sys.path; -I keeps the
# environment from changing them), and runs this very file by its path rather than as
# ftz_reforms.casebook.pdf, whose package would import the parser, for nothing.
_READER = (
    "import sys, importlib.util as u; sys.path[:] = {path!r}; "
    "s = u.spec_from_file_location('_ftz_reforms_pdf_reader', {file!r}); m = u.module_from_spec(s); "
    "s.loader.exec_module(m); m._serve()"
)


def _read_apart(raw: bytes, name: str) -> list[str] | None:
    """Each page's text, read in a process of its own; None when no such process can be started."""
    done = _run_reader(raw, name)
    if done is None:
        return None
    records = _records(done.stdout)
    kinds = [record[0] for record in records]
    if "ready" not in kinds:
        return None
    pages = [str(record[1]) for record in records if record[0] == "page"]
    if kinds[-1] == "done":
        return pages
    if kinds[-1] == "error":
        raise CasebookError(None, " ".join(str(records[-1][1]).split()))
    doing = _doing_when_stopped(records, len(pages))
    raise CasebookError(None, f"{name}: {_stopped(doing, done.returncode, done.stderr)}")


def _run_reader(raw: bytes, name: str) -> subprocess.CompletedProcess[bytes] | None:
    """The reading process, run to its end on ``raw``; None when it cannot be started."""
    if not sys.executable or getattr(sys, "frozen", False):
        return None
    path = [entry for entry in sys.path if isinstance(entry, str)]
    code = _READER.format(path=path, file=str(Path(__file__).resolve()))
    try:
        return subprocess.run([sys.executable, "-I", "-c", code, name], input=raw, capture_output=True, check=False)
    except OSError:
        return None


def _records(output: bytes) -> list[list[Any]]:
    """The records the reading process wrote (``_serve``), up to one it cut short as it died."""
    records: list[list[Any]] = []
    for line in output.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            break
        if isinstance(record, list) and record and isinstance(record[0], str):
            records.append(record)
    return records


def _doing_when_stopped(records: list[list[Any]], read: int) -> str:
    """What the reading process was doing when it ended without its text, ``read`` pages read."""
    counts = [record[1] for record in records if record[0] == "pages"]
    if not counts:
        return "opening it"
    return f"reading page {read + 1}" if read < counts[0] else "closing it"


def _stopped(doing: str, returncode: int, stderr: bytes) -> str:
    """Why the reading process ended without its text, from its exit status and the last line it wrote."""
    last = " ".join((stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1].split())
    # PDFium aborts the process when an allocation fails, Python raises MemoryError.
    if returncode == -signal.SIGABRT or last.startswith("MemoryError"):
        return (
            f"{doing} took more than the {READER_MEMORY >> 20} MiB of memory a PDF may take "
            "(a PDF built to exhaust memory?)"
        )
    if returncode == -getattr(signal, "SIGXCPU", 24):
        return f"{doing} took more than the {READER_SECONDS} s of processor time a PDF may take"
    if returncode == -getattr(signal, "SIGKILL", 9):  # the system's last resort when memory runs out
        return f"{doing} was killed by the system, most likely out of memory (a PDF built to exhaust memory?)"
    if returncode < 0:
        try:
            died = signal.Signals(-returncode).name
        except ValueError:
            died = f"signal {-returncode}"
        return f"PDFium crashed {doing} ({died}); the PDF is damaged"
    return f"{doing} failed ({last or f'exit status {returncode}'})"


def _serve() -> None:
    """The reading process: the PDF on stdin, its name the one argument; a JSON record a line on stdout,
    ``["ready"]``, ``["pages", count]``, ``["page", text]`` for each page, then ``["done"]`` or ``["error", message]``.
    """
    out = sys.stdout.buffer

    def record(*fields: object) -> None:
        # Flushed one by one, so that if the process dies the records before tell how far it got.
        out.write(json.dumps(fields).encode("ascii") + b"\n")
        out.flush()

    _limit_resources()
    import pypdfium2  # noqa: F401  (not ready without it: the caller then reads the PDF itself)

    record("ready")
    raw = sys.stdin.buffer.read()
    try:
        _read(raw, sys.argv[1], lambda count: record("pages", count), lambda text: record("page", text))
    except FtzReformsError as error:
        record("error", str(error))
        return
    record("done")


def _limit_resources() -> None:
    """Hold this process to READER_MEMORY and READER_SECONDS, or to the lower limits it was started with."""
    try:
        import resource
    except ImportError:  # not POSIX: the process keeps a crash away from the caller, but nothing bounds it
        return
    for kind, limit in ((resource.RLIMIT_AS, READER_MEMORY), (resource.RLIMIT_CPU, READER_SECONDS)):
        soft, hard = resource.getrlimit(kind)
        lower = min(value for value in (limit, soft, hard) if value != resource.RLIM_INFINITY)
        with contextlib.suppress(ValueError, OSError):  # a system that does not enforce it (macOS, RLIMIT_AS)
            resource.setrlimit(kind, (lower, hard))


def _read(raw: bytes, name: str, opened: Callable[[int], None], read: Callable[[str], None]) -> None:
    """Read the PDF ``raw`` a page at a time, passing ``opened`` its page count and ``read`` each page's text.

    Every call into PDFium is guarded: what it raises for a damaged file is a :class:`CasebookError` naming
    the page, and so is a PDF past the limits.
    """
    import pypdfium2

    document = None
    doing = "opening it"
    try:
        document = pypdfium2.PdfDocument(raw)
        doing = "reading its list of pages"
        count = len(document)
        if count > MAX_PAGES:
            raise CasebookError(None, f"{name} has {count:,} pages, more than the {MAX_PAGES:,} a PDF may have")
        opened(count)
        total = 0
        for index in range(count):
            doing = f"reading page {index + 1}"
            text, chars = _page_text(document, index, name, total)
            total += chars
            read(text)
        doing = "closing it"
        document.close()
    except FtzReformsError:
        raise
    except MemoryError:
        raise CasebookError(None, f"{name}: {doing} ran out of memory (a PDF built to exhaust memory?)") from None
    except _DAMAGE as error:
        if document is None:
            raise CasebookError(None, f"{name} is not a PDF that can be read ({_reason(error)})") from None
        raise CasebookError(None, f"{name}: {doing} failed, the PDF is damaged ({_reason(error)})") from None
    finally:
        if document is not None:
            with contextlib.suppress(*_DAMAGE):  # after a failure; pypdfium2 closes a document once
                document.close()


def _reason(error: BaseException) -> str:
    return " ".join(str(error).split()).rstrip(".") or type(error).__name__


def _page_text(document: Any, index: int, name: str, total: int) -> tuple[str, int]:
    """The text of the page at ``index``, its lines one a line, and the characters PDFium counts on it
    (``total`` were read before it)."""
    import pypdfium2.raw as pdfium_c

    number = index + 1
    page = document[index]
    try:
        runs = _text_runs(pdfium_c, page)
        upright = _turn_upright(pdfium_c, page, runs)
        text_page = page.get_textpage()
        try:
            count = text_page.count_chars()
            # Counted before the text is taken out, so that a page built to exhaust memory is refused
            # before its text is; the glyphs PDFium already holds are the reading process's to bound.
            if count > MAX_PAGE_CHARS:
                raise CasebookError(None, _too_many(name, number, count))
            if total + count > MAX_CHARS:
                raise CasebookError(
                    None,
                    f"{name}: page {number} brings the text to {total + count:,} characters, more than the "
                    f"{MAX_CHARS:,} a PDF may hold (a casebook's text is some 35,000)",
                )
            text = text_page.get_text_range()
            if any(run.quarter != upright for run in runs):
                _check_read_whole(pdfium_c, page, text_page, runs, upright, name, number)
        finally:
            text_page.close()
    finally:
        page.close()
    # PDFium ends each line it reads with CR LF; a line is the glyphs of one baseline, in order.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines if line.strip()), count


def _too_many(name: str, number: int, count: int) -> str:
    return (
        f"{name}: page {number} holds {count:,} characters, more than the {MAX_PAGE_CHARS:,} a page may hold "
        "(a casebook's holds under 2,000)"
    )


class _Run(NamedTuple):
    """A text object of a page, and the way it runs: the angle of its baseline on the page, counterclockwise
    from left to right, and the quarter turns (0 to 3) that is, or None when it is slanted."""

    handle: Any
    degrees: float
    quarter: int | None


def _text_runs(pdfium_c: Any, page: Any) -> list[_Run]:
    """The page's text objects, those in its forms too (a form's matrix turns what it holds)."""
    runs: list[_Run] = []
    holders: list[tuple[Any, bool, tuple[float, float, float, float]]] = [(page, False, (1.0, 0.0, 0.0, 1.0))]
    matrix = pdfium_c.FS_MATRIX()
    while holders:
        holder, is_form, (pa, pb, pc, pd) = holders.pop()
        count = pdfium_c.FPDFFormObj_CountObjects(holder) if is_form else pdfium_c.FPDFPage_CountObjects(holder)
        get = pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject
        for index in range(max(count, 0)):
            item = get(holder, index)
            kind = pdfium_c.FPDFPageObj_GetType(item)
            if kind not in (_TEXT, _FORM) or not pdfium_c.FPDFPageObj_GetMatrix(item, matrix):
                continue
            a, b = matrix.a * pa + matrix.b * pc, matrix.a * pb + matrix.b * pd
            if kind == _FORM:
                c, d = matrix.c * pa + matrix.d * pc, matrix.c * pb + matrix.d * pd
                holders.append((item, True, (a, b, c, d)))
                continue
            degrees = math.degrees(math.atan2(b, a)) % 360
            quarter = round(degrees / 90)
            runs.append(_Run(item, degrees, None if abs(degrees - 90 * quarter) > _SLANT else quarter % 4))
    return runs


def _length(pdfium_c: Any, run: _Run) -> float:
    """The longer side of a text object's box: how much text it holds, near enough to outweigh a page number."""
    box = [ctypes.c_float() for _ in range(4)]
    if not pdfium_c.FPDFPageObj_GetBounds(run.handle, *box):
        return 0.0
    left, bottom, right, top = (side.value for side in box)
    return max(right - left, top - bottom)


def _turn_upright(pdfium_c: Any, page: Any, runs: list[_Run]) -> int:
    """Turn the page so that the most of its text runs left to right, as PDFium reads best; the quarter
    turns its text ran at."""
    weight = [0.0] * 4
    if any(run.quarter for run in runs):
        for run in runs:
            if run.quarter is not None:
                weight[run.quarter] += _length(pdfium_c, run)
    upright = max(range(4), key=lambda quarter: (weight[quarter], quarter == 0))
    if upright:
        cosine, sine = _UPRIGHT[upright]
        for index in range(pdfium_c.FPDFPage_CountObjects(page)):
            item = pdfium_c.FPDFPage_GetObject(page, index)
            pdfium_c.FPDFPageObj_Transform(item, cosine, sine, -sine, cosine, 0, 0)
    if upright or page.get_rotation():
        page.set_rotation(0)
    return upright


def _check_read_whole(
    pdfium_c: Any, page: Any, text_page: Any, runs: list[_Run], upright: int, name: str, number: int
) -> None:
    """Refuse the page if PDFium skipped some of its text: a text object none of whose glyphs it read that,
    once turned upright where it stands, reads as more than blanks."""
    holder_of = getattr(pdfium_c, "FPDFText_GetTextObject", None)
    if holder_of is None:  # a PDFium before 2023 cannot say which object a glyph is from
        return
    read = {_address(holder_of(text_page, index)) for index in range(text_page.count_chars())}
    skipped = {address: run for run in runs if (address := _address(run.handle)) not in read}
    if not skipped:
        return
    for run in skipped.values():
        _turn_where_it_stands(pdfium_c, run)
    found = _glyphs_read_again(pdfium_c, page, holder_of, skipped, name, number)
    for address, glyphs in found.items():
        text = " ".join("".join(glyphs).split())
        if text:
            angle = round(skipped[address].degrees - 90 * upright) % 360
            raise CasebookError(
                None,
                f"{name}: page {number} has text drawn at {angle}° to the rest that PDFium skips "
                f"({text[:20]!r}), so its text cannot be read whole from the PDF; import the casebook's text instead",
            )


def _turn_where_it_stands(pdfium_c: Any, run: _Run) -> None:
    """Turn a text object upright about its own origin, so that it keeps its place on the page."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(run.handle, matrix):
        return
    turn = -math.atan2(matrix.b, matrix.a)
    cosine, sine, x, y = math.cos(turn), math.sin(turn), matrix.e, matrix.f
    pdfium_c.FPDFPageObj_Transform(
        run.handle, cosine, sine, -sine, cosine, x - x * cosine + y * sine, y - x * sine - y * cosine
    )


def _glyphs_read_again(
    pdfium_c: Any,
    page: Any,
    holder_of: Callable[[Any, int], Any],
    skipped: dict[int | None, _Run],
    name: str,
    number: int,
) -> dict[int | None, list[str]]:
    """The glyphs PDFium reads now of each object it ``skipped`` before, by the object's address, within the
    page's limit of characters."""
    again = page.get_textpage()
    try:
        count = again.count_chars()
        if count > MAX_PAGE_CHARS:
            raise CasebookError(None, _too_many(name, number, count))
        found: dict[int | None, list[str]] = {}
        for index in range(count):
            address = _address(holder_of(again, index))
            if address in skipped:
                code = pdfium_c.FPDFText_GetUnicode(again, index)
                found.setdefault(address, []).append(chr(code) if 0 < code < 0x110000 else "")
        return found
    finally:
        again.close()


def _address(handle: Any) -> int | None:
    """Where PDFium holds an object, to know it again by."""
    address: int | None = ctypes.cast(handle, ctypes.c_void_p).value
    return address
