"""Rebuild the search index into a new Elasticsearch index and swap the alias atomically.

Readers keep using the old index until the swap, so a rebuild needs no downtime. The database
index table is rebuilt too (in one transaction), so the fallback engine agrees with the cluster.

The steps, timed in bench/search_corpus.py:
1. collect the records of every live, public piece of content;
2. analyse them (indexing.analyse: across processes when there are many);
3. fill a new Elasticsearch index in a thread while this thread rewrites the database table:
   Elasticsearch indexes on the other core while PostgreSQL and the ORM work on this one;
4. once the table is committed, swap the alias to the new index and delete the old one. If the
   table fails, the new index is deleted and the alias never moves.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from elasticsearch import ApiError, TransportError
from elasticsearch.helpers import streaming_bulk
from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError

from search import documents, engine, indexing, records


class Command(BaseCommand):
    help = "重建站内搜索索引(新建索引后原子切换别名,不中断服务)。"

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument("--keep-old", action="store_true", help="保留切换前的旧索引")

    def handle(self, *args, **options):
        started = time.perf_counter()
        show = not options["no_progress"]
        items = list(records.all_records())
        indexing.analyse(items)
        if not engine.enabled():
            self._write_table(items, show)
        else:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="es-rebuild") as pool:
                filling = pool.submit(self._fill_new_index, items, show)
                try:
                    self._write_table(items, show)
                except BaseException:
                    self._discard(filling)
                    raise
                name = self._result(filling)
            self._swap(name, options["keep_old"])
        self.stdout.write(f"已索引 {len(items)} 条,用时 {time.perf_counter() - started:.1f} 秒。")

    def _write_table(self, items, show):
        indexing.replace_database(tqdm(items, desc="数据库索引", disable=not show, unit="条", position=0))

    def _fill_new_index(self, items, show) -> str:
        name = documents.new_index_name()
        documents.create_index(name)
        actions = (documents.ContentDocument.from_record(r).to_dict(include_meta=True) for r in items)
        progress = tqdm(total=len(items), desc="Elasticsearch", disable=not show, unit="条", position=1)
        try:
            for ok, info in streaming_bulk(
                documents.index_client(), actions, index=name, chunk_size=500, raise_on_error=False
            ):
                if not ok:
                    documents.index_client().indices.delete(index=name, ignore_unavailable=True)
                    raise CommandError(f"索引写入失败,别名未切换,线上索引不受影响:{info}")
                progress.update(1)
        finally:
            progress.close()
        documents.index_client().indices.refresh(index=name)
        return name

    def _result(self, filling) -> str:
        try:
            return filling.result()
        except (TransportError, ApiError) as error:
            raise CommandError(f"Elasticsearch 重建失败,别名未切换,线上索引不受影响:{error}") from error

    def _discard(self, filling):
        """The table failed: wait for the new index and delete it, so the alias never moves."""
        try:
            name = filling.result()
        except Exception:  # noqa: BLE001 - the table's error is the one to report
            return
        documents.index_client().indices.delete(index=name, ignore_unavailable=True)

    def _swap(self, name, keep_old):
        try:
            old = documents.swap_alias(name)
            if not keep_old:
                for index in old:
                    documents.index_client().indices.delete(index=index, ignore_unavailable=True)
        except (TransportError, ApiError) as error:
            raise CommandError(f"Elasticsearch 别名切换失败,线上索引不受影响:{error}") from error
        self.stdout.write(f"别名 {documents.alias_name()} → {name}")
