"""Health-workforce data as the publishers release it: countries, indicators, observations and
migration stocks, each traced to the source file (a vintage) it was read from.

An observation is never overwritten: importing a newer vintage adds rows and marks the ones it
supersedes as no longer current, and the import run records each change. The analysis reads
the current rows only (a partial unique constraint keeps one per country, indicator and year).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WhoRegion(models.TextChoices):
    AFR = "AFR", _("Africa")
    AMR = "AMR", _("Americas")
    EMR = "EMR", _("Eastern Mediterranean")
    EUR = "EUR", pgettext_lazy("WHO region", "Europe")
    SEAR = "SEAR", _("South-East Asia")
    WPR = "WPR", _("Western Pacific")


class IncomeGroup(models.TextChoices):
    """The World Bank's classification of economies by gross national income per person."""

    LOW = "LIC", _("Low income")
    LOWER_MIDDLE = "LMC", _("Lower-middle income")
    UPPER_MIDDLE = "UMC", _("Upper-middle income")
    HIGH = "HIC", _("High income")


class Country(models.Model):
    """A country as the sources name it by ISO 3166-1 alpha-3. Its name in each language comes
    from django-countries through `iso2`; `name` is the source's English name, for the few codes
    without one."""

    iso3 = models.CharField(max_length=3, unique=True)
    iso2 = models.CharField(max_length=2, blank=True)
    name = models.CharField(max_length=200)
    who_region = models.CharField(max_length=4, choices=WhoRegion.choices, blank=True)
    income_group = models.CharField(max_length=3, choices=IncomeGroup.choices, blank=True)

    class Meta:
        ordering = ["iso3"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.iso3


class Indicator(models.Model):
    """A series as its publisher codes it (HWF_0001 is WHO's density of medical doctors)."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text=_("Who publishes the series."))

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class SourceFormat(models.TextChoices):
    WHO_GHO = "who_gho", _("WHO Global Health Observatory CSV export")
    WORLD_BANK = "world_bank", _("World Bank CSV (bulk download)")
    OECD = "oecd", _("OECD CSV export (health workforce migration)")
    LONG = "long", _("Plain long CSV (iso3, indicator, year, value)")
    SAFEGUARD_LIST = "safeguard_list", _("WHO Support and Safeguards List (iso3, country, list year)")
    WORLD_BANK_COUNTRIES = "world_bank_countries", _("World Bank country metadata (income groups)")


class Source(models.Model):
    """One vintage of one dataset: the file a set of figures was read from, with the date its
    publisher gave it (or the date it was retrieved)."""

    dataset = models.CharField(max_length=200, help_text=_("For example: WHO GHO, NHWA."))
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=300, blank=True)
    file_name = models.CharField(max_length=300)
    file_date = models.DateField(null=True, blank=True, help_text=_("The date the publisher gave the file."))
    retrieved_on = models.DateField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=32, choices=SourceFormat.choices)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "sha256"], name="workforce_source_once_per_file"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} ({self.file_date or self.retrieved_on or self.file_name})"


class Observation(models.Model):
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="observations")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="observations")
    is_current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country", "indicator", "year", "source"],
                name="workforce_observation_once_per_source",
            ),
            models.UniqueConstraint(
                fields=["country", "indicator", "year"],
                condition=models.Q(is_current=True),
                name="workforce_observation_one_current",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "is_current"], name="workforce_obs_indicator")]

    def __str__(self) -> str:
        return f"{self.country_id} {self.indicator_id} {self.year}: {self.value}"


class Occupation(models.TextChoices):
    DOCTORS = "doctors", _("Doctors")
    NURSES = "nurses", _("Nurses")


class MigrationStock(models.Model):
    """How many health workers trained in `origin` work in `destination` in a year."""

    destination = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    origin = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    occupation = models.CharField(max_length=16, choices=Occupation.choices)
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="migration_stocks")
    is_current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["destination", "origin", "occupation", "year", "source"],
                name="workforce_migration_once_per_source",
            ),
            models.UniqueConstraint(
                fields=["destination", "origin", "occupation", "year"],
                condition=models.Q(is_current=True),
                name="workforce_migration_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin_id} -> {self.destination_id} {self.year}: {self.count}"


class SafeguardListEntry(models.Model):
    """A country on the WHO Health Workforce Support and Safeguards List of a given year, as
    published (not as computed from the criteria)."""

    list_year = models.PositiveSmallIntegerField()
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="safeguard_entries")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="safeguard_entries")

    class Meta:
        ordering = ["list_year", "country__iso3"]
        constraints = [
            models.UniqueConstraint(
                fields=["list_year", "country"], name="workforce_safeguard_once_per_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_year}: {self.country_id}"


class ImportRun(models.Model):
    """One import of one file: what it added, changed and refused, line by line."""

    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, related_name="import_runs")
    format = models.CharField(max_length=32, choices=SourceFormat.choices)
    file_name = models.CharField(max_length=300)
    started_at = models.DateTimeField(auto_now_add=True)
    lines = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # [{"line": 12, "message": "Unknown country code “XKX”."}, ...]
    errors = models.JSONField(default=list)
    # [{"iso3": "KEN", "indicator": "HWF_0001", "year": 2018, "old": 1.5, "new": 1.6}, ...]
    changes = models.JSONField(default=list)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"
