"""The site in traditional characters: every public page under /zh-hant/ is its simplified page, converted.

Why convert the response rather than the content: there is one content tree, in the plan's own simplified
text, that staff edit once (WAGTAIL_I18N_ENABLED stays off). The URL patterns of the public site are in
Django's i18n_patterns (portal/urls.py), so LocaleMiddleware activates zh-hant for /zh-hant/… and every
reversed URL and Wagtail page URL on such a page keeps the prefix; this middleware then turns the page's
text (templates, page content, data) into traditional characters with OpenCC.

Which conversion: OpenCC's s2hk (Hong Kong forms), because Taishanese overseas families mostly read Hong
Kong-style traditional characters and s2hk changes characters only. s2twp would also swap vocabulary for
Taiwan usage (信息→資訊, 搜索→搜尋, 打印→列印) and write 台 as 臺 even in the document number 台府〔2014〕32号,
which the plan's readers would not recognise. One character is taken back: s2hk writes 卫 as the Hong Kong
school form 衞, where Big5, overseas Chinese newspapers and most fonts use 衛 (衛生, 衛生健康局).

What stays as it was: what goes back to the server. A form returned with its errors holds what the resident
typed (a <textarea>'s text, an input's value), and a submission made from a traditional page must be stored
exactly as typed, so those are never converted; nor are <option>/<input> values, which are data (ids, a
domain's name as the search filter knows it), nor the 简体 switch. Streamed responses (the CSV downloads) are sent
as they are.

Sits inside the page cache and gzip (portal/settings/base.py), so the cache keeps the converted page and
gzip compresses the converted bytes. OpenCC's dictionaries are loaded once per process, at the first
traditional page: about 12 MB of resident memory (lean_config and merge_dictionaries say why not 43), and a
50,000-character page takes about 20 ms to convert, on a cache miss only.
"""

import functools
import json
import re
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_from_path

TRADITIONAL = "zh-hant"
CONVERTED_TYPES = ("text/html", "application/json", "application/atom+xml")
# After s2hk: the form of a character most traditional readers outside Hong Kong's schools write.
COMMON_FORMS = str.maketrans({"衞": "衛"})
# Never converted: what a reader typed or the server reads back (a textarea's text, any value="…" attribute), and a
# link written in simplified characters on purpose (the 简体 switch, marked lang="zh-Hans").
KEPT = re.compile(
    r"(<textarea\b[^>]*>.*?</textarea>|\svalue=\"[^\"]*\"|<a\b[^>]*\slang=\"zh-Hans\"[^>]*>[^<]*</a>)",
    re.DOTALL | re.IGNORECASE,
)


# OpenCC's s2hk without the phrases it generates from the regional (Hong Kong, Taiwan) vocabularies: the same text on
# the whole plan (tests/portal/core/test_script.py checks), and 16 MB of memory less.
UNUSED_DICTIONARY = "STPhrases_GeneratedFromRegionalPhrases.ocd2"
PHRASES, CHARACTERS = "STPhrases.ocd2", "STCharacters.ocd2"
MERGED = "STPhrasesAndCharacters.ocd2"


def merge_dictionaries(share: Path, folder: Path) -> Path:
    """STPhrases and STCharacters as one dictionary, written with OpenCC's own opencc_dict tool.

    Why: s2hk's first step looks a text up in a group (STPhrases, then STCharacters), and OpenCC builds a matching
    table for a group over every entry of its members: 20 of the 27 MB the conversion took. One dictionary that holds
    both is matched straight from its trie. It converts alike because the two have no key in common and every phrase is
    longer than a character: the longest match in the merged dictionary is the phrase's where a phrase matches, and the
    character's where none does, as in the group (tests/portal/core/test_script.py compares both on every key of both).
    Segmentation keeps STPhrases alone: the runs of characters that no phrase matches must stay one segment, so that
    the Hong Kong step still sees names such as 林曉峯 whole."""
    tool = share.parent.parent / "bin" / "opencc_dict"
    texts = {}
    for name in (PHRASES, CHARACTERS):
        texts[name] = folder / f"{name}.txt"
        dump = [tool, "-i", share / name, "-o", texts[name], "-f", "ocd2", "-t", "text"]
        subprocess.run(dump, check=True, capture_output=True)
    # Checked and copied line by line: the 50,000 phrases never sit in this process's memory at once,
    # whose heap would keep their room after they were freed.
    with texts[CHARACTERS].open(encoding="utf-8") as lines:
        characters = {line.split("\t", 1)[0] for line in lines}
    merged_text = folder / "merged.txt"
    with merged_text.open("w", encoding="utf-8") as merged:
        for name in (PHRASES, CHARACTERS):
            with texts[name].open(encoding="utf-8") as lines:
                for line in lines:
                    key = line.split("\t", 1)[0]
                    if name == PHRASES and (len(key) < 2 or key in characters):
                        raise RuntimeError(f"OpenCC's {PHRASES} and {CHARACTERS} overlap: they cannot be merged")
                    merged.write(line if line.endswith("\n") else line + "\n")
    target = folder / MERGED
    subprocess.run([tool, "-i", merged_text, "-o", target, "-f", "text", "-t", "ocd2"], check=True, capture_output=True)
    return target


