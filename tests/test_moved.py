"""Modules moved in 0.6.0 still import under their old names, until 0.8.0, with a warning."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from ftz_reforms._moved import MOVED


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_an_old_module_name_is_the_new_module_with_a_warning(old: str, new: str) -> None:
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=rf"{old} moved to {new}; the old name will be removed"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)


def test_old_style_imports_keep_working_in_a_fresh_process() -> None:
    code = (
        "import warnings\n"
        "warnings.simplefilter('ignore', DeprecationWarning)\n"
        "from ftz_reforms.models import Case\n"
        "from ftz_reforms.extract import extract_metrics\n"
        "from ftz_reforms import export\n"
        "import ftz_reforms\n"
        "assert Case is ftz_reforms.Case\n"
        "assert extract_metrics('节约成本约3.5亿元。')[0].value == 350000000.0\n"
        "assert export.to_records('cases')[0]['case_id'] == 'b5-01'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_module_is_still_an_import_error() -> None:
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("ftz_reforms.no_such_module")
