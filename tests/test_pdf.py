"""Importing a casebook's PDF as published: typeset here in the casebooks' print layout (A4, STSong-Light,
centred titles and providers, printed page numbers at every page's foot), it imports to what the text of
the same casebook imports to: the same cases, text, paragraphs (breaks an indent alone shows, paragraphs
across pages), figures and printed pages."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import pytest

import ftz_reforms
from ftz_reforms.cli.app import main
from tests.typeset import typeset

INVENTED = Path(__file__).parent / "casebooks" / "batch90" / "casebook.txt"


def _layout_free(data: ftz_reforms.Dataset) -> list[dict[str, Any]]:
    return [case.model_dump(exclude={"source": {"line_start", "line_end"}}) for case in data.cases]


@pytest.fixture(scope="module")
def seed_pdf(source_text: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return typeset(source_text, tmp_path_factory.mktemp("pdf") / "casebook.pdf", first_page=5)


def test_the_seeds_pdf_imports_as_its_text_does(seed_pdf: Path, source_text: str) -> None:
    from_text = ftz_reforms.import_casebook(source_text, batch=5, first_page=5)
    from_pdf = ftz_reforms.import_casebook(seed_pdf, batch=5)
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
    assert _layout_free(ftz_reforms.import_casebook(pdf, batch=90)) == _layout_free(
        ftz_reforms.import_casebook(text, batch=90)
    )


def test_the_command_line_imports_a_pdf(seed_pdf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "b5.json"
    assert main(["import", str(seed_pdf), "--batch", "5", "-o", str(target)]) == 0
    assert "imported 23 cases" in capsys.readouterr().err
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
