"""A small JSON Schema checker for the subset the console's OpenAPI document uses.

The same schemas validate request bodies at run time and, in the tests, every response
against the document. Supported: type (or a list of types), properties, required,
additionalProperties (false), items, enum, minLength/maxLength, minimum/maximum,
pattern, format date-time (ISO-8601 with an offset).
"""

from __future__ import annotations

import re
from typing import Any

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "integer": (int,),
    "number": (int, float), "boolean": (bool,), "null": (type(None),),
}


def errors(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Every way `value` breaks `schema`, as `path: problem` lines (empty: it conforms)."""
    problems = _type_errors(value, schema, path)
    if problems:
        return problems
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path}: {value!r} is not one of {schema['enum']}"]
    if isinstance(value, str):
        problems += _string_errors(value, schema, path)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        problems += _number_errors(value, schema, path)
    elif isinstance(value, dict):
        problems += _object_errors(value, schema, path)
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += errors(item, schema["items"], f"{path}[{i}]")
    return problems


def _type_errors(value: Any, schema: dict[str, Any], path: str) -> list[str]:
    wanted = schema.get("type")
    if wanted is None:
        return []
    names = wanted if isinstance(wanted, list) else [wanted]
    for name in names:
        if isinstance(value, bool) and name in ("integer", "number"):
            continue  # JSON true is not a number, though Python says so
        if isinstance(value, _TYPES[name]):
            return []
    return [f"{path}: expected {'/'.join(names)}, got {type(value).__name__}"]


def _string_errors(value: str, schema: dict[str, Any], path: str) -> list[str]:
    out = []
    if len(value) < schema.get("minLength", 0):
        out.append(f"{path}: shorter than {schema['minLength']}")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        out.append(f"{path}: longer than {schema['maxLength']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{path}: does not match {schema['pattern']}")
    if schema.get("format") == "date-time" and not _DATE_TIME.match(value):
        out.append(f"{path}: not an ISO-8601 date-time with offset: {value!r}")
    return out


def _number_errors(value: float, schema: dict[str, Any], path: str) -> list[str]:
    out = []
    if "minimum" in schema and value < schema["minimum"]:
        out.append(f"{path}: below {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        out.append(f"{path}: above {schema['maximum']}")
    return out


def _object_errors(value: dict[str, Any], schema: dict[str, Any], path: str) -> list[str]:
    out = [f"{path}: missing {key!r}" for key in schema.get("required", ()) if key not in value]
    properties = schema.get("properties", {})
    for key, item in value.items():
        if key in properties:
            out += errors(item, properties[key], f"{path}.{key}")
        elif schema.get("additionalProperties") is False:
            out.append(f"{path}: unexpected {key!r}")
    return out
