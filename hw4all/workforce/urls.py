from django.urls import path

from .views import charts, profile, sources, world

app_name = "workforce"

urlpatterns = [
    # The global views.
    path("workforce/", world.index, name="index"),
    path("workforce/density/", world.ranking, name="ranking"),
    path("workforce/shortage/", world.shortage, name="shortage"),
    path("workforce/safeguard-list/", world.safeguard, name="safeguard"),
    path("workforce/migration/", world.migration, name="migration"),
    path("workforce/trends/", world.trends, name="trends"),
    # Country profiles and their briefings.
    path("workforce/countries/", profile.countries, name="countries"),
    path("workforce/countries/<str:iso3>/", profile.country, name="country"),
    path("workforce/countries/<str:iso3>/briefing.pdf", profile.briefing_pdf, name="briefing"),
    # Every chart as SVG, PNG, CSV and its Vega-Lite spec (json), rebuilt from its parameters.
    path("workforce/charts/<str:name>.<str:fmt>", charts.chart, name="chart"),
    # Where the figures come from: sources, vintages, imports and what changed.
    path("workforce/sources/", sources.sources, name="sources"),
    path("workforce/sources/<int:pk>/", sources.source, name="source"),
]
