"""The live command board, read from its stored view."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.auth import current_user
from app.jsonio import JSONResponse
from app.services import Services, services
from app.users import User

router = APIRouter(prefix="/api", tags=["board"], default_response_class=JSONResponse)

# How long a reader asking for its own write may wait for the board to catch up.
READ_YOUR_WRITE_TIMEOUT = 5.0


@router.get("/board", summary="One row per open incident, with totals")
def get_board(
    _: Annotated[User, Depends(current_user)],
    svc: Annotated[Services, Depends(services)],
    min_position: Annotated[
        int | None,
        Query(ge=0, description="wait (up to 5 s) until the board reflects this log position"),
    ] = None,
) -> JSONResponse:
    if min_position is not None:
        svc.follower.wait_for(min_position, READ_YOUR_WRITE_TIMEOUT)
    return JSONResponse(svc.live_board())
