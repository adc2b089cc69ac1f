"""GraphiQL served by the platform itself: pinned assets from web/graphiql, no public CDN."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

ROOT = Path(__file__).resolve().parents[1] / "web" / "graphiql"
MODULES = ROOT / "node_modules"
#: The only files served: public name -> path under node_modules (versions pinned in
#: web/graphiql/package.json and its lock file; `make install` runs `npm ci` there).
ASSETS = {
    "graphiql.min.css": "graphiql/graphiql.min.css",
    "graphiql.min.js": "graphiql/graphiql.min.js",
    "react.production.min.js": "react/umd/react.production.min.js",
    "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
}
MEDIA = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
MISSING = """<!doctype html><meta charset="utf-8"><title>GraphiQL not installed</title>
<p>GraphiQL's assets are not installed on this server: run <code>make install</code>
(it runs <code>npm ci</code> in <code>web/graphiql</code>). The API itself works without them.</p>
"""


def installed() -> bool:
    """Whether every asset is on disk."""
    return all((MODULES / path).is_file() for path in ASSETS.values())


def page() -> HTMLResponse:
    """The GraphiQL page, or a page saying how to install it."""
    if not installed():
        return HTMLResponse(MISSING, status_code=503)
    return HTMLResponse((ROOT / "index.html").read_text(encoding="utf-8"))


async def asset(request: Request) -> Response:
    """One pinned asset; anything else is a 404 (no path ever reaches the file system)."""
    name = request.path_params["name"]
    path = ASSETS.get(name)
    if path is None or not (MODULES / path).is_file():
        return PlainTextResponse("Not found", status_code=404)
    suffix = Path(name).suffix
    return FileResponse(
        MODULES / path,
        media_type=MEDIA[suffix],
        headers={"Cache-Control": "public, max-age=86400"},
    )
