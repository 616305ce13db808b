"""Forms of the library: a member's submission (the resource, then one row per file) and the
Secretariat's decision on it."""

import datetime

from django import forms
from django.conf import global_settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.dates import MONTHS
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hw4all.core import forms as core_forms

from . import records
from .models import Kind, Licence, Region, Resource, ResourceAuthor, ResourceFile, Topic
from .uploads import upload_limit_bytes

# A member sends the same document in up to this many languages at once; the Secretariat can add
# more files in the admin.
FILE_ROWS = 4


def language_name(code: str) -> str:
    """A language's name in the interface language ("roumain" for ro in French), else the code."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def language_choices() -> list[tuple[str, str]]:
    return sorted(
        ((code, language_name(code)) for code, _name in global_settings.LANGUAGES),
        key=lambda choice: choice[1].casefold(),
    )


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return obj.name_in()


class ResourceSubmitForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.REPORT)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("What the resource is about, in a few sentences. Leave a blank line between paragraphs."),
    )
    authors = forms.CharField(
        label=_("Authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_(
            "One author a line: “Family name, Given name” for a person, the name alone for an organisation."
        ),
    )
    publisher = forms.CharField(label=_("Publisher"), required=False, max_length=255)
    year = forms.IntegerField(label=_("Year of publication"), required=False, min_value=1000)
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Not known")), *MONTHS.items()],
    )
    day = forms.IntegerField(label=_("Day"), required=False, min_value=1, max_value=31)
    countries = forms.MultipleChoiceField(
        label=_("Countries covered"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions covered"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = TopicChoiceField(
        label=_("Topics"), required=False, queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    licence = forms.ChoiceField(
        label=_("Licence"), required=False, choices=[("", _("Not known")), *Licence.choices]
    )
    doi = forms.CharField(
        label=_("DOI"), required=False, max_length=255, help_text=_("For example 10.1186/1478-4491-12-1")
    )
    isbn = forms.CharField(label=_("ISBN"), required=False, max_length=20)
    url = forms.CharField(
        label=_("Web address"),
        required=False,
        max_length=1000,
        help_text=_("Where the resource is published, if it is online."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = list(countries)
        self.fields["topics"].queryset = Topic.objects.prefetch_related("names")

    def clean_title(self) -> str:
        return records.text_clean(self.cleaned_data["title"])

    def clean_summary(self) -> str:
        return records.paragraphs_clean(self.cleaned_data["summary"])

    def clean_authors(self) -> list[records.Author]:
        authors, problems = [], []
        for line in self.cleaned_data["authors"].splitlines():
            if not records.text_clean(line):
                continue
            try:
                authors.append(records.Author.parse(line))
            except records.InvalidRecord:
                problems.append(
                    _gettext("“%(value)s” is not a name: give “Family name, Given name” or an organisation.")
                    % {"value": records.shown(line)}
                )
        if problems:
            raise ValidationError(problems)
        return authors

    def _identifier(self, name: str, normalise) -> str:
        value = self.cleaned_data[name].strip()
        if not value:
            return ""
        try:
            return normalise(value)
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def clean_doi(self) -> str:
        doi = self._identifier("doi", records.doi_normalise)
        self._already_there(doi, "doi")
        return doi

    def clean_isbn(self) -> str:
        return self._identifier("isbn", records.isbn_normalise)

    def clean_url(self) -> str:
        url = self._identifier("url", records.url_check)
        if url:
            self._already_there(records.url_normalise(url), "url")
        return url

    def _already_there(self, key: str, name: str) -> None:
        """The DOI, or else the address, names one resource only (see Resource.import_key)."""
        if not key or (name == "url" and self.data.get("doi", "").strip()):
            return
        existing = Resource.objects.filter(import_key=key).first()
        if existing is not None:
            raise ValidationError(
                _gettext("The library already has this resource (%(title)s), or it is waiting for approval.")
                % {"title": records.shown(existing.title)}
            )

    def clean(self):
        cleaned = super().clean()
        year, month, day = cleaned.get("year"), cleaned.get("month"), cleaned.get("day")
        if (month or day) and not year:
            self.add_error("year", _("Give the year too."))
        elif day and not month:
            self.add_error("month", _("Give the month too."))
        elif year:
            try:
                datetime.date(year, month or 1, day or 1)
            except ValueError:
                self.add_error("day", _("This date does not exist."))
        return cleaned

    def resource_build(self) -> Resource:
        """The resource as typed, not saved: the submission service stores it."""
        data = self.cleaned_data
        resource = Resource(
            title=data["title"],
            kind=data["kind"],
            summary=data["summary"],
            publisher=records.text_clean(data["publisher"]),
            year=data["year"],
            month=data["month"],
            day=data["day"],
            countries=data["countries"],
            regions=data["regions"],
            licence=data["licence"],
            doi=data["doi"],
            isbn=data["isbn"],
            url=data["url"],
        )
        resource.authors = [ResourceAuthor(name=str(author)) for author in data["authors"]]
        resource.topics = list(data["topics"])
        return resource


class FileRowForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the file"))
    file = forms.FileField(label=_("File"), max_length=200)
    label = forms.CharField(
        label=_("Label"),
        required=False,
        max_length=255,
        help_text=_("Shown instead of the file name, for example “Executive summary”."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        self.fields["file"].help_text = _(
            "PDF, Word, OpenDocument, HTML or plain text; at most %(size)s."
        ) % {"size": filesizeformat(upload_limit_bytes())}

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > upload_limit_bytes():
            raise ValidationError(
                _gettext("The file is larger than %(size)s, the largest the library accepts.")
                % {"size": filesizeformat(upload_limit_bytes())}
            )
        return file

    def clean_label(self) -> str:
        return records.text_clean(self.cleaned_data["label"])

    def resource_file_build(self) -> ResourceFile:
        data = self.cleaned_data
        return ResourceFile(language=data["language"], file=data["file"], label=data["label"])


class BaseFileRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("file") for form in self.forms):
            raise ValidationError(_("Add at least one file."))

    def resource_files_build(self) -> list[ResourceFile]:
        return [form.resource_file_build() for form in self.forms if form.cleaned_data.get("file")]


FileRowFormSet = forms.formset_factory(
    FileRowForm, formset=BaseFileRowFormSet, extra=FILE_ROWS, max_num=FILE_ROWS, absolute_max=FILE_ROWS
)


class DecisionForm(core_forms.DecisionForm):
    note_label = _("Note to the submitter")
    note_help = _("The submitter receives this reason by email.")
