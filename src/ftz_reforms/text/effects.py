"""What a text says its reform changed: figure linked to figure, by written rules.

An *effect* is a statement that a reform changed a quantity: both ends (由97个工作日…到…7个工作日), one end
and a change (由法定60个工作日压缩达一半以上; 8820列、逆势增长44%), or a change alone (降低25%, 节约成本950元,
是2021年的2.5倍). The extractor gives each figure its first role from its own clause (``extract._role``);
:func:`link` then reads the figures of one text together and returns the effects with every figure's final
role (``ROLE_RULE``). The rules, in the order they apply (``_RULES``, a function each):

1. **分别 lists.** k changes after 分别 pair, in order, with the last k figures before it that are no change
   and no before, in the same clause group (the stretch between two ；or 。): 13.13小时…0.29小时，较2017年分别
   压缩95.09%和99.33% is two effects; the figures become ``after``.
2. **Pairs and chains.** A run of ``before`` figures followed by an ``after`` in the same clause group links
   each to the next: 97 → 26 → 7 working days is two effects.
3. **A change joins what it changes** when nothing but its verb stands between them: the figure before it
   (、逆势增长44%; ，压减率达90.3%; ，同比增长约300%; 由法定60个工作日压缩达一半以上), or a level reached right
   after it (同比增长40%，突破1.6万家). A level so joined becomes ``after``. Otherwise the change stands alone.
4. **A lone before** looks for its other end in the next sentence of its paragraph: an ``after``, or a level of
   a comparable unit an after mark introduces (改革前，…需5个工作日。改革后，现仅需1个工作日); else it stands alone
   (原需10多项…现可一键获取; 改革前…专设2名现场操作员。改革后，可节约场站人力资源).
5. **A lone after** (降至4%左右, 提升至全国第五) stands alone.

The direction is the change's; else the ends' order; else the verb that reaches the end (降至 → down); else the
first verb of change after a lone before, in its sentence or the next. The baseline is the change's
(:func:`baseline_of`); for an effect with an end, else the last one its clause group names up to its last
figure (由之前的…, 政策实施前后…, 按照以往…). What rules cannot settle, curation does.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from ftz_reforms.model.bounds import MAX_FIGURE
from ftz_reforms.model.vocab import Direction, Measure, Qualifier, Role, Unit
from ftz_reforms.text.chars import CLAUSE_BREAKS, SENTENCE_END, mark_positions

if TYPE_CHECKING:  # for annotations only: linking and relative changes never load pydantic
    from ftz_reforms.model.records import FigureFields

__all__ = [
    "AFTER_MARK",
    "BEFORE_MARK",
    "CHANGE_VERB",
    "DOWN_VERBS",
    "PERCENT_DECIMALS",
    "TO_VERB",
    "UP_VERBS",
    "Link",
    "LinkedFigure",
    "baseline_of",
    "clause_stretch",
    "guess_measure",
    "link",
    "linked_roles",
    "relative_change",
    "relative_change_qualifier",
    "since_of",
]

DOWN_VERBS = (
    "压缩", "降低", "减少", "节约", "节省", "下降", "缩减", "缩短", "精简", "压减", "减轻", "提前", "压降", "降幅",
)  # fmt: skip
UP_VERBS = ("提升", "提高", "增加", "增长", "上升", "增速", "增幅", "扩大", "跃升")
"""新增 is not among them: 新增…企业305家 counts what was added, a level, not a change of anything."""
CHANGE_VERB = re.compile("(" + "|".join(DOWN_VERBS + UP_VERBS) + ")(?:了|达|达到|约)?")
"""A verb of change and what may follow it before the size of the change (压缩了, 增长达)."""
TO_VERB = re.compile(
    r"(?P<verb>压缩|降低|减少|缩减|缩短|压减|下降|提升|提高|增加|增长|上升|扩大|跃升|降|压|升|缩)(?:至|到)[^，；。、]{0,4}$"
)
"""A verb of change that reaches a new level (降至, 压至, 提升至), ending the text before a figure: that figure is
where the change arrived, the ``after`` of an effect."""
_DOWN_CHARACTERS = frozenset("压降减缩节精省")
BEFORE_MARK = re.compile(r"改革前|改革之前|以往|原需|原先|原来[^，；。]{0,20}?需")
"""What marks a figure as the state before a reform (原需10多项; 原来…需20到30分钟; 按照以往…模式，…6000余艘次)."""
AFTER_MARK = re.compile(r"改革后|实施后|现在|(?<![实出表发体呈展再])现(?=[可每仅需只已])")
"""What marks the state after it, once a before mark has been read (…，现每月仅需报告约1800次)."""

_CLAUSE_GROUP_END = "；" + SENTENCE_END
_FIGURE_DIGIT = re.compile(r"[0-9](?![0-9]*年)")
"""A digit that is not part of a year: a clause holding one states a figure of its own."""
_ATTACHED_CHANGE = re.compile(
    r"[、，,]?(?:同比|环比|逆势|均|平均|较[0-9]{4}年|比改革前)?"
    r"(?:" + "|".join(DOWN_VERBS + UP_VERBS) + r")(?:了|达到|达|约)?"
    r"|[，,](?:压减率|降幅|减幅|增幅|增速|降低率|缩减率)(?:达到|达|为)?"
)
"""The text between a figure and a change of it when the change has no subject of its own (、逆势增长; ，压减率达)."""
_REACHED_LEVEL = re.compile(r"[，,](?:(?:19|20)[0-9]{2}年)?(?:已经|已)?(?:达到|达)?")
"""The text between a change and the level it reached when the level has no subject of its own (，2022年突破…)."""

_BASELINES: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"同比"), "same_period_last_year"),
    (re.compile(r"环比"), "previous_period"),
    (re.compile(r"(?:较|比|相比|相较于?|与|是|为)(?P<year>(?:19|20)[0-9]{2})年(?:同期)?"), None),
    (re.compile(r"改革[前后]|改革之前|传统模式|以往|原来|原需|原先|之前|实施[前后]"), "before_reform"),
)
"""How the text names what a change is compared with; None takes the year the pattern found."""
_SINCE = re.compile(
    r"(?P<year>(?:19|20)[0-9]{2})年(?:(?P<month>[0-9]{1,2})月)?(?:初|底|末|中旬|下旬|上旬)?[^，；。]{0,24}?以来"
)

_Key = TypeVar("_Key", bound=Hashable)

_MINUTES = {Unit.MINUTE: 1.0, Unit.HOUR: 60.0, Unit.DAY: 1440.0}
"""Units with an exact conversion; a working day is none of them (it is not 1,440 minutes)."""


class LinkedFigure(Protocol):
    """What the rules read of a figure: where it is, what it measures, the role its own clause gave it."""

    @property
    def value(self) -> float: ...
    @property
    def unit(self) -> Unit: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def role(self) -> Role: ...
    @property
    def direction(self) -> Direction | None: ...


@dataclass(frozen=True)
class Link:
    """An effect the rules found: positions into the figures given to :func:`link`."""

    before: int | None
    after: int | None
    change: int | None
    direction: Direction | None
    baseline: str | None

    @property
    def figures(self) -> tuple[int, ...]:
        """Positions of the figures the effect links, in text order."""
        return tuple(sorted(i for i in (self.before, self.after, self.change) if i is not None))


@dataclass
class _Draft:
    before: int | None = None
    after: int | None = None
    change: int | None = None

    @property
    def ends(self) -> tuple[int | None, int | None, int | None]:
        return self.before, self.after, self.change


REACH = 1000
"""How far the rules look around a figure for the end of its sentence or clause (the casebooks' longest
sentence is under 200 characters): a text that never ends a sentence is read in windows, so linking stays
linear in its length."""


def _bounds(text: str, position: int, marks: str) -> tuple[int, int]:
    """The stretch of ``text`` around ``position`` between two of ``marks`` (the marks excluded), at most
    ``REACH`` characters to either side."""
    floor = max(0, position - REACH)
    ceiling = min(len(text), position + REACH)
    positions = mark_positions(text, marks)
    index = bisect_left(positions, position)
    left = positions[index - 1] + 1 if index and positions[index - 1] >= floor else floor
    right = positions[index] if index < len(positions) and positions[index] < ceiling else ceiling
    return left, right


def clause_stretch(text: str, start: int, end: int) -> str:
    """The clauses of ``text`` that hold ``start``–``end``: from the clause of the first to the clause of the
    last (单件业务审核时限从20分钟缩减至5分钟，压缩75%以上), as the effect rules bound a clause."""
    left, _ = _bounds(text, start, CLAUSE_BREAKS)
    _, right = _bounds(text, end, CLAUSE_BREAKS)
    return text[left:right]


def baseline_of(text: str, start: int) -> str | None:
    """What a change at ``start`` is compared with: the last baseline named before it in its own clause
    (审批时限比改革前压减…, 较2017年分别压缩…), else in the clauses before it in its clause group that hold no
    figure of their own (…以来，相比传统模式，实际办结时间压缩78.5%)."""
    clause_start, _ = _bounds(text, start, CLAUSE_BREAKS)
    found = _last_baseline(text[clause_start:start])
    if found is None:
        group_start, _ = _bounds(text, start, _CLAUSE_GROUP_END)
        lead_in = re.split(f"[{CLAUSE_BREAKS}]", text[group_start:clause_start])
        found = _last_baseline("，".join(clause for clause in lead_in if not _FIGURE_DIGIT.search(clause)))
    return found


def _last_baseline(stretch: str) -> str | None:
    found: tuple[int, str] | None = None
    for pattern, name in _BASELINES:
        for match in pattern.finditer(stretch):
            value = name if name is not None else match.group("year")
            if found is None or match.start() >= found[0]:
                found = (match.start(), value)
    return found[1] if found else None


def since_of(text: str, start: int) -> str | None:
    """The start of a cumulative figure at ``start``: the last 自…以来 / …年以来 of its clause group before it."""
    group_start, _ = _bounds(text, start, _CLAUSE_GROUP_END)
    found = None
    for match in _SINCE.finditer(text, group_start, start):
        month = match.group("month")
        found = match.group("year") + (f"-{int(month):02d}" if month and 1 <= int(month) <= 12 else "")
    return found


def link(text: str, figures: Sequence[LinkedFigure], paragraph_starts: Sequence[int] = (0,)) -> tuple[
    tuple[Role, ...], tuple[Link, ...]
]:  # fmt: skip
    """The effects among ``figures`` (the figures of ``text``, in order) and every figure's final role.

    ``paragraph_starts`` (ascending offsets) keep the other end of a lone before inside its paragraph. The rules
    of ``_RULES`` run in their order, each on the figures no earlier rule linked; the roles then follow from the
    effects (:func:`linked_roles`), a figure no effect links keeping the role its own clause gave it."""
    state = _Linking(text, figures, paragraph_starts)
    for rule in _RULES:
        rule(state)
    taken = linked_roles(draft.ends for draft in state.drafts)
    roles = tuple(taken.get(position, figure.role) for position, figure in enumerate(figures))
    links = sorted((_finish(text, figures, draft) for draft in state.drafts), key=lambda found: found.figures[0])
    return roles, tuple(links)


def linked_roles(effects: Iterable[tuple[_Key | None, _Key | None, _Key | None]]) -> dict[_Key, Role]:
    """The role each figure linked by ``effects`` (before, after, change) takes from them: the second half of
    ``ROLE_RULE``, one rule for the effects :func:`link` finds and for the curated ones.

    An end is a before or an after and a change is a change; the middle of a chain (97 → 26 → 7 working days),
    the after of one step, is a before, since it is the before of the next."""
    roles: dict[_Key, Role] = {}
    for before, after, change in effects:
        if after is not None:
            roles.setdefault(after, Role.AFTER)
        if before is not None:
            roles[before] = Role.BEFORE
        if change is not None:
            roles[change] = Role.CHANGE
    return roles


@dataclass
class _Linking:
    """What the rules share: the text and its figures, and the effects found so far with the figures they link.

    A rule reads a figure's role as its own clause gave it (``figures[i].role``): only an effect turns a role (a
    level joined as an after), and a rule links no figure an earlier effect links, so that role is the one that
    counts for every figure a rule can still link."""

    text: str
    figures: Sequence[LinkedFigure]
    paragraph_starts: Sequence[int]
    drafts: list[_Draft] = field(default_factory=list)
    linked: dict[int, _Draft] = field(default_factory=dict)
    """Each linked figure's effect; the middle of a chain is in two, and this names the later one."""
    _starts: list[int] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [figure.start for figure in self.figures]

    def add(self, draft: _Draft) -> None:
        self.drafts.append(draft)
        for position in draft.ends:
            if position is not None:
                self.linked[position] = draft

    def unlinked(self, role: Role) -> Iterator[int]:
        """The figures of ``role`` that no effect links yet, in order, as the rule reaches them."""
        return (i for i, figure in enumerate(self.figures) if figure.role is role and i not in self.linked)

    def within(self, start: int, end: int) -> range:
        """The figures that start in ``start``–``end`` of the text."""
        return range(bisect_left(self._starts, start), bisect_left(self._starts, end))

    def group_of(self, position: int) -> tuple[int, int]:
        return _bounds(self.text, self.figures[position].start, _CLAUSE_GROUP_END)

    def sentence_of(self, position: int) -> tuple[int, int]:
        return _bounds(self.text, self.figures[position].start, SENTENCE_END)

    def paragraph_end(self, position: int) -> int:
        following = bisect_right(self.paragraph_starts, self.figures[position].start)
        return self.paragraph_starts[following] if following < len(self.paragraph_starts) else len(self.text)


