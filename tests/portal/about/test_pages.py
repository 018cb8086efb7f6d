"""The government-site basics: site map, sitemap.xml, robots.txt, contact, privacy, statement, 订阅 pages,
the footer that links them all, and the print stylesheet."""

from pathlib import Path

import pytest

from django.conf import settings
from django.core.management import call_command
from django.test import Client

from wagtail.models import Page

from portal.about.models import ContactPage, PrivacyPage, StatementPage
from portal.plan.models import DomainPage, MechanismPage, TaskPage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def reader():
    return Client()


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/health/", "/health/task-1/", "/mechanisms/", "/feedback/", "/feedback/answers/", "/contact/"]
)
def test_every_footer_links_the_basics_and_the_report_form_with_its_own_address(reader, url):
    html = html_of(reader, url)
    footer = html[html.index('<footer class="site-footer">') :]
    for link in ('href="/sitemap/"', 'href="/contact/"', 'href="/privacy/"', 'href="/statement/"'):
        assert link in footer, (url, link)
    assert 'href="/subscribe/"' in footer and "/feeds/updates/" not in footer
    assert 'href="tel:+867505565827"' in footer
    assert f'href="/feedback/site-error/?url={url}"' in footer


def test_navigation_links_the_consultations(reader):
    nav = html_of(reader, "/health/").split('<nav class="wrap site-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/consultations/"' in nav and "意见征集" in nav


def test_contact_page_has_the_office_and_a_phone_to_tap(reader, django_capture_on_commit_callbacks):
    html = html_of(reader, "/contact/")
    assert "领导小组办公室" in html and "市财政局" in html
    assert '<a class="tel" href="tel:+867505565827">0750-5565827</a>' in html
    assert '<a href="mailto:tssxzzx@jiangmen.gov.cn">' in html
    # The plan gives no street, only the bureau the office sits in, until staff write the street.
    assert "办公地址" in html and "台山市财政局内" in html
    page = ContactPage.objects.get()
    page.address = "台山市台城某路 1 号"
    with django_capture_on_commit_callbacks(execute=True):  # the purge follows the commit
        page.save_revision().publish()
    assert "台山市台城某路 1 号" in html_of(reader, "/contact/")


def test_privacy_page_states_what_is_kept_from_the_settings(reader, settings):
    settings.PARTICIPATION_RATE_PER_MINUTE = 7
    settings.PARTICIPATION_RATE_PER_DAY = 77
    html = html_of(reader, "/privacy/")
    assert "每分钟最多提交 7 件、每天最多 77 件" in html
    assert "姓名、电话和电子邮箱" in html and "申请删除" in html and "IP 地址" in html
    assert "保存 400 天" in html and "最长 10 分钟" in html and "365 天" in html


def test_statement_page_says_what_sample_data_is(reader):
    html = html_of(reader, "/statement/")
    assert "示例数据" in html and "版权" in html and "链接" in html and "免责" in html


def test_site_map_lists_every_section(reader):
    html = html_of(reader, "/sitemap/")
    for page in DomainPage.objects.live():
        assert f'href="{page.url}"' in html, page.title
    task = TaskPage.objects.live().descendant_of(DomainPage.objects.get(slug="health")).first()
    mechanism = MechanismPage.objects.get(slug="democratic-decision")
    for link in (task.url, mechanism.url, "/consultations/", "/plan/timeline/", "/updates/", "/open-data/"):
        assert f'href="{link}"' in html, link
    for link in ("/feedback/answers/", "/feedback/site-error/", "/contact/", "/privacy/", "/statement/"):
        assert f'href="{link}"' in html, link


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin_and_search(reader):
    response = reader.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /search/" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text


def test_sitemap_xml_has_the_pages_and_the_views(reader):
    response = reader.get("/sitemap.xml")
    assert response.status_code == 200 and "xml" in response["Content-Type"]
    xml = response.content.decode()
    for path in ("/health/", "/contact/", "/privacy/", "/consultations/"):
        assert f"{path}</loc>" in xml, path
    for path in ("/plan/timeline/", "/plan/document/", "/open-data/", "/feedback/answers/", "/sitemap/"):
        assert f"<loc>{settings.SITE_URL}{path}</loc>" in xml, path


def test_subscribe_pages_explain_feeds_with_the_xml_beside(reader):
    html = html_of(reader, "/subscribe/")
    assert "什么是订阅" in html and "怎样订阅" in html
    assert 'href="/feeds/updates/"' in html and f"{settings.SITE_URL}/feeds/updates/" in html
    domain = html_of(reader, "/subscribe/health/")
    assert 'href="/feeds/domains/health/"' in domain
    assert 'href="/subscribe/health/"' in html_of(reader, "/health/")
    assert reader.get("/subscribe/no-such-domain/").status_code == 404


def test_load_plan_makes_the_pages_once_and_keeps_staff_edits():
    privacy = PrivacyPage.objects.get()
    privacy.body = "<p>办公室修改后的隐私声明。</p>"
    privacy.save_revision().publish()
    before = Page.objects.count()
    call_command("load_plan", verbosity=0)
    assert Page.objects.count() == before
    assert PrivacyPage.objects.get().body == "<p>办公室修改后的隐私声明。</p>"
    assert StatementPage.objects.count() == ContactPage.objects.count() == 1


def test_print_stylesheet_hides_controls_and_prints_address_and_date(reader):
    css = (ROOT / "static/css/print.css").read_text(encoding="utf-8")
    hidden = css.split("{ display: none !important; }", 1)[0]
    for selector in (".header-search", ".site-nav", ".search-form", "form", "button", ".button", ".embedded-feedback"):
        assert selector in hidden, selector
    assert ".print-only { display: block !important; }" in css
    html = html_of(reader, "/health/")
    assert f'<span class="print-url">{settings.SITE_URL}/health/</span>' in html
    assert 'class="wrap print-only print-meta"' in html
