"""The ``ftz-reforms`` command line (also ``python -m ftz_reforms``): a thin shell over the library."""

from ftz_reforms.cli.app import main

__all__ = ["main"]
