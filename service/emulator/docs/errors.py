"""Docs v1's errors: the google.rpc-style envelope (no legacy `errors` entry) with the messages Google is seen to send."""

from __future__ import annotations

from service.emulator.errors import ApiError


def invalid_request(index: int, request_type: str, detail: str) -> ApiError:
    """400 for sub-request `index` of a batchUpdate, with Google's observed message prefix."""
    return ApiError(400, f"Invalid requests[{index}].{request_type}: {detail}")


def not_found() -> ApiError:
    # The Docs API (a OnePlatform API) answers in the google.rpc style, without a legacy `errors` entry.
    return ApiError(404, "Requested entity was not found.")


def denied() -> ApiError:
    return ApiError(403, "The caller does not have permission")
