"""Helpers shared by the tests."""

from __future__ import annotations


def casebook(*lines: str) -> str:
    """A casebook in the extracted-PDF layout: every physical line followed by a blank line."""
    return "".join(f"{line}\n\n" for line in lines)
