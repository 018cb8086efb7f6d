"""Hostile and random input through the real form: never a 5xx, never stored unsanitized."""

from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.core import sanitize
from portal.participation.models import Submission
from tests.portal.core.hostile_inputs import HOSTILE, encodable

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("google")]


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.PARTICIPATION_RATE_PER_MINUTE = settings.PARTICIPATION_RATE_PER_DAY = 10**6
    settings.PARTICIPATION_POST_RATE_PER_MINUTE = 10**6


class ScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "svg", "iframe", "img", "math", "style", "object", "embed"} or any(
            name.startswith("on") or name == "formaction" for name, _ in attrs
        ):
            self.bad.append((tag, attrs))


def post(client, **fields):
    data = {"kind": "opinion", "title": "标题", "content": "这是一条正常的建议内容。", "g-recaptcha-response": "t"}
    data.update(fields)
    return client.post("/feedback/", data)


# Lone surrogates cannot travel in a UTF-8 request at all (browsers replace them); the sanitizer's
# own tests cover them.
@pytest.mark.parametrize("text", [t for t in HOSTILE if encodable(t)])
def test_hostile_text_is_stored_clean_and_rendered_inert(client, text):
    response = post(client, title=text[:300], content="正常内容:" + text, contact_name=text[:80])
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert response.context["form"].errors  # refused with a message, not silently
        return
    submission = Submission.objects.latest("pk")
    assert submission.content == sanitize.clean_text("正常内容:" + text, max_length=3000)
    submission.status, submission.answer, submission.is_public, submission.publish_allowed = (
        "answered",
        "答复",
        True,
        True,
    )
    submission.save()
    html = client.get("/feedback/answers/").content.decode()
    finder = ScriptFinder()
    finder.feed(html[html.index("<main") : html.index("</main>")])  # the page's own script tag is outside
    assert not finder.bad


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(max_size=120), content=st.text(max_size=400), phone=st.text(max_size=25), email=st.text(max_size=40)
)
def test_random_input_never_breaks_the_form(client, title, content, phone, email):
    response = post(client, title=title, content=content, contact_phone=phone, contact_email=email)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        submission = Submission.objects.latest("pk")
        assert submission.title == sanitize.clean_line(title, max_length=100)
        assert submission.content == sanitize.clean_text(content, max_length=3000)
    else:
        assert response.context["form"].errors
