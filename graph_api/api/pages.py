"""The service's own web pages: the landing page, the relationship explorer and its assets."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from graph_api import __version__
from graph_api.config import Settings

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
# Built by `npm run build` in web/ (the Makefile runs it when missing or stale); not committed.
STATIC_DIR = WEB_DIR / "static"
BUILT_STAMP = STATIC_DIR / "BUILT"

MISSING_ASSETS = (
    "The explorer's scripts are not built. Build them with `make demo` (or `make web`), "
    "or by hand: `cd web && npm ci && npm run build` (Node.js 20+ and npm). "
    "The GraphQL API at /graphql works without them."
)


def assets_built() -> bool:
    return BUILT_STAMP.is_file()


def graphiql_page() -> str:
    """GraphiQL loading its scripts and styles from this service, not from a CDN."""
    if not assets_built():
        return _notice_page("GraphiQL", MISSING_ASSETS)
    return (WEB_DIR / "graphiql.html").read_text(encoding="utf-8")


def landing_page(settings: Settings) -> str:
    links = [
        (
            "/explore",
            "关系探索 Relationship explorer",
            "org charts, deciders, introductions, cross-sell",
        )
    ]
    if settings.graphiql_enabled:
        links.append(("/graphql", "GraphiQL", "write GraphQL queries against the API"))
    links += [
        ("/healthz", "/healthz", "the process is up"),
        ("/readyz", "/readyz", "Neo4j answers"),
    ]
    items = "\n".join(
        f'<li><a href="{href}">{html.escape(label)}</a> <span>{html.escape(what)}</span></li>'
        for href, label, what in links
    )
    mode = (
        "production: every GraphQL request needs an API key or token"
        if settings.is_production
        else "development: open, requests without credentials act as an admin"
    )
    return _page(
        "Relationship graph service",
        f"<p>GraphQL at <code>POST /graphql</code>. Mode: {html.escape(mode)}.</p>"
        f"<ul>{items}</ul><p class=v>version {html.escape(__version__)}</p>",
    )


def mount_pages(app: FastAPI, settings: Settings) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def landing() -> HTMLResponse:
        return HTMLResponse(landing_page(settings))

    @app.get("/explore", response_class=HTMLResponse, include_in_schema=False)
    async def explore() -> HTMLResponse:
        if not assets_built():
            return HTMLResponse(_notice_page("Relationship explorer", MISSING_ASSETS), 503)
        return HTMLResponse((WEB_DIR / "explorer.html").read_text(encoding="utf-8"))

    # check_dir=False: the service starts without the build; /explore then says what to do.
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")


def _notice_page(title: str, message: str) -> str:
    return _page(title, f"<p>{html.escape(message)}</p>")


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font:16px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;max-width:44em;margin:3em auto;
padding:0 1em;color:#1f2933}}li{{margin:.4em 0}}li span{{color:#616e7c}}code{{background:#f0f4f8;
padding:0 .2em}}.v{{color:#9aa5b1;font-size:80%}}</style></head>
<body><h1>{html.escape(title)}</h1>{body}</body></html>"""
