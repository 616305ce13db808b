"""Hand-written XLSForms in the style of the project's own surveys, kept as readable tables (one
module per form, the XLSForm column names as headers) and written to .xlsx on demand. They serve as
demonstration content and as the test bed of the XLSForm import, the filling, and the analysis."""

from importlib import import_module
from io import BytesIO

from openpyxl import Workbook

EXAMPLES = ("hrh_national_survey", "bilateral_agreements", "retention_interviews")

Table = list[tuple[object, ...]]


def example_tables(name: str) -> dict[str, Table]:
    """The sheets of example `name` ({"survey": rows, "choices": rows, "settings": rows}), each
    with its header row first."""
    if name not in EXAMPLES:
        raise KeyError(f"no example questionnaire named {name!r}")
    module = import_module(f"{__name__}.{name}")
    return {"survey": module.SURVEY, "choices": module.CHOICES, "settings": module.SETTINGS}


def workbook_bytes(sheets: dict[str, Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([cell if cell != "" else None for cell in row])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def example_xlsform(name: str) -> bytes:
    """Example `name` as an .xlsx XLSForm."""
    return workbook_bytes(example_tables(name))
