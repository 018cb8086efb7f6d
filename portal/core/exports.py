"""Spreadsheet exports from the admin that are safe to open, whatever a citizen typed.

Wagtail's listings export to CSV and XLSX (SpreadsheetExportMixin). Citizens' words go into those files verbatim:
a title such as ``=HYPERLINK(…)`` ran as a formula in the office's spreadsheet program, and one control character
in an answer made openpyxl refuse the whole workbook (a 500 for every export). The cell rules are in
portal.core.sanitize; this mixin applies them to every text value, after Wagtail's own preprocessing.
"""

from . import sanitize

__all__ = ["SafeSpreadsheetExportMixin"]


class SafeSpreadsheetExportMixin:
    """Put before Wagtail's IndexView (or any SpreadsheetExportMixin view) in the bases."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if not isinstance(value, str):  # numbers, dates and booleans are typed cells, never formulas
            return value
        return sanitize.csv_cell(value) if export_format == self.FORMAT_CSV else sanitize.xlsx_cell(value)