def _respectively_lists(state: _Linking) -> None:
    """分别 lists: the k changes right after 分别 pair, in order, with the last k figures before it in its clause
    group that are neither a change nor a before, each pair an effect with that figure as its after (13.13小时…
    0.29小时，较2017年分别压缩95.09%和99.33%: two effects). A list with fewer such figures than changes, or one
    of them already linked, is left to the later rules."""
    for match in re.finditer("分别", state.text):
        pairs = _respective_pairs(state, match)
        if not any(position in state.linked for pair in pairs for position in pair):
            for end, change in pairs:
                state.add(_Draft(after=end, change=change))


def _respective_pairs(state: _Linking, match: re.Match[str]) -> list[tuple[int, int]]:
    """The (figure, change) pairs of the 分别 at ``match``; none when its figures are fewer than its changes."""
    inside = state.within(*_bounds(state.text, match.start(), _CLAUSE_GROUP_END))
    following = (i for i in inside if state.figures[i].start >= match.end())
    changes = list(itertools.takewhile(lambda i: state.figures[i].role is Role.CHANGE, following))
    ends = [
        i
        for i in inside
        if state.figures[i].end <= match.start() and state.figures[i].role not in (Role.CHANGE, Role.BEFORE)
    ]
    if not changes or len(ends) < len(changes):
        return []
    return list(zip(ends[len(ends) - len(changes) :], changes))


