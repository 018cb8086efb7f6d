"""Bulk moderation in the Wagtail admin: accept, assign, close and reject many submissions at once."""

from urllib.parse import urlencode

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from wagtail.models import ModelLogEntry

from portal.participation.models import Submission
from portal.plan.models import Department
from portal.plan.staff import EDITORS
from tests.factories.participation import LOOKUP_CODE, SubmissionFactory

pytestmark = pytest.mark.django_db

RECEIVED, ACCEPTED, ANSWERED, CLOSED, REJECTED = (
    Submission.Status.RECEIVED,
    Submission.Status.ACCEPTED,
    Submission.Status.ANSWERED,
    Submission.Status.CLOSED,
    Submission.Status.REJECTED,
)


@pytest.fixture
def moderator(client):
    user = get_user_model().objects.create_superuser("bulk-mod", "mod@example.gov.cn", "x")
    client.force_login(user)
    return user


def bulk_url(action, items=(), **query):
    params = [("id", item.pk) for item in items] + list(query.items())
    return reverse("wagtail_bulk_action", args=["participation", "submission", action]) + "?" + urlencode(params)


def bulk(client, action, items, data=None, **query):
    return client.post(bulk_url(action, items, next=reverse("submissions:index"), **query), data or {})


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]  # admin messages end in newlines


def statuses(items):
    return [Submission.objects.get(pk=item.pk).status for item in items]


def logged(action, item):
    return ModelLogEntry.objects.filter(action=action, object_id=str(item.pk))


def test_queue_has_checkboxes_and_the_four_actions(client, moderator):
    item = SubmissionFactory()
    html = client.get(reverse("submissions:index")).content.decode()
    assert f'data-object-id="{item.pk}"' in html and "data-bulk-action-checkbox" in html
    assert f'id="submission_{item.pk}_title"' in html  # what each checkbox's aria-describedby names
    for action in ("accept", "assign", "close", "reject"):
        assert reverse("wagtail_bulk_action", args=["participation", "submission", action]) in html


