"""Compare two names and explain the score. Pure functions, no I/O.

The comparison aligns the tokens of a *query* name (the vendor on a record) with those of a
*candidate* (a watchlist name):

1. identical tokens pair first; then tokens within an edit allowance that grows with token
   length (none up to 2 characters, 1 up to 5, 2 beyond), and a generic word with its plural
   (``Technology`` / ``Technologies``); numbers pair only when equal;
2. tokens written together on one side pair with the same letters spaced on the other
   (``Goodwill`` / ``Good Will``, ``SiemensAG`` / ``Siemens AG``, ``Hik Vision``, pinyin in
   syllables ``Hai Kang Wei Shi`` / 海康威视), runs of up to four tokens;
3. the score is the weight of what paired over the weight of everything. Distinctive words
   weigh 1, places 0.8, numbers 0.8, generic words (technology, group, bank) 0.4, legal forms
   nothing. An unpaired query word costs its full weight, an unpaired candidate word 0.6 of
   it (a list entry is often longer than the name on an invoice); a parenthesized qualifier
   costs a quarter, unless the other side has its own, different qualifier (Bowne Global
   Solutions (France) is not (Germany)). Two different numbers cost little (fund vintages);
4. legal forms of different classes (AG vs GmbH) multiply the score by 0.75;
5. an acronym (PLA) against the initials of the other name scores 0.9;
6. a look-alike counts against: a query word a letter or two from a brand that is short
   (``ZTEK`` / ``ZTE``), another pinyin word (``Huawen`` / ``Huawei``) or known to name
   something else (``Hytech`` / ``Hytera``) does not pair, and the score is multiplied by
   ``1 - LOOKALIKE_WEIGHT`` (see :func:`lookalike`). In the curated watchlist's names a short
   brand word (``Imou``, ``Ezviz``) takes no edit but two swapped letters (``Imoux`` is not
   ``Imou``; ``Dahau`` is ``Dahua``);
7. two public bodies (a place plus a kind, ``Kashgar PSB``) are compared by
   :mod:`procurewatch.match.public_body`: the place must agree, the level weighs little.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from procurewatch.match.public_body import Verdict, compare_bodies
from procurewatch.normalize.names import (
    GENERIC,
    LEGAL,
    NUMBER,
    PLACE,
    WORD,
    NormName,
    Token,
    normalize,
    split_alternatives,
)
from procurewatch.normalize.vocab import VOCAB

WEIGHTS = {WORD: 1.0, PLACE: 0.8, NUMBER: 0.8, GENERIC: 0.4, LEGAL: 0.0}
CANDIDATE_EXTRA = 0.6
CANDIDATE_EXTRA_GENERIC = 0.3
SAME_LETTERS = 0.95
QUALIFIER_EXTRA = 0.25
CJK_QUALIFIER_EXTRA = 0.1
NUMBER_SWAP = 0.15
LEGAL_CONFLICT = 0.75
ACRONYM_SCORE = 0.9
TYPO_COST = 0.7
SINGULAR_PLURAL = 0.98
"""A generic word in the singular against its plural: the same word (``Huawei Technology``)."""
LOOKALIKE_WEIGHT = 0.5
"""How much a look-alike counts against a match: the score is multiplied by 1 minus this."""
SHORT_BRAND = 3
"""An edit in a name's only distinctive word, when it is this short (``ZTE Corporation`` /
``ZTEK``), makes a look-alike: such words are acronyms and coined brands, and a letter more or
less is another one."""
CURATED_SHORT_BRAND = 6
"""In the curated watchlist's names (``curated=True``), a brand word this short takes no edit
but two swapped letters: an added, dropped or changed letter in a short coined word makes another
name (``Imoux`` / ``Imou``, ``Ezvic`` / ``Ezviz``), as search engines give short words no edit
tolerance. Ordinary company names keep the edit allowance: the name bench reads ``Fjord Motor``
as a misspelling of ``Ford Motor``. Chosen on the calibrate halves (``eval/names_calibrate.py``,
over 3 to 6; 6 stops ``Comet`` / ``ComNet``)."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two aligned tokens (or token groups) and how they matched."""

    query: str
    candidate: str
    similarity: float
    how: str
    """exact | typo | plural | merged | acronym"""


