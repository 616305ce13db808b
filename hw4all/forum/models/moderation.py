"""Reports of content and the log of every moderation action."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Report(models.Model):
    """Somebody asks the moderators to look at a comment, a proposal or a thread (exactly one)."""

    space = models.ForeignKey("forum.Space", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        "forum.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(
        "forum.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        "forum.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(comment__isnull=False, proposal__isnull=True, thread__isnull=True)
                    | models.Q(comment__isnull=True, proposal__isnull=False, thread__isnull=True)
                    | models.Q(comment__isnull=True, proposal__isnull=True, thread__isnull=False)
                ),
                name="forum_report_one_target",
            ),
            # One open report per person and item, even from two requests at once.
            *(
                models.UniqueConstraint(
                    fields=["reporter", target],
                    condition=models.Q(resolved_at__isnull=True),
                    name=f"forum_report_open_{target}_once",
                )
                for target in ("comment", "proposal", "thread")
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.pk}"


class ModerationKind(models.TextChoices):
    HIDE = "hide", _("hid")
    RESTORE = "restore", _("restored")
    LOCK = "lock", pgettext_lazy("moderation log: someone locked a discussion", "locked")
    UNLOCK = "unlock", _("unlocked")
    SUSPEND = "suspend", _("suspended")
    UNSUSPEND = "unsuspend", _("lifted the suspension of")
    DISMISS = "dismiss", _("dismissed a report on")
    APPROVE = "approve", _("approved the request to join of")
    REFUSE = "refuse", _("refused the request to join of")
    INVITE = "invite", _("invited")
    APPOINT = "appoint", _("made a moderator:")
    DEMOTE = "demote", _("removed as a moderator:")
    EXPEL = "expel", _("expelled")


class ModerationAction(models.Model):
    """Who did what to which content or person in a space, and why. Never edited or deleted."""

    space = models.ForeignKey("forum.Space", on_delete=models.CASCADE, related_name="moderation_log")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=ModerationKind.choices)
    comment = models.ForeignKey(
        "forum.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposal = models.ForeignKey(
        "forum.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    thread = models.ForeignKey(
        "forum.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What it was about, in words, kept even when the content is deleted later.
    target_summary = models.CharField(max_length=300)
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_summary}"