def test_confirmation_lists_what_changes_and_what_is_skipped(client, moderator):
    received = SubmissionFactory(title="路灯不亮")
    answered = SubmissionFactory(title="公交太少", status=ANSWERED)
    response = client.get(bulk_url("accept", [received, answered]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "将受理以下 1 件来信" in html and "路灯不亮" in html
    assert "以下 1 件来信不是“已收到”状态,不能受理,将被跳过" in html and "公交太少" in html
    assert statuses([received, answered]) == [RECEIVED, ANSWERED]  # a GET changes nothing


def test_accept_moves_received_items_and_skips_the_rest(client, moderator):
    received = SubmissionFactory.create_batch(2)
    answered = SubmissionFactory(status=ANSWERED)
    response = bulk(client, "accept", [*received, answered])
    assert response.status_code == 302 and response.url == reverse("submissions:index")
    assert statuses(received) == [ACCEPTED, ACCEPTED] and statuses([answered]) == [ANSWERED]
    for item in received:
        assert [event.status for event in item.events.all()] == [ACCEPTED]
        assert logged("participation.accept", item).get().user == moderator
    assert not answered.events.exists() and not logged("participation.accept", answered).exists()
    assert messages_of(response) == [
        "1 件来信不是“已收到”状态,不能受理,已跳过。",
        "已受理 2 件来信。",
    ]


def test_assign_hands_open_items_to_a_department(client, moderator):
    department = Department.objects.get(key="towns")
    received, accepted = SubmissionFactory(), SubmissionFactory(status=ACCEPTED)
    closed = SubmissionFactory(status=CLOSED)
    response = bulk(client, "assign", [received, accepted, closed], {"department": department.pk})
    assert response.status_code == 302
    for item in (received, accepted):
        item.refresh_from_db()
        assert item.department == department
        event = item.events.get()
        assert event.status == item.status and event.note == f"已转交{department.name}办理。"
        entry = logged("participation.assign", item).get()
        assert entry.data["department"]["name"] == department.name
    closed.refresh_from_db()
    assert closed.department is None and not closed.events.exists()
    assert f"已将 2 件来信分派给{department.name}。" in messages_of(response)
    assert any(message.startswith("1 件来信已答复") for message in messages_of(response))
    history = client.get(reverse("submissions:history", args=[received.pk])).content.decode()
    assert f"分派给{department.name}" in history


def test_assign_needs_a_department(client, moderator):
    item = SubmissionFactory()
    response = bulk(client, "assign", [item], {"department": ""})
    assert response.status_code == 200
    assert "请选择承办单位" in response.content.decode()
    item.refresh_from_db()
    assert item.department is None and not item.events.exists()


def test_close_only_answered_items(client, moderator):
    answered = SubmissionFactory(status=ANSWERED)
    received, rejected = SubmissionFactory(), SubmissionFactory(status=REJECTED)
    response = bulk(client, "close", [answered, received, rejected])
    assert response.status_code == 302
    assert statuses([answered, received, rejected]) == [CLOSED, RECEIVED, REJECTED]
    assert [event.status for event in answered.events.all()] == [CLOSED]
    assert logged("participation.close", answered).exists()
    assert messages_of(response) == ["2 件来信不是“已答复”状态,不能办结,已跳过。", "已办结 1 件来信。"]


def test_nothing_to_do_is_a_message_not_an_error(client, moderator):
    items = SubmissionFactory.create_batch(2)
    response = bulk(client, "close", items)
    assert response.status_code == 302
    assert statuses(items) == [RECEIVED, RECEIVED]
    assert messages_of(response) == ["2 件来信不是“已答复”状态,不能办结,已跳过。"]
    html = client.get(bulk_url("close", items)).content.decode()
    assert "所选来信都不能执行这一操作" in html


def test_rejection_without_a_reason_is_refused(client, moderator):
    item = SubmissionFactory()
    response = bulk(client, "reject", [item], {"rejection_reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["rejection_reason"] == ["不予受理时必须填写理由,来信人将看到这一理由。"]
    item.refresh_from_db()
    assert item.status == RECEIVED and not item.events.exists() and not logged("participation.reject", item).exists()


def test_rejection_reason_reaches_each_citizen(client, moderator, django_capture_on_commit_callbacks):
    received = SubmissionFactory.create_batch(2)
    accepted = SubmissionFactory(status=ACCEPTED)
    reason = "不属于本平台受理范围,请向市城管局反映。"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = bulk(client, "reject", [*received, accepted], {"rejection_reason": reason})
    assert response.status_code == 302
    assert statuses(received) == [REJECTED, REJECTED] and statuses([accepted]) == [ACCEPTED]
    for item in received:
        item.refresh_from_db()
        assert item.rejection_reason == reason  # the field a single edit's rejection fills
        assert item.events.get().note == reason
        assert logged("participation.reject", item).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(item.contact_email for item in received)
    assert "1 件来信不是“已收到”状态,不能改为不予受理,已跳过。" in messages_of(response)
    page = client.post(reverse("participation:track"), {"number": received[0].number, "code": LOOKUP_CODE})
    assert reason in page.content.decode()


def test_select_all_follows_the_queue_filters(client, moderator):
    mine = SubmissionFactory.create_batch(3, title="批量测试:路面破损")
    other = SubmissionFactory(title="别的来信")
    mine[2].status = ANSWERED
    mine[2].save()
    response = bulk(client, "accept", [], id="all", q="批量测试", status=RECEIVED)
    assert response.status_code == 302
    assert statuses(mine) == [ACCEPTED, ACCEPTED, ANSWERED] and statuses([other]) == [RECEIVED]


def test_odd_ids_are_not_found_not_a_crash(client, moderator):
    response = client.get(bulk_url("accept", []) + "&id=abc")
    assert response.status_code == 404


def test_department_editors_may_act(client):
    user = get_user_model().objects.create_user("editor-bulk", password="x")
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    item = SubmissionFactory()
    assert bulk(client, "accept", [item]).status_code == 302
    assert statuses([item]) == [ACCEPTED]


def test_without_change_permission_nothing_happens(client):
    user = get_user_model().objects.create_user("viewer", password="x")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="participation", codename="view_submission"),
    )
    client.force_login(user)
    item = SubmissionFactory()
    assert client.get(reverse("submissions:index")).status_code == 200  # the queue itself is open to them

    def denied(response):  # Wagtail's admin answers PermissionDenied with its dashboard and an error message
        levels = [message.level_tag for message in get_messages(response.wsgi_request)]
        return response.status_code == 302 and response.url == reverse("wagtailadmin_home") and "error" in levels

    assert denied(client.get(bulk_url("accept", [item])))
    department = Department.objects.get(key="towns")
    for action, data in (
        ("accept", {}),
        ("assign", {"department": department.pk}),
        ("close", {}),
        ("reject", {"rejection_reason": "理由"}),
    ):
        assert denied(bulk(client, action, [item], data))
    item.refresh_from_db()
    assert item.status == RECEIVED and item.department is None and not item.events.exists()
    assert not ModelLogEntry.objects.filter(object_id=str(item.pk), action__startswith="participation.").exists()
