"""Every public URL answers arbitrary query strings and form posts without a server error.

Hypothesis builds the query strings and posts from what a link or a form could carry: any text a UTF-8 request can
hold (lone surrogates cannot), control characters with NUL among them, numbers far beyond any column, bytes that
are not UTF-8 at all, and the hostile corpus. Each parameter a view reads is fuzzed alone and next to valid values,
so the view gets past its first check. The only claim is "never a 5xx"; the behaviour behind each answer has its
own tests.
"""

from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.participation.pages import ConsultationIndexPage, ConsultationPage
from portal.plan.models import (
    Department,
    DomainPage,
    HomePage,
    IndicatorPage,
    MechanismIndexPage,
    MechanismPage,
    TaskPage,
)
from portal.updates.models import UpdateIndexPage, UpdatePage
from tests.factories.participation import ConsultationPageFactory
from tests.portal.core.hostile_inputs import HOSTILE, encodable

pytestmark = pytest.mark.django_db

PER_URL = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
PER_FORM = settings(PER_URL, max_examples=40)


text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
controls = st.text(
    alphabet=st.characters(max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u2028\u200b\ufeff"), max_size=6
)
numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(
        ["9" * 5000, "2147483648", "9223372036854775808", "-0", "1e309", "NaN", "inf", "²", "１２", "0x1f"]
    ),
)
hostile = st.sampled_from([h for h in HOSTILE if encodable(h) and len(h) <= 2000])
fuzz_value = st.one_of(
    text,
    controls,
    st.sampled_from(["\x00", "教\x00育", "\x1b[31m", "\r\n", "\t"]),
    numbers,
    hostile,
    st.lists(st.one_of(text, controls, numbers), min_size=2, max_size=4).map("".join),
)


@st.composite
def encoded_value(draw, valid=()):
    """A percent-encoded query value: fuzzed, valid, valid with fuzz around it, or bytes that are not UTF-8."""
    choices = [fuzz_value]
    if valid:
        choices += [
            st.sampled_from(valid),
            st.tuples(st.sampled_from(valid), fuzz_value).map("".join),
            st.tuples(controls, st.sampled_from(valid), controls).map("".join),
        ]
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        return quote_from_bytes(draw(st.binary(max_size=12)), safe="")
    return quote(draw(st.one_of(choices)), safe="")


@st.composite
def query_string(draw, params: dict):
    """Some of the view's own parameters (each possibly repeated), sometimes an unknown one."""
    parts = []
    for name, valid in params.items():
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
            parts.append(f"{name}={draw(encoded_value(tuple(valid)))}")
    if draw(st.booleans()):
        parts.append(f"{quote(draw(text), safe='')}={draw(encoded_value())}")
    return "&".join(draw(st.permutations(parts)))


def live(model):
    return model.objects.live().order_by("path").first()


def consultation_id() -> str:
    return str(live(ConsultationPage).pk)


SEARCH = {"q": ["教育", "社保卡", "jiaoyu", "醫療"], "format": ["json"], "page": ["1", "2"], "sort": ["date"]}
FILTERS = {"type": ["task", "domain"], "domain": ["公共教育"], "year": ["2015"]}
# label → (path, or a function of nothing giving the path; the parameters its views read, with valid values)
PUBLIC_URLS = {
    "home": (lambda: live(HomePage).url, {}),
    "domain page": (lambda: live(DomainPage).url, {}),
    "task page": (lambda: live(TaskPage).url, {}),
    "indicator page": (lambda: live(IndicatorPage).url, {}),
    "mechanisms": (lambda: live(MechanismIndexPage).url, {}),
    "mechanism page": (lambda: live(MechanismPage).url, {}),
    "updates": (lambda: live(UpdateIndexPage).url, {"page": ["1", "2"]}),
    "update page": (lambda: live(UpdatePage).url, {}),
    "consultations": (lambda: live(ConsultationIndexPage).url, {}),
    "consultation page": (lambda: live(ConsultationPage).url, {}),
    "search": ("/search/", SEARCH),  # without filters too: only such a search is logged
    "search with filters": ("/search/", SEARCH | FILTERS),
    "suggest": ("/search/suggest/", {"q": ["教", "jiao", "社保"]}),
    "feedback": (
        "/feedback/",
        {"domain": ["education"], "task": [lambda: str(live(TaskPage).pk)], "consultation": [consultation_id]},
    ),
    "thanks": ("/feedback/thanks/", {}),
    "track": ("/feedback/track/", {}),
    "answers": ("/feedback/answers/", {"page": ["1", "2"]}),
    "statistics": ("/feedback/statistics/", {}),
    "satisfaction": ("/feedback/satisfaction/", {"domain": ["education", "health"]}),
    "open data": ("/open-data/", {}),
    "indicators.json": ("/open-data/indicators.json", {}),
    "indicators.csv": ("/open-data/indicators.csv", {}),
    "measurements.csv": ("/open-data/measurements.csv", {"indicator": ["edu-01"]}),
    "updates feed": ("/feeds/updates/", {}),
    "domain feed": ("/feeds/domains/education/", {}),
    "timeline": ("/plan/timeline/", {}),
    "departments": ("/plan/departments/", {}),
    "department": (lambda: f"/plan/departments/{Department.objects.order_by('key').first().key}/", {}),
    "source document": ("/plan/document/", {}),
    "text size": ("/text-size/", {"size": ["large", "normal"], "next": ["/", "/search/?q=教育", "//evil.example/"]}),
}


