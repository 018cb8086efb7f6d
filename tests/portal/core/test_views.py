"""The text-size control, and the headers every response carries."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_text_size_cookie_is_secure_where_the_session_cookie_is(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.get("/text-size/", {"size": "large", "next": "/plan/"})
    assert response.status_code == 302 and response["Location"] == "/plan/"
    cookie = response.cookies["text_size"]
    assert cookie.value == "large" and cookie["secure"] and cookie["samesite"] == "Lax"

    settings.SESSION_COOKIE_SECURE = False  # plain-HTTP development keeps a cookie it can read back
    assert not client.get("/text-size/", {"size": "large"}).cookies["text_size"]["secure"]


def test_every_response_denies_the_browser_features_no_page_uses(client):
    policy = client.get("/").headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert "fullscreen" not in policy  # embedded videos in progress reports may still go fullscreen


def test_care_mode_is_remembered_without_javascript_and_includes_the_larger_text(client):
    response = client.get("/care-mode/", {"mode": "on", "next": "/education/"})
    assert response.status_code == 302 and response["Location"] == "/education/"
    assert response.cookies["care_mode"].value == "on" and response.cookies["care_mode"]["max-age"] == 365 * 24 * 3600
    page = client.get("/education/").content.decode()
    assert 'class="text-large care-mode"' in page and "css/care" in page
    assert "退出适老化" in page and "大字号" not in page  # the mode sets the size: no second control that cannot act

    client.get("/care-mode/", {"mode": "off", "next": "/education/"})
    page = client.get("/education/").content.decode()
    assert not re.search(r"<html[^>]*care-mode", page) and "css/care" not in page and "适老化" in page
    assert client.get("/care-mode/", {"mode": "on", "next": "https://evil.example/"})["Location"] == "/"
