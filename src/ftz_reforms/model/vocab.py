"""Controlled vocabularies of the data contract (DESIGN.md §3).

Each vocabulary is a ``str`` enum, so a value serializes as its plain string in JSON and the JSON
Schema lists the allowed values.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["CATEGORY_DEFINITIONS", "Category", "Direction", "Qualifier", "Role", "Unit", "Where"]


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


class Qualifier(str, Enum):
    """How the text qualifies a figure."""

    EXACT = "exact"
    APPROX = "approx"
    NEARLY = "nearly"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    RANGE = "range"


class Role(str, Enum):
    """What a figure is within its sentence."""

    LEVEL = "level"
    CHANGE = "change"
    BEFORE = "before"
    AFTER = "after"
    RANK = "rank"


class Direction(str, Enum):
    """Sign of a change: a saving or reduction is ``down``."""

    UP = "up"
    DOWN = "down"


class Where(str, Enum):
    """Part of a case a metric was found in."""

    INTRO = "intro"
    PRACTICE = "practice"
    OUTCOME = "outcome"


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
