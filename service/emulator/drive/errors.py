"""Drive v3's errors: the legacy envelope's reasons (`errors[0].reason`) its clients read, one constructor each."""

from __future__ import annotations

from service.emulator.errors import ApiError

_SERVICE_ACCOUNT_QUOTA = (
    "Service Accounts do not have storage quota. Leverage shared drives "
    "(https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth "
    "delegation (http://support.google.com/a/answer/7281227) instead."
)


def not_found(file_id: str) -> ApiError:
    """Drive's answer for a file that does not exist or that the caller may not see (indistinguishable)."""
    return ApiError(404, f"File not found: {file_id}.", reason="notFound")


def drive_not_found(drive_id: str) -> ApiError:
    return ApiError(404, f"Shared drive not found: {drive_id}", reason="notFound")


def insufficient() -> ApiError:
    return ApiError(403, "The user does not have sufficient permissions for this file.",
                    reason="insufficientFilePermissions")


def storage_quota_error() -> ApiError:
    # Message and reason as reported publicly (google-apis.md §7.1); the `usageLimits` domain is UNCONFIRMED.
    return ApiError(403, _SERVICE_ACCOUNT_QUOTA, reason="storageQuotaExceeded", domain="usageLimits")


def not_writable(field: str) -> ApiError:
    return ApiError(403, "The resource body includes fields which are not directly writable.",
                    reason="fieldNotWritable")


def invalid_query() -> ApiError:
    # What Drive answers for a `q` it cannot parse (reason "invalid", location "q").
    return ApiError(400, "Invalid Value", reason="invalid")


def bad_sharing_request(message: str) -> ApiError:
    # UNCONFIRMED wording for validation failures Drive reports as 400 invalidSharingRequest.
    return ApiError(400, message, reason="invalidSharingRequest")
