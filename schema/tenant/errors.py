"""The codes a tenant-profile mutation refuses with; its error and payload types."""

from __future__ import annotations

from schema.user_errors import catalogue

TENANT = catalogue(
    "Tenant",
    "tenant profile",
    {
        "INVALID_ACCOUNT": "Not a bank account number (6-40 letters and digits).",
        "INVALID_IMAGE": "Not a PNG or JPEG image (base64), or too large.",
        "INVALID_PHONE": "Not a telephone number.",
        "INVALID_TIME_ZONE": "Not an IANA time zone such as Asia/Shanghai.",
    },
)
