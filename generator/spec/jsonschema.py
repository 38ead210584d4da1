"""The spec's JSON Schema, generated from the pydantic models.

Things pydantic cannot say are added by hand: a column may be written as a
bare type string (``title: text``), an enum as its list of labels, and a key
``...group`` with no value inserts a column group.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://schemagen.dev/schema/v1.json"


def build() -> dict[str, Any]:
    from .models import Spec

    schema = Spec.model_json_schema()
    defs = schema["$defs"]
    column_or_type = {
        "anyOf": [
            {"$ref": "#/$defs/ColumnSpec"},
            {"type": "string", "description": "Shorthand: the column type alone."},
        ]
    }
    defs["TableSpec"]["properties"]["columns"] = {
        "type": "object",
        "description": defs["TableSpec"]["properties"]["columns"].get("description", ""),
        "patternProperties": {
            r"^\.\.\.": {"type": "null", "description": "Insert the named column group here."}
        },
        "additionalProperties": column_or_type,
    }
    defs["ReferenceSpec"] = {
        "anyOf": [
            {k: v for k, v in defs["ReferenceSpec"].items() if k != "title"},
            {"type": "string", "description": "Shorthand: 'table.column'."},
        ],
        "title": "ReferenceSpec",
    }
    defs["EnumSpec"] = {
        "anyOf": [
            {k: v for k, v in defs["EnumSpec"].items() if k != "title"},
            {"type": "array", "items": {"type": "string"}, "description": "Shorthand: the labels."},
        ],
        "title": "EnumSpec",
    }
    # The shorthands of issue 13's objects (spec/objects.py).
    for name, shorthand in (
        ("RowLevelSecuritySpec", {"type": "boolean", "description": "Shorthand: enabled."}),
        ("ViewColumnSpec", {"type": "string", "description": "Shorthand: the type alone."}),
    ):
        defs[name] = {
            "anyOf": [{k: v for k, v in defs[name].items() if k != "title"}, shorthand],
            "title": name,
        }
    groups = schema["properties"]["column_groups"]
    groups["additionalProperties"] = {"type": "object", "additionalProperties": column_or_type}
    defs["ColumnSpec"]["properties"]["default"] = {
        "description": defs["ColumnSpec"]["properties"]["default"]["description"],
        "anyOf": [
            {"$ref": "#/$defs/SqlExpression"},
            {"$ref": "#/$defs/SequenceDefault"},
            {"type": ["string", "number", "boolean", "array", "object"]},
        ],
    }
    defs["SequenceDefault"] = _model_schema("SequenceDefault")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "schemagen spec"
    return schema


def _model_schema(name: str) -> dict[str, Any]:
    """A model the spec names only inside ``default: Any``, so pydantic leaves it out."""
    from . import models

    out: dict[str, Any] = getattr(models, name).model_json_schema()
    return out


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
