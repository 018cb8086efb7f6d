"""Chinese text analysis for search, done once in Python so that every engine sees the same terms.

Elasticsearch here has only its core analyzers (no cjk, ik or smartcn plugin), so documents and
queries are both turned into whitespace-separated *terms* by this module, and the engines (the
Elasticsearch index and the database fallback) only compare those terms. A document's terms are:

* words: jieba's search-mode segmentation, with a user dictionary of the plan's own terms, so that
  入园率, 社会保障卡 or 最低生活保障 stay whole and also yield their parts;
* bigrams: overlapping pairs of Chinese characters, for recall when segmentation differs and for
  tolerance of one wrong character in a long word;
* pinyin: ``py:jiaoyu`` (full, toneless) and ``pyi:jy`` (initials) for each multi-character word,
  so that residents who type pinyin find Chinese text. The prefixes keep them apart from real words.

Text is normalised first (NFKC, traditional to simplified with OpenCC's hk2s, lowercase), so 醫療保險,
衞生 and full-width ９６％ meet the plan's 医疗保险, 卫生 and 96%.

Everything heavy (OpenCC, jieba's 350k-word dictionary, pypinyin, the plan's YAML) is imported and
loaded lazily, once, under a lock: importing this module does no I/O. All functions are pure in the
sense that they depend only on their arguments and those fixed dictionaries.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import tempfile
import threading
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
PLAN_FILE = Path(__file__).resolve().parent.parent / "portal" / "plan" / "data" / "plan.yaml"

PINYIN_PREFIX = "py:"
INITIALS_PREFIX = "pyi:"

# Bounds that keep indexing cheap and predictable whatever an editor pastes into a page.
MAX_TEXT_CHARS = 50_000  # per text passed to index_terms (the whole plan is 17,000 characters)
MAX_INDEX_TERMS = 120_000  # per index_terms call (the whole plan gives about 40,000)
MAX_QUERY_CHARS = 100  # residents type a few words; longer input is cut, not rejected
MAX_PINYIN_WORD = 8  # nobody types the pinyin of a 20-character indicator name
MAX_USER_WORD = 12  # longer plan phrases would swallow the words inside them
MIN_PINYIN_SYLLABLES = 2  # a single syllable ("an", "me") is more likely English than pinyin

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
CJK_CHAR = _CJK_CHAR  # for search/concepts.py
# Bigrams: runs of Chinese characters, or of letters/digits (a decimal point stays inside a number).
_BIGRAM_RUNS = re.compile(f"([{_CJK}]+)|([0-9a-z\u00c0-\u024f]+(?:\\.[0-9]+)?)")
# A segmented token keeps only its letters and digits at the edges: "96%" -> "96", "-" -> "".
_EDGE_JUNK = re.compile(r"^[\W_]+|[\W_]+$")
_HAS_WORD_CHAR = re.compile(r"[^\W_]")
_DIGIT = re.compile(r"[0-9]")
_CONNECTORS = frozenset("的和与及或等对")
# What may appear in a pinyin query: letters, ü/v, apostrophes (xi'an), spaces, tone marks.
_PINYIN_QUERY = re.compile(r"^[a-zü' ]+$")
_VOWELS = frozenset("aeiouv")
# Separators inside plan names and between synonym expansions.
_PHRASE_SPLIT = re.compile(f"[^{_CJK}0-9a-z]+")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]+)[”\"」』]")
_QUOTE_MARKS = re.compile(r"[“”\"「」『』‘’']")
_EXPANSION_SPLIT = re.compile(r"[、,，;；\s]+")
_SYNONYM_ARROW = re.compile(r"\s*(?:=>|⇒|→)\s*")

# Prefixes that residents leave out of department names (市教育局 -> 教育局).
_DEPARTMENT_PREFIXES = ("台山市", "江门市", "市委", "市直", "市", "各")

T = TypeVar("T")


def _load_once(func: Callable[[], T]) -> Callable[[], T]:
    """Run `func` on first use only, even when several threads ask at the same moment."""
    lock = threading.Lock()
    missing = object()
    result: list[object] = [missing]

    @functools.wraps(func)
    def wrapper() -> T:
        if result[0] is missing:
            with lock:
                if result[0] is missing:
                    result[0] = func()
        return result[0]  # type: ignore[return-value]

    return wrapper


def _dedupe(items: Iterable[str]) -> list[str]:
    """Drop repeats and empties, keeping first occurrences in order."""
    return list(dict.fromkeys(item for item in items if item))


def _read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a file in search/data."""
    path = DATA_DIR / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------


