"""App config for search: connects the indexing signals once."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import indexing
        from .models import Synonym
        from .queries import forget_synonyms

        indexing.connect_signals()
        post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="search_synonym_saved")
        post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="search_synonym_deleted")
