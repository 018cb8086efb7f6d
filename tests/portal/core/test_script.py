"""The site in traditional characters: /zh-hant/… is every public page converted, cached apart, purged together."""

import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from django.conf import settings
from django.test import Client

from portal.core.script import UNUSED_DICTIONARY as UNUSED
from portal.core.script import converter, html_to_traditional, merge_dictionaries, to_traditional
from portal.participation.models import Submission
from portal.plan.models import DomainPage
from tests.portal.core.test_pagecache import RecordingBackend
from tests.portal.participation.test_feedback import valid

pytestmark = pytest.mark.django_db

SOURCE_TEXT = Path(settings.BASE_DIR, "portal", "plan", "data", "source_text.txt").read_text(encoding="utf-8")


class VisibleText(HTMLParser):
    """The text a reader sees: no script, style, or form control's content."""

    HIDDEN = {"script", "style", "textarea", "title"}

    def __init__(self):
        super().__init__()
        self.hidden, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "".join(parser.parts)


def simplified_only_characters() -> set[str]:
    """The plan's characters that the traditional text never holds (卫, 医, 务 …; not 台, 后 in 皇后 …)."""
    return set(SOURCE_TEXT) - set(to_traditional(SOURCE_TEXT))


@pytest.fixture
def reader():
    return Client()


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


def switch_of(html: str) -> tuple[str, str]:
    found = re.search(r'<a class="script-switch" href="([^"]*)"[^>]*>([^<]*)</a>', html)
    assert found, "no script switch"
    return found.group(1), found.group(2)


def test_the_health_page_reads_in_traditional_characters(reader):
    html = get(reader, "/zh-hant/health/").content.decode()
    assert '<html lang="zh-Hant"' in html
    text = visible_text(html)
    assert "衛生" in text and "醫療" in text
    left = simplified_only_characters() & set(text)
    # The 简体 switch is written in simplified characters on purpose, for the readers who want them.
    assert left <= set("简体"), sorted(left)
    assert "台府〔2014〕32號" in text  # s2hk keeps 台: the document number as the plan's readers know it


def test_the_simplified_page_is_unchanged_whatever_the_browser_asks_for(reader):
    html = get(reader, "/health/", Accept_Language="zh-Hant-HK,zh-TW;q=0.9").content.decode()
    assert '<html lang="zh-Hans"' in html and "卫生" in visible_text(html)


def test_the_switch_leads_to_the_same_page_and_back(reader):
    html = get(reader, "/health/").content.decode()
    assert switch_of(html) == ("/zh-hant/health/", "繁體")
    traditional = get(reader, "/zh-hant/health/").content.decode()
    assert switch_of(traditional) == ("/health/", "简体")
    # The query string goes along (a search, a page of a listing).
    assert switch_of(get(reader, "/zh-hant/feedback/answers/?page=1").content.decode()) == (
        "/feedback/answers/?page=1",
        "简体",
    )


def test_links_on_a_traditional_page_stay_traditional(reader):
    html = get(reader, "/zh-hant/health/").content.decode()
    hrefs = set(re.findall(r'href="(/[^"]*)"', html)) - {"/health/"}  # the switch
    site_links = {href for href in hrefs if not href.startswith(("/static/", "/documents/", "/admin/"))}
    assert site_links and all(href.startswith("/zh-hant/") for href in site_links), sorted(site_links)
    assert {"/zh-hant/", "/zh-hant/mechanisms/", "/zh-hant/updates/", "/zh-hant/education/"} <= site_links
    assert 'action="/zh-hant/search/"' in html and 'action="/zh-hant/feedback/"' in html


def test_every_kind_of_public_page_has_a_traditional_twin(reader):
    for url in ("/", "/mechanisms/", "/updates/", "/plan/departments/", "/plan/timeline/", "/open-data/"):
        html = get(reader, "/zh-hant" + url).content.decode()
        assert '<html lang="zh-Hant"' in html, url
    indicators = get(reader, "/zh-hant/open-data/indicators.json").json()["indicators"]
    domains = {record["domain"] for record in indicators if record["domain"]}
    assert any("衛生" in domain for domain in domains) and not any("卫生" in domain for domain in domains)
    feed = get(reader, "/zh-hant/feeds/updates/")
    assert "application/atom+xml" in feed["Content-Type"] and "進展" in feed.content.decode()


def test_staff_urls_have_no_twin(reader):
    assert reader.get("/zh-hant/admin/").status_code == 404
    response = reader.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_page_cache_keeps_each_script_apart_and_a_publish_purges_both(reader, django_capture_on_commit_callbacks):
    simplified, traditional = get(reader, "/employment/"), get(reader, "/zh-hant/employment/")
    assert simplified["X-Page-Cache"] == traditional["X-Page-Cache"] == "miss"
    assert get(reader, "/zh-hant/employment/")["X-Page-Cache"] == "hit"
    again = get(reader, "/employment/")
    assert again["X-Page-Cache"] == "hit" and again.content == simplified.content != traditional.content
    # The language comes from the path alone: a browser asking for traditional gets the one simplified entry.
    assert get(reader, "/employment/", Accept_Language="zh-Hant")["X-Page-Cache"] == "hit"

    domain = DomainPage.objects.get(slug="employment")
    domain.title = "就业服务(已更新)"
    with django_capture_on_commit_callbacks(execute=True):
        domain.save_revision().publish()
    twin = get(reader, "/zh-hant/employment/")
    assert twin["X-Page-Cache"] == "miss" and "就業服務(已更新)" in twin.content.decode()
    assert "就业服务(已更新)" in get(reader, "/employment/").content.decode()
    assert "就業服務(已更新)" in get(reader, "/zh-hant/").content.decode()  # the home page lists the domains


