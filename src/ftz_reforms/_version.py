"""Versions, kept in one place: the package's, the data contract's and the data's."""

__version__ = "0.11.0"
"""Version of the distribution (PEP 440); hatchling reads it from here."""

SCHEMA_VERSION = "2.5.0"
"""Version of the data contract: bumped when a model or field changes."""

DATA_VERSION = "0.8.0"
"""Version of the bundled data: bumped whenever the built dataset changes."""
