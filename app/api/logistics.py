"""The life of a logistics request: request, allocate, deliver, return, decline."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from app.api import schemas
from app.api.commanding import CommandAccess, Commanding
from app.jsonio import JSONResponse
from domain import commands

router = APIRouter(prefix="/api/incidents", tags=["logistics"], default_response_class=JSONResponse)


@router.post("/{incident_id}/logistics", status_code=201, summary="Request resources → request_id")
async def request_logistics(
    incident_id: UUID,
    body: schemas.RequestLogistics,
    cmd: Annotated[Commanding, Depends(CommandAccess("request_logistics"))],
) -> JSONResponse:
    request_id = cmd.incidents.new_id()
    return await cmd.run(
        incident_id,
        body,
        commands.request_logistics(
            request_id=request_id,
            resource=body.resource,
            item=body.item,
            quantity=body.quantity,
            needed_by=body.needed_by,
            purpose=body.purpose,
        ),
        status_code=201,
    )


@router.post("/{incident_id}/logistics/{request_id}/allocate", summary="Allocate resources")
async def allocate_logistics(
    incident_id: UUID,
    request_id: UUID,
    body: schemas.AllocateLogistics,
    cmd: Annotated[Commanding, Depends(CommandAccess("allocate_logistics"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.allocate_logistics(
            request_id=request_id, quantity=body.quantity, source=body.source, note=body.note
        ),
    )


@router.post("/{incident_id}/logistics/{request_id}/deliver", summary="Record the delivery")
async def deliver_logistics(
    incident_id: UUID,
    request_id: UUID,
    body: schemas.SettleLogistics,
    cmd: Annotated[Commanding, Depends(CommandAccess("deliver_logistics"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.deliver_logistics(request_id=request_id, quantity=body.quantity, note=body.note),
    )


@router.post("/{incident_id}/logistics/{request_id}/return", summary="Take resources back")
async def return_logistics(
    incident_id: UUID,
    request_id: UUID,
    body: schemas.SettleLogistics,
    cmd: Annotated[Commanding, Depends(CommandAccess("return_logistics"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.return_logistics(request_id=request_id, quantity=body.quantity, note=body.note),
    )


@router.post("/{incident_id}/logistics/{request_id}/decline", summary="Decline a request")
async def decline_logistics(
    incident_id: UUID,
    request_id: UUID,
    body: schemas.DeclineLogistics,
    cmd: Annotated[Commanding, Depends(CommandAccess("decline_logistics"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.decline_logistics(request_id=request_id, note=body.note),
    )
