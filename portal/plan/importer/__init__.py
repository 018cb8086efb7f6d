"""The plan importer: validate the reviewed data file in full, then load it in one transaction."""

from .loader import DATA_DIR, LoadReport, load_plan, load_samples
from .schema import PlanDataError

__all__ = ["DATA_DIR", "LoadReport", "PlanDataError", "load_plan", "load_samples"]
