"""Every vendor example in openapi/ validates against its schema and survives the wire round trip.

The round trip is the real one: example -> generated model (structure) -> wire values
(unstructure) -> JSON text (wire_json.dumps) -> decoded again. The two sides are compared
through the schema: money as Decimal, amounts as Amount, timestamps as aware datetimes (so
"1.0" equals "1.00" and a 7th fractional digit is allowed to go), and optional keys that are
null on one side and absent on the other count as the same.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from withdrawkit import wire_json
from withdrawkit.amount import Amount
from withdrawkit.conversion import parse_wire_datetime, structure, unstructure
from withdrawkit.decimals import decimal_from_wire

ROOT = Path(__file__).resolve().parent.parent
SPECS = {"onekonto": ROOT / "openapi" / "onekonto.yaml", "ripio": ROOT / "openapi" / "ripio.yaml"}
SPEC_URI = "urn:withdrawkit:spec"
SCHEMAS_PREFIX = "#/components/schemas/"
# Named schemas that generate as facade value types, and how to compare their wire values.
VALUE_TYPES = {"AssetAmount": Amount.parse, "Money": decimal_from_wire}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


class DecimalLoader(yaml.SafeLoader):
    """Reads YAML floats as Decimal, from their text, so examples keep every digit."""


DecimalLoader.add_constructor(
    "tag:yaml.org,2002:float",
    lambda loader, node: decimal_from_wire(loader.construct_scalar(node)),  # type: ignore[arg-type]
)


@functools.cache
def load_spec(name: str) -> dict[str, Any]:
    with SPECS[name].open(encoding="utf-8") as spec_file:
        return yaml.load(spec_file, Loader=DecimalLoader)  # noqa: S506 - a SafeLoader


def follow(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Resolve a local ``$ref`` (responses, request bodies, examples) to its target."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def media_types(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, path_item in spec["paths"].items():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            where = f"{method.upper()} {path}"
            if "requestBody" in operation:
                body = follow(spec, operation["requestBody"])
                for media_type, media in body.get("content", {}).items():
                    yield f"{where} request {media_type}", media
            for status, response in operation.get("responses", {}).items():
                for media_type, media in follow(spec, response).get("content", {}).items():
                    yield f"{where} {status} {media_type}", media


def collect_examples() -> list[Any]:
    cases = []
    for name in SPECS:
        spec = load_spec(name)
        for where, media in media_types(spec):
            for example_name, example in media.get("examples", {}).items():
                value = follow(spec, example)["value"]
                cases.append(
                    pytest.param(name, media["schema"], value, id=f"{name}: {where} {example_name}")
                )
    return cases


EXAMPLES = collect_examples()


def validator_for(spec_name: str, schema: dict[str, Any]) -> OAS30Validator:
    spec = load_spec(spec_name)
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT4)
    )
    rooted = _rooted(schema)
    return OAS30Validator(rooted, registry=registry, format_checker=oas30_format_checker)


def _rooted(schema: Any) -> Any:
    """Point the schema's local references at the registered spec document."""
    if isinstance(schema, dict):
        return {
            key: (SPEC_URI + value if key == "$ref" else _rooted(value))
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_rooted(item) for item in schema]
    return schema


def model_type(spec_name: str, schema: dict[str, Any]) -> Any:
    module = importlib.import_module(f"withdrawkit_generated.{spec_name}")
    if "$ref" in schema:
        return getattr(module, schema["$ref"].removeprefix(SCHEMAS_PREFIX))
    if schema.get("type") == "array":
        return list[model_type(spec_name, schema["items"])]  # type: ignore[misc]
    raise AssertionError(f"media type schema must be a named schema or an array of one: {schema}")


