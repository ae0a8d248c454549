"""The part of JSON Schema the export schemas use (type, const, enum, anyOf, required,
properties, additionalProperties, items, minimum, maximum, pattern), to check exported pages
against their published schemas without another dependency."""

from __future__ import annotations

import re

TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list, "null": type(None)}


def errors(value, schema: dict, path: str = "$") -> list[str]:
    found: list[str] = []
    if "anyOf" in schema:
        if all(errors(value, option, path) for option in schema["anyOf"]):
            found.append(f"{path}: matches none of anyOf")
        return found
    if "const" in schema and value != schema["const"]:
        found.append(f"{path}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} not in {schema['enum']}")
    kind = schema.get("type")
    if kind:
        expected = TYPES[kind]
        if not isinstance(value, expected) or (kind == "integer" and isinstance(value, bool)):
            return [f"{path}: {type(value).__name__} is not {kind}"]
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        found.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{path}: below minimum")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{path}: above maximum")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{path}: missing {name}")
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name in properties:
                found += errors(item, properties[name], f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{path}: unexpected {name}")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            found += errors(item, schema["items"], f"{path}[{n}]")
    return found