def lean_config(share: Path, folder: Path) -> Path:
    """s2hk.json as OpenCC ships it, minus UNUSED_DICTIONARY, its first step's two dictionaries merged into one, and
    every dictionary named by its full path. Written into folder, with the merged dictionary."""

    def ocd2(path: Path) -> dict:
        return {"type": "ocd2", "file": str(path)}

    def lean(node):
        if isinstance(node, dict):
            if node.get("file"):
                return {**node, "file": str(share / node["file"])}
            return {key: lean(value) for key, value in node.items()}
        if isinstance(node, list):
            return [
                lean(item) for item in node if not (isinstance(item, dict) and item.get("file") == UNUSED_DICTIONARY)
            ]
        return node

    config = lean(json.loads((share / "s2hk.json").read_text(encoding="utf-8")))
    first_step = json.dumps(config["conversion_chain"][0])
    if PHRASES not in first_step or CHARACTERS not in first_step or len(config["conversion_chain"]) != 2:
        raise RuntimeError("OpenCC's s2hk.json has changed: check lean_config against it")
    config["segmentation"]["dict"] = ocd2(share / PHRASES)
    config["conversion_chain"][0] = {"dict": ocd2(merge_dictionaries(share, folder))}
    target = folder / "s2hk.json"
    target.write_text(json.dumps(config))
    return target


@functools.cache
def converter():
    import opencc  # imported here: a process that serves no traditional page never loads the dictionaries

    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    with tempfile.TemporaryDirectory() as folder:  # OpenCC reads the files whole: they can go once it has them
        return opencc.OpenCC(str(lean_config(share, Path(folder))))


def to_traditional(text: str) -> str:
    return converter().convert(text).translate(COMMON_FORMS) if text else text


def html_to_traditional(html: str) -> str:
    """The page's text converted; every other piece (the typed text and the values) as it was."""
    pieces = KEPT.split(html)
    # split() with one group alternates: text, kept, text, kept … text.
    return "".join(piece if index % 2 else to_traditional(piece) for index, piece in enumerate(pieces))


def language_of(path: str) -> str:
    """A public path's language from its prefix alone, as LocaleMiddleware decides it for i18n_patterns without a
    prefix for the default: never from Accept-Language or a cookie, so that one URL is one page whoever asks."""
    return get_language_from_path(path) or settings.LANGUAGE_CODE


def is_traditional(request) -> bool:
    return language_of(request.path_info) == TRADITIONAL


def in_script(url: str, language: str | None = None) -> str:
    """The same site URL in a language, the active one by default: /health/ ↔ /zh-hant/health/.

    Query and fragment are kept; a URL outside i18n_patterns (admin, documents) comes back unchanged. The URL is
    resolved decoded, since a percent-encoded slug matches no pattern."""
    target = language or translation.get_language() or settings.LANGUAGE_CODE
    decoded = unquote(url)
    with translation.override(language_of(urlsplit(decoded).path)):  # resolved in its own language, then reversed
        return translate_url(decoded, target)


class TraditionalScriptMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.streaming or not is_traditional(request) or not content_type.startswith(CONVERTED_TYPES):
            return response
        text = response.content.decode(response.charset)
        converted = html_to_traditional(text) if content_type.startswith("text/html") else to_traditional(text)
        response.content = converted.encode(response.charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
