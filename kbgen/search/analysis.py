"""The one analysis of text into index terms, shared by every searchable field and by every query.

The browser stems a query word with the same algorithms (themes/default/assets/search-stem.js, Snowball English
and Russian in JavaScript), so a form of a word that no article uses still finds the articles that use its other
forms — in Russian most forms of a word are missing from any one site (issue 22). Golden vectors in the tests check
that it stems every word of four corpora as `stem` here does; bump ANALYSIS_VERSION with any change to either.
The exported index still carries a vocabulary from each surface word to its stem, for prefix and typo matching.
The browser and Python also share the tokeniser and the stop words (exported in the manifest); golden vectors in
the tests check the tokeniser.

Stems come from PyStemmer (Snowball in C: Porter2 for Latin words, Russian for Cyrillic ones, chosen per word so
mixed pages work). whoosh's analysers were the first choice, but its English stemmer is the original Porter and
its Russian Snowball is pure Python, dozens of times slower on a 10,000-article site.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

#: Bump when tokens, stop words or stems change: exported indexes then differ and are rebuilt whole.
ANALYSIS_VERSION = 1

#: Letters and digits (any script); everything else separates words. The browser uses /[\p{L}\p{N}]+/gu.
_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")

#: Lucene's English stop set, the same 33 words the shared BM25 baseline drops.
ENGLISH_STOPWORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these they "
    "this to was will with".split())
#: The most frequent Russian function words (conjunctions, prepositions, particles, pronouns).
RUSSIAN_STOPWORDS = frozenset(
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от "
    "меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был него до вас нибудь опять уж вам ведь "
    "там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз "
    "тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы "
    "нее были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про "
    "всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им "
    "более всегда конечно всю между это".split())
STOPWORDS = ENGLISH_STOPWORDS | RUSSIAN_STOPWORDS

#: Words a reader's question is phrased with, that say nothing of its subject ("how do I …", "can I …", "what is",
#: «почему …», «что такое …»): kept in the index (a few are words of their own in some article), but a query's
#: subject words outweigh them (see engine.py). Auxiliaries, pronouns and question words only, in any help centre;
#: no content word, however common on one site.
QUESTION_WORDS = frozenset(
    "how what why where when which who whom whose do does did doing done can could would should shall may might "
    "must i me my mine we us our ours you your yours he she him her his its am been being have has had having "
    "any some so im don doesn didn cannot won isn aren t s ll ve re d "
    "почему зачем отчего откуда сколько каков какова каково какие каких каким какое какую каком "
    "такое такой такая такие можно ли нужно нужен нужна нужны надо могу можем может мой моя мое мои моем моей "
    "мне меня нам нас я мы вы вам вас ваш ваша ваше ваши свой своя свое свои".split()) - STOPWORDS


def normalise(text: str) -> str:
    """Composed Unicode, lower case, `ё` read as `е` (Russian writers use both for the same word)."""
    return unicodedata.normalize("NFC", text).lower().replace("ё", "е")


def words(text: str) -> list[str]:
    """Normalised words in order, stop words included (excerpts and the vocabulary need them)."""
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of one normalised word, by its alphabet; digits and other scripts stay as they are."""
    if _CYRILLIC.search(word):
        return _stemmer("russian").stemWord(word) if not _LATIN.search(word) else word
    if _LATIN.search(word) and word.isascii():
        return _stemmer("english").stemWord(word)
    return word


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def terms(text: str) -> list[str]:
    """Index terms of a text: its words without stop words, stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]
