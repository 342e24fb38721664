"""``/docs``: the API's operations, read from its OpenAPI description, as one plain page.

FastAPI's default ``/docs`` loads Swagger UI from a CDN, which an offline app must not do, and
no package here ships its files; this page needs no script at all. The machine-readable
description is at ``/openapi.json``.
"""

from __future__ import annotations

import html
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d2a33; background: #fbfaf7; }
h2 { margin-top: 2rem; border-bottom: 1px solid #d8d4cc; }
.op { margin: 1rem 0; padding: .75rem 1rem; background: #fff; border: 1px solid #e4e0d8;
      border-radius: .5rem; }
.method { font-weight: 700; display: inline-block; min-width: 4.5rem; }
code, pre { font-family: ui-monospace, monospace; font-size: .9rem; }
pre { background: #f3f1ec; padding: .5rem; overflow-x: auto; }
"""


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    nonce = getattr(request.state, "csp_nonce", "")
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{_e(spec['info']['title'])} API</title>",
        f"<style nonce='{_e(nonce)}'>{STYLE}</style>",
        f"<h1>{_e(spec['info']['title'])} API</h1>",
        "<p>Everything the pages do, a script can do. Unsafe requests (POST, PUT, PATCH, "
        "DELETE) send the <code>backcoach_csrf</code> cookie's value as the "
        "<code>X-CSRF-Token</code> header. The machine-readable description is "
        "<a href='/openapi.json'>/openapi.json</a>.</p>",
    ]
    by_tag: dict[str, list[str]] = {}
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            tag = (op.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append(_operation(method, path, op))
    for tag, ops in by_tag.items():
        parts.append(f"<h2>{_e(tag)}</h2>")
        parts.extend(ops)
    return HTMLResponse("".join(parts))


def _operation(method: str, path: str, op: dict[str, Any]) -> str:
    out = [
        f"<div class='op'><span class='method'>{_e(method.upper())}</span> <code>{_e(path)}</code>"
    ]
    text = op.get("description") or op.get("summary") or ""
    if text:
        out.append(f"<p>{_e(text)}</p>")
    params = op.get("parameters", [])
    if params:
        out.append("<p>Parameters: ")
        out.append(
            ", ".join(
                f"<code>{_e(p['name'])}</code> ({_e(p['in'])}"
                f"{', required' if p.get('required') else ''})"
                for p in params
            )
        )
        out.append("</p>")
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    if body:
        out.append(f"<p>Body:</p><pre>{_e(_schema_name(body.get('schema', {})))}</pre>")
    codes = ", ".join(_e(code) for code in op.get("responses", {}))
    out.append(f"<p>Answers: {codes}</p></div>")
    return "".join(out)


def _schema_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref")
    if ref:
        return str(ref).rsplit("/", 1)[-1] + " (see /openapi.json)"
    return json.dumps(schema, indent=1)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)
