"""An indicator's chart read on a 390 px phone: text a reader can see, growing with 大字号, labels apart."""

import os

import pytest

from portal.plan.models import IndicatorPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a reader sees of each visible label of the chart: the font size as rendered (the computed size times
# the scale from the SVG's user units to the screen, which a viewBox would make smaller than 1) and its box.
MEASURE_LABELS = """
() => [...document.querySelectorAll("figure.chart-line text")]
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => {
    const box = el.getBoundingClientRect();
    const scale = box.height / el.getBBox().height;
    return {
      kind: el.classList.contains("date") ? "date" : el.classList.contains("y-tick") ? "tick" : "target",
      text: el.textContent,
      size: parseFloat(getComputedStyle(el).fontSize) * scale,
      box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
    };
  })
"""


def overlap(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def read_chart(phone, url, size):
    phone.context.add_cookies([{"name": "text_size", "value": size, "url": url}])
    phone.goto(url)
    labels = phone.evaluate(MEASURE_LABELS)
    if os.environ.get("CHART_SCREENSHOTS"):  # for looking at by hand
        phone.locator("figure.chart-line").screenshot(path=f"{os.environ['CHART_SCREENSHOTS']}/chart-{size}.png")
    return labels


@pytest.mark.parametrize("code", ["life-01", "health-03"])
def test_chart_text_is_readable_and_apart_on_a_phone(site, phone, code):
    url = site.url + IndicatorPage.objects.get(code=code).url

    sizes = {}
    for size in ("normal", "large"):
        labels = read_chart(phone, url, size)
        kinds = {label["kind"] for label in labels}
        assert kinds == {"date", "tick", "target"}, labels
        smallest = min(label["size"] for label in labels)
        assert smallest >= 12, labels
        sizes[size] = smallest
        # Ticks carry the unit; no two labels of the chart touch.
        assert all(label["text"].endswith(("%", "‰")) for label in labels if label["kind"] == "tick")
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not overlap(a["box"], b["box"]), (a, b)
        # And none of them runs off the phone.
        assert all(label["box"]["left"] >= 0 and label["box"]["right"] <= 390 for label in labels)
        # The progress bar says its percentage in words.
        assert phone.locator(".progress-text").first.inner_text().endswith("%")
    assert sizes["large"] >= sizes["normal"] * 1.2  # 大字号 makes the chart's text larger too
