"""The reviewer's scoring form, the step-aside note and the discussion's message form."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from .models import Criterion, CriterionGroup, ReviewScore

PASS, FAIL = "pass", "fail"
COMMENT_MAX = 5000
MESSAGE_MAX = 5000


def answer_field(criterion: Criterion) -> str:
    # The same names the services use in ValidationError.message_dict.
    return f"criterion_{criterion.pk}"


def comment_field(criterion: Criterion) -> str:
    return f"comment_{criterion.pk}"


@dataclass(frozen=True)
class CriterionFields:
    criterion: Criterion
    answer: BoundField
    comment: BoundField


class ReviewForm(forms.Form):
    """One answer and one comment per criterion of the case's version, and the declaration.

    Nothing is required here: a draft may be partial, and on submission the service says what is
    missing, criterion by criterion."""

    no_conflict = forms.BooleanField(
        label=_("I have no conflict of interest with this case study, its authors or their organisation."),
        required=False,
    )

    def __init__(self, *args, criteria: Iterable[Criterion], scores: Iterable[ReviewScore] = (), **kwargs):
        self.criteria = list(criteria)
        initial = dict(kwargs.pop("initial", None) or {})
        for score in scores:
            answer = score.answer()
            if isinstance(answer, bool):
                initial[f"criterion_{score.criterion_id}"] = PASS if answer else FAIL
            elif answer is not None:
                initial[f"criterion_{score.criterion_id}"] = str(answer)
            initial[f"comment_{score.criterion_id}"] = score.comment
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in self.criteria:
            if criterion.group == CriterionGroup.EXCLUSION:
                choices = [(PASS, _("Pass")), (FAIL, _("Fail"))]
            else:
                choices = [(str(number), str(number)) for number in range(criterion.scale_max + 1)]
            self.fields[answer_field(criterion)] = forms.ChoiceField(
                label=criterion.title, choices=choices, widget=forms.RadioSelect, required=False
            )
            self.fields[comment_field(criterion)] = forms.CharField(
                label=_("Your comment on “%(criterion)s”") % {"criterion": criterion.title},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=COMMENT_MAX,
            )

    def answers(self) -> dict[int, tuple[bool | int | None, str]]:
        """The answers as services.review_save takes them."""
        answers: dict[int, tuple[bool | int | None, str]] = {}
        for criterion in self.criteria:
            raw = self.cleaned_data.get(answer_field(criterion)) or ""
            answer: bool | int | None
            if not raw:
                answer = None
            elif criterion.group == CriterionGroup.EXCLUSION:
                answer = raw == PASS
            else:
                answer = int(raw)
            answers[criterion.pk] = (answer, self.cleaned_data.get(comment_field(criterion)) or "")
        return answers

    def error_summary(self) -> list[tuple[str, str, list[str]]]:
        """(anchor, label, messages) of each error, for the summary above the form: a
        criterion's pass/score errors lead to its fieldset, the radios having no single id."""
        summary = [("", "", list(self.non_field_errors()))] if self.non_field_errors() else []
        if "no_conflict" in self.errors:
            summary.append(("id_no_conflict", str(_("Conflict of interest")), self.errors["no_conflict"]))
        for criterion in self.criteria:
            name, comment = answer_field(criterion), comment_field(criterion)
            if name in self.errors:
                summary.append((f"fieldset-{name}", criterion.title, self.errors[name]))
            if comment in self.errors:
                summary.append(
                    (self[comment].id_for_label, str(self.fields[comment].label), self.errors[comment])
                )
        return summary

    def groups(self) -> list[tuple[str, list[CriterionFields]]]:
        """The criteria's fields in their groups, in the version's order."""
        grouped: dict[str, list[CriterionFields]] = {}
        for criterion in self.criteria:
            grouped.setdefault(criterion.group, []).append(
                CriterionFields(criterion, self[answer_field(criterion)], self[comment_field(criterion)])
            )
        return [(str(label), grouped[value]) for value, label in CriterionGroup.choices if value in grouped]


class StepAsideForm(forms.Form):
    conflict_note = forms.CharField(
        label=_("Your conflict of interest"),
        help_text=_("The Secretariat reads this and asks another reviewer; the authors do not see it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        help_text=_("Only this case's reviewers and the Secretariat read the discussion."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX,
    )
