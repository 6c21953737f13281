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
import typing
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from withdrawkit import _wire_json as wire_json
from withdrawkit._amount import Amount
from withdrawkit._conversion import parse_wire_datetime, structure, unstructure
from withdrawkit._decimals import decimal_from_wire
from withdrawkit_generated import onekonto, ripio

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
        spec: dict[str, Any] = yaml.load(spec_file, Loader=DecimalLoader)  # noqa: S506 - a SafeLoader
    return spec


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


def generates_a_dict(schema: dict[str, Any]) -> bool:
    """Whether the generator turns this object schema into ``dict[str, X]``, which keeps every key.

    Only a schema with ``additionalProperties`` and no ``properties`` does: one with
    ``properties`` becomes an attrs class, which silently drops the keys it does not list,
    whatever its ``additionalProperties`` says.
    """
    return "properties" not in schema and isinstance(schema.get("additionalProperties"), dict)


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
    # A payload schema names the envelope keys the vendor sends beside it and the client drops.
    envelope = set(schema.get("x-envelope-keys", ()))
    missing = []
    for key, item in value.items():
        if key in envelope:
            continue
        if key in properties:
            missing += keys_not_in_schema(spec, properties[key], item)
        elif generates_a_dict(schema):
            missing += keys_not_in_schema(spec, schema["additionalProperties"], item)
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


def test_keys_beside_listed_properties_count_as_dropped_even_with_additional_properties() -> None:
    # A class with properties drops other keys whatever additionalProperties says: the
    # checker must not take additionalProperties for a promise the generated code keeps.
    schema = {
        "type": "object",
        "properties": {"alias_or_cvu_destination": {"type": "string"}},
        "additionalProperties": {"type": "string"},
    }
    value = {"alias_or_cvu_destination": "000", "cbu": "2850590940090418135201"}
    assert keys_not_in_schema({}, schema, value) == ["cbu"]
    string_map = {"type": "object", "additionalProperties": {"type": "string"}}
    assert keys_not_in_schema({}, string_map, value) == []


