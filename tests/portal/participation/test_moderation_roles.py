"""Roles that hold: editors draft and submit answers, the office approves, publishes and clears quarantine.

Every check is made from both sides: what the edit form offers each role, and what a crafted POST to the
edit view does, for every pair of statuses. The expected steps are written out here, not read from the
code under test.
"""

import itertools

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wagtail.models import ModelLogEntry

from portal.participation import services
from portal.participation.models import Submission
from portal.plan.staff import EDITORS, OFFICE
from tests.factories.participation import LOOKUP_CODE, SubmissionFactory

pytestmark = pytest.mark.django_db

S = Submission.Status
STATUSES = list(S.values)
# What a department editor may do: accept, reject, submit a draft for approval, close what is answered.
EDITOR_STEPS = {
    (S.RECEIVED, S.ACCEPTED),
    (S.RECEIVED, S.REJECTED),
    (S.ACCEPTED, S.REJECTED),
    (S.RECEIVED, S.REVIEW),
    (S.ACCEPTED, S.REVIEW),
    (S.ANSWERED, S.CLOSED),
}
# The office also makes answers final (approving a draft or answering itself) and sends drafts back.
OFFICE_STEPS = EDITOR_STEPS | {
    (S.REVIEW, S.ANSWERED),
    (S.REVIEW, S.ACCEPTED),
    (S.RECEIVED, S.ANSWERED),
    (S.ACCEPTED, S.ANSWERED),
}
ROLES = {"editor": EDITOR_STEPS, "office": OFFICE_STEPS, "superuser": OFFICE_STEPS}
ANSWER = "已安排维修,三日内修复。"


def make_user(role):
    users = get_user_model().objects
    if role == "superuser":
        return users.create_superuser(f"{role}-roles", f"{role}@example.gov.cn", "x")
    user = users.create_user(f"{role}-roles", password="x")
    user.groups.add(Group.objects.get(name={"editor": EDITORS, "office": OFFICE}[role]))
    return user


@pytest.fixture
def login(client):
    def log_in(role):
        user = make_user(role)
        client.force_login(user)
        return user

    return log_in


def edit_url(item):
    return reverse("submissions:edit", args=[item.pk])


def post(client, item, **data):
    return client.post(edit_url(item), data)


def logged(action, item):
    return ModelLogEntry.objects.filter(action=action, object_id=str(item.pk))


def is_listed(client, item) -> bool:
    """Whether the public list of answers, /feedback/answers/, shows this item."""
    return f'id="{item.number}"' in client.get(reverse("participation:answers")).content.decode()


@pytest.mark.parametrize(("role", "source"), itertools.product(ROLES, STATUSES))
def test_the_form_offers_only_what_the_role_may_set(client, login, role, source):
    login(role)
    item = SubmissionFactory(status=source)
    form = client.get(edit_url(item)).context["form"]
    offered = {value for value, _label in form.fields["status"].choices}
    assert offered == {source} | {target for (start, target) in ROLES[role] if start == source}
    approver = role != "editor"
    assert ("is_public" in form.fields) is approver and ("quarantined" in form.fields) is approver
    assert ("return_note" in form.fields) is (approver and source == S.REVIEW)
    # A final answer is the office's to change: the editor sees it, the field takes no input.
    assert form.fields["answer"].disabled is (not approver and source in (S.ANSWERED, S.CLOSED))


@pytest.mark.parametrize(
    ("role", "source", "target"),
    [(role, s, t) for role in ROLES for s in STATUSES for t in STATUSES if s != t],
)
def test_a_posted_status_is_set_only_when_the_role_may(client, login, role, source, target):
    login(role)
    item = SubmissionFactory(status=source)
    data = {"status": target, "answer": ANSWER, "rejection_reason": "不属于本平台受理范围。", "return_note": "请补充"}
    response = post(client, item, **data)
    item.refresh_from_db()
    if (source, target) in ROLES[role]:
        assert response.status_code == 302, response.context["form"].errors
        assert item.status == target
        assert item.events.get().status == target
    else:
        assert response.status_code == 200
        assert "status" in response.context["form"].errors  # not one of the choices this role has
        assert item.status == source and not item.events.exists()
        assert not ModelLogEntry.objects.filter(object_id=str(item.pk)).exists()


