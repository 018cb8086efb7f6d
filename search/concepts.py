"""A query as the resident means it: concepts, each with the terms that may express it.

"请问敬老院怎么申请" is two concepts, 敬老院 and 申请 (请问 and 怎么 carry no weight); 敬老院 may be
written 养老机构 or 敬老院 on the page, and 申请 is an action word that a page about the thing itself
need not hold. Both engines score a document concept by concept: the best term of each concept counts
once, so a plan page holding every concept outranks an update that repeats one of them, and a
coverage bonus rewards documents that hold them all.

Terms are the same strings documents are indexed with (search/chinese.py): words, bigrams, "py:"
pinyin, "pyi:" initials. A concept's terms come with (title weight, body weight) by their kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import chinese

# (title weight, body weight) by kind of term. A word as typed is strongest; the plan's word for a
# resident's word (synonym) less so in a title (a broad plan word in many titles must not beat the exact
# word in a text); the dictionary words inside a long word, its bigrams and its homophones (same pinyin,
# another character) are fallbacks for recall and typos.
WEIGHTS = {
    "word": (6.0, 1.5),
    "synonym": (3.0, 1.25),
    "pinyin": (6.0, 1.5),
    "part": (1.0, 0.5),
    "bigram": (1.0, 0.25),
    "homophone": (0.5, 0.1),
}
# An action word (申请, 办理) counts this fraction of a concept.
LIGHT = 0.25
# The synonyms of a word the plan itself uses count this fraction of their weight.
PLAN_WORD_SYNONYMS = 0.5
# Kinds that show the concept is really there (for coverage); the words inside a word, its bigrams
# and its homophones only find candidates (a page about 家庭照顾 does not answer 家庭医生).
STRONG = frozenset({"word", "synonym", "pinyin"})
# What snippets look for and mark: whole words, the words inside them too; and how much each shows
# the concept when choosing the window.
SHOWN = STRONG | {"part"}
SNIPPET_FACTOR = {"word": 1.0, "pinyin": 1.0, "synonym": 0.7, "part": 0.4}
MAX_CONCEPTS = 8
# A question asked the A-not-A way (要不要门票, 达不达标, 会不会征求): the segmenter may cut it so that 不要 or
# 达不 stays behind as a concept that no page holds. Its positive form (要门票, 达标) asks the same of a search.
A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
MAX_TERMS_PER_CONCEPT = 12


@dataclass
class Concept:
    text: str  # as the resident typed it (normalised)
    terms: list[tuple[str, str]] = field(default_factory=list)  # (term, kind), strongest first
    light: bool = False

    @property
    def in_plan(self) -> bool:
        """Whether the plan itself uses the concept's word (typed, or spelled in pinyin)."""
        words = [t for t, kind in self.terms if kind == "word"]
        return any(chinese.in_plan_text(w) for w in words)

    def add(self, term: str, kind: str) -> None:
        if term and all(term != t for t, _ in self.terms) and len(self.terms) < MAX_TERMS_PER_CONCEPT:
            self.terms.append((term, kind))

    def weighted(self) -> list[tuple[str, float, float]]:
        factor = LIGHT if self.light else 1.0
        # The plan's own word as typed (高龄津贴) needs no broader words to find its page: its synonyms
        # (老年人) only help recall, at half weight.
        synonym_factor = PLAN_WORD_SYNONYMS if self.in_plan else 1.0
        return [
            (term, WEIGHTS[kind][0] * f, WEIGHTS[kind][1] * f)
            for term, kind in self.terms
            for f in [factor * (synonym_factor if kind == "synonym" else 1.0)]
        ]

    def strong_terms(self) -> list[str]:
        return [term for term, kind in self.terms if kind in STRONG]

    def words(self) -> list[str]:
        """What shows the concept in a page's text: whole words (and the words inside them), not pinyin."""
        return [
            term
            for term, kind in self.terms
            if kind in SHOWN and not term.startswith((chinese.PINYIN_PREFIX, chinese.INITIALS_PREFIX))
        ]

    def fallback_words(self) -> list[str]:
        return [term for term, kind in self.terms if kind == "bigram"]


