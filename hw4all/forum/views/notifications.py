"""Following spaces, proposals and threads; the notifications page; how often email comes and
the one-click unsubscribe every email links to."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from hw4all.core.pagination import paginate
from hw4all.core.ratelimit import rate_limit_exceeded, rate_limited

from ..models import Participant, Proposal, Space, Thread
from ..queries import notifications as queries
from ..services import access, follows
from ..templatetags.forum_follow import follow_button_context

TARGETS = {
    "space": Space.objects.all(),
    "proposal": Proposal.objects.select_related("space"),
    "thread": Thread.objects.select_related("space"),
}
NOTIFICATIONS_PER_PAGE = 30
# Following is cheap to undo, but a script toggling it would fill the table.
FOLLOW_LIMIT, FOLLOW_WINDOW = 120, 600


def _next_url(request: HttpRequest) -> str | None:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return None


@require_POST
@login_required
@never_cache
@rate_limited("forum-action")
def follow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in TARGETS:
        raise Http404
    target = get_object_or_404(TARGETS[kind], pk=pk)
    # Nothing a person may not see exists for them, even to follow; what they followed before it
    # was hidden they may still stop following.
    if not access.may_view_space(request.user, follows.target_space(target)):
        raise Http404
    allowed = follows.may_follow(request.user, target)
    if not allowed and not follows.is_following(request.user, target):
        raise Http404
    if rate_limit_exceeded(
        scope="forum-follow", key=str(request.user.pk), limit=FOLLOW_LIMIT, window_seconds=FOLLOW_WINDOW
    ):
        message = _("You changed what you follow too often. Wait a few minutes and try again.")
        if request.htmx:
            return HttpResponse(message, status=429)
        messages.error(request, message)
        return redirect(_next_url(request) or target.get_absolute_url())
    wanted = request.POST.get("following")
    if not allowed:
        following = follows.follow_set(user=request.user, target=target, following=False)
    elif wanted in ("0", "1"):
        following = follows.follow_set(user=request.user, target=target, following=wanted == "1")
    else:
        following = follows.follow_toggle(user=request.user, target=target)
    status = _follow_status(kind, following)
    if request.htmx:
        context = follow_button_context(
            request, target, following=following, next_url=_next_url(request) or ""
        )
        context["status"] = status
        return render(request, "forum/notifications/follow_form.html", context)
    messages.success(request, status)
    return redirect(_next_url(request) or target.get_absolute_url())


def _follow_status(kind: str, following: bool) -> str:
    if following:
        return {
            "space": _("You follow this space: you will be told of what happens in it."),
            "proposal": _("You follow this proposal: you will be told of its changes and comments."),
            "thread": _("You follow this discussion: you will be told of new comments."),
        }[kind]
    return {
        "space": _("You no longer follow this space."),
        "proposal": _("You no longer follow this proposal."),
        "thread": _("You no longer follow this discussion."),
    }[kind]


@require_http_methods(["GET", "HEAD"])
@login_required
@never_cache
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        queries.notifications_for_page(request.user), request.GET.get("page"), NOTIFICATIONS_PER_PAGE
    )
    return render(
        request,
        "forum/notifications/list.html",
        {
            "page_obj": page,
            "items": queries.notification_items(page.object_list),
            "unread": queries.unread_count(request.user),
        },
    )


@require_POST
@login_required
@never_cache
@rate_limited("forum-action")
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = follows.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("forum:notifications")


class NotificationSettingsForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=gettext_lazy("Email about your notifications"),
        choices=Participant.EmailFrequency.choices,
        widget=forms.RadioSelect,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
@rate_limited("forum-action")
def notification_settings(request: HttpRequest) -> HttpResponse:
    participant = access.participant_for(request.user)
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            follows.email_frequency_set(user=request.user, frequency=form.cleaned_data["email_frequency"])
            messages.success(request, _("Your email settings are saved."))
            return redirect("forum:notification_settings")
    else:
        form = NotificationSettingsForm(initial={"email_frequency": participant.email_frequency})
    return render(
        request,
        "forum/notifications/settings.html",
        {"form": form, "follows": queries.follows_of(request.user), "participant": participant},
    )


# Mail clients post the one-click unsubscribe (RFC 8058) without a session or a CSRF token; the
# secret token in the address is what authorises it, and all it can do is stop email.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("unsubscribe")
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    participant = follows.participant_by_token(token)
    if participant is None:
        raise Http404
    if request.method == "POST":
        follows.unsubscribe(token=token)
        response = render(request, "forum/notifications/unsubscribed.html", {"participant": participant})
    else:
        # Mail scanners open links: the page asks for the click that unsubscribes.
        response = render(
            request,
            "forum/notifications/unsubscribe.html",
            {"participant": participant, "action": reverse("forum:unsubscribe", kwargs={"token": token})},
        )
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response
