"""The gateway's /openapi.json is a valid OpenAPI 3.1 document: it passes
the OpenAPI 3.1 meta-schema (schemathesis's loader checks it), every
operation loads for generation, every schema in it is valid JSON Schema
2020-12 (3.1's dialect) and every `$ref` points at something that exists.
Clients generate code from this document and schemathesis fuzzes the
running stack from it (tests/e2e/test_gateway_schemathesis.py); a broken
document would break both, silently for the first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import schemathesis
from schemathesis.core.result import Err, Ok

from tests.component.gateway.conftest import Gateway


def _walk(node: Any, where: str = "#") -> Iterator[tuple[str, Any]]:
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{where}/{index}")


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _schemas(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every schema object: the components' and those inline in operations."""
    for name, schema in document["components"]["schemas"].items():
        yield f"#/components/schemas/{name}", schema
    for where, node in _walk(document["paths"], "#/paths"):
        if isinstance(node, dict) and isinstance(node.get("schema"), dict):
            yield f"{where}/schema", node["schema"]


async def test_the_document_is_valid_openapi_3_1(gw: Gateway) -> None:
    answer = await gw.client.get("/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    assert document["openapi"].startswith("3.1.")

    loaded = schemathesis.openapi.from_dict(document)
    loaded.validate()  # the OpenAPI 3.1 meta-schema; raises naming the broken place
    results = list(loaded.get_all_operations())
    assert [str(r.err()) for r in results if isinstance(r, Err)] == []
    operations = [r.ok() for r in results if isinstance(r, Ok)]
    declared = sum(
        1 for ops in document["paths"].values() for method in ops if method != "parameters"
    )
    assert len(operations) == declared >= 20

    refs = [(w, n["$ref"]) for w, n in _walk(document) if isinstance(n, dict) and "$ref" in n]
    assert refs
    dangling = []
    for where, ref in refs:
        try:
            _resolve(document, ref)
        except (KeyError, IndexError, TypeError):
            dangling.append((where, ref))
    assert dangling == []

    invalid = [w for w, schema in _schemas(document) if not jsonschema_rs.meta.is_valid(schema)]
    assert invalid == []
