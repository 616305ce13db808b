"""The production settings refuse to start with an unsafe configuration."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SAFE = {
    "SECRET_KEY": "x7#kq9!v2Lm$Pz4Wt8Rb0Yc6Nd3Hf1Js5Ug",
    "ALLOWED_HOSTS": "hw4all.example.org",
    "DEBUG": "false",
}


def _import_production(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.update(SAFE)
    env.update(overrides)
    env["DJANGO_SETTINGS_MODULE"] = "hw4all.settings.production"
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; "
            "print(settings.HW4ALL_REQUIRE_STAFF_2FA, settings.SESSION_COOKIE_SECURE)",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_safe_environment_starts_with_staff_two_factor_on():
    result = _import_production()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
    ],
)
def test_unsafe_environment_is_refused(overrides, message):
    result = _import_production(**overrides)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
