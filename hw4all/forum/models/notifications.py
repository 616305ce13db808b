"""What people follow and what they are told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """A user follows a space, a proposal or a thread (exactly one)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_follows")
    space = models.ForeignKey(
        "forum.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    proposal = models.ForeignKey(
        "forum.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    thread = models.ForeignKey(
        "forum.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(space__isnull=False, proposal__isnull=True, thread__isnull=True)
                    | models.Q(space__isnull=True, proposal__isnull=False, thread__isnull=True)
                    | models.Q(space__isnull=True, proposal__isnull=True, thread__isnull=False)
                ),
                name="forum_follow_one_target",
            ),
            models.UniqueConstraint(fields=["user", "space"], name="forum_follow_space_once"),
            models.UniqueConstraint(fields=["user", "proposal"], name="forum_follow_proposal_once"),
            models.UniqueConstraint(fields=["user", "thread"], name="forum_follow_thread_once"),
        ]

    def __str__(self) -> str:
        return f"follow {self.pk}"


class NotificationReason(models.TextChoices):
    FOLLOWING = "following", _("You follow it")
    MENTIONED = "mentioned", _("You were mentioned")
    AUTHOR = "author", _("You are an author")
    REPLY = "reply", _("A reply to you")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    activity = models.ForeignKey("forum.Activity", on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=10, choices=NotificationReason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when it went out by email, alone or in a digest.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="forum_notification_recent"),
            models.Index(fields=["user", "emailed_at"], name="forum_notification_unsent"),
        ]
        constraints = [models.UniqueConstraint(fields=["user", "activity"], name="forum_notification_once")]

    def __str__(self) -> str:
        return f"notification {self.pk}"
