"""Polls of a space: the list, opening one (moderators), a poll with its ballot and results, the
vote (a plain form, swapped in place by htmx), and the published ballots with the receipt check.

Whoever may not see the space gets 404 on every page, as if it did not exist. Every answer is
personal (ballot, "you voted") and never cached."""

from __future__ import annotations

import csv
import itertools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.middleware import HtmxDetails

from hw4all.coalition.queries import organisation_of
from hw4all.core.pagination import paginate
from hw4all.core.ratelimit import rate_limited

from ..forms_polls import BallotForm, PollForm
from ..markdown import markdown_html
from ..models import Electorate, Poll, Space
from ..queries import polls as queries
from ..services import access
from ..services import polls as services
from .common import space_or_404

CLOSED_PER_PAGE = 20
BALLOTS_PER_PAGE = 200
CSV_CHUNK = 2000


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _poll_or_404(request: HttpRequest, pk: int) -> Poll:
    poll = get_object_or_404(Poll.objects.select_related("space"), pk=pk)
    if not access.may_view_space(request.user, poll.space):
        raise Http404
    return poll


def _space_context(request: HttpRequest, space: Space, **extra) -> dict:
    return {
        "space": space,
        "section": "polls",
        "is_moderator": access.is_moderator(request.user, space),
        **extra,
    }


def _errors_add(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


@require_safe
@never_cache
def poll_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_or_404(request, slug)
    polls = queries.polls_of_space(space)
    closed = paginate(polls.closed, request.GET.get("page"), CLOSED_PER_PAGE)
    voted = queries.polls_voted(request.user, [*polls.open, *closed.object_list])
    return render(
        request,
        "forum/polls/list.html",
        _space_context(
            request,
            space,
            open_polls=polls.open,
            upcoming_polls=polls.upcoming,
            closed_page=closed,
            voted=voted,
        ),
    )


@require_http_methods(["GET", "POST"])
@never_cache
@rate_limited("forum-writing")
def poll_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.is_moderator(request.user, space):
        return render(
            request,
            "forum/polls/forbidden.html",
            _space_context(request, space, reason=_("Only the moderators of this space open polls.")),
            status=403,
        )
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.poll_create(
                space=space,
                by=request.user,
                question=data["question"],
                description=data["description"],
                kind=data["kind"],
                max_choices=data["max_choices"],
                electorate=data["electorate"],
                is_secret=data["is_secret"],
                results_live=data["results_live"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                options=data["options"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _errors_add(form, error)
        else:
            if poll.opens_at > timezone.now():
                messages.success(request, _("The poll is ready. It opens at the time you set."))
            else:
                messages.success(request, _("The poll is open."))
            return redirect(poll)
    return render(request, "forum/polls/create.html", _space_context(request, space, form=form))


def _detail_context(
    request: HttpRequest, poll: Poll, *, form: BallotForm | None = None, receipt=None
) -> dict:
    now = timezone.now()
    user = request.user
    refusal = services.vote_refusal(poll, user, now)
    participation = None if receipt else queries.participation_of(poll, user)
    may_vote = refusal is None and receipt is None
    if may_vote and form is None:
        form = BallotForm(poll=poll)
    visible = queries.results_visible(poll, now)
    return _space_context(
        request,
        poll.space,
        poll=poll,
        options=list(poll.options.all()),
        description_html=markdown_html(poll.description) if poll.description else "",
        is_open=poll.is_open(now),
        is_upcoming=now < poll.opens_at,
        is_closed=poll.is_closed(now),
        refusal=refusal,
        form=form if may_vote else None,
        participation=participation,
        cast_by_me=participation is not None and participation.user_id == user.pk,
        receipt=receipt,
        organisation=organisation_of(user) if poll.electorate == Electorate.ORGANISATIONS else None,
        results=queries.poll_results(poll) if visible else None,
        eligible=queries.eligible_count(poll),
        results_visible=visible,
        signed_in=user.is_authenticated,
    )


@require_safe
@never_cache
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll_or_404(request, pk)
    return render(request, "forum/polls/detail.html", _detail_context(request, poll))


@require_POST
@never_cache
@rate_limited("forum-action")
def poll_vote(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    poll = _poll_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(poll.get_absolute_url())
    form = BallotForm(request.POST, poll=poll)
    template = "forum/polls/includes/vote.html" if request.htmx else "forum/polls/detail.html"
    if form.is_valid():
        try:
            receipt = services.poll_vote(poll=poll, user=request.user, choices=form.choices())
        except PermissionDenied as error:
            return _vote_refused(request, poll, str(error))
        except ValidationError as error:
            if getattr(error, "code", None) == "refused":
                return _vote_refused(request, poll, error.messages[0])
            form.add_error(form.first_field, error.messages)
        else:
            poll.refresh_from_db()
            # The receipt is shown in this answer and kept nowhere in clear: not in the session,
            # not in a redirect. Reloading would only post again and be told the vote is cast.
            return render(request, template, _detail_context(request, poll, receipt=receipt))
    return render(request, template, _detail_context(request, poll, form=form))


def _vote_refused(request: HtmxHttpRequest, poll: Poll, message: str) -> HttpResponse:
    """Already voted, closed, not a member...: the page says why in place of the ballot."""
    if request.htmx:
        poll.refresh_from_db()
        return render(request, "forum/polls/includes/vote.html", _detail_context(request, poll))
    messages.error(request, message)
    return redirect(poll)


@require_http_methods(["GET", "POST"])
@never_cache
@rate_limited("forum-action")
def poll_ballots(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _poll_or_404(request, pk)
    visible = queries.results_visible(poll)
    if visible and request.GET.get("format") == "csv":
        return _ballots_csv(poll)
    page_number = request.GET.get("page")
    checked = None
    found_hash = None
    if request.method == "POST":
        # A POST keeps the receipt out of addresses and server logs; nothing is written.
        checked = " ".join(request.POST.get("receipt", "").split())[:100]
        if checked and visible:
            wanted = services.receipt_hash(checked)
            position = queries.ballot_position(poll, wanted)
            if position is not None:
                found_hash = wanted
                page_number = str(position // BALLOTS_PER_PAGE + 1)
    page = paginate(queries.ballots_published(poll), page_number, BALLOTS_PER_PAGE) if visible else None
    rows = queries.ballot_rows(poll, page.object_list) if page else []
    return render(
        request,
        "forum/polls/ballots.html",
        _space_context(
            request,
            poll.space,
            poll=poll,
            page_obj=page,
            rows=rows,
            results_visible=visible,
            checked=checked,
            found=next((row for row in rows if row.receipt_hash == found_hash), None),
        ),
    )


def _spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet would take for a formula is kept as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _ballots_csv(poll: Poll) -> HttpResponse:
    """The whole list, for anyone who wants to count it again."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-ballots.csv"'
    writer = csv.writer(response)
    # One column per choice (in order of preference for a ranked poll), for any tool to count.
    width = poll.options.count()
    header = ["receipt_sha256", *(f"choice_{number}" for number in range(1, width + 1))]
    if not poll.is_secret:
        header += ["voter", "organisation"]
    writer.writerow(header)
    ballots = queries.ballots_published(poll).iterator(chunk_size=CSV_CHUNK)
    while batch := list(itertools.islice(ballots, CSV_CHUNK)):
        for row in queries.ballot_rows(poll, batch):
            line = [row.receipt_hash, *row.choices, *([""] * (width - len(row.choices)))]
            if not poll.is_secret:
                line += [row.voter, row.organisation]
            writer.writerow([_spreadsheet_safe(value) for value in line])
    return response
