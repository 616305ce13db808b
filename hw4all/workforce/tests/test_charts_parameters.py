"""Whatever a chart URL's query string holds, every registered chart answers with its drawing,
a 400 naming the problem or a 404: never a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hw4all.workforce.charts import CHARTS

from .world_data import world_create

pytestmark = pytest.mark.django_db

# The parameters the charts read, and some they do not.
KEYS = ["iso3", "year", "cadre", "threshold", "by", "list", "limit", "region", "income", "sort", "other"]
VALUES = st.one_of(
    st.sampled_from(
        ["KEN", "ken", "XXX", "2020", "1800", "99999999999999999999", "-1", "", "nan", "1e3", "44.5"]
    ),
    st.text(max_size=12),
)


@pytest.fixture
def names() -> list[str]:
    from hw4all.workforce.charts import profile, world  # noqa: F401 - they register their builders

    return sorted(CHARTS)


@pytest.fixture
def world() -> None:
    world_create()


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=4), choice=st.integers(min_value=0))
def test_any_query_gets_a_chart_400_or_404(client, world, names, query, choice):
    name = names[choice % len(names)]
    response = client.get(f"/en/workforce/charts/{name}.json", query)
    assert response.status_code in (200, 400, 404), (name, query, response.content[:300])


def test_every_chart_is_drawn_on_the_server(client, world, names):
    for name in names:
        # A country's charts need one (Kenya trains doctors who work abroad, Britain employs
        # them); the world's take their defaults.
        statuses = []
        for query in ({}, {"iso3": "KEN"}, {"iso3": "GBR"}):
            response = client.get(f"/en/workforce/charts/{name}.svg", query)
            statuses.append(response.status_code)
            if response.status_code == 200:
                assert response.content.lstrip().startswith(b"<svg"), name
        assert 200 in statuses, (name, statuses)
