"""大家常搜 and every other public list show only terms staff approved or the plan's own words:
what residents type is logged, never published."""

import pytest

from search import querylog
from search.models import QueryLog
from tests.factories.search import RecommendedTermFactory

pytestmark = pytest.mark.django_db

SPAM = "加微信abc123领取补贴"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(params=["database", "elasticsearch"])
def engine(request):
    request.getfixturevalue("database_search" if request.param == "database" else "elasticsearch")
    return request.param


def search_four_times(client, query):
    for _ in range(4):
        assert client.get("/search/", {"q": query}).status_code == 200


def public_pages(client) -> dict[str, str]:
    """Every public place a list of search terms could appear, as another resident sees it."""
    pages = {
        "search page": client.get("/search/"),
        "search page without results": client.get("/search/", {"q": "火星殖民"}),
        "search page with results": client.get("/search/", {"q": "入园率"}),
        "json without results": client.get("/search/", {"q": "火星殖民", "format": "json"}),
        "home page": client.get("/"),
    }
    for prefix in ["加微信", "领取", "补贴", "abc", "script", "<script>", "alert"]:
        pages[f"suggest {prefix}"] = client.get("/search/suggest/", {"q": prefix})
    assert all(response.status_code == 200 for response in pages.values())
    return {name: response.content.decode() for name, response in pages.items()}


def test_residents_queries_never_reach_public_lists(client, engine):
    search_four_times(client, SPAM)
    search_four_times(client, SCRIPT)
    # Both found something, so both would have counted as popular searches.
    assert QueryLog.objects.filter(query=SPAM, results__gt=0).count() == 4
    assert QueryLog.objects.filter(query=SCRIPT, results__gt=0).count() == 4
    querylog.forget_popular()  # the list is cached for minutes: look at it as the log now stands

    for name, html in public_pages(client).items():
        for needle in [SPAM, "加微信", "abc123", SCRIPT, "alert(1)", "\\u52a0\\u5fae\\u4fe1"]:
            assert needle not in html, f"{needle!r} on the {name}"
    assert "大家常搜" in client.get("/search/").content.decode()


def test_an_approved_term_appears(client, database_search):
    RecommendedTermFactory(term="渡口夜班船")
    assert "渡口夜班船" in client.get("/search/").content.decode()
    assert "渡口夜班船" in client.get("/search/", {"q": "火星殖民"}).content.decode()


def test_popular_order_comes_from_counts_among_allowed_terms(client, database_search):
    RecommendedTermFactory(term="醫保")  # staff may write traditional characters; residents' 医保 counts
    for query, times in [("低保", 3), ("医保", 2), ("公共租赁住房", 1), (SPAM, 9)]:
        for _ in range(times):
            client.get("/search/", {"q": query})
    querylog.forget_popular()  # the list is cached for minutes: look at it as the log now stands
    popular = querylog.popular_searches()
    assert popular[:3] == ["低保", "醫保", "公共租赁住房"]
    assert SPAM not in popular and len(popular) == 8
    assert popular[3:] == [t for t in querylog.STARTER_TERMS if t not in popular[:3]][:5]


def test_starter_terms_when_nothing_was_searched(client, database_search):
    assert querylog.popular_searches() == querylog.STARTER_TERMS


def test_withdrawing_an_approval_takes_effect_at_once(client, database_search):
    term = RecommendedTermFactory(term="渡口夜班船")
    assert "渡口夜班船" in client.get("/search/").content.decode()
    term.delete()
    assert "渡口夜班船" not in client.get("/search/").content.decode()
