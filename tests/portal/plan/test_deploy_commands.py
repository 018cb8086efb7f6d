"""The deploy-time commands run-prod uses: the operator's first account and the site's public address."""

import io

import pytest

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from wagtail.models import Site

from portal.plan.staff import OFFICE

pytestmark = pytest.mark.django_db


def login_request():
    """django-axes checks every authentication against the request it came with, as the login form's does."""
    return RequestFactory().post("/admin/login/", REMOTE_ADDR="127.0.0.1")


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_operator_prints_a_working_password_once():
    first = run("create_operator")
    password = first.split("密码:", 1)[1].split()[0]
    user = get_user_model().objects.get(username="operator")
    assert authenticate(login_request(), username="operator", password=password) == user
    assert list(user.groups.values_list("name", flat=True)) == [OFFICE]
    assert len(password) >= 20

    again = run("create_operator")
    assert "已存在" in again and password not in again and "密码:" not in again
    assert authenticate(login_request(), username="operator", password=password) == user  # unchanged


@pytest.mark.parametrize(
    ("site_url", "hostname", "port"),
    [("https://gxfw.example.gov.cn", "gxfw.example.gov.cn", 443), ("http://127.0.0.1:8000", "127.0.0.1", 8000)],
)
def test_set_site_url_gives_the_default_site_its_host_and_port(settings, site_url, hostname, port):
    settings.SITE_URL = site_url
    run("set_site_url")
    run("set_site_url")  # idempotent
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (hostname, port, site_url)
    assert site.site_name == settings.WAGTAIL_SITE_NAME  # atop the admin's dashboard, not the host name
