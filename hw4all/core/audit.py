"""The audit log: who did what, when and from where, for every staff action.

Entries are written only by `audit_record` and never changed or deleted: the model and its
queryset refuse it, and on PostgreSQL a trigger refuses it to anyone who reaches the table
(see the migration). Wagtail's and Django admin's own logs, logins to the admins, failed logins
and role changes are fed in by the receivers below; our apps call `audit_record` in the services
and admin views of their staff actions. The address comes from the request being served, which
AuditRequestMiddleware keeps in a context variable."""

from __future__ import annotations

import contextvars
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import m2m_changed, post_save
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ratelimit import client_network

SUMMARY_MAX = 300
USER_AGENT_MAX = 300
ADDRESS_MAX = 64
# Where someone signs in to an admin: its own login pages, or the site's login on its way there.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "audit_request", default=None
)


class AuditEntryImmutable(Exception):
    """An audit entry was asked to change or disappear."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditEntryImmutable("Audit entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable("Audit entries are never deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditEntryImmutable("Audit entries are never changed.")

    def _raw_delete(self, using: Any) -> int:
        raise AuditEntryImmutable("Audit entries are never deleted.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # The account may be erased later; the email it had stays with what it did.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_email = models.CharField(_("email"), max_length=254, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    address = models.CharField(_("address"), max_length=ADDRESS_MAX, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=USER_AGENT_MAX, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        app_label = "core"
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        # The log is read, never edited: not even the admin's default permissions.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEntryImmutable("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable("Audit entries are never deleted.")

    @property
    def object_label(self) -> str:
        if not self.object_type:
            return ""
        return f"{self.object_type} #{self.object_id}" if self.object_id else self.object_type

    @property
    def detail_text(self) -> str:
        return json.dumps(self.detail, ensure_ascii=False, sort_keys=True) if self.detail else ""


def audit_request_set(request: HttpRequest | None) -> contextvars.Token:
    return _current_request.set(request)


def audit_request_reset(token: contextvars.Token) -> None:
    _current_request.reset(token)


def _user_model_label() -> str:
    return settings.AUTH_USER_MODEL.lower()


def _object_label(obj: models.Model) -> str:
    """A model instance's label; a person's account is named by its id only, never by its
    email or name, so the log carries no personal data of the people acted upon."""
    if obj._meta.label_lower == _user_model_label():
        return f"#{obj.pk}"
    return str(obj)


def audit_record(
    action: str,
    *,
    obj: models.Model | None = None,
    summary: str = "",
    user: Any = None,
    detail: dict | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """Write one entry. `user` is who acted (by default the signed-in user of the request being
    served); `obj` what it acted on; `summary` a short sentence for people, in English or the
    object's own words; `detail` extra facts, never personal data of other people."""
    request = _current_request.get()
    if user is not None and not user.is_authenticated:
        user = None
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        summary = summary or _object_label(obj)
    email = ""
    if user is not None:
        email = getattr(user, user.get_email_field_name(), "") or ""
    address = user_agent = ""
    if request is not None:
        address = client_network(request)[:ADDRESS_MAX]
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
    return AuditEntry.objects.create(
        user=user,
        user_email=email,
        action=action[:100],
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        summary=str(summary)[:SUMMARY_MAX],
        detail=detail or {},
        address=address,
        user_agent=user_agent,
    )


