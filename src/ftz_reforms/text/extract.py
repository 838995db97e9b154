"""Find the quantified figures in Chinese text, and say what each one is in its sentence.

``extract_metrics(text)`` returns every figure with its exact span, value, unit, qualifier, and the
role, direction, rate denominators and time the sentence gives it. ``scan(text)`` also reports every
numeral that is *not* a figure, with the named rule that excludes it, so that a caller can prove that
no numeral is left unexplained.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from ftz_reforms.model.bounds import CONTROL_CHARACTER
from ftz_reforms.model.records import FigureFields, Positive
from ftz_reforms.model.vocab import Direction, Role, Unit
from ftz_reforms.text.chars import CLAUSE_BREAKS, IDEOGRAPHS, SENTENCE_END, mark_positions
from ftz_reforms.text.effects import (
    AFTER_MARK,
    BEFORE_MARK,
    CHANGE_VERB,
    DOWN_VERBS,
    TO_VERB,
    Link,
    baseline_of,
    link,
    since_of,
)
from ftz_reforms.text.markers import LIST_MARKER
from ftz_reforms.text.numerals import (
    CHINESE_FIGURE,
    CHINESE_NUMERAL_CHARS,
    FIGURE_PATTERNS,
    RANK_FIGURE,
    Quantity,
    QuantityError,
    QuantityOutOfBounds,
    quantity_from_match,
)

__all__ = [
    "EXCLUSION_RULES",
    "FIXED_WORDS",
    "PLACE_NAMES",
    "Exclusion",
    "Figure",
    "Scan",
    "extract_metrics",
    "numeral_tokens",
    "scan",
]


class Figure(FigureFields):
    """A quantified figure found by ``extract_metrics`` in any Chinese text."""

    start: Annotated[int, Field(ge=0)]
    """Offset of the span in the text it was found in."""
    end: Positive
    """Offset just past the span."""


# Named rules for numerals that are not figures. Each has a one-line reason, shown in reports.
EXCLUSION_RULES: dict[str, str] = {
    "date": "a date or year used as a time point (2023年3月, 2021、2022两年), not a quantity",
    "list_ordinal": "a list ordinal (一是, （一）), not a quantity",
    "article_number": "an article or clause number (第五条), not a quantity",
    "quoted_name": "a numeral inside a quoted name or slogan (“一KEY通”, “三线一单”, vessel names)",
    "ranking_list": "the name of a ranking list (世界500强), not a quantity",
    "hours_expression": "a service-hours expression (7×24小时), not a measured quantity",
    "class_designation": "a class designation (万吨级深水港), not a measured quantity",
    "period_in_years": "a period written in Chinese numerals (近三年, 连续两年, 一年来) that frames other figures",
    "descriptive_count": "a small count in Chinese numerals with a bare measure word (三个维度, 两批), "
    "written as words by the convention of GB/T 15835 for descriptive numbers",
    "fixed_word": "a word or fixed expression that holds a numeral but states no quantity "
    "(统一, 一体化, 一站式, 进一步, 第三方, 二维码); the words are listed in FIXED_WORDS",
    "place_name": "a place name that holds a numeral (四川, 长三角)",
    "party_count": "how many places, sides, parties or tiers an arrangement joins (川渝两地, 两岸, 四方, 三级), "
    "which names the arrangement rather than measuring anything",
    "major_count": "the count of a phrase such as 两大维度 (two major dimensions), which names a list that follows",
    "per_unit": "the single unit a rate is counted per (每进口一整柜), not a quantity of its own",
    "ordinal_word": "an ordinal that ranks nothing measured (第一时间, 第二批), unlike a rank such as 全国第五",
    "out_of_bounds": "a number beyond what a figure of the data contract holds (model.bounds.MAX_FIGURE)",
}

FIXED_WORDS: tuple[str, ...] = (
    "统一", "一体", "一体化", "一致", "一致性", "进一步", "一站式", "一站", "同一", "单一", "任一", "一般", "一定",
    "一键", "一线", "一流", "一系列", "一揽子", "一大批", "一段时间", "一目了然", "整齐划一", "一网", "一函",
    "二维码", "三维", "第三方",
)  # fmt: skip
"""Words of the casebook that hold a numeral character and state no quantity; longer ones win."""

PLACE_NAMES: tuple[str, ...] = ("四川", "长三角")
"""Place names that hold a numeral character."""

_ARABIC_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_CHINESE_TOKEN = re.compile(f"[{CHINESE_NUMERAL_CHARS}]+")

_EXCLUSION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("quoted_name", re.compile(r"“[^“”]{0,24}?[0-9零〇一二两三四五六七八九十百千万亿][^“”]{0,24}?”")),
    (
        "date",
        re.compile(
            r"(?:19|20)[0-9]{2}(?:[、和至到—-](?:19|20)[0-9]{2})+[两三四五]?年"
            r"|(?:(?:19|20)[0-9]{2}|[二][〇零][一二三四五六七八九〇零]{2})年"
            r"(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?"
            r"|(?:19|20)[0-9]{2}(?=[、和至到—-](?:19|20)[0-9]{2})"
            r"|(?<![0-9])[0-9]{1,2}月[0-9]{1,2}日"
            r"|(?<![0-9])[0-9]{1,2}月(?=[初底末中份]|以来)"
        ),
    ),
    ("list_ordinal", LIST_MARKER),
    ("article_number", re.compile(r"第[0-9一二三四五六七八九十百零〇]+[条款章节]")),
    ("ranking_list", re.compile(r"[0-9]+强")),
    ("class_designation", re.compile(r"[0-9一二两三四五六七八九十百千万]+总?吨级")),
    ("hours_expression", re.compile(r"[0-9]+×[0-9]+小时")),
    ("period_in_years", re.compile(r"(?:近|连续)?[一二两三四五六七八九十]+年(?:多来|以来|来|内)?")),
    ("fixed_word", re.compile("|".join(sorted(FIXED_WORDS, key=len, reverse=True)))),
    ("place_name", re.compile("|".join(sorted(PLACE_NAMES, key=len, reverse=True)))),
    ("party_count", re.compile(r"[两三四五六七八九十](?:地|岸|方(?!面)|级)")),
    ("major_count", re.compile(f"[一二两三四五六七八九十]大(?=[{IDEOGRAPHS}])")),
    ("per_unit", re.compile(f"每[{IDEOGRAPHS}]{{0,3}}?一(?=整|个|件|柜|吨|辆|次)")),
)

_MEASUREMENT_UNITS = frozenset(Unit) - {Unit.COUNT}
_CHINESE_MAGNITUDE = re.compile("[十百千万亿]")


_TO_MARK = re.compile(r"(?:提升|提高|增加|增长|减少|缩减|压缩|降低|下降|压减|缩短|降)?(?:到|至)|转变为|变为|转为")
_FROM_MARK = re.compile("[由从]")

_RATE_WORDS = {"每小时": "hour", "每天": "day", "每日": "day", "日均": "day", "每月": "month", "月均": "month",
               "每年": "year", "年均": "year"}  # fmt: skip
_AS_OF = re.compile(
    r"(?P<since>[自从较比])?(?P<until>截至|截止)?(?P<year>(?:19|20)[0-9]{2})年"
    r"(?:(?P<half>上半年|下半年)|(?:(?P<month>[0-9]{1,2})月(?:(?P<day>[0-9]{1,2})日)?)|(?P<end>底|末))?"
    r"(?:(?P<month_end>底|末|初))?(?P<of>的|以来|来)?"
)
_YEAR_LIST = re.compile(r"(?P<first>(?:19|20)[0-9]{2})[、和至到—-](?P<last>(?:19|20)[0-9]{2})(?:两|三)?年")


@dataclass(frozen=True)
class Exclusion:
    """A numeral that is not a figure, and the rule (a key of EXCLUSION_RULES) that says why."""

    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` found: the figures, and the numerals excluded with their rules."""

    figures: tuple[Figure, ...]
    effects: tuple[Link, ...]
    """The effects among the figures (positions into ``figures``), found by ``effects.link``."""
    exclusions: tuple[Exclusion, ...]
    unexplained: tuple[tuple[int, int, str], ...]
    """Numerals, Arabic or Chinese, neither in a figure nor excluded by a rule: for a curator to decide."""


