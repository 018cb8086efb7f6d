"""The feedback form embedded on domain and task pages: preselected place, posts like the full form."""

from html.parser import HTMLParser

import pytest

from portal.participation.forms import SubmissionForm
from portal.participation.models import Submission
from portal.plan.models import DomainPage, MechanismPage, TaskPage

pytestmark = pytest.mark.django_db


class EmbeddedForm(HTMLParser):
    """The controls inside <section id="feedback">: hidden values, radio values, select options."""

    def __init__(self, html):
        super().__init__()
        self.inside = False
        self.hidden, self.names, self.options, self.radios = {}, set(), [], []
        self._select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id") == "feedback":
            self.inside = True
        if not self.inside:
            return
        if tag in ("input", "textarea", "select") and attrs.get("name"):
            self.names.add(attrs["name"])
            if attrs.get("type") == "hidden":
                self.hidden[attrs["name"]] = attrs.get("value", "")
            if attrs.get("type") == "radio":
                self.radios.append(attrs["value"])
        if tag == "select":
            self._select = attrs.get("name")
        if tag == "option" and self._select == "task" and attrs.get("value"):
            self.options.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "section":
            self.inside = False


def embedded(client, url) -> EmbeddedForm:
    response = client.get(url)
    assert response.status_code == 200
    return EmbeddedForm(response.content.decode())


def post(client, form: EmbeddedForm, **fields):
    data = {**form.hidden, "kind": form.radios[0], "g-recaptcha-response": "token", "website": ""}
    data.update(
        title="公办幼儿园学位不够",
        content="台城街道公办幼儿园学位紧张,报名当天就满了,建议增设学位。",
        contact_email="chen@example.com",
    )
    data.update(fields)
    return client.post("/feedback/", data)


def test_domain_page_embeds_the_form_with_the_domain_and_its_tasks(client):
    domain = DomainPage.objects.get(slug="education")
    form = embedded(client, domain.url)
    assert form.hidden["domain"] == str(domain.pk)
    assert form.options == [str(pk) for pk in TaskPage.objects.child_of(domain).live().values_list("pk", flat=True)]
    assert sorted(form.radios) == sorted(Submission.LETTER_KINDS)  # a 找错 report has its own form
    # Every control the embedded markup posts is a field of the full form; no per-visitor token, so the
    # page can be cached for everyone.
    assert form.names <= set(SubmissionForm.base_fields)
    assert {"title", "content", "kind", "domain", "task", "website"} <= form.names


def test_a_submission_from_the_domain_page_is_saved_with_its_domain(client, google):
    domain = DomainPage.objects.get(slug="education")
    form = embedded(client, domain.url)
    response = post(client, form, task=form.options[1])
    assert response.status_code == 302 and response["Location"].endswith("/feedback/thanks/")
    submission = Submission.objects.get()
    assert submission.domain_id == domain.pk and str(submission.task_id) == form.options[1]
    receipt = client.get("/feedback/thanks/")
    assert submission.number in receipt.content.decode()
    # The receipt is shown once: the cookie is gone, and a reload leads to the tracking form.
    assert client.get("/feedback/thanks/")["Location"].endswith("/feedback/track/")


def test_a_submission_from_a_task_page_is_saved_with_the_task_and_its_domain(client, google):
    task = TaskPage.objects.child_of(DomainPage.objects.get(slug="health")).live().first()
    form = embedded(client, task.url)
    assert form.hidden["task"] == str(task.pk) and not form.options
    assert post(client, form).status_code == 302
    submission = Submission.objects.get()
    assert submission.task_id == task.pk and submission.domain.slug == "health"


def test_a_mechanism_item_embeds_the_form_without_a_domain(client, google):
    item = TaskPage.objects.descendant_of(MechanismPage.objects.first()).live().first()
    form = embedded(client, item.url)
    assert "domain" not in form.hidden and form.hidden["task"] == str(item.pk)
    assert post(client, form).status_code == 302
    submission = Submission.objects.get()
    assert submission.task_id == item.pk and submission.domain_id is None


def test_errors_from_the_embedded_form_come_back_on_the_full_form_with_nothing_lost(client, google):
    domain = DomainPage.objects.get(slug="education")
    form = embedded(client, domain.url)
    response = post(client, form, content="太短")
    html = response.content.decode()
    assert response.status_code == 200 and not Submission.objects.exists()
    assert "内容至少 10 个字" in html and "公办幼儿园学位不够" in html and "chen@example.com" in html
    assert f'<option value="{domain.pk}" selected>' in html


def test_a_forged_receipt_cookie_shows_nothing(client):
    client.cookies["feedback_receipt"] = "TS2014-000001:ABCDEF"
    assert client.get("/feedback/thanks/")["Location"].endswith("/feedback/track/")


class Ids(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.ids = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]


@pytest.mark.parametrize("slug", ["education", "employment"])
def test_the_embedded_form_adds_no_id_the_page_already_has(client, slug):
    html = client.get(DomainPage.objects.get(slug=slug).url).content.decode()
    ids = Ids(html).ids
    assert "fb_title" in ids and len(ids) == len(set(ids))
