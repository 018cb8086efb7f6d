"""App config for open data."""

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "portal.opendata"
    label = "opendata"
    verbose_name = "开放数据"
