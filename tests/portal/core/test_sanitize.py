"""Citizen text is stored as plain text and shown as plain text: no markup survives, whatever is typed."""

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from django.template import engines

from portal.core.sanitize import clean_line, clean_text, csv_cell, is_blank, without_controls, xlsx_cell
from tests.portal.core.hostile_inputs import HOSTILE, LONG_TEXT

TEXT_LIMIT, LINE_LIMIT = 2000, 200
ZWJ = "\u200d"
TAG_SHAPED = re.compile(r"<[A-Za-z/!?]")
REPO = Path(__file__).resolve().parents[3]


class _Rendered(HTMLParser):
    """What a parser finds in rendered HTML: elements, attributes, anything else that is not text, and the text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.other, self.text = [], [], [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tags.append("/" + tag)

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append(("comment", data))

    def handle_decl(self, decl):
        self.other.append(("decl", decl))

    def handle_pi(self, data):
        self.other.append(("pi", data))

    def unknown_decl(self, data):
        self.other.append(("unknown", data))


def render(template: str, value: str) -> _Rendered:
    """value shown through the project's own template engine, autoescape as configured."""
    return _Rendered(engines["django"].from_string(template).render({"value": value}))


def assert_shown_as_plain_text(stored: str):
    plain = render("<p>{{ value }}</p>", stored)
    assert plain.tags == ["p", "/p"] and plain.attrs == [] and plain.other == []
    assert "".join(plain.text) == stored  # the reader sees exactly what was stored, nothing more, nothing less
    with_breaks = render("<p>{{ value|linebreaksbr }}</p>", stored)
    assert set(with_breaks.tags) <= {"p", "/p", "br"} and with_breaks.attrs == [] and with_breaks.other == []
    assert "".join(with_breaks.text) == stored.replace("\n", "")


def is_emoji_joiner(text: str, i: int) -> bool:
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return (
        bool(before and after)
        and (unicodedata.category(before) in ("So", "Sk") or before == "\ufe0f")
        and unicodedata.category(after) == "So"
    )


def assert_clean(stored: str, *, max_length: int, multiline: bool = True):
    assert len(stored) <= max_length
    assert stored == stored.strip()
    assert unicodedata.is_normalized("NFC", stored)
    assert not TAG_SHAPED.search(stored), "nothing shaped like a tag is stored"
    for i, char in enumerate(stored):
        category = unicodedata.category(char)
        if char == "\n":
            assert multiline
        elif char == ZWJ:
            assert is_emoji_joiner(stored, i)
        else:
            assert category not in ("Cc", "Cf", "Cs"), f"U+{ord(char):04X} ({category}) at {i}"
    assert clean_text(stored, max_length=max_length, multiline=multiline) == stored, "cleaning is idempotent"


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) >= 40 and len(set(HOSTILE)) == len(HOSTILE)


@pytest.mark.parametrize("hostile", HOSTILE, ids=[f"hostile-{i}" for i in range(len(HOSTILE))])
def test_hostile_input_becomes_inert_plain_text(hostile):
    text = clean_text(hostile, max_length=TEXT_LIMIT)
    assert_clean(text, max_length=TEXT_LIMIT)
    assert_shown_as_plain_text(text)
    line = clean_line(hostile, max_length=LINE_LIMIT)
    assert_clean(line, max_length=LINE_LIMIT, multiline=False)
    assert_shown_as_plain_text(line)