def _before_runs_and_chains(state: _Linking) -> None:
    """Pairs and chains: a run of befores followed by an after, all in one clause group, links each figure to
    the next (由“分头办”97个工作日、“协同办”26个工作日到“网上协同办”7个工作日 is 97 → 26 and 26 → 7; 由31个减少至3个
    is one pair). Any other figure, a linked one, or the end of the clause group breaks the run."""
    run: list[int] = []
    for i, figure in enumerate(state.figures):
        if i in state.linked or (run and state.group_of(run[0]) != state.group_of(i)):
            run = []
        if i in state.linked:
            continue
        if figure.role is Role.BEFORE:
            run.append(i)
            continue
        if figure.role is Role.AFTER and run:
            for before, after in itertools.pairwise([*run, i]):
                state.add(_Draft(before=before, after=after))
        run = []


def _change_joins_its_figure(state: _Linking) -> None:
    """A change joins what it changes when nothing but its verb stands between them: the figure before it in
    its sentence (8820列、逆势增长44%; 海外归来铁路箱6000标箱，同比增长约300%; 由法定60个工作日压缩达一半以上), or
    the level reached right after it (同比增长40%，突破1.6万家), which becomes its after. Otherwise the change
    stands alone (节约成本950元)."""
    for i in state.unlinked(Role.CHANGE):
        if not (_join_previous(state, i) or _join_following(state, i)):
            state.add(_Draft(change=i))


