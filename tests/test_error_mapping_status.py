"""What both tables share: the fallback by HTTP status, Retry-After, bodies that are not JSON,
the ErrorResponse value, and the promise that mapping never raises."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from withdrawkit import _wire_json as wire_json
from withdrawkit._error_mapping import (
    ErrorResponse,
    class_for_status,
    map_onekonto_error,
    map_ripio_error,
)
from withdrawkit._error_mapping.response import decode_json_leniently
from withdrawkit._exceptions import (
    APIError,
    AuthenticationFailed,
    NotFound,
    RateLimited,
    ServerError,
)

Mapper = Callable[[ErrorResponse], APIError]
MAPPERS = [pytest.param(map_onekonto_error, id="1konto"), pytest.param(map_ripio_error, id="ripio")]
PROVIDERS: dict[Mapper, str] = {map_onekonto_error: "1Konto", map_ripio_error: "Ripio"}

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@pytest.mark.parametrize("map_error", MAPPERS)
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, APIError),
        (401, AuthenticationFailed),
        (403, AuthenticationFailed),
        (404, NotFound),
        (409, APIError),
        (422, APIError),
        (429, RateLimited),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (599, ServerError),
    ],
)
def test_a_body_without_a_known_category_or_code_maps_by_status(
    map_error: Mapper, status: int, expected: type[APIError]
) -> None:
    error = map_error(ErrorResponse.from_body(status, '{"message": "something went wrong"}'))

    assert type(error) is expected
    assert error.http_status == status
    assert error.provider == PROVIDERS[map_error]
    assert error.body == {"message": "something went wrong"}


@pytest.mark.parametrize("map_error", MAPPERS)
def test_proxy_html_502_maps_by_status_and_keeps_the_text(map_error: Mapper) -> None:
    response = ErrorResponse.from_body(502, NGINX_502, {"Content-Type": "text/html"})
    error = map_error(response)

    assert type(error) is ServerError
    assert error.http_status == 502
    assert error.body == NGINX_502
    assert error.messages == ()
    assert error.code is None
    assert str(error).endswith("(HTTP 502): 502 Bad Gateway")


@pytest.mark.parametrize("map_error", MAPPERS)
def test_plain_text_body_is_quoted_briefly(map_error: Mapper) -> None:
    error = map_error(ErrorResponse.from_body(503, "upstream connect error " + "x" * 500))

    assert type(error) is ServerError
    assert "upstream connect error" in str(error)
    assert len(str(error)) < 300


@pytest.mark.parametrize("map_error", MAPPERS)
def test_empty_body_says_no_message(map_error: Mapper) -> None:
    error = map_error(ErrorResponse.from_body(500, ""))

    assert type(error) is ServerError
    assert error.body == ""
    assert str(error).endswith("(HTTP 500): no message")


@pytest.mark.parametrize("map_error", MAPPERS)
def test_rate_limited_reads_retry_after_seconds(map_error: Mapper) -> None:
    error = map_error(ErrorResponse.from_body(429, "", {"Retry-After": "120"}))

    assert isinstance(error, RateLimited)
    assert error.retry_after == Decimal(120)
    assert "retry after 120 s" in str(error)


@pytest.mark.parametrize("map_error", MAPPERS)
def test_rate_limited_without_retry_after(map_error: Mapper) -> None:
    error = map_error(ErrorResponse.from_body(429, ""))

    assert isinstance(error, RateLimited)
    assert error.retry_after is None


def test_retry_after_http_date_is_measured_from_the_date_header() -> None:
    response = ErrorResponse.from_body(
        429,
        "",
        {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT", "Date": "Wed, 21 Oct 2015 07:26:30 GMT"},
    )

    assert response.retry_after == Decimal(90)
    error = map_ripio_error(response)
    assert isinstance(error, RateLimited)
    assert error.retry_after == Decimal(90)


def test_retry_after_date_in_the_past_is_zero() -> None:
    response = ErrorResponse.from_body(429, "", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})

    assert response.retry_after == Decimal(0)


@pytest.mark.parametrize(
    "value",
    [
        "soon",
        "-5",
        "1e3",
        "",
        "Wed, 99 Foo 2015 07:28:00 GMT",
        "\u0663",  # Arabic-Indic three: Decimal() reads it, HTTP does not
        "\uff11\uff10",  # fullwidth 10
        "1\u00b2",
    ],
)
def test_unreadable_retry_after_is_none(value: str) -> None:
    assert ErrorResponse.from_body(429, "", {"Retry-After": value}).retry_after is None


def test_retry_after_is_read_once_with_the_response() -> None:
    response = ErrorResponse.from_body(429, "", {"Retry-After": "7"})

    assert response.retry_after == Decimal(7)
    error = map_ripio_error(response)
    assert isinstance(error, RateLimited)
    assert error.retry_after == response.retry_after


def test_retry_after_header_name_is_case_insensitive() -> None:
    response = ErrorResponse.from_body(429, "", {"retry-after": "7"})

    assert response.retry_after == Decimal(7)
    assert response.header("RETRY-AFTER") == "7"


def test_class_for_status_table() -> None:
    assert class_for_status(401) is AuthenticationFailed
    assert class_for_status(403) is AuthenticationFailed
    assert class_for_status(404) is NotFound
    assert class_for_status(429) is RateLimited
    assert class_for_status(500) is ServerError
    assert class_for_status(418) is APIError
    assert class_for_status(302) is APIError


def test_error_response_decodes_json_exactly_or_leaves_none() -> None:
    decoded = ErrorResponse.from_body(400, '{"amount": 0.00206525633592975968892629}')
    html = ErrorResponse.from_body(502, NGINX_502)

    assert decoded.body_json == {"amount": Decimal("0.00206525633592975968892629")}
    assert html.body_json is None
    assert html.body_text == NGINX_502


def test_error_response_is_immutable() -> None:
    response = ErrorResponse.from_body(400, "{}", {"X-Request-Id": "abc"})

    with pytest.raises(AttributeError):
        response.http_status = 500
    with pytest.raises(TypeError):
        response.headers["x-request-id"] = "changed"  # type: ignore[index]


def test_lenient_decoding_only_forgives_trailing_commas_and_trailing_text() -> None:
    assert decode_json_leniently('{"errors": ["a",\n],\n"x": 1,}') == {"errors": ["a"], "x": 1}
    assert decode_json_leniently('{"a": "keeps ,] inside strings",}') == {
        "a": "keeps ,] inside strings"
    }
    assert decode_json_leniently('{"a": "escaped \\" quote,]",}') == {"a": 'escaped " quote,]'}
    assert decode_json_leniently('{"a": 1}\n}') == {"a": 1}
    assert decode_json_leniently("<html>") is None
    assert decode_json_leniently('{"a": NaN}') is None
    assert decode_json_leniently('{"a": ') is None


# -- mapping never raises ------------------------------------------------------------------------

# Digits that are not ASCII: str.isdigit() accepts them all, int() and Decimal() some ("²" no,
# "٣" yes), and none is a digit on the wire.
unicode_digits = st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=6)
# Digits str.isdigit() accepts and int() refuses: superscripts, circled and other No digits.
not_decimal_digits = st.text(
    st.characters(categories=["No"]).filter(str.isdigit), min_size=1, max_size=3
)
codes = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | unicode_digits
    | st.tuples(st.sampled_from(["", "2001", " 20012"]), unicode_digits | not_decimal_digits).map(
        "".join
    )
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | unicode_digits,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["code", "error", "errors", "detail", "message", "status", "type"])
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)
statuses = st.integers(min_value=300, max_value=599)


@pytest.mark.parametrize("map_error", MAPPERS)
@given(body=json_values, status=statuses, retry_after=st.none() | st.text(max_size=30))
def test_any_json_body_maps_to_an_api_error(
    map_error: Mapper, body: object, status: int, retry_after: str | None
) -> None:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    text = wire_json.dumps(body)
    error = map_error(
        ErrorResponse(http_status=status, headers=headers, body_text=text, body_json=body)
    )

    assert isinstance(error, APIError)
    assert error.http_status == status
    assert error.provider == PROVIDERS[map_error]
    assert all(isinstance(message, str) for message in error.messages)
    assert str(error)


@pytest.mark.parametrize("map_error", MAPPERS)
@given(
    body=st.fixed_dictionaries(
        {"code": codes},
        optional={"detail": json_values, "type": json_values, "status": json_values},
    ),
    status=statuses,
)
@example(body={"code": "\u00b2"}, status=400)
@example(body={"code": "\u0662\u0660\u0660\u0661\u0662"}, status=400)
def test_any_code_maps_to_an_api_error(map_error: Mapper, body: object, status: int) -> None:
    error = map_error(
        ErrorResponse(http_status=status, body_text=wire_json.dumps(body), body_json=body)
    )

    assert isinstance(error, APIError)
    assert error.code is None or isinstance(error.code, (int, str))
    assert str(error)


@pytest.mark.parametrize("map_error", MAPPERS)
@given(text=st.text(max_size=200), status=statuses)
def test_any_text_body_maps_to_an_api_error(map_error: Mapper, text: str, status: int) -> None:
    error = map_error(ErrorResponse.from_body(status, text))

    assert isinstance(error, APIError)
    assert error.http_status == status
    assert str(error)
