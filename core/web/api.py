"""Helpers for JSON API endpoints (core and plugins): viewer, body parsing, answers, cursors,
and the OpenAPI document built from the mounted routes."""

from __future__ import annotations

import ast
import base64
import binascii
import inspect
import json
import re
import textwrap
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError
from starlette.responses import JSONResponse

from tisserand.errors import TisserandError, TooLarge, Unauthorized, ValidationFailed
from tisserand.i18n import _
from tisserand.text import BadText, clean_data, clean_text
from tisserand.validation import describe

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from tisserand.models import Member

__all__ = [
    "APIResponse", "NoBody", "PatchBody", "answer", "decode_cursor", "documented", "encode_cursor", "int_param",
    "listing", "read_json", "read_json_data", "require_viewer", "validate",
]

M = TypeVar("M", bound=BaseModel)
MAX_JSON_BYTES = 1_000_000


def viewer(request: Request) -> Member | None:
    """The authenticated member (session or bearer token), or None."""
    return getattr(request.state, "viewer", None)


def require_viewer(request: Request) -> Member:
    """The authenticated member, or 401."""
    member = viewer(request)
    if member is None:
        raise Unauthorized(_("Log in, or send an API token in the Authorization header."))
    return member


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot serialize {type(value).__name__}")


class APIResponse(JSONResponse):
    """JSON with ISO 8601 times and enums as their values."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=_json_default,
                          separators=(",", ":")).encode("utf-8")


def answer(data: Any, status_code: int = 200, headers: dict[str, str] | None = None,
           background: Any = None) -> APIResponse:
    """A JSON answer (``background``: a Starlette task to run after it is sent)."""
    return APIResponse(data, status_code=status_code, headers=headers, background=background)


def listing(items: list[Any], next_cursor: str | None) -> APIResponse:
    """The list format of the API: ``{"items": [...], "next": cursor-or-null}``."""
    return answer({"items": items, "next": next_cursor})


async def read_json_data(request: Request) -> Any:
    """The request body as JSON data, cleaned at the door: 413 when too large, 400 for broken
    JSON, JSON nested more than 32 levels deep, or a lone surrogate (``"\\ud800"``); control
    characters are removed from every string (see :mod:`tisserand.text`). Every JSON route reads
    its body through here (or :func:`read_json`)."""
    body = await request.body()
    if len(body) > MAX_JSON_BYTES:
        raise TooLarge(_("The request is too large."))
    try:
        return clean_data(json.loads(body or b"{}"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise TisserandError(_("The body is not valid JSON."), code="bad_json") from None
    except RecursionError:
        raise TisserandError(_("The JSON body is nested too deeply."), code="bad_json") from None
    except BadText as exc:
        message = (_("The JSON body is nested too deeply.") if "nested" in str(exc)
                   else _("The body contains text that is not valid Unicode."))
        raise TisserandError(message, code="bad_json") from None


async def read_json(request: Request, model: type[M]) -> M:
    """Parse the request body as JSON into ``model``: 400 for broken JSON, 413 when too
    large, 422 with a message per field for wrong values."""
    data = await read_json_data(request)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields, summary = describe(exc, model)
        raise ValidationFailed(summary, fields=fields) from None


class PatchBody(BaseModel):
    """Base of PATCH bodies: absent fields stay as they are, and ``null`` is refused (422) for
    every field not listed in ``nullable`` — ``{"name": null}`` cannot blank a required column."""

    model_config = ConfigDict(extra="forbid")
    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _refuse_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, value in data.items():
                if value is None and name in cls.model_fields and name not in cls.nullable:
                    raise PydanticCustomError("null_refused", "{field} may not be null", {"field": name})
        return data


def validate(model: type[M], data: dict[str, Any]) -> M:
    """Validate form data against a pydantic model, with the same 422 errors as the API."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields, _summary = describe(exc, model)
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=fields) from None


