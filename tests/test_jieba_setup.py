"""jieba as we use it: the search's own segmenter cuts exactly as jieba does; jieba itself (build and
import only) is quiet and keeps its cache in our per-user directory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ftz_reforms.retrieval.engine import bundled_index
from ftz_reforms.retrieval.jieba_setup import jieba_module
from ftz_reforms.retrieval.segmenter import Segmenter


def _jieba_over(frequencies: dict[str, int], total: int) -> Any:
    """A jieba tokenizer holding exactly the dictionary the segmenter holds (prefixes included)."""
    tokenizer: Any = jieba_module().Tokenizer()
    prefixes: dict[str, int] = {}
    for word, frequency in frequencies.items():
        prefixes[word] = frequency
        for end in range(1, len(word)):
            prefixes.setdefault(word[:end], 0)
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = prefixes, total, True
    return tokenizer


_DICTIONARY = bundled_index().dictionary
_SEGMENTER = Segmenter(_DICTIONARY["frequencies"], _DICTIONARY["total"])
_JIEBA = _jieba_over(_DICTIONARY["frequencies"], _DICTIONARY["total"])
_WORDS = sorted(_DICTIONARY["frequencies"])
# Text a query or a casebook can hold: casebook words glued together, Chinese characters of any plane,
# Latin letters, digits, the punctuation jieba treats specially, and whitespace.
_PIECES = st.one_of(
    st.sampled_from(_WORDS),
    st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF),
    st.sampled_from([*"abcXYZ019+#&._%-，。、（）“” \t\n", "\r\n", "\U00020000", "\uf900"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_the_segmenter_cuts_like_jieba_without_its_hmm(text: str) -> None:
    assert _SEGMENTER.tokens(text) == list(_JIEBA.cut_for_search(text, HMM=False))


def test_the_segmenter_is_safe_to_share_between_threads() -> None:
    runs = [run for position in range(23) for _, _, run in bundled_index().case_sentences(position)][:400]
    expected = [_SEGMENTER.tokens(run) for run in runs]
    results: list[list[list[str]]] = []

    def work() -> None:
        results.append([_SEGMENTER.tokens(run) for run in runs])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8


def test_importing_jieba_through_us_filters_only_jiebas_own_warnings() -> None:
    """Under -W error, jieba imports (without pkg_resources, which it would read its files with); a warning of
    any other code, an invalid escape sequence in another file included, is still an error."""
    code = (
        "import sys, warnings\n"
        "from ftz_reforms.retrieval.jieba_setup import jieba_module\n"
        "jieba = jieba_module()\n"
        # What the library uses of jieba: its dictionary file (read without pkg_resources) and its HMM. Not
        # jieba's own set-up, which the library never runs (it would write jieba's cache in the system's /tmp).
        "jieba.Tokenizer().get_dict_file().close()\n"
        "assert ''.join(jieba.finalseg.cut('出口退货')) == '出口退货'\n"
        "print('pkg_resources' in sys.modules)\n"
        "for warn in (lambda: warnings.warn('invalid value', DeprecationWarning),\n"
        "             lambda: compile('x = \"\\\\d\"', '/tmp/mine/notjieba.py', 'exec')):\n"
        "    try:\n"
        "        warn()\n"
        "    except (DeprecationWarning, SyntaxWarning, SyntaxError):\n"
        "        print('still raised')\n"
    )
    # No cached bytecode: jieba's files are compiled, so their own warnings are raised (and filtered).
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": tempfile.mkdtemp()}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True, env=environment
    )
    assert result.stdout == "False\nstill raised\nstill raised\n", result.stderr
