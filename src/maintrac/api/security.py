"""Bearer-token verification: a JWT in, a :class:`~maintrac.core.auth.Principal` out.

Two key sources, each with its own fixed list of algorithms, chosen by the token's
``alg`` header but never widened by it:

* a shared secret (``JWT_SECRET``): ``HS256`` only;
* a JWKS URL (``JWT_JWKS_URL``): ``RS256`` and ``ES256`` only, the key picked by the
  token's ``kid`` and its algorithm pinned by the key, not by the token.

So ``alg: none`` is refused, an ``HS256`` token is only ever checked against the shared
secret (never against a public key: no HS/RS confusion), and an ``RS256`` header cannot
make an ES256 key verify. Every failure is an
:class:`~maintrac.core.errors.Unauthenticated` with a human ``detail`` and a short
machine ``reason`` field; nothing from the token is logged.

This module is also used by the CLI (``mint_token``): it must not import the web stack.
"""

from __future__ import annotations

import logging
import math
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Final, NoReturn

import jwt
from jwt.exceptions import (
    DecodeError,
    InvalidAlgorithmError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidTokenError,
    PyJWKClientConnectionError,
    PyJWKClientError,
    PyJWKError,
    PyJWKSetError,
    PyJWTError,
)

from maintrac.config import Settings
from maintrac.core.auth import PERMISSIONS, Principal
from maintrac.core.errors import Unauthenticated

logger = logging.getLogger(__name__)

#: Algorithms accepted with the shared secret.
HMAC_ALGORITHMS: Final[tuple[str, ...]] = ("HS256",)
#: Algorithms accepted with keys from the JWKS URL.
JWKS_ALGORITHMS: Final[tuple[str, ...]] = ("RS256", "ES256")
#: RFC 7518 section 3.2: an HS256 key must be at least as long as the hash (256 bits).
MIN_HMAC_SECRET_BYTES: Final = 32
#: A bearer token longer than this is refused before any parsing.
MAX_TOKEN_LENGTH: Final = 16_384
#: Verified tokens remembered (by their exact text) so that a client's next requests skip
#: the signature check: this many at most, each for at most ``TOKEN_CACHE_SECONDS``.
TOKEN_CACHE_SIZE: Final = 4096
TOKEN_CACHE_SECONDS: Final = 60.0
#: Tokens longer than this are verified every time (a cache entry holds the token's text).
TOKEN_CACHE_MAX_LENGTH: Final = 4096

#: Claims every token must carry (``iss``/``aud`` are added when configured).
REQUIRED_CLAIMS: Final[tuple[str, ...]] = ("exp", "sub", "tenantId", "role", "permissions")

_UUID_RE: Final = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)

#: Permissions the development tooling grants each role in ``core.auth.ROLES``.
DEFAULT_ROLE_PERMISSIONS: Final[dict[str, list[str]]] = {
    "admin": sorted(PERMISSIONS),
    "planner": [
        "assets:read",
        "assets:write",
        "pm:read",
        "pm:write",
        "readings:write",
        "reference_data:read",
        "reports:generate",
        "users:read",
        "work_orders:read",
        "work_orders:write",
    ],
    "technician": [
        "assets:read",
        "pm:read",
        "readings:write",
        "reference_data:read",
        "sync:use",
        "users:read",
        "work_orders:read",
        "work_orders:write",
    ],
    "viewer": [
        "assets:read",
        "pm:read",
        "reference_data:read",
        "users:read",
        "work_orders:read",
    ],
    "integration": [
        "assets:read",
        "assets:write",
        "pm:read",
        "readings:write",
        "reference_data:read",
        "users:read",
        "webhooks:manage",
        "work_orders:read",
        "work_orders:write",
    ],
}


def _reject(detail: str, reason: str, **fields: Any) -> NoReturn:
    logger.debug("Bearer token rejected: %s", reason)
    raise Unauthenticated(detail, reason=reason, **fields)


def _check_hmac_secret(secret: str) -> None:
    if len(secret.encode()) < MIN_HMAC_SECRET_BYTES:
        raise ValueError(f"The HS256 secret must be at least {MIN_HMAC_SECRET_BYTES} bytes long.")


#: Claims whose text reaches the database or the logs: each must be storable text.
TEXT_CLAIMS: Final[tuple[str, ...]] = ("sub", "role", "name", "email")


