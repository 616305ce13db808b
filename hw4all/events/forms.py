from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email address"), help_text=_("We send your confirmation and a link to cancel here.")
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the Health Workers for All secretariat stores my name, email address and "
            "organisation to organise this event."
        ),
        error_messages={"required": _("We can only register you if you agree that we store these details.")},
    )