def object_schemas(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema-like mapping of a spec, named by its path."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield where, node
        for key, child in node.items():
            if key not in ("example", "examples"):
                yield from object_schemas(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from object_schemas(child, f"{where}/{index}")


@pytest.mark.parametrize("spec_name", list(SPECS))
def test_no_schema_mixes_properties_and_additional_properties(spec_name: str) -> None:
    # The generator makes a class of such a schema and drops additionalProperties: the keys
    # it does not list would be lost (Ripio's account_fields were).
    mixed = [
        where
        for where, schema in object_schemas(load_spec(spec_name))
        if "properties" in schema and schema.get("additionalProperties") not in (None, False)
    ]
    assert mixed == []


def generated_models() -> list[Any]:
    models = []
    for spec_name in SPECS:
        module = importlib.import_module(f"withdrawkit_generated.{spec_name}")
        models += [
            member
            for _, member in inspect.getmembers(module, attrs.has)
            if member.__module__ == module.__name__
        ]
    return models


def leaf_types(annotation: Any) -> Iterator[Any]:
    """Every type in an annotation: ``dict[str, list[Decimal]] | None`` -> str, Decimal, None."""
    arguments = typing.get_args(annotation)
    if not arguments:
        yield annotation
    for argument in arguments:
        yield from leaf_types(argument)


def test_no_generated_field_is_a_float_at_any_depth() -> None:
    leaves = {
        leaf
        for model in generated_models()
        for field in attrs.fields(attrs.resolve_types(model))
        for leaf in leaf_types(field.type)
    }
    assert float not in leaves
    assert Decimal in leaves  # the walk does reach the numbers (BookLevel = list[Decimal])


def secret_properties() -> list[Any]:
    cases = []
    for spec_name in SPECS:
        schemas = load_spec(spec_name)["components"]["schemas"]
        for schema_name, schema in schemas.items():
            for wire_name, prop in schema.get("properties", {}).items():
                if prop.get("x-secret") is True:
                    cases.append(pytest.param(spec_name, schema_name, wire_name, id=wire_name))
    return cases


def test_the_credentials_are_marked_secret() -> None:
    marked = {(case.values[1], case.values[2]) for case in secret_properties()}
    assert marked >= {
        ("LoginRequest", "password"),
        ("LoginResponse", "token"),
        ("TokenRequest", "client_secret"),
        ("TokenResponse", "access_token"),
    }


@pytest.mark.parametrize(("spec_name", "schema_name", "wire_name"), secret_properties())
def test_secret_properties_are_left_out_of_the_repr(
    spec_name: str, schema_name: str, wire_name: str
) -> None:
    model = getattr(importlib.import_module(f"withdrawkit_generated.{spec_name}"), schema_name)
    (field,) = [field for field in attrs.fields(model) if field.metadata["wire"] == wire_name]
    assert field.repr is False


def test_repr_of_credential_models_shows_no_secret() -> None:
    secret = "s3cr3t-value-0123456789"
    models = [
        onekonto.LoginRequest(user="u@example.com", password=secret),
        onekonto.LoginResponse(token=secret),
        ripio.TokenRequest(
            grant_type=ripio.GrantType.CLIENT_CREDENTIALS, client_id="id", client_secret=secret
        ),
        ripio.TokenResponse(
            access_token=secret, expires_in=Decimal(36000), token_type="Bearer", scope="read"
        ),
    ]
    for model in models:
        assert secret not in repr(model)
        assert type(model).__name__ in repr(model)


# What the project's fake answers the two 1Konto withdraw operations besides 200, by status:
# error shape 2 (BusinessError) for business and validation refusals, shape 1 (HttpError) else.
ONEKONTO_WITHDRAW_ERRORS = {
    "400": "BusinessError",
    "401": "HttpError",
    "403": "HttpError",
    "404": "HttpError",
}


@pytest.mark.parametrize("operation_id", ["requestWithdrawFiat", "requestWithdrawBlockchain"])
@pytest.mark.parametrize(("status", "schema_name"), list(ONEKONTO_WITHDRAW_ERRORS.items()))
def test_onekonto_withdrawals_declare_the_errors_the_fake_answers(
    operation_id: str, status: str, schema_name: str
) -> None:
    spec = load_spec("onekonto")
    (operation,) = [
        operation
        for path_item in spec["paths"].values()
        for operation in path_item.values()
        if isinstance(operation, dict) and operation.get("operationId") == operation_id
    ]
    assert status in operation["responses"], f"{operation_id} does not declare {status}"
    response = follow(spec, operation["responses"][status])
    media = response["content"]["application/json"]
    assert media["schema"] == {"$ref": SCHEMAS_PREFIX + schema_name}
    assert media.get("examples"), "each inferred error carries the body the fake sends"
    if (operation_id, status) == ("requestWithdrawBlockchain", "400"):
        # Documented: the vendor's page shows both bodies, attached as published.
        summaries = [example["summary"] for example in media["examples"].values()]
        assert summaries
        assert all("Request Withdraw - Blockchain page example" in text for text in summaries)
        assert "withdrawkit.testing.FakeOneKonto" in response["description"]
        return
    # Inferred, not vendor text: the description must say so and name who relies on it.
    assert "INFERRED" in response["description"]
    assert "withdrawkit.testing.FakeOneKonto" in response["description"]


def test_no_example_is_made_up_vendor_data() -> None:
    # An example is a vendor's text (repaired at most) or says plainly that it is not one; a
    # vendor response "reconstructed" from a description is neither, so the description keeps
    # the note instead (Ripio's DOC-old list of withdrawals).
    summaries = [
        follow(load_spec(name), example).get("summary", "")
        for name in SPECS
        for _, media in media_types(load_spec(name))
        for example in media.get("examples", {}).values()
    ]
    assert [summary for summary in summaries if "reconstruct" in summary.lower()] == []
    listing = load_spec("ripio")["paths"]["/api/v1/withdrawals/"]["get"]["responses"]["200"]
    assert "DOC-old render" in listing["description"]


def patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "pattern" and isinstance(child, str):
                yield child
            else:
                yield from patterns(child)
    elif isinstance(node, list):
        for child in node:
            yield from patterns(child)


@pytest.mark.parametrize("spec_name", list(SPECS))
def test_spec_patterns_spell_digits_in_ascii(spec_name: str) -> None:
    # Python's re (which the validators use) lets \d match any Unicode digit ("1\u0660 BTC").
    found = list(patterns(load_spec(spec_name)))
    assert found
    assert [pattern for pattern in found if "\\d" in pattern] == []


def test_the_money_pattern_validates_only_ascii_numbers() -> None:
    validator = validator_for("ripio", {"$ref": SCHEMAS_PREFIX + "Money"})
    assert validator.is_valid("1.0000016378e-8")
    assert not validator.is_valid("1\u0660")
    assert not validator.is_valid("\u0661\u0662.5")


def test_envelope_keys_are_left_out_of_their_payload_schemas_yet_allowed() -> None:
    # The fakes' answers and the vendor's carry the envelope beside the payload: a schema that
    # dropped it must still accept it (no ``additionalProperties: false``) and not model it.
    schemas = {
        (spec_name, name): schema
        for spec_name in SPECS
        for name, schema in load_spec(spec_name)["components"]["schemas"].items()
        if "x-envelope-keys" in schema
    }
    assert {name for _, name in schemas} >= {"OrderBook", "IndicativePrice", "Quote"}
    for (spec_name, name), schema in schemas.items():
        envelope = set(schema["x-envelope-keys"])
        assert envelope == {"status", "httpStatusCode"}, (spec_name, name)
        assert not envelope & set(schema["properties"]), (spec_name, name)
        assert schema.get("additionalProperties", True) is not False, (spec_name, name)
        errors = validator_for(spec_name, {"$ref": SCHEMAS_PREFIX + name}).iter_errors(
            {"status": "ok", "httpStatusCode": 200}
        )
        assert {error.validator for error in errors} == {"required"}, (spec_name, name)
