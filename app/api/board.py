"""The live command board, read from its stored view."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.auth import current_user
from app.jsonio import JSONResponse
from app.services import Services, services
from app.users import User

router = APIRouter(prefix="/api", tags=["board"], default_response_class=JSONResponse)


@router.get("/board", summary="One row per open incident, with totals")
def get_board(
    _: Annotated[User, Depends(current_user)],
    svc: Annotated[Services, Depends(services)],
    min_position: Annotated[
        int | None,
        Query(ge=0, description="wait (up to 5 s) until the board reflects this log position"),
    ] = None,
) -> JSONResponse:
    svc.caught_up_to(min_position)
    return JSONResponse(svc.live_board())
