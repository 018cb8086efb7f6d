"""App config for search: connects the indexing and cache-clearing signals once."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import checks, indexing  # noqa: F401 - checks registers itself
        from .models import RecommendedTerm, Synonym
        from .queries import forget_synonyms
        from .querylog import forget_popular

        indexing.connect_signals()
        post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="search_synonym_saved")
        post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="search_synonym_deleted")
        post_save.connect(forget_popular, sender=RecommendedTerm, dispatch_uid="search_recommended_saved")
        post_delete.connect(forget_popular, sender=RecommendedTerm, dispatch_uid="search_recommended_deleted")