def _join_previous(state: _Linking, change: int) -> bool:
    """Join ``change`` to the figure before it: as the change of that figure's effect when it has none, or with
    that figure as its before (a before) or its after (a level, an after or a rank)."""
    previous = change - 1
    figures = state.figures
    if previous < 0 or figures[previous].start < state.sentence_of(change)[0]:
        return False
    if not _ATTACHED_CHANGE.fullmatch(state.text[figures[previous].end : figures[change].start]):
        return False
    draft = state.linked.get(previous)
    if draft is not None:
        if draft.change is not None:
            return False
        draft.change = change
        state.linked[change] = draft
        return True
    if figures[previous].role is Role.CHANGE:
        return False
    if figures[previous].role is Role.BEFORE:
        state.add(_Draft(before=previous, change=change))
    else:
        state.add(_Draft(after=previous, change=change))
    return True


def _join_following(state: _Linking, change: int) -> bool:
    """Join ``change`` to the level right after it in its sentence, the level it reached (，突破1.6万家)."""
    following = change + 1
    figures = state.figures
    if following >= len(figures) or following in state.linked:
        return False
    if figures[following].end > state.sentence_of(change)[1] or figures[following].role is not Role.LEVEL:
        return False
    if not _REACHED_LEVEL.fullmatch(state.text[figures[change].end : figures[following].start]):
        return False
    state.add(_Draft(after=following, change=change))
    return True


