"""Citizen text, made safe to store: the one place where feedback input is cleaned.

Opinions, supervision reports and questions are stored as *plain text*. Every HTML tag is stripped (with bleach),
control and invisible characters are removed, whitespace is tidied and the length is bounded. Nothing here escapes
for output: templates escape the stored text again, with Django's autoescape, every time it is shown.

bleach is no longer maintained upstream; its last release is pinned and it is imported nowhere else, so another
sanitizer can replace it by changing `_parse_out_tags` alone.

Decisions, each pinned by a test in tests/portal/core/test_sanitize.py:

* Angle brackets. A ``<`` that cannot open a tag is text and is kept: ``我认为<幼儿园>收费太高`` is stored as typed and
  shown as typed (autoescape writes ``&lt;``). Anything a browser would read as markup (``<`` followed by an ASCII
  letter, ``/``, ``!`` or ``?``) is removed with its tag, so ``a<b and c>d`` loses ``<b and c>``. When stripping one
  tag glues the pieces of another together (``<<script>script>``, or an unclosed ``<script``), the left-over ``<``
  becomes a full-width ``＜`` (U+FF1C): the stored value never holds anything shaped like a tag. The text between
  tags stays, even inside ``<script>`` or ``<style>``: ``<script>alert(1)</script>`` is stored as ``alert(1)``.
* Entities. Citizens type text, not HTML, so what they type is kept literally: ``&lt;script&gt;`` is stored as those
  twelve characters and shown as those twelve characters; it never turns into ``<script>``. Only the escaping that
  bleach itself adds is undone.
* Invisible characters. Controls (except newlines; tabs become spaces), format characters (zero-width space and
  non-joiner, word joiner, BOM, soft hyphen, bidi embeddings, overrides and isolates, tag characters…) and other
  blank-looking characters (Hangul fillers, braille blank, combining grapheme joiner, Mongolian vowel separator) are
  removed before tags are stripped, so ``<\\u200bscript>`` is seen as the tag it is and ``java\\u200bscript:`` cannot
  hide. The zero-width joiner is kept only between two emoji, so 👨‍👩‍👧 and 🏳️‍🌈 survive; everywhere else it goes (this
  form serves Chinese text, where it has no other use). Spaces other than the ideographic space U+3000, which
  Chinese text uses for indentation, become ordinary spaces.
* Length. Counted in code points after cleaning. A cut never ends inside a character sequence: it backs off past
  combining marks, variation selectors, skin tones, joiners and half of a flag. Input far beyond the bound is dropped
  before parsing, so an oversized post cannot keep the parser busy.

Cleaning is idempotent: ``clean_text(clean_text(x, max_length=n), max_length=n) == clean_text(x, max_length=n)``.

Two narrower rules serve input that is not stored as citizen text, and output that leaves the portal:

* ``without_controls`` removes only the C0 control characters other than tab, line feed and carriage return, and
  changes nothing else. It runs on every query value and on every public form's data before validation
  (portal/core/inputs.py): PostgreSQL refuses NUL in a string, and Django's own NUL message tells a resident
  nothing. The same characters are those XML 1.0, and so an XLSX workbook, cannot hold.
* ``csv_cell`` and ``xlsx_cell`` make a value safe for the office's spreadsheets (portal/core/exports.py). Both
  drop the same control characters: openpyxl refuses a whole workbook for one of them, and CSV readers choke on
  NUL. A CSV cell that then begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return is read by spreadsheet
  programs as a formula, so it gets a leading single quote (OWASP's rule for CSV injection). XLSX cells are typed
  strings, never formulas, so they need no quote, which Excel would show as part of the text.
"""

import html
import re
import unicodedata

import bleach

__all__ = ["clean_line", "clean_text", "csv_cell", "is_blank", "without_controls", "xlsx_cell"]

