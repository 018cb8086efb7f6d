"""App config for the plan."""

from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "portal.plan"
    label = "plan"
    verbose_name = "试点方案"
