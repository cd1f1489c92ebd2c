"""All JSON the app writes goes through orjson, here."""

from typing import Any

import orjson
from starlette.responses import Response


def dumps(content: Any) -> bytes:
    # UUID, datetime and Enum are written natively by orjson.
    return orjson.dumps(content)


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)
