"""The site's own pages, which the office edits in the admin: 联系我们, 隐私声明, 网站声明.

load_plan creates each once, with the default text of defaults.py; after that the text is the office's
and a new load never overwrites it.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from portal.core.pages import AncestryMixin

from . import defaults

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class TextPage(AncestryMixin, Page):
    """A page of text under the home page; one of each kind."""

    body = RichTextField(_("正文"), features=TEXT_FEATURES, blank=True)

    parent_page_types = ["plan.HomePage"]
    subpage_types = []
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        abstract = True

    @classmethod
    def default_values(cls) -> dict:
        """What load_plan creates the page with."""
        return {"title": cls.DEFAULT_TITLE, "body": defaults.BODIES[cls.DEFAULT_SLUG]}


CONTACT_FIELDS = ("office", "phone", "email", "address", "hours")


class ContactPage(TextPage):
    office = models.CharField(_("办公室"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=30, help_text=_("例如:0750-5565827"))
    email = models.EmailField(_("电子邮箱"), blank=True)
    # The plan names the office (at the finance bureau) but gives no street address: staff write the street.
    address = models.CharField(_("办公地址"), max_length=200, blank=True, help_text=_("留空则页面不显示地址。"))
    hours = models.CharField(_("办公时间"), max_length=100, blank=True)

    DEFAULT_SLUG, DEFAULT_TITLE = "contact", "联系我们"
    template = "about/contact_page.html"
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel(name) for name in CONTACT_FIELDS], heading=_("联系方式")),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("联系我们")

    @classmethod
    def default_values(cls) -> dict:
        return {
            **super().default_values(),
            "office": defaults.OFFICE,
            "phone": defaults.PHONE,
            "email": defaults.EMAIL,
            "address": defaults.ADDRESS,
        }

    @property
    def phone_href(self) -> str:
        """A tel: link a phone dials from anywhere: 0750-5565827 → tel:+867505565827 (the trunk 0 gives way to +86)."""
        return tel_href(self.phone)


def tel_href(phone: str) -> str:
    digits = re.sub(r"[^0-9+]", "", phone)
    return "tel:" + ("+86" + digits[1:] if digits.startswith("0") else digits)


class PrivacyPage(TextPage):
    DEFAULT_SLUG, DEFAULT_TITLE = "privacy", "隐私声明"
    template = "about/privacy_page.html"

    class Meta:
        verbose_name = _("隐私声明")

    def get_context(self, request, *args, **kwargs):
        from .privacy import collected

        context = super().get_context(request, *args, **kwargs)
        # What the portal keeps and for how long, from the settings and code that decide it: never stale text.
        context["collected"] = collected()
        return context


class StatementPage(TextPage):
    DEFAULT_SLUG, DEFAULT_TITLE = "statement", "网站声明"
    template = "about/statement_page.html"

    class Meta:
        verbose_name = _("网站声明")
