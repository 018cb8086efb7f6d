"""App config for the shared core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "公共组件"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import purging, sites

        purging.connect()

        post_save.connect(sites.forget_sites, sender=Site, dispatch_uid="portal-forget-sites-save")
        post_delete.connect(sites.forget_sites, sender=Site, dispatch_uid="portal-forget-sites-delete")
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(sites.forget_sites_if_root, dispatch_uid=f"portal-forget-sites-{id(signal)}")
