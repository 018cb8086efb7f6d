"""Writes on submissions: each is one transaction, and mail goes out only after it commits.

A citizen's words are saved before anything else happens to them; nothing that talks to an outside
service (mail, the search index) sits between the citizen and the saving. Mail is sent by
django-tasks (immediate in development and tests; `manage.py db_worker` in production), so an
SMTP server's round trips, or a consultation's hundreds of messages, never hold up a request.
"""

import logging
import secrets
from typing import NamedTuple
from urllib.parse import urlencode

from django_tasks import task

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.links import absolute_url, page_url

from . import captcha
from .deadlines import due_date
from .models import Submission, SubmissionEvent

logger = logging.getLogger("portal.participation")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over the phone


def new_lookup_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


@transaction.atomic
def submission_create(*, data: dict, ip: str | None, captcha_token: str = "") -> tuple[Submission, str]:
    """Save a citizen's submission; returns it with the lookup code (shown once, stored hashed).

    With a reCAPTCHA token the item is saved as 待核验 and quarantined until the verification task
    (run after commit) releases it: if that task never runs, nothing unverified reaches the public.
    """
    code = new_lookup_code()
    now = timezone.now()
    pending = bool(captcha_token)
    submission = Submission.objects.create(
        **data,
        ip=ip,
        verification=Submission.Verification.PENDING if pending else Submission.Verification.NOT_REQUIRED,
        quarantined=pending,
        quarantine_reason=_("等待人机验证结果。") if pending else "",
        lookup_digest=Submission.digest(code),
        created_at=now,
        due_date=due_date(timezone.localdate(now)),
    )
    # The number comes from the primary key, so parallel submissions can never collide.
    submission.number = f"TS{timezone.localdate(now):%Y}{submission.pk:07d}"
    Submission.objects.filter(pk=submission.pk).update(number=submission.number)  # no second save() signals
    SubmissionEvent.objects.create(submission=submission, status=Submission.Status.RECEIVED, created_at=now)
    pk = submission.pk
    if pending:
        transaction.on_commit(lambda: verify_submission.enqueue(pk, captcha_token, ip or "", code))
    else:
        transaction.on_commit(lambda: submission_announce(pk=pk, code=code))
    return submission, code


@task()
def verify_submission(pk: int, token: str, ip: str, code: str) -> str:
    """Google's verdict on a saved submission; runs once (a rerun finds it no longer pending)."""
    if not Submission.objects.filter(pk=pk, verification=Submission.Verification.PENDING).exists():
        return "skipped"
    # No row lock while Google is asked: a hanging answer must not block a moderator's edit.
    outcome = captcha.check(token=token, ip=ip or None, action="feedback")
    changed = Submission.objects.filter(pk=pk, verification=Submission.Verification.PENDING).update(
        verification=outcome.status,
        quarantined=outcome.status != Submission.Verification.PASSED,
        quarantine_reason=outcome.reason,
        updated_at=timezone.now(),
    )
    if not changed:  # a moderator decided meanwhile
        return "skipped"
    if outcome.status != Submission.Verification.FAILED:
        # Google unreachable is no sign of a bot: staff hear of it (to check it by hand) and the
        # citizen gets the receipt. A failed check mails nobody, so a bot cannot use the form to mail.
        submission_announce(pk=pk, code=code)
    return outcome.status


def submission_announce(*, pk: int, code: str) -> None:
    """A new item for the queue: tell the staff, and mail the citizen the receipt if they gave an address."""
    if settings.PARTICIPATION_STAFF_EMAILS:  # no task to queue (a row in production) when nobody is told
        notify_staff.enqueue(pk)
    if Submission.objects.filter(pk=pk).exclude(contact_email="").exists():
        notify_receipt.enqueue(pk, code)


def track_url(number: str) -> str:
    """The tracking page with the number filled in; the code never travels in a link."""
    return absolute_url(f"{reverse('participation:track')}?{urlencode({'number': number})}")


@task()
def notify_staff(pk: int) -> None:
    recipients = settings.PARTICIPATION_STAFF_EMAILS
    if not recipients:
        return
    submission = Submission.objects.get(pk=pk)
    subject = _("新的群众来信 %(number)s:%(title)s") % {"number": submission.number, "title": submission.title}
    if submission.quarantined:
        subject = _("【待人工核验】") + subject
    body = _("类型:%(kind)s\n答复期限:%(due)s\n请登录后台处理:%(url)s") % {
        "kind": submission.get_kind_display(),
        "due": submission.due_date,
        # The admin's own address: WAGTAILADMIN_BASE_URL, which is SITE_URL unless the admin lives elsewhere.
        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home"),
    }
    try:
        send_mail(subject, body, None, recipients)
    except OSError as error:  # the submission is saved; a mail failure is logged, not shown to the citizen
        logger.warning("staff notification for %s failed: %s", submission.number, error)