def _lone_before_finds_its_other_end(state: _Linking) -> None:
    """A lone before looks for its other end in the next sentence of its paragraph: the first after there, or
    level an after mark introduces, of a comparable unit (改革前，办理需要5个工作日。改革后，现仅需1个工作日, a
    sentence of the tests: the casebook has no such pair). Without one it stands alone (原需准备的…等10多项文书
    材料，现可一键自动获取; 改革前…专设2名现场操作员…。改革后，可节约场站人力资源)."""
    for i in state.unlinked(Role.BEFORE):
        state.add(_Draft(before=i, after=_other_end(state, i)))


def _other_end(state: _Linking, before: int) -> int | None:
    _, sentence_end = state.sentence_of(before)
    start, end = _bounds(state.text, min(sentence_end + 1, len(state.text)), SENTENCE_END)
    candidates = state.within(start, min(end, state.paragraph_end(before)))
    return next((j for j in candidates if j > before and _is_other_end(state, before, j, start)), None)


def _is_other_end(state: _Linking, before: int, candidate: int, sentence_start: int) -> bool:
    """Whether ``candidate``, in the sentence from ``sentence_start``, is the other end of the lone ``before``."""
    figure = state.figures[candidate]
    if candidate in state.linked or not _comparable(state.figures[before].unit, figure.unit):
        return False
    marked = figure.role is Role.LEVEL and AFTER_MARK.search(state.text, sentence_start, figure.start) is not None
    return figure.role is Role.AFTER or marked


def _lone_afters(state: _Linking) -> None:
    """A lone after, one end reached by a verb with no size of change (降至4%左右, 提升至全国第五), stands alone."""
    for i in state.unlinked(Role.AFTER):
        state.add(_Draft(after=i))


_RULES: tuple[Callable[[_Linking], None], ...] = (
    _respectively_lists,
    _before_runs_and_chains,
    _change_joins_its_figure,
    _lone_before_finds_its_other_end,
    _lone_afters,
)
"""The rules of :func:`link`, in the order they apply: each links only figures no earlier rule linked."""


