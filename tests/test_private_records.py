"""The transport's private records: not tuples, immutable, equal only within their class, and
the ones holding the server's text never iterated, serialised or pickled past their masked repr."""

from __future__ import annotations

import copy
import json
import pickle
from decimal import Decimal
from typing import Any

import pytest

from withdrawkit._error_mapping.response import ErrorResponse
from withdrawkit._pagination import Page
from withdrawkit._records import Record
from withdrawkit._response_body import Body, Received
from withdrawkit._response_reading import Decoded
from withdrawkit._secrets import Secret
from withdrawkit._token_answers import _Opened

SECRET = "sk_live_SECRET_0123456789"


def error_response() -> ErrorResponse:
    return ErrorResponse(
        http_status=429,
        headers={"X-Api-Key": SECRET, "Retry-After": "3"},
        body_text=f'{{"token": "{SECRET}"}}',
        body_json={"token": SECRET},
        method="POST",
        path="/withdrawals",
    )


def secret_records() -> list[Record]:
    return [
        error_response(),
        Body(f'{{"access_token": "{SECRET}"}}', None, "not json"),
        Received(SECRET.encode(), "application/json"),
        _Opened("{access_token: str}", None, Secret(SECRET), {"access_token": SECRET}),
    ]


@pytest.mark.parametrize("record", secret_records(), ids=lambda record: type(record).__name__)
def test_a_record_of_the_servers_text_shows_it_only_through_its_fields(record: Record) -> None:
    assert not isinstance(record, tuple)
    assert SECRET not in repr(record)
    assert SECRET not in str(record)
    assert SECRET not in "%s" % (record,)  # noqa: UP031 - %-formatting is what is checked
    with pytest.raises(TypeError):
        list(record)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        record[0]  # type: ignore[index]
    with pytest.raises(TypeError):
        json.dumps(record)
    assert not hasattr(record, "_asdict")
    assert not hasattr(record, "_replace")


@pytest.mark.parametrize("record", secret_records(), ids=lambda record: type(record).__name__)
def test_a_record_of_the_servers_text_is_never_pickled_but_copies_as_itself(
    record: Record,
) -> None:
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(record)
    assert copy.copy(record) is record
    assert copy.deepcopy(record) is record


@pytest.mark.parametrize("record", secret_records(), ids=lambda record: type(record).__name__)
def test_a_record_is_immutable(record: Record) -> None:
    slots: tuple[str, ...] = type(record).__slots__
    name = slots[0]
    before = getattr(record, name)
    with pytest.raises(AttributeError, match="immutable"):
        setattr(record, name, "changed")
    with pytest.raises(AttributeError, match="immutable"):
        delattr(record, name)
    assert getattr(record, name) is before


def test_records_are_equal_only_within_their_class() -> None:
    assert error_response() == error_response()
    assert error_response() != ErrorResponse(http_status=429)
    body, same_fields = Body("x", None, None), ("x", None, None)
    assert body == Body("x")
    assert body != same_fields
    assert Received(b"x", "t") != (b"x", "t")
    assert Received(b"x", "t") == Received(b"x", "t")
    assert hash(Received(b"x", "t")) == hash(Received(b"x", "t"))

    class OtherBody(Record):
        __slots__ = ("json", "problem", "text")

        def __init__(self, text: str) -> None:
            self._init(text=text, json=None, problem=None)

    assert body != OtherBody("x")


def test_an_error_response_is_normalised_however_it_is_built() -> None:
    response = error_response()
    assert dict(response.headers) == {"x-api-key": SECRET, "retry-after": "3"}
    assert response.retry_after == Decimal(3)
    assert response.header("RETRY-AFTER") == "3"
    assert (response.http_status, response.method, response.path) == (429, "POST", "/withdrawals")


def test_a_secret_record_repr_keeps_its_masked_form() -> None:
    assert repr(error_response()) == (
        "ErrorResponse(http_status=429, method='POST', path='/withdrawals', "
        "retry_after=Decimal('3'))"
    )
    assert repr(Body("abc", None, "not json")) == "Body(text=<3 characters>, problem='not json')"
    assert repr(Received(b"ab", "text/html")) == (
        "Received(content=<2 bytes>, content_type='text/html')"
    )
    assert repr(_Opened("{}", "no token")) == "_Opened(shape='{}', problem='no token', token=None)"


@pytest.mark.parametrize(
    ("record", "name"),
    [
        (Page([1, 2], None, 2), "items"),
        (Page([], "https://next.test/", 0), "next_link"),
        (Decoded({"amount": Decimal("1.5")}), "value"),
    ],
)
def test_a_page_and_a_decoded_body_are_immutable(record: Any, name: str) -> None:
    before = getattr(record, name)
    with pytest.raises(AttributeError, match="immutable"):
        setattr(record, name, None)
    with pytest.raises(AttributeError, match="immutable"):
        delattr(record, name)
    with pytest.raises(AttributeError):
        record.unknown = 1
    assert getattr(record, name) is before
    assert record == type(record)(*[getattr(record, slot) for slot in _init_order(record)])


def _init_order(record: Any) -> list[str]:
    return ["items", "next_link", "count"] if isinstance(record, Page) else ["value"]
