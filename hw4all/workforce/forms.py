"""The admin's form to import a data file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from .models import SourceFormat


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    format = forms.ChoiceField(label=_("Format"), choices=SourceFormat.choices)
    dataset = forms.CharField(
        label=_("Dataset"),
        max_length=200,
        help_text=_(
            "The dataset the file is a vintage of, named the same way each time (for example: WHO "
            "Global Health Observatory, National Health Workforce Accounts)."
        ),
    )
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    url = forms.URLField(label=_("Link to the publisher's page"), max_length=500, required=False)
    licence = forms.CharField(label=_("Licence"), max_length=300, required=False)
    indicator = forms.CharField(
        label=_("Indicator code"),
        max_length=64,
        required=False,
        help_text=_(
            "For a file of one series that does not name it (World Bank long files, single-series "
            "long files): for example SP.POP.TOTL."
        ),
    )
    value_column = forms.CharField(
        label=_("Value column"),
        max_length=200,
        required=False,
        help_text=_("The column holding the values of a single-series long file (for example uhc_sci)."),
    )
    file_date = forms.DateField(
        label=_("Date of the file"),
        required=False,
        widget=AdminDateInput,
        help_text=_("The date its publisher gave the file, when the file does not carry it."),
    )


class ImportConfirmForm(forms.Form):
    """The second step: the file is the one previewed, kept between the steps."""

    token = forms.CharField(widget=forms.HiddenInput)
