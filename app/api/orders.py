"""The life of an order: issue, acknowledge, progress, reassign, complete, cancel."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from app.api import schemas
from app.api.commanding import Command, Commanding
from app.jsonio import JSONResponse

router = APIRouter(prefix="/api/incidents", tags=["orders"], default_response_class=JSONResponse)


@router.post("/{incident_id}/orders", status_code=201, summary="Issue an order → order_id")
def issue_order(
    incident_id: UUID,
    body: schemas.IssueOrder,
    cmd: Annotated[Commanding, Depends(Command("issue_order"))],
) -> JSONResponse:
    order_id = cmd.incidents.new_id()
    return cmd.run(
        incident_id,
        body,
        lambda i, at, by: i.issue_order(
            at=at,
            by=by,
            order_id=order_id,
            assignee=body.assignee,
            instruction=body.instruction,
            deadline=body.deadline,
            priority=body.priority,
        ),
        status_code=201,
    )


@router.post("/{incident_id}/orders/{order_id}/acknowledge", summary="Acknowledge an order")
def acknowledge_order(
    incident_id: UUID,
    order_id: UUID,
    cmd: Annotated[Commanding, Depends(Command("acknowledge_order"))],
) -> JSONResponse:
    return cmd.run(
        incident_id,
        schemas.Empty(),
        lambda i, at, by: i.acknowledge_order(at=at, by=by, order_id=order_id),
    )


@router.post("/{incident_id}/orders/{order_id}/progress", summary="Report progress on an order")
def progress_order(
    incident_id: UUID,
    order_id: UUID,
    body: schemas.ProgressOrder,
    cmd: Annotated[Commanding, Depends(Command("progress_order"))],
) -> JSONResponse:
    return cmd.run(
        incident_id,
        body,
        lambda i, at, by: i.progress_order(
            at=at, by=by, order_id=order_id, note=body.note, percent=body.percent
        ),
    )


@router.post("/{incident_id}/orders/{order_id}/reassign", summary="Give an order to someone else")
def reassign_order(
    incident_id: UUID,
    order_id: UUID,
    body: schemas.ReassignOrder,
    cmd: Annotated[Commanding, Depends(Command("reassign_order"))],
) -> JSONResponse:
    return cmd.run(
        incident_id,
        body,
        lambda i, at, by: i.reassign_order(
            at=at, by=by, order_id=order_id, assignee=body.assignee, reason=body.reason
        ),
    )


@router.post("/{incident_id}/orders/{order_id}/complete", summary="Complete an order")
def complete_order(
    incident_id: UUID,
    order_id: UUID,
    body: schemas.CompleteOrder,
    cmd: Annotated[Commanding, Depends(Command("complete_order"))],
) -> JSONResponse:
    return cmd.run(
        incident_id,
        body,
        lambda i, at, by: i.complete_order(at=at, by=by, order_id=order_id, outcome=body.outcome),
    )


@router.post("/{incident_id}/orders/{order_id}/cancel", summary="Cancel an order")
def cancel_order(
    incident_id: UUID,
    order_id: UUID,
    body: schemas.CancelOrder,
    cmd: Annotated[Commanding, Depends(Command("cancel_order"))],
) -> JSONResponse:
    return cmd.run(
        incident_id,
        body,
        lambda i, at, by: i.cancel_order(at=at, by=by, order_id=order_id, reason=body.reason),
    )
