"""jieba's search-mode segmentation (without its HMM), over a dictionary handed to it.

The bundled index carries the casebook's dictionary: every word jieba's full dictionary uses on the
casebook, with jieba's frequencies and total. Over that dictionary this segmenter gives exactly what
``jieba.Tokenizer.cut_for_search(text, HMM=False)`` gives (the tests compare the two on every run of
the casebook and on generated text), so the index and a query are cut the same way. Doing it here
rather than through jieba means a search imports no jieba: no ``pkg_resources`` probe, no HMM tables,
no cache file, nothing to patch in ``sys.modules``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping

from ftz_reforms.text.chars import CJK_RUN

__all__ = ["Segmenter"]

# jieba's own character classes (jieba/__init__.py): what it segments with its dictionary, what it
# passes through as whitespace, and the Latin letters and digits it glues back together.
_HAN_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_LATIN_OR_DIGIT = re.compile("[a-zA-Z0-9]")


class Segmenter:
    """Search-mode segmentation over ``frequencies`` (word → count) and jieba's ``total``."""

    def __init__(self, frequencies: Mapping[str, int], total: int) -> None:
        prefixes: dict[str, int] = {}
        for word, frequency in frequencies.items():
            prefixes[word] = frequency
            for end in range(1, len(word)):
                prefixes.setdefault(word[:end], 0)
        self._frequencies = prefixes
        self._log_total = math.log(total)
        # Each word's score (jieba's log frequency less log total), worked out once, not at every position
        # of every text it could start at.
        self._scores = {
            word: math.log(frequency) - self._log_total for word, frequency in prefixes.items() if frequency
        }

    def words(self, text: str) -> Iterator[str]:
        """Chinese words of two characters or more, in order, from each run of Chinese characters."""
        for run in CJK_RUN.findall(text):
            for word in self.tokens(run):
                if len(word) >= 2:
                    yield word

    def tokens(self, text: str) -> list[str]:
        """Every token of the search-mode segmentation of ``text``, single characters included."""
        frequencies = self._frequencies
        found: list[str] = []
        for word in self._cut(text):
            if len(word) > 2:
                found.extend(word[i : i + 2] for i in range(len(word) - 1) if frequencies.get(word[i : i + 2]))
            if len(word) > 3:
                found.extend(word[i : i + 3] for i in range(len(word) - 2) if frequencies.get(word[i : i + 3]))
            found.append(word)
        return found

    def _cut(self, text: str) -> Iterator[str]:
        for block in _HAN_BLOCK.split(text):
            if not block:
                continue
            if _HAN_BLOCK.match(block):
                yield from self._cut_block(block)
                continue
            for piece in _SKIP.split(block):
                if _SKIP.match(piece):
                    yield piece
                else:
                    yield from piece

    def _cut_block(self, block: str) -> Iterator[str]:
        """The most probable path through the block's word graph; single Latin letters and digits rejoin."""
        return _latin_rejoined(block, self._route(block))

    def _route(self, block: str) -> list[tuple[float, int]]:
        """For each position of ``block``, the best score of the rest of the block from there and the last
        position of the word that starts there (jieba's ``calc`` over its ``get_DAG``)."""
        frequencies, scores, length = self._frequencies, self._scores, len(block)
        unknown = math.log(1) - self._log_total  # a character no word starts with, as jieba scores it
        route: list[tuple[float, int]] = [(0.0, 0)] * (length + 1)
        for start in range(length - 1, -1, -1):
            best: tuple[float, int] | None = None
            end, piece = start, block[start]
            while end < length and piece in frequencies:
                score = scores.get(piece)
                if score is not None:
                    # Ties go to the longer word, as in jieba (max over (score, end)).
                    candidate = (score + route[end + 1][0], end)
                    if best is None or candidate > best:
                        best = candidate
                end += 1
                piece = block[start : end + 1]
            route[start] = (unknown + route[start + 1][0], start) if best is None else best
        return route


def _latin_rejoined(block: str, route: list[tuple[float, int]]) -> Iterator[str]:
    """The words of ``block`` along ``route``, a run of single Latin letters and digits as one word."""
    position, length, latin = 0, len(block), ""
    while position < length:
        end = route[position][1] + 1
        word = block[position:end]
        if len(word) == 1 and _LATIN_OR_DIGIT.match(word):
            latin += word
        else:
            if latin:
                yield latin
                latin = ""
            yield word
        position = end
    if latin:
        yield latin