@dataclass(frozen=True, slots=True)
class Comparison:
    """The score of a query name against a candidate name, with its parts."""

    query: str
    candidate: str
    score: float
    pairs: tuple[Pair, ...] = ()
    unmatched_query: tuple[str, ...] = ()
    unmatched_candidate: tuple[str, ...] = ()
    penalties: tuple[str, ...] = ()

    def explain(self) -> str:
        """One readable line: what paired, what did not, which penalties applied."""
        parts = [
            f"{p.query}={p.candidate}"
            + ("" if p.how == "exact" else f" ({p.how} {p.similarity:.2f})")
            for p in self.pairs
        ]
        text = f"{self.score:.2f}: " + (", ".join(parts) or "nothing paired")
        if self.unmatched_query:
            text += f"; unmatched in query: {' '.join(self.unmatched_query)}"
        if self.unmatched_candidate:
            text += f"; unmatched in candidate: {' '.join(self.unmatched_candidate)}"
        if self.penalties:
            text += f"; {'; '.join(self.penalties)}"
        return text


def allowance(length: int, cjk: bool = False) -> int:
    """Edits allowed in a token of this length."""
    if cjk:
        return 1 if length >= 4 else 0
    if length <= 2:
        return 0
    return 1 if length <= 5 else 2


def _weight(token: Token) -> float:
    weight = WEIGHTS[token.kind]
    if token.kind == WORD and len(token.text) <= 2:
        return 0.6
    return weight


