"""The JSON Schema of an exercise file, for people (and editors) writing their own."""

from __future__ import annotations

from typing import Any

from backcoach.catalogue.model import Exercise

SCHEMA_ID = "https://backcoach.invalid/schema/exercise.json"


def exercise_schema() -> dict[str, Any]:
    schema = Exercise.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "backcoach exercise"
    schema["description"] = (
        "One back-care exercise. Save as $BACKCOACH_HOME/exercises/<id>.yaml and run "
        "`backcoach catalogue check`."
    )
    return schema
