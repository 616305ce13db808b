"""The account behind an address: the user, its allauth addresses, its second factors and its
sessions. Other apps find a person's rows through `users_for_address`; the account is erased
after them (its deletion empties their links to it)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hw4all.core.personaldata import PersonalDataProvider, Record

from .models import User


def users_for_address(address: str) -> QuerySet[User]:
    """Accounts whose login or any of whose allauth addresses is `address`, case ignored."""
    return User.objects.filter(Q(email__iexact=address) | Q(emailaddress__email__iexact=address)).distinct()


def user_ids_for_address(address: str) -> list[int]:
    return list(users_for_address(address).values_list("pk", flat=True))


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _sessions_of(user_ids: list[int]) -> list:
    """Signed-in sessions of the accounts. Only a database session store can be searched; the
    settings use it (Django's default)."""
    if not user_ids or settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return []
    from django.contrib.sessions.models import Session

    wanted = {str(pk) for pk in user_ids}
    return [
        session
        for session in Session.objects.iterator()
        if str(session.get_decoded().get("_auth_user_id", "")) in wanted
    ]


def _export(address: str) -> list[Record]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    records: list[Record] = []
    users = list(users_for_address(address).prefetch_related("groups"))
    for user in users:
        records.append(
            {
                "type": str(_("Account")),
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "preferred_language": user.preferred_language,
                "roles": sorted(group.name for group in user.groups.all()),
                "is_staff": user.is_staff,
                "is_active": user.is_active,
                "date_joined": _iso(user.date_joined),
                "last_login": _iso(user.last_login),
            }
        )
        records.extend(
            {
                "type": str(_("Email address of the account")),
                "email": row.email,
                "verified": row.verified,
                "primary": row.primary,
            }
            for row in EmailAddress.objects.filter(user=user).order_by("pk")
        )
        # The kind and dates of each second factor; its secret never leaves the database.
        records.extend(
            {
                "type": str(_("Second factor")),
                "kind": row.type,
                "created_at": _iso(row.created_at),
                "last_used_at": _iso(row.last_used_at),
            }
            for row in Authenticator.objects.filter(user=user).order_by("pk")
        )
    records.extend(
        {"type": str(_("Signed-in session")), "expires_at": _iso(session.expire_date)}
        for session in _sessions_of([user.pk for user in users])
    )
    return records


def _erase(address: str) -> int:
    """Delete the sessions (signed out everywhere), then the account: its addresses, second
    factors, roles and admin profile go with it."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    user_ids = user_ids_for_address(address)
    erased = Authenticator.objects.filter(user_id__in=user_ids).count()
    for session in _sessions_of(user_ids):
        session.delete()
        erased += 1
    # Counted before the cascade takes them.
    erased += EmailAddress.objects.filter(Q(user_id__in=user_ids) | Q(email__iexact=address)).count()
    erased += len(user_ids)
    EmailAddress.objects.filter(email__iexact=address).delete()
    User.objects.filter(pk__in=user_ids).delete()
    return erased


ACCOUNTS = PersonalDataProvider(key="users", label=_("Account"), export=_export, erase=_erase, order=1000)