def singular(word: str) -> str:
    """An English plural made singular by the regular rules (``technologies`` -> ``technology``,
    ``systems`` -> ``system``; ``business`` stays). Used on generic words only, a closed list."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def token_similarity(a: Token, b: Token, cjk: bool = False) -> float:
    """Similarity of two tokens: 1 if equal, less for typos within the allowance, else 0; a
    generic word in the singular and in the plural (``Technology`` / ``Technologies``) is
    :data:`SINGULAR_PLURAL`."""
    if a.text == b.text or (a.kind == PLACE and b.kind == PLACE and a.key == b.key):
        return 1.0
    if a.kind == GENERIC == b.kind and singular(a.text) == singular(b.text):
        return SINGULAR_PLURAL
    if NUMBER in (a.kind, b.kind) and (a.text.isdigit() or b.text.isdigit()):
        return 0.0
    longest = max(len(a.text), len(b.text))
    distance = OSA.distance(a.text, b.text, score_cutoff=allowance(longest, cjk) or None)
    if distance > allowance(longest, cjk):
        return 0.0
    return 1.0 - TYPO_COST * distance / longest


def swapped(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with two adjacent letters swapped (``dahau`` / ``dahua``)."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


def lookalike(query: Token, candidate: Token, sole: bool, curated: bool = False) -> bool:
    """Whether a typo pair is a different word rather than a misspelling: a query word known to
    name something else (``hytech`` / ``hytera``, ``data/lookalike_words.yaml``); or, when the
    pair is the candidate's only distinctive word (``sole``, a brand), an edit in a short word
    (``ztek`` / ``zte``), an edit that turns a pinyin word into another pinyin word, i.e. another
    Chinese name (``huawen`` / ``huawei``, ``yixun`` / ``yixin``; ``dahau`` is a typo), or two
    edits in a pinyin word of a few syllables (``dahlia`` / ``dahua``). Against a ``curated``
    watchlist name, any edit but a swap in a brand word of :data:`CURATED_SHORT_BRAND` letters or
    fewer (``imoux`` / ``imou``)."""
    if candidate.kind != WORD or query.kind != WORD:
        return False
    if query.text in VOCAB.lookalikes:
        return True
    if not sole:
        return False
    if min(len(query.text), len(candidate.text)) <= SHORT_BRAND:
        return True
    if curated and len(candidate.text) <= CURATED_SHORT_BRAND:
        return not swapped(query.text, candidate.text)
    if not VOCAB.pinyin_word(candidate.text):
        return False
    return VOCAB.pinyin_word(query.text) or OSA.distance(query.text, candidate.text) > 1


def _how(a: Token, b: Token, sim: float) -> str:
    if sim == 1.0:
        return "exact"
    return "plural" if a.kind == GENERIC and singular(a.text) == singular(b.text) else "typo"


@dataclass
class _Alignment:
    query: list[Token]
    candidate: list[Token]
    cjk: bool
    curated: bool = False
    pairs: list[tuple[list[int], list[int], float, str]] = field(default_factory=list)
    used_q: set[int] = field(default_factory=set)
    used_c: set[int] = field(default_factory=set)
    lookalikes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def sole_word(self) -> bool:
        """The candidate has one distinctive word (a brand: ``ZTE Corporation``)."""
        return sum(1 for t in self.candidate if t.kind == WORD) == 1

    def pair_tokens(self) -> None:
        options = []
        for i, qt in enumerate(self.query):
            for j, ct in enumerate(self.candidate):
                sim = token_similarity(qt, ct, self.cjk)
                if sim > 0:
                    options.append((sim, i, j))
        for sim, i, j in sorted(options, key=lambda o: (-o[0], o[1], o[2])):
            if i in self.used_q or j in self.used_c:
                continue
            if sim < 1.0 and lookalike(
                self.query[i], self.candidate[j], self.sole_word, self.curated and not self.cjk
            ):
                self.lookalikes.append((self.query[i].text, self.candidate[j].text))
                continue
            self._take([i], [j], sim, _how(self.query[i], self.candidate[j], sim))

    def _take(self, qs: list[int], cs: list[int], sim: float, how: str) -> None:
        self.pairs.append((qs, cs, sim, how))
        self.used_q.update(qs)
        self.used_c.update(cs)

    def pair_merged(self, legal_q: list[Token], legal_c: list[Token]) -> None:
        """Pair a run of 2-3 adjacent tokens on one side with one token on the other."""
        for side in ("q", "c"):
            runs_from = self.query if side == "q" else self.candidate
            singles = self.candidate if side == "q" else self.query
            used_runs = self.used_q if side == "q" else self.used_c
            used_singles = self.used_c if side == "q" else self.used_q
            for k, single in enumerate(singles):
                if k in used_singles:
                    continue
                match = self._find_run(runs_from, used_runs, single)
                if match is not None:
                    run, sim = match
                    qs, cs = (run, [k]) if side == "q" else ([k], run)
                    self._take(qs, cs, sim, "merged")

    def _find_run(
        self, tokens: list[Token], used: set[int], single: Token
    ) -> tuple[list[int], float] | None:
        for size in (2, 3, 4):  # 4: pinyin in syllables (hai kang wei shi)
            for start in range(len(tokens) - size + 1):
                run = list(range(start, start + size))
                if used.intersection(run):
                    continue
                joined = Token("".join(tokens[i].text for i in run))
                sim = token_similarity(joined, single, self.cjk)
                if sim > 0:
                    return run, sim
        return None


def _unmatched_cost(
    tokens: list[Token], used: set[int], factor: float, conflict: set[str], cjk: bool
) -> float:
    cost = 0.0
    for i, tok in enumerate(tokens):
        if i in used:
            continue
        weight = _weight(tok)
        slot = "qualifier" if tok.qualifier else tok.kind
        if slot in conflict:
            cost += weight
        elif tok.qualifier:
            cost += weight * QUALIFIER_EXTRA * factor
        elif cjk and tok.kind in (PLACE, GENERIC):
            cost += weight * CJK_QUALIFIER_EXTRA
        elif tok.kind == NUMBER:
            cost += weight
        elif tok.kind == GENERIC and factor < 1.0:
            cost += weight * CANDIDATE_EXTRA_GENERIC

        else:
            cost += weight * factor
    return cost


def _slots(tokens: list[Token], used: set[int]) -> set[str]:
    out: set[str] = set()
    for i, tok in enumerate(tokens):
        if i not in used:
            out.add("qualifier" if tok.qualifier else tok.kind)
    return out


def _legal_classes(tokens: tuple[str, ...]) -> set[str]:
    classes = {VOCAB.legal_class.get(t, "neutral") for t in tokens}
    return classes - {"neutral"}


def _acronym(query: NormName, candidate: NormName) -> float:
    for short, long in ((query, candidate), (candidate, query)):
        content = short.content
        words = [t.text for t in long.content]
        if len(content) == 1 and 2 <= len(content[0].text) <= 6 and len(words) >= 2:
            initials = "".join(w[0] for w in words if not w.isdigit())
            if content[0].text == initials:
                return ACRONYM_SCORE
    return 0.0


def _score(al: _Alignment) -> tuple[float, list[str]]:
    penalties: list[str] = []
    slots_q = _slots(al.query, al.used_q)
    slots_c = _slots(al.candidate, al.used_c)
    conflict = (slots_q & slots_c) & {PLACE, GENERIC, "qualifier"}
    matched = total = 0.0
    for qs, cs, sim, _how in al.pairs:
        weight = max(
            max(_weight(al.query[i]) for i in qs), max(_weight(al.candidate[j]) for j in cs)
        )
        matched += sim * weight
        total += weight
    if NUMBER in slots_q and NUMBER in slots_c:
        penalties.append("different numbers")
        total += NUMBER_SWAP * 2
        al.used_q.update(i for i, t in enumerate(al.query) if t.kind == NUMBER)
        al.used_c.update(j for j, t in enumerate(al.candidate) if t.kind == NUMBER)
    if conflict:
        penalties.append(f"conflicting {'/'.join(sorted(conflict))}")
    total += _unmatched_cost(al.query, al.used_q, 1.0, conflict, al.cjk)
    total += _unmatched_cost(al.candidate, al.used_c, CANDIDATE_EXTRA, conflict, al.cjk)
    return (matched / total if total > 0 else 0.0), penalties


def _sides(query: NormName, candidate: NormName) -> tuple[list[Token], list[Token], bool]:
    cjk = query.cjk and candidate.cjk
    q_all = query.tokens if cjk else (query.pinyin or query.tokens)
    c_all = candidate.tokens if cjk else (candidate.pinyin or candidate.tokens)
    q = [t for t in q_all if t.kind != LEGAL]
    c = [t for t in c_all if t.kind != LEGAL]
    if not q and not c:  # a name that is nothing but a legal form ("AO"): compare the forms
        return [Token(t.text) for t in q_all], [Token(t.text) for t in c_all], cjk
    return q, c, cjk


def _body_comparison(query: NormName, candidate: NormName, verdict: Verdict) -> Comparison:
    how = "public body"
    return Comparison(
        query=query.original,
        candidate=candidate.original,
        score=verdict.score,
        pairs=tuple(Pair(a, b, 1.0, how) for a, b in verdict.pairs if a and b),
        unmatched_query=verdict.unmatched_query,
        unmatched_candidate=verdict.unmatched_candidate,
        penalties=verdict.penalties,
    )


def compare_normalized(query: NormName, candidate: NormName, curated: bool = False) -> Comparison:
    """Compare two normalized names (see the module docstring for the rules); ``curated``: the
    candidate is a name of the curated watchlist, whose short brand words take no edit."""
    verdict = compare_bodies(query, candidate)
    if verdict is not None:
        return _body_comparison(query, candidate, verdict)
    q, c, cjk = _sides(query, candidate)
    al = _Alignment(q, c, cjk, curated)
    al.pair_tokens()
    al.pair_merged([], [])
    score, penalties = _score(al)
    acronym = _acronym(query, candidate)
    if acronym > score:
        score, penalties = acronym, ["acronym"]
    if al.lookalikes:
        score *= 1.0 - LOOKALIKE_WEIGHT
        said = ", ".join(f"{q} is not {c}" for q, c in al.lookalikes)
        penalties.append(f"look-alike ({said})")
    if query.letters and query.letters == candidate.letters and score < SAME_LETTERS:
        score, penalties = SAME_LETTERS, ["same letters, spaced differently"]
    classes_q, classes_c = _legal_classes(query.legal), _legal_classes(candidate.legal)
    if classes_q and classes_c and not classes_q & classes_c:
        score *= LEGAL_CONFLICT
        penalties.append(
            f"legal forms differ ({' '.join(query.legal)} / {' '.join(candidate.legal)})"
        )
    pairs = tuple(
        Pair(" ".join(q[i].text for i in qs), " ".join(c[j].text for j in cs), round(sim, 3), how)
        for qs, cs, sim, how in al.pairs
    )
    return Comparison(
        query=query.original,
        candidate=candidate.original,
        score=round(min(score, 1.0), 4),
        pairs=pairs,
        unmatched_query=tuple(t.text for i, t in enumerate(q) if i not in al.used_q),
        unmatched_candidate=tuple(t.text for j, t in enumerate(c) if j not in al.used_c),
        penalties=tuple(penalties),
    )


def compare(query: str, candidate: str) -> Comparison:
    """Compare a query name with a candidate name; the best over slash-separated alternatives."""
    best: Comparison | None = None
    for q in split_alternatives(query):
        for c in split_alternatives(candidate):
            result = compare_normalized(normalize(q), normalize(c))
            if best is None or result.score > best.score:
                best = result
    assert best is not None
    return Comparison(
        query,
        candidate,
        best.score,
        best.pairs,
        best.unmatched_query,
        best.unmatched_candidate,
        best.penalties,
    )
