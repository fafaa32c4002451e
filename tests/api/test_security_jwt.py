"""The JWT attack matrix against TokenVerifier: real keys, real signatures, a real JWKS server.

Nothing is mocked. RSA and EC keys are generated per test module; the JWKS document is
served by a stdlib HTTP server on 127.0.0.1 (random port) in a background thread.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from pydantic import SecretStr

from maintrac.api.security import (
    DEFAULT_ROLE_PERMISSIONS,
    REQUIRED_CLAIMS,
    TokenVerifier,
    mint_token,
)
from maintrac.config import DEV_JWT_SECRET, Settings
from maintrac.core.auth import PERMISSIONS, ROLES, Principal
from maintrac.core.errors import Unauthenticated

SECRET = "test-secret-for-hs256-0123456789abcdefghijklmnop"
OTHER_SECRET = "another-secret-that-is-long-enough-0123456789"
SHORT_SECRET = "short"
TENANT = uuid.UUID("0190f5b2-6c1e-7a3b-9d4e-5f6a7b8c9d0e")
ISSUER = "https://issuer.example.test/"
AUDIENCE = "maintrac-api"

RSA_KID = "rsa-1"
EC_KID = "ec-1"

# What a clean, human detail must not contain: library internals or stack traces.
_LEAKS = ("Traceback", "Error", "Exception", "PyJWT", "jwt.", "PyJWK", "<", "{", "\n")


# ------------------------------------------------------------------ helpers


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(obj: Any) -> str:
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


def claims(**overrides: Any) -> dict[str, Any]:
    """A complete, valid claim set; ``overrides`` replace or (with ``...``) remove claims."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": "user_2abcDEF123",
        "tenantId": str(TENANT),
        "role": "technician",
        "permissions": ["work_orders:read", "work_orders:write"],
        "iat": now,
        "exp": now + 600,
    }
    for name, value in overrides.items():
        if value is ...:
            payload.pop(name, None)
        else:
            payload[name] = value
    return payload


def hs256(payload: dict[str, Any], secret: str = SECRET) -> str:
    return jwt.encode(payload, secret, algorithm="HS256")


def hand_token(header: dict[str, Any], payload: dict[str, Any], key: bytes | None = None) -> str:
    """Build a JWS by hand; with ``key`` the signature is HMAC-SHA256, otherwise empty."""
    signing_input = f"{b64json(header)}.{b64json(payload)}"
    signature = b""
    if key is not None:
        signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def assert_rejected(verifier: TokenVerifier, token: str, reason: str) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as info:
        verifier.verify(token)
    error = info.value
    assert type(error) is Unauthenticated
    assert error.fields.get("reason") == reason, (error.detail, dict(error.fields))
    detail = error.detail
    assert re.fullmatch(r"[A-Z][^\n]*[.]", detail), detail
    for leak in _LEAKS:
        assert leak not in detail, detail
    if len(token) > 10:
        assert token not in detail
    return error


def hs_verifier(**overrides: Any) -> TokenVerifier:
    options: dict[str, Any] = {
        "hs256_secret": SECRET,
        "jwks_url": None,
        "issuer": None,
        "audience": None,
        "leeway_seconds": 30,
    }
    options.update(overrides)
    return TokenVerifier(**options)


# ------------------------------------------------------------------ keys and JWKS server


@dataclass(frozen=True)
class Keys:
    rsa_key: rsa.RSAPrivateKey
    rsa_other_key: rsa.RSAPrivateKey
    ec_key: ec.EllipticCurvePrivateKey

    @property
    def rsa_public_pem(self) -> bytes:
        return self.rsa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def jwks(self) -> dict[str, Any]:
        rsa_jwk = RSAAlgorithm.to_jwk(self.rsa_key.public_key(), as_dict=True)
        rsa_jwk.update(kid=RSA_KID, alg="RS256", use="sig")
        ec_jwk = ECAlgorithm.to_jwk(self.ec_key.public_key(), as_dict=True)
        ec_jwk.update(kid=EC_KID, alg="ES256", use="sig")
        return {"keys": [rsa_jwk, ec_jwk]}


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys(
        rsa_key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        rsa_other_key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        ec_key=ec.generate_private_key(ec.SECP256R1()),
    )


class JwksServer(ThreadingHTTPServer):
    jwks_body: bytes = b""
    hits: int = 0


