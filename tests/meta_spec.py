"""Meta's own request schema, to check payloads against: the message schemas of Meta's OpenAPI
spec, vendored under tests/meta/ with their source and licence."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SPEC = Path(__file__).with_name("meta") / "whatsapp-message-schemas.json"


@cache
def meta_message_schema() -> Draft202012Validator:
    """Meta's OpenAPI schema for a message send, with the spec's known defects patched."""
    spec = json.loads(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    # Known defects of the v23 spec (reference §11): `policy` is optional in practice, and the
    # button index pattern is malformed (on the button component and on the template component
    # it extends). Everything else is validated as Meta wrote it.
    schemas["LanguageObject"]["required"] = ["code"]
    schemas["ButtonComponent"]["allOf"][1]["properties"]["index"]["pattern"] = "^[0-9]+$"
    schemas["TemplateComponent"]["properties"]["index"]["pattern"] = "^[0-9]+$"
    # Each *Message schema is allOf[BaseMessageProperties, {additionalProperties: false}], which
    # forbids the base's own properties: no message could pass. JSON Schema 2020-12 says what
    # Meta meant with unevaluatedProperties on the whole; unknown keys are still refused.
    for schema in schemas.values():
        branches = schema.get("allOf", []) if isinstance(schema, dict) else []
        strict = [
            b for b in branches if isinstance(b, dict) and b.get("additionalProperties") is False
        ]
        for branch in strict:
            del branch["additionalProperties"]
        if strict:
            schema["unevaluatedProperties"] = False
    return Draft202012Validator(
        {"$ref": "#/components/schemas/Message", "components": spec["components"]}
    )


def assert_valid(validator: Draft202012Validator, payload: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors][:5]
