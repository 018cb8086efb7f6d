"""search.chinese: the Chinese analysis both search engines index and query with. No database."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from search import chinese
from search.chinese import (
    INITIALS_PREFIX,
    PINYIN_PREFIX,
    Synonyms,
    bigrams,
    index_terms,
    normalize,
    segment,
    suggest_corrections,
    vocabulary,
)
from search.concepts import plan_query

# --- normalize ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("醫療保險", "医疗保险"),
        ("學前教育", "学前教育"),
        ("衛生", "卫生"),
        ("衞生", "卫生"),  # Hong Kong variant
        ("養老", "养老"),
        ("社會保障卡", "社会保障卡"),
        ("計劃生育", "计划生育"),
        ("幼兒園", "幼儿园"),
        ("臺山", "台山"),
    ],
)
def test_normalize_converts_traditional_phrases(traditional, simplified):
    assert normalize(traditional) == simplified


def test_normalize_full_width_case_and_spaces():
    assert normalize("  ９６％　ＧＳＰ  Ｙi  Liao ") == "96% gsp yi liao"


def test_normalize_leaves_the_plan_simplified_text_alone():
    text = "学前三年毛入园率达到96%以上,超过省定的93%水平。"
    assert normalize(text) == text.lower()


def test_normalize_empty():
    assert normalize("") == ""
    assert normalize("   ") == ""


# --- segment ---------------------------------------------------------------------------------


def test_entry_rate_is_one_word():
    words = segment("学前三年毛入园率达到96%以上")
    assert "入园率" in words
    assert "毛入园率" in words
    assert "学前三年毛入园率" in words  # the indicator's own name, from plan.yaml


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("社会保障卡持卡率", "社会保障卡"),  # a sub-word of 5 characters inside a plan term
        ("最低生活保障标准", "最低生活保障"),
        ("全面推行以公租房为主要保障方式", "公租房"),
        ("初中生年辍学率在1.2%以下", "辍学率"),
        ("棚户区改造", "棚户区"),
        ("社保卡怎么办理", "社保卡"),
    ],
)
def test_plan_terms_survive_segmentation(text, word):
    assert word in segment(text)


def test_stopwords_dropped():
    words = segment("学前教育的发展和义务教育与高中教育")
    for stopword in ("的", "和", "与"):
        assert stopword not in words
    assert {"学前教育", "义务教育"} <= set(words)


def test_punctuation_dropped():
    words = segment("社保卡,医保卡、低保?“以案说法”(试点)——96%!")
    assert words
    assert all(any(ch.isalnum() for ch in w) for w in words)
    assert "96" in words
    assert not {",", "、", "?", "“", "(", "%", "!"} & set(words)


def test_segment_normalizes_first():
    assert "医疗保险" in segment("醫療保險")


def test_segment_empty():
    assert segment("") == []
    assert segment(",。!") == []


# --- bigrams ---------------------------------------------------------------------------------


def test_bigrams_overlap_within_runs_of_chinese():
    assert bigrams("入园率") == ["入园", "园率"]
    assert bigrams("学前教育,医保") == ["学前", "前教", "教育", "医保"]


def test_bigrams_keep_latin_and_digit_runs_whole():
    assert bigrams("符合GSP比例 1.2% 率") == ["符合", "gsp", "比例", "1.2", "率"]


# --- pinyin ----------------------------------------------------------------------------------


def plan(q, synonyms=None):
    return plan_query(q, synonyms if synonyms is not None else Synonyms.default())


def terms(q, synonyms=None):
    return {t for c in plan(q, synonyms).concepts for t, _ in c.terms}


def test_jiaoyu_query_finds_public_education():
    query = plan("jiaoyu")
    assert query.is_pinyin
    assert PINYIN_PREFIX + "jiaoyu" in terms("jiaoyu")
    assert PINYIN_PREFIX + "jiaoyu" in index_terms("公共教育")


def test_ruyuanlv_matches_entry_rate():
    assert plan("ruyuanlv").is_pinyin
    assert terms("ruyuanlv") & set(index_terms("学前三年毛入园率达到96%以上"))
    assert "入园率" in terms("ruyuanlv")  # the word it spells, from the plan


@pytest.mark.parametrize(
    ("query", "term", "text"),
    [
        ("yi liao", "py:yiliao", "医疗卫生机构"),
        ("Yi Liao", "py:yiliao", "医疗卫生机构"),
        ("jiàoyù", "py:jiaoyu", "公共教育"),
        ("shebaoka", "py:shebaoka", "办理社保卡"),
        ("lüse", "py:lvse", "绿色发展"),
        ("jy", "pyi:jy", "公共教育"),
        ("xueqian jiaoyu", "py:xueqianjiaoyu", "普及学前教育"),
    ],
)
def test_pinyin_queries(query, term, text):
    assert plan(query).is_pinyin
    assert term in terms(query)
    assert term in index_terms(text)


def test_pinyin_terms_cannot_collide_with_words():
    indexed = index_terms("公共教育")
    pinyin = [t for t in indexed if t.startswith((PINYIN_PREFIX, INITIALS_PREFIX))]
    assert PINYIN_PREFIX + "jiaoyu" in pinyin and INITIALS_PREFIX + "jy" in pinyin
    assert "jiaoyu" not in indexed


def test_chinese_and_english_queries_are_not_pinyin():
    for query in ("医保", "hello", "an", "2015", ""):
        assert not plan(query).is_pinyin, query
        assert not any(t.startswith((PINYIN_PREFIX, INITIALS_PREFIX)) for t in terms(query) if query.isascii())


def test_wrong_character_that_sounds_right_matches_by_homophone():
    assert "py:ruyuanlv" in terms("入圆率")
    assert "py:ruyuanlv" in index_terms("学前三年毛入园率")


# --- synonyms --------------------------------------------------------------------------------


def test_default_synonyms_cover_residents_words():
    defaults = chinese.DEFAULT_SYNONYMS
    assert len(defaults) >= 20
    for term in ("社保卡", "医保", "低保", "五保", "幼儿园", "托儿所", "上学", "看病", "养老金", "廉租房"):
        assert term in defaults, term
    assert "社会保障卡" in defaults["社保卡"]
    assert {"医疗保险", "基本医疗保险"} <= set(defaults["医保"])
    defaults["社保卡"].append("changed")
    assert "changed" not in chinese.DEFAULT_SYNONYMS["社保卡"]  # every access is a fresh copy


def test_synonyms_expand_abbreviations():
    synonyms = Synonyms.default()
    assert "社会保障卡" in synonyms.lookup("社保卡")
    assert "医疗保险" in synonyms.lookup("医保")
    assert "最低生活保障" in synonyms.lookup("低保")


def test_synonyms_work_backwards_for_abbreviations_only():
    synonyms = Synonyms.default()
    assert "社保卡" in synonyms.lookup("社会保障卡")
    assert "医保" in synonyms.lookup("医疗保险")
    assert "幼儿园" not in synonyms.lookup("学前教育")  # everyday word => plan word, one way
    assert "村" not in synonyms.lookup("农村")  # a single character is no abbreviation
    assert "残疾人补贴" not in synonyms.lookup("残疾人")  # a word inside a longer one is not either


def test_synonyms_of_the_word_not_of_its_parts():
    found = terms("社保卡怎么办理")
    assert "社会保障卡" in found
    assert "社会保险" not in found  # the 社保 inside 社保卡 is not looked up on its own


def test_synonyms_from_staff_mapping_are_normalized():
    synonyms = Synonyms({"醫保": "醫療保險、基本醫療保險", "公租房": ["公共租赁住房"], "幼兒園": "學前教育", "空": []})
    assert synonyms.lookup("医保") == ["医疗保险", "基本医疗保险"]
    assert "医保" in synonyms and "空" not in synonyms
    assert synonyms.lookup("公共租赁住房") == ["公租房"]  # an abbreviation: both ways
    assert synonyms.lookup("幼儿园") == ["学前教育"]
    assert synonyms.lookup("学前教育") == []  # everyday word => plan word: one way
    assert Synonyms({}).lookup("医保") == []


def test_query_expands_with_synonyms():
    assert "社会保障卡" in terms("社保卡")
    assert "社会保障卡" in index_terms("社会保障卡持卡率")
    assert "医疗保险" in terms("医保")
    assert {"学前教育", "入园"} <= terms("幼儿园")
    assert "入园" in index_terms("学前三年毛入园率")


def test_query_with_custom_and_empty_synonyms():
    custom = Synonyms({"卫计局": ["卫生和计划生育局"]})
    assert "卫生和计划生育局" in terms("卫计局", custom)
    assert "社会保障卡" not in terms("社保卡", Synonyms({}))


def test_pinyin_query_expands_through_the_word_it_spells():
    assert {"社保卡", "社会保障卡"} <= terms("shebaoka")


def test_unknown_expansion_is_also_segmented():
    found = terms("城居保", Synonyms({"城居保": ["城乡居民养老保险待遇"]}))
    assert "城乡居民养老保险待遇" in found
    assert "养老保险" in found


# --- traditional characters end to end --------------------------------------------------------


def test_traditional_query_words_are_in_simplified_index_terms():
    query = plan("醫療保險")
    assert query.normalized == "医疗保险"
    assert query.concepts[0].text in index_terms("医疗保险")
    assert plan("學前教育").concepts[0].text in index_terms("基本普及学前教育")


# --- the query plan ----------------------------------------------------------------------------


def test_query_plan_shape():
    query = plan("  社保卡 怎么办理？ ")
    assert query.normalized == "社保卡 怎么办理?"
    assert [c.text for c in query.concepts] == ["社保卡", "办理"]  # 怎么 is a stopword
    assert query.weighted_terms()[0] == ("社保卡", 6.0, 1.5)
    flat = [t for t, _, _ in query.weighted_terms()]
    assert len(set(flat)) == len(flat)
    assert not query.is_pinyin


def test_empty_query():
    for q in ("", "?!。"):
        assert plan(q).concepts == [] and plan(q).groups() == []


def test_very_long_query_is_cut():
    query = plan("医保" * 10_000)
    assert len(query.normalized) <= chinese.MAX_QUERY_CHARS


def test_plan_many_queries():
    # A sanity run, not a timing assertion: timings on a shared CI machine prove nothing.
    queries = ["社保卡", "医保报销", "幼儿园", "jiaoyu", "ruyuanlv", "醫療保險", "yi liao", "入圆率", "jy", "公租房"]
    results = [plan(q) for _ in range(100) for q in queries]
    assert len(results) == 1000
    assert all(r.concepts for r in results)


# --- index_terms -------------------------------------------------------------------------------


def test_index_terms_combine_words_bigrams_and_pinyin():
    terms = index_terms("学前三年毛入园率达到96%以上")
    assert "入园率" in terms  # word
    assert "园率" in terms  # bigram
    assert "py:ruyuanlv" in terms and "pyi:ryl" in terms  # pinyin of the word
    assert "96" in terms
    assert all(t and not any(ch.isspace() for ch in t) for t in terms)  # safe for a whitespace analyzer


def test_index_terms_of_several_texts_and_empties():
    assert index_terms() == []
    assert index_terms("", None) == []
    both = index_terms("公共教育", "医疗保险")
    assert "教育" in both and "医疗保险" in both


def test_index_terms_keep_repeats_but_are_bounded():
    assert index_terms("医保 医保").count("医保") >= 2
    huge = "学前教育普及率" * 50_000
    terms = index_terms(huge, huge)
    assert 0 < len(terms) <= chinese.MAX_INDEX_TERMS


# --- suggest_corrections ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("入圆率", "入园率"),
        ("医疗保检", "医疗保险"),
        ("公租放", "公租房"),
        ("社保咔", "社保卡"),
        ("醫療保檢", "医疗保险"),
    ],
)
def test_one_wrong_character(typo, meant):
    assert suggest_corrections(typo, vocabulary())[0] == meant


def test_same_pinyin_suggestion():
    assert suggest_corrections("ruyuanlv", vocabulary()) == ["入园率"]


def test_homophone_typo_ranks_first():
    # 入学率 is also one character away from 入圆率, but 入园率 also sounds the same.
    suggestions = suggest_corrections("入圆率", ["入学率", "入园率"])
    assert suggestions == ["入园率", "入学率"]


def test_no_suggestion_for_known_or_unrelated_words():
    assert suggest_corrections("入园率", vocabulary()) == []
    assert suggest_corrections("", vocabulary()) == []
    assert suggest_corrections("完全无关的话", vocabulary()) == []
    assert suggest_corrections("入圆率", []) == []


def test_suggestions_respect_limit_and_return_vocabulary_forms():
    words = ["医疗保险", "医疗保障", "医疗保健", "醫療保養"]
    assert len(suggest_corrections("医疗保检", words, limit=2)) == 2
    assert "醫療保養" in suggest_corrections("医疗保检", words, limit=5)


def test_suggest_with_default_vocabulary():
    assert suggest_corrections("入圆率")[0] == "入园率"


# --- vocabulary and loading ---------------------------------------------------------------------


def test_vocabulary_holds_plan_and_curated_terms():
    words = set(vocabulary())
    assert {"学前三年毛入园率", "公共教育", "市教育局", "教育局"} <= words  # from plan.yaml
    assert {"入园率", "社会保障卡", "最低生活保障", "公租房", "棚户区"} <= words  # from terms.txt
    assert {"社保卡", "幼儿园"} <= words  # from the default synonyms
    assert all(len(w) >= 2 and " " not in w for w in words)


def test_plan_terms_split_names_sensibly():
    plan = {
        "domains": [
            {
                "title": "公共安全",
                "tasks": [
                    {
                        "title": "基本建立多元化的养老服务体系,2015年完成",
                        "indicators": [{"name": "基层“以案说法”平台覆盖率"}, {"name": "建有体育组织的镇(街、场)比例"}],
                    }
                ],
            }
        ],
        "departments": [{"name": "市人力资源和社会保障局"}, {"name": "市“三旧”办"}],
    }
    terms = chinese.plan_terms(plan)
    assert {"公共安全", "养老服务体系", "以案说法", "基层以案说法平台覆盖率"} <= set(terms)
    assert {"市人力资源和社会保障局", "人力资源和社会保障局", "三旧办"} <= set(terms)
    assert not [t for t in terms if any(ch.isdigit() for ch in t)]


def test_loading_is_thread_safe():
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda q: plan(q).weighted_terms(), ["社保卡"] * 32))
    assert all(r == results[0] for r in results)


def test_import_loads_nothing_and_jieba_stays_quiet():
    code = (
        "import sys, search.chinese as c\n"
        "print(','.join(m for m in ('jieba', 'opencc', 'pypinyin', 'yaml') if m in sys.modules))\n"
        "c.segment('学前教育')\n"
    )
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo)
    assert out.stdout.strip() == ""  # nothing heavy imported by the import itself
    assert out.stderr == ""  # no "Building prefix dict ..." from jieba


def test_syllable_list_matches_pypinyin():
    # search/data/pinyin_syllables.txt is a snapshot of pypinyin's readings; this keeps it honest.
    assert chinese._syllables() == chinese._syllables_from_pypinyin()
    assert {"zhuang", "lv", "er", "a"} <= chinese._syllables()
    assert not {"m", "ng", "hm"} & chinese._syllables()


@pytest.mark.parametrize("content", ["domains: [unclosed\n  - : :", "- just\n- a list\n", "\xff\xfe not text"])
def test_malformed_plan_file_leaves_the_built_in_vocabulary(tmp_path, content):
    # yaml.YAMLError is not a ValueError: a broken plan file must still leave search working.
    bad = tmp_path / "plan.yaml"
    bad.write_bytes(content.encode("latin-1"))
    code = (
        "import logging, sys, pathlib, search.chinese as c\n"
        "logging.basicConfig(level=logging.ERROR, stream=sys.stderr)\n"
        f"c.PLAN_FILE = pathlib.Path({str(bad)!r})\n"
        "words = c.vocabulary()\n"
        "assert '社保卡' in words and '社会保障卡' in words, words[:5]\n"
        "assert c.words_by_pinyin()['shebaoka'] == ('社保卡',)\n"
        "print(len(words))\n"
    )
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=repo)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 100
    assert "built-in vocabulary only" in out.stderr