def mail_citizen(submission: Submission, subject: str, body: str, *, what: str) -> None:
    """The submission is saved whatever happens here: a mail failure is logged, never shown to anyone."""
    try:
        send_mail(subject, body, None, [submission.contact_email])
    except OSError as error:
        logger.warning("%s for %s failed: %s", what, submission.number, error)


@task()
def notify_receipt(pk: int, code: str) -> None:
    """The receipt by mail: the only copy of the lookup code besides the thanks page."""
    submission = Submission.objects.get(pk=pk)
    if not submission.contact_email:
        return
    subject = _("您的来信已收到(受理编号 %(number)s)") % {"number": submission.number}
    body = _(
        "您好:\n\n我们已收到您的来信“%(title)s”。\n\n受理编号:%(number)s\n查询码:%(code)s\n"
        "答复期限:%(due)s(%(days)s 个工作日内)\n\n请妥善保存本邮件:查询码不会再次显示。"
        "凭受理编号和查询码可在 %(url)s 查询办理进度和答复。\n"
    ) % {
        "title": submission.title,
        "number": submission.number,
        "code": code,
        "due": f"{submission.due_date:%Y-%m-%d}",
        "days": settings.PARTICIPATION_ANSWER_WORKING_DAYS,
        "url": track_url(submission.number),
    }
    mail_citizen(submission, subject, body, what="receipt")


def submission_find(*, number: str, code: str) -> Submission | None:
    submission = Submission.objects.filter(number=number.strip().upper()).first()
    if submission and submission.code_matches(code):
        return submission
    return None


MODERATE = "participation.change_submission"
APPROVE = "participation.approve_answer"
CLEAR_QUARANTINE = "participation.clear_quarantine"
# Fields whose change needs more than the permission to moderate, whatever the status; the edit form
# leaves them out for a role without it (Wagtail's field_permissions) and submission_moderate refuses them.
FIELD_PERMISSIONS = {"is_public": APPROVE, "quarantined": CLEAR_QUARANTINE}
# What a moderator's single edit may change; everything else on a submission is the citizen's or the system's.
EDITABLE_FIELDS = ("status", "department", "answer", "rejection_reason", "is_public", "quarantined")


class Step(NamedTuple):
    """A status change someone may make: the permission it needs, its audit-log action, whether bulk offers it."""

    source: str
    target: str
    permission: str
    action: str
    bulk: bool = False


Status = Submission.Status

# Every status change, single or bulk, is one of these steps; anything else is refused. Editors accept,
# reject, draft an answer and submit it (答复待审核); only a role that may approve answers makes an answer
# final, which is what can put it on /feedback/answers/, or sends a draft back. Bulk actions offer only
# the routine steps, none of which publishes anything.
TRANSITIONS = (
    Step(Status.RECEIVED, Status.ACCEPTED, MODERATE, "participation.accept", bulk=True),
    Step(Status.RECEIVED, Status.REJECTED, MODERATE, "participation.reject", bulk=True),
    Step(Status.ACCEPTED, Status.REJECTED, MODERATE, "participation.reject"),
    Step(Status.RECEIVED, Status.REVIEW, MODERATE, "participation.submit"),
    Step(Status.ACCEPTED, Status.REVIEW, MODERATE, "participation.submit"),
    Step(Status.REVIEW, Status.ACCEPTED, APPROVE, "participation.return"),
    Step(Status.REVIEW, Status.ANSWERED, APPROVE, "participation.approve"),
    Step(Status.RECEIVED, Status.ANSWERED, APPROVE, "participation.answer"),
    Step(Status.ACCEPTED, Status.ANSWERED, APPROVE, "participation.answer"),
    Step(Status.ANSWERED, Status.CLOSED, MODERATE, "participation.close", bulk=True),
)
STEPS = {(step.source, step.target): step for step in TRANSITIONS}


def submission_step(*, submission: Submission, status: str, user, bulk: bool = False) -> Step | None:
    """The step from the submission's status to `status` if this user may take it (in bulk, if asked)."""
    step = STEPS.get((submission.status, status))
    if step is None or (bulk and not step.bulk) or not user.has_perm(step.permission):
        return None
    return step


