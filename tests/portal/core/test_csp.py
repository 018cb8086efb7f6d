"""The Content-Security-Policy: strict on every public page, with reCAPTCHA's hosts from RECAPTCHA_DOMAIN and
no nonce (pages are cached); the admin's own looser policy; and public markup that needs nothing looser, read
from the pages themselves."""

from html.parser import HTMLParser

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page

from portal.participation.models import Submission
from portal.plan.models import Department, DomainPage, IndicatorPage, Measurement
from tests.factories.participation import open_consultation
from tests.portal.participation.test_feedback import valid

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = ["/", "/feedback/", "/search/?q=低保"]


def directives(header: str) -> dict[str, list[str]]:
    """'a x y; b z' → {"a": ["x", "y"], "b": ["z"]}"""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def policy(response, header=HEADER) -> dict[str, list[str]]:
    assert response.has_header(header), f"{response.request['PATH_INFO']}: no {header}"
    return directives(response[header])


@pytest.fixture
def public_paths():
    return [*PUBLIC_PATHS, DomainPage.objects.get(slug="education").url]


def test_public_pages_get_the_strict_policy_with_recaptcha_from_its_setting(client, settings, public_paths):
    settings.RECAPTCHA_DOMAIN = "www.recaptcha.net"
    recaptcha = "https://www.recaptcha.net/recaptcha/"
    for path in public_paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy(response) == {
            "default-src": ["'self'"],
            "script-src": ["'self'", recaptcha, "https://www.gstatic.com/recaptcha/"],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "frame-src": [recaptcha],
            "frame-ancestors": ["'none'"],
            "form-action": ["'self'"],
            "base-uri": ["'self'"],
            "object-src": ["'none'"],
        }, path
        assert not response.has_header(HEADER_REPORT_ONLY)


def test_no_public_policy_allows_inline_code_or_a_nonce(client, public_paths):
    for path in public_paths:
        found = policy(client.get(path))
        for directive in ("default-src", "script-src", "style-src"):
            assert not any(s in ("'unsafe-inline'", "'unsafe-eval'") for s in found.get(directive, [])), path
            assert not any(s.startswith("'nonce-") for s in found.get(directive, [])), path


def test_the_admin_gets_its_own_policy(client):
    superuser = get_user_model().objects.create_superuser("csp-admin", password="pass-1234")
    client.force_login(superuser)
    for path in ("/admin/login/", "/admin/", "/admin/pages/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        found = policy(response)
        assert "'unsafe-inline'" in found["script-src"] and "'unsafe-inline'" in found["style-src"], path
        assert "blob:" in found["img-src"] and found["frame-ancestors"] == ["'self'"], path
        assert found["object-src"] == ["'none'"] and found["base-uri"] == ["'self'"], path
        assert not any("recaptcha" in source for source in found["script-src"]), "the admin has no captcha"


def test_report_only_sends_the_same_policies_without_enforcing_them(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    public = client.get("/")
    admin = client.get("/admin/login/")
    assert not public.has_header(HEADER) and not admin.has_header(HEADER)
    assert policy(public, HEADER_REPORT_ONLY)["style-src"] == ["'self'"]
    assert any("/recaptcha/" in s for s in policy(public, HEADER_REPORT_ONLY)["script-src"])
    assert "'unsafe-inline'" in policy(admin, HEADER_REPORT_ONLY)["style-src"]


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block: <script> without src, <style>, style="…",
    on…= handlers and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            url = name in ("href", "src", "action", "formaction") and (value or "").strip().lower()
            if name == "style" or name.startswith("on") or (url and url.startswith("javascript:")):
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def one_page_of_each_type() -> list[str]:
    """The first live page of every Wagtail page type on the site, so a new page type is checked without a list."""
    urls = []
    for content_type in ContentType.objects.filter(pk__in=Page.objects.live().values("content_type")).distinct():
        page = Page.objects.live().filter(content_type=content_type).order_by("path").first().specific
        if page.url and page.depth > 1:
            urls.append(page.url)
    return urls


def test_inline_code_finds_what_the_policy_blocks():
    html = '<p style="width: 5%"><a onclick="x()" href="javascript:x()">a</a></p><script>x()</script><style></style>'
    assert len(inline_code(html)) == 5
    assert not inline_code('<script src="/s.js" defer></script><svg><rect width="40" fill="red"/></svg>')


def test_no_public_page_renders_inline_code(client, google):
    open_consultation()
    measured = IndicatorPage.objects.get(pk=Measurement.objects.filter(live=True).values("indicator_id")[:1])
    paths = [
        *one_page_of_each_type(),
        measured.url,
        "/plan/departments/",
        f"/plan/departments/{Department.objects.first().key}/",
        "/plan/timeline/",
        "/plan/document/",
        "/open-data/",
        "/feedback/",
        "/feedback/track/",
        "/feedback/answers/",
        "/feedback/statistics/",
        "/feedback/satisfaction/",
        "/search/?q=低保",
        "/search/?q=没有这样的词语啊",
    ]
    pages = {path: client.get(path) for path in paths}
    pages["/feedback/ (errors)"] = client.post("/feedback/", valid(content="太短"))
    pages["/feedback/thanks/"] = client.post("/feedback/", valid(), follow=True)
    assert Submission.objects.filter(title=valid()["title"]).exists()
    for path, response in pages.items():
        assert response.status_code == 200, path
        assert inline_code(response.content.decode()) == [], path
    assert b'class="g-recaptcha"' in pages["/feedback/"].content, "the captcha widget is among the pages checked"
    assert b'role="progressbar"' in pages[measured.url].content
