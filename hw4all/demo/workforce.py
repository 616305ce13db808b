"""The demo's health-workforce figures: every known file of the data folder, as published."""

from hw4all.workforce.loader import data_folder, data_load
from hw4all.workforce.models import ImportRun


def workforce_demo_load() -> list[ImportRun]:
    """Import the data folder; nothing (and no failure) when the folder is not there."""
    if not data_folder().is_dir():
        return []
    return data_load()


def workforce_demo_skipped() -> str:
    """Why the demo has no workforce figures, or "" when it has them."""
    if data_folder().is_dir():
        return ""
    return f"Workforce data skipped: no data folder at {data_folder()} (set HW4ALL_WORKFORCE_DATA_DIR)."