class _JwksHandler(BaseHTTPRequestHandler):
    server: JwksServer

    def do_GET(self) -> None:
        if self.path == "/jwks.json":
            self.server.hits += 1
            self._send(200, "application/json", self.server.jwks_body)
        elif self.path == "/not-json":
            self._send(200, "application/json", b"<html>maintenance</html>")
        elif self.path == "/no-keys":
            self._send(200, "application/json", b'{"keys": []}')
        else:
            self._send(500, "text/plain", b"internal error")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # stdlib signature
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def jwks_server(keys: Keys) -> Iterator[JwksServer]:
    server = JwksServer(("127.0.0.1", 0), _JwksHandler)
    server.jwks_body = json.dumps(keys.jwks()).encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def server_url(server: JwksServer, path: str = "/jwks.json") -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}{path}"


@pytest.fixture
def jwks_url(jwks_server: JwksServer) -> str:
    return server_url(jwks_server)


@pytest.fixture
def jwks_verifier(jwks_url: str) -> TokenVerifier:
    """Both key sources configured: the shared secret AND the JWKS."""
    return hs_verifier(jwks_url=jwks_url)


def rs256(keys: Keys, payload: dict[str, Any], kid: str = RSA_KID) -> str:
    return jwt.encode(payload, keys.rsa_key, algorithm="RS256", headers={"kid": kid})


def es256(keys: Keys, payload: dict[str, Any], kid: str = EC_KID) -> str:
    return jwt.encode(payload, keys.ec_key, algorithm="ES256", headers={"kid": kid})


# ------------------------------------------------------------------ accepted tokens


def test_valid_hs256_token_is_accepted() -> None:
    principal = hs_verifier().verify(hs256(claims()))
    assert principal == Principal(
        subject="user_2abcDEF123",
        tenant_id=TENANT,
        role="technician",
        permissions=frozenset({"work_orders:read", "work_orders:write"}),
    )


def test_minted_token_round_trips_with_issuer_and_audience() -> None:
    token = mint_token(
        SECRET,
        subject="9a1c0d7e-user",
        tenant_id=TENANT,
        role="planner",
        permissions=DEFAULT_ROLE_PERMISSIONS["planner"],
        issuer=ISSUER,
        audience=AUDIENCE,
    )
    principal = hs_verifier(issuer=ISSUER, audience=AUDIENCE).verify(token)
    assert principal.subject == "9a1c0d7e-user"
    assert principal.tenant_id == TENANT
    assert principal.role == "planner"
    assert principal.permissions == frozenset(DEFAULT_ROLE_PERMISSIONS["planner"])


def test_rs256_token_from_jwks_is_accepted(keys: Keys, jwks_verifier: TokenVerifier) -> None:
    principal = jwks_verifier.verify(rs256(keys, claims()))
    assert principal.tenant_id == TENANT
    assert principal.subject == "user_2abcDEF123"


def test_es256_token_from_jwks_is_accepted(keys: Keys, jwks_verifier: TokenVerifier) -> None:
    principal = jwks_verifier.verify(es256(keys, claims(role="viewer")))
    assert principal.role == "viewer"


def test_jwks_document_is_cached(keys: Keys, jwks_server: JwksServer) -> None:
    verifier = hs_verifier(hs256_secret=None, jwks_url=server_url(jwks_server))
    before = jwks_server.hits
    for _ in range(5):
        verifier.verify(rs256(keys, claims()))
        verifier.verify(es256(keys, claims()))
    assert jwks_server.hits - before == 1


def test_unknown_role_is_allowed_and_unknown_permission_codes_are_dropped() -> None:
    token = hs256(
        claims(role="auditor", permissions=["assets:read", "assets:delete", "root", "pm:read"])
    )
    principal = hs_verifier().verify(token)
    assert principal.role == "auditor"
    assert principal.permissions == frozenset({"assets:read", "pm:read"})


def test_empty_permission_list_gives_no_permissions() -> None:
    assert hs_verifier().verify(hs256(claims(permissions=[]))).permissions == frozenset()


def test_audience_list_containing_ours_is_accepted() -> None:
    token = hs256(claims(aud=["other-api", AUDIENCE]))
    assert hs_verifier(audience=AUDIENCE).verify(token).tenant_id == TENANT


