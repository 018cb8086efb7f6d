"""Factories for the plan's models and pages (wagtail-factories for pages)."""

import datetime
from decimal import Decimal

import factory
import wagtail_factories

from portal.plan import models as plan


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan.Department
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"测试局{n}")


class DomainPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = plan.DomainPage

    title = factory.Sequence(lambda n: f"测试领域{n}")
    slug = factory.Sequence(lambda n: f"test-domain-{n}")
    number = factory.Sequence(lambda n: n + 11)
    goal = "到2015年,各项服务全覆盖。"


class TaskPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = plan.TaskPage

    title = factory.Sequence(lambda n: f"测试任务{n}")
    slug = factory.Sequence(lambda n: f"task-{n}")
    number = factory.Sequence(lambda n: n + 1)
    text = "任务原文。"


class IndicatorPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = plan.IndicatorPage

    title = factory.Sequence(lambda n: f"测试指标{n}")
    slug = factory.Sequence(lambda n: f"ind-{n}")
    code = factory.Sequence(lambda n: f"test-{n:03d}")
    unit = "%"
    comparator = ">="
    target = Decimal("90")
    target_year = 2015
    better = "higher"
    quote = "测试指标达到90%以上。"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan.Measurement

    indicator = factory.SubFactory(IndicatorPageFactory)
    date = datetime.date(2015, 6, 30)
    value = Decimal("80")
    source = "统计局"
    live = True
