"""The life of an order: issue, acknowledge, progress, reassign, complete, cancel."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from app.api import schemas
from app.api.commanding import CommandAccess, Commanding
from app.jsonio import JSONResponse
from domain import commands

router = APIRouter(prefix="/api/incidents", tags=["orders"], default_response_class=JSONResponse)


@router.post("/{incident_id}/orders", status_code=201, summary="Issue an order → order_id")
async def issue_order(
    incident_id: UUID,
    body: schemas.IssueOrder,
    cmd: Annotated[Commanding, Depends(CommandAccess("issue_order"))],
) -> JSONResponse:
    order_id = cmd.incidents.new_id()
    return await cmd.run(
        incident_id,
        body,
        commands.issue_order(
            order_id=order_id,
            assignee=body.assignee,
            instruction=body.instruction,
            deadline=body.deadline,
            priority=body.priority,
        ),
        status_code=201,
    )


@router.post("/{incident_id}/orders/{order_id}/acknowledge", summary="Acknowledge an order")
async def acknowledge_order(
    incident_id: UUID,
    order_id: UUID,
    cmd: Annotated[Commanding, Depends(CommandAccess("acknowledge_order"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        schemas.Empty(),
        commands.acknowledge_order(order_id=order_id),
    )


@router.post("/{incident_id}/orders/{order_id}/progress", summary="Report progress on an order")
async def progress_order(
    incident_id: UUID,
    order_id: UUID,
    body: schemas.ProgressOrder,
    cmd: Annotated[Commanding, Depends(CommandAccess("progress_order"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.progress_order(order_id=order_id, note=body.note, percent=body.percent),
    )


@router.post("/{incident_id}/orders/{order_id}/reassign", summary="Give an order to someone else")
async def reassign_order(
    incident_id: UUID,
    order_id: UUID,
    body: schemas.ReassignOrder,
    cmd: Annotated[Commanding, Depends(CommandAccess("reassign_order"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.reassign_order(order_id=order_id, assignee=body.assignee, reason=body.reason),
    )


@router.post("/{incident_id}/orders/{order_id}/complete", summary="Complete an order")
async def complete_order(
    incident_id: UUID,
    order_id: UUID,
    body: schemas.CompleteOrder,
    cmd: Annotated[Commanding, Depends(CommandAccess("complete_order"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.complete_order(order_id=order_id, outcome=body.outcome),
    )


@router.post("/{incident_id}/orders/{order_id}/cancel", summary="Cancel an order")
async def cancel_order(
    incident_id: UUID,
    order_id: UUID,
    body: schemas.CancelOrder,
    cmd: Annotated[Commanding, Depends(CommandAccess("cancel_order"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.cancel_order(order_id=order_id, reason=body.reason),
    )
