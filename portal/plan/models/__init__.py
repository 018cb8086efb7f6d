"""Plan models, one concern per module, re-exported here."""

from .departments import Department, Responsibility, Role, group_by_role
from .document import Phase, Plan, SourceDocument
from .indicator import IndicatorPage, Measurement
from .pages import DomainPage, HomePage, MechanismIndexPage, MechanismPage, TaskPage
from .reading import IndicatorReading, refresh_readings, refreshed_once

__all__ = [
    "Department",
    "DomainPage",
    "HomePage",
    "IndicatorPage",
    "IndicatorReading",
    "Measurement",
    "MechanismIndexPage",
    "MechanismPage",
    "Phase",
    "Plan",
    "Responsibility",
    "Role",
    "SourceDocument",
    "TaskPage",
    "group_by_role",
    "refresh_readings",
    "refreshed_once",
]
