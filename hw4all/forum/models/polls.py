"""Polls and votes: single or multiple choice, or ranked; one vote per member of the space or
per member organisation; secret or open."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .spaces import Space


class PollKind(models.TextChoices):
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    RANKED = "ranked", _("Ranked choices")


class Electorate(models.TextChoices):
    MEMBERS = "members", _("Each member of the space")
    ORGANISATIONS = "organisations", _("Each member organisation (one vote each)")


class Poll(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PollKind.choices, default=PollKind.SINGLE)
    # For several choices: at most this many (empty: any number).
    max_choices = models.PositiveSmallIntegerField(_("at most this many choices"), null=True, blank=True)
    electorate = models.CharField(
        _("who votes"), max_length=14, choices=Electorate.choices, default=Electorate.MEMBERS
    )
    is_secret = models.BooleanField(_("secret ballot"), default=True)
    results_live = models.BooleanField(_("show results while the poll is open"), default=False)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Kept equal to the number of ballots by the services, in the same transaction.
    ballot_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="forum_poll_closes_after"
            )
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("forum:poll_detail", kwargs={"pk": self.pk})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["poll", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class PollParticipation(models.Model):
    """That someone voted (for a member) or that an organisation did (cast by one of its people).
    The database takes one per voter, even from two requests at once. It is not linked to the
    ballot: in a secret poll nothing joins a voter to their choices."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "coalition.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"],
                condition=models.Q(organisation__isnull=True),
                name="forum_vote_member_once",
            ),
            models.UniqueConstraint(
                fields=["poll", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="forum_vote_organisation_once",
            ),
        ]

    def __str__(self) -> str:
        return f"vote in poll {self.poll_id}"


class Ballot(models.Model):
    """The choices of one vote. A random key (not a counter) and no time, so the order of ballots
    says nothing about who cast them; the voter keeps a receipt whose hash is stored here and can
    find their ballot in the published list. In an open poll the voter is named."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    receipt_hash = models.CharField(max_length=64, unique=True)
    # Option ids; for a ranked poll in order of preference.
    choices = models.JSONField()
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "coalition.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"ballot in poll {self.poll_id}"
