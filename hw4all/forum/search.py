"""Search of the collaboration space: proposals (title, problem, what is proposed), discussion
titles and comments, in the spaces a person may see. Each word or "quoted phrase" must appear
(case-insensitive substring) in one of a result's fields; results are ranked by where the words
appear (titles first) and then by date. Only what the person may see is searched: never hidden
content (but for the space's moderators), drafts (but for their authors) or deleted comments.
See docs/decisions/0007-forum-search.md."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hw4all.core.pagination import paginate
from hw4all.library.search import Term, query_terms

from .markdown import markdown_html
from .models import Comment, Proposal, ProposalAuthor, Space, Thread
from .queries.notifications import moderated_space_ids
from .services import access

PER_PAGE = 20
MAX_QUERY_LENGTH = 200
# Characters of context each side of the first match in an extract.
EXTRACT_CONTEXT = 110
# Weight of a term found in each field; the score is their sum over the terms.
PROPOSAL_FIELDS = {"title": 8, "problem": 2, "proposed": 2}
THREAD_FIELDS = {"title": 8}
COMMENT_FIELDS = {"body": 1}


def _term_text(term: Term) -> str:
    return " ".join(term.words)


def _matching(terms: Sequence[Term], fields: dict[str, int]) -> Q:
    """Every term in at least one field."""
    condition = Q()
    for term in terms:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": _term_text(term)})
        condition &= any_field
    return condition


def _score(terms: Sequence[Term], fields: dict[str, int]):
    total = Value(0, output_field=IntegerField())
    for term in terms:
        for field, weight in fields.items():
            total = total + Case(
                When(**{f"{field}__icontains": _term_text(term)}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
    return total


def _rows(
    queryset: QuerySet, kind: str, terms: Sequence[Term], fields: dict[str, int], when: str
) -> QuerySet:
    # The same annotations in the same order for each kind: the three are one UNION.
    return (
        queryset.filter(_matching(terms, fields))
        .annotate(
            result_kind=Value(kind, output_field=CharField()),
            result_id=F("pk"),
            score=_score(terms, fields),
            when=F(when),
        )
        .values("result_kind", "result_id", "score", "when")
        .order_by()
    )


def _visible_querysets(user, spaces: QuerySet[Space]) -> tuple[QuerySet, QuerySet, QuerySet]:
    moderated = moderated_space_ids(user)
    # Never opened for comments (a draft, or a draft withdrawn before opening): its authors' only.
    draft_unseen = Q(opened_at__isnull=True)
    comment_draft_unseen = Q(proposal__isnull=False, proposal__opened_at__isnull=True)
    if user.is_authenticated:
        written = ProposalAuthor.objects.filter(user=user).values("proposal_id")
        draft_unseen &= ~Q(pk__in=written)
        comment_draft_unseen &= ~Q(proposal_id__in=written)

    proposals = Proposal.objects.filter(space__in=spaces).exclude(draft_unseen)
    threads = Thread.objects.filter(space__in=spaces)
    comments = (
        Comment.objects.filter(Q(thread__space__in=spaces) | Q(proposal__space__in=spaces))
        .filter(is_deleted=False)
        .exclude(comment_draft_unseen)
    )
    if moderated is not None:
        proposals = proposals.exclude(Q(is_hidden=True) & ~Q(space_id__in=moderated))
        threads = threads.exclude(Q(is_hidden=True) & ~Q(space_id__in=moderated))
        comment_hidden = Q(is_hidden=True) | Q(thread__is_hidden=True) | Q(proposal__is_hidden=True)
        comment_moderated = Q(thread__space_id__in=moderated) | Q(proposal__space_id__in=moderated)
        comments = comments.exclude(comment_hidden & ~comment_moderated)
    return proposals, threads, comments


@dataclass
class Result:
    kind: str
    kind_label: str
    title: SafeString
    url: str
    space: Space
    extract: SafeString
    when: object


@dataclass
class SearchResult:
    query: str
    terms: list[Term]
    page: Page | None
    results: list[Result]

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page is not None else 0


def search(*, user, query: str, space: Space | None = None, page_number: str | None = None) -> SearchResult:
    """One page of results for `query`, in `space` or in every space `user` may see."""
    query = (query or "")[:MAX_QUERY_LENGTH]
    terms = query_terms(query)
    if not terms:
        return SearchResult(query=query, terms=[], page=None, results=[])
    spaces = access.spaces_visible(user)
    if space is not None:
        spaces = spaces.filter(pk=space.pk)
    proposals, threads, comments = _visible_querysets(user, spaces)
    ranked = (
        _rows(proposals, "proposal", terms, PROPOSAL_FIELDS, "created_at")
        .union(
            _rows(threads, "thread", terms, THREAD_FIELDS, "created_at"),
            _rows(comments, "comment", terms, COMMENT_FIELDS, "created_at"),
            all=True,
        )
        .order_by("-score", "-when", "result_kind", "-result_id")
    )
    page = paginate(ranked, page_number, PER_PAGE)
    return SearchResult(query=query, terms=terms, page=page, results=_results(list(page.object_list), terms))


def _results(rows: list[dict], terms: Sequence[Term]) -> list[Result]:
    ids: dict[str, list[int]] = {"proposal": [], "thread": [], "comment": []}
    for row in rows:
        ids[row["result_kind"]].append(row["result_id"])
    proposals = Proposal.objects.select_related("space").in_bulk(ids["proposal"])
    threads = Thread.objects.select_related("space").in_bulk(ids["thread"])
    comments = Comment.objects.select_related("thread__space", "proposal__space").in_bulk(ids["comment"])
    labels = {"proposal": _("Proposal"), "thread": _("Discussion"), "comment": _("Comment")}
    results = []
    for row in rows:
        kind, pk = row["result_kind"], row["result_id"]
        if kind == "proposal" and pk in proposals:
            proposal = proposals[pk]
            text = _plain(markdown_html(proposal.problem)) + "\n" + _plain(markdown_html(proposal.proposed))
            results.append(
                Result(
                    kind=kind,
                    kind_label=labels[kind],
                    title=marked(proposal.title, terms),
                    url=proposal.get_absolute_url(),
                    space=proposal.space,
                    extract=extract(text, terms),
                    when=proposal.created_at,
                )
            )
        elif kind == "thread" and pk in threads:
            thread = threads[pk]
            results.append(
                Result(
                    kind=kind,
                    kind_label=labels[kind],
                    title=marked(thread.title, terms),
                    url=thread.get_absolute_url(),
                    space=thread.space,
                    extract=mark_safe(""),  # noqa: S308 - empty
                    when=thread.created_at,
                )
            )
        elif kind == "comment" and pk in comments:
            comment = comments[pk]
            target = comment.thread if comment.thread_id else comment.proposal
            results.append(
                Result(
                    kind=kind,
                    kind_label=labels[kind],
                    title=marked(_("Comment on “%(title)s”") % {"title": target.title}, terms),
                    url=comment.get_absolute_url(),
                    space=target.space,
                    extract=extract(_plain(comment.body_html), terms),
                    when=comment.created_at,
                )
            )
    return results


def _plain(rendered_html: str) -> str:
    return " ".join(html.unescape(strip_tags(rendered_html)).split())


def _pattern(terms: Sequence[Term]) -> re.Pattern | None:
    alternatives = sorted(
        (r"\s+".join(re.escape(word) for word in term.words) for term in terms), key=len, reverse=True
    )
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def marked(text: str, terms: Sequence[Term]) -> SafeString:
    """`text` escaped, with what matches a term in <mark>."""
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(html.escape(text))  # noqa: S308 - escaped
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[position : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    pieces.append(html.escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped


def extract(text: str, terms: Sequence[Term]) -> SafeString:
    """A short passage around the first match, its matches marked; the start if none."""
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern is not None else None
    centre = match.start() if match else 0
    start = max(0, centre - EXTRACT_CONTEXT)
    end = min(len(text), centre + EXTRACT_CONTEXT * 2)
    # Whole words only at the cuts.
    if start:
        space_at = text.find(" ", start)
        start = space_at + 1 if 0 <= space_at < centre else start
    if end < len(text):
        space_at = text.rfind(" ", centre, end)
        end = space_at if space_at > centre else end
    passage = marked(text[start:end], terms)
    return mark_safe(("…" if start else "") + passage + ("…" if end < len(text) else ""))  # noqa: S308 - marked() escapes
