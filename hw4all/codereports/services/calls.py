"""Calls to report: the Secretariat asks member organisations to report in a round before a date,
by email to each organisation's members, then reminds those still without a submitted report a
week before and the day before that date.

Each message to each person is recorded (`ReminderSent`) in the same transaction that queues it;
the unique constraint on (call, person, kind) decides when two workers send at once, so no one
gets the same message twice."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hw4all.coalition.models import Organisation
from hw4all.core.email import email_enqueue
from hw4all.users.roles import MEMBER

from ..models import FROZEN_STATUSES, ReminderKind, ReminderSent, Report, ReportingCall, Round

User = get_user_model()

# A message longer than this is not a call but a document: link to it instead.
MESSAGE_MAX_LENGTH = 5000
WEEK = datetime.timedelta(days=7)


@dataclass
class RemindersSent:
    week: int = 0
    day: int = 0


def call_create(
    *,
    round: Round,
    deadline: datetime.date,
    message: str,
    organisations: Iterable[Organisation] = (),
    user=None,
) -> ReportingCall:
    """A call, not sent yet. `organisations` empty means every member organisation."""
    message = message.strip()
    errors = {}
    if not message:
        errors["message"] = _("Write the message the members will read.")
    elif len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = _("The message is too long (%(count)s characters; at most %(limit)s).") % {
            "count": len(message),
            "limit": MESSAGE_MAX_LENGTH,
        }
    if deadline < timezone.localdate():
        errors["deadline"] = _("The reply-by date has passed.")
    chosen = list(organisations)
    if any(not organisation.is_member for organisation in chosen):
        errors["organisations"] = _("Only member organisations can be asked to report.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        call = ReportingCall(round=round, deadline=deadline, message=message, created_by=user)
        # A call made by a command or the demo has no author.
        call.full_clean(exclude=["created_by"])
        call.save()
        call.organisations.set(chosen)
    return call


def call_organisations(call: ReportingCall) -> QuerySet[Organisation]:
    """The member organisations the call addresses."""
    organisations = Organisation.objects.filter(is_member=True)
    chosen = call.organisations.values("pk")
    if chosen.exists():
        organisations = organisations.filter(pk__in=chosen)
    return organisations


def call_recipients(call: ReportingCall) -> QuerySet:
    """The active member accounts of the addressed organisations' people (those who may write the
    organisation's reports), except those of organisations that already submitted (or published) a
    report in the call's round."""
    reported = Report.objects.filter(round_id=call.round_id, status__in=FROZEN_STATUSES).values(
        "organisation"
    )
    return (
        User.objects.filter(
            is_active=True,
            groups__name=MEMBER,
            person__organisation__in=call_organisations(call).values("pk"),
        )
        .exclude(person__organisation__in=reported)
        .exclude(email="")
        .select_related("person__organisation")
        .order_by("pk")
        .distinct()
    )


def call_send(call: ReportingCall) -> int:
    """Email the call to every recipient not yet sent it; returns how many were sent. A round
    that does not accept reports (closed, upcoming, or without a questionnaire) sends nothing."""
    call = ReportingCall.objects.select_related("round").get(pk=call.pk)
    if not call.round.accepts_reports:
        return 0
    sent = _deliver(call, ReminderKind.CALL)
    if call.sent_at is None:
        ReportingCall.objects.filter(pk=call.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent


def reminders_send(today: datetime.date | None = None) -> RemindersSent:
    """Remind, for every sent call of a round open for reports, those still without a submitted
    report: a week before the reply-by date (unless the call itself went out less than a week
    before it) and the day before. A day missed by the scheduler is caught up the next day."""
    today = today or timezone.localdate()
    counts = RemindersSent()
    calls = ReportingCall.objects.filter(
        sent_at__isnull=False, deadline__gte=today, deadline__lte=today + WEEK
    ).select_related("round")
    for call in calls:
        if not call.round.accepts_reports:
            continue
        days_left = (call.deadline - today).days
        if days_left <= 1:
            counts.day += _deliver(call, ReminderKind.DAY)
        elif call.sent_at is not None and timezone.localdate(call.sent_at) <= call.deadline - WEEK:
            counts.week += _deliver(call, ReminderKind.WEEK)
    return counts


def _deliver(call: ReportingCall, kind: str) -> int:
    sent = 0
    for user in call_recipients(call):
        try:
            with transaction.atomic():
                ReminderSent.objects.create(call=call, user=user, kind=kind)
                _email(call, user, kind)
        except IntegrityError:
            # Already sent to this person, perhaps a moment ago by another worker.
            continue
        sent += 1
    return sent


def _email(call: ReportingCall, user, kind: str) -> None:
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        # The link opens the site in the recipient's language.
        link = reverse("codereports:mine")
    email_enqueue(
        to=[user.email],
        template="codereports/email/call" if kind == ReminderKind.CALL else "codereports/email/reminder",
        context={
            "call": call,
            "round": call.round,
            "deadline": call.deadline,
            "message": call.message,
            "kind": kind,
            "is_last": kind == ReminderKind.DAY,
            "organisation": user.person.organisation,
            "site_url": settings.SITE_URL,
            "link": link,
        },
        language=language,
    )
