"""Every absolute link in open data and the feeds is on SITE_URL, whatever host the request came in on, and
answers when followed."""

import json
import re

import feedparser
import pytest

from portal.plan.models import DomainPage
from portal.updates.models import UpdateIndexPage, UpdatePage

pytestmark = pytest.mark.django_db

SITE_URL = "https://gxfw.example.gov.cn"


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = SITE_URL
    return SITE_URL


@pytest.fixture
def update():
    index = UpdateIndexPage.objects.get()
    page = UpdatePage(title="公共教育二季度进展", slug="edu-q2-links", summary="新增公办学位。")
    index.add_child(instance=page)
    page.domains.add(DomainPage.objects.get(slug="education"))
    page.save_revision().publish()
    return page


def feed_links(content: bytes) -> list[str]:
    feed = feedparser.parse(content)
    assert not feed.bozo, feed.bozo_exception
    links = [feed.feed.id] + [link.href for link in feed.feed.links]
    for entry in feed.entries:
        links += [entry.id] + [link.href for link in entry.links]
    return links


def test_open_data_and_feeds_link_only_to_site_url_and_every_link_answers(client, public_address, update):
    # The request arrives under an internal name, as it would behind the load balancer.
    get = {"HTTP_HOST": "10.0.0.7"}
    data = json.loads(client.get("/open-data/indicators.json", **get).content)
    links = [item["url"] for item in data["indicators"]]
    assert len(links) == data["count"] > 0
    for path in ("/feeds/updates/", "/feeds/domains/education/"):
        links += feed_links(client.get(path, **get).content)
    assert any("/edu-q2-links/" in link for link in links)  # the update's entry is among them
    assert {"/feeds/updates/", "/feeds/domains/education/"} <= {link.removeprefix(SITE_URL) for link in links}

    for link in set(links):
        assert link.startswith(SITE_URL + "/"), link
        response = client.get(link.removeprefix(SITE_URL))
        assert response.status_code == 200, (link, response.status_code)


def test_the_csv_carries_the_same_addresses(client, public_address):
    text = b"".join(client.get("/open-data/indicators.csv").streaming_content).decode("utf-8-sig")
    addresses = re.findall(r"https?://[^,\s]+", text)
    assert addresses and all(address.startswith(SITE_URL + "/") for address in addresses)
