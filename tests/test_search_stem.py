"""The browser stems as the build does: search-stem.js (Snowball English and Russian, in JavaScript) against
PyStemmer through kbgen's own analysis, word for word — golden vectors from real corpora."""

from __future__ import annotations

import html
import shutil
import subprocess

import pytest
from conftest import CORPORA, REPO

from kbgen.search.analysis import normalise, stem, words

NODE = shutil.which("node")
DRIVER = REPO / "tests" / "stem_node.js"

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

#: Words whose stems take a rule's less common branch, and words the build leaves alone (other scripts, digits,
#: accented Latin, Latin mixed with Cyrillic).
WORDS = """
    картой карта карте оплатить оплата оплатил оплачивать ёлка ёлочный крупнейший ценнейшие программирование
    делавшись улыбнувшись прыгающий играющих сделанный человечность человечностью вещь сидя бегущий
    generously dying lying inning outing proceed exceeded succeeding agreed feed hoping hopping added filing
    luxuriated pasted past skis skies sky news ugly early only singly gently idly atlas cosmos bias andes howe
    cries ties gas gaps kiwis yes yelling playing sayyid international intern organic organization universal
    geologist biologically fluently hopeful fulness relational conditional rational happily controlling roll
    3d 2024 café naïve iphoneы straße ǅemal ١٢٣ 𝐀bc
""".split()


def node_stems(vocabulary: list[str]) -> list[str]:
    out = subprocess.run([NODE, str(DRIVER)], input="\n".join(vocabulary), capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return out.split("\n")


def differences(vocabulary: list[str]) -> list[tuple[str, str, str]]:
    """(word, build's stem, browser's stem) for every word the two stem differently."""
    return [(w, stem(w), js) for w, js in zip(vocabulary, node_stems(vocabulary), strict=True) if stem(w) != js]


def test_the_browser_stems_every_form_as_the_build_does() -> None:
    vocabulary = sorted({normalise(w) for w in WORDS})
    assert differences(vocabulary) == []
    assert len({stem(w) for w in ("картой", "карта", "карте")}) == 1  # the point of it all


def corpus_vocabulary(name: str) -> list[str]:
    """Every distinct word of a corpus's articles as the build's tokeniser splits them, markup and entities
    decoded or not (a superset of what the build indexes)."""
    vocabulary: set[str] = set()
    for path in (CORPORA / name / "articles").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            vocabulary.update(words(text))
            if "&" in text:
                vocabulary.update(words(html.unescape(text)))
    return sorted(vocabulary)


@pytest.mark.parametrize("name", ["ru-doka", "en-arduino-helpcenter", "en-cpp-docs", "npl"])
def test_golden_vectors_every_word_of_a_corpus(name: str) -> None:
    if not (CORPORA / name / "articles").is_dir():
        pytest.skip(f"../shared/corpora/{name} is not here")
    vocabulary = corpus_vocabulary(name)
    assert len(vocabulary) > 5000
    assert differences(vocabulary) == []
