"""/robots.txt: crawlers may read the public site, not the admin, the accounts, the survey
forms or the members' Code report pages; and where the sitemap is."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

# Paths under the language prefix ("/en/accounts/"), matched in every language by the "*" that
# the major crawlers understand.
LOCALISED_DISALLOWED = [
    "accounts/",
    "surveys/*/invitation/",
    "surveys/*/r/",
    "code-reporting/mine/",
    "code-reporting/rounds/*/new/",
    "code-reporting/reports/*/edit/",
    "code-reporting/reports/*/autosave/",
    "code-reporting/reports/*/status/",
    "code-reporting/reports/*/cosign/",
    "code-reporting/reports/*/files/",
]
DISALLOWED = ["/admin/", "/django-admin/", *(f"/*/{path}" for path in LOCALISED_DISALLOWED)]


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    site_url = (
        settings.SITE_URL.rstrip("/") if settings.SITE_URL else f"{request.scheme}://{request.get_host()}"
    )
    lines = [
        "User-agent: *",
        "Allow: /",
        *(f"Disallow: {path}" for path in DISALLOWED),
        "",
        f"Sitemap: {site_url}{reverse('sitemap_index')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
