"""Highlighted snippets: the passage of a page that answers the query, the same for both engines.

The window is the one that holds the most of the query's concepts, each weighed by how rare its
word is (a window with 敬老院 beats one with 申请), and the longest piece of the query found exactly
as typed places it first. Only whole words of the query (and the plan's words for them) are marked,
never the stray bigrams that only help find the page. Text is always escaped before marking.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import chinese

WINDOW = 70
# Where a match sits in its window: a little context before it, most of the window after.
LEAD = WINDOW // 4
MAX_OCCURRENCES = 40  # per word: enough to find the best window in a long text, bounded in cost
PHRASE_WEIGHT = 3.0  # per character of the longest exact piece of the query
FALLBACK_WEIGHT = 0.2  # a bigram of a concept whose words are nowhere in the text
_CLAUSE_START = re.compile(r"[。;;!?!?\n]")


def make_snippet(body: str, plan, width: int = WINDOW) -> SafeString:
    """A window of `body` holding what answers the query (a concepts.QueryPlan), words marked."""
    text = re.sub(r"\s+", " ", body or "").strip()
    if not text:
        return mark_safe("")
    folded = text.lower()
    concepts = [
        ([(w, factor) for w, factor in words if w and w in folded], _present(fallback, folded))
        for words, fallback in plan.snippet_concepts()
    ]
    phrase = _longest_piece(plan.phrase, folded)
    start = _best_start(folded, concepts, phrase, width)
    window = text[start : start + width]
    marks = sorted({w for words, _ in concepts for w, _ in words}, key=len, reverse=True)
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + _mark(window, marks) + suffix)


def _present(words: list[str], folded: str) -> list[str]:
    return [w for w in dict.fromkeys(words) if w and w in folded]


def _longest_piece(phrase: str, folded: str) -> str:
    """The longest piece (3+ characters) of the query as typed that occurs in the text."""
    for size in range(min(len(phrase), 20), 2, -1):
        for start in range(len(phrase) - size + 1):
            piece = phrase[start : start + size]
            if piece in folded:
                return piece
    return ""


def _occurrences(word: str, folded: str) -> list[int]:
    found, at = [], folded.find(word)
    while at >= 0 and len(found) < MAX_OCCURRENCES:
        found.append(at)
        at = folded.find(word, at + len(word))
    return found


def _best_start(folded: str, concepts, phrase: str, width: int) -> int:
    # Each concept's strings with their weight: whole words by rarity, fallbacks a little.
    weighted = []
    for words, fallback in concepts:
        items = [(w, factor * chinese.rarity(w) * len(w) ** 0.5) for w, factor in words]
        items += [(w, FALLBACK_WEIGHT) for w in fallback if not words]
        weighted.append([(w, weight, _occurrences(w, folded)) for w, weight in items])
    anchors = sorted({at for concept in weighted for _, _, places in concept for at in places})
    if phrase:
        anchors = _occurrences(phrase, folded)
    if not anchors:
        return 0
    best_start, best_score = 0, -1.0
    for anchor in anchors:
        start = _clause_start(folded, max(0, anchor - LEAD), anchor)
        end = start + width
        score = sum(
            max((weight for w, weight, places in concept if _inside(places, len(w), start, end)), default=0)
            for concept in weighted
        )
        if phrase:
            score += PHRASE_WEIGHT * len(phrase)
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def _inside(places: list[int], length: int, start: int, end: int) -> bool:
    return any(start <= p and p + length <= end for p in places)


def _clause_start(folded: str, start: int, anchor: int) -> int:
    """Start the window after the last sentence break before the match, if one is near."""
    breaks = [m.end() for m in _CLAUSE_START.finditer(folded, start, anchor)]
    return breaks[-1] if breaks else start


def _mark(window: str, words: list[str]) -> str:
    if not words:
        return escape(window)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(window):
        pieces.append(escape(window[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(window[last:]))
    return "".join(pieces)
