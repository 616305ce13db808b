"""Settings of the server the fault tests start: the test settings on the test database, with a
busy timeout short enough for a test (FAULTS_BUSY_TIMEOUT seconds; production waits 20), tasks
queued in the database (so that a test sees what each write queued), and uploads kept in memory
while the request is read (so that a full disk shows when the file is stored)."""

import os
import re

from hw4all.settings.test import *  # noqa: F403
from hw4all.settings.test import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _timeout = float(os.environ.get("FAULTS_BUSY_TIMEOUT", "2"))
    _options = DATABASES["default"]["OPTIONS"]
    _options["timeout"] = _timeout
    _options["init_command"] = re.sub(
        r"busy_timeout=\d+", f"busy_timeout={int(_timeout * 1000)}", _options["init_command"]
    )

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FILE_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024
