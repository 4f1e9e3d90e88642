"""The OpenAPI document (every built-in plugin enabled) is valid, declares the request body of
every write and the answer of every operation, and ``docs/api.md`` is generated from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tisserand import apidoc

openapi_spec_validator = pytest.importorskip("openapi_spec_validator")

ROOT = Path(__file__).resolve().parents[3]

@pytest.fixture(scope="module")
def document():
    return apidoc.api_document()


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield method.upper(), path, operation


def test_the_document_is_valid_openapi(document):
    openapi_spec_validator.validate(json.loads(json.dumps(document)))
    assert len(list(_operations(document))) > 100


def test_every_write_declares_its_request_body(document):
    missing = [f"{method} {path}" for method, path, operation in _operations(document)
               if method in ("POST", "PUT", "PATCH") and "requestBody" not in operation]
    assert missing == []


def test_request_bodies_come_from_the_models_that_validate(document):
    from tisserand.plugins.forums.api_categories import CategoryPatch

    body = document["paths"]["/api/v1/communities/{slug}/forum/categories/{category}"]["patch"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CategoryPatch"}
    schema = document["components"]["schemas"]["CategoryPatch"]
    assert schema["properties"].keys() == CategoryPatch.model_fields.keys()
    assert schema["additionalProperties"] is False


def test_every_answer_is_described(document):
    undescribed = set()
    for method, path, operation in _operations(document):
        answers = {code: spec for code, spec in operation["responses"].items() if code != "default"}
        if not any(code == "204" or code.startswith("3") or spec.get("content") for code, spec in answers.items()):
            undescribed.add(f"{method} {path}")
    assert undescribed == set(), "describe the answers of these operations: documented(answer=...)"


def test_the_api_reference_page_is_generated_from_the_document(document):
    page = (ROOT / apidoc.PAGE).read_text(encoding="utf-8")
    assert page == apidoc.markdown(document), "docs/api.md is out of date: run scripts/api-docs"
    listed = {line.split("`")[1] for line in page.splitlines() if line.startswith("| `")}
    assert listed == {f"{method} {path}" for method, path, _operation in _operations(document)}
