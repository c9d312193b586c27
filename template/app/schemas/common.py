"""Building blocks shared by the request and response schemas."""

from typing import Annotated, Any

from pydantic import BaseModel, StringConstraints

# Text a person typed: trimmed, and no control characters (PostgreSQL rejects NUL bytes).
PlainText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\x00-\x1f\x7f]+$")
]


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorResponse(BaseModel):
    """The one JSON shape of every error response: `{"error": {"code", "message", "details"}}`."""

    error: ErrorBody
