"""Spaces (global, European, national, working groups), who belongs to them, and what happens in
them (the activity every page, feed and notification is built from)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class SpaceKind(models.TextChoices):
    GLOBAL = "global", _("Global")
    EUROPEAN = "european", _("European")
    COUNTRY = "country", _("National")
    WORKING_GROUP = "working_group", _("Working group")


class Space(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SpaceKind.choices)
    country = CountryField(_("country"), blank=True, help_text=_("For a national space."))
    description = models.TextField(_("description"), max_length=5000, blank=True)
    # Open: any registered user may join and anyone may read. Closed: members only, by invitation
    # or approval; nothing in it is shown to anybody else, anywhere.
    is_open = models.BooleanField(_("open to every registered user"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="country", country=""), name="forum_space_country_has_country"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:space", kwargs={"slug": self.slug})


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Member")
    INVITED = "invited", _("Invited")
    REQUESTED = "requested", _("Asked to join")


class SpaceMembership(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships"
    )
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus.choices)
    is_moderator = models.BooleanField(_("moderator"), default=False)
    # A suspended member still belongs to the space (and reads a closed one) but may not write,
    # support or vote in it until this moment.
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("space membership")
        verbose_name_plural = _("space memberships")
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="forum_membership_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.space}"

    def is_suspended(self, now=None) -> bool:
        return self.suspended_until is not None and self.suspended_until > (now or timezone.now())


class Participant(models.Model):
    """A user as the forum knows them: the public name and @handle (emails are never shown) and
    how they want to be told of what happens."""

    class EmailFrequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one email each")
        DAILY = "daily", _("A daily digest")
        WEEKLY = "weekly", _("A weekly digest")
        NEVER = "never", _("No email (notifications on the site only)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant"
    )
    handle = models.SlugField(
        _("handle"), max_length=40, unique=True, help_text=_("Others mention you as @handle.")
    )
    display_name = models.CharField(_("name shown"), max_length=150)
    email_frequency = models.CharField(
        _("email"), max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.DAILY
    )
    # Opaque token of the one-click unsubscribe link in every email.
    unsubscribe_token = models.CharField(max_length=64, unique=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.display_name


class ActivityKind(models.TextChoices):
    MEMBER_JOINED = "member_joined", _("joined the space")
    PROPOSAL_OPENED = "proposal_opened", _("opened a proposal for comments")
    PROPOSAL_EDITED = "proposal_edited", _("published a new version of a proposal")
    PROPOSAL_STATUS = "proposal_status", _("changed the status of a proposal")
    PROPOSAL_SUPPORTED = "proposal_supported", _("supported a proposal")
    THREAD_STARTED = "thread_started", _("started a discussion")
    COMMENT_POSTED = "comment_posted", _("commented")
    POLL_OPENED = "poll_opened", _("opened a poll")
    POLL_CLOSED = "poll_closed", _("closed a poll")


class Activity(models.Model):
    """One thing that happened in a space. The activity page lists them newest first by
    (created_at, id), with keyset pagination; notifications point at them."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=24, choices=ActivityKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposal = models.ForeignKey(
        "forum.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        "forum.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "forum.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    poll = models.ForeignKey("forum.Poll", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Plain text: the title of what it is about, as it was then.
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["space", "-created_at", "-id"], name="forum_activity_keyset")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"
