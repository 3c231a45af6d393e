"""Response checks for `catch_response` blocks: every task judges its response with these, and each
marks the response exactly once (success or failure with the reason)."""

from __future__ import annotations

from collections.abc import Iterable


def expect(response, status: int, *, keys: Iterable[str] = (), content_type: str | None = None, min_bytes: int = 0):
    """Fail `response` unless it has `status`, the top-level JSON `keys`, a Content-Type starting with
    `content_type` and at least `min_bytes` of body. Returns the decoded JSON (None after a failure
    or when no keys were asked for)."""
    data, problem = _inspect(response, status, tuple(keys), content_type, min_bytes)
    return _mark(response, problem, data)


def expect_graphql(response, field: str):
    """A GraphQL answer is HTTP 200 even when it failed: also require no `errors` and a `data.<field>`.
    Returns that field's value."""
    body, problem = _inspect(response, 200, ("data",), None, 0)
    value = None
    if problem is None:
        if body.get("errors"):
            problem = f"GraphQL errors: {str(body['errors'])[:200]}"
        elif not isinstance(body["data"], dict) or body["data"].get(field) is None:
            problem = f"GraphQL data.{field} is missing: {_excerpt(response)}"
        else:
            value = body["data"][field]
    return _mark(response, problem, value)


def _inspect(response, status, keys, content_type, min_bytes):
    error = getattr(response, "error", None)
    if not response.status_code and error is not None:
        # No HTTP answer at all: name the connection's failure (refused, reset, timed out), not an empty body.
        return None, f"no HTTP response: {type(error).__name__}: {str(error)[:160]}"
    if response.status_code != status:
        return None, f"HTTP {response.status_code}, expected {status}: {_excerpt(response)}"
    received_type = response.headers.get("Content-Type") or ""
    if content_type and not received_type.startswith(content_type):
        return None, f"Content-Type {received_type!r}, expected {content_type}*"
    size = len(response.content or b"")
    if size < min_bytes:
        return None, f"body of {size} bytes, expected at least {min_bytes}"
    if not keys:
        return None, None
    try:
        data = response.json()
    except ValueError:
        return None, f"body is not JSON: {_excerpt(response)}"
    missing = [key for key in keys if not isinstance(data, dict) or key not in data]
    if missing:
        return None, f"JSON lacks {', '.join(missing)}: {_excerpt(response)}"
    return data, None


def _mark(response, problem, value):
    if problem:
        response.failure(problem)
        return None
    response.success()
    return value


def _excerpt(response) -> str:
    return (response.text or "")[:200].replace("\n", " ")
