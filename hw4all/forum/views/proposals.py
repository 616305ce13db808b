"""Proposals: a space's list, writing one with co-authors, its page with the support it gathers,
its lifecycle from draft to decision, and its versions with what changed between them.

A person who may not see the space (or a draft that is not theirs) gets 404 for everything, so not
even a title leaks. Every view checks who may act; the services check again. No cache keeps these
pages: each shows its reader their own buttons."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries import countries

from hw4all.coalition.queries import organisation_of
from hw4all.core.pagination import paginate
from hw4all.core.ratelimit import rate_limit_exceeded, rate_limited
from hw4all.practices.models import CODE_ARTICLES, code_article_label

from .. import diff
from ..forms_proposals import CoauthorForm, DecisionForm, ProposalForm
from ..markdown import markdown_html
from ..models import Addressee, Proposal, ProposalLevel, ProposalStatus, Space
from ..queries import proposals as queries
from ..services import access
from ..services import proposals as services
from . import discussions
from .common import space_or_404

SUPPORT_ID = "proposal-support"


def _signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = queries.proposal_get(pk=pk)
    if proposal is None or not services.may_view(request.user, proposal):
        raise Http404
    return proposal


def _context(request: HttpRequest, space: Space, **context) -> dict:
    if "is_moderator" not in context:
        context["is_moderator"] = access.is_moderator(request.user, space)
    return {"space": space, "section": "proposals"} | context


def _forbidden(request: HttpRequest, space: Space, reason: str) -> HttpResponse:
    return render(
        request, "forum/proposals/forbidden.html", _context(request, space, reason=reason), status=403
    )


def _limited(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    return rate_limit_exceeded(
        scope=f"forum-proposal-{scope}", key=str(request.user.pk), limit=limit, window_seconds=window_seconds
    )


def _errors_add(form, error: ValidationError) -> None:
    """The services' errors beside their fields; others at the form's top."""
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


# The list


@require_safe
@never_cache
def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_or_404(request, slug)
    filters = queries.ProposalFilters.from_query(request.GET)
    page = paginate(
        queries.proposals_listed(space=space, user=request.user, filters=filters),
        request.GET.get("page"),
        queries.PER_PAGE,
    )
    proposals = list(page.object_list)
    names = queries.author_names(proposals)
    is_moderator = access.is_moderator(request.user, space)
    rows = [
        {
            "proposal": proposal,
            "hidden": proposal.is_hidden and not is_moderator,
            "authors": names[proposal.pk],
        }
        for proposal in proposals
    ]
    return render(
        request,
        "forum/proposals/list.html",
        _context(
            request,
            space,
            is_moderator=is_moderator,
            page_obj=page,
            rows=rows,
            filters=filters,
            statuses=ProposalStatus.choices,
            levels=ProposalLevel.choices,
            addressees=Addressee.choices,
            articles=[(number, code_article_label(number)) for number in CODE_ARTICLES],
            countries=list(countries),
            may_participate=access.may_participate(request.user, space),
        ),
    )


# Writing


def _find_resources(request: HttpRequest) -> list[tuple[int, str]]:
    return queries.resources_matching(request.POST.get("resource_query", "")[:200])


def _form_page(
    request: HttpRequest,
    space: Space,
    form: ProposalForm,
    *,
    proposal: Proposal | None = None,
    conflict: list | None = None,
    searched: bool = False,
) -> HttpResponse:
    # After a conflict the next save starts from what is saved now: the author saw the differences.
    edit_number = proposal.edit_number if proposal is not None else 0
    if proposal is not None and conflict is None and form.is_bound:
        posted = _number(form.data.get("edit_number"))
        edit_number = posted if posted is not None else edit_number
    return render(
        request,
        "forum/proposals/form.html",
        _context(
            request,
            space,
            form=form,
            proposal=proposal,
            edit_number=edit_number,
            conflict=conflict,
            searched=searched,
        ),
        status=409 if conflict is not None else 200,
    )


@require_http_methods(["GET", "POST"])
@never_cache
@_signed_in
@rate_limited("forum-writing")
def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_or_404(request, slug)
    if not access.may_participate(request.user, space):
        return _forbidden(request, space, _not_participant_reason(request.user, space))
    if request.method == "GET":
        return _form_page(request, space, ProposalForm())
    searched = "find_resources" in request.POST
    form = ProposalForm(request.POST, found_resources=_find_resources(request) if searched else [])
    if searched:
        return _form_page(request, space, form.unchecked(), searched=True)
    if form.is_valid():
        if _limited(request, "create", limit=10, window_seconds=3600):
            form.add_error(
                None, _("You have started many proposals in a short time. Wait an hour, then save again.")
            )
        else:
            try:
                proposal = services.proposal_create(
                    space=space, user=request.user, fields=form.proposal_fields()
                )
            except ValidationError as error:
                _errors_add(form, error)
            else:
                messages.success(
                    request,
                    _("Your draft is saved. Only its authors see it until you open it for comments."),
                )
                return redirect(proposal)
    return _form_page(request, space, form)


def _not_participant_reason(user, space: Space) -> str:
    if access.is_suspended(user, space):
        return _("You are suspended in this space: you can read it, but not write, support or vote.")
    return _("Only members of this space can write and support proposals. Join the space first.")


@require_http_methods(["GET", "POST"])
@never_cache
@_signed_in
@rate_limited("forum-writing")
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    space = proposal.space
    if proposal.is_closed:
        messages.error(request, _("This proposal is closed: it can no longer be changed."))
        return redirect(proposal)
    if not services.may_edit(request.user, proposal):
        if services.is_author(proposal, request.user):
            return _forbidden(request, space, _not_participant_reason(request.user, space))
        return _forbidden(request, space, _("Only the authors of this proposal can change it."))
    if request.method == "GET":
        return _form_page(
            request, space, ProposalForm(initial=ProposalForm.initial_for(proposal)), proposal=proposal
        )
    searched = "find_resources" in request.POST
    form = ProposalForm(request.POST, found_resources=_find_resources(request) if searched else [])
    if searched:
        return _form_page(request, space, form.unchecked(), proposal=proposal, searched=True)
    if not form.is_valid():
        return _form_page(request, space, form, proposal=proposal)
    edit_number = form.cleaned_data["edit_number"]
    try:
        if edit_number is None:
            raise services.EditConflict(
                _(
                    "This page did not say which saved version it started from, so your changes were not "
                    "saved. Your text is still in the form: compare it with the saved version, then save again."
                )
            )
        services.proposal_edit(
            proposal=proposal, user=request.user, edit_number=edit_number, fields=form.proposal_fields()
        )
    except services.EditConflict as conflict:
        form.add_error(None, str(conflict))
        proposal.refresh_from_db()
        typed = dict(services.proposal_content(proposal)) | {
            name: form.cleaned_data.get(name) for name in ("title", "problem", "proposed", "addressee_detail")
        }
        typed |= {
            "addressees": form.cleaned_data.get("addressees") or [],
            "level": form.cleaned_data.get("level"),
            "countries": form.cleaned_data.get("countries") or [],
            "code_articles": form.cleaned_data.get("code_articles") or [],
        }
        changes = diff.version_diff(services.proposal_content(proposal), typed)
        return _form_page(request, space, form, proposal=proposal, conflict=changes)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(proposal)
    except ValidationError as error:
        _errors_add(form, error)
        return _form_page(request, space, form, proposal=proposal)
    messages.success(request, _("The proposal is saved."))
    return redirect(proposal)


@require_http_methods(["GET", "POST"])
@never_cache
@_signed_in
@rate_limited("forum-action")
def proposal_authors(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    space = proposal.space
    if not services.is_author(proposal, request.user):
        return _forbidden(request, space, _("Only the authors of this proposal can change who writes it."))
    form = CoauthorForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "remove":
                return _author_remove(request, proposal)
            form = CoauthorForm(request.POST)
            if form.is_valid():
                if _limited(request, "authors", limit=30, window_seconds=3600):
                    raise ValidationError(_("You have added many co-authors in a short time. Wait an hour."))
                link = services.proposal_author_add(
                    proposal=proposal, by=request.user, identifier=form.cleaned_data["identifier"]
                )
                name = access.participant_for(link.user).display_name
                messages.success(request, _("%(name)s is now a co-author.") % {"name": name})
                return redirect("forum:proposal_authors", pk=proposal.pk)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _errors_add(form, error)
    return render(
        request,
        "forum/proposals/authors.html",
        _context(
            request,
            space,
            proposal=proposal,
            authors=queries.authors_of(proposal),
            form=form,
            may_edit=services.may_edit(request.user, proposal),
        ),
    )


def _author_remove(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    value = request.POST.get("user", "")
    authors = {entry["user"].pk: entry for entry in queries.authors_of(proposal)}
    entry = authors.get(int(value)) if value.isdigit() and len(value) < 10 else None
    if entry is None:
        messages.error(request, _("This person is not an author of the proposal."))
        return redirect("forum:proposal_authors", pk=proposal.pk)
    try:
        services.proposal_author_remove(proposal=proposal, by=request.user, user=entry["user"])
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("forum:proposal_authors", pk=proposal.pk)
    if entry["user"] == request.user:
        messages.success(request, _("You are no longer an author of this proposal."))
        if services.may_view(request.user, proposal):
            return redirect(proposal)
        return redirect("forum:proposal_list", slug=proposal.space.slug)
    messages.success(request, _("%(name)s is no longer an author.") % {"name": entry["name"]})
    return redirect("forum:proposal_authors", pk=proposal.pk)


# Lifecycle


STATUS_ACTIONS = {
    "open": (
        services.proposal_open,
        _("The proposal is open for comments: the space can read, discuss and support it."),
    ),
    "consider": (services.proposal_consider, _("The proposal is now under consideration.")),
    "withdraw": (services.proposal_withdraw, _("The proposal is withdrawn.")),
}


@require_POST
@never_cache
@_signed_in
@rate_limited("forum-action")
def proposal_status(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose what to do with the proposal."))
        return redirect(proposal)
    change, done = action
    try:
        change(proposal=proposal, user=request.user)
    except PermissionDenied as error:
        return _forbidden(request, proposal.space, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(proposal)
    messages.success(request, str(done))
    return redirect(proposal)


@require_http_methods(["GET", "POST"])
@never_cache
@_signed_in
@rate_limited("forum-action")
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    space = proposal.space
    if not services.may_decide(request.user, proposal):
        return _forbidden(
            request, space, _("Only the Steering Committee and the Secretariat decide on proposals.")
        )
    if proposal.status not in services.SUPPORTABLE:
        messages.error(request, _("Only a proposal open for comments or under consideration can be decided."))
        return redirect(proposal)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_decide(
                proposal=proposal,
                user=request.user,
                status=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
            )
        except PermissionDenied as error:
            return _forbidden(request, space, str(error))
        except ValidationError as error:
            _errors_add(form, error)
        else:
            messages.success(request, _("The decision is recorded; the authors are told."))
            return redirect(proposal)
    return render(
        request, "forum/proposals/decide.html", _context(request, space, proposal=proposal, form=form)
    )


# The page


def _support_context(request: HttpRequest, proposal: Proposal) -> dict:
    user = request.user
    organisation = organisation_of(user) if user.is_authenticated else None
    return {
        "proposal": proposal,
        "support_id": SUPPORT_ID,
        "may_support": services.may_support(user, proposal),
        "supports": queries.supports_of(proposal, user, organisation),
        "organisation": organisation,
        "organisations": queries.supporting_organisations(proposal),
    }


@require_safe
@never_cache
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    space = proposal.space
    user = request.user
    context = _context(request, space, proposal=proposal)
    if proposal.is_hidden and not context["is_moderator"]:
        return render(request, "forum/proposals/hidden.html", context)
    addressees = dict(Addressee.choices)
    names = dict(countries)
    is_author = services.is_author(proposal, user)
    context |= {
        "problem_html": markdown_html(proposal.problem),
        "proposed_html": markdown_html(proposal.proposed),
        "addressees": [addressees[value] for value in proposal.addressees if value in addressees],
        "country_names": [names.get(str(code), str(code)) for code in proposal.countries],
        "articles": [
            code_article_label(number) for number in proposal.code_articles if number in CODE_ARTICLES
        ],
        "case_studies": queries.linked_case_studies(proposal),
        "resources": queries.linked_resources(proposal),
        "authors": queries.authors_of(proposal),
        "history": queries.status_history(proposal),
        "decided_by": access.display_names([proposal.decided_by_id]).get(proposal.decided_by_id, "")
        if proposal.decided_by_id
        else "",
        "is_author": is_author,
        "may_edit": services.may_edit(user, proposal),
        "may_open": proposal.status == ProposalStatus.DRAFT and services.may_edit(user, proposal),
        "may_withdraw": services.may_edit(user, proposal),
        "may_consider": proposal.status == ProposalStatus.OPEN and services.may_consider(user, proposal),
        "may_decide": proposal.status in services.SUPPORTABLE and services.may_decide(user, proposal),
        "comments": discussions.comments_block(request, proposal=proposal) if proposal.opened_at else "",
    } | _support_context(request, proposal)
    return render(request, "forum/proposals/detail.html", context)


@require_POST
@never_cache
@_signed_in
@rate_limited("forum-action")
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    """Support or withdraw it, personally or for one's organisation; in place with htmx."""
    proposal = _proposal(request, pk)
    on_behalf = request.POST.get("on_behalf") == "organisation"
    withdraw = request.POST.get("action") == "withdraw"
    error = None
    if _limited(request, "support", limit=60, window_seconds=600):
        error = _("You have changed your support many times in a short time. Wait a few minutes.")
    else:
        try:
            if withdraw:
                services.proposal_support_withdraw(
                    proposal=proposal, user=request.user, on_behalf_of_organisation=on_behalf
                )
            else:
                services.proposal_support(
                    proposal=proposal, user=request.user, on_behalf_of_organisation=on_behalf
                )
        except PermissionDenied as denied:
            error = str(denied)
    proposal.refresh_from_db()
    if withdraw:
        done = (
            _("Your organisation’s support is withdrawn.") if on_behalf else _("Your support is withdrawn.")
        )
    else:
        done = (
            _("Your organisation supports this proposal.") if on_behalf else _("You support this proposal.")
        )
    if request.htmx:
        context = _support_context(request, proposal) | {"announcement": error or done, "error": bool(error)}
        return render(request, "forum/proposals/support.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(f"{proposal.get_absolute_url()}#{SUPPORT_ID}")


# Versions


@require_safe
@never_cache
def proposal_versions(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    context = _context(request, proposal.space, proposal=proposal)
    if proposal.is_hidden and not context["is_moderator"]:
        return render(request, "forum/proposals/hidden.html", context)
    versions = queries.versions_of(proposal)
    names = access.display_names([version.created_by_id for version in versions if version.created_by_id])
    rows = [{"version": version, "name": names.get(version.created_by_id or 0, "")} for version in versions]
    return render(request, "forum/proposals/versions.html", context | {"rows": rows})


def _number(value: str | None) -> int | None:
    value = value or ""
    return int(value) if value.isdigit() and len(value) < 10 else None


@require_safe
@never_cache
def proposal_diff(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    context = _context(request, proposal.space, proposal=proposal)
    if proposal.is_hidden and not context["is_moderator"]:
        return render(request, "forum/proposals/hidden.html", context)
    versions = {version.number: version for version in queries.versions_of(proposal)}
    if not versions:
        raise Http404
    newest = max(versions)
    to_number = _number(request.GET.get("to")) or newest
    from_number = _number(request.GET.get("from")) or max(to_number - 1, 1)
    old, new = versions.get(from_number), versions.get(to_number)
    if old is None or new is None:
        raise Http404
    return render(
        request,
        "forum/proposals/diff.html",
        context
        | {
            "old": old,
            "new": new,
            "numbers": sorted(versions),
            "changes": diff.version_diff(old.content, new.content),
        },
    )
