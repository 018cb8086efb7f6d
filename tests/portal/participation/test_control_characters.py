"""Control characters in the public forms: removed before validation, everything else kept as typed."""

import pytest

from portal.participation.models import SatisfactionRating, Submission
from portal.plan.models import DomainPage

pytestmark = pytest.mark.django_db

DJANGO_NUL_MESSAGE = "不允许是用空字符串"  # Django's translation of "Null characters are not allowed."


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.PARTICIPATION_RATE_PER_MINUTE = settings.PARTICIPATION_RATE_PER_DAY = 10**6


def test_a_submission_with_nul_and_control_characters_is_saved_without_them(client, google):
    response = client.post(
        "/feedback/",
        {
            "kind": "opinion\x00",
            "domain": f"{DomainPage.objects.get(slug='education').pk}\x00",
            "title": "幼儿园\x00学位",
            "content": "台城街道\x00公办幼儿园\x1b学位紧张,\r\n建议增设一所。\x07",
            "contact_name": "陈\x00先生",
            "contact_phone": "0750-5512345\x00",
            "g-recaptcha-response": "token",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    submission = Submission.objects.get()
    assert submission.title == "幼儿园学位"
    assert submission.content == "台城街道公办幼儿园学位紧张,\n建议增设一所。"
    assert submission.contact_name == "陈先生" and submission.contact_phone == "0750-5512345"
    assert submission.domain.slug == "education"


def test_a_field_of_nothing_but_control_characters_is_simply_empty(client, google):
    response = client.post(
        "/feedback/", {"kind": "opinion", "title": "\x00\x00", "content": "\x00" * 20, "g-recaptcha-response": "t"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Submission.objects.exists()
    assert "请填写标题。" in html and "请填写具体内容。" in html
    assert DJANGO_NUL_MESSAGE not in html


def test_tracking_with_a_nul_byte_looks_the_number_up(client):
    response = client.post("/feedback/track/", {"number": "TS2026\x000000001", "code": "ABC\x00DEF"})
    assert response.status_code == 200
    assert "受理编号或查询码不正确" in response.content.decode()


def test_a_rating_with_a_nul_byte_is_saved(client):
    education = DomainPage.objects.get(slug="education")
    response = client.post(
        "/feedback/satisfaction/",
        {"domain": f"{education.pk}\x00", "score": "4\x00", "comment": "离家\x00太远", "g-recaptcha-response": "t"},
    )
    assert "感谢您的评价" in response.content.decode()
    rating = SatisfactionRating.objects.get()
    assert (rating.domain_id, rating.score, rating.comment) == (education.pk, 4, "离家太远")
