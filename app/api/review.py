"""The after-action review and its improvement actions."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from app.api import schemas
from app.api.commanding import CommandAccess, Commanding
from app.jsonio import JSONResponse
from domain import commands
from domain.review import Improvement

router = APIRouter(prefix="/api/incidents", tags=["review"], default_response_class=JSONResponse)


@router.post("/{incident_id}/review", status_code=201, summary="Record the after-action review")
async def record_review(
    incident_id: UUID,
    body: schemas.RecordReview,
    cmd: Annotated[Commanding, Depends(CommandAccess("record_review"))],
) -> JSONResponse:
    actions = [
        Improvement(cmd.incidents.new_id(), a.description, a.owner, a.due) for a in body.actions
    ]
    return await cmd.run(
        incident_id,
        body,
        commands.record_review(
            root_cause=body.root_cause,
            lessons=body.lessons,
            accountability=body.accountability,
            actions=actions,
        ),
        status_code=201,
    )


@router.post(
    "/{incident_id}/improvements/{action_id}/complete", summary="Complete an improvement action"
)
async def complete_improvement(
    incident_id: UUID,
    action_id: UUID,
    body: schemas.CompleteImprovement,
    cmd: Annotated[Commanding, Depends(CommandAccess("complete_improvement"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.complete_improvement(action_id=action_id, note=body.note),
    )
