"""Discussion threads and the threaded comments on them and on proposals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .spaces import Space


class Thread(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Kept by the services: comments that are not deleted.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ["-last_activity_at", "-pk"]
        indexes = [models.Index(fields=["space", "-last_activity_at"], name="forum_thread_space_recent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread_detail", kwargs={"pk": self.pk})


class Comment(models.Model):
    """A comment in a thread or on a proposal (exactly one of the two), maybe a reply to another
    comment of the same. The body is Markdown as typed; body_html is its sanitised rendering,
    made when it is saved."""

    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    proposal = models.ForeignKey(
        "forum.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=20000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Deleted by its author while it had replies: a placeholder keeps the conversation readable.
    is_deleted = models.BooleanField(default=False)
    # Hidden by a moderator: a placeholder for everyone but the moderators.
    is_hidden = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="forum_comment_thread_order"),
            models.Index(fields=["proposal", "created_at", "id"], name="forum_comment_proposal_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(thread__isnull=False) & models.Q(proposal__isnull=True))
                | (models.Q(thread__isnull=True) & models.Q(proposal__isnull=False)),
                name="forum_comment_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"comment {self.pk}"

    @property
    def target(self):
        """The thread or the proposal the comment is on."""
        target = self.thread if self.thread_id else self.proposal
        if target is None:
            raise ValueError("A comment is on a thread or on a proposal.")
        return target

    @property
    def space_id(self) -> int:
        return self.target.space_id

    def get_absolute_url(self) -> str:
        return f"{self.target.get_absolute_url()}#comment-{self.pk}"


class CommentRevision(models.Model):
    """A comment's earlier text, kept at each edit."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["comment", "created_at", "pk"]

    def __str__(self) -> str:
        return f"revision of comment {self.comment_id}"
