"""The forum's home, a space's overview, joining and leaving, invitations, the members page with
the moderators' decisions about people, and the space's activity.

A person who may not see a space gets 404 for everything in it, so not even its name leaks. Views
check who may act; the services check again. Every page works as plain forms without JavaScript
and is never cached (each reader sees their own buttons)."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hw4all.core.pagination import paginate
from hw4all.core.ratelimit import rate_limit_exceeded, rate_limited

from ..forms_spaces import InviteForm, JoinRequestForm, ReasonForm, SuspendForm
from ..models import MembershipStatus, Space, SpaceMembership
from ..queries import spaces as queries
from ..services import access
from ..services import spaces as services
from .common import space_or_404

# Moderators' decisions about a person that need a reason typed on a page of their own.
ACTIONS_WITH_FORM = {"suspend", "expel", "refuse"}
ACTIONS = {"approve", "refuse", "suspend", "unsuspend", "appoint", "remove", "expel"}
# Asking to join closed spaces by their short name: enough for people, too few to guess names.
JOIN_REQUESTS_PER_HOUR = 10


def _space_context(request: HttpRequest, space: Space, section: str, **extra) -> dict:
    return {
        "space": space,
        "section": section,
        "is_moderator": access.is_moderator(request.user, space),
        "membership": access.membership_of(request.user, space),
        **extra,
    }


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# Search belongs to the notifications and search part; these hand the request on.


def search(request: HttpRequest, **kwargs) -> HttpResponse:
    from . import search as search_views

    return search_views.search(request)


def space_search(request: HttpRequest, slug: str) -> HttpResponse:
    from . import search as search_views

    return search_views.space_search(request, slug=slug)


# The forum's home.


@require_safe
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    memberships = queries.memberships_of(user)
    groups = queries.home_groups(user)
    for group in groups:
        for listed in group.spaces:
            listed.my_status = memberships[listed.pk].status if listed.pk in memberships else ""
    mine = [
        space
        for group in groups
        for space in group.spaces
        if space.pk in memberships and memberships[space.pk].status == MembershipStatus.ACTIVE
    ]
    invited = sum(1 for m in memberships.values() if m.status == MembershipStatus.INVITED)
    return render(
        request,
        "forum/spaces/index.html",
        {
            "groups": groups,
            "mine": sorted(mine, key=lambda space: space.name.casefold()),
            "invitation_count": invited,
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@rate_limited("forum-action")
def invitations(request: HttpRequest) -> HttpResponse:
    """The person's invitations (accept or decline), their requests to join (withdraw), and a form
    to ask to join a closed space by its short name."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = JoinRequestForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "ask":
            form = JoinRequestForm(request.POST)
            if form.is_valid():
                _join_request(request, form)
                return redirect("forum:invitations")
        else:
            membership = get_object_or_404(
                SpaceMembership.objects.select_related("space"),
                user=request.user,
                space_id=request.POST.get("space") if request.POST.get("space", "").isdigit() else None,
            )
            _invitation_decide(request, membership, action)
            if action == "accept" and access.is_member(request.user, membership.space):
                return redirect("forum:space", slug=membership.space.slug)
            return redirect("forum:invitations")
    return render(
        request,
        "forum/spaces/invitations.html",
        {
            "invitations": queries.invitations_of(request.user),
            "requests": queries.requests_of(request.user),
            "form": form,
        },
    )


def _invitation_decide(request: HttpRequest, membership: SpaceMembership, action: str) -> None:
    space = membership.space
    try:
        if action == "accept":
            services.invitation_accept(space=space, user=request.user)
            messages.success(request, _("Welcome to %(space)s.") % {"space": space.name})
        elif action == "decline":
            services.invitation_decline(space=space, user=request.user)
            messages.success(request, _("You declined the invitation to %(space)s.") % {"space": space.name})
        elif action == "withdraw" and membership.status == MembershipStatus.REQUESTED:
            services.space_leave(space=space, user=request.user)
            messages.success(
                request, _("You withdrew your request to join %(space)s.") % {"space": space.name}
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _error_text(error))


def _join_request(request: HttpRequest, form: JoinRequestForm) -> None:
    """The same answer whether or not a closed space has that name, so nobody learns which
    closed spaces exist by asking."""
    if rate_limit_exceeded(
        scope="forum-join-request",
        key=str(request.user.pk),
        limit=JOIN_REQUESTS_PER_HOUR,
        window_seconds=3600,
    ):
        messages.error(request, _("Too many requests in a short time. Please try again in an hour."))
        return
    space = Space.objects.filter(slug=form.cleaned_data["slug"]).first()
    if space is not None and space.is_open:
        # Open spaces are listed on the forum's home: joining there is immediate.
        messages.info(request, _("This space is open: join it from its page."))
        return
    if space is not None and access.membership_of(request.user, space) is None:
        # A request already made (a double click) is answered the same.
        with contextlib.suppress(ValidationError):
            services.space_join(space=space, user=request.user, message=form.cleaned_data["message"])
    messages.success(
        request,
        _("If a closed space has this short name, its moderators will see your request and decide on it."),
    )


# A space.


