"""StreamField blocks for progress updates, including one that records a measurement."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageBlock

from portal.plan.models import Measurement


class MeasurementBlock(blocks.StructBlock):
    """A reading published with the update; validated with the same rules as a measurement snippet."""

    indicator = blocks.PageChooserBlock(page_type="plan.IndicatorPage", label=_("指标"))
    date = blocks.DateBlock(label=_("统计日期"))
    value = blocks.DecimalBlock(label=_("数值"), max_digits=14, decimal_places=4)
    source = blocks.CharBlock(label=_("数据来源"), max_length=200)
    note = blocks.CharBlock(label=_("备注"), required=False, max_length=500)

    class Meta:
        icon = "pick"
        label = _("监测数据")
        template = "updates/blocks/measurement_block.html"

    def clean(self, value):
        value = super().clean(value)
        candidate = Measurement(
            indicator=value["indicator"].specific if value["indicator"] else None,
            date=value["date"],
            value=value["value"],
            source=value["source"],
        )
        try:
            candidate.clean()
        except ValidationError as error:
            raise blocks.StructBlockValidationError(
                block_errors={field: ErrorList(messages) for field, messages in error.message_dict.items()}
            ) from error
        return value


class UpdateBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("小标题"), form_classname="title", icon="title")
    paragraph = blocks.RichTextBlock(label=_("正文"), features=["bold", "italic", "ol", "ul", "link", "document-link"])
    image = ImageBlock(label=_("图片"))
    table = TableBlock(label=_("表格"))
    quote = blocks.BlockQuoteBlock(label=_("引用"))
    measurement = MeasurementBlock()
