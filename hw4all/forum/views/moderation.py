"""Reporting content to a space's moderators, their page of open reports and the moderation log,
and their actions (hide, restore, lock, unlock, dismiss), each with a reason.

Whoever may not see the item gets 404, so a report address never confirms that something in a
closed space exists; signing in is asked before anything is looked up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from hw4all.core.pagination import paginate
from hw4all.core.ratelimit import rate_limit_exceeded, rate_limited

from ..forms_spaces import ReasonForm, ReportForm
from ..models import ModerationKind
from ..queries import spaces as queries
from ..services import access
from ..services import moderation as services
from .common import space_or_404
from .spaces import _space_context

REPORTS_PER_HOUR = 20
LOG_PER_PAGE = 50
ACTION_TITLES = {
    ModerationKind.HIDE: gettext_lazy("Hide"),
    ModerationKind.RESTORE: gettext_lazy("Restore"),
    ModerationKind.LOCK: gettext_lazy("Lock the discussion"),
    ModerationKind.UNLOCK: gettext_lazy("Unlock the discussion"),
    ModerationKind.DISMISS: gettext_lazy("Dismiss the reports"),
}


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _target(request: HttpRequest, kind: str, pk: int):
    target, space = services.target_get(kind, pk)
    if not services.may_see(request.user, target, space):
        raise Http404
    return target, space


@require_safe
@never_cache
def space_moderation(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    space = space_or_404(request, slug)
    context = _space_context(request, space, "moderation")
    if not context["is_moderator"]:
        raise PermissionDenied
    page = paginate(queries.moderation_log(space), request.GET.get("page"), per_page=LOG_PER_PAGE)
    context.update(
        {
            "reported": queries.open_reports(space),
            "page_obj": page,
            "log": queries.log_lines(page.object_list),
        }
    )
    return render(request, "forum/moderation/space.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@rate_limited("forum-action")
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target, space = _target(request, kind, pk)
    back = _next_url(request, target.get_absolute_url())
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limit_exceeded(
            scope="forum-report", key=str(request.user.pk), limit=REPORTS_PER_HOUR, window_seconds=3600
        ):
            form.add_error(
                None, _("You have sent many reports in a short time. Please try again in an hour.")
            )
        else:
            try:
                services.report_create(
                    reporter=request.user, target=target, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you. The moderators will look at it."))
                return redirect(back)
    context = _space_context(request, space, "")
    context.update(
        {"form": form, "target": target, "kind": kind, "summary": services.summary_of(target), "next": back}
    )
    return render(request, "forum/moderation/report.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@rate_limited("forum-action")
def moderate(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """A page with the reason to give (GET), then the action (POST)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target, space = services.target_get(kind, pk)
    if not access.may_view_space(request.user, space) or action not in services.ACTIONS:
        raise Http404
    if kind not in services.ACTIONS[action]:
        raise Http404
    if not access.is_moderator(request.user, space):
        raise PermissionDenied
    back = _next_url(request, target.get_absolute_url())
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderate(
                by=request.user, target=target, action=action, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Done: it is written in the moderation log."))
            return redirect(back)
    context = _space_context(request, space, "moderation")
    context.update(
        {
            "form": form,
            "target": target,
            "kind": kind,
            "action": action,
            "title": ACTION_TITLES[action],
            "summary": services.summary_of(target),
            "next": back,
        }
    )
    return render(request, "forum/moderation/moderate.html", context)