def _comparable(first: Unit, second: Unit) -> bool:
    return (
        first is second
        or (first in _MINUTES and second in _MINUTES)
        or {first, second} <= {Unit.WORKING_DAY, *_MINUTES}
    )


def _finish(text: str, figures: Sequence[LinkedFigure], draft: _Draft) -> Link:
    positions = [i for i in (draft.before, draft.after, draft.change) if i is not None]
    first, last = min(positions), max(positions)
    baseline = baseline_of(text, figures[draft.change].start) if draft.change is not None else None
    if baseline is None and (draft.before is not None or draft.after is not None):
        group_start, _ = _bounds(text, figures[first].start, _CLAUSE_GROUP_END)
        baseline = _last_baseline(text[group_start : figures[last].end])
    return Link(draft.before, draft.after, draft.change, _direction(text, figures, draft), baseline)


def _direction(text: str, figures: Sequence[LinkedFigure], draft: _Draft) -> Direction | None:
    """The change's direction; else the order of the ends; else the verb that reaches the after (降至 → down);
    else, for a lone before, the first verb of change after it in its sentence or the next."""
    return (
        (figures[draft.change].direction if draft.change is not None else None)
        or _direction_of_ends(figures, draft)
        or _direction_reached(text, figures, draft)
        or _direction_after_lone_before(text, figures, draft)
    )


def _direction_of_ends(figures: Sequence[LinkedFigure], draft: _Draft) -> Direction | None:
    if draft.before is None or draft.after is None:
        return None
    ratio = _rough_ratio(figures[draft.before], figures[draft.after])
    if ratio is None:
        return None
    return Direction.DOWN if ratio < 1 else Direction.UP


def _direction_reached(text: str, figures: Sequence[LinkedFigure], draft: _Draft) -> Direction | None:
    if draft.after is None:
        return None
    start = figures[draft.after].start
    reached = TO_VERB.search(text, max(0, start - 12), start)  # the verb, 至, and at most 4 characters
    if reached is None or reached.end() != start:
        return None
    return Direction.DOWN if reached.group("verb")[0] in _DOWN_CHARACTERS else Direction.UP


def _direction_after_lone_before(text: str, figures: Sequence[LinkedFigure], draft: _Draft) -> Direction | None:
    if draft.before is None or draft.after is not None:
        return None
    _, sentence_end = _bounds(text, figures[draft.before].end, SENTENCE_END)
    _, next_end = _bounds(text, min(sentence_end + 1, len(text)), SENTENCE_END)
    verb = CHANGE_VERB.search(text, figures[draft.before].end, next_end)
    if verb is None:
        return None
    return Direction.DOWN if verb.group(1) in DOWN_VERBS else Direction.UP


_ROUGH_MINUTES = {**_MINUTES, Unit.WORKING_DAY: 480.0}
"""For the direction only: a working day is somewhere between 8 and 24 hours, so only a clear order counts."""


def _rough_ratio(before: LinkedFigure, after: LinkedFigure) -> float | None:
    """after / before, when their units allow; None when the order is unclear."""
    low, high = before.value, after.value
    if not low:
        return None
    if before.unit is after.unit:
        return high / low if high != low else None
    if before.unit in _ROUGH_MINUTES and after.unit in _ROUGH_MINUTES:
        ratio = high * _ROUGH_MINUTES[after.unit] / (low * _ROUGH_MINUTES[before.unit])
        return ratio if not 1 / 3 <= ratio <= 3 else None
    return None


def _in_minutes(figure: FigureFields) -> float | None:
    factor = _MINUTES.get(figure.unit)
    return None if factor is None else figure.value * factor


def _computed(before: FigureFields, after: FigureFields) -> float | None:
    if before.unit is after.unit:
        low, high = before.value, after.value
    else:
        start, end = _in_minutes(before), _in_minutes(after)
        if start is None or end is None:
            return None
        low, high = start, end
    if low == 0:
        return None
    return (high - low) / low * 100