def test_a_cdn_in_front_is_sent_both_twins(django_capture_on_commit_callbacks, settings):
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": f"{RecordingBackend.__module__}.RecordingBackend"}}
    RecordingBackend.purged = []
    domain = DomainPage.objects.get(slug="employment")
    with django_capture_on_commit_callbacks(execute=True):
        domain.save_revision().publish()
    paths = {urlsplit(url).path for url in RecordingBackend.purged}
    assert {"/employment/", "/zh-hant/employment/", "/", "/zh-hant/", "/zh-hant/open-data/indicators.json"} <= paths
    assert not any(path.startswith("/zh-hant/zh-hant/") for path in paths)


def test_a_submission_from_a_traditional_page_is_stored_as_typed(reader, django_capture_on_commit_callbacks):
    typed = {"title": "關於台城衛生院的意见", "content": "希望衛生院周末開門,医生多一些。"}
    with django_capture_on_commit_callbacks(execute=True):
        response = reader.post("/zh-hant/feedback/", valid(**typed), headers={"Origin": "http://testserver"})
    assert response.status_code == 302 and response["Location"] == "/zh-hant/feedback/thanks/"
    submission = Submission.objects.get()
    assert (submission.title, submission.content) == (typed["title"], typed["content"])
    page = get(reader, response["Location"])
    receipt = page.content.decode()
    assert submission.number in receipt and "查詢碼" in receipt
    saved = unquote(page.context["receipt_download"])  # the 保存回执 file: its labels too, the title as typed
    assert "查詢碼" in saved and "查询码" not in saved and f"標題:{typed['title']}" in saved


def test_a_form_returned_with_errors_keeps_what_was_typed_and_speaks_traditional(reader):
    typed = "医生说:这里的卫生院"  # simplified, typed on a traditional page: it must come back untouched
    response = reader.post(
        "/zh-hant/feedback/", valid(title="", content=typed), headers={"Sec-Fetch-Site": "same-origin"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Submission.objects.exists()
    assert re.search(rf">\s*{typed}</textarea>", html)
    assert '<html lang="zh-Hant"' in html and "請" in visible_text(html)


def test_search_accepts_traditional_input_and_answers_in_traditional(reader, database_search):
    response = get(reader, "/zh-hant/search/?q=醫療衛生")
    html = response.content.decode()
    assert response["X-Page-Cache"] == "skip"  # search results are never kept, in either script
    assert 'value="醫療衛生"' in html  # the search box holds what was typed
    hits = re.findall(r'<h3><a href="([^"]*)">', html)
    assert hits and all(href.startswith("/zh-hant/") for href in hits)
    assert "/zh-hant/health/" in hits and "衛生" in visible_text(html)
    results = get(reader, "/zh-hant/search/?q=衞生&format=json").json()["results"]
    assert results and results[0]["url"].startswith("/zh-hant/")


def test_the_lean_dictionaries_convert_the_plan_as_opencc_s2hk_does():
    import opencc

    assert to_traditional(SOURCE_TEXT) == opencc.OpenCC("s2hk").convert(SOURCE_TEXT).replace("衞", "衛")


def test_the_merged_dictionary_converts_every_key_as_the_group_it_replaces(tmp_path):
    """The merged first step against s2hk.json as shipped (less the regional phrases, as in production), on every key
    of both dictionaries in shuffled runs, and on names whose Hong Kong form needs their run kept whole."""
    import opencc

    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    shipped = json.loads((share / "s2hk.json").read_text(encoding="utf-8"))

    def full_paths(node):
        if isinstance(node, dict):
            return {k: str(share / v) if k == "file" else full_paths(v) for k, v in node.items()}
        if isinstance(node, list):
            return [full_paths(item) for item in node if not (isinstance(item, dict) and item.get("file") == UNUSED)]
        return node

    (tmp_path / "group.json").write_text(json.dumps(full_paths(shipped)))
    group = opencc.OpenCC(str(tmp_path / "group.json"))
    merge_dictionaries(share, tmp_path)  # leaves merged.txt, every key of both, beside the dictionary
    keys = [line.split("\t", 1)[0] for line in (tmp_path / "merged.txt").read_text(encoding="utf-8").splitlines()]
    random.Random(2014).shuffle(keys)
    text = "林晓峰与温兆伦。" + "，".join("".join(keys[i : i + 5]) for i in range(0, len(keys), 5))
    assert len(keys) > 50_000
    assert converter().convert(text) == group.convert(text)


def test_typed_text_and_values_are_never_converted():
    html = '<p>卫生</p><input name="q" value="卫生"><textarea name="c">医疗\n卫生</textarea><a lang="zh-Hans">简体</a>'
    assert html_to_traditional(html) == (
        '<p>衛生</p><input name="q" value="卫生"><textarea name="c">医疗\n卫生</textarea><a lang="zh-Hans">简体</a>'
    )
