"""Typesetting a casebook as its PDF is printed, for the PDF import's tests: A4, the CID font STSong-Light
(which needs no font file), each of the text's lines on a line of its own, case titles and provider lines
centred, the pages as the text has them, and every page's printed number centred at its foot."""

from __future__ import annotations

import re
from pathlib import Path

from ftz_reforms.text.normalize import physical_lines

_FONT = "STSong-Light"
_SIZE = 12
_LEADING = 18
_TOP, _LEFT, _FOOT = 800, 72, 40
_CENTRED = re.compile(r"^([0-9]{1,4}\.|中国（)")


def typeset(text: str, target: Path, first_page: int | None = None, indent_every_paragraph: bool = False) -> Path:
    """Write ``text`` (a casebook in any text layout) as a PDF at ``target``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    width, _ = A4
    pdf = canvas.Canvas(str(target), pagesize=A4, invariant=True)
    lines = physical_lines(text, first_page)
    pages: dict[int, list[str]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line.text)
    for number in sorted(pages):
        pdf.setFont(_FONT, _SIZE)
        y = _TOP
        for line in pages[number]:
            if _CENTRED.match(line):
                pdf.drawCentredString(width / 2, y, line)
            else:
                pdf.drawString(_LEFT + (2 * _SIZE if indent_every_paragraph else 0), y, line)
            y -= _LEADING
        pdf.drawCentredString(width / 2, _FOOT, str(number))
        pdf.showPage()
    pdf.save()
    return target