@pytest.mark.parametrize(
    ("hostile", "stored"),
    [
        ("<script>alert(1)</script>", "alert(1)"),
        ("<img src=x onerror=alert(1)>", ""),
        ("<svg onload=alert(1)>", ""),
        ("<svg><script>alert(1)</script></svg>", "alert(1)"),
        ('<a href="jav&#x09;ascript:alert(1)">链接</a>', "链接"),
        ('<button formaction="javascript:alert(1)">提交</button>', "提交"),
        ("<iframe srcdoc='<script>alert(1)</script>'></iframe>", ""),
        ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""),
        ("<!--<script>-->意见", "意见"),
        ("<style>@import 'x.css';</style>意见", "@import 'x.css';意见"),
        ("<\u200bscript>alert(1)</script>", "alert(1)"),  # invisibles go first, so the tag is seen
        ("<\u212aeygen autofocus onfocus=alert(1)>", ""),  # NFC comes first, so the Kelvin sign is a K
        ("java\u200bscript:alert(1)", "javascript:alert(1)"),  # harmless text: it is never put in an attribute
        ("<<script>script>alert(1)<</script>/script>", "\uff1cscript>alert(1)\uff1c/script>"),
        ("<script", "\uff1cscript"),
        ("{{ 7*7 }}{% debug %}${7*7}", "{{ 7*7 }}{% debug %}${7*7}"),
        ("'; DROP TABLE participation_submission; --", "'; DROP TABLE participation_submission; --"),
        ('" OR "1"="1', '" OR "1"="1'),
        ("a\r\nSet-Cookie: x", "a\nSet-Cookie: x"),
        ("\u202etxt.exe", "txt.exe"),
        ("\ufeff幼\u200b儿\u200c园\u2060收\u00ad费\u180e", "幼儿园收费"),
        ("e<b></b>\u0301", "\u00e9"),  # stripping a tag joins a letter to its accent: normalised again
        ("e\u200b\u0301", "\u00e9"),
    ],
)
def test_what_is_stored(hostile, stored):
    assert clean_text(hostile, max_length=TEXT_LIMIT) == stored


def test_template_syntax_is_shown_not_run():
    stored = clean_text("{{ 7*7 }} {% debug %}", max_length=100)
    assert "".join(render("<p>{{ value }}</p>", stored).text) == "{{ 7*7 }} {% debug %}"


def test_angle_brackets_that_cannot_open_a_tag_are_kept_and_shown():
    for message in ["我认为<幼儿园>收费太高", "1 < 2，3 > 2", "<3 谢谢", "<<<重要>>>", "a -> b <- c", "<%= x %>"]:
        stored = clean_text(message, max_length=100)
        assert stored == message
        assert "".join(render("<p>{{ value }}</p>", stored).text) == message
    stored = clean_text("我认为<幼儿园>收费太高", max_length=100)
    assert engines["django"].from_string("{{ value }}").render({"value": stored}) == "我认为&lt;幼儿园&gt;收费太高"


def test_angle_brackets_that_open_a_tag_go_with_the_tag():
    assert clean_text("我认为<kindergarten>收费太高", max_length=100) == "我认为收费太高"
    assert clean_text("若 a<b 且 c>d", max_length=100) == "若 ad"


def test_entities_typed_by_a_citizen_stay_literal_text():
    for typed in ["&lt;script&gt;alert(1)&lt;/script&gt;", "A &amp; B", "&#60;b&#62;", "&nbsp;", "&", "&&", "a&b"]:
        stored = clean_text(typed, max_length=100)
        assert stored == typed  # never decoded into markup
        assert "".join(render("<p>{{ value }}</p>", stored).text) == typed  # shown exactly as typed


def test_chinese_text_and_punctuation_survive_unchanged():
    message = (
        "关于《台山市基本公共服务实施方案》第三章：我认为“幼儿园收费”偏高、校车太少……\n"
        "建议（一）增加学位；（二）公开收费标准！可以吗？——一位家长·2025年【附】《意见》\n"
        "\u3000\u3000第二段：谢谢，辛苦了。~@#￥%&*+=|\\/[]{}'\"`^_"
    )
    assert clean_text(message, max_length=1000) == message
    assert_shown_as_plain_text(message)


def test_emoji_survive():
    for emoji in [
        "😀👍🏽🙏",
        "👨\u200d👩\u200d👧\u200d👦",
        "🏳\ufe0f\u200d🌈",
        "👩🏽\u200d💻",
        "🇨🇳🇭🇰",
        "1\ufe0f\u20e3",
        "❤\ufe0f",
        "很好👍，谢谢🙏",
    ]:
        assert clean_text(emoji, max_length=100) == emoji


