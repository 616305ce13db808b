"""The Secretariat's forms on a case: screening notes, reviewer assignment, withdrawal and the
decision. The services check everything again; these forms only shape the input."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hw4all.coalition.queries import organisation_of
from hw4all.core import forms as core_forms
from hw4all.users.roles import REVIEWER

from . import services
from .models import ACTIVE_ASSIGNMENTS, CaseStudy, CriteriaSetVersion, VersionStatus
from .services.cases import review_deadline_default

User = get_user_model()


class AcceptForm(core_forms.DecisionForm):
    note_label = _("Note to the authors (optional)")


class ReturnForm(core_forms.DecisionForm):
    note_label = _("Comments to the authors")
    note_help = _(
        "The authors receive these comments by email and change the case study before submitting it again."
    )


class WithdrawForm(core_forms.DecisionForm):
    note_label = _("Why the review is withdrawn")
    note_help = _("The reviewer receives this reason by email.")


def reviewer_label(user) -> str:
    organisation = organisation_of(user)
    if organisation is None:
        return str(user)
    if organisation.country:
        return f"{user} — {organisation}, {organisation.country.name}"
    return f"{user} — {organisation}"


class ReviewerCheckboxes(forms.CheckboxSelectMultiple):
    """Reviewers the rules refuse stay in the list, disabled, with the reason beside them."""

    def __init__(self, *args, refusals: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.refusals = refusals or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        refusal = self.refusals.get(str(value))
        if refusal:
            option["attrs"]["disabled"] = True
            option["label"] = f"{label} ({refusal})"
        return option


def reviewers_for(case: CaseStudy):
    return (
        User.objects.filter(is_active=True, groups__name=REVIEWER)
        .select_related("person__organisation")
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class AssignForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        help_text=_(
            "Never from the submitting organisation; together with those already assigned, they "
            "must be enough and come from enough countries."
        ),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    criteria_version = forms.ModelChoiceField(
        label=_("Criteria version"),
        queryset=CriteriaSetVersion.objects.none(),
        required=False,
        help_text=_("Every reviewer of this revision scores against the same version."),
    )

    def __init__(self, *args, case: CaseStudy, **kwargs) -> None:
        self.case = case
        kwargs.setdefault(
            "initial",
            {
                "deadline": review_deadline_default(),
                "criteria_version": case.criteria_version or services.criteria_version_default(),
            },
        )
        super().__init__(*args, **kwargs)
        candidates = list(reviewers_for(case))
        already = set(
            case.assignments.filter(round=case.revision, status__in=ACTIVE_ASSIGNMENTS).values_list(
                "reviewer_id", flat=True
            )
        )
        refusals = {}
        for user in candidates:
            refusal = services.reviewer_refusal(case, user)
            if not refusal and user.pk in already:
                refusal = str(_("already assigned"))
            if refusal:
                refusals[str(user.pk)] = refusal
        field = self.fields["reviewers"]
        # The widget first: setting the queryset gives the current widget its choices.
        field.widget = ReviewerCheckboxes(refusals=refusals)
        field.queryset = reviewers_for(case)
        field.label_from_instance = reviewer_label
        self.refusals = refusals
        versions = self.fields["criteria_version"]
        versions.queryset = CriteriaSetVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
            "criteria_set"
        )
        # The round's first assignment fixed the version: it is shown, not chosen again.
        self.version_fixed = bool(already) and case.criteria_version_id is not None
        if self.version_fixed:
            versions.disabled = True
            versions.initial = case.criteria_version

    def clean_reviewers(self):
        reviewers = self.cleaned_data["reviewers"]
        refused = [self.refusals[str(user.pk)] for user in reviewers if str(user.pk) in self.refusals]
        if refused:
            raise forms.ValidationError(refused)
        return reviewers


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (services.Decision.VALIDATED, _("Validated")),
            (services.Decision.REVISE, _("Revise: back to the authors")),
            (services.Decision.DECLINED, pgettext_lazy("case study status", "Declined")),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        help_text=_(
            "Required to ask for a revision or to decline: the authors receive them by email, "
            "with the reviewers' comments."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    publish = forms.BooleanField(
        label=_("Publish now (validated only)"),
        help_text=_("Shows the case on the website with its validation badge."),
        required=False,
        initial=True,
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if (
            decision
            and decision != services.Decision.VALIDATED
            and not (cleaned.get("reasons") or "").strip()
        ):
            self.add_error("reasons", _("Give the authors your reasons."))
        return cleaned
