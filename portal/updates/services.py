"""Writes about updates: the measurements a published update records, and the demo updates of development."""

import json
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast

from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry as AdminSearchEntry

from portal.plan.models import Measurement, refreshed_once

from . import demo
from .models import UpdateIndexPage, UpdatePage

BATCH_SIZE = 500
# Demo pages get translation keys derived from their slugs, so a rerun is reproducible too.
DEMO_NAMESPACE = uuid.UUID("5c1f0e6a-2014-4d32-9a11-000000000032")


@transaction.atomic
@refreshed_once()  # each indicator's reading refreshed once, after the old measurements went and the new came
def measurements_sync_from_update(*, update) -> int:
    """Make the published measurements of `update` match its measurement blocks; returns how many."""
    Measurement.objects.filter(update=update).delete()
    created = 0
    for block in update.body:
        if block.block_type != "measurement":
            continue
        data = block.value
        Measurement.objects.create(
            indicator_id=data["indicator"].pk,
            date=data["date"],
            value=data["value"],
            source=data["source"],
            note=data.get("note") or "",
            update=update,
            live=True,
        )
        created += 1
    return created


@refreshed_once()
def measurements_withdraw_for_update(*, update) -> int:
    """An unpublished update takes its measurements off the public record."""
    deleted, _ = Measurement.objects.filter(update=update).delete()
    return deleted


# -- demo updates (development only: manage.py load_demo_corpus) --------------------------------
#
# Ten thousand pages one add_child() and save_revision() at a time take many minutes, and deleting
# them through Wagtail's per-page signals as long again. These functions write and remove the same
# rows in a few statements per batch. The rows bulk_create cannot write are written with plain
# parameterised SQL: UpdatePage's own rows (bulk_create refuses models with parents) and the
# revisions (on PostgreSQL, bulk_create sends them as arrays that psycopg escapes in Python, four
# times slower than executemany for JSON of this size).


class DemoCorpusError(Exception):
    """The demo updates cannot be written (no update index page, no plan, a full tree level)."""


