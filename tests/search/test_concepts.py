"""search.concepts: a query as the concepts a resident means, and the terms that may express each."""

import pytest

from search import chinese
from search.concepts import plan_query


def plan(q):
    return plan_query(q, chinese.Synonyms.default())


def texts(q):
    return [c.text for c in plan(q).concepts]


def terms(q):
    return {t for c in plan(q).concepts for t, _ in c.terms}


def test_question_words_carry_no_weight():
    query = plan("请问敬老院怎么申请")
    assert [c.text for c in query.concepts] == ["敬老院", "申请"]
    assert [c.text for c in query.required()] == ["敬老院"]  # an action word need not be on the page
    weights = {c.text: max(w for _, w, _ in c.weighted()) for c in query.concepts}
    assert weights["申请"] < weights["敬老院"] / 2
    assert query.phrase == "请问敬老院怎么申请"  # kept whole for the exact-phrase match


@pytest.mark.parametrize("q", ["有没有公交车", "社保卡在哪里办", "幼儿园能不能报名吗", "我想问一下低保"])
def test_more_question_forms(q):
    assert not {"有没有", "在哪里", "能不能", "吗", "我", "想", "问", "一下", "哪里"} & set(texts(q))


@pytest.mark.parametrize(
    "q, wanted",
    [
        ("博物馆要不要门票", ["博物馆", "门票"]),
        ("台山的饮用水水质达不达标", ["水质", "达标"]),
        ("政府做民生项目会不会征求群众意见", ["民生", "项目", "征求", "群众", "意见"]),
    ],
)
def test_a_not_a_questions_leave_no_stray_negation(q, wanted):
    """However the segmenter cuts 要不要 or 达不达标, no 不要 or 达不 is left for a page to hold."""
    concepts = texts(q)
    assert not [c for c in concepts if "不" in c]
    assert set(wanted) <= set(concepts)


def test_negations_that_are_not_questions_stay():
    assert "不到" in "".join(texts("大学毕业找不到工作"))


# At least twenty Cantonese/Taishanese and everyday words, each reaching the plan's word for it.
RESIDENTS_WORDS = [
    ("睇医生", "医疗卫生"),
    ("睇病", "就医"),
    ("细路", "儿童"),
    ("细路仔", "儿童"),
    ("老人家", "老年人"),
    ("阿公阿婆", "老年人"),
    ("屋企", "家庭"),
    ("揾食", "就业"),
    ("揾工", "就业"),
    ("返工", "就业"),
    ("返学", "入学"),
    ("搭巴士", "公交"),
    ("巴士站", "公交站点"),
    ("差佬", "公安"),
    ("食水", "饮用水"),
    ("冇钱", "社会救助"),
    ("后生仔", "青年"),
    ("打工仔", "劳动者"),
    ("租屋", "公租房"),
    ("起屋", "住房"),
    ("学堂", "学校"),
    ("敬老院", "养老机构"),
    ("廉租房", "公租房"),
    ("残疾证", "残疾人"),
    ("孕检", "孕前优生健康检查"),
    ("hospital", "医院"),
    ("housing", "住房保障"),
    ("jobs", "就业"),
    ("卫计局", "卫生和计划生育局"),
    ("住建局", "住房和城乡建设局"),
]


@pytest.mark.parametrize(("word", "plan_word"), RESIDENTS_WORDS)
def test_residents_words_reach_the_plans_words(word, plan_word):
    assert plan_word in terms(word)


def test_residents_words_are_never_corrected():
    for word, _ in RESIDENTS_WORDS:
        assert chinese.correct_query(word) == "", word


@pytest.mark.parametrize(
    ("q", "concepts", "word"),
    [
        ("shehuibaozhang", ["shehuibaozhang"], "社会保障"),
        ("shebaoka", ["shebaoka"], "社保卡"),
        ("yiliaobaoxian", ["yiliaobaoxian"], "医疗保险"),
        ("yiliao baoxian", ["yiliaobaoxian"], "医疗保险"),
        ("xueqianjiaoyu", ["xueqianjiaoyu"], "学前教育"),
        ("gongzufang", ["gongzufang"], "公租房"),
    ],
)
def test_unspaced_pinyin_is_split_into_syllables_and_words(q, concepts, word):
    query = plan(q)
    assert query.is_pinyin
    assert texts(q) == concepts
    assert word in terms(q) and chinese.pinyin_term(concepts[0]) in terms(q)


def test_pinyin_of_two_words_without_a_joint_word():
    query = plan("nongcunwubao")
    assert [c.text for c in query.concepts] == ["nongcun", "wubao"]
    assert {"农村", "五保"} <= terms("nongcunwubao")


def test_initials_only_when_the_whole_query_is_initials():
    assert terms("jy") == {"jy", chinese.initials_term("jy")}  # initials, and the letters as written (GSP)
    assert not any(t.startswith(chinese.INITIALS_PREFIX) for t in terms("jiaoyu"))
    assert not any(t.startswith(chinese.INITIALS_PREFIX) for t in terms("jiao yu"))


def test_english_words_are_not_taken_for_pinyin():
    assert not plan("bus").is_pinyin and "公交" in terms("bus")
    assert not plan("hospital").is_pinyin


def test_homophones_are_weak_terms_of_a_concept():
    (concept,) = plan("入圆率").concepts
    kinds = dict(concept.terms)
    assert kinds["py:ruyuanlv"] == "homophone"
    weights = {t: w for t, w, _ in concept.weighted()}
    assert weights["py:ruyuanlv"] < weights["入圆率"]


def test_traditional_query():
    assert texts("醫療保險") == ["医疗保险"]


def test_numbers_with_units():
    assert "96" in terms("入园率96%") and "入园率" in terms("入园率96%")


def test_coverage_needs_every_required_concept():
    query = plan("农村五保")
    assert query.covers("确保落实农村五保供养标准")
    assert not query.covers("城乡低保")


def test_empty_and_odd_queries():
    assert plan("").concepts == [] and plan("  吗 呢 ").concepts == []
    assert plan("<script>").concepts[0].text == "script"


# -- corrections ----------------------------------------------------------------------------

TYPOS = [
    ("入圆率", "入园率"),
    ("森林复盖率", "森林覆盖率"),
    ("婴儿死忘率", "婴儿死亡率"),
    ("失业律", "失业率"),
    ("棚户去改造", "棚户区改造"),
    ("公租防", "公租房"),
    ("义务教肓", "义务教育"),
    ("请问入圆率是多少", "请问入园率是多少"),
]


@pytest.mark.parametrize(("typo", "meant"), TYPOS)
def test_one_wrong_character_is_put_right(typo, meant):
    assert chinese.correct_query(typo) == meant


@pytest.mark.parametrize("q", ["农村五保", "养老保险", "社会保障卡", "高中阶段教育毛入学率", "公交站", "空气质量"])
def test_right_words_are_left_alone(q):
    assert chinese.correct_query(q) == ""


def test_correction_prefers_the_same_sound():
    # 圆 and 园 are both yuan: 入园率 before any other word one character away.
    assert chinese.correct_query("入圆率") == "入园率"


def test_a_staff_term_unknown_to_the_segmenter_is_found_inside_a_question():
    synonyms = chinese.Synonyms({"阿福卡": ["社会保障卡"]})
    query = plan_query("阿福卡怎么办", synonyms)
    assert [c.text for c in query.concepts][0] == "阿福卡"
    assert "社会保障卡" in {t for t, _ in query.concepts[0].terms}
