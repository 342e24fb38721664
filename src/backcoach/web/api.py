"""The JSON API: everything the pages do, a script can do."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
