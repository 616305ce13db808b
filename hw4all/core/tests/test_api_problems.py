"""Every failure of the public API answers in one format, problem+json (RFC 9457)."""

import base64
import json

import pytest

PROBLEM = "application/problem+json"


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


@pytest.mark.permission("api_not_found", "public")
def test_an_address_no_operation_serves_is_a_problem(client, db):
    _assert_problem(client.get("/api/v1/no-such-thing/"), 404)


def test_an_unknown_id_is_a_problem(client, db):
    _assert_problem(client.get("/api/v1/articles/999999"), 404)


@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_a_limit_out_of_range_names_the_field(client, db, limit):
    body = _assert_problem(client.get(f"/api/v1/articles/?limit={limit}"), 422)
    assert list(body["errors"]) == ["limit"]


def test_a_bad_value_in_a_list_filter_names_the_parameter(client, db):
    body = _assert_problem(client.get("/api/v1/events/?when=someday"), 422)
    assert list(body["errors"]) == ["when"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        _cursor("a string"),
        _cursor(["2024-01-01"]),
        _cursor(["yesterday", 3]),
        _cursor({"at": 3}),
        _cursor(["2024-01-01", 10**30]),
    ],
)
def test_a_cursor_the_api_did_not_give_is_refused_with_a_message(client, db, cursor):
    body = _assert_problem(client.get("/api/v1/articles/", {"cursor": cursor}), 400)
    assert list(body["errors"]) == ["cursor"]


def test_a_problem_is_readable_from_another_origin_and_not_cached_publicly(client, db):
    response = client.get("/api/v1/articles/999999", headers={"Origin": "https://partner.example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" not in response.get("Cache-Control", "")


def test_the_schema_documents_the_problem_format_on_every_operation(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["Problem"]["properties"]) >= {
        "type",
        "title",
        "status",
        "detail",
        "errors",
    }
    operations = [op for item in schema["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert len(operations) > 30
    for operation in operations:
        for status in ("400", "401", "403", "404", "409", "422", "429", "500"):
            content = operation["responses"][status]["content"]
            assert content == {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        assert "Retry-After" in operation["responses"]["429"]["headers"]
