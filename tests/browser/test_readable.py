"""Every public page, as each reader may set it up: normal, 大字号 and 适老化, on a phone and on a desktop.

axe-core finds no serious or critical problem anywhere; in 适老化 mode the body text is at least 18 px on a
phone, lines are spaced at least 1.3, the controls people tap are at least 60 px high (44 px otherwise), and the
keyboard reaches every control with a visible focus ring. Nothing pops up."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from django.urls import reverse

from portal.participation.pages import ConsultationIndexPage, ConsultationPage
from portal.plan.models import Department, DomainPage, IndicatorPage, MechanismPage, TaskPage
from portal.updates.models import UpdatePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODES = {"normal": {}, "large": {"text_size": "large"}, "care": {"care_mode": "on"}}
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# What a reader taps: the header's controls, the navigation, buttons and form fields (links inside running
# text are exempt, as in WCAG 2.5.5).
TAPPED = (
    ".tools a, .nav-fold-button, .site-nav a, button:visible, .header-search input,"
    " .feedback-form input[type=text]:visible"
)


def public_pages() -> list[str]:
    """One page of every kind a resident can reach without logging in."""
    domain = DomainPage.objects.live().get(slug="employment")
    pages = [
        "/",
        domain.url,
        TaskPage.objects.live().descendant_of(domain).first().url,
        IndicatorPage.objects.live().descendant_of(domain).first().url,
        "/mechanisms/",
        MechanismPage.objects.live().first().url,
        "/updates/",
        "/plan/timeline/",
        "/plan/departments/",
        reverse("plan:department", args=[Department.objects.order_by("pk").first().key]),
        "/plan/document/",
        "/open-data/",
        "/search/?q=入园率",
        "/feedback/",
        "/feedback/track/",
        "/feedback/satisfaction/",
        "/feedback/answers/",
        "/feedback/statistics/",
        "/feedback/site-error/?url=/employment/",
        "/sitemap/",
        "/subscribe/",
        "/contact/",
        "/privacy/",
        "/statement/",
        "/no-such-page/",
        "/zh-hant/employment/",
    ]
    for model in (UpdatePage, ConsultationIndexPage, ConsultationPage):
        if first := model.objects.live().first():
            pages.append(first.url)
    return pages


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def open_as(browser, site, mode, width):
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=width == "phone", locale="zh-CN")
    host = site.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": k, "value": v, "domain": host, "path": "/"} for k, v in MODES[mode].items()])
    popups = []
    context.on("page", lambda new: popups.append(new.url))
    return context, popups


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_accessibility_problem_on_any_public_page_in_any_mode(site, browser, width):
    urls = public_pages()
    problems = {}
    for mode in MODES:
        context, popups = open_as(browser, site, mode, width)
        page = context.new_page()
        dialogs = []

        def refuse(dialog, seen=dialogs):
            seen.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", refuse)
        for url in urls:
            page.goto(site.url + url)
            found = serious_violations(page)
            if found:
                problems[f"{mode} {width} {url}"] = found
        assert dialogs == [] and len(popups) == 1, (dialogs, popups)  # the one page this test opened
        context.close()
    assert problems == {}


def sizes(page, selector):
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.offsetParent !== null)
                   .map(e => [e.textContent.trim() || e.name || e.tagName, e.getBoundingClientRect().height])""",
    )


def test_care_mode_on_a_phone_reads_large_spaced_and_tappable(site, browser):
    context, _ = open_as(browser, site, "normal", "phone")
    page = context.new_page()
    page.goto(site.url + "/employment/")
    page.locator(".nav-fold > summary").click()  # the sections, folded on a phone
    tapped = sizes(page, TAPPED)
    assert len(tapped) >= 15  # the header's controls, the navigation, the search box and its button
    small = [(name, h) for name, h in tapped if h < 44]
    assert small == [], small

    # The switch is a link: it works without a script and is remembered.
    page.get_by_role("link", name="适老化", exact=True).click()
    page.wait_for_url("**/employment/")
    assert "care-mode" in page.evaluate("document.documentElement.className")
    page.reload()
    page.locator(".nav-fold > summary").click()
    body = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('main p, main li'));"
        " return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; })()"
    )
    assert body[0] >= 18 and body[1] / body[0] >= 1.3, body
    small = [(name, h) for name, h in sizes(page, TAPPED) if h < 60]
    assert small == [], small
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The keyboard reaches the controls in order, each with a visible ring (the sections' button among them).
    page.reload()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(6):
        page.keyboard.press("Tab")
        ring = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
        )
        assert ring[1] != "none" and ring[2] != "0px", ring

    page.get_by_role("link", name="退出适老化").click()
    page.wait_for_url("**/employment/")
    assert "care-mode" not in page.evaluate("document.documentElement.className")
    context.close()


def test_the_sections_fold_behind_one_button_on_a_phone_only(site, browser):
    """On a phone the header's fifteen sections filled the first screen in 适老化 mode: they fold behind
    栏目导航, which opens from the keyboard without a script; a desktop shows them with no button."""
    context, _ = open_as(browser, site, "care", "phone")
    page = context.new_page()
    page.goto(site.url + "/employment/")
    section = page.locator(".site-nav").get_by_role("link", name="意见征集")
    assert not section.is_visible()
    assert page.locator("main h1").bounding_box()["y"] < 844 / 2  # the page starts on its first screen
    page.locator(".nav-fold > summary").focus()
    page.keyboard.press("Enter")
    assert section.is_visible()
    section.click()
    page.wait_for_url("**/consultations/")
    context.close()

    context, _ = open_as(browser, site, "care", "desktop")
    page = context.new_page()
    page.goto(site.url + "/employment/")
    assert page.locator(".site-nav").get_by_role("link", name="意见征集").is_visible()
    assert not page.locator(".nav-fold > summary").is_visible()
    context.close()