# ------------------------------------------------------------------ algorithm attacks


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_is_rejected(alg: str, jwks_verifier: TokenVerifier) -> None:
    token = hand_token({"alg": alg, "typ": "JWT"}, claims())
    error = assert_rejected(jwks_verifier, token, "alg_none")
    assert error.detail == "Tokens signed with 'none' are not accepted."


def test_alg_none_with_a_signature_is_still_rejected() -> None:
    token = hand_token({"alg": "none"}, claims(), key=SECRET.encode())
    assert_rejected(hs_verifier(), token, "alg_none")


def test_hs256_signed_with_rsa_public_key_is_rejected(
    keys: Keys, jwks_verifier: TokenVerifier
) -> None:
    """HS/RS confusion: the public key PEM used as an HMAC secret must never verify."""
    header = {"alg": "HS256", "typ": "JWT", "kid": RSA_KID}
    token = hand_token(header, claims(role="admin"), key=keys.rsa_public_pem)
    assert_rejected(jwks_verifier, token, "bad_signature")


def test_hs256_signed_with_rsa_public_key_is_rejected_without_hs_secret(
    keys: Keys, jwks_url: str
) -> None:
    verifier = hs_verifier(hs256_secret=None, jwks_url=jwks_url)
    header = {"alg": "HS256", "typ": "JWT", "kid": RSA_KID}
    token = hand_token(header, claims(role="admin"), key=keys.rsa_public_pem)
    assert_rejected(verifier, token, "algorithm_not_allowed")


def test_hs256_token_is_rejected_when_only_jwks_is_configured(jwks_url: str) -> None:
    verifier = hs_verifier(hs256_secret=None, jwks_url=jwks_url)
    assert_rejected(verifier, hs256(claims()), "algorithm_not_allowed")


def test_rs256_token_is_rejected_when_no_jwks_is_configured(keys: Keys) -> None:
    assert_rejected(hs_verifier(), rs256(keys, claims()), "algorithm_not_allowed")


@pytest.mark.parametrize("alg", ["HS384", "HS512", "RS384", "PS256", "ES384", "EdDSA", "XX1"])
def test_algorithms_outside_the_allowed_lists_are_rejected(
    alg: str, jwks_verifier: TokenVerifier
) -> None:
    token = hand_token({"alg": alg, "kid": RSA_KID}, claims(), key=SECRET.encode())
    assert_rejected(jwks_verifier, token, "algorithm_not_allowed")


def test_rs256_header_naming_an_ec_key_is_rejected(
    keys: Keys, jwks_verifier: TokenVerifier
) -> None:
    assert_rejected(jwks_verifier, rs256(keys, claims(), kid=EC_KID), "algorithm_mismatch")


def test_es256_header_naming_an_rsa_key_is_rejected(
    keys: Keys, jwks_verifier: TokenVerifier
) -> None:
    assert_rejected(jwks_verifier, es256(keys, claims(), kid=RSA_KID), "algorithm_mismatch")


def test_rs256_with_unknown_kid_is_rejected(keys: Keys, jwks_verifier: TokenVerifier) -> None:
    assert_rejected(jwks_verifier, rs256(keys, claims(), kid="rsa-unknown"), "unknown_kid")


def test_rs256_without_kid_is_rejected(keys: Keys, jwks_verifier: TokenVerifier) -> None:
    token = jwt.encode(claims(), keys.rsa_key, algorithm="RS256")
    assert_rejected(jwks_verifier, token, "missing_kid")


def test_rs256_signed_by_another_key_with_the_same_kid_is_rejected(
    keys: Keys, jwks_verifier: TokenVerifier
) -> None:
    token = jwt.encode(claims(), keys.rsa_other_key, algorithm="RS256", headers={"kid": RSA_KID})
    assert_rejected(jwks_verifier, token, "bad_signature")


def test_es256_signed_by_another_key_with_the_same_kid_is_rejected(
    jwks_verifier: TokenVerifier,
) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode(claims(), other, algorithm="ES256", headers={"kid": EC_KID})
    assert_rejected(jwks_verifier, token, "bad_signature")


# ------------------------------------------------------------------ signature tampering


def _swap_payload(token: str, payload: dict[str, Any]) -> str:
    header, _, signature = token.split(".")
    return f"{header}.{b64json(payload)}.{signature}"


def test_tampered_hs256_payload_is_rejected() -> None:
    token = _swap_payload(hs256(claims()), claims(role="admin", permissions=sorted(PERMISSIONS)))
    assert_rejected(hs_verifier(), token, "bad_signature")