def submission_statuses(*, submission: Submission, user) -> list[str]:
    """The statuses this user may give the submission, its present one first, then in the model's order."""
    reachable = {s.target for s in TRANSITIONS if s.source == submission.status and user.has_perm(s.permission)}
    return [submission.status, *(status for status in Status.values if status in reachable)]


def submission_can_move(*, submission: Submission, status: str, user) -> bool:
    """Whether a bulk action may take this submission to `status` for this user."""
    return submission_step(submission=submission, status=status, user=user, bulk=True) is not None


def submission_may_edit_answer(*, submission: Submission, user) -> bool:
    """A draft is the editors' to change; once final (and perhaps public), only an approver changes it."""
    return submission.status not in Submission.ANSWERED_STATUSES or user.has_perm(APPROVE)


def submission_may_change(*, submission: Submission, changes: dict, user) -> bool:
    """Whether this user's role allows every one of these changes (field → new value) to the submission."""
    if "status" in changes and submission_step(submission=submission, status=changes["status"], user=user) is None:
        return False
    if any(name in changes and not user.has_perm(permission) for name, permission in FIELD_PERMISSIONS.items()):
        return False
    return "answer" not in changes or submission_may_edit_answer(submission=submission, user=user)


@transaction.atomic
def submission_moderate(*, pk: int, changes: dict, user, note: str = "") -> Submission:
    """A moderator's single edit: apply the changes (field → value) if the role allows them all, then record it.

    The edit form offers only what the role allows; this is the server's own check, made under a row lock
    so that it judges the status as it is now (a bulk action may have moved it since the form was shown).
    Only the changed columns are written: the verification task may have updated others meanwhile.
    `note` is the approver's reason when a draft is sent back.
    """
    from wagtail.log_actions import log

    if unknown := set(changes) - set(EDITABLE_FIELDS):
        raise ValueError(f"not editable by moderators: {sorted(unknown)}")
    submission = Submission.objects.select_for_update().get(pk=pk)
    changes = {name: value for name, value in changes.items() if getattr(submission, name) != value}
    if not submission_may_change(submission=submission, changes=changes, user=user):
        raise PermissionDenied(_("您的角色不能作出这一更改。"))
    if not changes:
        return submission
    previous_status = submission.status
    for name, value in changes.items():
        setattr(submission, name, value)
    submission.save(update_fields=[*changes, "updated_at"])
    submission_record_moderation(submission=submission, previous_status=previous_status, user=user, note=note)
    if "is_public" in changes:
        log(
            instance=submission,
            action="participation.publish" if submission.is_public else "participation.withdraw",
            user=user,
        )
    if "quarantined" in changes:
        action = "participation.quarantine" if submission.quarantined else "participation.clear_quarantine"
        log(instance=submission, action=action, user=user)
    assigned = changes.get("department") is not None and submission.status in Submission.OPEN_STATUSES
    if assigned:
        submission_record_assignment(submission=submission, user=user)
    if not changes.keys() & {"status", "is_public", "quarantined"} and not (
        assigned and changes.keys() == {"department"}
    ):
        log(instance=submission, action="wagtail.edit", user=user)
    return submission


@transaction.atomic
def submission_record_moderation(*, submission: Submission, previous_status: str, user, note: str = "") -> None:
    """After a status step, single or bulk: the public timeline, the audit log, and mail to the citizen."""
    from wagtail.log_actions import log

    if submission.status == previous_status:
        return
    step = STEPS[(previous_status, submission.status)]
    event_note, data = "", None
    if submission.status == Status.REVIEW:
        submission.answer_submitted_at = timezone.now()
        submission.answer_submitted_by = user
        submission.save(update_fields=["answer_submitted_at", "answer_submitted_by"])
        event_note = _("答复已起草,正在审核。")
    elif submission.status == Status.ANSWERED:
        submission.answered_at = submission.answered_at or timezone.now()
        submission.answered_by = user
        submission.save(update_fields=["answered_at", "answered_by"])
        event_note = _("已由%(department)s答复。") % {"department": submission.department or _("承办单位")}
    elif step.action == "participation.return":
        # The citizen learns only that the answer is being reworked; the approver's reason is for the drafter.
        event_note = _("答复正在修改完善。")
        data = {"comment": note}
    elif submission.status == Status.REJECTED:
        event_note = submission.rejection_reason
    SubmissionEvent.objects.create(submission=submission, status=submission.status, note=event_note)
    log(instance=submission, action=step.action, user=user, data=data)
    if submission.status in (Status.ANSWERED, Status.REJECTED) and submission.contact_email:
        transaction.on_commit(lambda: notify_citizen.enqueue(submission.pk))


