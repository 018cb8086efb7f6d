"""Open-data downloads (indicators as JSON and CSV, measurements as CSV) and the feeds' 订阅 pages."""

import csv

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from portal.core.links import absolute_url
from portal.plan.models import DomainPage, Plan

from .records import INDICATOR_FIELDS, MEASUREMENT_FIELDS, indicator_records, measurement_records


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def _csv_rows(fields, records):
    writer = csv.writer(_Echo())
    # A byte-order mark lets spreadsheet programs recognise the file as UTF-8 Chinese text.
    yield "\ufeff" + writer.writerow(fields)
    for record in records:
        yield writer.writerow(["" if record[f] is None else record[f] for f in fields])


def _csv_response(filename, fields, records):
    response = StreamingHttpResponse(_csv_rows(fields, records), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def index(request):
    return render(request, "opendata/index.html", {"indicator_fields": INDICATOR_FIELDS, "plan": Plan.current()})


def indicators_json(request):
    plan = Plan.current()
    records = indicator_records(request)
    payload = {
        "plan": plan.title if plan else None,
        "document_number": plan.document.number if plan else None,
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "count": len(records),
        "indicators": records,
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})


def indicators_csv(request):
    return _csv_response("indicators.csv", INDICATOR_FIELDS, indicator_records(request))


def measurements_csv(request):
    code = request.GET.get("indicator") or None
    filename = f"measurements-{code}.csv" if code else "measurements.csv"
    if code and not code.replace("-", "").isalnum():
        return HttpResponse("indicator 参数无效", status=400, content_type="text/plain; charset=utf-8")
    return _csv_response(filename, MEASUREMENT_FIELDS, measurement_records(code))


def subscribe(request, slug=None):
    """订阅: what a feed is and how to follow one, with its XML address beside it; one page per feed."""
    domain = get_object_or_404(DomainPage.objects.live(), slug=slug) if slug else None
    feed_path = reverse("opendata:feed_domain", args=[slug]) if domain else reverse("opendata:feed_updates")
    context = {
        "domain": domain,
        "feed_path": feed_path,
        "feed_url": absolute_url(feed_path),
        # The other feeds, so that a reader who came for one finds the rest.
        "domains": DomainPage.objects.live().order_by("path").only("title", "slug"),
    }
    return render(request, "opendata/subscribe.html", context)