def normalise(spec: dict[str, Any], schema: dict[str, Any], value: Any) -> Any:  # noqa: PLR0911
    """The value as the schema means it, for comparing two wire forms of the same thing."""
    if value is None:
        return None
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(SCHEMAS_PREFIX)
        if name in VALUE_TYPES:
            return VALUE_TYPES[name](value)
        return normalise(spec, follow(spec, schema), value)
    for combinator in ("allOf", "anyOf", "oneOf"):
        if combinator in schema and len(schema[combinator]) == 1:
            return normalise(spec, schema[combinator][0], value)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return normalise_object(spec, schema, value)
    if kind == "array":
        return [normalise(spec, schema.get("items", {}), item) for item in value]
    if kind == "number":
        return decimal_from_wire(value)
    if kind == "string" and schema.get("format") == "date-time":
        return parse_wire_datetime(value)
    return value


def normalise_object(spec: dict[str, Any], schema: dict[str, Any], value: Any) -> Any:
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    extra = schema.get("additionalProperties")
    result = {}
    for key, item in value.items():
        if key in properties:
            if item is None and key not in required:
                continue
            result[key] = normalise(spec, properties[key], item)
        elif isinstance(extra, dict):
            result[key] = normalise(spec, extra, item)
    return result


def keys_not_in_schema(spec: dict[str, Any], schema: dict[str, Any], value: Any) -> list[str]:
    """Keys of the example that the model would drop because the schema does not list them."""
    if "$ref" in schema:
        if schema["$ref"].removeprefix(SCHEMAS_PREFIX) in VALUE_TYPES:
            return []
        return keys_not_in_schema(spec, follow(spec, schema), value)
    for combinator in ("allOf", "anyOf", "oneOf"):
        if combinator in schema and len(schema[combinator]) == 1:
            return keys_not_in_schema(spec, schema[combinator][0], value)
    if isinstance(value, list):
        return [
            missing for item in value for missing in keys_not_in_schema(spec, schema["items"], item)
        ]
    if not isinstance(value, dict):
        return []
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    missing = []
    for key, item in value.items():
        if key in properties:
            missing += keys_not_in_schema(spec, properties[key], item)
        elif isinstance(extra, dict):
            missing += keys_not_in_schema(spec, extra, item)
        else:
            missing.append(key)
    return missing


def test_both_specs_carry_examples() -> None:
    per_spec = {name: sum(1 for case in EXAMPLES if case.values[0] == name) for name in SPECS}
    assert all(count >= 10 for count in per_spec.values()), per_spec


@pytest.mark.parametrize(("spec_name", "schema", "value"), EXAMPLES)
def test_example_validates_against_its_schema(
    spec_name: str, schema: dict[str, Any], value: Any
) -> None:
    errors = [error.message for error in validator_for(spec_name, schema).iter_errors(value)]
    assert errors == []


@pytest.mark.parametrize(("spec_name", "schema", "value"), EXAMPLES)
def test_example_keys_are_all_modelled(spec_name: str, schema: dict[str, Any], value: Any) -> None:
    assert keys_not_in_schema(load_spec(spec_name), schema, value) == []


@pytest.mark.parametrize(("spec_name", "schema", "value"), EXAMPLES)
def test_example_round_trips_through_model_and_wire(
    spec_name: str, schema: dict[str, Any], value: Any
) -> None:
    spec = load_spec(spec_name)
    wire_value = wire_json.loads(wire_json.dumps(value))
    model = structure(wire_value, model_type(spec_name, schema))
    sent = wire_json.loads(wire_json.dumps(unstructure(model)))
    assert normalise(spec, schema, sent) == normalise(spec, schema, wire_value)
    assert structure(sent, model_type(spec_name, schema)) == model


@pytest.mark.parametrize("spec_name", list(SPECS))
def test_every_generated_class_is_attrs_or_an_enum(spec_name: str) -> None:
    module = importlib.import_module(f"withdrawkit_generated.{spec_name}")
    own_classes = [
        member
        for _, member in inspect.getmembers(module, inspect.isclass)
        if member.__module__ == module.__name__
    ]
    assert own_classes
    assert [cls for cls in own_classes if not (attrs.has(cls) or issubclass(cls, Enum))] == []
