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
# Top-level comments per page, each with all its replies.
ROOTS_PER_PAGE = 100
# Replies nest this many levels at most; deeper ones are listed flat under their ancestor at the
# last level, each saying whom it answers.
DISPLAY_LEVELS = 4


def threads_of(space: Space) -> QuerySet[Thread]:
    """The space's threads, most recent activity first."""
    return Thread.objects.filter(space=space).order_by("-last_activity_at", "-pk")


@dataclass
class CommentNode:
    id: int
    parent_id: int | None
    author_id: int | None
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    is_deleted: bool
    is_hidden: bool
    # 0 for a top-level comment.
    depth: int = 0
    # What is listed under it: its replies, or at the last level all its descendants, flat.
    children: list[CommentNode] = field(default_factory=list)


@dataclass
class CommentTree:
    page: Page  # of top-level CommentNodes
    count: int  # comments shown (not deleted)
    by_id: dict[int, CommentNode]

    @property
    def author_ids(self) -> set[int]:
        return {node.author_id for node in self.by_id.values() if node.author_id is not None}


def _target_filter(*, thread=None, proposal=None) -> dict:
    return {"thread": thread} if thread is not None else {"proposal": proposal}


def _nodes(*, thread=None, proposal=None) -> list[CommentNode]:
    rows = (
        Comment.objects.filter(**_target_filter(thread=thread, proposal=proposal))
        .order_by("created_at", "id")
        .values_list(
            "id", "parent_id", "author_id", "body_html", "created_at", "edited_at", "is_deleted", "is_hidden"
        )
    )
    return [CommentNode(*row) for row in rows]


def _arrange(nodes: list[CommentNode]) -> list[CommentNode]:
    """Link each node under the one it is listed under; return the top-level ones in order."""
    by_id = {node.id: node for node in nodes}
    replies: dict[int | None, list[CommentNode]] = {}
    for node in nodes:
        parent = node.parent_id if node.parent_id in by_id else None
        replies.setdefault(parent, []).append(node)
    roots = replies.get(None, [])
    order = {node.id: index for index, node in enumerate(nodes)}
    # Depth first, without recursion: a chain of thousands of replies is possible.
    stack = [(root, 0) for root in reversed(roots)]
    last_level = DISPLAY_LEVELS - 1
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


def comment_tree(*, thread=None, proposal=None, page_number: str | None = None) -> CommentTree:
    nodes = _nodes(thread=thread, proposal=proposal)
    roots = _arrange(nodes)
    return CommentTree(
        page=paginate(roots, page_number, ROOTS_PER_PAGE),
        count=sum(1 for node in nodes if not node.is_deleted),
        by_id={node.id: node for node in nodes},
    )


@dataclass(frozen=True)
class Position:
    page: int  # the page of the comments that shows it
    container_id: int | None  # the comment whose list holds it (None: the top level)
    depth: int


def comment_position(comment: Comment) -> Position:
    """Where a comment is shown in its conversation, from one query."""
    ids = list(
        Comment.objects.filter(thread_id=comment.thread_id, proposal_id=comment.proposal_id)
        .order_by("created_at", "id")
        .values_list("id", "parent_id")
    )
    parents = dict(ids)
    roots = [pk for pk, parent in ids if parent is None or parent not in parents]
    chain = [comment.pk]
    while parents.get(chain[-1]) in parents:
        chain.append(parents[chain[-1]])
    chain.reverse()  # top-level first
    depth = len(chain) - 1
    if depth == 0:
        container = None
    elif depth < DISPLAY_LEVELS:
        container = chain[-2]
    else:
        container = chain[DISPLAY_LEVELS - 1]
    page = roots.index(chain[0]) // ROOTS_PER_PAGE + 1 if chain[0] in roots else 1
    return Position(page=page, container_id=container, depth=min(depth, DISPLAY_LEVELS))


def comment_revisions(comment: Comment) -> list[CommentRevision]:
    return list(CommentRevision.objects.filter(comment=comment).order_by("-created_at", "-pk"))


def names_of(user_ids) -> dict[int, str]:
    return access.display_names([pk for pk in user_ids if pk is not None])
