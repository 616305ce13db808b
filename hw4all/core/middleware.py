from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware import locale
from django.shortcuts import redirect

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


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, except that an API 404 stays a 404: the stock middleware would redirect it to a
    language-prefixed path, which Wagtail's catch-all pattern makes look valid."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return response
        return super().process_response(request, response)
