"""Modules that moved in 0.6.0, still importable under their old names until 0.8.0.

``import ftz_reforms.models`` keeps working: it gives the module under its new name
(``ftz_reforms.model.records``), the same module object, with a ``DeprecationWarning`` naming the new
place. One finder at the end of ``sys.meta_path`` serves every old name, so the tree holds no
re-export files; it is consulted only for names no other finder has.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType

__all__ = ["MOVED", "install"]

REMOVED_IN = "0.8.0"

MOVED: dict[str, str] = {
    "ftz_reforms.vocab": "ftz_reforms.model.vocab",
    "ftz_reforms.models": "ftz_reforms.model.records",
    "ftz_reforms.schema": "ftz_reforms.model.schema",
    "ftz_reforms.normalize": "ftz_reforms.text.normalize",
    "ftz_reforms.numerals": "ftz_reforms.text.numerals",
    "ftz_reforms.extract": "ftz_reforms.text.extract",
    "ftz_reforms.reference": "ftz_reforms.casebook.reference",
    "ftz_reforms.terms": "ftz_reforms.retrieval.terms",
    "ftz_reforms.search_engine": "ftz_reforms.retrieval.engine",
    "ftz_reforms.search_index": "ftz_reforms.retrieval.indexer",
    "ftz_reforms.keywords": "ftz_reforms.retrieval.keywords",
    "ftz_reforms.export": "ftz_reforms.tables.formats",
    "ftz_reforms.datapackage": "ftz_reforms.tables.datapackage",
    "ftz_reforms.render": "ftz_reforms.cli.render",
    "ftz_reforms.overlays": "ftz_reforms.build.overlays",
    "ftz_reforms.curation": "ftz_reforms.build.curation",
    "ftz_reforms.editorial": "ftz_reforms.build.editorial",
    "ftz_reforms.glossary": "ftz_reforms.build.glossary",
}
"""Old module name → the module that now holds its code."""


class _MovedModules:
    """A meta-path finder and loader that answers an old module name with the module at its new name."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if fullname not in MOVED:
            return None
        from importlib.machinery import ModuleSpec  # only for an old name: `import ftz_reforms` stays cheap

        # A loader by protocol (create_module, exec_module); importlib.abc would cost an import.
        return ModuleSpec(fullname, self)  # type: ignore[arg-type]

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        import importlib
        import warnings

        new_name = MOVED[spec.name]
        warnings.warn(
            f"{spec.name} moved to {new_name}; the old name will be removed in ftz-reforms {REMOVED_IN}",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(new_name)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module was executed under its new name."""


_finder = _MovedModules()


def install() -> None:
    """Put the finder at the end of ``sys.meta_path`` (once)."""
    if _finder not in sys.meta_path:
        sys.meta_path.append(_finder)