def encode_cursor(*values: Any) -> str:
    """An opaque cursor for keyset pagination."""
    raw = json.dumps(values, default=_json_default, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_BROKEN_CURSOR = "This page link is broken: start again from the first page."


def _cursor_value(value: Any, kind: type) -> Any:
    from tisserand.web.params import MAX_ID

    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not -MAX_ID <= value <= MAX_ID:
            raise ValueError("not an id")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("not a number")
        return float(value)
    if kind is datetime:
        if not isinstance(value, str):
            raise ValueError("not a time")
        return datetime.fromisoformat(value)
    if kind is str:
        if not isinstance(value, str):
            raise ValueError("not a text")
        return value
    return value


def decode_cursor(cursor: str | None, *shape: type) -> list[Any] | None:
    """The values inside a cursor; 400 for a cursor that was not made here. With a ``shape``
    (``decode_cursor(raw, datetime, int)``) the cursor must hold exactly those types, converted
    (ints are bounded like ids, times parsed from ISO 8601). Without one, ints beyond the id
    range and nested values are refused all the same."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise TisserandError(_(_BROKEN_CURSOR), code="bad_cursor") from None
    if not isinstance(values, list) or not values:
        raise TisserandError(_(_BROKEN_CURSOR), code="bad_cursor")
    try:
        if shape:
            if len(values) != len(shape):
                raise ValueError("wrong length")
            return [_cursor_value(value, kind) for value, kind in zip(values, shape, strict=True)]
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool):
                _cursor_value(value, int)
            elif isinstance(value, list | dict):
                raise ValueError("nested")
            elif isinstance(value, str):
                clean_text(value)
    except (ValueError, TypeError):
        raise TisserandError(_(_BROKEN_CURSOR), code="bad_cursor") from None
    return values


def int_param(request: Request, name: str, default: int, *, low: int = 1, high: int = 100) -> int:
    """An integer query parameter within bounds, or 422."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationFailed(_("{name} must be a whole number.", name=name), fields={name: "integer"}) from None
    if not low <= value <= high:
        raise ValidationFailed(_("{name} must be between {low} and {high}.", name=name, low=low, high=high),
                               fields={name: "range"})
    return value


F = TypeVar("F", bound=Callable[..., Any])
_PATH_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?}")
_TYPED_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-z]+))?}")


def _path_schema(convertor: str) -> dict[str, Any]:
    from tisserand.web.params import MAX_ID

    if convertor == "id":
        return {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    if convertor == "int":
        return {"type": "integer", "minimum": 0}
    return {"type": "string"}


def documented(*, body: dict[str, type[BaseModel]] | type[BaseModel] | None = None,
               status: int | dict[str, int] = 200, query: dict[str, str] | None = None,
               listing: bool = False, tags: list[str] | None = None,
               answer: Any = None, media: str | dict[str, str] | None = None,
               multipart: dict[str, Any] | None = None) -> Callable[[F], F]:
    """Describe an API endpoint for ``/api/v1/openapi.json``: its JSON ``body`` model (one, or
    one per method; when absent, the model its source passes to ``read_json``, else
    :class:`NoBody`), its success ``status`` (one, or per method), its ``query`` parameters
    (name → description), whether it answers a cursor ``listing``, the ``answer``'s shape (a
    pydantic model or a JSON schema; of one item for a listing; one, or per method) and the
    ``media`` type of an answer that is not JSON (a zip, a calendar, an event stream); a
    ``multipart`` body is described by its fields' JSON schemas."""

    def mark(endpoint: F) -> F:
        endpoint.__tisserand_api__ = {  # type: ignore[attr-defined]
            "body": body, "status": status, "query": query or {}, "listing": listing, "tags": tags or [],
            "answer": answer, "media": media, "multipart": multipart,
        }
        return endpoint

    return mark


_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


def _per_method(value: Any, method: str) -> Any:
    """``value`` for ``method``: a dict keyed by methods is per method; anything else (a JSON
    schema is a dict too) is for every method."""
    if isinstance(value, dict) and value and set(value) <= _METHODS:
        return value.get(method)
    return value


_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}}},
        "required": ["code", "message"]}},
}


class NoBody(BaseModel):
    """No field: the operation takes an empty JSON object (or no body at all)."""

    model_config = ConfigDict(extra="forbid", title="NoBody")