def test_editor_submits_a_draft_that_nobody_outside_sees(client, login):
    editor = login("editor")
    item = SubmissionFactory(status=S.ACCEPTED)
    response = post(client, item, status=S.REVIEW, answer=ANSWER)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == S.REVIEW and item.answer == ANSWER
    assert item.answer_submitted_by == editor and item.answer_submitted_at
    assert item.answered_at is None and item.answered_by is None
    assert [event.status for event in item.events.all()] == [S.REVIEW]
    assert logged("participation.submit", item).get().user == editor
    assert not is_listed(client, item)
    track = client.post(reverse("participation:track"), {"number": item.number, "code": LOOKUP_CODE})
    assert "答复待审核" in track.content.decode() and ANSWER not in track.content.decode()


def test_a_draft_needs_an_answer(client, login):
    login("editor")
    item = SubmissionFactory(status=S.ACCEPTED)
    response = post(client, item, status=S.REVIEW, answer=" ")
    assert response.context["form"].errors["answer"] == ["送审或标记为已答复前请填写答复内容。"]
    item.refresh_from_db()
    assert item.status == S.ACCEPTED


def test_office_approves_and_publishes(client, login, django_capture_on_commit_callbacks):
    item = SubmissionFactory(status=S.REVIEW, answer=ANSWER, contact_email="li@example.com")
    office = login("office")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, item, status=S.ANSWERED, answer=ANSWER, is_public="on")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == S.ANSWERED and item.is_public
    assert item.answered_by == office and item.answered_at
    assert logged("participation.approve", item).get().user == office
    assert logged("participation.publish", item).get().user == office
    assert [m.to for m in mail.outbox] == [["li@example.com"]]
    assert is_listed(client, item)
    history = client.get(reverse("submissions:history", args=[item.pk])).content.decode()
    assert "审核通过答复" in history and "设为审核后公开" in history


def test_office_sends_a_draft_back_with_a_note_for_the_drafter(client, login):
    item = SubmissionFactory(status=S.REVIEW, answer=ANSWER)
    login("office")
    response = post(client, item, status=S.ACCEPTED, answer=ANSWER, return_note="")
    assert response.context["form"].errors["return_note"] == ["退回修改时请写明退回意见。"]
    note = "请写明维修的具体日期。"
    assert post(client, item, status=S.ACCEPTED, answer=ANSWER, return_note=note).status_code == 302
    item.refresh_from_db()
    assert item.status == S.ACCEPTED and item.answer == ANSWER  # the draft stays for the editor to improve
    entry = logged("participation.return", item).get()
    assert entry.data["comment"] == note and entry.comment == note
    event = item.events.get()
    assert event.status == S.ACCEPTED and note not in event.note  # the citizen is not shown the office's note
    login("editor")
    assert note in client.get(edit_url(item)).content.decode()
    # Submitted again, the old note no longer shows.
    post(client, item, status=S.REVIEW, answer=ANSWER + "5月20日前完成。")
    assert note not in client.get(edit_url(item)).content.decode()


def test_editor_cannot_publish_or_clear_quarantine_by_a_crafted_post(client, login):
    login("editor")
    item = SubmissionFactory(status=S.ACCEPTED, quarantined=True, quarantine_reason="人机验证未通过")
    response = post(client, item, status=S.ANSWERED, answer=ANSWER, is_public="on", quarantined="")
    assert response.status_code == 200 and "status" in response.context["form"].errors
    item.refresh_from_db()
    assert (item.status, item.is_public, item.quarantined) == (S.ACCEPTED, False, True)
    # A step the editor may take: the fields outside their role are ignored, not saved.
    assert post(client, item, status=S.REVIEW, answer=ANSWER, is_public="on", quarantined="").status_code == 302
    item.refresh_from_db()
    assert (item.status, item.is_public, item.quarantined) == (S.REVIEW, False, True)
    assert not logged("participation.clear_quarantine", item).exists()
    assert not is_listed(client, item)