def _stated(change: FigureFields, direction: Direction | None) -> float | None:
    sign = -1.0 if direction is Direction.DOWN else 1.0
    if change.unit is Unit.PERCENT:
        return sign * change.value
    if change.unit is Unit.TIMES:
        # 是2021年的2.5倍 and 翻了一番 (2) name a multiple of the base; 增长2.5倍 names the growth itself.
        grown = re.search(f"(?:增长|增加|提高)了?{re.escape(change.span)}", change.sentence) is not None
        return (change.value if grown else change.value - 1) * 100
    return None


def _within_bounds(percent: float | None) -> float | None:
    return percent if percent is not None and abs(percent) <= MAX_FIGURE else None


def _rounding(change: FigureFields) -> float:
    """Half a unit of the last digit the stated change prints (70% → 0.5, 90.3% → 0.05)."""
    digits = re.findall(r"[0-9]+(?:\.([0-9]+))?", change.span)
    decimals = len(digits[0]) if digits and digits[0] else 0
    return 0.5 * 0.1**decimals


def relative_change(
    before: FigureFields | None, after: FigureFields | None, change: FigureFields | None, direction: Direction | None
) -> tuple[float | None, bool | None]:
    """The effect's relative change in percent, signed, and whether the stated and computed changes agree.

    A change beyond what the data contract holds (``model.bounds.MAX_FIGURE``: 1 → 10^15 is 10^17 percent) is
    not stated: None.
    """
    computed = _within_bounds(_computed(before, after) if before is not None and after is not None else None)
    stated = _within_bounds(_stated(change, direction) if change is not None else None)
    if computed is None:
        return (round(stated, PERCENT_DECIMALS) if stated is not None else None), None
    if stated is None:
        return round(computed, PERCENT_DECIMALS), None
    return round(computed, PERCENT_DECIMALS), _agrees(computed, stated, change)


def _agrees(computed: float, stated: float, change: FigureFields | None) -> bool:
    """Whether the computed change is the stated one, as its qualifier bounds it, to the digit it is printed to."""
    # Half a unit of the printed digit, and a hair more: 7643.8% printed for 7643.75% is a gap of 0.0500000000004.
    tolerance = (_rounding(change) if change is not None else 0.0) + 1e-9 * max(1.0, abs(stated))
    gap = abs(computed) - abs(stated)
    qualifier = change.qualifier if change is not None else Qualifier.EXACT
    # A change stated as 0% has no sign to disagree with (-0.5% printed to the unit reads 0%).
    if stated != 0 and (computed < 0) != (stated < 0):
        return False
    if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return gap >= -tolerance
    if qualifier in (Qualifier.NEARLY, Qualifier.LESS_THAN, Qualifier.AT_MOST):
        return gap <= tolerance
    return abs(gap) <= tolerance


PERCENT_DECIMALS = 2
"""Decimals of every relative change: the casebook's own precision (压缩95.09%), one rounding for all."""

_LOWER_BOUNDS = (Qualifier.AT_LEAST, Qualifier.MORE_THAN)
_UPPER_BOUNDS = (Qualifier.AT_MOST, Qualifier.LESS_THAN)
_REVERSED = {
    Qualifier.AT_LEAST: Qualifier.AT_MOST,
    Qualifier.MORE_THAN: Qualifier.LESS_THAN,
    Qualifier.AT_MOST: Qualifier.AT_LEAST,
    Qualifier.LESS_THAN: Qualifier.MORE_THAN,
}


def relative_change_qualifier(
    before: FigureFields | None, after: FigureFields | None, change: FigureFields | None, relative: float | None
) -> Qualifier | None:
    """How exact the size of a relative change is, its absolute value as a reader says it ('cut by at least
    half'; ``Effect.relative_change_qualifier``). From a stated change: the change's own qualifier (压缩2/3以上:
    at least). From the two ends: exact when both are; a bound when one end is (2万余件 → 7万件: the rise is
    less than 250%, since the start was more than 20,000; 6000余 → 1800: the cut is more than 70%); approx
    when an end is approximate or the ends bound it both ways. None when there is no relative change."""
    if relative is None:
        return None
    if before is None or after is None or _computed(before, after) is None:
        return change.qualifier if change is not None else None
    signed = _signed_bound(before, after)
    return _REVERSED.get(signed, signed) if relative < 0 else signed


