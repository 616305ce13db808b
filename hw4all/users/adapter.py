import math
import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import ngettext

ACCOUNT_APP = "allauth.account"
LOGIN_FAILED = {"app": ACCOUNT_APP, "action": "login_failed"}


def rate_limit_wait_seconds(
    request: HttpRequest, *, app: str, action: str, key: str | None = None, user: Any = None
) -> int:
    """How long until `action` may be tried again, from what allauth counted under its rates
    (settings.ACCOUNT_RATE_LIMITS); 0 when it may now. A rate per key is skipped without a key,
    a rate per user without a user."""
    now = time.time()
    wait = 0.0
    for rate in ratelimit.get_rates(app=app, action=action):
        if (rate.per == "key" and key is None) or (rate.per == "user" and user is None):
            continue
        cache_key = ratelimit.get_cache_key(request, app=app, action=action, rate=rate, key=key, user=user)
        recent = sorted((at for at in cache.get(cache_key, []) if at > now - rate.duration), reverse=True)
        if len(recent) >= rate.amount:
            # The window slides: a try is allowed again once the oldest counted one leaves it.
            wait = max(wait, recent[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)


def lockout_seconds(request: HttpRequest, key: str) -> int:
    """How long until a login with this key may be tried again, from the failures counted under
    settings.ACCOUNT_RATE_LIMITS["login_failed"] (per network and per key); 0 when it may now."""
    return rate_limit_wait_seconds(request, key=key, **LOGIN_FAILED)


def _key_window_seconds() -> int:
    return max(int(rate.duration) for rate in ratelimit.get_rates(**LOGIN_FAILED) if rate.per == "key")


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.preferred_language = translation.get_language() or ""
        return super().save_user(request, user, form, commit)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            wait = lockout_seconds(request, self._get_login_attempts_cache_key(request, **credentials))
            raise self._lockout_error(wait or _key_window_seconds()) from None

    def validation_error(self, code, *args) -> ValidationError:
        # Two-factor codes are counted under the account's own key: the lock-out lasts at most
        # the key's window.
        if code == "too_many_login_attempts":
            return self._lockout_error(_key_window_seconds())
        return super().validation_error(code, *args)

    def _lockout_error(self, wait_seconds: int) -> ValidationError:
        minutes = max(1, math.ceil(wait_seconds / 60))
        message = ngettext(
            "Too many failed attempts to log in. For your security, logging in to this account is "
            "paused: try again in %(minutes)d minute, or reset your password.",
            "Too many failed attempts to log in. For your security, logging in to this account is "
            "paused: try again in %(minutes)d minutes, or reset your password.",
            minutes,
        ) % {"minutes": minutes}
        return ValidationError(message, code="too_many_login_attempts")
