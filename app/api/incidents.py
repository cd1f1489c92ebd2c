"""Reporting, intake and the end of a case, plus the incident query.

Each route only translates HTTP into one call on the aggregate.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from app.api import schemas
from app.api.commanding import CommandAccess, Commanding
from app.api.moments import moment
from app.auth import current_user
from app.errors import BadInput
from app.jsonio import JSONResponse
from app.presenters import incident_json
from app.services import Services, services
from app.users import User
from domain import commands

router = APIRouter(prefix="/api/incidents", tags=["incidents"], default_response_class=JSONResponse)


@router.post("", status_code=201, summary="Report an incident (any channel)")
async def report(
    body: schemas.Report, cmd: Annotated[Commanding, Depends(CommandAccess("report"))]
) -> JSONResponse:
    by = cmd.by.sending(cmd.request(body))
    ack = await cmd.incidents.report_async(
        by,
        kind=body.kind,
        channel=body.channel,
        category=body.category,
        title=body.title,
        description=body.description,
        description_is_personal=body.description_is_personal,
        location=body.location,
        reporter=body.reporter.model_dump() if body.reporter else None,
        received_at=body.received_at,
    )
    return JSONResponse(ack.as_json(), status_code=201)


MAX_VERSION = 10**9


@router.get("/{incident_id}", summary="The incident now, or as it stood at a version or moment")
def get_incident(
    incident_id: UUID,
    user: Annotated[User, Depends(current_user)],
    svc: Annotated[Services, Depends(services)],
    version: Annotated[
        int | None, Query(ge=1, le=MAX_VERSION, description="as it stood at this version")
    ] = None,
    at: Annotated[
        str | None, Query(max_length=40, description="as it stood at this ISO time, with zone")
    ] = None,
) -> JSONResponse:
    if version is not None and at is not None:
        raise BadInput("version_or_at", "ask for a version or a moment, not both")
    if at is not None:
        incident = svc.incidents.incident_at(incident_id, moment(at))
    else:
        incident = svc.incidents.get_incident(incident_id, version=version)
    return JSONResponse(incident_json(incident, user.role))


@router.post("/{incident_id}/verify", summary="Verify a report")
async def verify(
    incident_id: UUID,
    body: schemas.Verify,
    cmd: Annotated[Commanding, Depends(CommandAccess("verify"))],
) -> JSONResponse:
    return await cmd.run(incident_id, body, commands.verify(note=body.note))


@router.post("/{incident_id}/dismiss", summary="Dismiss a report as rumour, duplicate or invalid")
async def dismiss(
    incident_id: UUID,
    body: schemas.Dismiss,
    cmd: Annotated[Commanding, Depends(CommandAccess("dismiss"))],
) -> JSONResponse:
    original = None
    if body.duplicate_of:
        original = await run_in_threadpool(cmd.incidents.referenced, body.duplicate_of)
    return await cmd.run(
        incident_id,
        body,
        commands.dismiss(reason=body.reason, duplicate_of=original, note=body.note),
    )


@router.post("/{incident_id}/link", summary="Link a report to the crisis it belongs to")
async def link(
    incident_id: UUID,
    body: schemas.Link,
    cmd: Annotated[Commanding, Depends(CommandAccess("link"))],
) -> JSONResponse:
    parent = await run_in_threadpool(cmd.incidents.referenced, body.parent_id)
    return await cmd.run(incident_id, body, commands.link(parent=parent))


@router.post("/{incident_id}/responses", status_code=201, summary="Post a field update")
async def post_response(
    incident_id: UUID,
    body: schemas.PostResponse,
    cmd: Annotated[Commanding, Depends(CommandAccess("post_response"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.post_response(
            note=body.note,
            status=body.status,
            customer_contacted=body.customer_contacted,
            occurred_at=body.occurred_at,
        ),
        status_code=201,
    )


@router.post("/{incident_id}/resolve", summary="Resolve an incident")
async def resolve(
    incident_id: UUID,
    body: schemas.Resolve,
    cmd: Annotated[Commanding, Depends(CommandAccess("resolve"))],
) -> JSONResponse:
    return await cmd.run(
        incident_id,
        body,
        commands.resolve(resolution=body.resolution, summary=body.summary),
    )


@router.post("/{incident_id}/close", summary="Close a resolved incident")
async def close(
    incident_id: UUID,
    body: schemas.Close,
    cmd: Annotated[Commanding, Depends(CommandAccess("close"))],
) -> JSONResponse:
    return await cmd.run(incident_id, body, commands.close(note=body.note))


@router.post("/{incident_id}/reopen", summary="Reopen a resolved or closed incident")
async def reopen(
    incident_id: UUID,
    body: schemas.Reopen,
    cmd: Annotated[Commanding, Depends(CommandAccess("reopen"))],
) -> JSONResponse:
    return await cmd.run(incident_id, body, commands.reopen(reason=body.reason))
