"""The evaluation figures of the response plans for a date range."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.moments import day_or_moment
from app.auth import current_user
from app.errors import Forbidden
from app.jsonio import JSONResponse
from app.permissions import reads_figures
from app.services import Services, services
from app.users import User
from domain.errors import Invalid

router = APIRouter(prefix="/api", tags=["figures"], default_response_class=JSONResponse)

DEFAULT_RANGE = timedelta(days=30)
RANGE_HELP = "a day (2026-11-01, from its midnight UTC) or an ISO time with zone"


@router.get("/figures", summary="Evaluation figures over the incidents reported in [from, to)")
def get_figures(
    user: Annotated[User, Depends(current_user)],
    svc: Annotated[Services, Depends(services)],
    since: Annotated[str | None, Query(alias="from", max_length=40, description=RANGE_HELP)] = None,
    until: Annotated[str | None, Query(alias="to", max_length=40, description=RANGE_HELP)] = None,
    min_position: Annotated[
        int | None,
        Query(ge=0, description="wait (up to 5 s) until the figures reflect this log position"),
    ] = None,
) -> JSONResponse:
    if not reads_figures(user.role):
        raise Forbidden(f"the {user.role.value} role may not read the evaluation figures")
    svc.caught_up_to(min_position)
    now = svc.incidents.clock()
    end = day_or_moment(until, "to") if until else now
    start = day_or_moment(since, "from") if since else end - DEFAULT_RANGE
    if start >= end:
        raise Invalid("empty_range", "from must come before to")
    return JSONResponse(svc.live_figures(start, end))