def test_tampered_rs256_payload_is_rejected(keys: Keys, jwks_verifier: TokenVerifier) -> None:
    token = _swap_payload(rs256(keys, claims()), claims(tenantId=str(uuid.uuid4())))
    assert_rejected(jwks_verifier, token, "bad_signature")


def test_hs256_signed_with_another_secret_is_rejected() -> None:
    token = hs256(claims(), secret=OTHER_SECRET)
    error = assert_rejected(hs_verifier(), token, "bad_signature")
    assert error.detail == "The token's signature does not verify."


def test_truncated_signature_is_rejected() -> None:
    signing_input, _, signature = hs256(claims()).rpartition(".")
    short = b64url(base64.urlsafe_b64decode(signature + "=")[:-3])
    assert_rejected(hs_verifier(), f"{signing_input}.{short}", "bad_signature")
    assert_rejected(hs_verifier(), f"{signing_input}.", "bad_signature")


# ------------------------------------------------------------------ time claims


def test_expired_token_is_rejected() -> None:
    token = hs256(claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600))
    error = assert_rejected(hs_verifier(), token, "expired")
    assert error.detail == "The token has expired."


def test_recently_expired_token_is_accepted_within_leeway() -> None:
    token = hs256(claims(exp=int(time.time()) - 10))
    assert hs_verifier(leeway_seconds=30).verify(token).tenant_id == TENANT
    assert_rejected(hs_verifier(leeway_seconds=0), token, "expired")


def test_token_expired_beyond_leeway_is_rejected() -> None:
    token = hs256(claims(exp=int(time.time()) - 60))
    assert_rejected(hs_verifier(leeway_seconds=30), token, "expired")


def test_nbf_in_the_future_is_rejected() -> None:
    token = hs256(claims(nbf=int(time.time()) + 300))
    assert_rejected(hs_verifier(), token, "not_yet_valid")


def test_nbf_slightly_ahead_is_accepted_within_leeway() -> None:
    token = hs256(claims(nbf=int(time.time()) + 10))
    assert hs_verifier(leeway_seconds=30).verify(token).tenant_id == TENANT
    assert_rejected(hs_verifier(leeway_seconds=0), token, "not_yet_valid")


def test_iat_in_the_future_is_rejected() -> None:
    token = hs256(claims(iat=int(time.time()) + 3600))
    assert_rejected(hs_verifier(), token, "not_yet_valid")


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("exp", "9999999999"),
        ("exp", True),
        ("exp", [1]),
        ("nbf", "0"),
        ("nbf", None),
        ("iat", "yesterday"),
    ],
)
def test_non_numeric_time_claims_are_rejected(claim: str, value: Any) -> None:
    error = assert_rejected(hs_verifier(), hs256(claims(**{claim: value})), "invalid_claim")
    assert error.fields["claim"] == claim


# ------------------------------------------------------------------ issuer and audience


def test_wrong_issuer_is_rejected() -> None:
    token = hs256(claims(iss="https://evil.example.test/"))
    assert_rejected(hs_verifier(issuer=ISSUER), token, "wrong_issuer")


def test_missing_issuer_is_rejected_when_configured() -> None:
    error = assert_rejected(hs_verifier(issuer=ISSUER), hs256(claims()), "missing_claim")
    assert error.fields["claim"] == "iss"
    assert error.detail == "The token is missing the 'iss' claim."


def test_non_string_issuer_is_rejected() -> None:
    token = hand_token({"alg": "HS256"}, claims(iss=[ISSUER]), key=SECRET.encode())
    assert_rejected(hs_verifier(issuer=ISSUER), token, "wrong_issuer")


def test_correct_issuer_is_accepted() -> None:
    assert hs_verifier(issuer=ISSUER).verify(hs256(claims(iss=ISSUER))).tenant_id == TENANT


def test_wrong_audience_is_rejected() -> None:
    token = hs256(claims(aud="some-other-api"))
    assert_rejected(hs_verifier(audience=AUDIENCE), token, "wrong_audience")


def test_wrong_audience_list_is_rejected() -> None:
    token = hs256(claims(aud=["a", "b"]))
    assert_rejected(hs_verifier(audience=AUDIENCE), token, "wrong_audience")


def test_malformed_audience_is_rejected() -> None:
    token = hs256(claims(aud={"aud": AUDIENCE}))
    assert_rejected(hs_verifier(audience=AUDIENCE), token, "invalid_claim")


