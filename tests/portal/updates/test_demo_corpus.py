"""load_demo_corpus: demo updates that read like the plan's progress reports, written in bulk, labelled 示例数据,
found by search, editable in the admin, refused in production."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Page

from portal.plan.models import DomainPage, TaskPage
from portal.updates import demo, services
from portal.updates.models import UpdateIndexPage, UpdatePage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo_corpus", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def fifty(database_search):
    """50 demo updates, not indexed (the search test indexes its own)."""
    return load("--updates", "50", "--no-index")


@pytest.fixture
def fifty_indexed(elasticsearch):
    """50 demo updates, indexed in both engines; afterwards Elasticsearch is rebuilt without them (it does not
    roll back with the database)."""
    output = load("--updates", "50")
    yield output
    load("--delete")


def test_refused_where_sample_data_is_not_allowed(settings):
    settings.PORTAL_ALLOW_SAMPLE_DATA = False
    with pytest.raises(CommandError, match="禁止导入示例数据"):
        call_command("load_demo_corpus", "--updates", "5")
    assert not services.demo_updates().exists()


def test_refused_under_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        SITE_URL="https://example.org",
        CACHE_URL="redis://127.0.0.1:6379/0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo_corpus", "--updates", "5"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "当前环境禁止导入示例数据(PORTAL_ALLOW_SAMPLE_DATA 未开启)" in result.stderr


def test_needs_a_count_or_delete():
    with pytest.raises(CommandError, match="--updates N"):
        call_command("load_demo_corpus")


def test_fifty_live_public_pages_each_in_one_domain_with_its_tasks(fifty):
    updates = list(services.demo_updates().live().public().prefetch_related("domains", "tasks", "indicators"))
    assert len(updates) == 50
    assert "新建 50 篇" in fifty and "现有 50 篇" in fifty
    assert {u.slug for u in updates} == {f"demo-{n:05d}" for n in range(1, 51)}
    years = set()
    for update in updates:
        assert update.is_sample and update.live and update.first_published_at == update.date
        (domain,) = update.domains.all()
        tasks = list(update.tasks.all())
        assert tasks and all(task.get_parent().pk == domain.pk for task in tasks)
        assert all(indicator.path.startswith(domain.path) for indicator in update.indicators.all())
        # It quotes its own domain's plan: a sentence of one of its tasks, verbatim.
        quoted = [block.value for block in update.body if block.block_type == "quote"]
        assert quoted and any(q in task.text for q in quoted for task in tasks)
        assert update.latest_revision_id == update.live_revision_id
        assert update.get_latest_revision_as_object().title == update.title
        years.add(update.date.year)
    assert years <= {2014, 2015, 2016} and len(years) > 1
    assert len({u.domains.all()[0].pk for u in updates}) > 3


def test_tree_has_no_problems_and_the_index_counts_its_children(fifty):
    assert Page.find_problems() == ([], [], [], [], [])
    index = UpdateIndexPage.objects.get()
    assert index.numchild == Page.objects.child_of(index).count() >= 50
    assert index.get_last_child().slug == "demo-00050"


def test_pages_open_labelled_as_sample_and_listings_label_them(fifty, client):
    update = services.demo_updates().get(slug="demo-00001")
    html = client.get(update.url).content.decode()
    assert update.title in html and 'class="badge badge-sample"' in html
    task = update.tasks.first()
    assert f'href="{task.url}"' in html  # related tasks are listed
    listing = client.get(UpdateIndexPage.objects.get().url).content.decode()
    assert listing.count('class="badge badge-sample"') >= 20  # the first page of the list: demo pages only
    newest = services.demo_updates().order_by("-date").first()
    assert re.search(
        re.escape(newest.title) + r"</a>\s*<span class=\"badge badge-sample\"", client.get("/").content.decode()
    )
    feed = client.get("/feeds/updates/").content.decode()
    assert f"【示例数据】{newest.title}" in feed


def test_admin_edit_view_opens(fifty, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("demo-admin", "a@example.org", "x"))
    update = services.demo_updates().get(slug="demo-00007")
    response = client.get(f"/admin/pages/{update.pk}/edit/")
    assert response.status_code == 200
    assert update.title in response.content.decode()


def test_found_by_search_in_both_engines(fifty_indexed, client, settings, elasticsearch):
    assert "已索引" in fifty_indexed
    update = services.demo_updates().get(slug="demo-00003")
    for engine in ("elasticsearch", "database"):
        settings.ELASTICSEARCH_URL = elasticsearch if engine == "elasticsearch" else ""
        data = client.get("/search/", {"q": update.title, "format": "json"}).json()
        assert data["engine"] == engine
        hits = [r for r in data["results"] if r["url"] == update.url]
        assert hits, (engine, [r["title"] for r in data["results"]])
        assert hits[0]["domain"] == update.domains.get().title and hits[0]["type"] == "update"


def test_idempotent_and_growing(database_search):
    load("--updates", "20", "--no-index")
    before = {p.slug: (p.pk, p.path, p.title) for p in services.demo_updates()}
    pages = Page.objects.count()

    assert "新建 0 篇" in load("--updates", "20", "--no-index")
    assert Page.objects.count() == pages
    assert "新建 5 篇" in load("--updates", "25", "--no-index")
    after = {p.slug: (p.pk, p.path, p.title) for p in services.demo_updates()}
    assert len(after) == 25 and {k: after[k] for k in before} == before
    assert Page.find_problems() == ([], [], [], [], [])


def test_the_same_seed_writes_the_same_updates_and_delete_removes_them_all(database_search):
    load("--updates", "12", "--no-index")
    first = {p.slug: (p.title, p.date, p.summary) for p in services.demo_updates()}
    other_pages = Page.objects.count() - 12

    assert "删除 12 篇" in load("--delete", "--no-index")
    assert not services.demo_updates().exists() and Page.objects.count() == other_pages
    assert UpdateIndexPage.objects.get().numchild == Page.objects.child_of(UpdateIndexPage.objects.get()).count()
    assert Page.find_problems() == ([], [], [], [], [])

    load("--updates", "12", "--no-index")
    assert {p.slug: (p.title, p.date, p.summary) for p in services.demo_updates()} == first


def test_delete_leaves_other_updates_and_removes_edited_demo_pages_the_wagtail_way(database_search):
    load("--updates", "3", "--no-index")
    edited = services.demo_updates().get(slug="demo-00002")
    edited.title = "改过的示例进展"
    edited.save_revision().publish()
    real = UpdatePage.objects.filter(is_sample=False).count()

    assert "删除 3 篇" in load("--delete", "--no-index")
    assert not UpdatePage.objects.filter(slug__startswith="demo-").exists()
    assert UpdatePage.objects.filter(is_sample=False).count() == real
    assert Page.find_problems() == ([], [], [], [], [])


def test_tree_steps_are_treebeards():
    assert services.tree_step(1) == "0001" and services.tree_step(36) == "0010"
    assert services.tree_position("000100010ZZZ") == 36**3 - 1
    assert all(services.tree_position("0001" + services.tree_step(n)) == n for n in (1, 35, 36, 1295, 50_000))


def test_titles_and_bodies_quote_their_domains_plan():
    home = DomainPage.objects.first().get_parent()
    domains = demo.plan_texts(home)
    tasks = {t.pk: (d, t) for d in domains for t in d.tasks}
    for number in range(1, 200):
        update = demo.compose(number, domains)
        domain, task = tasks[update.task_ids[0]]
        assert domain.pk == update.domain_id
        assert all(tasks[pk][0].pk == domain.pk for pk in update.task_ids)
        text = update.title + update.summary + "".join(b["value"] for b in update.body)
        assert task.phrase in text or any(i.name in text for i in task.indicators)
        assert TaskPage.objects.get(pk=task.pk).get_parent().pk == domain.pk
    assert demo.compose(7, domains) == demo.compose(7, domains)
