"""Sheets v4's errors, in the google.rpc envelope it answers with (no legacy `errors[]` entry)."""

from __future__ import annotations

from service.emulator.errors import ApiError

# Messages and statuses of the first three are captured from the real API (gspread's recorded
# cassettes, tests/emulator/captures/sheets/): Sheets tells a missing spreadsheet (404) from one the
# caller may not read (403), unlike Drive.


def not_found() -> ApiError:
    return ApiError(404, "Requested entity was not found.", status="NOT_FOUND")


def permission_denied() -> ApiError:
    return ApiError(403, "The caller does not have permission", status="PERMISSION_DENIED")


def unparsable_range(text: str) -> ApiError:
    return ApiError(400, f"Unable to parse range: {text}", status="INVALID_ARGUMENT")


def exceeds_grid(shown: str, rows: int, columns: int) -> ApiError:
    # Wording observed on writes (public reports); that reads answer the same is UNCONFIRMED.
    return ApiError(400, f"Range ({shown}) exceeds grid limits. Max rows: {rows}, max columns: {columns}",
                    status="INVALID_ARGUMENT")


def not_a_spreadsheet() -> ApiError:
    # UNCONFIRMED wording for a Sheets call on a Drive file that is not a spreadsheet (e.g. a Doc).
    return ApiError(400, "This operation is not supported for this document", status="FAILED_PRECONDITION")


def invalid_enum(name: str, value: str) -> ApiError:
    return ApiError(400, f"Invalid value at '{name}' (TYPE_ENUM), \"{value}\"", status="INVALID_ARGUMENT")