def test_missing_audience_is_rejected_when_configured() -> None:
    error = assert_rejected(hs_verifier(audience=AUDIENCE), hs256(claims()), "missing_claim")
    assert error.fields["claim"] == "aud"


def test_issuer_and_audience_are_checked_for_jwks_tokens(keys: Keys, jwks_url: str) -> None:
    verifier = hs_verifier(jwks_url=jwks_url, issuer=ISSUER, audience=AUDIENCE)
    good = claims(iss=ISSUER, aud=AUDIENCE)
    assert verifier.verify(rs256(keys, good)).tenant_id == TENANT
    assert_rejected(verifier, rs256(keys, {**good, "iss": "https://x.test/"}), "wrong_issuer")
    assert_rejected(verifier, es256(keys, {**good, "aud": "x"}), "wrong_audience")


# ------------------------------------------------------------------ application claims


@pytest.mark.parametrize("claim", REQUIRED_CLAIMS)
def test_each_missing_required_claim_is_rejected(claim: str) -> None:
    error = assert_rejected(hs_verifier(), hs256(claims(**{claim: ...})), "missing_claim")
    assert error.fields["claim"] == claim
    assert error.detail == f"The token is missing the '{claim}' claim."


@pytest.mark.parametrize("claim", REQUIRED_CLAIMS)
def test_each_null_required_claim_is_rejected(claim: str) -> None:
    error = assert_rejected(hs_verifier(), hs256(claims(**{claim: None})), "missing_claim")
    assert error.fields["claim"] == claim


@pytest.mark.parametrize(
    "tenant",
    [
        "not-a-uuid",
        "",
        12345,
        1.5,
        ["0190f5b2-6c1e-7a3b-9d4e-5f6a7b8c9d0e"],
        {"id": "0190f5b2-6c1e-7a3b-9d4e-5f6a7b8c9d0e"},
        "0190f5b26c1e7a3b9d4e5f6a7b8c9d0e",
        "{0190f5b2-6c1e-7a3b-9d4e-5f6a7b8c9d0e}",
        "0190f5b2-6c1e-7a3b-9d4e-5f6a7b8c9d0e ",
        "0190f5b2-6c1e-7a3b-9d4e-5f6a7b8c9dzz",
    ],
)
def test_invalid_tenant_id_is_rejected(tenant: Any) -> None:
    error = assert_rejected(hs_verifier(), hs256(claims(tenantId=tenant)), "invalid_claim")
    assert error.fields["claim"] == "tenantId"
    assert error.detail == "The token's 'tenantId' claim must be a UUID string."


def test_uppercase_tenant_id_is_accepted() -> None:
    token = hs256(claims(tenantId=str(TENANT).upper()))
    assert hs_verifier().verify(token).tenant_id == TENANT


@pytest.mark.parametrize(
    "permissions",
    ["work_orders:read", "work_orders:read work_orders:write", {"work_orders:read": True}, 7],
)
def test_permissions_not_a_list_is_rejected(permissions: Any) -> None:
    token = hs256(claims(permissions=permissions))
    error = assert_rejected(hs_verifier(), token, "invalid_claim")
    assert error.fields["claim"] == "permissions"


@pytest.mark.parametrize("permissions", [[1, 2], ["work_orders:read", None], [["pm:read"]]])
def test_permissions_with_non_string_items_are_rejected(permissions: Any) -> None:
    token = hs256(claims(permissions=permissions))
    error = assert_rejected(hs_verifier(), token, "invalid_claim")
    assert error.fields["claim"] == "permissions"


@pytest.mark.parametrize(("claim", "value"), [("sub", ""), ("sub", "  "), ("sub", 42)])
def test_invalid_subject_is_rejected(claim: str, value: Any) -> None:
    error = assert_rejected(hs_verifier(), hs256(claims(**{claim: value})), "invalid_claim")
    assert error.fields["claim"] == "sub"


@pytest.mark.parametrize("role", ["", "   ", 3, ["admin"]])
def test_invalid_role_is_rejected(role: Any) -> None:
    error = assert_rejected(hs_verifier(), hs256(claims(role=role)), "invalid_claim")
    assert error.fields["claim"] == "role"


def test_uuid_subject_is_accepted() -> None:
    subject = str(uuid.uuid4())
    assert hs_verifier().verify(hs256(claims(sub=subject))).subject == subject


