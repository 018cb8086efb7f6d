"""Public participation pages: the form, its confirmation, tracking, and published answers."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.core import origin, sanitize
from portal.core.inputs import id_param
from portal.core.links import absolute_url
from portal.core.script import is_traditional, to_traditional
from portal.plan.models import DomainPage, TaskPage

from . import captcha, ratelimit, services
from .forms import SiteErrorForm, SubmissionForm, TrackForm
from .models import Submission

# The receipt travels from the POST to the thanks page in a short-lived signed cookie rather
# than the session: a database session would cost every submission another write.
RECEIPT_COOKIE = "feedback_receipt"
RECEIPT_SALT = "participation.receipt"
RECEIPT_MAX_AGE = 600


def receipt_path() -> str:
    """The receipt cookie's path: /feedback/, or /zh-hant/feedback/ when the form was sent from a traditional page."""
    return reverse("participation:feedback")


def _initial(request) -> dict:
    """Preselect the context a resident came from (?domain=slug&task=id)."""
    initial = {}
    slug = request.GET.get("domain", "")
    domain = DomainPage.objects.live().filter(slug=slug).first() if slug else None
    if domain:
        initial["domain"] = domain.pk
    task_id = id_param(request.GET.get("task"))
    if task_id:
        task = TaskPage.objects.live().filter(pk=task_id).first()
        if task:
            initial["task"] = task.pk
    return initial


def _consultation(request):
    """The consultation a submission answers, if any; (page, error message)."""
    from .pages import ConsultationPage

    raw = request.POST.get("consultation") or request.GET.get("consultation") or ""
    if not raw:
        return None, ""
    page = ConsultationPage.objects.live().public().filter(pk=id_param(raw) or 0).first()
    if page is None:
        return None, _("没有找到这项意见征集。")
    if not page.is_open:
        return None, _("这项意见征集已截止或尚未开始,您可以作为一般意见提交。")
    return page, ""


CROSS_SITE = gettext_lazy("无法确认这份表单是从本站页面提交的,请回到本站页面重新提交。您填写的内容仍保留在下面。")


def receive(request, form, *, template: str, context: dict):
    """A POST to a citizens' form that sends to the queue (a letter, a 找错 report): the same checks for each.

    Posted from this site, within the flood bound, valid, within the per-address limits: then saved, and
    the receipt shown. Otherwise the form comes back with everything typed and the reason in Chinese.
    """
    ip = ratelimit.client_ip(request)

    def again(message, status):
        form.add_error(None, message)
        return render(request, template, {**context, "form": form}, status=status)

    if not origin.is_same_origin(request):
        form.is_valid()
        return again(CROSS_SITE, 403)
    if not ratelimit.post_allowed(ip):
        form.is_valid()  # the errors, if any, are shown beside the flood message
        return again(_("提交过于频繁,请稍等一分钟再试。您填写的内容仍保留在下面。"), 429)
    if not form.is_valid():
        return render(request, template, {**context, "form": form})
    if not ratelimit.submission_allowed(ip):
        return again(_("同一网络提交的来信过多,请稍等几分钟再试。您填写的内容仍保留在下面。"), 429)
    submission, code = services.submission_create(
        data=form.submission_data(), ip=ip, captcha_token=form.cleaned_data.get("captcha") or ""
    )
    ratelimit.submission_accepted(ip)
    response = redirect("participation:thanks")
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        f"{submission.number}:{code}",
        salt=RECEIPT_SALT,
        max_age=RECEIPT_MAX_AGE,
        path=receipt_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


# The citizens' forms: csrf_exempt because cached pages carry no token, and origin.is_same_origin()
# refuses posts from other sites instead (portal/core/origin.py says why). never_cache: these pages
# answer one visitor (initial choices, errors, a receipt, a voter cookie) and are never kept.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request):
    consultation, consultation_error = _consultation(request)
    context = {
        "captcha_on": captcha.configured(),
        "consultation": consultation,
        "consultation_error": consultation_error,
    }
    if request.method == "POST":
        form = SubmissionForm(request.POST, consultation=consultation)
        return receive(request, form, template="participation/feedback.html", context=context)
    form = SubmissionForm(initial=_initial(request), consultation=consultation)
    return render(request, "participation/feedback.html", {**context, "form": form})


def reported_page(request) -> str:
    """The page a 找错 report is about: ?url= (the footer's link), else the page the reader came from on this site."""
    url = request.GET.get("url", "")
    if not url:
        referer = request.headers.get("Referer", "")
        url = referer if origin.origin_of(referer) in origin.own_origins(request) else ""
    url = sanitize.clean_line(url, max_length=500)
    # The footer sends the page's path; the office reads the whole address.
    return absolute_url(url) if url.startswith("/") and not url.startswith("//") else url


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def site_error(request):
    """我为政府网站找错: a short form whose report joins the queue as a letter of its own kind."""
    context = {"captcha_on": captcha.configured()}
    if request.method == "POST":
        return receive(request, SiteErrorForm(request.POST), template="participation/site_error.html", context=context)
    form = SiteErrorForm(initial={"page_url": reported_page(request)})
    return render(request, "participation/site_error.html", {**context, "form": form})


