"""Plan data in the Wagtail admin: one menu group with departments, measurements, phases, documents."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import BooleanColumn, LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Department, Measurement, Phase, Plan, SourceDocument


class MeasurementViewSet(SnippetViewSet):
    model = Measurement
    icon = "pick"
    menu_label = _("监测数据")
    # A tick or cross for sample data and Wagtail's status tag (已发布/草稿), not the Python True a bare name shows.
    list_display = [
        "indicator",
        "date",
        "value",
        "source",
        BooleanColumn("is_sample", label=Measurement._meta.get_field("is_sample").verbose_name, sort_key="is_sample"),
        LiveStatusTagColumn(),
    ]
    list_filter = ["is_sample", "live", "date"]
    search_fields = ["source", "note"]
    ordering = ["-date"]
    list_per_page = 50


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("部门")
    list_display = ["name", "key", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "key"]
    # The table is small: the ORM's substring match finds 教育 in 市教育局, which the search backend's
    # whole-word match cannot (and that backend has no "key" field to search at all).
    search_backend_name = None


class PhaseViewSet(SnippetViewSet):
    model = Phase
    icon = "date"
    menu_label = _("实施阶段")
    list_display = ["number", "title", "start_date", "end_date"]


class SourceDocumentViewSet(SnippetViewSet):
    model = SourceDocument
    icon = "doc-full"
    menu_label = _("政策文件")
    list_display = ["number", "title", "issued_on"]


class PlanViewSet(SnippetViewSet):
    model = Plan
    icon = "list-ol"
    menu_label = _("试点方案")
    list_display = ["title", "start_date", "end_date"]


class PlanDataGroup(SnippetViewSetGroup):
    menu_label = _("规划数据")
    menu_icon = "table"
    menu_order = 200
    items = (MeasurementViewSet, DepartmentViewSet, PhaseViewSet, SourceDocumentViewSet, PlanViewSet)


register_snippet(PlanDataGroup)
