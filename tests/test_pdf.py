"""Importing a casebook's PDF as published: typeset here in the casebooks' print layout (A4, STSong-Light,
centred titles and providers, printed page numbers at every page's foot), it imports to what the text of
the same casebook imports to: the same cases, text, paragraphs (breaks an indent alone shows, paragraphs
across pages), figures and printed pages. A page printed sideways reads as its reader turns it, and a hostile
PDF (a page tree that loops, thousands of pages, a page of millions of glyphs in a few kilobytes) is one line
from the command line, read within bounded memory."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ftz_reforms
from ftz_reforms.casebook import pdf as pdf_module
from ftz_reforms.casebook.pdf import MAX_CHARS, MAX_PAGE_CHARS, MAX_PAGES, READER_MEMORY
from ftz_reforms.cli.app import main
from ftz_reforms.text.normalize import physical_lines
from tests.helpers import in_process
from tests.typeset import typeset

INVENTED = Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt"


def _layout_free(data: ftz_reforms.Dataset) -> list[dict[str, Any]]:
    return [case.model_dump(exclude={"source": {"line_start", "line_end"}}) for case in data.cases]


@pytest.fixture(scope="module")
def seed_pdf(source_text: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return typeset(source_text, tmp_path_factory.mktemp("pdf") / "casebook.pdf", first_page=5)


@pytest.fixture(scope="module")
def seed_from_text(source_text: str) -> ftz_reforms.Dataset:
    """What the seed's text imports to (records are immutable: the tests compare against one import)."""
    return ftz_reforms.import_casebook(source_text, batch=5, first_page=5).data


