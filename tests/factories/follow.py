"""Factories for subscriptions (关注); confirmed unless confirmed_at=None is passed."""

import factory

from django.utils import timezone

from portal.follow.models import Subscription


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"follower{n}@example.com")
    created_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    digest_through = factory.LazyAttribute(lambda o: o.confirmed_at)
