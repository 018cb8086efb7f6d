"""Highlighted snippets, built the same way for both engines and always escaped before marking."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WINDOW = 70


def make_snippet(body: str, words: list[str], width: int = WINDOW) -> SafeString:
    """A window of `body` around the first matched word, with every matched word in <mark>."""
    text = re.sub(r"\s+", " ", body or "").strip()
    words = sorted({w for w in words if w and len(w) >= 1 and w in text}, key=len, reverse=True)
    if not words:
        return mark_safe(escape(text[:width] + ("…" if len(text) > width else "")))
    first = min(text.find(w) for w in words)
    start = max(0, first - width // 3)
    window = text[start : start + width]
    pattern = re.compile("|".join(re.escape(w) for w in words))
    pieces, last = [], 0
    for match in pattern.finditer(window):
        pieces.append(escape(window[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(window[last:]))
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)
