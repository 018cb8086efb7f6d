"""In development, admin links in mail are on the address being browsed (portal/core/request_origin.py)."""

import re

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from portal.core import request_origin
from portal.plan.models import IndicatorPage
from portal.plan.staff import EDITORS, OFFICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def dev_base_url(settings):
    """What portal.settings.dev does when WAGTAILADMIN_BASE_URL is not set."""
    settings.WAGTAILADMIN_BASE_URL = request_origin.admin_base_url
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "portal.core.request_origin.RequestOriginMiddleware"]


def test_a_workflow_mail_links_to_the_host_and_port_the_editor_browses(client, dev_base_url):
    office = get_user_model().objects.create_user("office-origin", "office-origin@example.gov.cn", "x")
    office.groups.add(Group.objects.get(name=OFFICE))
    editor = get_user_model().objects.create_user("editor-origin", "editor-origin@example.gov.cn", "x")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    indicator = IndicatorPage.objects.get(code="edu-01")
    form = {"indicator": indicator.pk, "date": "2015-09-30", "value": "95.5", "source": "市教育局统计年报", "note": ""}
    client.post(
        reverse("wagtailsnippets_plan_measurement:add"), form | {"action-submit": "submit"}, HTTP_HOST="localhost:8080"
    )

    [message] = [m for m in mail.outbox if office.email in m.to]
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("http://localhost:8080/admin/") for link in links), links


def test_outside_a_request_it_is_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8080"
    assert str(request_origin.admin_base_url) == "http://127.0.0.1:8080"
