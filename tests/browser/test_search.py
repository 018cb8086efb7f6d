"""A resident searches on a phone: suggestions while typing, then results with the right page first."""

import pytest

from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_type_pick_a_suggestion_and_search(site, phone, elasticsearch):
    call_command("rebuild_search_index", "--no-progress", verbosity=0)
    phone.goto(site.url + "/")
    phone.fill("#home-q", "入园")
    phone.wait_for_selector("#home-suggestions li a")
    assert "学前三年毛入园率" in phone.locator("#home-suggestions").inner_text()

    phone.fill("#home-q", "醫療保險")
    phone.press("#home-q", "Enter")
    phone.wait_for_url("**/search/?q=*")
    first = phone.locator(".result").first
    assert "医疗保障" in first.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto(site.url + "/search/?q=入圆率")
    assert "入园率" in phone.locator(".notice").first.inner_text()
    assert phone.locator(".result mark").count() >= 1