def is_staff(user: Any) -> bool:
    """Anyone who may enter an admin: Django's staff, superusers, or Wagtail's access_admin
    (which the Secretariat and the Steering Committee have without being is_staff)."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def _is_admin_request(request: HttpRequest | None) -> bool:
    if request is None:
        return False
    following = request.POST.get("next", "") or request.GET.get("next", "")
    return request.path.startswith(ADMIN_PREFIXES) or following.startswith(ADMIN_PREFIXES)


# Receivers. The senders are named lazily: core imports no app, and Wagtail's and Django admin's
# models are ready only once the apps are.


def _log_user(entry: Any) -> Any:
    # Wagtail's log keeps the id of an account that may since have gone.
    try:
        return entry.user
    except models.ObjectDoesNotExist:
        return None


def _wagtail_log_entry_saved(
    sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if not created or raw:
        return
    content_type = instance.content_type
    object_id = getattr(instance, "page_id", None) or getattr(instance, "object_id", "")
    audit_record(
        instance.action,
        user=_log_user(instance),
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=str(object_id or ""),
        summary=instance.label,
        detail={"log": instance._meta.label_lower, "log_id": instance.pk},
    )


DJANGO_ADMIN_ACTIONS = {1: "django_admin.add", 2: "django_admin.change", 3: "django_admin.delete"}


def _django_admin_log_entry_saved(
    sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if not created or raw:
        return
    _django_admin_log_entry_mirror(instance)


def _django_admin_log_entry_mirror(instance: Any) -> None:
    content_type = instance.content_type
    object_type = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    summary = instance.object_repr
    if object_type == _user_model_label():
        summary = f"#{instance.object_id}"
    audit_record(
        DJANGO_ADMIN_ACTIONS.get(instance.action_flag, "django_admin.other"),
        user=_log_user(instance),
        object_type=object_type,
        object_id=instance.object_id or "",
        summary=summary,
        detail={"log": "admin.logentry", "log_id": instance.pk},
    )


def admin_delete_selected(modeladmin: Any, request: HttpRequest, queryset: models.QuerySet) -> Any:
    """Django admin's "Delete selected" action, whose log reaches the audit log. Django writes the
    log entries of several deletions in one bulk insert, which sends no post_save; those are
    mirrored here. The entry of a single deletion is saved alone and arrives by the signal."""
    from django.contrib.admin.actions import delete_selected
    from django.contrib.admin.models import DELETION, LogEntry

    last = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = delete_selected(modeladmin, request, queryset)
    written = list(LogEntry.objects.filter(pk__gt=last, user_id=str(request.user.pk), action_flag=DELETION))
    if len(written) > 1:
        for entry in written:
            _django_admin_log_entry_mirror(entry)
    return response


def _logged_in(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if is_staff(user) or _is_admin_request(request):
        audit_record("auth.login", user=user, obj=user, summary="Signed in")


def _logged_out(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if is_staff(user):
        audit_record("auth.logout", user=user, obj=user, summary="Signed out")


def _login_failed(sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """A failed login to the admin, or to a staff account from anywhere. The account tried is
    named only when it is a staff account: other people's addresses stay out of the log."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    # allauth sends "email", the admins' forms "username", whatever the user model's login field.
    tried = str(credentials.get("email") or credentials.get("username") or "").strip()
    account = None
    if tried:
        lookup = {f"{user_model.USERNAME_FIELD}__iexact": tried}
        account = user_model._default_manager.filter(**lookup).first()
    if not is_staff(account):
        account = None
    to_admin = _is_admin_request(request)
    if account is None and not to_admin:
        return
    audit_record(
        "auth.login_failed",
        obj=account,
        summary="Failed login to the admin" if to_admin else "Failed login to a staff account",
    )


def _groups_changed(
    sender: type, instance: Any, action: str, reverse: bool, model: Any, pk_set: set | None, **kwargs: Any
) -> None:
    """A role given or taken away: one entry per account, naming the roles."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        names = list(instance.groups.values_list("name", flat=True)) if not reverse else [instance.name]
        accounts = [instance] if not reverse else list(instance.user_set.all())
        verb = "removed"
    elif not pk_set:
        return
    elif reverse:
        names = [instance.name]
        accounts = list(model._default_manager.filter(pk__in=pk_set))
        verb = "added" if action == "post_add" else "removed"
    else:
        names = sorted(model._default_manager.filter(pk__in=pk_set).values_list("name", flat=True))
        accounts = [instance]
        verb = "added" if action == "post_add" else "removed"
    if not names:
        return
    for account in accounts:
        audit_record(
            f"users.roles_{verb}",
            obj=account,
            summary=f"Roles {verb}: {', '.join(names)}",
            detail={"roles": names},
        )


post_save.connect(_wagtail_log_entry_saved, sender="wagtailcore.PageLogEntry", dispatch_uid="audit_page_log")
post_save.connect(
    _wagtail_log_entry_saved, sender="wagtailcore.ModelLogEntry", dispatch_uid="audit_model_log"
)
post_save.connect(
    _django_admin_log_entry_saved, sender="admin.LogEntry", dispatch_uid="audit_django_admin_log"
)
m2m_changed.connect(_groups_changed, sender=f"{settings.AUTH_USER_MODEL}_groups", dispatch_uid="audit_groups")
user_logged_in.connect(_logged_in, dispatch_uid="audit_logged_in")
user_logged_out.connect(_logged_out, dispatch_uid="audit_logged_out")
user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
