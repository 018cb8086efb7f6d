"""Factories for search data staff keep in the admin."""

import factory

from search.models import RecommendedTerm


class RecommendedTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendedTerm
        django_get_or_create = ("term",)

    term = factory.Sequence(lambda n: f"推荐词{n}")
