"""Public views of following: the 关注 POST, confirming, leaving, the manage page.

The 关注 form sits on cached pages, so it carries no CSRF token: like the citizens' forms it is
csrf_exempt and checked for origin (portal/core/origin.py), with the honeypot, the flood bound of
portal/participation/ratelimit.py and per-address / per-network limits of its own. The links in mail
are protected by their signatures (tokens.py); RFC 8058 one-click unsubscribes are POSTed by mail
clients from elsewhere, so those views skip the origin check.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portal.core import origin
from portal.core.inputs import id_param
from portal.core.script import is_traditional
from portal.participation import ratelimit
from portal.participation.models import Submission
from portal.participation.views import CROSS_SITE

from . import services, tokens
from .forms import FollowForm
from .models import Subscription
from .targets import followable_page


def _target(request):
    """(page, submission) named by the POST, or (None, None)."""
    raw_letter = request.POST.get("letter", "")
    if raw_letter:
        pk = tokens.letter_pk(raw_letter)
        return None, Submission.objects.filter(pk=pk).first() if pk else None
    return followable_page(id_param(request.POST.get("page")) or 0), None


def _subscription(pk: int | None):
    return Subscription.objects.select_related("page", "submission").filter(pk=pk).first() if pk else None


def _address_subscriptions(token: str):
    """Every subscription of the address a manage link names, or None for a bad link."""
    address = tokens.managed_address(token)
    if address is None:
        return None
    return Subscription.objects.filter(address=address).select_related("page", "submission")


@csrf_exempt
@never_cache
@require_POST
def follow(request):
    page, submission = _target(request)
    if page is None and submission is None:
        raise Http404
    form = FollowForm(request.POST)
    context = {"form": form, "page": page, "submission": submission, "letter": request.POST.get("letter", "")}
    ip = ratelimit.client_ip(request)

    def again(message, status):
        form.add_error(None, message)
        return render(request, "follow/follow.html", context, status=status)

    if not origin.is_same_origin(request):
        form.is_valid()
        return again(CROSS_SITE, 403)
    if not ratelimit.post_allowed(ip, scope="follow"):
        form.is_valid()
        return again(_("提交过于频繁,请稍等一分钟再试。您填写的邮箱仍保留在下面。"), 429)
    if not form.is_valid():
        return render(request, "follow/follow.html", context, status=400)
    email = form.cleaned_data["email"]
    if not services.ip_allowed(ip):
        return again(_("同一网络今天提交的关注申请过多,请明天再试。您填写的邮箱仍保留在下面。"), 429)
    if not services.address_allowed(email):
        return again(_("这个邮箱今天已收到多封确认邮件,请先查收邮件,或明天再试。"), 429)
    language = "zh-hant" if is_traditional(request) else "zh-hans"
    services.follow_request(email=email, page=page, submission=submission, language=language)
    return redirect("follow:sent")


@never_cache
def sent(request):
    # The same words whether the address was new, unconfirmed or already following: nothing to probe.
    return render(request, "follow/sent.html")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner that opens links confirms nothing."""
    subscription = _subscription(tokens.confirmed_pk(token))
    if subscription is None:
        return render(request, "follow/invalid.html", status=404)
    if request.method == "POST":
        services.confirm(subscription)
        return render(
            request,
            "follow/confirmed.html",
            {"subscription": subscription, "manage": tokens.manage_token(subscription.address)},
        )
    return render(request, "follow/confirm.html", {"subscription": subscription})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One subscription. POST needs no origin check (RFC 8058 one-click from a mail client): the signature
    is the key."""
    subscription = _subscription(tokens.unsubscribe_pk(token))
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return render(request, "follow/unsubscribed.html")
    if subscription is None:  # already left, or a bad link: the same calm page
        return render(request, "follow/unsubscribed.html")
    return render(request, "follow/unsubscribe.html", {"subscriptions": [subscription]})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_all(request, token):
    """Everything an address follows: the digest's List-Unsubscribe (one click, RFC 8058)."""
    subscriptions = _address_subscriptions(token)
    if subscriptions is None:
        return render(request, "follow/invalid.html", status=404)
    if request.method == "POST":
        subscriptions.delete()
        return render(request, "follow/unsubscribed.html")
    return render(request, "follow/unsubscribe.html", {"subscriptions": subscriptions, "all": True})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscriptions = _address_subscriptions(token)
    if subscriptions is None:
        return render(request, "follow/invalid.html", status=404)
    removed = False
    if request.method == "POST" and origin.is_same_origin(request):
        removed = subscriptions.filter(pk=id_param(request.POST.get("remove")) or 0).delete()[0] > 0
    context = {"subscriptions": subscriptions.order_by("-created_at"), "token": token, "removed": removed}
    return render(request, "follow/manage.html", context)
