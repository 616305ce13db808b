"""The page allauth answers when one of its rate limits refuses a request (settings.
ACCOUNT_RATE_LIMITS): the site's own 429 page, with a Retry-After that says when the limit that
refused lifts, as the site's other limits do."""

from http import HTTPStatus

from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .adapter import ACCOUNT_APP, rate_limit_wait_seconds

# The allauth actions whose limits answer with this page, by the name of the view that counts them.
ACTIONS_BY_VIEW = {
    "account_login": "login",
    "account_signup": "signup",
    "account_email": "manage_email",
    "account_change_password": "change_password",
    "account_set_password": "change_password",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_reauthenticate": "reauthenticate",
}


def _longest_window() -> int:
    return max(
        int(rate.duration)
        for rates in settings.ACCOUNT_RATE_LIMITS.values()
        for rate in ratelimit.parse_rates(rates)
    )


def account_rate_limited(request: HttpRequest) -> HttpResponse:
    response = render(request, "429.html", status=HTTPStatus.TOO_MANY_REQUESTS)
    action = ACTIONS_BY_VIEW.get(getattr(request.resolver_match, "url_name", ""))
    wait = 0
    if action:
        email = request.POST.get("email", "").strip().lower()
        user = request.user if request.user.is_authenticated else None
        wait = rate_limit_wait_seconds(request, app=ACCOUNT_APP, action=action, key=email or None, user=user)
    # Unknown: no wait is longer than the longest window.
    response["Retry-After"] = str(wait or _longest_window())
    return response
