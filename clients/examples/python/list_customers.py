"""List every customer of your tenant, page by page, through the GraphQL API.

Usage: CREDIT_TOKEN=... python list_customers.py [--page-size 50] [--json]
Env:   CREDIT_URL (default http://127.0.0.1:8000/graphql), CREDIT_TOKEN (required).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx

QUERY = """query Page($first: Int!, $after: String) {
  customers(first: $first, after: $after, orderBy: {field: CODE}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id code legalName country creditFile { completeness { ratio } } } }
  }
}"""


class ApiError(Exception):
    """The API answered with errors; the message carries their codes."""


def pages(client: httpx.Client, url: str, page_size: int) -> Iterator[dict[str, Any]]:
    """Yield customers, following `endCursor` until `hasNextPage` is false."""
    after = None
    while True:
        response = client.post(
            url, json={"query": QUERY, "variables": {"first": page_size, "after": after}}
        )
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            codes = [(e.get("extensions") or {}).get("code", "ERROR") for e in body["errors"]]
            messages = "; ".join(
                f"{c}: {e['message']}" for c, e in zip(codes, body["errors"], strict=True)
            )
            raise ApiError(messages)
        page = body["data"]["customers"]
        for edge in page["edges"]:
            yield edge["node"]
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def main(argv: list[str] | None = None) -> int:
    """Print the customers as a table or as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page-size", type=int, default=50, help="1-100 (default 50)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    url = os.environ.get("CREDIT_URL", "http://127.0.0.1:8000/graphql")
    token = os.environ.get("CREDIT_TOKEN")
    if not token:
        print(
            "CREDIT_TOKEN is required (try: .venv/bin/credit token --tenant demo "
            "--role credit_manager)",
            file=sys.stderr,
        )
        return 2
    if not 1 <= args.page_size <= 100:
        print("--page-size must be between 1 and 100", file=sys.stderr)
        return 2
    headers = {"Authorization": f"Bearer {token}"}
    count = 0
    try:
        with httpx.Client(headers=headers, timeout=30) as client:
            if not args.json:
                print(f"{'CODE':<12} {'COUNTRY':<7} {'FILE':>5}  LEGAL NAME")
            for customer in pages(client, url, args.page_size):
                count += 1
                # a decimal string ("0.8182"): read it as a Decimal, never a float
                ratio = Decimal(customer["creditFile"]["completeness"]["ratio"])
                if args.json:
                    print(json.dumps(customer, ensure_ascii=False))
                else:
                    print(
                        f"{customer['code']:<12} {customer['country']:<7} {ratio:>5.0%}  "
                        f"{customer['legalName']}"
                    )
    except ApiError as exc:
        print(f"API error: {exc}", file=sys.stderr)
        return 1
    except httpx.HTTPError as exc:
        print(f"HTTP error: {exc}", file=sys.stderr)
        return 1
    if not args.json:
        print(f"{count} customers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
