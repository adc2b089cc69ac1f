"""ASGI entry for uvicorn: `api.asgi:app`, configured from the environment."""

from __future__ import annotations

from api.app import create_app
from infra.settings import load

app = create_app(load())
