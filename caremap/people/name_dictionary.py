"""The dictionary of name words, kept in each worker's memory and matched there.

`name_words` holds every distinct word of every name (a few thousand for a city). Name
search asks, for each typed word, which dictionary words it holds and which are close
spellings of it (caremap/people/search.py). Asking the database scored every word by
trigram similarity for every search (2-8 ms at 2,870 words, most of a typo search's
SQL); here the words are held once per worker with a trigram index, and each search
asks the database only for what changed: the newest few rows (the table is
insert-only, its ids ascending), an index range of a handful of rows.

The newest rows are compared with the copy, not only added: a transaction rolled back
(a test's, or a registration that failed) may leave a SQLite rowid to be used again by
another word, or take away words the copy already holds, and the comparison sees it and
reloads. What it cannot see, a word committed behind the newest TAIL rows (a long
transaction that commits after many others) or taken away behind them, the table's
count shows: it is read with the newest rows at most every RECOUNT_SECONDS per worker
(counting 2,870 words was 0.5 ms of the database's time, on every search).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from time import monotonic

import sqlalchemy as sa
from rapidfuzz import process
from rapidfuzz.distance import OSA

from caremap.core.direct import DirectStatement
from caremap.core.trigrams import LONG_NAME, NAME_PART_SIMILARITY, slips_allowed, trigrams
from caremap.people.search_models import NameWord

# Typed words shorter than this hold only the dictionary words they begin.
SHORT_WORD = 3
# The newest rows re-read with every search, to see a rowid used again after a rollback.
TAIL = 32
# close_names allows at most two slips (in a long name).
MOST_SLIPS = 2
# How often a worker's copy is counted against the table (see above).
RECOUNT_SECONDS = 10.0
# Typed words whose answers a copy remembers: a front desk types the same fragments
# over and over ("mar", "ste"), and working out a word's close spellings costs 0.2 ms.
REMEMBERED = 4096


@dataclass
class Dictionary:
    ids: list[int] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    by_id: dict[int, str] = field(default_factory=dict)
    by_gram: dict[str, list[int]] = field(default_factory=dict)
    sizes: list[int] = field(default_factory=list)  # each word's number of trigrams
    by_length: dict[int, list[str]] = field(default_factory=dict)
    recount_at: float = 0.0  # monotonic() when the table is next counted
    # (question, typed word, how many words the copy held) -> the answer. The count is
    # in the key so that an answer worked out while another thread added words is
    # never given for the larger dictionary.
    answers: dict[tuple[str, str, int], frozenset[str]] = field(default_factory=dict)

    @property
    def last_id(self) -> int:
        return self.ids[-1] if self.ids else 0

    def add(self, rows) -> None:
        held = len(self.words)
        for word_id, word in rows:
            index = len(self.words)
            self.ids.append(word_id)
            self.words.append(word)
            self.by_id[word_id] = word
            grams = trigrams(word)
            self.sizes.append(len(grams))
            self.by_length.setdefault(len(word), []).append(word)
            for gram in grams:
                self.by_gram.setdefault(gram, []).append(index)
        if len(self.words) != held:  # what was remembered is for the smaller dictionary
            self.answers.clear()

    def held_by(self, typed: str) -> frozenset[str]:
        """The words `typed` holds: those it is inside, or begins when it is short."""
        return self._remembered("held", typed, self._held_by)

    def close_to(self, typed: str) -> frozenset[str]:
        """The words that are close spellings of `typed` (close_names), all of them."""
        return self._remembered("close", typed, self._close_to)

    def _remembered(self, question: str, typed: str, work) -> frozenset[str]:
        key = (question, typed, len(self.words))
        answer = self.answers.get(key)
        if answer is None:
            answer = frozenset(work(typed))
            if len(self.answers) >= REMEMBERED:
                self.answers.clear()
            self.answers[key] = answer
        return answer

    def _held_by(self, typed: str) -> set[str]:
        if len(typed) < SHORT_WORD:
            return {w for w in self.words if w.startswith(typed)}
        # A word holding `typed` has each of its trigrams: only the words of its rarest
        # trigram are looked at, not all of them.
        inside = {typed[i : i + 3] for i in range(len(typed) - 2)}
        rarest = min((self.by_gram.get(gram, ()) for gram in inside), key=len)
        words = self.words
        return {words[i] for i in rarest if typed in words[i]}

    def _close_to(self, typed: str) -> set[str]:
        """close_names(typed, word) for every word, worked out from the trigram index and
        one pass of rapidfuzz rather than word by word: a word of trigram similarity
        >= 0.3 shares a trigram with `typed` (the similarity is computed from the shared
        count exactly as `similarity` does), and one within the slips allowed is within
        two."""
        if len(typed) < SHORT_WORD:
            return set()
        grams = trigrams(typed)
        shared = Counter(i for gram in grams for i in self.by_gram.get(gram, ()))
        words, sizes, typed_size = self.words, self.sizes, len(grams)
        close = {
            words[i]
            for i, n in shared.items()
            if n / (typed_size + sizes[i] - n) >= NAME_PART_SIMILARITY
        }
        # A word n slips away is at most n letters longer or shorter: only those lengths
        # are compared (a third of the words, for a name of usual length).
        most = MOST_SLIPS if len(typed) >= LONG_NAME else 1
        lengths = range(len(typed) - most, len(typed) + most + 1)
        near = [word for length in lengths for word in self.by_length.get(length, ())]
        slips = process.extract(typed, near, scorer=OSA.distance, score_cutoff=most, limit=None)
        close.update(word for word, slipped, _ in slips if slipped <= slips_allowed(typed, word))
        return close


_copies: dict[str, Dictionary] = {}
_updating = threading.Lock()

# How many words there are, and the words after an id, in one statement sent on the
# driver (core/direct.py): it runs before every name search.
_counted = sa.select(sa.func.count().label("total")).select_from(NameWord).subquery("c")
_newest = (
    sa.select(NameWord.id, NameWord.word)
    .where(NameWord.id > sa.bindparam("after", type_=sa.Integer))
    .subquery("n")
)
_COUNT_AND_NEWEST = DirectStatement(
    sa.select(_counted.c.total, _newest.c.id, _newest.c.word)
    .select_from(_counted.outerjoin(_newest, sa.true()))
    .order_by(_newest.c.id)
)
_NEWEST = DirectStatement(sa.select(_newest.c.id, _newest.c.word).order_by(_newest.c.id))


def name_dictionary(session) -> Dictionary:
    """This worker's copy of the dictionary for the session's database, brought up to
    date: one statement when nothing is amiss, a full read when the copy is wrong."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    with _updating:  # threads of one worker (gthread) bring it up to date one at a time
        copy = _copies.get(key)
        if copy is not None and _caught_up(session, copy):
            return copy
        copy = Dictionary(recount_at=monotonic() + RECOUNT_SECONDS)
        rows = session.execute(sa.select(NameWord.id, NameWord.word).order_by(NameWord.id))
        copy.add(rows.all())
        _copies[key] = copy
        return copy


def _caught_up(session, copy: Dictionary) -> bool:
    """Add the rows newer than the copy; False when the copy no longer matches the table."""
    after = max(copy.ids[-TAIL] if len(copy.ids) >= TAIL else 0, 1) - 1
    now = monotonic()
    recount = now >= copy.recount_at
    rows = (_COUNT_AND_NEWEST if recount else _NEWEST).all(session, {"after": after})
    seen = [(row.id, row.word) for row in rows if row.id is not None]
    known = [pair for pair in seen if pair[0] <= copy.last_id]
    tail = copy.ids[bisect_right(copy.ids, after) :]
    if known != [(i, copy.by_id[i]) for i in tail]:
        return False
    copy.add(pair for pair in seen if pair[0] > copy.last_id)
    if recount:
        if len(copy.ids) != rows[0].total:
            return False
        copy.recount_at = now + RECOUNT_SECONDS
    return True