@dataclass
class QueryPlan:
    normalized: str
    concepts: list[Concept]
    is_pinyin: bool = False

    @property
    def phrase(self) -> str:
        """The query without spaces, question words included, for an exact phrase match."""
        return "" if self.is_pinyin else self.normalized.replace(" ", "")

    def groups(self) -> list[list[tuple[str, float, float]]]:
        return [c.weighted() for c in self.concepts if c.terms]

    def required(self) -> list[Concept]:
        """The concepts a document must hold to cover the query (action words excepted, unless alone)."""
        heavy = [c for c in self.concepts if c.terms and not c.light]
        return heavy or [c for c in self.concepts if c.terms]

    def weighted_terms(self) -> list[tuple[str, float, float]]:
        seen, flat = set(), []
        for group in self.groups():
            for term, title, body in group:
                if term not in seen:
                    seen.add(term)
                    flat.append((term, title, body))
        return flat

    def covers(self, text: str) -> bool:
        """Whether `text` (a page's normalised title and body) holds every required concept."""
        return all(any(w in text for w in c.strong_terms()) for c in self.required())

    def snippet_concepts(self) -> list[tuple[list[tuple[str, float]], list[str]]]:
        """Per concept: (whole words to find and mark, each with how much it shows the concept: the word
        as typed most, the plan's word for it less, a word inside it least; fallback strings that only
        place the window)."""
        return [
            ([(w, SNIPPET_FACTOR[kind]) for w, kind in c.terms if w in c.words()], c.fallback_words())
            for c in self.concepts
            if c.terms
        ]


def plan_query(q: str, synonyms: chinese.Synonyms) -> QueryPlan:
    normalized = chinese.normalize((q or "")[: chinese.MAX_QUERY_CHARS])
    pinyin = _pinyin_concepts(normalized, synonyms)
    if pinyin is not None:
        return QueryPlan(normalized, pinyin[:MAX_CONCEPTS], is_pinyin=True)
    concepts: list[Concept] = []
    # Neighbouring parts that together are a key ("family doctor" -> familydoctor) stay one concept.
    for part in _join_keys(normalized.split(), synonyms):
        concepts += _word_concepts(part, synonyms)
    return QueryPlan(normalized, _merge_repeats(concepts)[:MAX_CONCEPTS])


def _word_concepts(part: str, synonyms: chinese.Synonyms) -> list[Concept]:
    """Concepts of one space-free part of a Chinese (or English) query."""
    whole = synonyms.lookup(part)
    if whole:  # a resident's word the segmenter splits, or an English phrase ("familydoctor")
        return [_concept(part, synonyms)]
    concepts = [_number_concept(number) for number in chinese.unit_numbers(part)]
    rest = A_NOT_A.sub(r"\1", chinese.UNIT_NUMBER.sub(" ", part))
    tokens = [t for t in _join_keys(chinese.cut(rest), synonyms) if not chinese.is_stopword(t)]
    run: list[str] = []
    for token in [*tokens, ""]:
        # Single characters in a row that are not words on their own ("入圆率" cut as 入/圆/率): one
        # concept, found by its bigrams and its sound, and offered a correction.
        if token and len(token) == 1 and chinese.CJK_CHAR.match(token) and not synonyms.lookup(token):
            run.append(token)
            continue
        if run:
            concepts.append(_concept(run[0], synonyms) if len(run) == 1 else _run_concept("".join(run)))
            run = []
        if token:
            concepts.append(_concept(token, synonyms))
    return concepts


MAX_KEY_TOKENS = 4


def _join_keys(tokens: list[str], synonyms: chinese.Synonyms) -> list[str]:
    """Neighbouring tokens that together are a synonym key become one (a term staff added in the admin,
    such as 阿福卡, is unknown to the segmenter, which cuts it 阿福/卡), longest first."""
    joined, i = [], 0
    while i < len(tokens):
        for size in range(min(MAX_KEY_TOKENS, len(tokens) - i), 1, -1):
            candidate = "".join(tokens[i : i + size])
            if synonyms.lookup(candidate):
                joined.append(candidate)
                i += size
                break
        else:
            joined.append(tokens[i])
            i += 1
    return joined


def _concept(word: str, synonyms: chinese.Synonyms) -> Concept:
    # A lone character (月 in 每个月) says too little to be required of a page.
    light = chinese.is_light(word) or (len(word) == 1 and not synonyms.lookup(word))
    concept = Concept(word, light=light)
    concept.add(word, "word")
    for expansion in synonyms.lookup(word):
        concept.add(expansion, "synonym")
    if len(word) >= 3:
        for part in chinese.subwords(word):
            if len(part) >= 2 and not chinese.is_stopword(part):
                concept.add(part, "part")
    for expansion in synonyms.lookup(word):
        # A staff-added expansion the dictionary does not hold whole is indexed as its parts.
        if not chinese.in_dictionary(expansion):
            for part in chinese.subwords(expansion):
                concept.add(part, "part")
    if chinese.CJK_CHAR.search(word):
        _add_fallbacks(concept, word, with_bigrams=len(word) >= 3)  # a two-character word is its own bigram
    return concept


