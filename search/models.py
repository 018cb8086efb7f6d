"""Search data kept in the database: synonyms and recommended terms staff edit, the anonymous query
log, the index table that the database engine searches when Elasticsearch is absent or does not
answer, and the outbox of changes Elasticsearch has yet to take."""

import uuid

from django.db import models
from django.db.models import Value
from django.db.models.functions import Length, Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Synonym(index.Indexed, models.Model):
    """A word residents type and the plan's words it should also find (社保卡 → 社会保障卡)."""

    term = models.CharField(_("居民用语"), max_length=50, unique=True, help_text=_("例如:社保卡"))
    expansions = models.CharField(
        _("对应的规范用语"), max_length=200, help_text=_("用顿号、逗号或空格分隔,例如:社会保障卡、一卡通")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [FieldPanel("term"), FieldPanel("expansions"), FieldPanel("note")]
    search_fields = [index.SearchField("term"), index.AutocompleteField("term"), index.SearchField("expansions")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")

    def __str__(self):
        return f"{self.term} → {self.expansions}"

    def expansion_list(self) -> list[str]:
        import re

        return [part for part in re.split(r"[、,,;;\s]+", self.expansions) if part]


class RecommendedTerm(index.Indexed, models.Model):
    """A search term staff approved for public lists such as 大家常搜.

    What residents type is never shown to other residents as it is: four searches would otherwise
    put an advertisement or a script on the official site. Public lists hold only these terms and
    the plan's own vocabulary; the query log only decides their order.
    """

    term = models.CharField(_("搜索词"), max_length=30, unique=True, help_text=_("例如:入园率"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [FieldPanel("term"), FieldPanel("note")]
    search_fields = [index.SearchField("term"), index.AutocompleteField("term"), index.SearchField("note")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("推荐搜索词")
        verbose_name_plural = _("推荐搜索词")

    def __str__(self):
        return self.term

    def clean(self):
        # One space between words, as residents' queries are logged, so that counts find the term.
        self.term = " ".join(self.term.split())


class QueryLog(models.Model):
    """One search, anonymously: no IP, no user, no session."""

    query = models.CharField(_("搜索词"), max_length=100)
    normalized = models.CharField(_("规范化搜索词"), max_length=100, db_index=True)
    results = models.PositiveIntegerField(_("结果数"))
    took_ms = models.PositiveIntegerField(_("耗时(毫秒)"))
    engine = models.CharField(_("引擎"), max_length=20)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("搜索记录")
        verbose_name_plural = _("搜索记录")
        indexes = [models.Index(fields=["results", "created_at"])]

    def __str__(self):
        return f"{self.query} ({self.results})"


class IndexEntry(models.Model):
    """A searchable document as the database engine sees it: the same terms Elasticsearch indexes.

    Migration 0004 indexes the terms outside the model (tsvector columns with GIN indexes on
    PostgreSQL, an FTS5 table kept by triggers on SQLite): see search/fallback.py. A later migration
    that alters this table must keep them (0004's docstring says how).
    """

    doc_id = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, db_index=True)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=255)
    domain = models.CharField(max_length=50, blank=True, db_index=True)
    body = models.TextField(blank=True)
    date = models.DateTimeField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    title_terms = models.TextField()
    body_terms = models.TextField(blank=True)
    boost = models.FloatField(default=1.0)
    # How many terms the title has (the indexer writes " a b c "), kept beside the row so that ranking
    # thousands of matches reads no term text.
    title_length = models.GeneratedField(
        expression=Length("title_terms") - Length(Replace("title_terms", Value(" "), Value(""))) - 1,
        output_field=models.IntegerField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("索引条目")
        verbose_name_plural = _("索引条目")

    def __str__(self):
        return self.doc_id


class PendingIndexChangeQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(next_attempt_at__lte=now)


class PendingIndexChange(models.Model):
    """A document whose Elasticsearch copy may lag behind its index table row: the outbox.

    Written in the transaction that changes the row, settled once Elasticsearch took the change, so a
    change Elasticsearch refuses (or a worker that dies before sending it) is retried, never lost. It
    holds no content: the row (or its absence, for a delete) is the state to send, so repeated changes
    to one document coalesce into one pending row.
    """

    doc_id = models.CharField(max_length=80, unique=True)
    # A new one on every change: settling removes only the change that was sent, never a newer one.
    version = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)

    objects = PendingIndexChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("待同步的索引变更")
        verbose_name_plural = _("待同步的索引变更")

    def __str__(self):
        return self.doc_id
