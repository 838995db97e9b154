"""A casebook's text from its PDF as published, read with PDFium (the ``pdf`` extra: ``pypdfium2``).

PDFium reads each page's glyphs into lines in reading order; the lines of a page are printed one a line,
and pages are separated by a form feed, which is how ``physical_lines`` knows a page from its layout. A
printed page number, the lone number at a page's foot, stays a line of its own, so the pages a case cites
are the printed ones. The result is text in the layout ``pdftotext`` prints, which the parser reads like
any other (the same cases, text, paragraphs and pages as the text of the same casebook).

pypdfium2 rather than pdfplumber or pypdf: PDFium is the PDF engine of Chromium, kept current and shipped
as a binary wheel for every platform, it maps CJK fonts (embedded or the standard CID fonts) to Unicode
reliably, and it reads a 50-page casebook in a fraction of a second with one dependency.
"""

from __future__ import annotations

from pathlib import Path

from ftz_reforms.errors import CasebookError, MissingExtraError

__all__ = ["PDF_MAGIC", "is_pdf", "pdf_text", "read_casebook_text"]

PDF_MAGIC = b"%PDF-"


def is_pdf(raw: bytes) -> bool:
    """Whether ``raw`` is a PDF file (by its first bytes, whatever the file is called)."""
    return raw[:1024].lstrip().startswith(PDF_MAGIC)


def pdf_text(raw: bytes, name: str = "the PDF") -> str:
    """The text of the PDF ``raw``: each page's lines in reading order, pages separated by form feeds."""
    try:
        import pypdfium2
    except ImportError:
        raise MissingExtraError("pypdfium2 (to read a PDF)", "pdf") from None
    try:
        document = pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as error:
        raise CasebookError(None, f"{name} is not a PDF that can be read ({error})") from None
    pages = []
    try:
        for index in range(len(document)):
            page = document[index]
            text_page = page.get_textpage()
            # PDFium ends each line it reads with CR LF; a line is the glyphs of one baseline, in order.
            lines = text_page.get_text_range().replace("\r\n", "\n").replace("\r", "\n").split("\n")
            pages.append("\n".join(line.rstrip() for line in lines if line.strip()))
            text_page.close()
            page.close()
    finally:
        document.close()
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
