"""Staff find things in the admin by part of a Chinese word: pages by their title, departments by name.

Submissions' queue search is tested with the rest of moderation (tests/portal/participation/test_moderation.py).
"""

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.plan.models import Department, IndicatorPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = get_user_model().objects.create_superuser("search-admin", "search@example.gov.cn", "x")
    client.force_login(user)
    return user


@pytest.mark.parametrize("query", ["持卡率", "卡率"])
def test_page_search_finds_an_indicator_by_part_of_its_title(client, superuser, query):
    indicator = IndicatorPage.objects.get(code="life-01")
    assert indicator.title == "社会保障卡持卡率"  # the plan's own title, from plan.yaml
    other = IndicatorPage.objects.exclude(title__contains=query).first()
    html = client.get(reverse("wagtailadmin_pages:search"), {"q": query}).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[indicator.pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[other.pk]) not in html


def test_page_search_still_finds_a_whole_title(client, superuser):
    indicator = IndicatorPage.objects.get(code="life-01")
    html = client.get(reverse("wagtailadmin_pages:search"), {"q": indicator.title}).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[indicator.pk]) in html


def test_department_listing_finds_part_of_a_name(client, superuser):
    response = client.get(reverse("wagtailsnippets_plan_department:list"), {"q": "教育"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "市教育局" in html
    assert Department.objects.get(name="市公安局").name not in html
    by_key = client.get(reverse("wagtailsnippets_plan_department:list"), {"q": "towns"})
    assert Department.objects.get(key="towns").name in by_key.content.decode()
