"""The forms of polls: opening one (options one per line, so it works without JavaScript) and the
ballot, whose shape follows the poll's kind (radio buttons, checkboxes, or a select per rank)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Electorate, Poll, PollKind
from .services.polls import MAX_OPTIONS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class PollFormBase(forms.Form):
    @property
    def field_errors(self) -> list:
        """The fields with errors, for the summary at the top of the page."""
        return [field for field in self if field.errors]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class PollForm(PollFormBase):
    question = forms.CharField(label=_("Question"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: what is decided and why. Markdown: **bold**, *italic*, lists and links."),
    )
    options = forms.CharField(
        label=_("Options"),
        max_length=MAX_OPTIONS * 202,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One option per line: from 2 to 20, each different, at most 200 characters each."),
    )
    kind = forms.ChoiceField(
        label=_("How people answer"),
        choices=PollKind.choices,
        initial=PollKind.SINGLE,
        widget=forms.RadioSelect,
    )
    max_choices = forms.IntegerField(
        label=_("At most this many choices"),
        required=False,
        min_value=1,
        max_value=MAX_OPTIONS,
        help_text=_("For several choices only. Leave empty to allow any number."),
    )
    electorate = forms.ChoiceField(
        label=_("Who votes"),
        choices=Electorate.choices,
        initial=Electorate.MEMBERS,
        widget=forms.RadioSelect,
        help_text=_(
            "One vote per organisation is how the coalition elects its Steering Committee: the "
            "organisations are those of the space's members, and whoever of an organisation's people "
            "votes first casts its vote."
        ),
    )
    is_secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        initial=True,
        help_text=_(
            "Nobody, not even the moderators, can see who chose what. Otherwise voters are named beside their ballots."
        ),
    )
    results_live = forms.BooleanField(
        label=_("Show the results while the poll is open"),
        required=False,
        help_text=_(
            "Otherwise they are shown when it closes. Live results let people see how each new vote moves them."
        ),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at (UTC)"),
        required=False,
        widget=DateTimeLocalInput,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("Leave empty to open it now."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at (UTC)"),
        widget=DateTimeLocalInput,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class BallotForm(PollFormBase):
    """The ballot of one poll. `choices()` gives the chosen option ids (in order of preference for
    a ranked poll); the service says whether they make a valid ballot."""

    def __init__(self, *args, poll: Poll, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        options = [(str(option.pk), option.label) for option in poll.options.all()]
        if poll.kind == PollKind.SINGLE:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Your choice"), choices=options, required=False, widget=forms.RadioSelect
            )
        elif poll.kind == PollKind.MULTIPLE:
            label = (
                _("Your choices (at most %(count)d)") % {"count": poll.max_choices}
                if poll.max_choices
                else _("Your choices")
            )
            self.fields["choices"] = forms.MultipleChoiceField(
                label=label, choices=options, required=False, widget=forms.CheckboxSelectMultiple
            )
        else:
            for rank in range(1, len(options) + 1):
                self.fields[f"rank_{rank}"] = forms.ChoiceField(
                    label=_("Choice %(rank)d") % {"rank": rank},
                    choices=[("", _("(none)")), *options],
                    required=False,
                )

    @property
    def first_field(self) -> str:
        return next(iter(self.fields))

    @property
    def rank_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("rank_")]

    def choices(self) -> list[int]:
        data = self.cleaned_data
        if self.poll.kind == PollKind.SINGLE:
            return [int(data["choice"])] if data.get("choice") else []
        if self.poll.kind == PollKind.MULTIPLE:
            return [int(value) for value in data.get("choices", [])]
        # Empty ranks are skipped: "1st, 3rd" means the same as "1st, 2nd".
        return [int(data[name]) for name in self.fields if data.get(name)]
