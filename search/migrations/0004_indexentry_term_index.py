"""The title's term count, and an index of the terms of search_indexentry for the database engine.

PostgreSQL: two stored generated tsvector columns built from the term arrays (array_to_tsvector, so
the text parser never re-tokenises a term such as py:jiaoyu or 96.5), each with a GIN index; and a
low toast_tuple_target, so that the long columns (body, the terms, the vectors) live out of line
and the rows the engine reads for thousands of matches (id, kind, domain, year, date, boost, title
length) fit some thirty to a page instead of five.

SQLite: an external-content FTS5 table over title_terms and body_terms, kept in step by triggers,
with a tokenizer that keeps every space-separated term whole.

Either way every write path (save, bulk_create, QuerySet.delete, raw SQL) keeps the index in sync
without the indexer knowing, and the model stays portable. Other databases get no index (and
search/fallback.py refuses them).

A later migration that rebuilds search_indexentry on SQLite (Django's way to alter a column there)
drops the triggers: it must create SQLITE_TRIGGERS again and run "INSERT INTO search_indexentry_fts
(search_indexentry_fts) VALUES ('rebuild')". On PostgreSQL, title_terms and body_terms cannot change
type while the vectors are generated from them.
"""

import django.db.models.expressions
import django.db.models.functions.text
from django.db import migrations, models


def _vector(column):
    # trim + array_remove: the indexer writes " a b " and a tsvector refuses empty lexemes.
    return f"array_to_tsvector(array_remove(string_to_array(trim({column}), ' '), ''))"


POSTGRESQL = [
    # First: adding the generated columns rewrites every row, under the new target already.
    "ALTER TABLE search_indexentry SET (toast_tuple_target = 128)",
    f"ALTER TABLE search_indexentry ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ({_vector('title_terms')}) STORED",
    f"ALTER TABLE search_indexentry ADD COLUMN body_vector tsvector GENERATED ALWAYS AS ({_vector('body_terms')}) STORED",
    "CREATE INDEX search_indexentry_title_vector ON search_indexentry USING gin (title_vector)",
    "CREATE INDEX search_indexentry_body_vector ON search_indexentry USING gin (body_vector)",
    # The ids of the rows whose title and whose body hold each term, and the number of rows. Always
    # from the GIN indexes: the planner does not count the cost of de-TOASTing a vector, so on a table
    # of a few hundred or thousand rows it would pick a sequential scan that opens every body vector
    # once per term. The setting holds inside this function only.
    """CREATE FUNCTION search_indexentry_postings(terms tsquery[])
    RETURNS TABLE (term bigint, in_title bigint[], in_body bigint[], documents bigint)
    LANGUAGE sql STABLE SET enable_seqscan = off AS $$
        SELECT t.i,
               (SELECT array_agg(e.id) FROM search_indexentry e WHERE e.title_vector @@ t.q),
               (SELECT array_agg(e.id) FROM search_indexentry e WHERE e.body_vector @@ t.q),
               (SELECT COUNT(*) FROM search_indexentry)
        FROM unnest(terms) WITH ORDINALITY AS t(q, i)
    $$""",
    # GIN's fast update parks new entries in a pending list that every lookup reads in full: a few
    # hundred freshly written rows made a search take seconds. Moving them into the index after each
    # statement that writes keeps bulk loads fast (the list fills and flushes within the statement)
    # and leaves every committed row in the index proper.
    """CREATE FUNCTION search_indexentry_clean_pending() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM gin_clean_pending_list(format('%I.%I', TG_TABLE_SCHEMA, 'search_indexentry_title_vector')::regclass);
        PERFORM gin_clean_pending_list(format('%I.%I', TG_TABLE_SCHEMA, 'search_indexentry_body_vector')::regclass);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_indexentry_clean_pending AFTER INSERT OR UPDATE ON search_indexentry
    FOR EACH STATEMENT EXECUTE FUNCTION search_indexentry_clean_pending()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER search_indexentry_clean_pending ON search_indexentry",
    "DROP FUNCTION search_indexentry_clean_pending()",
    "DROP FUNCTION search_indexentry_postings(tsquery[])",
    "ALTER TABLE search_indexentry RESET (toast_tuple_target)",
    "ALTER TABLE search_indexentry DROP COLUMN title_vector",
    "ALTER TABLE search_indexentry DROP COLUMN body_vector",
]

# unicode61 splits on anything but letters and digits: ":" (py:jiaoyu, pyi:jy) and "." (96.5) are made
# part of a token, and diacritics are kept (ü). Terms are already lower case, so its case folding is moot.
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE search_indexentry_fts USING fts5("
    "title_terms, body_terms, content='search_indexentry', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars ':.'\")"
)
SQLITE_TRIGGERS = [
    """CREATE TRIGGER search_indexentry_fts_insert AFTER INSERT ON search_indexentry BEGIN
        INSERT INTO search_indexentry_fts (rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
    """CREATE TRIGGER search_indexentry_fts_delete AFTER DELETE ON search_indexentry BEGIN
        INSERT INTO search_indexentry_fts (search_indexentry_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
    END""",
    """CREATE TRIGGER search_indexentry_fts_update AFTER UPDATE OF id, title_terms, body_terms ON search_indexentry
    BEGIN
        INSERT INTO search_indexentry_fts (search_indexentry_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO search_indexentry_fts (rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
]
SQLITE = [
    SQLITE_TABLE,
    *SQLITE_TRIGGERS,
    # What ranking and facets read of every match; the row itself has them behind its long columns.
    "CREATE INDEX search_indexentry_rank ON search_indexentry (id, kind, domain, year, date, boost, title_length)",
    "INSERT INTO search_indexentry_fts (search_indexentry_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP INDEX search_indexentry_rank",
    "DROP TRIGGER search_indexentry_fts_insert",
    "DROP TRIGGER search_indexentry_fts_delete",
    "DROP TRIGGER search_indexentry_fts_update",
    "DROP TABLE search_indexentry_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)  # None: the SQL holds % signs of its own

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_pendingindexchange"),
    ]

    operations = [
        migrations.AddField(
            model_name='indexentry',
            name='title_length',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.functions.text.Length('title_terms'), '-', django.db.models.functions.text.Length(django.db.models.functions.text.Replace('title_terms', models.Value(' '), models.Value('')))), '-', models.Value(1)), output_field=models.IntegerField()),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