# ------------------------------------------------------------------ garbage


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", "missing_token"),
        ("   ", "missing_token"),
        ("abc", "malformed"),
        ("a.b.c", "malformed"),
        ("a.b", "malformed"),
        ("...", "malformed"),
        ("Bearer abc.def.ghi", "malformed"),
        (f"{b64json({})}.{b64json(claims())}.", "malformed"),
        (f"{b64json(['HS256'])}.{b64json(claims())}.", "malformed"),
        (f"{b64json({'alg': 7})}.{b64json(claims())}.", "malformed"),
        ("x" * 20_000, "malformed"),
    ],
)
def test_garbage_is_rejected(token: str, reason: str) -> None:
    assert_rejected(hs_verifier(), token, reason)


def test_non_object_payload_is_rejected() -> None:
    token = hand_token({"alg": "HS256", "typ": "JWT"}, claims(), key=SECRET.encode())
    header, _, _ = token.split(".")
    signing_input = f"{header}.{b64json([1, 2, 3])}"
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    assert_rejected(hs_verifier(), f"{signing_input}.{b64url(signature)}", "malformed")


def test_non_string_kid_is_rejected(keys: Keys, jwks_verifier: TokenVerifier) -> None:
    token = jwt.encode(claims(), keys.rsa_key, algorithm="RS256")
    _, payload, signature = token.split(".")
    forged = f"{b64json({'alg': 'RS256', 'kid': 1})}.{payload}.{signature}"
    assert_rejected(jwks_verifier, forged, "malformed")


# ------------------------------------------------------------------ JWKS failures


