"""Controlled vocabularies of the data contract (DESIGN.md §3).

Each vocabulary is a ``str`` enum, so a value serializes as its plain string in JSON and the JSON
Schema lists the allowed values.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import NamedTuple, TypeVar

from ftz_reforms.errors import FilterError

__all__ = [
    "BASELINES",
    "CATEGORY_DEFINITIONS",
    "MEASURE_DEFINITIONS",
    "PREFIX_QUALIFIERS",
    "ROLE_RULE",
    "SUFFIX_QUALIFIERS",
    "UNITS",
    "AreaKind",
    "Category",
    "Direction",
    "Measure",
    "Qualifier",
    "Role",
    "Unit",
    "UnitForm",
    "Verification",
    "Where",
    "resolve",
]


class Unit(str, Enum):
    """Unit of a metric's value."""

    CNY = "CNY"
    USD = "USD"
    PERCENT = "percent"
    PERCENTAGE_POINT = "percentage_point"
    DAY = "day"
    WORKING_DAY = "working_day"
    HOUR = "hour"
    MINUTE = "minute"
    MONTH = "month"
    YEAR = "year"
    TONNE = "tonne"
    TEU = "TEU"
    GROSS_TONNAGE = "gross_tonnage"
    CUBIC_METRE = "cubic_metre"
    SQUARE_METRE = "square_metre"
    TIMES = "times"
    RANK = "rank"
    COUNT = "count"


class UnitForm(NamedTuple):
    """One written form of a unit: the text, the unit, and the factor it carries (万元 → 1e4)."""

    text: str
    unit: Unit
    factor: float = 1.0


def _forms(unit: Unit, *spec: tuple[str, float] | str) -> list[UnitForm]:
    return [UnitForm(s, unit) if isinstance(s, str) else UnitForm(s[0], unit, s[1]) for s in spec]


# The Chinese forms of each unit, once. A magnitude written into the unit (万元) is its factor.
UNITS: tuple[UnitForm, ...] = tuple(
    _forms(Unit.CNY, "元", ("千元", 1e3), ("万元", 1e4), ("亿元", 1e8), ("万亿元", 1e12))
    + _forms(Unit.USD, "美元", ("万美元", 1e4), ("亿美元", 1e8))
    + _forms(Unit.PERCENT, "%", "％")
    + _forms(Unit.PERCENTAGE_POINT, "个百分点")
    + _forms(Unit.WORKING_DAY, "个工作日", "工作日")
    + _forms(Unit.DAY, "天", "日")
    + _forms(Unit.HOUR, "个小时", "小时")
    + _forms(Unit.MINUTE, "分钟")
    + _forms(Unit.MONTH, "个月")
    + _forms(Unit.YEAR, "年")
    + _forms(Unit.GROSS_TONNAGE, "总吨")
    + _forms(Unit.TONNE, "吨", ("万吨", 1e4))
    + _forms(Unit.TEU, "标箱", "标准箱", ("万标箱", 1e4), "TEU")
    + _forms(Unit.CUBIC_METRE, "立方米")
    + _forms(Unit.SQUARE_METRE, "平方米", ("万平方米", 1e4), ("平方公里", 1e6))
    + _forms(Unit.TIMES, "倍")
)


class Qualifier(str, Enum):
    """How the text qualifies a figure."""

    EXACT = "exact"
    APPROX = "approx"
    NEARLY = "nearly"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    RANGE = "range"


# How the Chinese text writes each qualifier: before the number (约5000万元) or after it (30天以上).
PREFIX_QUALIFIERS: dict[str, Qualifier] = {
    "大约": Qualifier.APPROX,
    "约": Qualifier.APPROX,
    "将近": Qualifier.NEARLY,
    "接近": Qualifier.NEARLY,
    "近": Qualifier.NEARLY,
    "超过": Qualifier.MORE_THAN,
    "逾": Qualifier.MORE_THAN,
    "超": Qualifier.MORE_THAN,
    "突破": Qualifier.MORE_THAN,
    "不少于": Qualifier.AT_LEAST,
    "至少": Qualifier.AT_LEAST,
    "不超过": Qualifier.AT_MOST,
    "不到": Qualifier.LESS_THAN,
    "不足": Qualifier.LESS_THAN,
    "最高": Qualifier.AT_MOST,
    "最长": Qualifier.AT_MOST,
    "最快": Qualifier.AT_MOST,
    "最多": Qualifier.AT_MOST,
}
SUFFIX_QUALIFIERS: dict[str, Qualifier] = {
    "以上": Qualifier.AT_LEAST,
    "左右": Qualifier.APPROX,
    "以内": Qualifier.AT_MOST,
    "以下": Qualifier.AT_MOST,
    "内": Qualifier.AT_MOST,
}


class Role(str, Enum):
    """What a figure is within its sentence (the one rule that decides it is in ``ROLE_RULE``)."""

    LEVEL = "level"
    CHANGE = "change"
    BEFORE = "before"
    AFTER = "after"
    RANK = "rank"


