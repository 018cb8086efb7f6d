"""search.snippets: the passage that answers the query, with whole words marked."""

import re

import pytest
import yaml

from search import chinese
from search.concepts import plan_query
from search.snippets import WINDOW, make_snippet

PLAN = yaml.safe_load(chinese.PLAN_FILE.read_text(encoding="utf-8"))


def task_text(needle):
    return next(t["text"] for d in PLAN["domains"] for t in d["tasks"] if needle in t["text"])


def snippet(body, q):
    return str(make_snippet(body, plan_query(q, chinese.Synonyms.default())))


def plain(html):
    return re.sub(r"</?mark>", "", html)


@pytest.mark.parametrize(
    ("needle", "query", "answer"),
    [
        # Each answer sits far into a long task text, after other words of the same query.
        ("五保供养标准", "农村五保供养标准", "五保供养标准不低于"),
        ("孕前优生健康检查", "孕检", "孕前优生健康检查"),
        ("救助孤儿行动", "请问孤儿有什么保障", "孤儿保障"),
        ("公共交通站点500米覆盖率", "公交站点覆盖率", "站点500米覆盖率"),
    ],
)
def test_the_window_holds_the_answer_deep_in_a_long_text(needle, query, answer):
    body = task_text(needle)
    assert body.find(answer) > WINDOW  # deep: a window from the first match would miss it
    assert answer in plain(snippet(body, query))


def test_the_longest_exact_phrase_places_the_window():
    body = "城乡低保标准逐步提高。" * 5 + "确保落实农村五保供养标准不低于当地上年度农村人均纯收入。" + "五保" * 3
    assert "农村五保供养标准" in plain(snippet(body, "农村五保供养标准"))


def test_rare_words_weigh_more_than_common_ones():
    body = "各镇要及时受理申请,做好服务。" * 4 + "建设敬老院和养老机构,提高五保供养水平。"
    assert "敬老院" in plain(snippet(body, "请问敬老院怎么申请"))


def test_whole_words_are_marked_never_stray_bigrams():
    html = snippet(task_text("五保供养标准"), "农村五保")
    marks = set(re.findall(r"<mark>(.*?)</mark>", html))
    assert marks and marks <= {"农村", "五保", "五保供养"}


def test_text_is_escaped_before_marking():
    html = snippet("<b>学前</b> & 入园率", "入园率")
    assert html == "&lt;b&gt;学前&lt;/b&gt; &amp; <mark>入园率</mark>"


def test_no_match_gives_the_start_and_empty_gives_nothing():
    assert plain(snippet("甲" * 200, "入园率")).startswith("甲" * 10)
    assert snippet("", "入园率") == ""
