"""The JSON API: everything the pages do, a script can do (docs/web-api.md)."""

from __future__ import annotations

from fastapi import APIRouter

from backcoach.web import api_camera, api_exercises, api_person, api_sessions, api_sharing

router = APIRouter()
router.include_router(api_person.router)
router.include_router(api_exercises.router)
router.include_router(api_sessions.router)
router.include_router(api_sharing.router)
router.include_router(api_camera.router)