@pytest.fixture(scope="module")
def seed_pdf_imported(seed_pdf: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """``ftz-reforms import`` of the seed's PDF, once a module (reading a PDF is a process of its own): what the
    command said on stderr, and the dataset file it wrote."""
    target = tmp_path_factory.mktemp("pdf-import") / "b5.json"
    result = in_process("import", str(seed_pdf), "--batch", "5", "-o", str(target))
    assert result.returncode == 0, result.stderr.decode()
    return result.stderr.decode(), target


def test_the_seeds_pdf_imports_as_its_text_does(
    seed_pdf: Path, seed_pdf_imported: tuple[str, Path], seed_from_text: ftz_reforms.Dataset
) -> None:
    from_text = seed_from_text
    from_pdf = ftz_reforms.load(seed_pdf_imported[1]).data
    assert _layout_free(from_pdf) == _layout_free(from_text)
    assert [len(case.metrics) for case in from_pdf.cases] == [len(case.metrics) for case in from_text.cases]
    assert (from_pdf.source.page_start, from_pdf.source.page_end) == (5, from_text.source.page_end)
    assert from_pdf.source.file == "casebook.pdf"
    assert from_pdf.source.sha256 == hashlib.sha256(seed_pdf.read_bytes()).hexdigest()
    # What the casebook's layout shows: b5-07's practices run to four paragraphs, some across pages.
    assert [len(section.paragraph_starts_zh) for section in from_pdf.cases[6].practices] == [4]
    assert len({case.source.page_start for case in from_pdf.cases}) > 15


def test_an_invented_casebooks_pdf_imports_as_its_text_does(tmp_path: Path) -> None:
    text = INVENTED.read_text(encoding="utf-8")
    pdf = typeset(text, tmp_path / "b90.pdf")
    assert _layout_free(ftz_reforms.import_casebook(pdf, batch=90).data) == _layout_free(
        ftz_reforms.import_casebook(text, batch=90).data
    )


def test_the_command_line_imports_a_pdf(
    seed_pdf_imported: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    said, target = seed_pdf_imported
    assert "imported 23 cases" in said
    assert main(["--data", str(target), "search", "退货", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("1,b5-01,")


def test_without_the_extra_a_pdf_gets_one_line_naming_it(
    seed_pdf: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    assert main(["import", str(seed_pdf), "--batch", "5"]) == 2
    assert capsys.readouterr().err == (
        "ftz-reforms: pypdfium2 (to read a PDF) is not installed: pip install 'ftz-reforms[pdf]'\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4\nnot really a PDF\n", "is not a PDF that can be read"),
        (None, "holds no text (a scan?"),
    ],
)
def test_a_pdf_without_text_is_one_line(
    content: bytes | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "casebook.pdf"
    if content is None:
        from reportlab.pdfgen import canvas

        blank = canvas.Canvas(str(path))
        blank.rect(100, 100, 200, 200)  # a drawing, no text
        blank.showPage()
        blank.save()
    else:
        path.write_bytes(content)
    assert main(["import", str(path), "--batch", "5"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and message in err


# Pages printed sideways: shown rotated (the page's /Rotate), drawn rotated, or drawn rotated and shown upright,
# each way at every angle it takes, on pages of their own that hold section headings and figures. One PDF holds
# them all; each page reads as a reader turns it, so the import is that of the casebook's text.
_SECTION = re.compile(r"^（[一二三四五六七八九十]+）")
_SIDEWAYS = {
    "shown-rotated": ({8: 90, 11: 270, 15: 180}, {}),
    "drawn-rotated": ({}, {21: 90, 26: 180, 33: 270}),
    "drawn-rotated-shown-upright": ({38: 270, 44: 90}, {38: 270, 44: 90}),
}


def test_pages_printed_sideways_read_as_their_reader_turns_them(
    source_text: str, seed_from_text: ftz_reforms.Dataset, tmp_path: Path
) -> None:
    rotate: dict[int, int] = {}
    drawn_at: dict[int, int] = {}
    for way, (shown, drawn) in _SIDEWAYS.items():
        turned = [line.text for line in physical_lines(source_text, 5) if line.page in {*shown, *drawn}]
        assert any(_SECTION.match(line) for line in turned) and any(re.search("[0-9]", line) for line in turned), way
        assert not {*shown, *drawn} & {*rotate, *drawn_at}, f"{way}: pages of its own"
        rotate.update(shown)
        drawn_at.update(drawn)
    pdf = typeset(source_text, tmp_path / "casebook.pdf", first_page=5, rotate=rotate, drawn_at=drawn_at)
    from_pdf = ftz_reforms.import_casebook(pdf, batch=5).data
    assert _layout_free(from_pdf) == _layout_free(seed_from_text)
    assert sum(len(case.metrics) for case in from_pdf.cases) == sum(len(case.metrics) for case in seed_from_text.cases)


def _sideways_label(path: Path) -> Path:
    """Two pages of body text, each with a line drawn at 90° in STSong-Light, whose glyphs have no height, so
    that PDFium skips it: on page 1 blanks, on page 2 a label."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), invariant=True)
    for number, label in ((1, "    "), (2, "内部资料注意保存")):
        pdf.setFont("STSong-Light", 12)
        pdf.drawString(72, 700, "一、主要做法")
        pdf.drawString(72, 682, "（一）建立数据目录，累计节约成本3.5亿元。")
        pdf.saveState()
        pdf.translate(560, 300)
        pdf.rotate(90)
        pdf.drawString(0, 0, label)
        pdf.restoreState()
        pdf.drawCentredString(297, 40, str(number))
        pdf.showPage()
    pdf.save()
    return path


def _pdf(*objects: bytes) -> bytes:
    """A PDF of ``objects``, the first its catalog, with the cross-reference table that finds each."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(out)


def _pages(kids: bytes, count: int, content: bytes, *more: bytes) -> bytes:
    """A PDF written by hand: its page tree (object 2) of ``kids``, said to hold ``count`` pages, its page
    (object 3) showing ``content`` (object 5, deflated) in Helvetica (object 4), and ``more`` objects from 6."""
    stream = zlib.compress(content, 9)
    return _pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        *more,
    )


def _showing(chars: int) -> bytes:
    """A content stream that shows ``chars`` letters (a multiple of 1,000), a thousand to an operator."""
    return b"BT /F1 1 Tf 10 10 Td\n" + (b"(" + b"A" * 1000 + b") Tj\n") * (chars // 1000) + b"ET"


_HELLO = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"
_ANCESTOR = b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"  # object 6, a kid of object 2
_PER_PAGE = MAX_PAGE_CHARS - 10_000
_PAST_ALL = MAX_CHARS // _PER_PAGE + 1  # the first page of _PER_PAGE characters past MAX_CHARS in all
_LINUX = sys.platform == "linux"


def _in_the_cli(pdf: Path) -> subprocess.CompletedProcess[str]:
    """``ftz-reforms import`` of ``pdf`` in a process of its own, held to 2 GiB of memory where that is enforced."""
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); " if _LINUX else ""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"{limit}import runpy; runpy.run_module('ftz_reforms', run_name='__main__')",
            "import",
            str(pdf),
            "--batch",
            "6",
            "-o",
            str(pdf.with_suffix(".json")),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _write(content: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(content)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(_write(_pages(b"3 0 R 2 0 R", 2, _HELLO)), "reading page 2 failed", id="pages-among-its-kids"),
        pytest.param(_write(_pages(b"6 0 R", 1, _HELLO, _ANCESTOR)), "reading page 1 failed", id="kid-its-ancestor"),
        pytest.param(
            _write(_pages(b"3 0 R " * (MAX_PAGES + 1), MAX_PAGES + 1, _HELLO)),
            f"has {MAX_PAGES + 1:,} pages, more than the {MAX_PAGES:,}",
            id="thousands-of-pages",
        ),
        pytest.param(
            _write(_pages(b"3 0 R", 1, _showing(MAX_PAGE_CHARS + 1000))),
            f"page 1 holds {MAX_PAGE_CHARS + 1000:,} characters, more than the {MAX_PAGE_CHARS:,}",
            id="a-page-of-too-many-characters",
        ),
        pytest.param(
            _write(_pages(b"3 0 R " * (_PAST_ALL + 2), _PAST_ALL + 2, _showing(_PER_PAGE))),
            f"page {_PAST_ALL} brings the text to {_PAST_ALL * _PER_PAGE:,} characters, more than the {MAX_CHARS:,}",
            id="pages-of-too-many-characters",
        ),
        pytest.param(
            _sideways_label,
            "page 2 has text drawn at 90° to the rest that PDFium skips ('内部资料注意保存')",
            id="text-skipped",
        ),
    ],
)
@pytest.mark.slow
def test_a_hostile_pdf_is_one_line_from_the_command_line(
    build: Callable[[Path], object], message: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "casebook.pdf"
    build(pdf)
    done = _in_the_cli(pdf)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    if build is _sideways_label and _pdfium_reads(pdf, page=1, text="内部资料注意保存"):
        # A CJK font on this machine stands in for STSong-Light, whose glyphs then have a height: PDFium reads
        # the label like any text, nothing is skipped, and the casebook's parser says the pages hold no case.
        assert line.startswith("ftz-reforms: line 1: no case found")
        return
    assert line.startswith(f"ftz-reforms: {pdf}") and message in line


def _pdfium_reads(pdf: Path, *, page: int, text: str) -> bool:
    """Whether this machine's PDFium extracts ``text`` from the page at index ``page``."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return text in document[page].get_textpage().get_text_range()
    finally:
        document.close()


@pytest.mark.skipif(not _LINUX, reason="only Linux holds a process to a limit on its memory")
@pytest.mark.slow
def test_a_deflate_bomb_is_one_line_within_bounded_memory(tmp_path: Path) -> None:
    content = _showing(26_000_000)
    pdf = tmp_path / "casebook.pdf"
    pdf.write_bytes(_pages(b"3 0 R", 1, content))
    # Some 50 KB of file whose page PDFium would take about 5 GB to hold, some 200 bytes a glyph.
    assert pdf.stat().st_size < 100_000 and len(content) > 25_000_000
    done = _in_the_cli(pdf)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert f"{pdf}: reading page 1 took more than the {READER_MEMORY >> 20} MiB of memory" in line


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(_pages(b"6 0 R", 1, _HELLO, _ANCESTOR), "reading page 1 failed", id="kid-its-ancestor"),
        pytest.param(_pages(b"3 0 R " * 3, 3, _HELLO), "has 3 pages, more than the 2", id="more-pages-than-allowed"),
    ],
)
def test_read_without_a_process_of_its_own_a_hostile_pdf_is_still_one_line(
    content: bytes, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "executable", "")  # no process can be started: the PDF is read in this one
    monkeypatch.setattr(pdf_module, "MAX_PAGES", 2)
    pdf = tmp_path / "casebook.pdf"
    pdf.write_bytes(content)
    assert main(["import", str(pdf), "--batch", "6"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"ftz-reforms: {pdf}") and message in line