@require_safe
@never_cache
def space(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_or_404(request, slug)
    context = _space_context(request, space, "overview")
    context.update(queries.overview(space, request.user, is_moderator=context["is_moderator"]))
    context["moderators"] = queries.moderator_names(space)
    context["member_count"] = queries.member_count(space)
    return render(request, "forum/spaces/space.html", context)


@require_POST
@rate_limited("forum-action")
def space_join(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    space = space_or_404(request, slug)
    try:
        membership = services.space_join(
            space=space, user=request.user, message=request.POST.get("message", "")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if membership.status == MembershipStatus.ACTIVE:
            messages.success(request, _("You are a member of %(space)s.") % {"space": space.name})
        else:
            messages.success(request, _("You asked to join; the moderators will decide."))
    return redirect("forum:space", slug=space.slug)


@require_POST
@rate_limited("forum-action")
def space_leave(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    space = space_or_404(request, slug)
    try:
        services.space_leave(space=space, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("forum:space", slug=space.slug)
    messages.success(request, _("You left %(space)s.") % {"space": space.name})
    if not access.may_view_space(request.user, space):
        return redirect("forum:index")
    return redirect("forum:space", slug=space.slug)


@require_safe
@never_cache
def space_activity(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_or_404(request, slug)
    context = _space_context(request, space, "activity")
    context["page"] = queries.activity_page(
        space,
        before=request.GET.get("before"),
        after=request.GET.get("after"),
        is_moderator=context["is_moderator"],
    )
    return render(request, "forum/spaces/activity.html", context)


# Members.


@require_http_methods(["GET", "POST"])
@never_cache
@rate_limited("forum-action")
def space_members(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_or_404(request, slug)
    context = _space_context(request, space, "members")
    is_moderator = context["is_moderator"]
    invite_form = InviteForm()
    if request.method == "POST":
        if not is_moderator:
            raise PermissionDenied
        invite_form = InviteForm(request.POST)
        if invite_form.is_valid():
            try:
                invitee = services.invitee_find(invite_form.cleaned_data["who"])
                services.member_invite(
                    space=space, invitee=invitee, by=request.user, message=invite_form.cleaned_data["message"]
                )
            except ValidationError as error:
                # An error about "who" lands on that field, others above the form.
                invite_form.add_error(None, error)
            else:
                messages.success(request, _("The invitation is sent."))
                return redirect("forum:space_members", slug=space.slug)
    page = paginate(queries.members(space), request.GET.get("page"), per_page=queries.MEMBERS_PER_PAGE)
    context.update(
        {
            "page_obj": page,
            "members": queries.members_named(page.object_list),
            "member_count": page.paginator.count,
            "invite_form": invite_form,
        }
    )
    if is_moderator:
        context["requests"] = queries.pending(space, MembershipStatus.REQUESTED)
        context["invited"] = queries.pending(space, MembershipStatus.INVITED)
    return render(request, "forum/spaces/members.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@rate_limited("forum-action")
def member_action(request: HttpRequest, slug: str, user_id: int, action: str) -> HttpResponse:
    """approve, refuse, suspend, unsuspend, appoint, remove (as moderator) or expel a person. The
    actions that need a reason (and a date) have a page of their own; the others are buttons."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    space = space_or_404(request, slug)
    if action not in ACTIONS:
        raise Http404
    if not access.is_moderator(request.user, space):
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    membership = get_object_or_404(SpaceMembership, space=space, user=person)
    form = None
    if action == "suspend":
        form = SuspendForm(request.POST or None)
    elif action in ACTIONS_WITH_FORM:
        form = ReasonForm(request.POST or None, required=action != "refuse")
    if request.method == "POST" and (form is None or form.is_valid()):
        reason = form.cleaned_data["reason"] if form is not None else request.POST.get("reason", "")
        try:
            _member_decide(request, space, person, action, reason, form)
        except (ValidationError, PermissionDenied) as error:
            text = _error_text(error) if isinstance(error, ValidationError) else str(error)
            if form is None:
                messages.error(request, text)
                return redirect("forum:space_members", slug=space.slug)
            form.add_error(None, text)
        else:
            return redirect("forum:space_members", slug=space.slug)
    if form is None:
        raise Http404  # the button actions are POST only
    context = _space_context(request, space, "members")
    context.update(
        {
            "form": form,
            "action": action,
            "person": membership,
            "person_name": access.display_names([person.pk]).get(person.pk, ""),
        }
    )
    return render(request, "forum/spaces/member_action.html", context)


def _member_decide(request, space, person, action, reason, form) -> None:
    by = request.user
    name = access.display_names([person.pk]).get(person.pk, "")
    if action in ("approve", "refuse"):
        services.membership_request_decide(
            space=space, user=person, approve=action == "approve", by=by, reason=reason
        )
        text = (
            _("%(name)s is a member now.")
            if action == "approve"
            else _("The request of %(name)s is refused.")
        )
    elif action == "suspend":
        services.member_suspend(space=space, user=person, until=form.until_moment(), reason=reason, by=by)
        text = _("%(name)s is suspended.")
    elif action == "unsuspend":
        services.member_unsuspend(space=space, user=person, by=by, reason=reason)
        text = _("The suspension of %(name)s is lifted.")
    elif action == "appoint":
        services.moderator_appoint(space=space, user=person, by=by, reason=reason)
        text = _("%(name)s is a moderator now.")
    elif action == "remove":
        services.moderator_remove(space=space, user=person, by=by, reason=reason)
        text = _("%(name)s is no longer a moderator.")
    else:
        services.member_expel(space=space, user=person, by=by, reason=reason)
        text = _("%(name)s is no longer a member.")
    messages.success(request, text % {"name": name})
