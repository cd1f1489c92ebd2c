"""The work still to do, read from the work view: open orders and the logistics queue."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from app.auth import current_user
from app.errors import Forbidden
from app.jsonio import JSONResponse
from app.permissions import reads_everyones_orders, reads_logistics_queue
from app.services import Services, services
from app.users import User
from domain.errors import Invalid
from projections.work import assignee_key

router = APIRouter(prefix="/api", tags=["work"], default_response_class=JSONResponse)

MinPosition = Annotated[
    int | None,
    Query(ge=0, description="wait (up to 5 s) until the answer reflects this log position"),
]
EVERYONE = "*"


@router.get("/orders", summary="Open orders, soonest deadline first: my own, or others'")
def get_orders(
    user: Annotated[User, Depends(current_user)],
    svc: Annotated[Services, Depends(services)],
    assignee: Annotated[
        str,
        Query(
            max_length=200,
            description="`me` (the default), an assignee's name, or `*` for everyone's; "
            "other people's orders are for leadership, auditors and administrators",
        ),
    ] = "me",
    min_position: MinPosition = None,
) -> JSONResponse:
    whose = orders_of(user, assignee)
    svc.caught_up_to(min_position)
    return JSONResponse(svc.open_orders(whose))


def orders_of(user: User, asked: str) -> str | None:
    """Whose orders `user` may read when asking for `asked`: a name, or None for everyone's."""
    asked = asked.strip()
    if not asked:
        raise Invalid("bad_assignee", "assignee is `me`, a name or `*`")
    if asked.casefold() == "me" or assignee_key(asked) == assignee_key(user.name):
        return user.name
    if not reads_everyones_orders(user.role):
        raise Forbidden(f"the {user.role.value} role may read only its own orders")
    return None if asked == EVERYONE else asked


@router.get("/logistics", summary="The logistics queue: requests still to act on, by need")
def get_logistics(
    user: Annotated[User, Depends(current_user)],
    svc: Annotated[Services, Depends(services)],
    incident: Annotated[UUID | None, Query(description="only this incident's requests")] = None,
    min_position: MinPosition = None,
) -> JSONResponse:
    if not reads_logistics_queue(user.role):
        raise Forbidden(f"the {user.role.value} role may not read the logistics queue")
    svc.caught_up_to(min_position)
    return JSONResponse(svc.logistics_queue(incident))
