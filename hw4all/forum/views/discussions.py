"""Discussions: a space's threads, a new thread, a thread with its comments, and commenting on a
thread or a proposal (reply, edit, delete, earlier versions).

Someone who may not see the space gets 404 for everything in it. Every form is a plain POST that
redirects; with htmx a comment appears in place and its form is emptied. The comment tree is built
in Python from one query and each comment's HTML with format_html: a template include per comment
made a thread of thousands of comments slow."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import RequestContext
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import reswap, retarget

from hw4all.core.pagination import paginate
from hw4all.core.ratelimit import rate_limited

from ..forms_discussions import CommentEditForm, CommentForm, ThreadForm
from ..markdown import markdown_html
from ..models import Comment, Proposal, ProposalStatus, Space, Thread
from ..queries import discussions as queries
from ..services import access
from ..services import discussions as services
from ..templatetags.forum_moderation import moderation_controls, report_link
from .common import space_or_404

# Views answer the same to GET and HEAD, and forms also to POST.
_FORM_METHODS = ["GET", "HEAD", "POST"]


# Finding what is asked for, or 404 for whoever may not see it


def _thread_or_404(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("space"), pk=pk)
    if not access.may_view_space(request.user, thread.space):
        raise Http404
    return thread


def _proposal_or_404(request: HttpRequest, pk: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("space"), pk=pk)
    if not access.may_view_space(request.user, proposal.space):
        raise Http404
    # A draft is its authors' until it is opened.
    if proposal.status == ProposalStatus.DRAFT and not (
        request.user.is_authenticated and proposal.author_links.filter(user=request.user).exists()
    ):
        raise Http404
    return proposal


def _comment_or_404(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("thread__space", "proposal__space", "author"), pk=pk
    )
    target = _target(comment)
    if not access.may_view_space(request.user, target.space):
        raise Http404
    if target.is_hidden and not access.is_moderator(request.user, target.space):
        raise Http404
    return comment


def _target(comment: Comment) -> Thread | Proposal:
    return comment.thread if comment.thread_id else comment.proposal


def _space_context(request: HttpRequest, space: Space, **extra) -> dict:
    return {
        "space": space,
        "section": "proposals" if isinstance(extra.get("target"), Proposal) else "discussions",
        "is_moderator": access.is_moderator(request.user, space),
        **extra,
    }


def _refused(request: HttpRequest, space: Space, reason: str, *, title: str) -> HttpResponse:
    return render(
        request,
        "forum/discussions/refused.html",
        _space_context(request, space, reason=reason, title=title),
        status=403,
    )


def _comment_url(target: Thread | Proposal) -> str:
    if isinstance(target, Thread):
        return reverse("forum:thread_comment", kwargs={"pk": target.pk})
    return reverse("forum:proposal_comment", kwargs={"pk": target.pk})


def _comment_address(comment: Comment) -> str:
    """The page of its conversation that shows the comment, at the comment."""
    position = queries.comment_position(comment)
    query = f"?{urlencode({'page': position.page})}" if position.page > 1 else ""
    return f"{_target(comment).get_absolute_url()}{query}#comment-{comment.pk}"


# The comment tree, as HTML


class _TreeHtml:
    """Each comment's HTML, with what this visitor may do with it. Built with f-strings: every
    value from a person (names) is escaped here, the bodies were sanitised when saved, the rest
    are numbers and our own words (escaped once)."""

    def __init__(
        self, request: HttpRequest, *, target, tree_nodes: dict, names: dict[int, str], actions: bool = True
    ):
        self.request = request
        self.with_actions = actions
        self.user = request.user
        self.space = target.space
        self.target = target
        self.nodes = tree_nodes
        self.names = {pk: escape(name) for pk, name in names.items()}
        self.is_moderator = access.is_moderator(self.user, self.space)
        self.may_comment = not services.comment_refusal(
            self.user,
            thread=target if isinstance(target, Thread) else None,
            proposal=target if isinstance(target, Proposal) else None,
        )
        self.comment_url = escape(_comment_url(target))
        # The report and moderation tags find the space of each comment in it without a query.
        self.tag_context = RequestContext(
            request,
            {
                "request": request,
                "space": self.space,
                "is_moderator": self.is_moderator,
                "thread" if isinstance(target, Thread) else "proposal": target,
            },
        )
        # Said once here, used for every comment.
        self.text = {
            key: escape(value)
            for key, value in {
                "deleted": _("Comment deleted by its author"),
                "hidden": _("Comment hidden by a moderator"),
                "in_reply_to": _("in reply to"),
                "deleted_parent": _("a deleted comment"),
                "former": _("Former member"),
                "edited": _("edited"),
                "reply": _("Reply"),
                "edit": _("Edit"),
                "delete": _("Delete"),
            }.items()
        }
        self.comment_by = escape(_("Comment by %(name)s"))
        self.reply_to = escape(_("to %(name)s"))
        self._times: dict = {}
        # Reversed once: a page lists hundreds of comments.
        self.urls = {
            name: escape(reverse(f"forum:comment_{name}", args=[0])).rsplit("/0/", 1)
            for name in ("edit", "delete", "history")
        }

    def _url(self, name: str, pk: int) -> str:
        prefix, suffix = self.urls[name]
        return f"{prefix}/{pk}/{suffix}"

    def _name(self, author_id: int | None) -> str:
        return self.names.get(author_id, self.text["former"]) if author_id else self.text["former"]

    def _time(self, moment) -> str:
        local = timezone.localtime(moment)
        minute = local.replace(second=0, microsecond=0)
        label = self._times.get(minute)
        if label is None:
            label = self._times[minute] = escape(formats.date_format(local, "DATETIME_FORMAT"))
        return f'<time datetime="{local.isoformat(timespec="seconds")}">{label}</time>'

    def _shown(self, node) -> bool:
        return not node.is_deleted and (not node.is_hidden or self.is_moderator)

    def _model(self, node) -> Comment:
        """A comment object for the template tags of other parts (report, moderation), without
        a query."""
        return Comment(
            pk=node.id,
            thread_id=self.target.pk if isinstance(self.target, Thread) else None,
            proposal_id=self.target.pk if isinstance(self.target, Proposal) else None,
            parent_id=node.parent_id,
            author_id=node.author_id,
            is_hidden=node.is_hidden,
            is_deleted=node.is_deleted,
            created_at=node.created_at,
            edited_at=node.edited_at,
        )

    def _actions(self, node, name: str) -> str:
        if not self.with_actions:
            return ""
        pk = node.id
        parts = []
        if self.may_comment:
            url = f"{self.comment_url}?parent={pk}"
            parts.append(
                f'<a href="{url}" hx-get="{url}" hx-target="#reply-slot-{pk}" rel="nofollow">'
                f'{self.text["reply"]}<span class="visually-hidden"> {self.reply_to % {"name": name}}</span></a>'
            )
            if node.author_id == self.user.pk and not node.is_hidden:
                parts.append(f'<a href="{self._url("edit", pk)}">{self.text["edit"]}</a>')
                parts.append(f'<a href="{self._url("delete", pk)}">{self.text["delete"]}</a>')
        if self.user.is_authenticated:
            model = self._model(node)
            parts.append(conditional_escape(report_link(self.tag_context, model) or ""))
            if self.is_moderator:
                parts.append(conditional_escape(moderation_controls(self.tag_context, model) or ""))
        parts = [part for part in parts if part]
        if not parts:
            return ""
        return (
            f'<div class="forum-comment__actions">{"".join(parts)}</div>'
            f'<div id="reply-slot-{pk}" class="forum-comment__reply"></div>'
        )

    def comment(self, node, listed_under=None) -> str:
        """One comment and, if it heads a list, the comments listed under it."""
        pk = node.id
        if not self._shown(node):
            text = self.text["deleted"] if node.is_deleted else self.text["hidden"]
            inner = (
                f'<article class="forum-comment__inner forum-comment--placeholder" aria-label="{text}">'
                f'<p class="forum-comment__meta">{text} · {self._time(node.created_at)}</p></article>'
            )
        else:
            name = self._name(node.author_id)
            reply_to = ""
            if listed_under is not None and node.parent_id != listed_under.id:
                parent = self.nodes.get(node.parent_id)
                parent_name = (
                    self._name(parent.author_id)
                    if parent is not None and self._shown(parent)
                    else self.text["deleted_parent"]
                )
                reply_to = (
                    f' <span class="forum-comment__reply-to">{self.text["in_reply_to"]} '
                    f'<a href="#comment-{node.parent_id}">{parent_name}</a></span>'
                )
            edited = ""
            if node.edited_at:
                edited = f' · <a href="{self._url("history", pk)}">{self.text["edited"]}</a>'
            hidden = " forum-comment--hidden" if node.is_hidden else ""
            # body_html was sanitised when the comment was saved.
            inner = (
                f'<article class="forum-comment__inner{hidden}" aria-label="{self.comment_by % {"name": name}}">'
                f'<p class="forum-comment__meta"><span class="forum-comment__author">{name}</span>{reply_to} · '
                f'<a href="#comment-{pk}" class="forum-comment__time">{self._time(node.created_at)}</a>{edited}</p>'
                f'<div class="forum-comment__body">{node.body_html}</div>{self._actions(node, name)}</article>'
            )
        replies = ""
        if node.depth < queries.DISPLAY_LEVELS:
            listed = "".join(self.comment(child, node) for child in node.children)
            replies = f'<ol class="forum-comments forum-comments--replies" id="replies-{pk}">{listed}</ol>'
        return f'<li class="forum-comment" id="comment-{pk}">{inner}{replies}</li>'

    def comments(self, roots) -> SafeString:
        return mark_safe("".join(self.comment(root) for root in roots))  # noqa: S308 - built above


def _tree_html(request: HttpRequest, target) -> tuple[SafeString, queries.CommentTree]:
    kwargs = {"thread": target} if isinstance(target, Thread) else {"proposal": target}
    tree = queries.comment_tree(**kwargs, page_number=request.GET.get("page"))
    names = queries.names_of(tree.author_ids)
    return _TreeHtml(request, target=target, tree_nodes=tree.by_id, names=names).comments(tree.roots), tree


def _comment_form_context(target, *, form, parent=None, container_id=None) -> dict:
    form_id = f"reply-form-{parent.pk}" if parent is not None else "comment-form"
    return {
        "form": form,
        "form_id": form_id,
        "parent": parent,
        "post_url": _comment_url(target),
        "list_id": f"replies-{container_id}" if container_id else "replies-root",
    }


def comments_block(
    request: HttpRequest, *, proposal: Proposal | None = None, thread: Thread | None = None
) -> str:
    """The comment tree with its reply links and the comment form (or why there is none), for a
    thread's or a proposal's page. The caller has checked that the visitor may see it."""
    target = thread if thread is not None else proposal
    if target is None:
        raise ValueError("comments_block needs a thread or a proposal")
    tree_html, tree = _tree_html(request, target)
    refusal = services.comment_refusal(request.user, thread=thread, proposal=proposal)
    context = {
        "tree_html": tree_html,
        "page_obj": tree.page,
        "count": tree.count,
        "refusal": refusal,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}",
        **_comment_form_context(target, form=CommentForm(prefix_id="comment")),
    }
    return render_to_string("forum/discussions/comments_block.html", context, request=request)


# Threads


@never_cache
@require_safe
def thread_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_or_404(request, slug)
    context = _space_context(request, space)
    page = paginate(queries.threads_of(space), request.GET.get("page"), queries.THREADS_PER_PAGE)
    names = queries.names_of({thread.created_by_id for thread in page.object_list})
    context.update(
        page_obj=page,
        threads=[
            {
                "thread": thread,
                "started_by": names.get(thread.created_by_id, _("Former member")),
                "placeholder": thread.is_hidden and not context["is_moderator"],
            }
            for thread in page.object_list
        ],
        may_start=access.may_participate(request.user, space),
    )
    return render(request, "forum/discussions/thread_list.html", context)


@never_cache
@require_http_methods(_FORM_METHODS)
@rate_limited("forum-writing")
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.may_participate(request.user, space):
        reason = (
            _("You are suspended from this space and cannot start a discussion for now.")
            if access.is_suspended(request.user, space)
            else _("Join this space to start a discussion.")
        )
        return _refused(request, space, reason, title=_("Start a discussion"))
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(
                space=space,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            return _refused(request, space, str(error), title=_("Start a discussion"))
        else:
            messages.success(request, _("Your discussion is started."))
            return redirect(thread)
    return render(request, "forum/discussions/thread_form.html", _space_context(request, space, form=form))


@never_cache
@require_safe
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_or_404(request, pk)
    context = _space_context(request, thread.space, thread=thread)
    context["hidden"] = thread.is_hidden and not context["is_moderator"]
    if not context["hidden"]:
        names = queries.names_of([thread.created_by_id])
        context["started_by"] = names.get(thread.created_by_id, _("Former member"))
        context["comments"] = comments_block(request, thread=thread)
    return render(request, "forum/discussions/thread_detail.html", context)


# Commenting


def _comment(request: HttpRequest, target) -> HttpResponse:
    """A comment or reply: the form (a page of its own without JavaScript, in place with htmx),
    then the comment, shown in place or at its address."""
    kwargs = {"thread": target} if isinstance(target, Thread) else {"proposal": target}
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    space = target.space
    parent = None
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    if parent_id:
        if not str(parent_id).isdigit():
            raise Http404
        parent = get_object_or_404(Comment, pk=int(parent_id), **kwargs)
    refusal = services.comment_refusal(request.user, **kwargs)
    if refusal:
        if request.htmx:
            response = HttpResponse(format_html('<p class="forum-notice">{}</p>', refusal))
            return reswap(
                retarget(response, f"#reply-slot-{parent.pk}" if parent else "#comment-form"), "innerHTML"
            )
        return _refused(request, space, refusal, title=_("Comment"))
    container_id = None
    if parent is not None:
        position = queries.comment_position(parent)
        container_id = parent.pk if position.depth < queries.DISPLAY_LEVELS else position.container_id
    form_prefix = f"reply-{parent.pk}" if parent is not None else "comment"
    initial = {"parent": parent.pk} if parent is not None else {}
    if request.method == "POST":
        form = CommentForm(request.POST, prefix_id=form_prefix, reply=parent is not None, initial=initial)
        if form.is_valid():
            try:
                comment = services.comment_create(
                    author=request.user, body=form.cleaned_data["body"], parent=parent, **kwargs
                )
            except ValidationError as error:
                form.add_error(None, error)
            except PermissionDenied as error:
                return _refused(request, space, str(error), title=_("Comment"))
            else:
                if request.htmx:
                    return _posted(request, target, comment, parent=parent, container_id=container_id)
                messages.success(request, _("Your comment is posted."))
                return redirect(_comment_address(comment))
    else:
        form = CommentForm(prefix_id=form_prefix, reply=parent is not None, initial=initial)
    form_context = _comment_form_context(target, form=form, parent=parent, container_id=container_id)
    if request.htmx:
        response = render(request, "forum/discussions/comment_form.html", form_context)
        if request.method == "POST":
            response = reswap(retarget(response, f"#{form_context['form_id']}"), "outerHTML")
        return response
    parent_html = ""
    if parent is not None:
        names = queries.names_of([parent.author_id])
        node = _node_of(parent, depth=queries.DISPLAY_LEVELS)
        parent_html = mark_safe(  # noqa: S308 - built by _TreeHtml
            _TreeHtml(request, target=target, tree_nodes={}, names=names, actions=False).comment(node)
        )
    return render(
        request,
        "forum/discussions/comment_page.html",
        _space_context(request, space, target=target, parent_html=parent_html, **form_context),
    )


def _node_of(comment: Comment, *, depth: int) -> queries.CommentNode:
    return queries.CommentNode(
        id=comment.pk,
        parent_id=comment.parent_id,
        is_deleted=comment.is_deleted,
        author_id=comment.author_id,
        body_html=comment.body_html,
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        is_hidden=comment.is_hidden,
        depth=depth,
    )


def _posted(request: HttpRequest, target, comment: Comment, *, parent, container_id) -> HttpResponse:
    """With htmx: the new comment for the end of its list, an empty form in place of the one
    used, and a status line for screen readers."""
    depth = queries.comment_position(comment).depth
    node = _node_of(comment, depth=depth)
    nodes = {comment.pk: node}
    listed_under = None
    if parent is not None:
        nodes[parent.pk] = _node_of(parent, depth=depth - 1)
        listed_under = queries.CommentNode(id=container_id, parent_id=None)
    names = queries.names_of([comment.author_id, parent.author_id if parent else None])
    comment_html = mark_safe(  # noqa: S308 - built by _TreeHtml
        _TreeHtml(request, target=target, tree_nodes=nodes, names=names).comment(node, listed_under)
    )
    context = {
        **_comment_form_context(target, form=CommentForm(prefix_id="comment"), container_id=None),
        "comment_html": comment_html,
        "replied_to": parent,
    }
    return render(request, "forum/discussions/comment_posted.html", context)


@never_cache
@require_http_methods(_FORM_METHODS)
@rate_limited("forum-writing")
def thread_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _comment(request, _thread_or_404(request, pk))


@never_cache
@require_http_methods(_FORM_METHODS)
@rate_limited("forum-writing")
def proposal_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _comment(request, _proposal_or_404(request, pk))


@never_cache
@require_http_methods(_FORM_METHODS)
@rate_limited("forum-writing")
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    target = _target(comment)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(comment=comment, user=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            return _refused(request, target.space, str(error), title=_("Edit a comment"))
        else:
            messages.success(request, _("Your comment is saved; its earlier version is kept."))
            return redirect(_comment_address(comment))
    elif refusal := services.comment_change_refusal(comment, request.user):
        return _refused(request, target.space, refusal, title=_("Edit a comment"))
    return render(
        request,
        "forum/discussions/comment_edit.html",
        _space_context(request, target.space, comment=comment, target=target, form=form),
    )


@never_cache
@require_http_methods(_FORM_METHODS)
@rate_limited("forum-action")
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    target = _target(comment)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        try:
            services.comment_delete(comment=comment, user=request.user)
        except PermissionDenied as error:
            return _refused(request, target.space, str(error), title=_("Delete a comment"))
        messages.success(request, _("Your comment is deleted."))
        return redirect(f"{target.get_absolute_url()}#comments")
    if refusal := services.comment_change_refusal(comment, request.user):
        return _refused(request, target.space, refusal, title=_("Delete a comment"))
    return render(
        request,
        "forum/discussions/comment_delete.html",
        _space_context(
            request,
            target.space,
            comment=comment,
            target=target,
            has_replies=comment.replies.exists(),
        ),
    )


@never_cache
@require_safe
def comment_history(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment's text now and before each edit. A hidden comment's only for moderators."""
    comment = _comment_or_404(request, pk)
    target = _target(comment)
    context = _space_context(request, target.space, comment=comment, target=target)
    if comment.is_hidden and not context["is_moderator"]:
        raise Http404
    names = queries.names_of([comment.author_id])
    context.update(
        author_name=names.get(comment.author_id, _("Former member")),
        address=_comment_address(comment),
        versions=[
            {"created_at": revision.created_at, "html": mark_safe(markdown_html(revision.body))}  # sanitised
            for revision in queries.comment_revisions(comment)
        ],
    )
    return render(request, "forum/discussions/comment_history.html", context)