@_load_once
def _converter():
    # hk2s rather than t2s: it also folds Hong Kong variants (衞生 -> 卫生), which matters for a
    # city whose overseas families mostly write Hong Kong-style traditional characters, and it
    # leaves the plan's simplified text untouched (checked on the whole source text).
    import opencc

    return opencc.OpenCC("hk2s")


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), traditional to simplified, lowercase, single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    if _CJK_CHAR.search(text):  # OpenCC is cheap, but most latin queries need none of it
        text = _converter().convert(text)
    return " ".join(text.lower().split())


def _compact(text: str) -> str:
    """The normalised text without spaces: how a phrase is compared with dictionary words."""
    return normalize(text).replace(" ", "")


# ---------------------------------------------------------------------------------------------
# Vocabulary: the plan's own words, loaded from plan.yaml and search/data
# ---------------------------------------------------------------------------------------------


def _phrases(text: str | None, max_len: int = MAX_USER_WORD) -> list[str]:
    """Dictionary-worthy phrases in a plan name: quoted parts, then the pieces between punctuation."""
    if not text:
        return []
    text = normalize(text)
    quoted = _QUOTED.findall(text)
    unquoted = _QUOTE_MARKS.sub("", text)
    pieces = [*quoted, *_PHRASE_SPLIT.split(unquoted)]
    # Pieces with digits ("2015年", "3个培训") are dates and counts, not terms; a piece that starts
    # with a connector ("的农村", "或排球场") is the tail of a phrase the punctuation cut apart.
    return [
        p
        for p in pieces
        if 2 <= len(p) <= max_len and _CJK_CHAR.search(p) and not _DIGIT.search(p) and p[0] not in _CONNECTORS
    ]


