"""The text-size control, and the headers every response carries."""

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
