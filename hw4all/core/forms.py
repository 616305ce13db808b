from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    """The Secretariat's note to the person a decision concerns; a refusal must give one.
    Subclasses name that person in `note_label` and `note_help`."""

    note_label = _("Note")
    note_help = ""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000)

    def __init__(self, *args, note_required: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = self.note_label
        self.fields["note"].required = note_required
        if note_required:
            self.fields["note"].help_text = self.note_help