ROLE_RULE: dict[Role, str] = {
    Role.BEFORE: "an end of an effect: the quantity before the change (由97个工作日…, 原需10多项, 改革前…2名); "
    "the middle of a chain (97→26→7) is the before of its second step",
    Role.AFTER: "an end of an effect: the quantity the change reached (…至7个工作日, 降至4%左右, 提升至全国第五), "
    "or a level stated with its change (8820列、逆势增长44%; 305家…分别是2021年的2.5倍)",
    Role.CHANGE: "the size of a change: an amount or percent (压缩95.09%, 节约成本950元, 减少22人), or a multiple "
    "of a base (是2021年的2.5倍, 翻了一番)",
    Role.RANK: "a place in a ranking that is no end of an effect (位列…第9位 when no change of it is stated)",
    Role.LEVEL: "every other figure: a stock, total, share, count or period, a target or a plan",
}
"""What each role means: one rule for every figure, applied by the extractor and kept by the curation."""


class Direction(str, Enum):
    """Sign of a change: a saving or reduction is ``down``."""

    UP = "up"
    DOWN = "down"


class Measure(str, Enum):
    """What quantity an effect changed (see ``MEASURE_DEFINITIONS``)."""

    PROCESSING_TIME = "processing_time"
    WAITING_OR_TRANSIT_TIME = "waiting_or_transit_time"
    COST = "cost"
    FEES_OR_TAXES = "fees_or_taxes"
    DOCUMENTS_OR_MATERIALS = "documents_or_materials"
    STEPS_OR_PROCEDURES = "steps_or_procedures"
    VISITS_OR_TRIPS = "visits_or_trips"
    FORM_FIELDS = "form_fields"
    VOLUME_OR_THROUGHPUT = "volume_or_throughput"
    ENTERPRISES_OR_USERS = "enterprises_or_users"
    MONEY_AMOUNT = "money_amount"
    OTHER = "other"


# One line each: what an effect must have changed to carry the measure.
MEASURE_DEFINITIONS: dict[Measure, str] = {
    Measure.PROCESSING_TIME: "Time an authority, procedure or service takes to handle a matter: approval, review, "
    "clearance, certification, completion time limits.",
    Measure.WAITING_OR_TRANSIT_TIME: "Time goods, vehicles, ships or firms spend waiting or on the move, or until "
    "they can start: dwell at a gate, transit, time to start construction.",
    Measure.COST: "Costs borne by firms or people: logistics, transport, operating, financing or compliance costs.",
    Measure.FEES_OR_TAXES: "Fees, charges, duties and taxes paid to an authority or service.",
    Measure.DOCUMENTS_OR_MATERIALS: "Documents, certificates, materials or reports a firm must submit or prepare.",
    Measure.STEPS_OR_PROCEDURES: "Steps, procedures, approval links or hand-offs a matter passes through.",
    Measure.VISITS_OR_TRIPS: "Visits to an office, trips, or times an applicant must go somewhere or act.",
    Measure.FORM_FIELDS: "Fields a form requires the applicant to fill in.",
    Measure.VOLUME_OR_THROUGHPUT: "Volumes handled: parcels, containers, trains, ship operations, business volume, "
    "or a port's place in a ranking by volume.",
    Measure.ENTERPRISES_OR_USERS: "How many enterprises, users or people a measure counts: firms registered, "
    "accredited or served.",
    Measure.MONEY_AMOUNT: "An amount of money that is neither a cost nor a fee: output value, turnover, "
    "economic benefit.",
    Measure.OTHER: "Anything else a reform changed: staffing, efficiency, completion rates, loading time.",
}

BASELINES: dict[str, str] = {
    "same_period_last_year": "同比: the same period of the year before",
    "previous_period": "环比: the period just before",
    "before_reform": "改革前, 原来, 以往, 相比传统模式, 实施前; or a change stated 改革后/实施后: the situation "
    "before the reform",
}
"""The named baselines of a change; a year (2017) or month (2017-06) is the other kind."""


class Where(str, Enum):
    """Part of a case a metric was found in."""

    INTRO = "intro"
    PRACTICE = "practice"
    OUTCOME = "outcome"


class AreaKind(str, Enum):
    """What kind of place a pilot area is."""

    PLAN_AREA = "plan_area"
    """A 片区 of a State Council overall plan."""
    CUSTOMS_SPECIAL_SUPERVISION_AREA = "customs_special_supervision_area"
    """One of the bonded areas that made up the Shanghai zone of 2013."""
    SPECIAL_AREA = "special_area"
    """An area with an overall plan of its own (临港新片区)."""
    UMBRELLA_AREA = "umbrella_area"
    """An area that groups earlier plan areas (舟山片区, since 2020)."""
    ADMINISTRATIVE_AREA = "administrative_area"
    """A management grouping named like a 片区 that is not an area of the plan (世博片区, 成都片区)."""
    WHOLE_ISLAND = "whole_island"
    """A zone with no 片区: the whole of Hainan Island."""


