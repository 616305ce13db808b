import functools
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hw4all.coalition.models import OrganisationType

from .models import SignerKind
from .normalise import email_clean


class NormalisedEmailField(forms.EmailField):
    """Accepts an address typed with full-width characters, as the one-per-address rule does."""

    def to_python(self, value):
        # The field's empty value is "", so `or ""` only tells the type checker it is a string.
        return email_clean(super().to_python(value) or "")


def country_choices() -> list[tuple[str, str]]:
    # A blank first choice, so that nobody is counted in the first country of the list by not
    # touching the menu. Called when the menu is rendered, in the visitor's language.
    return [("", str(_("Choose a country"))), *countries]


class CountryField(forms.ChoiceField):
    """A country menu that checks a code against the list without walking the ~250 choices,
    which matters on the signing path."""

    def valid_value(self, value: str) -> bool:
        return bool(value) and value in countries.countries


class SignatureForm(forms.Form):
    """The signing form, as shown on the campaign page, in embeds and accepted from partner
    sites' plain HTML forms. `website` is a honeypot: people never see it, robots fill it."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = NormalisedEmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Only used to confirm your signature, and to contact you if you agree."),
    )
    country = CountryField(label=_("Country"), choices=country_choices)
    organisation_name = forms.CharField(label=_("Organisation (optional)"), max_length=200, required=False)
    city = forms.CharField(label=_("City (optional)"), max_length=100, required=False)
    public = forms.BooleanField(label=_("Show my name in the list of signers"), required=False)
    consent_contact = forms.BooleanField(
        label=_("Health Workers for All may email me about this and future campaigns"), required=False
    )
    source = forms.SlugField(max_length=50, required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.omitted_fields(campaign):
            del self.fields[name]

    @classmethod
    def omitted_fields(cls, campaign) -> tuple[str, ...]:
        """The fields the campaign does not ask for."""
        if campaign is None:
            return ()
        return tuple(
            name
            for name, asked in (("organisation_name", campaign.ask_organisation), ("city", campaign.ask_city))
            if not asked
        )

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class EndorsementForm(SignatureForm):
    """An organisation endorsing a declaration: the name is the contact person's."""

    signer_kind = SignerKind.ORGANISATION
    name = forms.CharField(label=_("Contact person"), max_length=200)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_type = forms.ChoiceField(label=_("Type of organisation"), choices=OrganisationType.choices)
    email = NormalisedEmailField(label=_("Contact email"), max_length=254)
    country = CountryField(label=_("Country of the organisation"), choices=country_choices)
    public = forms.BooleanField(
        label=_("Show the organisation in the list of endorsers"), required=False, initial=True
    )

    @classmethod
    def omitted_fields(cls, campaign) -> tuple[str, ...]:
        return ("city",)


def signing_data_clean(
    form_class: type[SignatureForm], data: QueryDict, *, campaign
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """What `form_class(data, campaign=campaign)` finds: its cleaned data, and its error
    messages by field (empty when the form is valid). For the signing path, which takes
    hundreds of posts a second: Django deep-copies every field of a form for each instance
    (the country menu's choices included), while this runs the class's own fields, which
    cleaning does not change. The form itself is built only to show a page or its errors."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, field in _fields_asked(form_class, form_class.omitted_fields(campaign)):
        try:
            cleaned[name] = field.clean(field.widget.value_from_datadict(data, None, name))
        except ValidationError as error:
            errors[name] = error.messages
    return cleaned, errors


@functools.cache
def _fields_asked(
    form_class: type[SignatureForm], omitted: tuple[str, ...]
) -> tuple[tuple[str, forms.Field], ...]:
    return tuple((name, field) for name, field in form_class.base_fields.items() if name not in omitted)