def numeral_tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """Every run of Arabic digits and every run of Chinese numeral characters: (start, end, text)."""
    for pattern in (_ARABIC_TOKEN, _CHINESE_TOKEN):
        for match in pattern.finditer(text):
            yield match.start(), match.end(), match.group()


class _Spans:
    """Spans of a text that do not overlap one another, in order: a test is a bisection, not a walk."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self._spans: list[tuple[int, int]] = []
        for start, end in sorted(spans or []):
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self._spans)

    def _around(self, start: int) -> list[tuple[int, int]]:
        index = bisect_right(self._spans, (start, float("inf")))
        return self._spans[max(0, index - 1) : index + 1]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any span shares a character with ``start``–``end``."""
        index = bisect_left(self._spans, (end, end))
        return index > 0 and self._spans[index - 1][1] > start

    def covers(self, start: int, end: int) -> bool:
        """Whether one span holds all of ``start``–``end``."""
        return any(a <= start and end <= b for a, b in self._around(start))


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    match: re.Match[str]
    quantity: Quantity


def _acceptable(match: re.Match[str], quantity: Quantity) -> str | None:
    """None when the match is a figure; else the exclusion rule that applies."""
    if match.re is RANK_FIGURE and not (match.group("scope") or match.group("unit")):
        return "ordinal_word"
    if match.re is CHINESE_FIGURE:
        number = match.group("low")
        if quantity.unit in _MEASUREMENT_UNITS:
            return None
        if _CHINESE_MAGNITUDE.search(number):
            return None
        return "descriptive_count"
    return None


