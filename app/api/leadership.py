"""Grading, the response plan and the posts of the command structure."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from app.api import schemas
from app.api.commanding import CommandAccess, Commanding
from app.jsonio import JSONResponse
from domain import commands
from domain.vocabulary import CommandRole

router = APIRouter(
    prefix="/api/incidents", tags=["leadership"], default_response_class=JSONResponse
)


@router.post("/{incident_id}/classify", summary="Grade (or re-grade) an incident")
async def classify(
    incident_id: UUID,
    body: schemas.Classify,
    cmd: Annotated[Commanding, Depends(CommandAccess("classify"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.classify(
            severity=body.severity, scope=body.scope, risk=body.risk, rationale=body.rationale
        ),
    )


@router.post("/{incident_id}/activate", summary="Activate the response plan, naming a commander")
async def activate(
    incident_id: UUID,
    body: schemas.Activate,
    cmd: Annotated[Commanding, Depends(CommandAccess("activate"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.activate(plan=body.plan, commander=body.commander),
    )


@router.post("/{incident_id}/roles", summary="Assign a post in the command structure")
async def assign_role(
    incident_id: UUID,
    body: schemas.AssignRole,
    cmd: Annotated[Commanding, Depends(CommandAccess("assign_role"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.assign_role(command_role=body.role, person=body.person),
    )


@router.delete("/{incident_id}/roles/{role}", summary="Relieve whoever holds a post")
async def relieve_role(
    incident_id: UUID,
    role: CommandRole,
    cmd: Annotated[Commanding, Depends(CommandAccess("relieve_role"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        schemas.Empty(),
        commands.relieve_role(command_role=role),
    )
