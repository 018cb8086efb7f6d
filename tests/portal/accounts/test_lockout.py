"""django-axes on the admin's login form: a username at one address is locked after AXES_FAILURE_LIMIT wrong
passwords, with a Chinese page, an audit trail and a WARNING line; elsewhere it is not; axes_reset unlocks."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from portal.plan.staff import OFFICE

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234"
OFFICE_IP, HOME_IP = "198.51.100.7", "203.0.113.20"


@pytest.fixture
def colleague():
    user = get_user_model().objects.create_user("office-lock", password=PASSWORD)
    user.groups.add(Group.objects.get(name=OFFICE))
    return user


def attempt(client, password):
    return client.post("/admin/login/", {"username": "office-lock", "password": password})


def test_ten_wrong_passwords_lock_the_account_even_against_the_right_one(colleague, caplog):
    client = Client(REMOTE_ADDR=OFFICE_IP)
    with caplog.at_level(logging.WARNING, logger="portal.accounts"):
        responses = [attempt(client, f"wrong-{i}") for i in range(10)]

    assert all(r.status_code == 200 for r in responses[:9]), "nine mistakes only show the form again"
    locked = responses[9]
    page = locked.content.decode()
    assert locked.status_code == 429
    assert "账号已暂时锁定" in page and "连续 10 次登录失败" in page and "30 分钟后再试" in page
    assert "领导小组办公室" in page

    refused = attempt(client, PASSWORD)
    assert refused.status_code == 429 and "账号已暂时锁定" in refused.content.decode()
    assert client.get("/admin/")["Location"].startswith("/admin/login/"), "not logged in"

    record = AccessAttempt.objects.get(username="office-lock", ip_address=OFFICE_IP)
    assert record.failures_since_start >= 10
    assert AccessFailureLog.objects.filter(username="office-lock", ip_address=OFFICE_IP).count() >= 10
    assert any("office-lock" in r.getMessage() and OFFICE_IP in r.getMessage() for r in caplog.records)


def test_another_address_is_not_locked_and_axes_reset_unlocks(colleague):
    office = Client(REMOTE_ADDR=OFFICE_IP)
    for i in range(10):
        attempt(office, f"wrong-{i}")
    assert attempt(office, PASSWORD).status_code == 429

    home = Client(REMOTE_ADDR=HOME_IP)
    assert attempt(home, PASSWORD)["Location"] == "/admin/"

    call_command("axes_reset", stdout=None)
    assert attempt(office, PASSWORD)["Location"] == "/admin/"


def test_the_limit_and_cool_off_come_from_settings(colleague, settings):
    import datetime

    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=45)
    client = Client(REMOTE_ADDR=OFFICE_IP)
    assert [attempt(client, "wrong").status_code for _ in range(3)] == [200, 200, 429]
    assert "45 分钟后再试" in attempt(client, PASSWORD).content.decode()
