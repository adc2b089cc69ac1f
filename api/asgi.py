"""ASGI entry for uvicorn: `api.asgi:app`, configured from the environment.

Each process that imports it logs through the JSON handler: `credit serve --workers N` starts
its worker processes afresh (spawn), and the CLI's own `configure` reaches only the parent,
so without this line the workers wrote no line at all below WARNING."""

from __future__ import annotations

from api.app import create_app
from infra.logs import configure
from infra.settings import load

settings = load()
configure(settings.log_level)
app = create_app(settings)
