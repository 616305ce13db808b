"""Forms of the authors' pages: starting a case study, writing it, sharing it and attaching files.
The services clean and check everything again; these forms make the page say what is wrong next
to the field and keep what was typed."""

from __future__ import annotations

import html
import re

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import (
    CODE_ARTICLES,
    LIST_FIELDS,
    READING_ORDER,
    SECTION_FIELDS,
    SECTIONS,
    CaseStudy,
    Level,
    Theme,
    code_article_label,
)
from .services.cases import PLAIN_FIELDS, SECTION_MAX_CHARS, attachment_limit_bytes

# Tags that make a section's text HTML already; anything else is taken as plain paragraphs.
BLOCK_TAG = re.compile(r"<\s*(p|ul|ol|li|h2|h3|h4|blockquote|pre|br)\b", re.IGNORECASE)
# Stored sections made only of paragraphs and line breaks are shown back as plain text.
SIMPLE_HTML = re.compile(r"^(?:<p>.*?</p>\s*)+$", re.DOTALL)
OTHER_TAG = re.compile(r"<(?!/?p>|br\s*/?>)[^>]*>", re.IGNORECASE)


def paragraphs_to_html(text: str) -> str:
    """Plain text with blank lines between paragraphs becomes <p> paragraphs (single line breaks
    become <br>); text that already has block tags is left for the sanitiser as it is."""
    text = text.replace("\r\n", "\n").strip()
    if not text or BLOCK_TAG.search(text):
        return text
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "\n".join("<p>{}</p>".format(part.replace("\n", "<br>\n")) for part in paragraphs)


def html_to_paragraphs(value: str) -> str:
    """The inverse of paragraphs_to_html for sections that are only paragraphs, so an author who
    writes plain text reads plain text when the page comes back; other HTML is shown as it is."""
    value = value.strip()
    if not value or not SIMPLE_HTML.match(value) or OTHER_TAG.search(value) or "&lt;" in value:
        return value
    paragraphs = re.findall(r"<p>(.*?)</p>", value, re.DOTALL)
    return "\n\n".join(
        html.unescape(re.sub(r"<br\s*/?>\n?", "\n", paragraph)).strip() for paragraph in paragraphs
    )


class AuthorForm(forms.Form):
    @property
    def field_errors(self) -> list:
        """The fields with errors, for the summary at the top of the page."""
        return [field for field in self if field.errors]


class CaseStartForm(AuthorForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_("You can change it later. Everything else is written on the next page."),
    )


class CaseForm(AuthorForm):
    """The whole case study as its authors write it; `edit_number` is the save the author started
    from, so the service can refuse a save that would overwrite a co-author's."""

    edit_number = forms.CharField(widget=forms.HiddenInput, required=False)
    # The page this form was loaded in: a save that only follows this page's own autosave is
    # not a conflict (see views.authoring).
    editor = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The practice in a few sentences: what was done, where, and what it achieved."),
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Where the practice took place. On a computer, hold Ctrl (Cmd on a Mac) to choose several."
        ),
    )
    levels = forms.MultipleChoiceField(
        label=_("Levels"), required=False, choices=Level.choices, widget=forms.CheckboxSelectMultiple
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    code_articles = forms.TypedMultipleChoiceField(
        label=_("WHO Code articles"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The articles of the WHO Global Code of Practice on the International Recruitment of "
            "Health Personnel that the practice puts into effect."
        ),
    )
    actors = forms.CharField(
        label=_("Actors involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ministries, employers, unions, professional bodies, NGOs, donors…"),
    )
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=255)
    contact_email = forms.EmailField(label=_("Contact email"), required=False, max_length=254)

    # The longest the plain fields may be (their model limits), checked here with a message
    # rather than by the browser, which would cut a pasted text without saying so.
    LIMITS = {"summary": 1500, "actors": 3000}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = list(countries)
        self.fields["code_articles"].choices = [
            (number, code_article_label(number)) for number in CODE_ARTICLES
        ]
        for name, heading, help_text in SECTIONS:
            self.fields[name] = forms.CharField(
                label=heading,
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=help_text,
            )
        # Keep the fields in reading order: the sections after the actors, the contact last.
        order = [*READING_ORDER, "contact_name", "contact_email", "edit_number", "editor"]
        self.order_fields(order)

    @classmethod
    def initial_for(cls, case: CaseStudy) -> dict:
        initial = {name: getattr(case, name) for name in ("title", "summary", "actors", "contact_name")}
        initial |= {name: html_to_paragraphs(getattr(case, name)) for name in SECTION_FIELDS}
        initial |= {
            "contact_email": case.contact_email,
            "countries": [str(code) for code in case.countries],
            "levels": list(case.levels),
            "themes": list(case.themes),
            "code_articles": list(case.code_articles),
            "edit_number": case.edit_number,
        }
        return initial

    def clean_edit_number(self) -> int | None:
        """None when the page did not send a usable number: the view then treats the save like a
        conflict, showing what is stored beside what was typed."""
        value = (self.cleaned_data.get("edit_number") or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None

    def clean(self):
        cleaned = super().clean()
        for name, limit in self.LIMITS.items():
            if len(cleaned.get(name) or "") > limit:
                self.add_error(
                    name,
                    _gettext("At most %(max)s characters; this has %(count)s.")
                    % {"max": limit, "count": len(cleaned[name])},
                )
        for name in SECTION_FIELDS:
            if len(cleaned.get(name) or "") > SECTION_MAX_CHARS:
                self.add_error(
                    name,
                    _gettext(
                        "This section is too long: at most %(max)s characters; this has %(count)s. "
                        "Shorten it, or attach the full document as a file."
                    )
                    % {"max": SECTION_MAX_CHARS, "count": len(cleaned[name])},
                )
        return cleaned

    def case_fields(self) -> dict:
        """What the services take, sections as HTML paragraphs; of an invalid form, the fields
        that were valid."""
        data = self.cleaned_data
        fields = {name: data[name] for name in (*PLAIN_FIELDS, *LIST_FIELDS) if name in data}
        fields |= {name: paragraphs_to_html(data[name]) for name in SECTION_FIELDS if name in data}
        return fields


class CoauthorForm(AuthorForm):
    email = forms.EmailField(
        label=_("Email address of the co-author"),
        max_length=254,
        help_text=_("They need a member account on this site; they receive an email telling them."),
    )


class AttachmentForm(AuthorForm):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=255,
        help_text=_("Shown instead of the file name, for example “Evaluation report 2014”."),
    )
    file = forms.FileField(label=_("File"), max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _gettext(
            "PDF, Word, OpenDocument, spreadsheets, CSV, text, or pictures (PNG, JPEG, WebP); at most %(size)s."
        ) % {"size": filesizeformat(attachment_limit_bytes())}
