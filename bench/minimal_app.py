"""The yardstick for ``bench/today_rate.py``: the smallest FastAPI app that answers with the
bytes backcoach's ``/today`` page answered once (read from the file named by
``MINIMAL_APP_BODY``).

Run: MINIMAL_APP_BODY=today.html .venv/bin/uvicorn --app-dir bench minimal_app:app --port N

Two routes, the same bytes:

* ``GET /today``: an ``async def``, the least FastAPI can do per request. This is the yardstick
  of issue 13 (0.19 ms of CPU a request when it was measured) and of the bench's target.
* ``GET /today-threaded``: a plain ``def``, as backcoach's pages are, so it also pays for
  FastAPI's thread-pool hop; the rate between the two shows what that hop costs.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response

BODY = Path(os.environ["MINIMAL_APP_BODY"]).read_bytes()
HTML = "text/html; charset=utf-8"

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.get("/today")
async def today() -> Response:
    return Response(BODY, media_type=HTML)


@app.get("/today-threaded")
def today_threaded() -> Response:
    return Response(BODY, media_type=HTML)