def submission_record_assignment(*, submission: Submission, user) -> None:
    """After a submission changed hands, single or bulk: the public timeline (and so a follower's digest)
    says who handles it now, and the audit log names the department."""
    from wagtail.log_actions import log

    department = submission.department
    SubmissionEvent.objects.create(
        submission=submission,
        status=submission.status,
        note=_("已转交%(department)s办理。") % {"department": department.name},
    )
    log(
        instance=submission,
        action="participation.assign",
        user=user,
        data={"department": {"id": department.pk, "name": department.name}},
    )


def submission_can_assign(*, submission: Submission, department) -> bool:
    """Only open items change hands: an answer already given stays credited to whoever gave it."""
    return submission.status in Submission.OPEN_STATUSES and submission.department_id != department.pk


def _locked(pks) -> list[Submission]:
    # Locked in the caller's transaction: a moderator's single edit of the same item waits for the
    # bulk action, and the checks below see the status as it is, not as it was on the confirmation page.
    return list(Submission.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


@transaction.atomic
def submission_bulk_move(
    *, pks, status: str, user, rejection_reason: str = ""
) -> tuple[list[Submission], list[Submission]]:
    """Move each submission that may take this step, as a single edit would; returns (moved, skipped)."""
    if status == Submission.Status.REJECTED and not rejection_reason.strip():
        raise ValueError("a rejection needs the reason the citizen will see")
    moved, skipped = [], []
    for submission in _locked(pks):
        if not submission_can_move(submission=submission, status=status, user=user):
            skipped.append(submission)
            continue
        previous = submission.status
        submission.status = status
        fields = ["status", "updated_at"]
        if status == Submission.Status.REJECTED:
            submission.rejection_reason = rejection_reason.strip()
            fields.append("rejection_reason")
        submission.save(update_fields=fields)
        submission_record_moderation(submission=submission, previous_status=previous, user=user)
        moved.append(submission)
    return moved, skipped


@transaction.atomic
def submission_bulk_assign(*, pks, department, user) -> tuple[list[Submission], list[Submission]]:
    """Hand open submissions to a department; the citizen's timeline says who handles it now."""
    assigned, skipped = [], []
    for submission in _locked(pks):
        if not submission_can_assign(submission=submission, department=department):
            skipped.append(submission)
            continue
        submission.department = department
        submission.save(update_fields=["department", "updated_at"])
        submission_record_assignment(submission=submission, user=user)
        assigned.append(submission)
    return assigned, skipped


@task()
def notify_citizen(pk: int) -> None:
    submission = Submission.objects.get(pk=pk)
    if not submission.contact_email:
        return
    subject = _("您的来信 %(number)s 已有答复") % {"number": submission.number}
    body = _(
        "您好:\n\n您提交的“%(title)s”(受理编号 %(number)s)已有处理结果。请凭受理编号和查询码在 %(url)s 查看。\n"
    ) % {
        "title": submission.title,
        "number": submission.number,
        "url": track_url(submission.number),
    }
    mail_citizen(submission, subject, body, what="answer notification")


@transaction.atomic
def submission_erase_personal_data(*, submission: Submission, user) -> None:
    """Blank the citizen's name, phone, email and IP on request; the anonymous record stays."""
    from wagtail.log_actions import log

    submission.contact_name = submission.contact_phone = submission.contact_email = ""
    submission.ip = None
    submission.personal_data_erased_at = timezone.now()
    submission.save(update_fields=["contact_name", "contact_phone", "contact_email", "ip", "personal_data_erased_at"])
    log(instance=submission, action="participation.erase", user=user)


@task()
def notify_consultation_outcome(page_id: int) -> int:
    """Once the outcome is published, tell everyone who took part and left an email; only once."""
    from .pages import ConsultationPage

    consultation = ConsultationPage.objects.get(pk=page_id)
    if not consultation.outcome or consultation.outcome_notified_at:
        return 0
    emails = sorted(
        set(
            Submission.objects.filter(consultation=consultation)
            .exclude(contact_email="")
            .values_list("contact_email", flat=True)
        )
    )
    subject = _("意见征集“%(title)s”结果已公布") % {"title": consultation.title}
    body = _("感谢您参与意见征集。结果已公布:%(url)s\n") % {"url": page_url(consultation)}
    sent = 0
    for email in emails:  # one message each: participants never see each other's addresses
        try:
            send_mail(subject, body, None, [email])
            sent += 1
        except OSError as error:
            logger.warning("outcome notification to a participant failed: %s", error)
    ConsultationPage.objects.filter(pk=page_id).update(outcome_notified_at=timezone.now())
    return sent