#: Methods that write, and so declare a request body in the OpenAPI document.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def read_body_of(endpoint: Callable[..., Any]) -> tuple[str, type[BaseModel] | None]:
    """How an endpoint reads its body, found in its source: ``("json", Model)`` when it calls
    ``read_json(request, Model)`` (the model that validates it), ``("json", None)`` for free JSON
    (``read_json_data``), ``("form", None)`` for a multipart form, ``("none", None)`` otherwise.
    The OpenAPI document uses it for endpoints that do not say it with :func:`documented`."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(endpoint)))
    except (OSError, TypeError, SyntaxError):
        return "none", None
    found: list[type[BaseModel]] = []
    kind = "none"
    namespace = getattr(endpoint, "__globals__", {})
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node.func)
        if name == "read_json" and len(node.args) >= 2 and isinstance(node.args[1], ast.Name):
            model = namespace.get(node.args[1].id)
            if isinstance(model, type) and issubclass(model, BaseModel) and model not in found:
                found.append(model)
        elif name == "read_json_data":
            kind = "json"
        elif name == "form" and isinstance(node.func, ast.Attribute) and _call_name(node.func.value) == "request":
            kind = "form"
    if len(found) == 1:
        return "json", found[0]
    return kind, None


def _model_schema(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _answer_schema(declared: Any, schemas: dict[str, Any], listing: bool) -> dict[str, Any] | None:
    """The JSON schema of a success answer: a pydantic model, a JSON schema (a dict), or for a
    listing the model of one item."""
    if declared is None:
        return {"$ref": "#/components/schemas/Listing"} if listing else None
    item = _model_schema(declared, schemas) if isinstance(declared, type) else declared
    if not listing:
        return item
    return {"type": "object", "required": ["items", "next"], "properties": {
        "items": {"type": "array", "items": item},
        "next": {"type": ["string", "null"], "description": "Pass as ?cursor= for the next page"}}}


def _operation(route: Any, method: str, path: str, schemas: dict[str, Any], raw_path: str = "") -> dict[str, Any]:
    doc = (route.endpoint.__doc__ or "").strip()
    info = getattr(route.endpoint, "__tisserand_api__", {})
    status = _per_method(info.get("status", 200), method) or 200
    success: dict[str, Any] = {"description": "Success"}
    is_listing = bool(info.get("listing")) and method == "GET"
    schema = _answer_schema(_per_method(info.get("answer"), method), schemas, is_listing)
    media = _per_method(info.get("media"), method)
    if media:
        success["content"] = {media: {"schema": {"type": "string", "format": "binary"}
                                      if not media.startswith("application/json") else schema or {}}}
    elif schema is not None and int(status) != 204:
        success["content"] = {"application/json": {"schema": schema}}
    operation: dict[str, Any] = {
        "summary": doc.splitlines()[0] if doc else route.name,
        "description": doc,
        "operationId": f"{method.lower()}_{route.name}",
        "responses": {
            str(status): success,
            "default": {"description": "An error", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }
    if info.get("tags"):
        operation["tags"] = info["tags"]
    parameters = [{"name": name, "in": "path", "required": True, "schema": _path_schema(convertor)}
                  for name, convertor in _TYPED_PARAM.findall(raw_path or path)]
    for name, description in (info.get("query") or {}).items():
        parameters.append({"name": name, "in": "query", "required": False,
                           "description": description, "schema": {"type": "string"}})
    if parameters:
        operation["parameters"] = parameters
    model = _per_method(info.get("body"), method)
    if info.get("multipart") and method in WRITE_METHODS:
        operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "properties": info["multipart"], "required": ["file"] if "file" in info["multipart"]
            else []}}}}
    elif model is None and method in WRITE_METHODS:
        kind, model = read_body_of(route.endpoint)
        if model is None and kind == "json":
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"type": "object"}}}}
        elif model is None and kind == "form":
            operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {
                "schema": {"type": "object"}}}}
        elif model is None:
            model = NoBody
    if model is NoBody:
        _model_schema(NoBody, schemas)
        operation["requestBody"] = {"required": False, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/NoBody"}}}}
    elif model is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": _model_schema(model, schemas)}}}
    return operation


def openapi_document(routes: list[BaseRoute], title: str, version: str) -> dict[str, Any]:
    """An OpenAPI 3.1 document listing every API route with its methods and docstring, and
    what :func:`documented` says about its body, parameters and answers."""
    from starlette.routing import Mount, Route

    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {
        "Error": _ERROR_SCHEMA,
        "Listing": {"type": "object", "properties": {
            "items": {"type": "array", "items": {"type": "object"}},
            "next": {"type": ["string", "null"], "description": "Pass as ?cursor= for the next page"}},
            "required": ["items", "next"]},
    }

    def walk(items: list[BaseRoute], prefix: str) -> None:
        for route in items:
            if isinstance(route, Mount):
                walk(list(route.routes), prefix + route.path)
            elif isinstance(route, Route):
                path = _PATH_PARAM.sub(lambda m: "{" + m.group(1) + "}", prefix + route.path)
                operations = paths.setdefault(path, {})
                for method in sorted((route.methods or set()) - {"HEAD"}):
                    operations[method.lower()] = _operation(route, method, path, schemas, prefix + route.path)

    walk(routes, "/api/v1")
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version,
                 "description": "Errors are {\"error\": {\"code\", \"message\"}}; lists are "
                                "{\"items\": [...], \"next\": cursor-or-null}; times are ISO 8601."},
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "tisserand_session",
                            "description": "Browser session; writes also need the X-CSRF-Token header"},
            },
            "schemas": schemas,
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": dict(sorted(paths.items())),
    }
