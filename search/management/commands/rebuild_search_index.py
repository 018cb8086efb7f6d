"""Rebuild the search index into a new Elasticsearch index and swap the alias atomically.

Readers keep using the old index until the swap, so a rebuild needs no downtime. The database
index table is rebuilt too (in one transaction), so the fallback engine agrees with the cluster.
"""

import time

from elasticsearch import ApiError, TransportError
from elasticsearch.helpers import streaming_bulk
from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError

from search import documents, indexing, records


class Command(BaseCommand):
    help = "重建站内搜索索引(新建索引后原子切换别名,不中断服务)。"

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument("--keep-old", action="store_true", help="保留切换前的旧索引")

    def handle(self, *args, **options):
        started = time.perf_counter()
        items = list(records.all_records())
        show = not options["no_progress"]
        indexing.replace_database(tqdm(items, desc="数据库索引", disable=not show, unit="条"))
        if documents.enabled():
            try:
                self._rebuild_elasticsearch(items, show, options["keep_old"])
            except (TransportError, ApiError) as error:
                raise CommandError(f"Elasticsearch 重建失败,别名未切换,线上索引不受影响:{error}") from error
        self.stdout.write(f"已索引 {len(items)} 条,用时 {time.perf_counter() - started:.1f} 秒。")

    def _rebuild_elasticsearch(self, items, show, keep_old):
        name = documents.new_index_name()
        documents.create_index(name)
        actions = (documents.ContentDocument.from_record(r).to_dict(include_meta=True) for r in items)
        progress = tqdm(total=len(items), desc="Elasticsearch", disable=not show, unit="条")
        for ok, info in streaming_bulk(
            documents.index_client(), actions, index=name, chunk_size=500, raise_on_error=False
        ):
            if not ok:
                raise CommandError(f"索引写入失败:{info}")
            progress.update(1)
        progress.close()
        documents.index_client().indices.refresh(index=name)
        old = documents.swap_alias(name)
        if not keep_old:
            for index in old:
                documents.index_client().indices.delete(index=index, ignore_unavailable=True)
        self.stdout.write(f"别名 {documents.alias_name()} → {name}")
