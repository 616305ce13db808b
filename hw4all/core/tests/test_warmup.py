"""A worker loads at start what its first requests would otherwise load while others queue,
and keeps it out of the garbage collector's full collections."""

import json
import os
import subprocess
import sys

from django.conf import settings

# What a first signing request in every language needs: the URLconf and its reverse lookups,
# the language's catalogue, the email validator's expressions: loaded with the WSGI
# application, so that the first signing requests in any language import no module.
FIRST_REQUESTS = """
import gc, json, sys
import hw4all.wsgi
from django.conf import settings
from django.core.validators import EmailValidator, validate_email
from django.utils.functional import empty
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.translation import trans_real

loaded = set(sys.modules)
catalogues = sorted(trans_real._translations)
expressions = [EmailValidator.user_regex, EmailValidator.domain_regex]
uncompiled = [expression._wrapped is empty for expression in expressions]
for language, _name in settings.LANGUAGES:
    with translation.override(language):
        resolve(reverse("campaigns:signature_create", kwargs={"campaign_id": 1}))
        validate_email("someone@example.org")
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "catalogues": catalogues,
    "imported": sorted(set(sys.modules) - loaded),
    "uncompiled": uncompiled,
}))
"""


def test_a_started_worker_needs_no_import_catalogue_or_expression_for_its_first_signatures():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hw4all.settings.test"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", FIRST_REQUESTS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(first["catalogues"]) >= {code for code, _name in settings.LANGUAGES}
    assert first["imported"] == []
    assert first["uncompiled"] == [False, False]
    # What it loaded stays out of the garbage collector's full collections.
    assert first["frozen"] > 100_000