def _candidates(text: str, blocked: _Spans) -> Iterator[_Candidate | Exclusion]:
    for pattern in FIGURE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or blocked.overlaps(start, end):
                continue
            try:
                quantity = quantity_from_match(match)
            except QuantityOutOfBounds:  # excluded whole, so that no part of it (亿元) reads as a figure
                yield Exclusion(start, end, match.group(), "out_of_bounds")
                continue
            except QuantityError:
                continue
            rule = _acceptable(match, quantity)
            if rule is None:
                yield _Candidate(start, end, match, quantity)
            else:
                yield Exclusion(start, end, match.group(), rule)


MAX_SENTENCE = 1000
"""The longest stretch read as one sentence around a figure (the casebooks' longest is under 200
characters): a text that never ends a sentence is read in windows, so extraction stays linear in its length."""


def _last_before(text: str, marks: str, start: int, floor: int = 0) -> int:
    """Where the last of ``marks`` before ``start`` stands (at ``floor`` or after), or ``floor - 1``."""
    positions = mark_positions(text, marks)
    index = bisect_left(positions, start)
    return positions[index - 1] if index and positions[index - 1] >= floor else floor - 1


def _first_from(text: str, marks: str, end: int, ceiling: int) -> int | None:
    """Where the first of ``marks`` at ``end`` or after stands (before ``ceiling``), or None."""
    positions = mark_positions(text, marks)
    index = bisect_left(positions, end)
    return positions[index] if index < len(positions) and positions[index] < ceiling else None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``start``–``end``: from after the last sentence end to the next one (itself included).

    A control character ends a sentence too (without being part of it): no text of a record may hold one, so a
    figure beside one keeps the sentence up to it, and extraction never fails on any string."""
    left = _last_before(text, SENTENCE_END, start, max(0, start - MAX_SENTENCE)) + 1
    ceiling = min(len(text), end + MAX_SENTENCE)
    right = _first_from(text, SENTENCE_END, end, ceiling)
    right = right + 1 if right is not None else ceiling
    if not text.isprintable():  # the common text is, and needs no search: no control character is printable
        before = [found.end() for found in CONTROL_CHARACTER.finditer(text, left, start)]
        after = CONTROL_CHARACTER.search(text, end, right)
        left = before[-1] if before else left
        right = after.start() if after is not None else right
    return left, right


def _clause_start(text: str, start: int) -> int:
    return _last_before(text, CLAUSE_BREAKS, start, max(0, start - MAX_SENTENCE)) + 1


def _clause_end(text: str, end: int) -> int:
    ceiling = min(len(text), end + MAX_SENTENCE)
    found = _first_from(text, CLAUSE_BREAKS, end, ceiling)
    return found if found is not None else ceiling


def _role(text: str, start: int, end: int, quantity: Quantity, match: re.Match[str]) -> tuple[Role, Direction | None]:
    """A figure's role as its own clause gives it: the first half of ``ROLE_RULE`` (``effects.link`` does the rest).

    The first reading that fits decides: a multiple, a rank, an end of a pair, an end a verb reaches, a change,
    an end a before or after mark names; else a level."""
    if quantity.unit is Unit.TIMES:
        # 是2021年的2.5倍, 翻了一番: a multiple of a base is the size of a change.
        return Role.CHANGE, Direction.UP if quantity.value >= 1 else Direction.DOWN
    clause_start = _clause_start(text, start)
    before = text[clause_start:start]
    if quantity.unit is Unit.RANK and match.re is RANK_FIGURE and not TO_VERB.search(before):
        return Role.RANK, None
    return (
        _pair_role(text, end, before)
        or _reached_role(before)
        or _change_role(text, clause_start, start, before)
        or _marked_role(text, start)
        or (Role.LEVEL, None)
    )


def _pair_role(text: str, end: int, before: str) -> tuple[Role, None] | None:
    """An explicit pair within one clause: 由/从 A (提升)到/至/转变为 B; 由A压缩… names A as where the change began."""
    from_mark = _FROM_MARK.search(before)
    if from_mark is None:
        return None
    if _TO_MARK.search(before[from_mark.end() :]):
        return Role.AFTER, None
    after = text[end : _clause_end(text, end)]
    if _TO_MARK.search(after) or CHANGE_VERB.match(after):
        return Role.BEFORE, None
    return None


def _reached_role(before: str) -> tuple[Role, None] | None:
    """The level a verb of change reaches is an after: 降至4%左右, 压至7个工作日, 提升至全国第五."""
    return (Role.AFTER, None) if TO_VERB.search(before) else None


def _change_role(text: str, clause_start: int, start: int, before: str) -> tuple[Role, Direction] | None:
    """A figure the last verb of change of its clause governs is the size of that change (压缩75%)."""
    verbs = list(CHANGE_VERB.finditer(before))
    if not verbs:
        return None
    verb = verbs[-1]
    following = text[clause_start + verb.end() : start]
    # An enumeration comma means the verb governs an earlier item ("快速增长、已突破500万标箱").
    if following.startswith(("至", "到", "为")) or "、" in following:
        return None
    return Role.CHANGE, Direction.DOWN if verb.group(1) in DOWN_VERBS else Direction.UP


def _marked_role(text: str, start: int) -> tuple[Role, None] | None:
    """以往…6000余艘次，…现每月仅需报告约1800次: the last mark before the figure in its clause group decides, an
    after mark counting once a before mark has been read."""
    group = text[_last_before(text, "；" + SENTENCE_END, start, max(0, start - MAX_SENTENCE)) + 1 : start]
    marks = [(m.start(), Role.BEFORE) for m in BEFORE_MARK.finditer(group)]
    if not marks:
        return None
    marks += [(m.start(), Role.AFTER) for m in AFTER_MARK.finditer(group) if m.start() > marks[0][0]]
    return max(marks)[1], None


# A clause group that opens its own time frame (自推广以来，…) is not governed by the sentence's lead-in.
_OWN_TIME_FRAME = re.compile(r"自[^，；。]{0,30}以来")


def _time_of(match: re.Match[str]) -> str | None:
    """The time a time expression names (``2023-06``, ``2022-01/2022-06``); None for a month or day no
    calendar has (2023年13月), which pins nothing."""
    year, month, day = match.group("year"), match.group("month"), match.group("day")
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return None
    halves = {"上半年": f"{year}-01/{year}-06", "下半年": f"{year}-07/{year}-12"}
    if match.group("half") in halves:
        return halves[match.group("half")]
    if month:
        return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    if match.group("end") or match.group("month_end") in ("底", "末"):
        return f"{year}-12"
    return year


def _last_time(before: str) -> str | None:
    """The last time expression of ``before`` that pins a figure (not a 自…/较… starting point)."""
    found: str | None = None
    for match in _YEAR_LIST.finditer(before):
        found = f"{match.group('first')}/{match.group('last')}"
    for match in _AS_OF.finditer(before):
        if not (match.group("since") or match.group("of")):
            found = _time_of(match)
    return found


def _as_of(text: str, start: int) -> str | None:
    """The time a figure's own sentence pins it to (the rule the ``as_of`` field describes).

    The last time expression before the figure within its clause group pins it (a ； ends a time
    expression's reach: 截至2023年6月，…；自…以来，…); failing that, a lead-in that opens the sentence
    (2022年，… or 截至2023年6月，…) governs the whole sentence, except a clause group that opens its own
    time frame (自…以来).
    """
    sentence_start, _ = _sentence_bounds(text, start, start)
    group_start = _last_before(text, "；", start, sentence_start) + 1
    found = _last_time(text[group_start:start])
    if found is None and group_start > sentence_start and not _OWN_TIME_FRAME.search(text[group_start:start]):
        lead_in = _AS_OF.match(text, sentence_start)
        if lead_in and text.startswith("，", lead_in.end()) and not (lead_in.group("since") or lead_in.group("of")):
            found = _time_of(lead_in)
    return found


def _per(text: str, start: int, quantity: Quantity) -> tuple[str, ...]:
    if quantity.per or quantity.unit in (Unit.PERCENT, Unit.PERCENTAGE_POINT, Unit.TIMES, Unit.RANK):
        return quantity.per
    clause = text[_clause_start(text, start) : start]
    for word, per in _RATE_WORDS.items():
        if word in clause:
            return (per,)
    return ()


def _figure(text: str, candidate: _Candidate) -> Figure:
    start, end, quantity = candidate.start, candidate.end, candidate.quantity
    role, direction = _role(text, start, end, quantity, candidate.match)
    unit, classifier = quantity.unit, quantity.classifier
    if classifier == "位" and role is Role.CHANGE:
        unit, classifier = Unit.RANK, None  # 排名…提升了23位: places gained in a ranking
    if unit is Unit.TONNE and "总吨位" in text[_clause_start(text, start) : start]:
        unit = Unit.GROSS_TONNAGE  # 总吨位达890吨: a gross tonnage written with 吨
    sentence_start, sentence_end = _sentence_bounds(text, start, end)
    return Figure(
        span=text[start:end],
        start=start,
        end=end,
        sentence=text[sentence_start:sentence_end],
        value=quantity.value,
        value_max=quantity.value_max,
        unit=unit,
        classifier=classifier,
        per=_per(text, start, quantity),
        qualifier=quantity.qualifier,
        role=role,
        direction=direction,
        as_of=_as_of(text, start),
        baseline=baseline_of(text, start) if role is Role.CHANGE else None,
        since=since_of(text, start),
    )


def scan(text: str, paragraph_starts: tuple[int, ...] = (0,)) -> Scan:
    """Every figure in ``text``, every numeral excluded (with its rule), the Arabic numerals left, and the
    effects linking the figures (``paragraph_starts``: where the text's paragraphs start, when known)."""
    exclusions, blocked = _excluded(text)
    chosen, excluded, taken = _chosen(text, blocked)
    exclusions += excluded
    exclusions.sort(key=lambda e: e.start)
    explained = _Spans([*blocked, *taken])
    unexplained = [
        (start, end, token) for start, end, token in numeral_tokens(text) if not explained.covers(start, end)
    ]
    figures, effects = _linked(text, [_figure(text, c) for c in chosen], paragraph_starts)
    return Scan(
        figures=figures,
        effects=effects,
        exclusions=tuple(exclusions),
        unexplained=tuple(unexplained),
    )


def _excluded(text: str) -> tuple[list[Exclusion], _Spans]:
    """The numerals the exclusion patterns take, each rule in its order, and the spans they block."""
    exclusions: list[Exclusion] = []
    blocked = _Spans()
    for rule, pattern in _EXCLUSION_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or blocked.overlaps(start, end):
                continue
            exclusions.append(Exclusion(start, end, match.group(), rule))
            blocked.add(start, end)
    return exclusions, blocked


def _chosen(text: str, blocked: _Spans) -> tuple[list[_Candidate], list[Exclusion], _Spans]:
    """The figures among the candidates outside ``blocked``, in order, the candidates excluded by a rule, and the
    spans both take."""
    chosen: list[_Candidate] = []
    excluded: list[Exclusion] = []
    taken = _Spans()
    # Longest first, then leftmost: "600—800元/天/车" wins over "800元".
    found = sorted(_candidates(text, blocked), key=lambda c: (-(c.end - c.start), c.start))
    for item in found:
        if taken.overlaps(item.start, item.end):
            continue
        taken.add(item.start, item.end)
        if isinstance(item, Exclusion):
            excluded.append(item)
        else:
            chosen.append(item)
    chosen.sort(key=lambda c: c.start)
    return chosen, excluded, taken


def _linked(
    text: str, figures: list[Figure], paragraph_starts: tuple[int, ...]
) -> tuple[tuple[Figure, ...], tuple[Link, ...]]:
    """The figures with their final roles, and the effects linking them."""
    roles, effects = link(text, figures, paragraph_starts)
    final = []
    for figure, role in zip(figures, roles):
        if role is not figure.role:
            figure = figure.model_copy(update={"role": role, "direction": None, "baseline": None})
        final.append(figure)
    return tuple(final), effects


def extract_metrics(text: str) -> tuple[Figure, ...]:
    """The quantified figures of a Chinese text, in order; never raises on any string."""
    return scan(text).figures
