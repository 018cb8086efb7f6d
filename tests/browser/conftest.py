"""A real browser: Debian's Chromium driven by Playwright (never a downloaded browser)."""

import os

import pytest

from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/chromium.sh (make test does)")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls that fixtures make
    # meanwhile are synchronous and safe, so Django's async guard is relaxed while the browser runs.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(live_server):
    """The live server with the plan loaded.

    Browser tests are transactional: each flushes the database when it ends, so the plan (and the
    tree root it hangs from) is loaded again here when an earlier browser test emptied it."""
    from portal.plan.models import HomePage

    if not HomePage.objects.exists():
        call_command("load_plan", "--sample", verbosity=0)
    return live_server


# Google's widget script, replaced at its HTTP boundary in the browser (the browser cannot reach
# Google). Like the real one, it draws a box in each .g-recaptcha container; ticking it puts a token
# in a textarea named g-recaptcha-response and calls the container's data-callback.
FAKE_RECAPTCHA_JS = """
(function () {
  function draw() {
    document.querySelectorAll("div.g-recaptcha").forEach(function (box, i) {
      if (box.querySelector("textarea")) return;
      var label = document.createElement("label");
      var tick = document.createElement("input");
      tick.type = "checkbox";
      label.appendChild(tick);
      label.appendChild(document.createTextNode(" 进行人机身份验证"));
      var answer = document.createElement("textarea");
      answer.name = "g-recaptcha-response";
      answer.hidden = true;
      tick.addEventListener("change", function () {
        answer.value = tick.checked ? "browser-token-" + i : "";
        var done = window[box.dataset.callback];
        if (tick.checked && typeof done === "function") done(answer.value);
      });
      box.appendChild(label);
      box.appendChild(answer);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
"""


@pytest.fixture
def recaptcha_in_browser():
    """Route Google's api.js to the fake widget in a browser context (or page)."""

    def serve(target):
        target.route(
            "**/recaptcha/api.js*",
            lambda route: route.fulfill(status=200, content_type="text/javascript", body=FAKE_RECAPTCHA_JS),
        )
        return target

    return serve