@_load_once
def _title_verbs() -> re.Pattern[str]:
    # Longest first, so 建立健全 is cut whole before 建立.
    words = sorted(map(_compact, _read_lines("title_verbs.txt")), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def _task_phrases(title: str | None) -> list[str]:
    """Noun phrases of a task title: the title is a sentence, so cut it at punctuation and verbs."""
    phrases = []
    for piece in _phrases(title, max_len=1000):
        phrases.extend(p for p in _title_verbs().split(piece) if 3 <= len(p) <= 10)
    return phrases


def _department_names(name: str | None) -> list[str]:
    """A department's name and the short forms residents use (市教育局 -> 教育局)."""
    names = []
    for phrase in _phrases(name):
        names.append(phrase)
        for prefix in _DEPARTMENT_PREFIXES:
            if phrase.startswith(prefix) and len(phrase) - len(prefix) >= 2:
                names.append(phrase[len(prefix) :])
                break
    return names


def _indicators(container: Mapping) -> Iterator[Mapping]:
    yield from container.get("indicators") or []


def plan_terms(plan: Mapping) -> list[str]:
    """The words a plan document (as in plan.yaml) contributes to the user dictionary."""
    words: list[str] = []
    for domain in plan.get("domains") or []:
        words += _phrases(domain.get("title"))
        for indicator in _indicators(domain):
            words += _phrases(indicator.get("name"))
        for task in domain.get("tasks") or []:
            words += _task_phrases(task.get("title"))
            for indicator in _indicators(task):
                words += _phrases(indicator.get("name"))
    for department in plan.get("departments") or []:
        words += _department_names(department.get("name"))
    for item in [*(plan.get("mechanisms") or []), *(plan.get("phases") or [])]:
        words += _phrases(item.get("title"))
    return _dedupe(words)


def _load_plan_terms() -> list[str]:
    # The plan file belongs to the plan app; search must still work (with the built-in vocabulary)
    # if it moves, is unreadable or malformed, so a problem is logged, not raised.
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster
    try:
        with PLAN_FILE.open(encoding="utf-8") as handle:
            return plan_terms(yaml.load(handle, Loader=loader) or {})
    # yaml.YAMLError is not a ValueError; a well-formed file of the wrong shape raises the others.
    except (OSError, UnicodeError, yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
        logger.error("search: plan terms not loaded from %s, built-in vocabulary only: %s", PLAN_FILE, exc)
        return []


def _is_dictionary_word(word: str) -> bool:
    return 2 <= len(word) <= 40 and not any(ch.isspace() for ch in word) and _HAS_WORD_CHAR.search(word) is not None


@_load_once
def vocabulary() -> tuple[str, ...]:
    """The user-dictionary words, plan terms first: for suggestions, autocomplete and pinyin lookup."""
    synonym_words = [w for key, values in _default_synonym_map().items() for w in (key, *values)]
    words = [*_load_plan_terms(), *_read_lines("terms.txt"), *synonym_words]
    return tuple(_dedupe(w for w in map(_compact, words) if _is_dictionary_word(w)))


@_load_once
def _stopwords() -> frozenset[str]:
    return frozenset(_compact(line) for line in _read_lines("stopwords.txt"))


# ---------------------------------------------------------------------------------------------
# Segmentation
# ---------------------------------------------------------------------------------------------


def _jieba_cache_dir() -> str | None:
    """A private directory for jieba's dictionary cache (it unmarshals whatever file it finds there,
    so a shared, world-writable /tmp is not a good place). None lets jieba use its default."""
    path = Path(tempfile.gettempdir()) / f"portal-jieba-{os.getuid()}"
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return str(path)


@_load_once
def _tokenizer():
    with warnings.catch_warnings():
        # jieba 0.42 imports pkg_resources, which newer setuptools deprecate loudly.
        warnings.simplefilter("ignore", DeprecationWarning)
        import jieba
    # jieba logs "Building prefix dict ..." at DEBUG to its own stderr handler on every start.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # our own: the global one may be shaped by other code
    cache_dir = _jieba_cache_dir()
    if cache_dir:
        tokenizer.tmp_dir = cache_dir
    tokenizer.initialize()
    # Shorter words first: add_word() picks a frequency just high enough to beat the current split,
    # so a long word added after its parts still wins over them.
    for word in sorted(vocabulary(), key=len):
        tokenizer.add_word(word)
    return tokenizer


def _in_dictionary(word: str) -> bool:
    # jieba keeps every prefix of every word in FREQ with frequency 0; only >0 are words.
    return _tokenizer().FREQ.get(word, 0) > 0


def _search_mode(text: str) -> Iterator[str]:
    """jieba's search mode, plus dictionary sub-words of four or more characters.

    cut_for_search only looks inside a long word for sub-words of two and three characters, so
    社会保障卡持卡率 would not yield 社会保障卡; the plan's terms are often that long.
    """
    tokenizer = _tokenizer()
    freq = tokenizer.FREQ
    for token in tokenizer.cut_for_search(text):
        # Sub-words that cut_for_search yields are 2-3 characters long, so a token of 5+ is a whole word.
        if len(token) >= 5:
            for size in range(4, len(token)):
                for start in range(len(token) - size + 1):
                    part = token[start : start + size]
                    if freq.get(part, 0) > 0:
                        yield part
        yield token


def _clean_tokens(tokens: Iterable[str]) -> list[str]:
    stopwords = _stopwords()
    words = []
    for token in tokens:
        token = _EDGE_JUNK.sub("", token)
        if token and token not in stopwords and _HAS_WORD_CHAR.search(token):
            words.append(token)
    return words


def _segment_normalized(text: str) -> list[str]:
    return _clean_tokens(_search_mode(text)) if text else []


def segment(text: str) -> list[str]:
    """Search-mode words of the normalised text, without punctuation and stopwords (repeats kept)."""
    return _segment_normalized(normalize(text))


# ---------------------------------------------------------------------------------------------
# Bigrams and pinyin
# ---------------------------------------------------------------------------------------------


def _bigrams_normalized(text: str) -> list[str]:
    grams = []
    for cjk, latin in _BIGRAM_RUNS.findall(text):
        if latin:
            grams.append(latin)
        elif len(cjk) == 1:
            grams.append(cjk)  # a lone character is all there is to match
        else:
            grams.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
    return grams


def bigrams(text: str) -> list[str]:
    """Overlapping bigrams of each run of Chinese characters; letter/digit runs whole."""
    return _bigrams_normalized(normalize(text))


@functools.lru_cache(maxsize=65_536)  # the same words recur across documents; pypinyin is the slow part
def _pinyin_pair(word: str) -> tuple[str, str] | None:
    """(full toneless pinyin, initials) of a Chinese word of 2..MAX_PINYIN_WORD characters."""
    if not (2 <= len(word) <= MAX_PINYIN_WORD) or not _CJK_RUN.fullmatch(word):
        return None
    from pypinyin import Style, lazy_pinyin

    # pypinyin reads words, not characters, so heteronyms come out right: 入园率 is ruyuanlv, not
    # ruyuanshuai; ü is written v, as on a keyboard.
    syllables = lazy_pinyin(word, errors="ignore")
    initials = lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")
    if len(syllables) < 2:
        return None
    return "".join(syllables), "".join(initials)


def _pinyin_terms(word: str) -> list[str]:
    pair = _pinyin_pair(word)
    return [PINYIN_PREFIX + pair[0], INITIALS_PREFIX + pair[1]] if pair else []


@_load_once
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (about 410). A file, because deriving them from pypinyin's
    character table takes a second; a test checks the file against that table."""
    return frozenset(_read_lines("pinyin_syllables.txt"))


def _syllables_from_pypinyin() -> frozenset[str]:
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {to_normal(r, v_to_u=False) for value in pinyin_dict.values() for r in value.split(",")}
    # Drop the interjections m, n, ng, hm, hng: they would make any consonant string "pinyin".
    return frozenset(r for r in readings if r.isascii() and r.isalpha() and _VOWELS & set(r))


def _syllable_count(text: str) -> int:
    """How many syllables `text` splits into (fewest), or 0 if it is not a string of syllables."""
    syllables = _syllables()
    longest = 6  # zhuang, chuang, shuang
    best = [0] + [0] * len(text)  # best[i]: fewest syllables covering text[:i]; 0 = impossible
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - longest), end):
            if (start == 0 or best[start]) and text[start:end] in syllables:
                count = best[start] + 1
                if not best[end] or count < best[end]:
                    best[end] = count
    return best[len(text)]


def _pinyin_query_text(normalized: str) -> str | None:
    """The query as plain keyboard pinyin ("jiàoyù" -> "jiaoyu", "lü" -> "lv"), or None."""
    decomposed = unicodedata.normalize("NFD", normalized.replace("u:", "v").replace("ü", "v"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain if plain and _PINYIN_QUERY.match(plain) else None


def _index_by_pinyin(words: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for word in words:
        pair = _pinyin_pair(word)
        if pair:
            index.setdefault(pair[0], []).append(word)
    return index


# ---------------------------------------------------------------------------------------------
# Index terms
# ---------------------------------------------------------------------------------------------


def index_terms(*texts: str | None) -> list[str]:
    """The terms a document is indexed with: words, bigrams, numbers with their units (96%, 500米) and
    prefixed pinyin of each text.

    Repeats are kept (term frequency is a signal), but each text is cut at MAX_TEXT_CHARS and the
    whole list at MAX_INDEX_TERMS. Empty or None texts are skipped.
    """
    terms: list[str] = []
    for text in texts:
        if not text:
            continue
        normalized = normalize(text[:MAX_TEXT_CHARS])
        words = _segment_normalized(normalized)
        terms += words
        terms += _bigrams_normalized(normalized)
        terms += unit_numbers(normalized)
        for word in words:
            terms += _pinyin_terms(word)
        if len(terms) >= MAX_INDEX_TERMS:
            break
    return terms[:MAX_INDEX_TERMS]


# A number and the unit after it, kept together so that "6‰" or "500米" finds the target that says so
# rather than every text holding a 6 or a 500 (dates hold many).
UNIT_NUMBER = re.compile(
    r"\d+(?:\.\d+)?(?:%|‰|个百分点|平方米|公里|千米|分钟|小时|人次|万人|万元|亿元|米|人|名|岁|天|元|万|所|个|户|间|张|辆|条|项|座|家|套|次|倍|年)"
)


UNIT_NUMBER_VALUE = re.compile(r"\d+(?:\.\d+)?")


def unit_numbers(normalized: str) -> list[str]:
    """Numbers with their unit in normalised text: ["96%", "500米"] for "96%以上,500米覆盖"."""
    return UNIT_NUMBER.findall(normalized)


# ---------------------------------------------------------------------------------------------
# Synonyms
# ---------------------------------------------------------------------------------------------


def _is_subsequence(short: str, long: str) -> bool:
    """True if the characters of `short` appear in `long` in order (社保卡 in 社会保障卡)."""
    chars = iter(long)
    return all(ch in chars for ch in short)


def _expansion_list(values: str | Iterable[str]) -> list[str]:
    if isinstance(values, str):
        values = [values]
    return [part for value in values for part in _EXPANSION_SPLIT.split(normalize(value)) if part]


class Synonyms:
    """Expands residents' words with the plan's words: {"社保卡": ["社会保障卡"], ...}.

    Keys and expansions are normalised, so staff may type them in traditional characters. A pair
    also works backwards when one side is an abbreviation of the other (its characters appear in
    order in the other: 社保卡/社会保障卡, 医保/医疗保险, 计生/计划生育), so a query in the plan's wording
    also finds pages written in everyday words. Other pairs (幼儿园 => 学前教育) work one way only:
    reversed they would send every 学前教育 query to 幼儿园.
    """

    def __init__(self, mapping: Mapping[str, str | Iterable[str]] | None = None, *, reverse: bool = True):
        forward: dict[str, list[str]] = {}
        for raw_key, raw_values in (mapping or {}).items():
            key = _compact(raw_key)
            values = [v for v in _expansion_list(raw_values) if v != key]
            if key and values:
                forward[key] = _dedupe([*forward.get(key, []), *values])
        table = {key: list(values) for key, values in forward.items()}
        if reverse:
            for key, values in forward.items():
                for value in values:
                    short, long = sorted((key, value), key=len)
                    # An abbreviation (社保卡/社会保障卡, not 残疾人/残疾人补贴, not 村/农村) works backwards.
                    if len(short) >= 2 and short not in long and _is_subsequence(short, long):
                        table[value] = _dedupe([*table.get(value, []), key])
        self._table = table
        self._pinyin_lock = threading.Lock()
        self._by_pinyin: dict[str, list[str]] | None = None

    @classmethod
    def default(cls) -> Synonyms:
        return _default_synonyms()

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and _compact(word) in self._table

    def __repr__(self) -> str:
        return f"<Synonyms {len(self._table)} entries>"

    def lookup(self, word: str) -> list[str]:
        """The expansions of exactly this word (normalised)."""
        return list(self._table.get(_compact(word), []))

    def words(self) -> list[str]:
        """Every key and expansion, for the segmenter's vocabulary or autocomplete."""
        return _dedupe(w for key, values in self._table.items() for w in (key, *values))

    def by_pinyin(self, pinyin: str) -> list[str]:
        """Keys and expansions whose full pinyin is `pinyin` ("shebaoka" -> ["社保卡"])."""
        if self._by_pinyin is None:
            with self._pinyin_lock:
                if self._by_pinyin is None:
                    self._by_pinyin = _index_by_pinyin(self.words())
        return list(self._by_pinyin.get(pinyin, []))


def _parse_synonym_lines(lines: Iterable[str]) -> dict[str, list[str]]:
    """`term => expansion, expansion` lines (as in search/data/synonyms.txt) as a dict."""
    mapping: dict[str, list[str]] = {}
    for line in lines:
        parts = _SYNONYM_ARROW.split(line, maxsplit=1)
        if len(parts) != 2:
            logger.warning("search: synonym line without '=>' ignored: %r", line)
            continue
        key, values = parts[0].strip(), _EXPANSION_SPLIT.split(parts[1].strip())
        if key:
            mapping.setdefault(key, []).extend(v for v in values if v)
    return mapping


@_load_once
def _default_synonym_map() -> dict[str, tuple[str, ...]]:
    try:
        parsed = _parse_synonym_lines(_read_lines("synonyms.txt"))
    except (OSError, UnicodeError) as exc:  # search keeps working on the plan's words
        logger.error("search: built-in synonyms not loaded: %s", exc)
        return {}
    return {key: tuple(values) for key, values in parsed.items()}


def default_synonyms() -> dict[str, list[str]]:
    """A fresh copy of the shipped synonyms (search/data/synonyms.txt), e.g. to seed the admin."""
    return {key: list(values) for key, values in _default_synonym_map().items()}


@_load_once
def _default_synonyms() -> Synonyms:
    return Synonyms(_default_synonym_map())


def __getattr__(name: str):
    # DEFAULT_SYNONYMS reads a file, so it is built on first access rather than at import.
    if name == "DEFAULT_SYNONYMS":
        return default_synonyms()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------------------------------
# Query analysis
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# "Did you mean"
# ---------------------------------------------------------------------------------------------


class _CorrectionIndex:
    """Vocabulary words by (position, word with that position deleted), and by full pinyin.

    Two words of equal length differ in exactly one character at position i if and only if they
    share the key (i, word without character i), so lookup costs one dict probe per character.
    """

    def __init__(self, words: Iterable[str]):
        self.original: dict[str, str] = {}
        for word in words:
            key = _compact(word)
            if key and key not in self.original:
                self.original[key] = word
        self.rank = {word: rank for rank, word in enumerate(self.original)}
        self.by_deletion: dict[tuple[int, str], list[str]] = {}
        for word in self.original:
            if len(word) >= 2:
                for i in range(len(word)):
                    self.by_deletion.setdefault((i, word[:i] + word[i + 1 :]), []).append(word)
        self.by_pinyin = _index_by_pinyin(self.original)

    def one_substitution(self, query: str) -> list[tuple[int, str]]:
        """(position, word) for words that differ from `query` in exactly one character."""
        found = []
        for i in range(len(query)):
            for word in self.by_deletion.get((i, query[:i] + query[i + 1 :]), []):
                if word != query:
                    found.append((i, word))
        return found


@functools.lru_cache(maxsize=8)
def _correction_index(words: tuple[str, ...]) -> _CorrectionIndex:
    return _CorrectionIndex(words)


def _sounds_alike(a: str, b: str) -> int:
    """2 if the two characters are read the same, 1 if they share an initial or a final, else 0."""
    sound_a, sound_b = _char_sound(a), _char_sound(b)
    if not sound_a or not sound_b:
        return 0
    if sound_a == sound_b:
        return 2
    return 1 if sound_a[0] == sound_b[0] or sound_a[1] == sound_b[1] else 0


@functools.lru_cache(maxsize=8192)
def _char_sound(char: str) -> tuple[str, str] | None:
    """(initial, final) of a Chinese character, toneless: 园 -> ("y", "uan")."""
    if not _CJK_RUN.fullmatch(char):
        return None
    from pypinyin import Style, lazy_pinyin

    initial = lazy_pinyin(char, style=Style.INITIALS, strict=False, errors="ignore")
    final = lazy_pinyin(char, style=Style.FINALS, strict=False, errors="ignore")
    return (initial[0], final[0]) if initial and final else None


_default_vocabulary = vocabulary  # the parameter below shadows the function


def suggest_corrections(q: str, vocabulary: Iterable[str] | None = None, limit: int = 3) -> list[str]:
    """Did-you-mean: vocabulary words one wrong character away from the query, or spelled the same.

    Best first: words that are both one character off and read the same (入圆率 -> 入园率), then
    words read the same (ruyuanlv -> 入园率), then one character off, a similar-sounding character
    before a different one, and the vocabulary's own order last. A query that is itself in the
    vocabulary gets no suggestion. `vocabulary` None means vocabulary(); an index of each
    vocabulary is built once and kept (the last 8), so pass the same words each time.
    """
    words = tuple(vocabulary) if vocabulary is not None else _default_vocabulary()
    query = _compact(q or "")[:MAX_QUERY_CHARS]
    if not query or not words or limit <= 0:
        return []
    index = _correction_index(words)
    if query in index.original:
        return []
    # Sort key per word: (group, how unlike the sound of the replaced character, vocabulary order).
    substitutions = {word: i for i, word in (index.one_substitution(query) if len(query) >= 2 else [])}
    same_sound = set(_same_pinyin(query, index))
    scores: dict[str, tuple[int, int, int]] = {}
    for word, i in substitutions.items():
        group = 0 if word in same_sound else 2
        scores[word] = (group, 2 - _sounds_alike(query[i], word[i]), index.rank[word])
    for word in same_sound - substitutions.keys():
        scores[word] = (1, 0, index.rank[word])
    best = sorted(scores, key=scores.__getitem__)[:limit]
    return [index.original[word] for word in best]


def correct_query(q: str, vocabulary: Iterable[str] | None = None) -> str:
    """The query with a plan word put right where one character is wrong, or "" when nothing is.

    Only a character the segmenter could not place in a word is replaced (入圆率 is cut 入/圆/率), or one
    that reads exactly like the plan's in a piece of four or more (森林复盖率), so words residents really
    use (睇医生, 农村五保) are never "corrected". Candidates are
    vocabulary words one character away; the same sound wins, then a similar sound, then the plan's
    order. A two-character piece is corrected only to a word read the same (公租防 -> 公租房 is three).
    """
    words = tuple(vocabulary) if vocabulary is not None else _correction_vocabulary()
    normalized = normalize((q or "")[:MAX_QUERY_CHARS])
    if not words or not normalized:
        return ""
    index = _correction_index(words)
    changed = False
    pieces = []
    last = 0
    for match in _CJK_RUN.finditer(normalized):
        run = match.group()
        fixed = _correct_run(run, index)
        pieces.append(normalized[last : match.start()] + fixed)
        last = match.end()
        changed = changed or fixed != run
    pieces.append(normalized[last:])
    return "".join(pieces) if changed else ""


@_load_once
def _correction_vocabulary() -> tuple[str, ...]:
    """The vocabulary, then the other words of the plan's text (家庭医生, 高龄津贴): what a wrong character
    is corrected to. The same tuple every time, so its index is built once."""
    text_words = [w for words in words_by_pinyin().values() for w in words if len(w) >= 3 and _in_dictionary(w)]
    return tuple(_dedupe([*vocabulary(), *text_words]))


def _correct_run(run: str, index: _CorrectionIndex) -> str:
    # Positions of characters that stand alone in the segmentation: those that may be wrong.
    loose, position = set(), 0
    for token in _tokenizer().cut(run, HMM=False):
        if len(token) == 1 and token not in _stopwords():  # 是 in 入园率是多少 is no typo
            loose.add(position)
        position += len(token)
    chars = list(run)
    done: set[int] = set()
    for size in range(min(len(run), MAX_USER_WORD), 1, -1):
        for start in range(len(run) - size + 1):
            span = range(start, start + size)
            if done & set(span):
                continue
            piece = "".join(chars[start : start + size])
            best = None
            for i, word in index.one_substitution(piece):
                sound = _sounds_alike(piece[i], word[i])
                # A loose character may be wrong; so may one inside a word when the piece is long and
                # reads exactly like a plan word (森林复盖率: 复盖 is a word, 森林覆盖率 the plan's).
                # Inside a word, three characters are enough when the piece is not the plan's (候车厅 for
                # the plan's 候车亭).
                inside_ok = sound == 2 and (size >= 4 or (size == 3 and not in_plan_text(piece)))
                if start + i not in loose and not inside_ok:
                    continue
                if size == 2 and sound < 2:
                    continue
                key = (2 - sound, index.rank[word])
                if best is None or key < best[0]:
                    best = (key, word)
            if best:
                chars[start : start + size] = list(best[1])
                done |= set(span)
    return "".join(chars)


def _same_pinyin(query: str, index: _CorrectionIndex) -> list[str]:
    pair = _pinyin_pair(query)
    if pair:
        spelled = pair[0]
    else:
        plain = _pinyin_query_text(query)
        spelled = plain.replace("'", "") if plain and _syllable_count(plain.replace("'", "")) >= 2 else ""
    return [w for w in index.by_pinyin.get(spelled, []) if w != query] if spelled else []


# ---------------------------------------------------------------------------------------------
# Pieces for the query's concepts (search/concepts.py)
# ---------------------------------------------------------------------------------------------


@_load_once
def _light_words() -> frozenset[str]:
    return frozenset(_compact(line) for w in _read_lines("light_words.txt") for line in w.split())


def is_stopword(word: str) -> bool:
    return word in _stopwords()


def is_light(word: str) -> bool:
    """An action word of a question (申请, 办理): weighed little, not needed for coverage."""
    return word in _light_words()


def cut(normalized: str) -> list[str]:
    """The words of a normalised query as a reader would split it (jieba's precise mode with the plan's
    dictionary), punctuation dropped, stopwords kept (the caller decides what they are worth)."""
    words = []
    for token in _tokenizer().cut(normalized, HMM=False):
        token = _EDGE_JUNK.sub("", token.strip())
        if token and _HAS_WORD_CHAR.search(token):
            words.append(token)
    return words


def subwords(word: str) -> list[str]:
    """The dictionary words inside `word` (search mode), the word itself excluded."""
    return [w for w in _dedupe(_segment_normalized(word)) if w != word]


def in_dictionary(word: str) -> bool:
    return _in_dictionary(word) or word in _vocabulary_set()


@_load_once
def _vocabulary_set() -> frozenset[str]:
    return frozenset(vocabulary())


def full_pinyin(word: str) -> str:
    """Toneless pinyin of a Chinese word of 2..8 characters ("入园率" -> "ruyuanlv"), else ""."""
    pair = _pinyin_pair(word)
    return pair[0] if pair else ""


def pinyin_term(pinyin: str) -> str:
    return PINYIN_PREFIX + pinyin


def initials_term(initials: str) -> str:
    return INITIALS_PREFIX + initials


def pinyin_query(normalized: str) -> str | None:
    """The query as plain keyboard pinyin ("jiàoyù" -> "jiaoyu"), or None when it is not pinyin."""
    plain = _pinyin_query_text(normalized)
    return plain if plain and len(plain) <= 60 else None


def syllabify(text: str) -> list[str]:
    """Toneless pinyin split into syllables, fewest first ("shehuibaozhang" -> she hui bao zhang);
    [] when `text` is not a string of syllables. Apostrophes and spaces are boundaries (xi'an)."""
    result: list[str] = []
    for part in text.replace("'", " ").split():
        syllables = _split_syllables(part)
        if not syllables:
            return []
        result += syllables
    return result


def _split_syllables(text: str) -> list[str]:
    syllables = _syllables()
    longest = 6  # zhuang, chuang, shuang
    best: list[list[str] | None] = [[]] + [None] * len(text)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - longest), end):
            before = best[start]
            shorter = before is not None and (best[end] is None or len(before) + 1 < len(best[end]))
            if shorter and text[start:end] in syllables:
                best[end] = [*before, text[start:end]]
    return best[len(text)] or []