def resolved(value):
    return value() if callable(value) else value


def assert_no_server_error(response):
    if response.streaming:  # CSV is written while it is sent: an error would surface only now
        b"".join(response.streaming_content)
    assert response.status_code < 500, response.status_code


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.PARTICIPATION_RATE_PER_MINUTE = settings.PARTICIPATION_RATE_PER_DAY = 10**6
    settings.PARTICIPATION_POST_RATE_PER_MINUTE = 10**6


@pytest.fixture(autouse=True)
def open_consultation(db):
    """The plan has none; the form, its questions and the consultation page are public URLs too."""
    return ConsultationPageFactory(parent=live(ConsultationIndexPage), domain=DomainPage.objects.get(slug="education"))


@pytest.mark.parametrize("label", PUBLIC_URLS)
def test_public_urls_never_answer_a_fuzzed_query_with_a_server_error(client, label):
    path, params = PUBLIC_URLS[label]
    path = resolved(path)
    params = {name: [resolved(v) for v in valid] for name, valid in params.items()}

    @PER_URL
    @given(query=query_string(params))
    def check(query):
        assert_no_server_error(client.get(f"{path}?{query}"))

    check()


def form_fields(fields: dict):
    """Each field absent, valid, or fuzzed; values as a browser would send them."""
    return st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(st.sampled_from(valid), fuzz_value) if valid else fuzz_value
            for name, valid in fields.items()
        },
    )


def submission_fields():
    domain, task = live(DomainPage), live(TaskPage)
    return {
        "kind": ["opinion", "report", "question"],
        "domain": [str(domain.pk)],
        "task": [str(task.pk)],
        "title": ["建议增加公办幼儿园学位"],
        "content": ["台城街道公办幼儿园学位紧张,建议增设一所。"],
        "publish_allowed": ["on"],
        "contact_name": ["陈先生"],
        "contact_phone": ["0750-5512345"],
        "contact_email": ["chen@example.com"],
        "website": [""],
        "consultation": [consultation_id()],
        "answer_1": ["新区中心公园旁"],
    }


@PER_FORM
@given(data=st.data())
def test_feedback_form_without_a_captcha_token_gives_a_form_error_whatever_is_posted(client, data):
    fields = data.draw(form_fields(submission_fields()))
    response = client.post("/feedback/", fields)
    assert response.status_code == 200, response.status_code
    assert "captcha" in response.context["form"].errors  # the test keys are set: no token, no submission


@PER_FORM
@given(data=st.data())
def test_tracking_never_answers_a_fuzzed_post_with_a_server_error(client, data):
    fields = data.draw(form_fields({"number": ["TS20260000001"], "code": ["ABCD2345"]}))
    assert_no_server_error(client.post("/feedback/track/", fields))


@PER_FORM
@given(data=st.data())
def test_satisfaction_never_answers_a_fuzzed_post_with_a_server_error(client, data):
    domain = str(live(DomainPage).pk)
    fields = data.draw(form_fields({"domain": [domain], "score": ["1", "5"], "comment": ["离家太远"]}))
    assert_no_server_error(client.post("/feedback/satisfaction/", fields))


@PER_FORM
@given(
    body=st.binary(max_size=200), path=st.sampled_from(["/feedback/", "/feedback/track/", "/feedback/satisfaction/"])
)
def test_form_bodies_that_are_not_utf8_never_give_a_server_error(client, body, path):
    assert_no_server_error(client.post(path, body, content_type="application/x-www-form-urlencoded"))