def test_joiners_outside_emoji_are_removed():
    assert clean_text("幼\u200d儿园", max_length=100) == "幼儿园"
    assert clean_text("a\u200d😀 😀\u200db 😀\u200d", max_length=100) == "a😀 😀b 😀"
    assert clean_text("😀\u200d\u200d😀", max_length=100) == "😀😀"


@pytest.mark.parametrize(
    "invisible",
    [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]
    + list("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200e\u200f\u2060\u2061\u2064\u3164")
    + list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufff9\uffa0\u2800\U000e0001\U000e0041"),
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_control_and_invisible_characters_are_removed(invisible):
    assert clean_text(f"幼{invisible}儿园", max_length=100) in ("幼儿园", "幼\n儿园")
    assert clean_line(f"幼{invisible}儿园", max_length=100) in ("幼儿园", "幼 儿园")


def test_whitespace_is_tidied():
    assert clean_text("  甲 \t 乙\u00a0\u2003丙  ", max_length=100) == "甲 乙 丙"
    assert clean_text("甲\r\n乙\r丙\u2028丁", max_length=100) == "甲\n乙\n丙\n丁"
    assert clean_text("甲  \n  乙", max_length=100) == "甲\n乙"
    assert clean_text("甲\n\n\n乙", max_length=100) == "甲\n\n\n乙"  # two blank lines are kept
    assert clean_text("甲" + "\n \n" * 10 + "乙", max_length=100) == "甲\n\n\n乙"  # more are not
    assert clean_text("甲\n\u3000\u3000乙", max_length=100) == "甲\n\u3000\u3000乙"  # ideographic indentation stays


def test_a_line_has_no_line_breaks():
    assert clean_line("张\n三\r\n\r\n丰", max_length=100) == "张 三 丰"
    assert clean_line("a\r\nSet-Cookie: x", max_length=100) == "a Set-Cookie: x"
    assert clean_line("<p>标题</p><p>副标题</p>", max_length=100) in ("标题副标题", "标题 副标题")


def test_length_is_bounded_in_characters():
    assert clean_text(LONG_TEXT, max_length=2000) == LONG_TEXT[:2000]
    assert clean_text("很好 " * 10, max_length=5) == "很好 很好"  # no trailing space left by the cut
    assert clean_line("x" * 500, max_length=200) == "x" * 200


def test_a_cut_never_splits_a_character_sequence():
    family = "👨\u200d👩\u200d👧"
    assert clean_text("ab" + family, max_length=4) == "ab"  # not a dangling joiner, not half a family
    assert clean_text("ab" + family, max_length=7) == "ab" + family
    assert clean_text("ab🇨🇳🇭🇰", max_length=5) == "ab🇨🇳"  # not half a flag
    assert clean_text("ab👍🏽", max_length=3) == "ab"  # not a thumb without its skin tone
    assert clean_text("ab1\ufe0f\u20e3", max_length=4) == "ab"
    assert clean_text("abc\u0302\u0323", max_length=3) == "ab"  # not a letter without its marks
    assert clean_text("a" + "\u0301" * 10_000, max_length=100) == ""


def test_blank():
    blanks = [None, "", "   ", "\n\t\r\n", "\u200b\u200d\ufeff", "\u3000\u00a0", "<p></p><br>", "<!-- 空 -->", "\x00"]
    for blank in blanks:
        assert is_blank(blank), repr(blank)
    for meaningful in ["意见", "0", "<3", "😀", "<b>字</b>"]:
        assert not is_blank(meaningful), repr(meaningful)


def test_none_and_limits():
    assert clean_text(None, max_length=10) == "" and clean_line(None, max_length=10) == ""
    with pytest.raises(ValueError):
        clean_text("x", max_length=0)


def test_bleach_is_imported_in_one_place_only():
    importing = [
        path.relative_to(REPO).as_posix()
        for folder in ("portal", "search", "scripts", "bench", "tests")
        for path in (REPO / folder).rglob("*.py")
        if re.search(r"^\s*(import|from)\s+bleach\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert importing == ["portal/core/sanitize.py"]


HOSTILE_PIECES = [
    *"<>&/!?=\"' \t\n\r",
    "script",
    "b",
    "img src=x onerror=alert(1)",
    "<b>",
    "</b>",
    "<script>",
    "<!--",
    "-->",
    "&lt;",
    "&amp;",
    "&#60;",
    "javascript:",
    "\u200b",
    ZWJ,
    "\u202e",
    "\ufeff",
    "\u00ad",
    "\x00",
    "\x85",
    "\u2028",
    "\u00a0",
    "\u3000",
    "\ud800",
    "😀",
    "👩",
    "\ufe0f",
    "🏽",
    "🇨",
    "\u0301",
    "\u0338",
    "\u212a",
    "e",
    "幼儿园",
    "，。",
    "{{",
    "}}",
]
citizen_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=2)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None, database=None)
@given(value=citizen_text, max_length=st.integers(min_value=1, max_value=80), multiline=st.booleans())
def test_any_text_becomes_inert_plain_text(value, max_length, multiline):
    stored = clean_text(value, max_length=max_length, multiline=multiline)
    assert_clean(stored, max_length=max_length, multiline=multiline)
    assert_shown_as_plain_text(stored)


@settings(max_examples=300, deadline=None, database=None)
@given(value=citizen_text.map(lambda text: text.replace("<", "")), multiline=st.booleans())
def test_text_without_a_tag_opener_skips_the_parser_with_the_same_result(value, multiline):
    """The fast path for text with no `<` must store exactly what the parser would have made of it."""
    from unittest import mock

    from portal.core import sanitize

    fast = clean_text(value, max_length=80, multiline=multiline)
    with mock.patch.object(sanitize, "_strip_tags", sanitize._parse_out_tags):
        assert clean_text(value, max_length=80, multiline=multiline) == fast


C0_CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]]  # not tab, LF, CR
FORMULA_START = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("control", C0_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_without_controls_removes_c0_controls(control):
    assert without_controls(f"幼{control}儿园{control}") == "幼儿园"


def test_without_controls_keeps_everything_else_as_typed():
    typed = "  <b>幼儿园</b>\t收费\r\n太高 &amp; \u200b\x7f\x85😀\u3000 "
    assert without_controls(typed) == typed


@settings(max_examples=200, deadline=None, database=None)
@given(
    typed=st.text().map(without_controls),
    controls=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(C0_CONTROLS)), max_size=10),
)
def test_without_controls_gives_back_exactly_what_was_typed_around_them(typed, controls):
    text = typed
    for position, control in controls:
        cut = position % (len(text) + 1)
        text = text[:cut] + control + text[cut:]
    assert without_controls(text) == typed


