"""App config for participation."""

from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "portal.participation"
    label = "participation"
    verbose_name = "公众参与"

    def ready(self):
        from . import checks, signals  # noqa: F401 - checks registers itself

        signals.connect()
