"""A resident on a phone walks home → domain → indicator, with and without larger text."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_walk_from_home_to_an_indicator(site, phone, tmp_path):
    phone.goto(site.url + "/")
    assert phone.locator("h1").first.inner_text().startswith("台山市全面深化基本公共服务均等化")
    assert phone.locator(".domain-tile").count() == 10
    # Nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # The header's sections are folded on a phone (栏目导航): the resident taps the domain's tile.
    assert not phone.locator(".site-nav").get_by_role("link", name="公共教育").is_visible()
    phone.locator(".domain-tile").get_by_role("link", name="公共教育").click()
    phone.wait_for_url("**/education/")
    assert phone.locator(".indicator-card").count() >= 5
    assert phone.locator(".indicator-card svg title").count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.get_by_role("link", name="学前三年毛入园率").first.click()
    phone.wait_for_url("**/edu-01/")
    assert phone.locator("table.data-table tbody tr").count() >= 1
    assert phone.get_by_text("示例数据").first.is_visible()
    chart = phone.locator("figure.chart svg[role=img]")
    assert chart.count() == 1 and chart.locator("desc").text_content()
    phone.screenshot(path=str(tmp_path / "indicator.png"), full_page=True)

    before = phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    phone.get_by_role("link", name="大字号").click()
    after = phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after > before
    phone.reload()  # the choice survives a reload (cookie)
    assert phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == after
