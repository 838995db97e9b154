"""The build: ``sources/`` → parse → extract → merge the curated overlays → validate → generated files.

Build-time only: run-time code never imports this package. ``python -m ftz_reforms.build`` runs it
from a source checkout.
"""

from typing import Any

# The names `ftz_reforms.build` offered while it was one module; served on first use, so that importing
# one of the build's modules does not load the whole command.
_COMMAND_NAMES = ("BuildError", "build_dataset", "main", "render_outputs", "repository_root", "stale_files")


def __getattr__(name: str) -> Any:
    if name in _COMMAND_NAMES:
        from ftz_reforms.build import command

        return getattr(command, name)
    raise AttributeError(f"module 'ftz_reforms.build' has no attribute {name!r}")