@pytest.mark.parametrize("start", FORMULA_START, ids=repr)
def test_a_csv_cell_that_would_be_a_formula_gets_a_leading_quote(start):
    assert csv_cell(start + 'HYPERLINK("http://evil.example")') == "'" + start + 'HYPERLINK("http://evil.example")'


@pytest.mark.parametrize("text", ["村道路灯不亮", "1+1=2", "电话:-", "'=已经加了引号", " =1+1", "", "＝全角等号"])
def test_a_csv_cell_that_is_not_a_formula_is_kept_as_typed(text):
    assert csv_cell(text) == text


def test_a_csv_cell_loses_control_characters_first():
    assert csv_cell("\x00\x1b=1+1") == "'=1+1"
    assert csv_cell("甲\x00乙\t丙\n丁") == "甲乙\t丙\n丁"


@settings(max_examples=300, deadline=None, database=None)
@given(value=st.one_of(st.text(), st.tuples(st.sampled_from(FORMULA_START), st.text()).map("".join)))
def test_any_csv_cell_is_text_to_a_spreadsheet(value):
    cell = csv_cell(value)
    assert not cell.startswith(tuple(FORMULA_START))
    assert cell in (without_controls(value), "'" + without_controls(value))


@settings(max_examples=300, deadline=None, database=None)
@given(value=st.text(alphabet=st.characters(codec="utf-8")))
def test_openpyxl_accepts_any_xlsx_cell(value):
    import openpyxl

    cell = openpyxl.Workbook().active.cell(row=1, column=1)
    cell.value = xlsx_cell(value)  # raised IllegalCharacterError for a control character
    assert cell.value == without_controls(value)