def receipt_text(submission, code: str, traditional: bool = False) -> str:
    labels = _(
        "台山市基本公共服务均等化 受理回执\n受理编号:%(number)s\n查询码:%(code)s\n标题:%(title)s\n"
        "提交时间:%(created)s\n答复期限:%(due)s\n查询网址:%(url)s\n"
    )
    # The page around it is converted on its way out, but not this text, which travels inside a data: URL; the
    # title stays as it was typed.
    if traditional:
        labels = to_traditional(labels)
    return labels % {
        "number": submission.number,
        "code": code,
        "title": submission.title,
        "created": timezone.localtime(submission.created_at).strftime("%Y-%m-%d %H:%M"),
        "due": f"{submission.due_date:%Y-%m-%d}",
        "url": services.track_url(submission.number),
    }


@never_cache
def thanks(request):
    receipt = request.get_signed_cookie(RECEIPT_COOKIE, default="", salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    number, _sep, code = receipt.partition(":")
    submission = Submission.objects.filter(number=number).first() if number and code else None
    if submission is None:
        return redirect("participation:track")
    context = {
        "submission": submission,
        "code": code,
        "track_url": services.track_url(submission.number),
        "receipt_filename": f"{submission.number}.txt",
        # Saved without JavaScript or a server round trip: the receipt is never stored in clear.
        "receipt_download": "data:text/plain;charset=utf-8,"
        + quote(receipt_text(submission, code, traditional=is_traditional(request))),
    }
    response = render(request, "participation/thanks.html", context)
    # Shown once: a reload, or the next person at a shared computer, finds the tracking form instead.
    response.delete_cookie(RECEIPT_COOKIE, path=receipt_path(), samesite="Lax")
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    submission = None
    # The answer mail links here with ?number= (never the code): the resident types only the code.
    form = TrackForm(request.POST or None, initial={"number": request.GET.get("number", "")[:20]})
    if request.method == "POST" and not origin.is_same_origin(request):
        form.is_valid()
        form.add_error(None, CROSS_SITE)
    elif request.method == "POST" and form.is_valid():
        submission = services.submission_find(number=form.cleaned_data["number"], code=form.cleaned_data["code"])
        if submission is None:
            form.add_error(None, _("受理编号或查询码不正确,请核对后重试。"))
    events = list(submission.events.all()) if submission else []
    return render(request, "participation/track.html", {"form": form, "submission": submission, "events": events})


def answers(request):
    """Published answers, newest first; ?domain=slug or ?task=id narrows them to what a plan page lists."""
    items = Submission.objects.published().select_related("domain", "department").order_by("-answered_at")
    place, query = None, {}
    if slug := request.GET.get("domain", ""):
        place, query = DomainPage.objects.live().filter(slug=slug).first(), {"domain": slug}
    elif task_id := id_param(request.GET.get("task")):
        place, query = TaskPage.objects.live().filter(pk=task_id).first(), {"task": task_id}
    if place is not None:  # an unknown place shows every answer rather than none
        items = items.filter(**{"task" if isinstance(place, TaskPage) else "domain": place})
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    # The pager keeps the filter: ?domain=…&page=2.
    context = {"page_obj": page, "place": place, "filter_query": urlencode(query) if place else ""}
    return render(request, "participation/answers.html", context)


def statistics_page(request):
    from portal.core.charts import bar_chart

    from . import statistics

    by_domain = statistics.table("domain")
    by_department = statistics.table("department")
    context = {
        "by_domain": by_domain,
        "by_department": by_department,
        "total": statistics.totals(by_domain),
        "domain_chart": bar_chart([(r.label, r.received) for r in by_domain], title=_("各领域来信数量"), unit=_("件")),
        "days_chart": bar_chart(
            [(r.label, r.median_days) for r in by_department if r.median_days is not None],
            title=_("各单位答复用时中位数"),
            unit=_("天"),
        ),
    }
    return render(request, "participation/statistics.html", context)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def satisfaction_page(request):
    from . import satisfaction
    from .forms import SatisfactionForm
    from .models import EvaluationReport, current_period

    token = satisfaction.voter_token(request)
    message = ""
    status = 200
    if request.method == "POST":
        form = SatisfactionForm(request.POST)
        ip = ratelimit.client_ip(request)
        if not origin.is_same_origin(request):
            form.is_valid()
            form.add_error(None, CROSS_SITE)
            status = 403
        elif not ratelimit.post_allowed(ip, scope="satisfaction"):
            form.is_valid()
            form.add_error(None, _("提交过于频繁,请稍等一分钟再试。"))
            status = 429
        elif form.is_valid():
            outcome = satisfaction.rating_record(
                domain=form.cleaned_data["domain"],
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                token=token,
                ip=ip,
                captcha_token=form.cleaned_data.get("captcha") or "",
            )
            if outcome == "saved":
                message = _("感谢您的评价!")
                form = SatisfactionForm()
            elif outcome == "duplicate":
                form.add_error(None, _("本季度您已评价过这个领域,感谢参与。下个季度欢迎再次评价。"))
            else:
                form.add_error(None, _("本季度来自同一网络的评价已达上限。"))
    else:
        form = SatisfactionForm(initial=_initial(request))
    context = {
        "form": form,
        "message": message,
        "period": current_period(),
        "results": satisfaction.results(),
        "min_ratings": settings.SATISFACTION_MIN_RATINGS,
        "reports": EvaluationReport.objects.select_related("document")[:20],
    }
    response = render(request, "participation/satisfaction.html", context, status=status)
    response.set_cookie(
        satisfaction.VOTER_COOKIE,
        token,
        max_age=satisfaction.VOTER_COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
