"""Hostile citizen input: what portal.core.sanitize must turn into harmless plain text.

Each entry is something a citizen's form field could carry. Kept as data so that any test (a form's, a view's)
can run the same corpus through its own path.
"""

LONG_TEXT = "我认为幼儿园收费太高。" * 10_000  # 100,000 characters
LONG_MARKUP = "<b><i>" * 20_000  # 240,000 characters of nothing but tags

HOSTILE = [
    # Script and event handlers
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">点我</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",  # mutation XSS
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',  # mutation XSS
    # javascript: and data: URLs, disguised
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    "java\u200bscript:alert(1)",
    "java\u00adscript:alert(1)",
    "\u200bjavascript\u2060:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    # Forms, frames, styles, meta
    '<button formaction="javascript:alert(1)">提交</button>',
    "<form><button formaction=javascript:alert(1)>X</button></form>",
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<style>@import 'https://evil.example/x.css';</style>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    # Broken, nested and encoded markup
    "<!--<script>-->alert(1)",
    "<!-- --!><script>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script",
    "<img src=x onerror=alert(1)//",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<?xml version='1.0'?><x>y</x>",
    "<!DOCTYPE html><html><body>hi</body></html>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&amp;lt;script&amp;gt;",
    "<\u200bscript>alert(1)</script>",
    "<\u212aeygen autofocus onfocus=alert(1)>",  # KELVIN SIGN: NFC turns it into an ASCII K
    "<\u0338script>",  # NFC composes < and the overlay into ≮
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",  # full-width brackets
    # Template syntax
    "{{ 7*7 }}",
    "{% debug %}",
    "{% load static %}{% static 'x' %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('alert(1)')()}}",
    # SQL
    "'; DROP TABLE participation_submission; --",
    '" OR "1"="1',
    "1; SELECT pg_sleep(10)--",
    # Header and line injection
    "a\r\nSet-Cookie: x=1",
    "a\rb\nc\r\n\r\n\r\n\r\n\r\nd",
    "name\u2028Bcc: victim@example.com\u2029x",
    # Control, format and invisible characters
    "a\x00b\x00c",
    "\x07\x08\x1b[31mred\x1b[0m\x7f\x85\x9f",
    "\u202etxt.exe",
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069双向",
    "\ufeff幼\u200b儿\u200c园\u200d收\u2060费\u00ad太\u180e高",
    "\u3164\u115f\u1160\uffa0\u2800\u034f",  # blank-looking letters
    "\U000e0069\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065 hidden tags",  # ASCII smuggled in tag characters
    "\ufdd0\ufffe\uffff\U0010ffff",  # noncharacters
    "\ud800 lone surrogate \udfff",
    " \t \u00a0 \u2003 \u3000 \n\n ",
    "\u200b\u200b\u200b",
    # Length, emoji, combining marks
    LONG_TEXT,
    LONG_MARKUP,
    "<" * 50_000,
    "&" * 50_000,
    "😀" * 5_000,
    "👨\u200d👩\u200d👧\u200d👦🏳\ufe0f\u200d🌈👍🏽🇨🇳",
    "Z\u0351\u0354\u0318\u0355\u0300\u0301" * 200,  # Zalgo
    "a" + "\u0301" * 10_000,
]


def encodable(text: str) -> bool:
    """Whether a request can carry it: lone surrogates cannot be encoded as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
