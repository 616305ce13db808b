"""Forms of the spaces' pages: asking to join, inviting, suspending, reporting and moderating."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services.spaces import MESSAGE_MAX, REASON_MAX


class ForumForm(forms.Form):
    @property
    def field_errors(self) -> list:
        """The fields with errors, for the summary at the top of the form."""
        return [field for field in self if field.errors]


class JoinRequestForm(ForumForm):
    """Ask to join a closed space whose address a moderator or a colleague gave."""

    slug = forms.SlugField(
        label=_("The space's short name"),
        max_length=80,
        help_text=_("The last part of its address, as in …/forum/spaces/short-name/."),
    )
    message = forms.CharField(
        label=_("Message to the moderators"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(ForumForm):
    who = forms.CharField(
        label=_("Whom to invite"),
        max_length=254,
        help_text=_("Their @handle or the email address of their account."),
    )
    message = forms.CharField(
        label=_("Message"), required=False, max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(ForumForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept in the moderation log."),
    )

    def __init__(self, *args, required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class ReportForm(ForumForm):
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only the space's moderators read your report."),
    )


class SuspendForm(ReasonForm):
    until = forms.DateField(
        label=_("Suspended until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The member may write again from this day on."),
    )

    def clean_until(self) -> datetime.date:
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return until

    def until_moment(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["until"], datetime.time.min))
