"""Forms of the proposal pages. The services clean and check everything again; these make the
page say what is wrong beside each field and keep everything typed."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hw4all.practices.models import CODE_ARTICLES, code_article_label

from .models import Addressee, ProposalLevel, ProposalStatus
from .queries import proposals as queries
from .services import proposals as services


class ForumForm(forms.Form):
    @property
    def field_errors(self) -> list:
        """The fields with errors, for the summary at the top of the page."""
        return [field for field in self if field.errors]


def _digits(values) -> list[int]:
    return [int(value) for value in values if str(value).isdigit() and len(str(value)) < 10]


class ProposalForm(ForumForm):
    """The whole proposal; `edit_number` is the save the author started from, so the service
    refuses a save that would overwrite a co-author's."""

    edit_number = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"))
    problem = forms.CharField(
        label=_("The problem"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What goes wrong today, for whom, and what shows it."),
    )
    proposed = forms.CharField(
        label=_("What is proposed"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What should be done, by whom, and how the coalition would ask for it."),
    )
    addressees = forms.MultipleChoiceField(
        label=_("Addressed to"),
        required=False,
        choices=Addressee.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    addressee_detail = forms.CharField(
        label=_("Addressed to (details)"),
        required=False,
        help_text=_("Which ministry, body or funder; needed if you ticked “Other”."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=ProposalLevel.choices, widget=forms.RadioSelect)
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The countries it concerns. On a computer, hold Ctrl (Cmd on a Mac) to choose several."),
    )
    code_articles = forms.TypedMultipleChoiceField(
        label=_("WHO Code articles"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The articles of the WHO Global Code of Practice on the International Recruitment of "
            "Health Personnel that the proposal concerns."
        ),
    )
    case_studies = forms.TypedMultipleChoiceField(
        label=_("Related case studies"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Published case studies. On a computer, hold Ctrl (Cmd on a Mac) to choose several."),
    )
    resources = forms.TypedMultipleChoiceField(
        label=_("Related library resources"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Find resources of the library by their title below, then tick the ones to link."),
    )
    resource_query = forms.CharField(label=_("Find a library resource"), required=False, max_length=200)

    # The longest texts (the model's limits), checked here with a message rather than by the
    # browser, which would cut a pasted text without saying so.
    LIMITS = {
        "title": services.TITLE_MAX,
        "problem": services.TEXT_MAX,
        "proposed": services.TEXT_MAX,
        "addressee_detail": services.DETAIL_MAX,
    }

    def __init__(self, *args, found_resources: Sequence[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = list(countries)
        self.fields["code_articles"].choices = [
            (number, code_article_label(number)) for number in CODE_ARTICLES
        ]
        self.fields["case_studies"].choices = queries.case_studies_to_link()
        if self.is_bound:
            chosen = _digits(self.data.getlist("resources"))
        else:
            chosen = _digits(self.initial.get("resources", []))
        picked = queries.resources_named(pks=chosen)
        known = {pk for pk, _title in picked}
        self.fields["resources"].choices = picked + [item for item in found_resources if item[0] not in known]

    @classmethod
    def initial_for(cls, proposal) -> dict:
        return {
            "edit_number": proposal.edit_number,
            "title": proposal.title,
            "problem": proposal.problem,
            "proposed": proposal.proposed,
            "addressees": list(proposal.addressees),
            "addressee_detail": proposal.addressee_detail,
            "level": proposal.level,
            "countries": [str(code) for code in proposal.countries],
            "code_articles": list(proposal.code_articles),
            "case_studies": list(proposal.case_studies.values_list("pk", flat=True)),
            "resources": list(proposal.resources.values_list("pk", flat=True)),
        }

    def unchecked(self) -> ProposalForm:
        """The form shown back as typed without its errors: after a search for resources, which
        is no attempt to save."""
        self._errors = ErrorDict()
        return self

    def clean_edit_number(self) -> int | None:
        value = (self.cleaned_data.get("edit_number") or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None

    def clean(self):
        cleaned = super().clean()
        for name, limit in self.LIMITS.items():
            value = cleaned.get(name) or ""
            if len(value) > limit:
                self.add_error(
                    name,
                    _gettext("At most %(max)s characters; this has %(count)s.")
                    % {"max": limit, "count": len(value)},
                )
        if (
            Addressee.OTHER in (cleaned.get("addressees") or [])
            and not (cleaned.get("addressee_detail") or "").strip()
        ):
            self.add_error("addressee_detail", _gettext("Say whom the proposal is addressed to."))
        return cleaned

    def proposal_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.FIELDS}


class CoauthorForm(ForumForm):
    identifier = forms.CharField(
        label=_("@handle or email address"),
        max_length=254,
        help_text=_("A member of this space, by the @handle others mention them with, or by their email."),
    )


class DecisionForm(ForumForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ProposalStatus.ADOPTED, ProposalStatus.ADOPTED.label),
            (ProposalStatus.DECLINED, ProposalStatus.DECLINED.label),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Everyone who can see the proposal reads them."),
    )

    def clean_reasons(self) -> str:
        reasons = self.cleaned_data["reasons"]
        if len(reasons) > services.REASONS_MAX:
            raise forms.ValidationError(
                _gettext("At most %(max)s characters; this has %(count)s.")
                % {"max": services.REASONS_MAX, "count": len(reasons)}
            )
        return reasons
