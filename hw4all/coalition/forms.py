from django import forms
from django.utils.translation import gettext_lazy as _

from hw4all.core import forms as core_forms

from .models import CoalitionRole, MembershipApplication, OrganisationType


class DirectoryFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *OrganisationType.choices]
    )
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("members", _("Members")), ("all", _("Members, project partners and co-promoters"))],
    )

    def __init__(self, *args, country_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *country_choices]


class PeopleFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role in the coalition"),
        required=False,
        choices=[("", _("All roles")), *[c for c in CoalitionRole.choices if c[0]]],
    )
    country = forms.ChoiceField(label=_("Country of organisation"), required=False)

    def __init__(self, *args, country_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *country_choices]


class MembershipApplicationForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("I agree that Health Workers for All stores these details to process the application."),
        required=True,
        error_messages={"required": _("We can only process the application with your consent.")},
    )

    class Meta:
        model = MembershipApplication
        fields = [
            "organisation_name",
            "acronym",
            "country",
            "type",
            "website",
            "description",
            "contact_name",
            "contact_email",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class DecisionForm(core_forms.DecisionForm):
    note_label = _("Note to the applicant")
    note_help = _("The applicant receives this reason by email.")
