"""The casebook layout: the parser and the reference tables of the zones and pilot areas it names."""

from ftz_reforms.casebook.parser import CasebookError, case_id, enumerated_points, parse_casebook

__all__ = ["CasebookError", "case_id", "enumerated_points", "parse_casebook"]
