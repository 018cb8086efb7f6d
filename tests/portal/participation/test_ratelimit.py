"""The client's address behind our proxies: only entries our proxies appended are believed."""

import pytest

from django.test import Client, RequestFactory

from portal.participation.ratelimit import client_ip

from .test_feedback import valid

REAL = "198.51.100.7"  # the address our proxy saw
PROXY = "10.0.0.2"  # REMOTE_ADDR: our proxy itself


def address(settings, count: int, forwarded: str | None) -> str | None:
    settings.TRUSTED_PROXY_COUNT = count
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


def test_no_proxy_trusts_only_the_connection(settings):
    assert address(settings, 0, "1.2.3.4") == PROXY
    assert address(settings, 0, None) == PROXY


def test_one_proxy_takes_the_entry_it_appended_not_the_clients_own(settings):
    assert address(settings, 1, REAL) == REAL
    # The client sent "X-Forwarded-For: 1.2.3.4"; our proxy appended what it saw.
    assert address(settings, 1, f"1.2.3.4, {REAL}") == REAL
    assert address(settings, 1, f"1.2.3.4,5.6.7.8,{REAL}") == REAL


def test_two_proxies_skip_the_inner_proxys_entry(settings):
    # client → CDN (appends REAL) → load balancer (appends the CDN's address) → site
    assert address(settings, 2, f"{REAL}, 203.0.113.1") == REAL
    assert address(settings, 2, f"1.2.3.4, {REAL}, 203.0.113.1") == REAL


def test_a_header_shorter_than_the_proxies_falls_back_to_the_connection(settings):
    assert address(settings, 2, REAL) == PROXY
    assert address(settings, 1, "") == PROXY
    assert address(settings, 1, None) == PROXY
    assert address(settings, 1, " , ") == PROXY


@pytest.mark.django_db
def test_rotating_a_spoofed_leftmost_entry_does_not_escape_the_flood_bound(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PARTICIPATION_POST_RATE_PER_MINUTE = 3
    client = Client(REMOTE_ADDR=PROXY)
    statuses = [
        client.post(
            "/feedback/", valid(title=""), HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, {REAL}"
        ).status_code  # an invalid form: only the POST bound counts it
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    # Another resident behind the same proxy is not refused with the forger.
    assert client.post("/feedback/", valid(title=""), HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200