@_load_once
def _plan_texts() -> tuple[str, ...]:
    """The plan's own texts (domain goals, task and mechanism texts), normalised; () if unreadable."""
    import yaml

    try:
        with PLAN_FILE.open(encoding="utf-8") as handle:
            plan = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        texts = [d.get("goal") or "" for d in plan.get("domains") or []]
        texts += [t.get("text") or "" for d in plan.get("domains") or [] for t in d.get("tasks") or []]
        texts += [m.get("text") or "" for m in plan.get("mechanisms") or []]
    except (OSError, UnicodeError, yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
        logger.error("search: plan text not read: %s", exc)
        return ()
    return tuple(normalize(text) for text in texts)


def in_plan_text(word: str) -> bool:
    """Whether the plan's text uses `word` at all: a resident's word it never uses (睇医生, hospital) is
    wholly expressed by the plan's words for it."""
    return any(word in text for text in _plan_texts())


@_load_once
def words_by_pinyin() -> dict[str, tuple[str, ...]]:
    """Chinese words by their toneless pinyin: the vocabulary and every word of the plan's text, so that
    a resident typing pinyin gets the plan's words ("shebao" -> 社保, "baozhang" -> 保障)."""
    words = list(vocabulary())
    for text in _plan_texts():
        words += [w for w in _segment_normalized(text) if 2 <= len(w) <= MAX_PINYIN_WORD]
    index: dict[str, list[str]] = {}
    for word in _dedupe(words):
        spelled = full_pinyin(word)
        if spelled:
            index.setdefault(spelled, []).append(word)
    return {key: tuple(values) for key, values in index.items()}


@_load_once
def _pinyin_sorted() -> tuple[list[str], list[str]]:
    pairs = sorted((spelled, word) for spelled, words in words_by_pinyin().items() for word in words)
    return [p for p, _ in pairs], [w for _, w in pairs]


def complete_term(text: str, limit: int = 8) -> list[str]:
    """Vocabulary words for a prefix typed so far: in characters (plan terms first, words that start
    with it before words that contain it) or in pinyin ("jiao" -> 教育, 交通…; "shebao" -> 社保…)."""
    if not text or limit <= 0:
        return []
    plain = pinyin_query(text)
    if plain:
        import bisect

        spelled, words = _pinyin_sorted()
        key = plain.replace("'", "").replace(" ", "")
        found = []
        for i in range(bisect.bisect_left(spelled, key), len(spelled)):
            if not spelled[i].startswith(key) or len(found) >= 500:
                break
            found.append(words[i])
        freq = _tokenizer().FREQ
        # Shorter (more general) words first, common ones before rare ones.
        return _dedupe(sorted(found, key=lambda w: (len(w), -freq.get(w, 0), w)))[:limit]
    compact = text.replace(" ", "")
    starting = [w for w in vocabulary() if w.startswith(compact) and w != compact]
    containing = [w for w in vocabulary() if compact in w and not w.startswith(compact)]
    return _dedupe([*starting, *containing])[:limit]


def rarity(word: str) -> float:
    """How rare a word is in general Chinese (jieba's frequencies): log(total / frequency); words jieba
    does not know (the plan's own long terms) count as rare."""
    tokenizer = _tokenizer()
    frequency = tokenizer.FREQ.get(word, 0)
    return math.log(tokenizer.total / max(frequency, 1)) if frequency else math.log(tokenizer.total)


def warm_up() -> None:
    """Load every dictionary now (e.g. at process start) so the first search is as fast as the rest."""
    _tokenizer()
    _stopwords()
    _syllables()
    words_by_pinyin()
    _pinyin_pair("教育")
    _light_words()