@pytest.fixture
def dead_url() -> Iterator[str]:
    """A bound but not listening port: connections are refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/jwks.json"


def test_jwks_server_down_is_jwks_unavailable(
    keys: Keys, dead_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    verifier = hs_verifier(jwks_url=dead_url)
    token = rs256(keys, claims())
    with caplog.at_level(logging.DEBUG, logger="maintrac.api.security"):
        assert_rejected(verifier, token, "jwks_unavailable")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings, "an unreachable JWKS endpoint is logged at warning level"
    for record in caplog.records:
        message = record.getMessage()
        assert token not in message
        assert token.split(".")[1] not in message


@pytest.mark.parametrize("path", ["/not-json", "/no-keys", "/server-error"])
def test_broken_jwks_endpoint_is_jwks_unavailable(
    path: str, keys: Keys, jwks_server: JwksServer
) -> None:
    verifier = hs_verifier(jwks_url=server_url(jwks_server, path))
    assert_rejected(verifier, es256(keys, claims()), "jwks_unavailable")


def test_hs256_still_works_while_jwks_is_down(dead_url: str) -> None:
    assert hs_verifier(jwks_url=dead_url).verify(hs256(claims())).tenant_id == TENANT


def test_rejections_are_not_logged_with_token_contents(
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = hs256(claims(sub="secret-subject-value"), secret="x" * 40)
    with caplog.at_level(logging.DEBUG, logger="maintrac.api.security"):
        assert_rejected(hs_verifier(), token, "bad_signature")
    assert all("secret-subject-value" not in r.getMessage() for r in caplog.records)
    assert all(token not in r.getMessage() for r in caplog.records)


# ------------------------------------------------------------------ construction


def test_verifier_needs_a_key_source() -> None:
    with pytest.raises(ValueError, match="secret, a JWKS URL"):
        hs_verifier(hs256_secret=None)


def test_short_hs256_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        hs_verifier(hs256_secret=SHORT_SECRET)
    with pytest.raises(ValueError, match="at least 32 bytes"):
        mint_token(SHORT_SECRET, subject="u", tenant_id=TENANT, role="viewer", permissions=[])


def test_non_http_jwks_url_is_refused() -> None:
    with pytest.raises(ValueError, match="JWKS URL"):
        hs_verifier(jwks_url="file:///etc/passwd")


def test_from_settings_uses_the_configured_secret_issuer_and_audience() -> None:
    settings = Settings(
        environment="test",
        jwt_secret=SecretStr(SECRET),
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        jwt_leeway_seconds=0,
    )
    verifier = TokenVerifier.from_settings(settings)
    token = mint_token(
        SECRET,
        subject="u1",
        tenant_id=TENANT,
        role="viewer",
        permissions=DEFAULT_ROLE_PERMISSIONS["viewer"],
        issuer=ISSUER,
        audience=AUDIENCE,
    )
    assert verifier.verify(token).role == "viewer"
    assert_rejected(verifier, hs256(claims()), "missing_claim")


def test_from_settings_in_development_uses_the_dev_secret() -> None:
    verifier = TokenVerifier.from_settings(Settings(environment="development", jwt_secret=None))
    token = mint_token(
        DEV_JWT_SECRET, subject="dev", tenant_id=TENANT, role="admin", permissions=["pm:read"]
    )
    assert verifier.verify(token).permissions == frozenset({"pm:read"})


def test_from_settings_with_jwks_only(keys: Keys, jwks_url: str) -> None:
    settings = Settings(environment="production", jwt_secret=None, jwt_jwks_url=jwks_url)
    verifier = TokenVerifier.from_settings(settings)
    assert verifier.allowed_algorithms == ("RS256", "ES256")
    assert verifier.verify(es256(keys, claims())).tenant_id == TENANT
    assert_rejected(verifier, hs256(claims(), secret=DEV_JWT_SECRET), "algorithm_not_allowed")


def test_minted_token_expires_after_its_ttl() -> None:
    token = mint_token(
        SECRET, subject="u", tenant_id=TENANT, role="viewer", permissions=[], ttl_seconds=60
    )
    payload = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert payload["exp"] - payload["iat"] == 60
    assert payload["tenantId"] == str(TENANT)


# ------------------------------------------------------------------ default role permissions


def test_default_role_permissions_cover_every_role_with_known_codes() -> None:
    assert set(DEFAULT_ROLE_PERMISSIONS) == set(ROLES)
    for role, codes in DEFAULT_ROLE_PERMISSIONS.items():
        assert set(codes) <= PERMISSIONS, role
        assert len(codes) == len(set(codes)), role
    assert set(DEFAULT_ROLE_PERMISSIONS["admin"]) == PERMISSIONS
    assert all(code.endswith(":read") for code in DEFAULT_ROLE_PERMISSIONS["viewer"])
    assert "reference_data:write" not in DEFAULT_ROLE_PERMISSIONS["planner"]
    assert "sync:use" in DEFAULT_ROLE_PERMISSIONS["technician"]


# ------------------------------------------------------------------ the verified-token cache


def test_a_verified_token_is_not_decoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = hs_verifier()
    token = hs256(claims())
    first = verifier.verify(token)

    def no_decode(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("decoded again")

    monkeypatch.setattr(jwt, "decode", no_decode)
    monkeypatch.setattr(jwt, "get_unverified_header", no_decode)
    assert verifier.verify(token) is first


def test_a_cached_token_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = hs_verifier(leeway_seconds=0)
    now = time.time()
    token = hs256(claims(iat=int(now), exp=int(now) + 5))
    assert verifier.verify(token).tenant_id == TENANT
    monkeypatch.setattr(time, "time", lambda: now + 6)
    error = assert_rejected(verifier, token, "expired")
    assert error.detail == "The token has expired."


def test_cache_entries_end_after_their_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = TokenVerifier(
        hs256_secret=SECRET,
        jwks_url=None,
        issuer=None,
        audience=None,
        leeway_seconds=0,
        token_cache_seconds=30,
    )
    token = hs256(claims())
    verifier.verify(token)
    decoded: list[str] = []
    real_decode = jwt.decode

    def counting_decode(*args: Any, **kwargs: Any) -> Any:
        decoded.append("x")
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting_decode)
    verifier.verify(token)
    assert decoded == []
    later = time.monotonic() + 31
    monkeypatch.setattr(time, "monotonic", lambda: later)
    verifier.verify(token)
    assert decoded == ["x"]


def test_refusals_are_not_cached_and_the_cache_is_bounded() -> None:
    verifier = TokenVerifier(
        hs256_secret=SECRET,
        jwks_url=None,
        issuer=None,
        audience=None,
        leeway_seconds=0,
        token_cache_size=2,
    )
    bad = hs256(claims(), secret=OTHER_SECRET)
    assert_rejected(verifier, bad, "bad_signature")
    assert_rejected(verifier, bad, "bad_signature")
    tokens = [hs256(claims(sub=f"user-{n}")) for n in range(3)]
    for token in tokens:
        verifier.verify(token)
    assert len(verifier._verified) == 2
    assert tokens[0] not in verifier._verified