class Verification(str, Enum):
    """How far the facts of a reference row are confirmed by the sources it cites."""

    VERIFIED = "verified"
    PARTLY_VERIFIED = "partly_verified"
    UNVERIFIED = "unverified"


class Category(str, Enum):
    """Policy domain of a case; a case carries one or more (see ``CATEGORY_DEFINITIONS``)."""

    CUSTOMS_TRADE = "customs_trade"
    SHIPPING_LOGISTICS = "shipping_logistics"
    GOVERNMENT_SERVICES = "government_services"
    CREDIT_SUPERVISION = "credit_supervision"
    TAX = "tax"
    FINANCE = "finance"
    INNOVATION_INDUSTRY = "innovation_industry"
    LAND_ENVIRONMENT = "land_environment"
    TALENT_QUALIFICATIONS = "talent_qualifications"
    REGIONAL_COOPERATION = "regional_cooperation"


# One line each: what a case must be mainly about to carry the category.
CATEGORY_DEFINITIONS: dict[Category, str] = {
    Category.CUSTOMS_TRADE: (
        "Customs and trade facilitation: clearance, inspection, bonded zones, cross-border e-commerce, "
        "import and export procedures."
    ),
    Category.SHIPPING_LOGISTICS: (
        "Shipping, ports and logistics: vessels, maritime administration, containers, freight and multimodal transport."
    ),
    Category.GOVERNMENT_SERVICES: (
        "Government services and approvals: registration, licensing, permits and how public services are delivered."
    ),
    Category.CREDIT_SUPERVISION: (
        "Credit and supervision: credit records, trustworthiness, risk-based and in-process supervision of firms."
    ),
    Category.TAX: "Tax: tax administration, invoicing, duty assessment and tax services.",
    Category.FINANCE: (
        "Finance and foreign exchange: banking, factoring, insurance, financing of firms, cross-border payments."
    ),
    Category.INNOVATION_INDUSTRY: (
        "Innovation and industry: technology transfer, open innovation, new industries and industrial upgrading."
    ),
    Category.LAND_ENVIRONMENT: (
        "Land and environment: land supply and use, environmental assessment and pollution permits, ecology."
    ),
    Category.TALENT_QUALIFICATIONS: (
        "Talent and qualifications: recognition of professional qualifications, employment and services for talent."
    ),
    Category.REGIONAL_COOPERATION: (
        "Regional cooperation: services or rules shared across provinces, or with Hong Kong, Macao or Taiwan."
    ),
}


def category_label(category: Category) -> str:
    """A category as a reader reads it: the name its definition opens with (customs_trade → Customs and trade
    facilitation)."""
    return CATEGORY_DEFINITIONS[category].split(":")[0]


def measure_label(measure: Measure) -> str:
    """A measure as a reader reads it: processing_time → processing time."""
    return measure.value.replace("_", " ")


Vocabulary = TypeVar("Vocabulary", Unit, Qualifier, Role, Direction, Where, Category, AreaKind, Verification, Measure)


def _key(text: str) -> str:
    return text.strip().casefold().replace("-", "_").replace(" ", "_")


def _aliases() -> dict[type[Enum], dict[str, Enum]]:
    """Every name a vocabulary value goes by, keyed as ``_key`` reads it: value, member name, Chinese forms."""
    table: dict[type[Enum], dict[str, Enum]] = {}
    chinese: dict[type[Enum], Iterable[tuple[str, Enum]]] = {
        Unit: ((form.text, form.unit) for form in UNITS),
        Qualifier: (*PREFIX_QUALIFIERS.items(), *SUFFIX_QUALIFIERS.items()),
    }
    for vocabulary in (Unit, Qualifier, Role, Direction, Where, Category, AreaKind, Verification, Measure):
        names: dict[str, Enum] = {}
        for text, member in chinese.get(vocabulary, ()):
            names.setdefault(_key(text), member)
        for member in vocabulary:
            names[_key(member.name)] = member
            names[_key(member.value)] = member
        table[vocabulary] = names
    return table


_ALIASES: dict[type[Enum], dict[str, Enum]] | None = None


def resolve(vocabulary: type[Vocabulary], value: Vocabulary | str, what: str) -> Vocabulary:
    """The member of ``vocabulary`` that ``value`` names; the one reader of every vocabulary value.

    Accepted, ignoring case and treating ``-`` and spaces as ``_``: the member itself, its value
    (``cny``, ``working-day``), its name (``WORKING_DAY``) and its Chinese forms (``万元``, ``个工作日``,
    ``约``). Anything else raises :class:`FilterError` naming ``what`` and the accepted values.
    """
    global _ALIASES
    if isinstance(value, vocabulary):
        return value
    if _ALIASES is None:
        _ALIASES = _aliases()
    found = _ALIASES[vocabulary].get(_key(value)) if isinstance(value, str) else None
    if found is None:
        raise FilterError.unknown(what, value, [member.value for member in vocabulary])
    member: Vocabulary = found  # type: ignore[assignment]  # the table maps each vocabulary to its own members
    return member
