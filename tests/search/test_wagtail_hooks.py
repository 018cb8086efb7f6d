"""The admin's 推荐搜索词 snippets: staff list, add and withdraw the terms public lists may show."""

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from search.models import RecommendedTerm
from tests.factories.search import RecommendedTermFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"wagtailsnippets_search_recommendedterm:{name}", args=args)


@pytest.fixture
def superuser_client(client):
    client.force_login(get_user_model().objects.create_superuser("search-admin", "s@example.gov.cn", "x"))
    return client


def test_superuser_lists_searches_and_adds_recommended_terms(superuser_client, database_search):
    RecommendedTermFactory(term="公租房申请", note="住建局建议")
    listing = superuser_client.get(url("list"))
    assert listing.status_code == 200
    assert "公租房申请" in listing.content.decode() and "推荐搜索词" in listing.content.decode()
    assert "公租房申请" in superuser_client.get(url("list"), {"q": "公租房"}).content.decode()
    assert url("list") in superuser_client.get(reverse("wagtailadmin_home")).content.decode()  # in the menu

    response = superuser_client.post(url("add"), {"term": "  渡口   夜班船 ", "note": ""})
    assert response.status_code == 302
    term = RecommendedTerm.objects.get(term="渡口 夜班船")  # spaces tidied as queries are logged
    assert "渡口 夜班船" in superuser_client.get("/search/").content.decode()  # shown at once

    response = superuser_client.post(url("delete", term.pk))
    assert response.status_code == 302 and not RecommendedTerm.objects.filter(pk=term.pk).exists()
    assert "渡口 夜班船" not in superuser_client.get("/search/").content.decode()


def test_a_duplicate_term_gets_a_field_error(superuser_client):
    RecommendedTermFactory(term="低保")
    response = superuser_client.post(url("add"), {"term": "低保", "note": ""})
    assert response.status_code == 200 and "term" in response.context["form"].errors
    assert RecommendedTerm.objects.filter(term="低保").count() == 1
