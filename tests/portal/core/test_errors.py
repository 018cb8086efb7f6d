"""Error pages a resident understands: Chinese, in the site's design, with a way home and to search.

DEBUG is off under pytest-django, so these are the pages production shows.
"""

import pytest

from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_way_on(html: str) -> None:
    assert 'href="/"' in html and "返回首页" in html
    assert 'action="/search/"' in html and 'name="q"' in html


def test_a_missing_page_is_a_chinese_404_with_the_sites_navigation(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "没有找到这个页面" in html and "页面不存在" in html
    assert "我要留言" in html  # base.html's navigation: the reader is still on our site
    assert_way_on(html)


def test_a_form_sent_without_its_csrf_token_explains_itself_in_chinese():
    # Staff forms keep CSRF tokens (citizens' forms check the origin instead: portal/core/origin.py).
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "提交没有成功" in html and "Cookie" in html and "CSRF verification failed" not in html
    assert_way_on(html)


@pytest.mark.urls("tests.portal.core.error_urls")
def test_permission_denied_is_a_chinese_403(client):
    response = client.get("/test-errors/forbidden/")
    html = response.content.decode()
    assert response.status_code == 403 and "您没有权限访问这个页面" in html
    assert_way_on(html)


@pytest.mark.urls("tests.portal.core.error_urls")
def test_a_bug_is_a_chinese_500():
    response = Client(raise_request_exception=False).get("/test-errors/broken/")
    html = response.content.decode()
    assert response.status_code == 500 and "抱歉,系统出了点问题" in html
    assert_way_on(html)


@pytest.mark.urls("tests.portal.core.error_urls")
def test_a_database_error_that_is_not_an_outage_is_still_a_500_not_a_503():
    response = Client(raise_request_exception=False).get("/test-errors/integrity/")
    assert response.status_code == 500 and "Retry-After" not in response.headers


def test_the_500_page_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")  # as Django's server_error renders it: no request, no context processors
    assert "台山市" in html
    assert_way_on(html)
