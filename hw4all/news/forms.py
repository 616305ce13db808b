from django import forms
from django.core.validators import validate_slug
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from .models import ArticleKind
from .queries import ArticleFacets

StrOrPromise = str | Promise


class ArticleFilterForm(forms.Form):
    """The index filters. A value that is well formed but matches nothing is valid (the list is
    just empty); a malformed one is an error shown next to its field."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ArticleKind.choices]
    )
    tag = forms.CharField(label=_("Topic"), required=False, max_length=100, validators=[validate_slug])
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    author = forms.CharField(
        required=False, max_length=255, validators=[validate_slug], widget=forms.HiddenInput
    )

    def __init__(self, data: dict, *, facets: ArticleFacets) -> None:
        super().__init__(data)
        self.facets = facets
        self.fields["tag"].widget = forms.Select(
            choices=self._with_current("tag", facets.tags, _("All topics"))
        )
        self.fields["country"].widget = forms.Select(
            choices=self._with_current("country", facets.countries, _("All countries"))
        )

    def _with_current(
        self, name: str, options: list[tuple[str, str]], everything: StrOrPromise
    ) -> list[tuple[str, StrOrPromise]]:
        # Keep what the visitor asked for selected even when nothing carries it.
        current = self.data.get(name, "")
        choices = [("", everything), *options]
        if current and current not in dict(options):
            choices.append((current, current))
        return choices

    def clean_country(self) -> str:
        code = self.cleaned_data["country"].upper()
        if code and code not in all_countries:
            raise forms.ValidationError(_("Choose a country from the list."), code="invalid_country")
        return code

    def description(self) -> str:
        """What the list shows, for the heading and the page title: "Statement · Kenya"."""
        if not self.is_valid():
            return ""
        data = self.cleaned_data
        parts = []
        if data["kind"]:
            parts.append(str(ArticleKind(data["kind"]).label))
        if data["tag"]:
            parts.append(_("topic “%(tag)s”") % {"tag": dict(self.facets.tags).get(data["tag"], data["tag"])})
        if data["country"]:
            parts.append(str(all_countries.name(data["country"])))
        if data["author"]:
            name = dict(self.facets.authors).get(data["author"], data["author"])
            parts.append(_("by %(name)s") % {"name": name})
        return " · ".join(parts)

    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)
