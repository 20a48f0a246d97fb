"""Webhooks without a database: the signature (a vector computed with openssl), the backoff
schedule, the URL rules and the settings' check of the lease against the timeout."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph_api.config import Settings
from graph_api.domain.errors import InvalidInput
from graph_api.services.webhooks import backoff_s, check_url, sign


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    # printf '%s' '1700000000.{"id":"c1"}' | openssl dgst -sha256 -hmac 'whsec_test_secret_0123'
    expected = "6b9cb4bfe9ad49ee991f10e117c210c12168a76aab12f265f307f52197e294c6"
    header = sign("whsec_test_secret_0123", b'{"id":"c1"}', 1700000000)
    assert header == f"t=1700000000,v1={expected}"


def test_backoff_grows_by_the_factor_up_to_the_cap() -> None:
    settings = Settings(
        webhook_backoff_base_s=1.0, webhook_backoff_factor=2.0, webhook_backoff_cap_s=10.0
    )
    # 1 * 2^(n-1): 1, 2, 4, 8, then 16 and 32 capped at 10.
    assert [backoff_s(settings, n) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/hook", "https://crm.example.com/hooks/graph?x=1"]
)
def test_http_and_https_urls_are_accepted(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://example.com/",
        "javascript:alert(1)",
        "https://",
        "https://example.com/a b",
        " https://example.com/",
        "https://example.com/#frag",
        "https://example.com:70000/",
        "example.com/hook",
    ],
)
def test_other_urls_are_invalid_input_naming_field_and_value(url: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_url(url)
    assert raised.value.field == "input.url" and raised.value.value == url


def test_a_lease_shorter_than_a_delivery_is_refused() -> None:
    with pytest.raises(ValidationError, match="WEBHOOK_LEASE_S"):
        Settings(webhook_lease_s=5, webhook_timeout_s=10)
