"""Calling the console API from its own OpenAPI document, and checking answers against it.

An equivalent of schemathesis for this document: example inputs are generated from the
schemas, and every answer's status must be documented and its body must match.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp.test_utils import TestClient

from bot.console.schema import errors

Resources = dict[str, int]  # path parameter name → an id to use


def example(schema: dict[str, Any]) -> Any:
    """A value that satisfies `schema` (the subset the console uses)."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object":
        props = schema.get("properties", {})
        return {k: example(props.get(k, {"type": "string"})) for k in schema.get("required", ())}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "boolean":
        return True
    if kind == "string":
        return "测试内容" + "x" * max(0, int(schema.get("minLength", 0)) - 4)
    return None


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path template, operation) for every operation of the document."""
    return [(method.upper(), path, op) for path, item in doc["paths"].items()
            for method, op in item.items()]


def fill(path: str, resources: Resources) -> str:
    for name, value in resources.items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, f"no resource for a parameter of {path}"
    return path


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    node: Any = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


async def call(
    client: TestClient, doc: dict[str, Any], method: str, path: str, op: dict[str, Any], *,
    resources: Resources, csrf: str = "", body: Any = ..., query: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """Call one operation and check the answer against the document; returns (status, body)."""
    if body is ...:
        request_schema = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        body = example(request_schema["schema"]) if request_schema else None
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    kwargs: dict[str, Any] = {"headers": headers, "params": query or {}}
    if body is not None:
        kwargs["json"] = body
    response = await client.request(method, fill(path, resources), **kwargs)
    status = response.status
    documented = op["responses"]
    assert str(status) in documented, f"{method} {path}: {status} not documented ({await response.text()})"
    if response.content_type != "application/json":  # a file: its documented media type
        assert response.content_type in documented[str(status)]["content"], (method, path, status)
        return status, await response.read()
    payload = await response.json()
    schema = resolve(doc, documented[str(status)]["content"]["application/json"]["schema"])
    problems = errors(payload, schema)
    assert not problems, f"{method} {path} {status}: {problems}"
    return status, payload


Check = Callable[..., Any]