def _signed_bound(before: FigureFields, after: FigureFields) -> Qualifier:
    """How the ends bound the signed change after/before − 1: it grows with the after and falls with the before."""
    bounds = _bounds_of_ends(before, after)
    return Qualifier.APPROX if bounds is None else _joined_bound(bounds)


def _bounds_of_ends(before: FigureFields, after: FigureFields) -> set[Qualifier] | None:
    """The bound each bounded end puts on the signed change (a before's turned); None when an end is approximate."""
    bounds = set()
    for end, turned in ((before, True), (after, False)):
        if end.qualifier in _LOWER_BOUNDS or end.qualifier in _UPPER_BOUNDS:
            bounds.add(_REVERSED[end.qualifier] if turned else end.qualifier)
        elif end.qualifier is not Qualifier.EXACT:
            return None
    return bounds


def _joined_bound(bounds: set[Qualifier]) -> Qualifier:
    """One bound from the ends' bounds: the stricter of two the same way, approx for two opposite ways."""
    if not bounds:
        return Qualifier.EXACT
    if len(bounds) == 1:
        return next(iter(bounds))
    if bounds <= set(_LOWER_BOUNDS):
        return Qualifier.MORE_THAN if Qualifier.MORE_THAN in bounds else Qualifier.AT_LEAST
    if bounds <= set(_UPPER_BOUNDS):
        return Qualifier.LESS_THAN if Qualifier.LESS_THAN in bounds else Qualifier.AT_MOST
    return Qualifier.APPROX


_MEASURE_WORDS: tuple[tuple[str, Measure], ...] = (
    ("字段", Measure.FORM_FIELDS),
    ("材料|单证|文书|证书|报告|单证量", Measure.DOCUMENTS_OR_MATERIALS),
    ("环节|流程|手续|程序", Measure.STEPS_OR_PROCEDURES),
    ("跑动|跑腿|办理次数|次数|趟", Measure.VISITS_OR_TRIPS),
    ("税款|税额|税费|收费|规费", Measure.FEES_OR_TAXES),
    ("成本|费用|运费", Measure.COST),
    ("等待|滞留|在途|开工时间|入区", Measure.WAITING_OR_TRANSIT_TIME),
    ("时间|时限|时长|用时|通关", Measure.PROCESSING_TIME),
    ("企业数|企业|经营主体|用户", Measure.ENTERPRISES_OR_USERS),
    ("业务量|作业量|处理能力|吞吐量|办理量|标箱|班列|开行|排名", Measure.VOLUME_OR_THROUGHPUT),
    ("交易额|产值|效益|金额|资金", Measure.MONEY_AMOUNT),
)
"""Words that name what an effect measures, each with its measure."""

_TIME_UNITS = (Unit.DAY, Unit.WORKING_DAY, Unit.HOUR, Unit.MINUTE, Unit.MONTH)


def guess_measure(text: str, start: int, end: int, unit: Unit) -> Measure:
    """What an effect whose figures run from ``start`` to ``end`` of ``text`` measures, as its words say: the
    measure word nearest before its first figure in its clause group (审核时限从20分钟…; 企业…运营成本同比下降),
    else its figures' time or money unit, else ``other``. An uncurated guess, for imported casebooks."""
    group_start, _ = _bounds(text, start, _CLAUSE_GROUP_END)
    stretch = text[group_start:start]
    nearest: tuple[int, Measure] | None = None
    for words, measure in _MEASURE_WORDS:
        for match in re.finditer(words, stretch):
            if nearest is None or match.end() > nearest[0]:
                nearest = (match.end(), measure)
    if nearest is not None:
        return nearest[1]
    if unit in _TIME_UNITS:
        return Measure.PROCESSING_TIME
    if unit in (Unit.CNY, Unit.USD):
        return Measure.MONEY_AMOUNT
    return Measure.OTHER
