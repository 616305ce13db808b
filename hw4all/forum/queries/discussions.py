"""Reads for discussions: a space's threads, and the comments of a thread or a proposal as a tree
built in Python from one query (a thread of thousands of comments costs the same few queries as
one of ten)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page
from django.db.models import QuerySet

from hw4all.core.pagination import paginate

from ..models import Comment, CommentRevision, Space, Thread
from ..services import access

THREADS_PER_PAGE = 25
# A page of comments holds whole conversations (a top-level comment with all its replies) until it
# holds at least this many comments: a page stays light for a phone on a slow connection.
COMMENTS_PER_PAGE = 50
# Replies nest this many levels at most; deeper ones are listed flat under their ancestor at the
# last level, each saying whom it answers.
DISPLAY_LEVELS = 4


def threads_of(space: Space) -> QuerySet[Thread]:
    """The space's threads, most recent activity first."""
    return Thread.objects.filter(space=space).order_by("-last_activity_at", "-pk")


@dataclass(eq=False)
class CommentNode:
    id: int
    parent_id: int | None
    is_deleted: bool = False
    # The rest is read only for the comments of the page shown.
    author_id: int | None = None
    body_html: str = ""
    created_at: datetime | None = None
    edited_at: datetime | None = None
    is_hidden: bool = False
    # 0 for a top-level comment.
    depth: int = 0
    # What is listed under it: its replies, or at the last level all its descendants, flat.
    children: list[CommentNode] = field(default_factory=list)


@dataclass
class CommentTree:
    page: Page  # its object_list: [the top-level CommentNodes of the page]
    roots: list[CommentNode]  # of the page
    count: int  # comments shown (not deleted), on every page
    by_id: dict[int, CommentNode]  # the page's

    @property
    def author_ids(self) -> set[int]:
        return {node.author_id for node in self.by_id.values() if node.author_id is not None}


def _structure(*, thread_id: int | None, proposal_id: int | None) -> list[CommentNode]:
    """Every comment of the conversation, without its text: enough to arrange them."""
    rows = (
        Comment.objects.filter(**({"thread_id": thread_id} if thread_id else {"proposal_id": proposal_id}))
        .order_by("created_at", "id")
        .values_list("id", "parent_id", "is_deleted")
    )
    return [CommentNode(pk, parent, deleted) for pk, parent, deleted in rows]


def _arrange(nodes: list[CommentNode]) -> list[CommentNode]:
    """Link each node under the one it is listed under; return the top-level ones in order."""
    by_id = {node.id: node for node in nodes}
    replies: dict[int | None, list[CommentNode]] = {}
    for node in nodes:
        parent = node.parent_id if node.parent_id in by_id else None
        replies.setdefault(parent, []).append(node)
    roots = replies.get(None, [])
    order = {node.id: index for index, node in enumerate(nodes)}
    last_level = DISPLAY_LEVELS - 1
    # Depth first, without recursion: a chain of thousands of replies is possible.
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        children = replies.get(node.id, [])
        if depth < last_level:
            node.children = children
            stack.extend((child, depth + 1) for child in reversed(children))
            continue
        # At the last level: every descendant, flat, in the order they were written.
        flat: list[CommentNode] = []
        pending = list(children)
        while pending:
            descendant = pending.pop()
            descendant.depth = depth + 1
            flat.append(descendant)
            pending.extend(replies.get(descendant.id, []))
        node.children = sorted(flat, key=lambda item: order[item.id])
    return roots


def _subtree(root: CommentNode) -> list[CommentNode]:
    nodes, pending = [], [root]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.children)
    return nodes


def _pages(roots: list[CommentNode]) -> list[list[CommentNode]]:
    """Whole conversations per page, about COMMENTS_PER_PAGE comments each."""
    pages: list[list[CommentNode]] = []
    current: list[CommentNode] = []
    size = 0
    for root in roots:
        current.append(root)
        size += len(_subtree(root))
        if size >= COMMENTS_PER_PAGE:
            pages.append(current)
            current, size = [], 0
    if current or not pages:
        pages.append(current)
    return pages


def comment_tree(*, thread=None, proposal=None, page_number: str | None = None) -> CommentTree:
    """The page of a conversation asked for: two queries, whatever its length."""
    nodes = _structure(
        thread_id=thread.pk if thread is not None else None,
        proposal_id=proposal.pk if proposal is not None else None,
    )
    page = paginate(_pages(_arrange(nodes)), page_number, 1)
    roots = page.object_list[0]
    shown = {node.id: node for root in roots for node in _subtree(root)}
    details = Comment.objects.filter(pk__in=list(shown)).values_list(
        "id", "author_id", "body_html", "created_at", "edited_at", "is_hidden"
    )
    for pk, author_id, body_html, created_at, edited_at, is_hidden in details:
        node = shown[pk]
        node.author_id, node.body_html, node.created_at = author_id, body_html, created_at
        node.edited_at, node.is_hidden = edited_at, is_hidden
    return CommentTree(
        page=page, roots=roots, count=sum(1 for node in nodes if not node.is_deleted), by_id=shown
    )


@dataclass(frozen=True)
class Position:
    page: int  # the page of the conversation that shows it
    container_id: int | None  # the comment whose list holds it (None: the top level)
    depth: int  # capped at DISPLAY_LEVELS


def comment_position(comment: Comment) -> Position:
    """Where a comment is shown in its conversation, from one query."""
    nodes = _structure(thread_id=comment.thread_id, proposal_id=comment.proposal_id)
    pages = _pages(_arrange(nodes))
    parents = {node.id: node.parent_id for node in nodes}
    chain = [comment.pk]
    parent = parents.get(comment.pk)
    while parent is not None and parent in parents:
        chain.append(parent)
        parent = parents[parent]
    chain.reverse()  # top-level first
    depth = len(chain) - 1
    if depth == 0:
        container = None
    elif depth < DISPLAY_LEVELS:
        container = chain[-2]
    else:
        container = chain[DISPLAY_LEVELS - 1]
    number = next(
        (index for index, roots in enumerate(pages, start=1) if any(root.id == chain[0] for root in roots)), 1
    )
    return Position(page=number, container_id=container, depth=min(depth, DISPLAY_LEVELS))


def comment_revisions(comment: Comment) -> list[CommentRevision]:
    return list(CommentRevision.objects.filter(comment=comment).order_by("-created_at", "-pk"))


def names_of(user_ids) -> dict[int, str]:
    return access.display_names([pk for pk in user_ids if pk is not None])
