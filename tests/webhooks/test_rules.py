"""The pure rules: target checks, signatures (against the standardwebhooks package),
backoff."""

from __future__ import annotations

import random
import time

import pytest
from standardwebhooks.webhooks import Webhook

from maintrac.core import webhooks as rules
from maintrac.core.webhooks import TargetRefused


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address under test, nothing binds it
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_only_public_addresses_are_public(address: str, public: bool) -> None:
    assert rules.is_public(address) is public


def test_private_addresses_pass_only_with_the_flag() -> None:
    with pytest.raises(rules.UnsafeTarget):
        rules.check_addresses(["93.184.216.34", "10.0.0.1"], allow_private=False)
    rules.check_addresses(["10.0.0.1"], allow_private=True)
    with pytest.raises(rules.UnsafeTarget):
        rules.check_addresses([], allow_private=True)


@pytest.mark.parametrize(
    "url", ["http://example.com/", "ftp://example.com/", "https:///x", "https://u:p@example.com/"]
)
def test_urls_that_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        rules.check_url(url, allow_private=False)


def test_http_is_allowed_with_the_flag() -> None:
    assert rules.check_url("http://127.0.0.1:8080/x", allow_private=True) == ("127.0.0.1", 8080)
    assert rules.check_url("https://example.com/x", allow_private=False) == ("example.com", 443)


def test_our_signature_verifies_with_the_standardwebhooks_package() -> None:
    secret = rules.new_secret()
    body = b'{"id":"x","type":"ping"}'
    now = int(time.time())
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(now),
        "webhook-signature": rules.signature_header([secret], "msg_1", now, body),
    }
    assert Webhook(secret).verify(body, headers) == {"id": "x", "type": "ping"}


def test_backoff_grows_is_capped_and_jittered() -> None:
    rng = random.Random(7)
    waits = [rules.backoff_seconds(n, 30, 3600, rng) for n in range(1, 12)]
    assert 15 <= waits[0] <= 30
    assert 30 <= waits[1] <= 60
    assert all(1800 <= w <= 3600 for w in waits[8:])
    assert len({round(w, 6) for w in waits}) == len(waits)
