"""Talking to the public: the unified statement, the customer notice, the callback."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from app.api import schemas
from app.api.commanding import CommandAccess, Commanding
from app.jsonio import JSONResponse
from domain import commands

router = APIRouter(prefix="/api/incidents", tags=["contact"], default_response_class=JSONResponse)


@router.post("/{incident_id}/statements", status_code=201, summary="Publish the unified statement")
async def publish_statement(
    incident_id: UUID,
    body: schemas.PublishStatement,
    cmd: Annotated[Commanding, Depends(CommandAccess("publish_statement"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.publish_statement(
            channels=body.channels, text=body.text, approved_by=body.approved_by
        ),
        status_code=201,
    )


@router.post("/{incident_id}/notify", summary="Tell the customer (the result, once resolved)")
async def notify_customer(
    incident_id: UUID,
    body: schemas.NotifyCustomer,
    cmd: Annotated[Commanding, Depends(CommandAccess("notify_customer"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.notify_customer(
            channel=body.channel, message=body.message, personal=body.message_is_personal
        ),
    )


@router.post("/{incident_id}/callbacks", status_code=201, summary="Record a callback (回访)")
async def record_callback(
    incident_id: UUID,
    body: schemas.RecordCallback,
    cmd: Annotated[Commanding, Depends(CommandAccess("record_callback"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.record_callback(
            satisfaction=body.satisfaction,
            comment=body.comment,
            via=body.via,
            personal=body.comment_is_personal,
        ),
        status_code=201,
    )


@router.post(
    "/{incident_id}/erase",
    summary="Erase the reporter's personal data on request (administrators only)",
)
async def erase_personal_data(
    incident_id: UUID,
    body: schemas.ErasePersonalData,
    cmd: Annotated[Commanding, Depends(CommandAccess("erase_personal_data"))],
) -> JSONResponse:
    return await cmd.run(incident_id, body, commands.erase_personal_data(reason=body.reason))