@dataclass
class DemoLoad:
    created: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per step, in the order they ran

    @contextmanager
    def step(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def tree_step(position: int) -> str:
    """One step of a materialised path as treebeard writes it: `position` (from 1) in Page.alphabet,
    left-padded with the alphabet's first character to Page.steplen characters."""
    alphabet, digits = Page.alphabet, ""
    while position:
        position, digit = divmod(position, len(alphabet))
        digits = alphabet[digit] + digits
    if len(digits) > Page.steplen:
        raise DemoCorpusError("“工作进展”栏目下的页面数已达上限。")
    return digits.rjust(Page.steplen, alphabet[0])


def tree_position(path: str) -> int:
    """The position a path's last step gives its node among its siblings (the inverse of tree_step)."""
    position = 0
    for character in path[-Page.steplen :]:
        position = position * len(Page.alphabet) + Page.alphabet.index(character)
    return position


def demo_updates():
    """The demo updates: sample update pages with the slugs load_demo_corpus gives them."""
    return UpdatePage.objects.filter(is_sample=True, slug__regex=rf"^{demo.SLUG_PREFIX}[0-9]+$")


def batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def demo_updates_create(*, count: int, seed: int = demo.DEMO_SEED) -> DemoLoad:
    """Publish demo updates number 1 to `count` that are missing; those already there stay as they are.

    The rows are those add_child() and save_revision().publish() would write: paths after the last
    child's, the parent's numchild, one live revision per page.
    """
    load = DemoLoad()
    with load.step("准备"):
        index = UpdateIndexPage.objects.first()
        if index is None:
            raise DemoCorpusError("缺少“工作进展”栏目:请先运行 manage.py load_plan。")
        taken = set(Page.objects.child_of(index).values_list("slug", flat=True))
        numbers = [n for n in range(1, count + 1) if demo.demo_slug(n) not in taken]
        if not numbers:
            return load
        domains = demo.plan_texts(index.get_parent())
        if not domains:
            raise DemoCorpusError("方案中没有带任务的服务领域:请先运行 manage.py load_plan。")
    with load.step("撰写"):
        updates = [demo.compose(number, domains, seed) for number in numbers]
    with load.step("页面"):
        pages = _insert_pages(index, updates)
    with load.step("关联"):
        _insert_relations(pages, updates)
    with load.step("修订"):
        _insert_revisions(pages, updates)
        _point_at_revisions(pages)
    with load.step("栏目"):
        _count_children(index)
    load.created = len(pages)
    return load


def _insert_pages(index, updates: list) -> list:
    """The Page rows (bulk_create), then UpdatePage's own rows."""
    last = index.get_last_child()
    first_position = tree_position(last.path) + 1 if last else 1
    content_type = ContentType.objects.get_for_model(UpdatePage)
    pages = [
        Page(
            title=update.title,
            draft_title=update.title,
            slug=update.slug,
            content_type=content_type,
            path=index.path + tree_step(first_position + offset),
            depth=index.depth + 1,
            numchild=0,
            url_path=f"{index.url_path}{update.slug}/",
            locale_id=index.locale_id,
            translation_key=uuid.uuid5(DEMO_NAMESPACE, update.slug),
            live=True,
            has_unpublished_changes=False,
            first_published_at=update.date,
            last_published_at=update.date,
            latest_revision_created_at=update.date,
        )
        for offset, update in enumerate(updates)
    ]
    Page.objects.bulk_create(pages, batch_size=BATCH_SIZE)
    fields = [UpdatePage.page_ptr.field, UpdatePage.date.field, UpdatePage.source.field]
    fields += [UpdatePage.summary.field, UpdatePage.body.field, UpdatePage.is_sample.field]
    rows = (
        (page.pk, update.date, update.source, update.summary, json.dumps(update.body), True)
        for page, update in zip(pages, updates, strict=True)
    )
    _insert_rows(UpdatePage._meta.db_table, fields, rows)
    return pages


def _insert_rows(table: str, fields: list, rows) -> None:
    """INSERT `rows` (Python values, one per field) into `table`, converted as the fields convert them."""
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    values = [
        [f.get_db_prep_save(f.to_python(v), connection) for f, v in zip(fields, row, strict=True)] for row in rows
    ]
    with connection.cursor() as cursor:
        for batch in batches(values):
            cursor.executemany(sql, batch)


def _insert_relations(pages: list, updates: list) -> None:
    """The domain, task and indicator links, through ParentalManyToManyField's own through models."""
    links = {"domains": [], "tasks": [], "indicators": []}
    for page, update in zip(pages, updates, strict=True):
        links["domains"].append((page.pk, update.domain_id))
        links["tasks"] += [(page.pk, pk) for pk in update.task_ids]
        links["indicators"] += [(page.pk, pk) for pk in update.indicator_ids]
    for name, pairs in links.items():
        relation = getattr(UpdatePage, name)
        through, source, target = (
            relation.through,
            relation.field.m2m_field_name(),
            relation.field.m2m_reverse_field_name(),
        )
        rows = [through(**{f"{source}_id": page_id, f"{target}_id": other_id}) for page_id, other_id in pairs]
        through.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _insert_revisions(pages: list, updates: list) -> None:
    """One revision per page, with the content Wagtail's save_revision() would store."""
    content_type = ContentType.objects.get_for_model(UpdatePage)
    base_content_type = ContentType.objects.get_for_model(Page)
    # Every key Wagtail serialises for an update, from a blank one; each revision fills in its own.
    template = UpdatePage(is_sample=True, live=True).serializable_data()
    fields = [Revision.content_type.field, Revision.base_content_type.field, Revision.object_id.field]
    fields += [Revision.created_at.field, Revision.object_str.field, Revision.content.field]
    rows = []
    for page, update in zip(pages, updates, strict=True):
        content = {
            **template,
            "pk": page.pk,
            "path": page.path,
            "depth": page.depth,
            "title": page.title,
            "draft_title": page.title,
            "slug": page.slug,
            "url_path": page.url_path,
            "locale": page.locale_id,
            "content_type": content_type.pk,
            "translation_key": str(page.translation_key),
            "first_published_at": update.date.isoformat(),
            "last_published_at": update.date.isoformat(),
            "latest_revision_created_at": update.date.isoformat(),
            "date": update.date.isoformat(),
            "source": update.source,
            "summary": update.summary,
            "body": json.dumps(update.body),
            "domains": [update.domain_id],
            "tasks": update.task_ids,
            "indicators": update.indicator_ids,
        }
        rows.append((content_type.pk, base_content_type.pk, str(page.pk), update.date, page.title, content))
    _insert_rows(Revision._meta.db_table, fields, rows)


def _point_at_revisions(pages: list) -> None:
    """Each page's latest and live revision: its only one."""
    own = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    revision = Subquery(own.order_by("-pk").values("pk")[:1])
    for batch in batches([page.pk for page in pages]):
        Page.objects.filter(pk__in=batch).update(latest_revision=revision, live_revision=revision)


def _count_children(index) -> None:
    Page.objects.filter(pk=index.pk).update(numchild=Page.objects.child_of(index).count())


@transaction.atomic
def demo_updates_delete() -> int:
    """Delete every demo update; returns how many.

    Pages still as load_demo_corpus wrote them (one revision, no history, no aliases) go in a few
    statements per batch. Any that staff have edited since are deleted the way Wagtail deletes a page,
    signals and all. The search index is the caller's to rebuild.
    """
    ids = list(demo_updates().values_list("pk", flat=True))
    edited = _edited(ids)
    for batch in batches([pk for pk in ids if pk not in edited]):
        _delete_as_written(batch)
    for batch in batches(sorted(edited)):
        Page.objects.filter(pk__in=batch).delete()
    for index in UpdateIndexPage.objects.all():
        _count_children(index)
    return len(ids)


def _edited(ids: list[int]) -> set[int]:
    """Those of `ids` that anything points at besides what load_demo_corpus wrote: a second revision, an
    entry in the reference index, or any row of any model with a key to the page (history, subscriptions,
    comments, aliases, view restrictions, measurements… whatever Wagtail or this project adds)."""
    base_content_type = ContentType.objects.get_for_model(Page)
    # UpdatePage's relations include those to Page; the through models' links are hidden (related_name "+").
    relations = [r for r in UpdatePage._meta.related_objects if not r.parent_link and not r.many_to_many]
    edited = set()
    for batch in batches(ids):
        as_text = [str(pk) for pk in batch]
        revisions = Revision.objects.filter(base_content_type=base_content_type, object_id__in=as_text)
        several = revisions.values("object_id").annotate(n=Count("pk")).filter(n__gt=1)
        edited |= {int(pk) for pk in several.values_list("object_id", flat=True)}
        references = ReferenceIndex.objects.filter(base_content_type=base_content_type, object_id__in=as_text)
        edited |= {int(pk) for pk in references.values_list("object_id", flat=True)}
        for relation in relations:
            rows = relation.related_model._default_manager.filter(**{f"{relation.field.name}__in": batch})
            edited |= set(rows.values_list(relation.field.attname, flat=True))
    return edited


def _delete_as_written(batch: list[int]) -> None:
    """Delete what _insert_* wrote for these pages (links, revisions, UpdatePage rows, Page rows), children
    before parents so that no key ever points at a missing row."""
    for name in ("domains", "tasks", "indicators"):
        relation = getattr(UpdatePage, name)
        relation.through.objects.filter(**{f"{relation.field.m2m_field_name()}_id__in": batch}).delete()
    Page.objects.filter(pk__in=batch).update(latest_revision=None, live_revision=None)
    as_text = [str(pk) for pk in batch]
    Revision.objects.filter(base_content_type=ContentType.objects.get_for_model(Page), object_id__in=as_text).delete()
    # Entries of the admin's search, if Wagtail's update_index has run since.
    AdminSearchEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(UpdatePage), object_id__in=as_text
    ).delete()
    quote, placeholders = connection.ops.quote_name, ", ".join(["%s"] * len(batch))
    with connection.cursor() as cursor:
        for model, column in ((UpdatePage, UpdatePage.page_ptr.field.column), (Page, Page.id.field.column)):
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(column)} IN ({placeholders})", batch
            )
