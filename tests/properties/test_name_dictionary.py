"""The name dictionary's answers (people/name_dictionary.py) are the rule's, word by word.

The dictionary works out what a typed word holds and is close to from a trigram index,
words grouped by length and one pass of rapidfuzz. Here the same answers are worked out
the plain way, over every word: held when inside it (or beginning it, for one or two
letters), close when `close_names` says so. Names are built from syllables, so they share
trigrams, and typed words are pieces, slips and strangers.
"""

from __future__ import annotations

import random
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.bench_search import GIVEN, family_name
from caremap.core.trigrams import close_names, normalise_name
from caremap.people.name_dictionary import SHORT_WORD, Dictionary


def _words() -> list[str]:
    rng = random.Random(7)
    names = {normalise_name(n) for n in GIVEN} | {family_name(rng).lower() for _ in range(600)}
    return sorted(names)


WORDS = _words()
# Slips in short names are where trigrams fall below 0.3 ("paul" / "pal": 0.29) and only
# the slips rule finds them: half the typed words are made from these.
SHORT = [w for w in WORDS if len(w) <= 5]
DICTIONARY = Dictionary()
DICTIONARY.add(enumerate(WORDS, start=1))


def _held(typed: str) -> set[str]:
    if len(typed) < SHORT_WORD:
        return {w for w in WORDS if w.startswith(typed)}
    return {w for w in WORDS if typed in w}


def _close(typed: str) -> set[str]:
    if len(typed) < SHORT_WORD:
        return set()
    return {w for w in WORDS if close_names(typed, w)}


@st.composite
def typed_words(draw) -> str:
    word = draw(st.sampled_from(SHORT) | st.sampled_from(WORDS))
    start = draw(st.integers(0, len(word) - 1))
    piece = word[start : draw(st.integers(start + 1, len(word)))]
    letters = st.sampled_from(string.ascii_lowercase)
    at = draw(st.integers(0, len(word)))
    slipped = draw(
        st.sampled_from(
            [
                word[:at] + draw(letters) + word[at:],  # a letter added
                word[:at] + word[at + 1 :],  # dropped
                word[:at] + draw(letters) + word[at + 1 :],  # changed
                word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :],  # swapped
            ]
        )
    )
    stranger = draw(st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=12))
    return draw(st.sampled_from([word, piece, slipped, stranger])) or word


@settings(max_examples=600, derandomize=True, deadline=None)
@given(typed_words())
def test_what_a_typed_word_holds_and_is_close_to_is_the_rules_answer(typed):
    assert DICTIONARY.held_by(typed) == _held(typed)
    assert DICTIONARY.close_to(typed) == _close(typed)