def _add_fallbacks(concept: Concept, text: str, with_bigrams: bool = True) -> None:
    """The bigrams of `text` and its sound: what finds a page when the word itself is not on it."""
    if with_bigrams:
        for gram in chinese.bigrams(text):
            concept.add(gram, "bigram")
    spelled = chinese.full_pinyin(text)
    if spelled:
        concept.add(chinese.pinyin_term(spelled), "homophone")


def _number_concept(number: str) -> Concept:
    """A number with its unit ("96%"), or else the bare number: a weaker sign, dates hold many numbers."""
    concept = Concept(number)
    concept.add(number, "word")
    concept.add(chinese.UNIT_NUMBER_VALUE.match(number).group(), "part")
    return concept


def _run_concept(run: str) -> Concept:
    # Kept required even when short: a wrong character (家庭医声: 医/声) leaves such runs, and a page
    # missing them is what makes the results weak enough to offer a correction.
    concept = Concept(run, light=all(chinese.is_light(ch) for ch in run))
    concept.add(run, "word")
    _add_fallbacks(concept, run)
    return concept


def _merge_repeats(concepts: list[Concept]) -> list[Concept]:
    seen, result = set(), []
    for concept in concepts:
        if concept.text not in seen:
            seen.add(concept.text)
            result.append(concept)
    return result


# -- pinyin ------------------------------------------------------------------------------------

# The longest word, in syllables, looked for in a pinyin query.
MAX_WORD_SYLLABLES = 6


def _pinyin_concepts(normalized: str, synonyms: chinese.Synonyms) -> list[Concept] | None:
    """Concepts of a query typed in pinyin, spaced or not ("shehuibaozhang", "yiliao baoxian"), or
    None when the query is not pinyin. Initials ("jy") are matched only when the query is all initials."""
    plain = chinese.pinyin_query(normalized)
    if plain is None or any(synonyms.lookup(part) for part in normalized.split()):
        return None  # not pinyin, or an English word staff gave a meaning to ("bus")
    joined = plain.replace("'", "").replace(" ", "")
    if not set(joined) & set("aeiouv"):
        if 2 <= len(joined) <= chinese.MAX_PINYIN_WORD:
            concept = Concept(joined)
            concept.add(joined, "word")  # also an abbreviation as written (GSP)
            concept.add(chinese.initials_term(joined), "pinyin")
            return [concept]
        return None
    syllables = chinese.syllabify(plain)
    if len(syllables) < chinese.MIN_PINYIN_SYLLABLES:
        return None
    return [_pinyin_concept(word, synonyms) for word in _pinyin_words(syllables)]


def _pinyin_words(syllables: list[str]) -> list[str]:
    """The syllables grouped into the fewest known words (pinyin of the plan's words), longest first;
    syllables that form no known word stay together as one group."""
    known = chinese.words_by_pinyin()
    n = len(syllables)
    # best[i]: (cost, groups) covering syllables[:i]; a known word costs 1, an unknown syllable 3.
    best: list[tuple[int, list[str]] | None] = [(0, [])] + [None] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - MAX_WORD_SYLLABLES), end):
            if best[start] is None:
                continue
            piece = "".join(syllables[start:end])
            if end - start >= 2 and piece in known:
                cost = best[start][0] + 1
            elif end - start == 1:
                cost = best[start][0] + 3
            else:
                continue
            if best[end] is None or cost < best[end][0]:
                best[end] = (cost, [*best[start][1], piece])
    groups = best[n][1] if best[n] else ["".join(syllables)]
    # Unknown single syllables next to each other are one unknown word, not several.
    merged: list[str] = []
    for piece in groups:
        if merged and piece not in known and merged[-1] not in known:
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _pinyin_concept(spelled: str, synonyms: chinese.Synonyms) -> Concept:
    concept = Concept(spelled)
    concept.add(chinese.pinyin_term(spelled), "pinyin")
    words = list(chinese.words_by_pinyin().get(spelled, ())) + synonyms.by_pinyin(spelled)
    for word in words[:4]:
        concept.add(word, "word")
        for expansion in synonyms.lookup(word):
            concept.add(expansion, "synonym")
    return concept