def test_editor_closes_an_answered_item_but_cannot_change_or_publish_it(client, login):
    login("editor")
    item = SubmissionFactory(status=S.ANSWERED, answer=ANSWER)
    response = post(client, item, status=S.CLOSED, answer="编辑改写的答复", is_public="on")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == S.CLOSED and item.answer == ANSWER and not item.is_public
    assert not is_listed(client, item)


def test_office_clears_quarantine(client, login):
    office = login("office")
    item = SubmissionFactory(quarantined=True, quarantine_reason="人机验证服务无法连接")
    assert post(client, item, status=S.RECEIVED).status_code == 302  # the checkbox left unticked
    item.refresh_from_db()
    assert not item.quarantined
    assert logged("participation.clear_quarantine", item).get().user == office
    history = client.get(reverse("submissions:history", args=[item.pk])).content.decode()
    assert "解除待人工核验" in history


def test_withdrawing_takes_the_answer_off_the_public_list_at_once(client, login):
    item = SubmissionFactory(status=S.ANSWERED, answer=ANSWER, is_public=True)
    assert is_listed(client, item)
    office = login("office")
    assert post(client, item, status=S.ANSWERED, answer=ANSWER).status_code == 302  # is_public unticked
    item.refresh_from_db()
    assert not item.is_public and item.status == S.ANSWERED
    assert not is_listed(client, item)
    assert logged("participation.withdraw", item).get().user == office


def test_nothing_is_published_without_the_citizens_consent(client, login):
    login("office")
    item = SubmissionFactory(status=S.REVIEW, answer=ANSWER, publish_allowed=False)
    response = post(client, item, status=S.ANSWERED, answer=ANSWER, is_public="on")
    assert response.context["form"].errors["is_public"] == ["来信人没有同意公开,不能公开这件来信。"]
    item.refresh_from_db()
    assert item.status == S.REVIEW and not item.is_public


@pytest.mark.parametrize(
    "changes",
    [{"status": S.ANSWERED}, {"is_public": True}, {"quarantined": False}],
    ids=["answer", "publish", "clear-quarantine"],
)
def test_the_service_refuses_what_the_role_may_not_do(changes):
    """The server's own check behind the form: an editor's change outside their role is refused whole."""
    editor = make_user("editor")
    item = SubmissionFactory(status=S.ACCEPTED, answer=ANSWER, quarantined=True)
    with pytest.raises(PermissionDenied):
        services.submission_moderate(pk=item.pk, changes={**changes, "department": None}, user=editor)
    item.refresh_from_db()
    assert (item.status, item.is_public, item.quarantined) == (S.ACCEPTED, False, True)


def test_bulk_actions_follow_the_same_table(client, login):
    """Bulk 办结 of an answered item is fine for an editor; nothing in bulk makes an answer final or public."""
    login("editor")
    public = SubmissionFactory(status=S.ANSWERED, is_public=True)
    private = SubmissionFactory(status=S.ANSWERED, is_public=False)
    draft = SubmissionFactory(status=S.REVIEW, answer=ANSWER)
    url = reverse("wagtail_bulk_action", args=["participation", "submission", "close"])
    query = "&".join(f"id={item.pk}" for item in (public, private, draft))
    assert client.post(f"{url}?{query}&next=/admin/submissions/").status_code == 302
    after = dict(Submission.objects.filter(pk__in=[public.pk, private.pk, draft.pk]).values_list("pk", "status"))
    assert after == {public.pk: S.CLOSED, private.pk: S.CLOSED, draft.pk: S.REVIEW}
    assert is_listed(client, public) and not is_listed(client, private) and not is_listed(client, draft)
    superuser = make_user("superuser")
    for target in (S.REVIEW, S.ANSWERED):  # not even the office approves or submits drafts in bulk
        for item in (SubmissionFactory(status=S.ACCEPTED), draft):
            assert not services.submission_can_move(submission=item, status=target, user=superuser)
