"""The OpenAPI document: valid OpenAPI 3, complete against the URL map, served as a page."""

import re

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def operations(document):
    """(path, method, operation) for every operation of the document."""
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def openapi_path(rule: str) -> str:
    """Flask's /encounters/<int(max=...):encounter_id> as OpenAPI's /encounters/{encounter_id}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_document_is_valid_openapi_3(document):
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_route_under_api_v1_is_documented(app, document):
    routes = {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, method, _ in operations(document)}
    assert routes == documented


def test_operations_are_described(document):
    for path, method, op in operations(document):
        where = f"{method.upper()} {path}"
        assert op.get("summary"), where
        assert op.get("tags"), where
        assert any(status.startswith("2") for status in op["responses"]), where
        assert "429" in op["responses"], where
        if op.get("security"):
            assert "401" in op["responses"], where
        if "requestBody" in op:
            assert "422" in op["responses"] and "400" in op["responses"], where


def test_refusals_share_the_error_schema(document):
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    detail = document["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message", "fields"}
    for name in ("UNAUTHORIZED", "NOT_FOUND", "CONFLICT", "TOO_MANY_REQUESTS", "DEFAULT_ERROR"):
        response = document["components"]["responses"][name]
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}


def test_signed_in_operations_say_so(document):
    public = {
        ("post", "/api/v1/accounts"),
        ("post", "/api/v1/tokens"),
        ("get", "/api/v1/openapi.json"),
        ("get", "/api/v1/businesses"),
        ("get", "/api/v1/businesses/{handle}"),
        ("get", "/api/v1/businesses/{handle}/reviews"),
    }
    optional = {
        ("get", "/api/v1/customers/{handle}"),
        ("get", "/api/v1/customers/{handle}/reviews"),
    }
    for path, method, op in operations(document):
        if (method, path) in public:
            expected = []
        elif (method, path) in optional:
            expected = [{}, {"bearerAuth": []}]
        else:
            expected = [{"bearerAuth": []}]
        assert op.get("security", []) == expected, f"{method} {path}"


def test_examples_match_their_schemas(document):
    registry = Registry().with_resource(
        "urn:doc", Resource.from_contents(document, default_specification=DRAFT4)
    )
    checked = 0
    for _, _, op in operations(document):
        contents = [op.get("requestBody", {}).get("content", {})]
        contents += [r.get("content", {}) for r in op["responses"].values()]
        for content in contents:
            media = content.get("application/json", {})
            if "example" in media and "$ref" in media.get("schema", {}):
                schema = {"$ref": "urn:doc" + media["schema"]["$ref"]}
                OAS30Validator(schema, registry=registry).validate(media["example"])
                checked += 1
    assert checked >= 6


def test_docs_page_renders_the_document_without_a_cdn(client, document):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/api/v1/openapi.json"' in page
    for path in document["paths"]:
        assert path in page
    assert "https://" not in page.split("<main", 1)[1]
    assert "<script" not in page
