"""The admin's view of following: a report of confirmed followers per domain, indicator and consultation
(counts only: no role sees the addresses here), and the office's one-off notice to a consultation's followers,
recorded in Wagtail's audit log."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import log

from portal.participation.pages import ConsultationPage

from . import reach
from .notice import send_notice

KIND_LABELS = {"domainpage": _("领域"), "indicatorpage": _("指标"), "consultationpage": _("意见征集")}


def reach_view(request):
    rows = reach.follower_counts()
    for row in rows:
        row["kind"] = KIND_LABELS.get(row["page__content_type__model"], "")
        row["is_consultation"] = row["page__content_type__model"] == "consultationpage"
    context = {"rows": rows, "may_notify": request.user.has_perm("follow.send_notice")}
    return render(request, "follow/admin/reach.html", context)


class NoticeForm(forms.Form):
    subject = forms.CharField(label=_("邮件标题"), max_length=100)
    body = forms.CharField(label=_("正文"), max_length=3000, widget=forms.Textarea)


def notice_view(request, page_id):
    if not request.user.has_perm("follow.send_notice"):
        raise PermissionDenied
    page = get_object_or_404(ConsultationPage, pk=page_id)
    followers = len(reach.confirmed_addresses(page))
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        log(instance=page, action="follow.notice", user=request.user, data={"subject": subject, "followers": followers})
        send_notice.enqueue(page.pk, subject, body)
        messages.success(request, _("通知已排队发送给 %(n)s 位关注者。") % {"n": followers})
        return redirect("follow_reach")
    return render(request, "follow/admin/notice.html", {"page": page, "form": form, "followers": followers})


@hooks.register("register_admin_urls")
def register_follow_urls():
    return [
        path("follow/reach/", reach_view, name="follow_reach"),
        path("follow/notice/<int:page_id>/", notice_view, name="follow_notice"),
    ]


@hooks.register("register_reports_menu_item")
def register_reach_menu_item():
    return MenuItem(_("关注人数"), reverse("follow_reach"), icon_name="mail", order=910)


@hooks.register("register_log_actions")
def register_follow_actions(actions):
    actions.register_action("follow.notice", _("向关注者发送通知"), _("向关注者发送通知"))
