"""The error answers of the API in its OpenAPI schema.

drf-spectacular documents the success of each operation; the errors come from
one place (`core.api.exception_handler`) and are the same everywhere, so they
are added here to every operation, once, instead of on each view:

- 400: bad input (serializer, filter or model validation: field → messages, or
  `detail` with a list of messages), or a write a business rule refuses (a
  project with service records is not deleted); on operations that take input
  and on every write.
- 401: no or bad credentials; 403: the caller may not do this (read-only
  insiders); 404: no such record, or out of the caller's scope (also a page
  number past the end, or an id in a query that the caller cannot see).
- 413: a request body over the limit; on operations that take a body.

(tests/test_api_fuzz.py checks every response against these.)

A response that is one of several shapes without a discriminator (the case
file for its workers, the bare case for others: the bare fields are part of the
file) is `anyOf`, not `oneOf`, which would demand that exactly one shape fit.

`AutoSchema` also keeps the blank choice of read-only model fields (DRF drops
`allow_blank` from read-only fields, so a blank `outcome` or `priority_kind`
would break the documented enum).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "description": "Messages per field (`non_field_errors` or `detail` for the whole input).",
    "anyOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ],
}
METHODS = ("get", "post", "put", "patch", "delete")


def _response(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def add_error_responses(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for component in schemas.values():
        if "oneOf" in component and "discriminator" not in component:
            component["anyOf"] = component.pop("oneOf")
    for path_item in result.get("paths", {}).values():
        for method in METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            has_body = "requestBody" in operation
            takes_input = has_body or any(
                p.get("in") == "query" for p in operation.get("parameters", [])
            )
            anonymous = {} in operation.get("security", [])
            extra = {}
            if takes_input or method != "get":
                extra["400"] = _response("Bad input", "ValidationError")
            if not anonymous:
                extra["401"] = _response("Not logged in", "Error")
                extra["403"] = _response("Not allowed for the caller's role", "Error")
                extra["404"] = _response("No such record within the caller's scope", "Error")
            if has_body:
                extra["413"] = _response("Request body too large", "Error")
            for status, response in extra.items():
                responses.setdefault(status, response)
    return result


def _model_field_is_blank(field: serializers.Field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source or field.source == "*":
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:  # a property or an annotation
        return False


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the blank choice of read-only model fields."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and _model_field_is_blank(field)
        ):
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)
