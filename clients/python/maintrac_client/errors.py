"""Errors raised by the client: ``UnexpectedStatus`` (an undocumented status) and
``ApiProblem`` (a documented error response, raised by ``unwrap``)."""

from typing import Any


class UnexpectedStatus(Exception):
    """Raised by api functions when the response has an undocumented status and
    ``Client.raise_on_unexpected_status`` is True."""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class ApiProblem(Exception):
    """An error response of the API (``application/problem+json``, RFC 9457).

    ``problem`` is the typed ``Problem`` model: ``status``, ``type_`` (a stable URI
    reference such as ``/problems/not-found``), ``code``, ``detail`` and, for field
    failures, ``errors`` (JSON pointers into the request).
    """

    def __init__(self, status_code: int, problem: Any):
        self.status_code = status_code
        self.problem = problem
        detail = getattr(problem, "detail", None)
        code = getattr(problem, "code", None)
        super().__init__(f"{status_code} {code}: {detail}")


def unwrap(response: Any) -> Any:
    """The parsed body of a ``sync_detailed``/``asyncio_detailed`` response, or raise.

    A 2xx response returns its parsed model (``None`` for 204); an error response raises
    ``ApiProblem`` holding its ``Problem``.
    """
    status = int(response.status_code)
    if 200 <= status < 300:
        return response.parsed
    raise ApiProblem(status, response.parsed)


__all__ = ["ApiProblem", "UnexpectedStatus", "unwrap"]