def _storable(value: object) -> bool:
    """Not a string, or a string PostgreSQL text can hold: no U+0000, valid UTF-8 (a JSON
    ``\\ud800`` escape decodes to a lone surrogate, which UTF-8 cannot encode)."""
    if not isinstance(value, str):
        return True
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class TokenVerifier:
    """Verifies bearer tokens against a shared secret, a JWKS URL, or both.

    The JWKS document is fetched lazily and cached for ``jwks_cache_seconds``; an
    unknown ``kid`` triggers at most one refetch per cooldown (PyJWT's behaviour), so
    rotated keys are picked up without letting garbage ``kid`` values hammer the URL.

    A token that verified is remembered, by its exact text, for ``token_cache_seconds``
    (0: never): the same token again costs a dictionary look-up and the ``exp`` check,
    not a base64 decode and an HMAC or RSA check. What a cached answer skips cannot change
    for the same text: signature, issuer, audience, claim types and the principal are
    functions of the token and this verifier's fixed settings; ``nbf`` and ``iat`` only
    get further behind ``now``; ``exp`` is checked again on every use. Only a key removed
    from the JWKS document is noticed up to ``token_cache_seconds`` later (the document is
    itself cached for ``jwks_cache_seconds``). Refusals are never remembered.
    """

    def __init__(
        self,
        *,
        hs256_secret: str | None,
        jwks_url: str | None,
        issuer: str | None,
        audience: str | None,
        leeway_seconds: int,
        jwks_cache_seconds: float = 300.0,
        jwks_timeout_seconds: float = 5.0,
        token_cache_seconds: float = TOKEN_CACHE_SECONDS,
        token_cache_size: int = TOKEN_CACHE_SIZE,
    ) -> None:
        if hs256_secret is None and jwks_url is None:
            raise ValueError("A token verifier needs an HS256 secret, a JWKS URL, or both.")
        if hs256_secret is not None:
            _check_hmac_secret(hs256_secret)
        if leeway_seconds < 0:
            raise ValueError("The clock-skew leeway cannot be negative.")
        self._secret = hs256_secret
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds
        self._jwks_url = jwks_url
        self._cache_seconds = token_cache_seconds
        self._cache_size = token_cache_size
        #: token -> (principal, its ``exp``, monotonic time the entry stops being used).
        self._verified: dict[str, tuple[Principal, float, float]] = {}
        self._jwks: jwt.PyJWKClient | None = None
        if jwks_url is not None:
            try:
                self._jwks = jwt.PyJWKClient(
                    jwks_url,
                    cache_jwk_set=True,
                    lifespan=jwks_cache_seconds,
                    timeout=jwks_timeout_seconds,
                )
            except PyJWKClientError as exc:
                raise ValueError(f"The JWKS URL is not usable: {exc}") from exc

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenVerifier:
        return cls(
            hs256_secret=settings.effective_jwt_secret(),
            jwks_url=settings.jwt_jwks_url,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            leeway_seconds=settings.jwt_leeway_seconds,
        )

    @property
    def allowed_algorithms(self) -> tuple[str, ...]:
        """The algorithms this verifier accepts, given its configured key sources."""
        algorithms: tuple[str, ...] = ()
        if self._secret is not None:
            algorithms += HMAC_ALGORITHMS
        if self._jwks is not None:
            algorithms += JWKS_ALGORITHMS
        return algorithms

    # ------------------------------------------------------------------ verify

    def verify(self, token: str) -> Principal:
        """Verify ``token`` (the bare JWT, without ``Bearer``) and return its principal."""
        found = self._verified.get(token) if isinstance(token, str) else None
        if found is not None:
            principal, expires, until = found
            if time.monotonic() < until:
                if expires <= time.time() - self._leeway:
                    _reject("The token has expired.", "expired")
                return principal
            self._verified.pop(token, None)
        principal, expires = self._verify_uncached(token)
        if self._cache_seconds > 0 < self._cache_size and len(token) <= TOKEN_CACHE_MAX_LENGTH:
            if len(self._verified) >= self._cache_size:
                # Oldest first (dicts keep insertion order); at most one entry per call.
                self._verified.pop(next(iter(self._verified)), None)
            self._verified[token] = (principal, expires, time.monotonic() + self._cache_seconds)
        return principal

    def _verify_uncached(self, token: str) -> tuple[Principal, float]:
        if not isinstance(token, str) or not token.strip():
            _reject("No bearer token was given.", "missing_token")
        if len(token) > MAX_TOKEN_LENGTH:
            _reject("The token is too long to be a valid access token.", "malformed")

        header = self._header(token)
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or not algorithm:
            _reject("The token's header does not name a signing algorithm.", "malformed")
        if algorithm.lower() == "none":
            _reject("Tokens signed with 'none' are not accepted.", "alg_none")

        key: str | jwt.PyJWK
        if algorithm in HMAC_ALGORITHMS and self._secret is not None:
            key = self._secret
        elif algorithm in JWKS_ALGORITHMS and self._jwks is not None:
            key = self._jwks_key(self._jwks, header, algorithm)
        else:
            accepted = ", ".join(self.allowed_algorithms)
            _reject(
                f"The token's signing algorithm is not accepted here (accepted: {accepted}).",
                "algorithm_not_allowed",
            )

        payload = self._verified_payload(token, key, algorithm)
        self._check_registered_claims(payload)
        return self._principal(payload), payload["exp"]

    def _header(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except PyJWTError:
            _reject("The token is not a well-formed JWT.", "malformed")
        return header

    def _jwks_key(
        self, client: jwt.PyJWKClient, header: Mapping[str, Any], algorithm: str
    ) -> jwt.PyJWK:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            _reject("The token's header does not name its signing key ('kid').", "missing_kid")
        try:
            # Fetch (or reuse) the cached key set first, so an unreachable or broken
            # JWKS endpoint is told apart from a kid that is simply not in it.
            signing_keys = client.get_signing_keys()
        except (PyJWTError, ValueError, OSError) as exc:  # JSON errors escape PyJWT
            self._jwks_unavailable(exc)
        signing_key = client.match_kid(signing_keys, kid)
        if signing_key is None:
            try:
                # Refetches the set once per cooldown: picks up rotated keys.
                signing_key = client.get_signing_key(kid)
            except (
                PyJWKClientConnectionError,
                PyJWKSetError,
                PyJWKError,
                ValueError,
                OSError,
            ) as exc:
                self._jwks_unavailable(exc)
            except PyJWKClientError:
                _reject(
                    "The token's signing key ('kid') is not one this API trusts.", "unknown_kid"
                )
        if signing_key.algorithm_name not in JWKS_ALGORITHMS:
            _reject("The token's signing key uses an algorithm that is not accepted.", "bad_key")
        if signing_key.algorithm_name != algorithm:
            _reject(
                "The token's algorithm does not match the algorithm of its signing key.",
                "algorithm_mismatch",
            )
        return signing_key

    def _jwks_unavailable(self, exc: Exception) -> NoReturn:
        logger.warning(
            "JWKS endpoint %s could not be used to verify a token: %s", self._jwks_url, exc
        )
        _reject(
            "The keys needed to verify the token could not be fetched; try again later.",
            "jwks_unavailable",
        )

    def _verified_payload(self, token: str, key: str | jwt.PyJWK, algorithm: str) -> dict[str, Any]:
        """Check the signature only; the claims are checked afterwards, by us."""
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                options={
                    "verify_signature": True,
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_aud": False,
                    "verify_iss": False,
                    "verify_sub": False,
                    "verify_jti": False,
                    "require": [],
                },
            )
        except InvalidSignatureError:
            _reject("The token's signature does not verify.", "bad_signature")
        except InvalidAlgorithmError:
            _reject("The token's signing algorithm is not accepted here.", "algorithm_not_allowed")
        except InvalidKeyError:
            _reject("The token cannot be verified with the configured key.", "bad_key")
        except (DecodeError, InvalidTokenError):
            _reject("The token is not a well-formed JWT.", "malformed")
        return payload

    def _check_registered_claims(self, payload: Mapping[str, Any]) -> None:
        self._check_required(payload)
        self._check_times(payload)
        self._check_issuer_and_audience(payload)

    def _check_required(self, payload: Mapping[str, Any]) -> None:
        required = list(REQUIRED_CLAIMS)
        if self._issuer is not None:
            required.append("iss")
        if self._audience is not None:
            required.append("aud")
        for claim in required:
            if payload.get(claim) is None:
                _reject(f"The token is missing the '{claim}' claim.", "missing_claim", claim=claim)

    def _check_times(self, payload: Mapping[str, Any]) -> None:
        for claim in ("exp", "nbf", "iat"):
            if claim in payload and not _is_number(payload[claim]):
                _reject(
                    f"The token's '{claim}' claim must be a number of seconds since the epoch.",
                    "invalid_claim",
                    claim=claim,
                )
        now = time.time()
        if payload["exp"] <= now - self._leeway:
            _reject("The token has expired.", "expired")
        if "nbf" in payload and payload["nbf"] > now + self._leeway:
            _reject(
                "The token is not valid yet (its 'nbf' time is in the future).", "not_yet_valid"
            )
        if "iat" in payload and payload["iat"] > now + self._leeway:
            _reject("The token claims to be issued in the future.", "not_yet_valid")

    def _check_issuer_and_audience(self, payload: Mapping[str, Any]) -> None:
        if self._issuer is not None and payload["iss"] != self._issuer:
            _reject("The token was issued by an issuer this API does not trust.", "wrong_issuer")
        if self._audience is None:
            # No audience configured: a token's 'aud' (if any) is not checked.
            return
        audiences = payload["aud"]
        if isinstance(audiences, str):
            audiences = [audiences]
        if not isinstance(audiences, list) or not all(isinstance(a, str) for a in audiences):
            _reject(
                "The token's 'aud' claim must be a string or a list of strings.",
                "invalid_claim",
                claim="aud",
            )
        if self._audience not in audiences:
            _reject("The token is not meant for this API (wrong audience).", "wrong_audience")

    @staticmethod
    def _principal(payload: Mapping[str, Any]) -> Principal:
        for claim in TEXT_CLAIMS:
            if not _storable(payload.get(claim)):
                _reject(
                    f"The token's '{claim}' claim holds a NUL character or an unpaired "
                    "surrogate, which no text can hold.",
                    "invalid_claim",
                    claim=claim,
                )
        subject = payload["sub"]
        if not isinstance(subject, str) or not subject.strip():
            _reject(
                "The token's 'sub' claim must be a non-empty string.", "invalid_claim", claim="sub"
            )

        tenant = payload["tenantId"]
        if not isinstance(tenant, str) or _UUID_RE.fullmatch(tenant) is None:
            _reject(
                "The token's 'tenantId' claim must be a UUID string.",
                "invalid_claim",
                claim="tenantId",
            )

        role = payload["role"]
        if not isinstance(role, str) or not role.strip():
            _reject(
                "The token's 'role' claim must be a non-empty string.",
                "invalid_claim",
                claim="role",
            )

        permissions = payload["permissions"]
        if not isinstance(permissions, list) or not all(isinstance(p, str) for p in permissions):
            _reject(
                "The token's 'permissions' claim must be a list of strings.",
                "invalid_claim",
                claim="permissions",
            )

        name, email = payload.get("name"), payload.get("email")
        return Principal(
            subject=subject,
            tenant_id=uuid.UUID(tenant),
            role=role,
            permissions=frozenset(permissions) & PERMISSIONS,
            # Optional profile claims (Clerk, Auth0 and others can add them): they name the
            # user record created on first use. Anything but a sane string is ignored.
            display_name=name.strip()[:200] if isinstance(name, str) and name.strip() else None,
            email=email.strip()[:320] if isinstance(email, str) and "@" in email else None,
            email_verified=payload.get("email_verified") is True,
        )


def mint_token(
    secret: str,
    *,
    subject: str,
    tenant_id: uuid.UUID,
    role: str,
    permissions: Iterable[str],
    ttl_seconds: int = 3600,
    issuer: str | None = None,
    audience: str | None = None,
    name: str | None = None,
    email: str | None = None,
    email_verified: bool | None = None,
) -> str:
    """Sign a development token (HS256) that :class:`TokenVerifier` accepts."""
    _check_hmac_secret(secret)
    if ttl_seconds <= 0:
        raise ValueError("A token's time to live must be positive.")
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": subject,
        "tenantId": str(tenant_id),
        "role": role,
        "permissions": list(dict.fromkeys(permissions)),
        "iat": now,
        "exp": now + ttl_seconds,
        "jti": uuid.uuid4().hex,
    }
    if name is not None:
        payload["name"] = name
    if email is not None:
        payload["email"] = email
    if email_verified is not None:
        payload["email_verified"] = email_verified
    if issuer is not None:
        payload["iss"] = issuer
    if audience is not None:
        payload["aud"] = audience
    return jwt.encode(payload, secret, algorithm="HS256")
