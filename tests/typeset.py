"""Typesetting a casebook as its PDF is printed, for the PDF import's tests: A4, the CID font STSong-Light
(which needs no font file), each of the text's lines on a line of its own, case titles and provider lines
centred, a paragraph's first line indented by two characters (a line after one that ends a sentence short
of the full measure), the pages as the text has them, and every page's printed number centred at its foot.
A page may be printed sideways: shown rotated (its ``/Rotate``), or with its content drawn rotated on a page
turned to hold it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ftz_reforms.text.normalize import physical_lines

_FONT = "STSong-Light"
_SIZE = 12
_LEADING = 18
_TOP, _LEFT, _FOOT = 800, 72, 40
_CENTRED = re.compile(r"^([0-9]{1,4}\.|中国（)")
_ENDS = ("。", "！", "？", "：", "；", "”")


def _opens_paragraph(previous: str | None, line: str, measure: int) -> bool:
    return previous is not None and previous.endswith(_ENDS) and len(line) < measure


def typeset(
    text: str,
    target: Path,
    first_page: int | None = None,
    *,
    rotate: Mapping[int, int] | None = None,
    drawn_at: Mapping[int, int] | None = None,
) -> Path:
    """Write ``text`` (a casebook in any text layout) as a PDF at ``target``.

    ``rotate`` maps a printed page number to the page's ``/Rotate`` (clockwise, as a viewer shows it);
    ``drawn_at`` to the angle its content is drawn at (counterclockwise, the page's sides swapped for 90 and 270).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    width, height = A4
    rotate, drawn_at = rotate or {}, drawn_at or {}
    # Where the content's origin goes for each angle, so that the turned page holds it.
    origins = {0: (0.0, 0.0), 90: (height, 0.0), 180: (width, height), 270: (0.0, width)}
    pdf = canvas.Canvas(str(target), pagesize=A4, invariant=True)
    lines = physical_lines(text, first_page)
    pages: dict[int, list[str]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line.text)
    measure = max(len(line.text) for line in lines)
    previous: str | None = None
    for number in sorted(pages):
        if rotate or drawn_at:
            angle = drawn_at.get(number, 0)
            pdf.setPageSize((height, width) if angle in (90, 270) else A4)
            pdf.setPageRotation(rotate.get(number, 0))
            pdf.translate(*origins[angle])
            pdf.rotate(angle)
        pdf.setFont(_FONT, _SIZE)
        y = _TOP
        for line in pages[number]:
            if _CENTRED.match(line):
                pdf.drawCentredString(width / 2, y, line)
            else:
                indent = 2 * _SIZE if _opens_paragraph(previous, line, measure) else 0
                pdf.drawString(_LEFT + indent, y, line)
            previous = line
            y -= _LEADING
        pdf.drawCentredString(width / 2, _FOOT, str(number))
        pdf.showPage()
    pdf.save()
    return target