_ZWJ = "\u200d"
_REMOVED_OTHER = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")  # invisible, though not Cf
_IDEOGRAPHIC_SPACE = "\u3000"
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_SPACES = re.compile(r" {2,}")
_SPACE_AT_LINE_END = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{4,}")  # more than two blank lines in a row
_WORK_FACTOR, _WORK_SLACK = 4, 256  # input kept for parsing: max_length * factor + slack code points
_C0_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 controls other than tab, LF and CR
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str | None, *, max_length: int, multiline: bool = True) -> str:
    """Plain text fit to store: no tags, no control or invisible characters, tidy whitespace, at most max_length."""
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    text = (value or "")[: max_length * _WORK_FACTOR + _WORK_SLACK]
    text = _visible(unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text)))
    text = _visible(unicodedata.normalize("NFC", _strip_tags(text)))  # a stripped tag may join a letter to its accent
    text = _TAG_START.sub("\uff1c", text)
    if not multiline:
        text = text.replace("\n", " ")
    text = _SPACE_AT_LINE_END.sub("\n", _SPACES.sub(" ", text))
    text = _BLANK_LINES.sub("\n\n\n", text).strip()
    return _cut(text, max_length).rstrip()


def clean_line(value: str | None, *, max_length: int) -> str:
    """A single line (names, titles): as clean_text, with line breaks turned into spaces."""
    return clean_text(value, max_length=max_length, multiline=False)


def is_blank(value: str | None) -> bool:
    """Whether nothing is left once the value is cleaned: only spaces, invisible characters or markup."""
    return not clean_text(value, max_length=max(len(value or ""), 1))


def without_controls(value: str) -> str:
    """value without C0 control characters (NUL, escape, bell…); tab, line feed and carriage return stay."""
    return _C0_CONTROLS.sub("", value)


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet program shows as text, never runs as a formula."""
    value = without_controls(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def xlsx_cell(value: str) -> str:
    """An XLSX cell openpyxl accepts: the workbook's XML cannot hold C0 controls other than tab, LF and CR."""
    return without_controls(value)


def _strip_tags(text: str) -> str:
    """Remove every tag and comment, keeping the text between them; entities the citizen typed stay literal."""
    if "<" not in text:
        # Nothing can open a tag or comment, and bleach would give the text back unchanged: most
        # submissions are plain Chinese prose, and parsing them was most of a submission's cleaning time.
        return text
    return _parse_out_tags(text)


def _parse_out_tags(text: str) -> str:
    """bleach, with no tag allowed: everything it parses as markup goes, the text between stays."""
    escaped = bleach.clean(text.replace("&", "&amp;"), tags=set(), attributes={}, strip=True, strip_comments=True)
    return html.unescape(escaped)  # every `&` in the output is bleach's own escaping, so this restores plain text


def _visible(text: str) -> str:
    """Drop control and invisible characters; tabs and unusual spaces become spaces; joiners stay only inside emoji."""
    chars = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n" or char == _ZWJ:
            chars.append(char)
        elif char == "\t" or (category == "Zs" and char != _IDEOGRAPHIC_SPACE):
            chars.append(" ")
        elif category not in ("Cc", "Cf", "Cs") and char not in _REMOVED_OTHER and not _is_noncharacter(char):
            chars.append(char)
    last = len(chars) - 1
    return "".join(
        char
        for i, char in enumerate(chars)
        if char != _ZWJ or (0 < i < last and _ends_emoji(chars[i - 1]) and unicodedata.category(chars[i + 1]) == "So")
    )


def _is_noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _ends_emoji(char: str) -> bool:
    return unicodedata.category(char) == "So" or char == "\ufe0f" or "\U0001f3fb" <= char <= "\U0001f3ff"


def _extends(char: str) -> bool:
    """Whether char belongs to the character before it: a mark, variation selector, skin tone or joiner."""
    return unicodedata.category(char)[0] == "M" or char == _ZWJ or "\U0001f3fb" <= char <= "\U0001f3ff"


def _is_flag_half(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _splits_flag(text: str, cut: int) -> bool:
    """Whether cutting before text[cut] separates the two regional indicators of a flag such as 🇨🇳."""
    if not _is_flag_half(text[cut]):
        return False
    halves = 0
    while halves < cut and _is_flag_half(text[cut - 1 - halves]):
        halves += 1
    return halves % 2 == 1


def _cut(text: str, limit: int) -> str:
    """The first limit code points, backing off so that no accent, emoji sequence or flag is cut in two."""
    if len(text) <= limit:
        return text
    cut = limit
    while cut > 0 and (_extends(text[cut]) or text[cut - 1] == _ZWJ or _splits_flag(text, cut)):
        cut -= 1
    return text[:cut]
