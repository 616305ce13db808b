import gzip
import secrets
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.http.response import HttpResponseBase
from django.middleware import gzip as django_gzip
from django.middleware import locale
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from wagtail.models import Site

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class StaffTwoFactorMiddleware:
    """Where the setting asks for it, staff reach the admin only after setting up TOTP.

    "Staff" is anyone who may enter an admin: Django's is_staff or Wagtail's access_admin
    permission, which the Secretariat role has without being is_staff."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.HW4ALL_REQUIRE_STAFF_2FA
            and request.path.startswith(ADMIN_PREFIXES)
            and request.user.is_authenticated
            and (request.user.is_staff or request.user.has_perm("wagtailadmin.access_admin"))
        ):
            from allauth.mfa.models import Authenticator

            has_totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
            if not has_totp:
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def _content_security_policy(*, framed: bool) -> str:
    media = " ".join(settings.CSP_MEDIA_ORIGINS)
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": f"'self' data: {media}".strip(),
        "media-src": f"'self' {media}".strip(),
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        # Only the views made to be embedded (the campaigns' signing form) may be framed, by
        # any partner's page; everything else by nobody.
        "frame-ancestors": "*" if framed else "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


API_POLICY = "default-src 'none'; frame-ancestors 'none'"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy on every page and API answer outside the admins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.page_policy = _content_security_policy(framed=False)
        self.framed_policy = _content_security_policy(framed=True)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIXES) or "Content-Security-Policy" in response:
            return response
        if request.path.startswith("/api/"):
            response["Content-Security-Policy"] = API_POLICY
        else:
            framed = getattr(response, "xframe_options_exempt", False)
            response["Content-Security-Policy"] = self.framed_policy if framed else self.page_policy
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, except that an API 404 stays a 404: the stock middleware would redirect it to a
    language-prefixed path, which Wagtail's catch-all pattern makes look valid."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.path_info.startswith("/api/"):
            return response
        return super().process_response(request, response)


# Host headers are the client's to choose: the memory of them is bounded.
SITE_LOOKUP_HOSTS_MAX = 64
_site_lookups: dict[tuple[str, str], tuple[float, dict | None]] = {}
_site_lookups_lock = threading.Lock()


def site_lookups_forget(**kwargs) -> None:
    with _site_lookups_lock:
        _site_lookups.clear()


post_save.connect(site_lookups_forget, sender=Site, dispatch_uid="hw4all_site_lookups_saved")
post_delete.connect(site_lookups_forget, sender=Site, dispatch_uid="hw4all_site_lookups_deleted")


def _site_from(values: dict | None) -> Site | None:
    """A fresh instance per request, so no request sees another's cached relations."""
    if values is None:
        return None
    site = Site(**values)
    site._state.adding = False
    site._state.db = "default"
    return site


class SiteLookupMiddleware:
    """Wagtail finds the site of every request with a query that takes longer to build than to
    run, and sites almost never change: remember, per host and port, which site answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Pages and the pages that answer form posts need the site (its settings, its root);
        # the API does not, and keeps Wagtail's own lookup, made only if something asks for it.
        if settings.SITE_LOOKUP_SECONDS <= 0 or request.path_info.startswith("/api/"):
            return self.get_response(request)
        # Wagtail's own lookup keys on the raw host too (get_host() would raise on a bad one).
        key = (split_domain_port(request._get_raw_host())[0], request.get_port())  # type: ignore[attr-defined]
        now = time.monotonic()
        found = _site_lookups.get(key)
        if found is None or found[0] < now:
            site = Site._find_for_request(request)
            values = (
                None
                if site is None
                else {f.attname: getattr(site, f.attname) for f in Site._meta.concrete_fields}
            )
            with _site_lookups_lock:
                if len(_site_lookups) >= SITE_LOOKUP_HOSTS_MAX:
                    _site_lookups.clear()
                _site_lookups[key] = (now + settings.SITE_LOOKUP_SECONDS, values)
            found = _site_lookups[key]
        # Where Site.find_for_request looks first: Wagtail's cache attribute.
        request._wagtail_site = _site_from(found[1])  # type: ignore[attr-defined]
        return self.get_response(request)


class AuditRequestMiddleware:
    """Keeps the request being served where core.audit.audit_record finds it: the entries written
    while serving it say who made it and from which address and browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from .audit import audit_request_reset, audit_request_set

        token = audit_request_set(request)
        try:
            return self.get_response(request)
        finally:
            audit_request_reset(token)


class GZipMiddleware(django_gzip.GZipMiddleware):
    """Django's gzip, at level 4 rather than 6. A page with a map (the practices listing: some
    140 KB of shapes, country links and filters) took 7 ms to compress at level 6 and under 3 at
    level 4, for a body 7 % larger; on other pages the two differ by a tenth of a millisecond.
    Streamed responses keep Django's own handling."""

    LEVEL = 4

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            response.streaming
            or len(response.content) < 200  # type: ignore[attr-defined]
            or response.has_header("Content-Encoding")
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not django_gzip.re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        content: bytes = response.content  # type: ignore[attr-defined]
        compressed = gzip.compress(content, compresslevel=self.LEVEL, mtime=0)
        # As Django does against BREACH: a file name of random length in the gzip header.
        padding = b"a" * secrets.randbelow(self.max_random_bytes) + b"\x00"
        compressed = (
            compressed[:3]
            + bytes([compressed[3] | gzip.FNAME])
            + compressed[4:10]
            + padding
            + compressed[10:]
        )
        if len(compressed) >= len(content):
            return response
        response.content = compressed  # type: ignore[attr-defined]
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
