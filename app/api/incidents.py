"""Commands on incidents and the incident query. Each route only translates HTTP."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query

from app.api import schemas
from app.application import Ack
from app.auth import Allowed, current_user
from app.errors import BadInput
from app.jsonio import JSONResponse
from app.presenters import incident_json
from app.services import Services, services
from app.users import User
from domain.actor import Actor
from domain.errors import NotFound

router = APIRouter(prefix="/api/incidents", tags=["incidents"], default_response_class=JSONResponse)

Svc = Annotated[Services, Depends(services)]


def if_match(if_match: Annotated[str | None, Header()] = None) -> int | None:
    """`If-Match: 7` (or `"7"`): the version the caller last saw."""
    if if_match is None:
        return None
    value = if_match.strip().strip('"')
    if not value.isdigit():
        raise BadInput("bad_if_match", "If-Match must be the incident version, a whole number")
    return int(value)


IfMatch = Annotated[int | None, Depends(if_match)]


def answer(ack: Ack, status_code: int = 200) -> JSONResponse:
    return JSONResponse(ack.as_json(), status_code=status_code)


@router.post("", status_code=201, summary="Report an incident")
def report(
    body: schemas.Report, by: Annotated[Actor, Depends(Allowed("report"))], svc: Svc
) -> JSONResponse:
    reporter = body.reporter.model_dump() if body.reporter else None
    ack = svc.incidents.report(
        by,
        kind=body.kind,
        channel=body.channel,
        category=body.category,
        title=body.title,
        description=body.description,
        location=body.location,
        reporter=reporter,
        received_at=body.received_at,
    )
    return answer(ack, 201)


@router.post("/{incident_id}/verify", summary="Verify a report")
def verify(
    incident_id: UUID,
    body: schemas.Verify,
    by: Annotated[Actor, Depends(Allowed("verify"))],
    svc: Svc,
    version: IfMatch,
) -> JSONResponse:
    return answer(svc.incidents.verify(by, incident_id, note=body.note, if_match=version))


@router.post("/{incident_id}/link", summary="Link a report to the crisis it belongs to")
def link(
    incident_id: UUID,
    body: schemas.Link,
    by: Annotated[Actor, Depends(Allowed("link"))],
    svc: Svc,
    version: IfMatch,
) -> JSONResponse:
    return answer(svc.incidents.link(by, incident_id, parent_id=body.parent_id, if_match=version))


@router.post("/{incident_id}/classify", summary="Grade (or re-grade) an incident")
def classify(
    incident_id: UUID,
    body: schemas.Classify,
    by: Annotated[Actor, Depends(Allowed("classify"))],
    svc: Svc,
    version: IfMatch,
) -> JSONResponse:
    ack = svc.incidents.classify(
        by,
        incident_id,
        severity=body.severity,
        scope=body.scope,
        risk=body.risk,
        rationale=body.rationale,
        if_match=version,
    )
    return answer(ack)


@router.post("/{incident_id}/orders", status_code=201, summary="Issue an order")
def issue_order(
    incident_id: UUID,
    body: schemas.IssueOrder,
    by: Annotated[Actor, Depends(Allowed("issue_order"))],
    svc: Svc,
    version: IfMatch,
) -> JSONResponse:
    ack = svc.incidents.issue_order(
        by,
        incident_id,
        assignee=body.assignee,
        instruction=body.instruction,
        deadline=body.deadline,
        priority=body.priority,
        if_match=version,
    )
    return answer(ack, 201)


@router.post("/{incident_id}/orders/{order_id}/complete", summary="Complete an order")
def complete_order(
    incident_id: UUID,
    order_id: UUID,
    body: schemas.CompleteOrder,
    by: Annotated[Actor, Depends(Allowed("complete_order"))],
    svc: Svc,
    version: IfMatch,
) -> JSONResponse:
    ack = svc.incidents.complete_order(
        by, incident_id, order_id, outcome=body.outcome, if_match=version
    )
    return answer(ack)


@router.post("/{incident_id}/responses", status_code=201, summary="Post a field update")
def post_response(
    incident_id: UUID,
    body: schemas.PostResponse,
    by: Annotated[Actor, Depends(Allowed("post_response"))],
    svc: Svc,
    version: IfMatch,
) -> JSONResponse:
    ack = svc.incidents.post_response(
        by,
        incident_id,
        note=body.note,
        status=body.status,
        customer_contacted=body.customer_contacted,
        occurred_at=body.occurred_at,
        if_match=version,
    )
    return answer(ack, 201)


@router.post("/{incident_id}/resolve", summary="Resolve an incident")
def resolve(
    incident_id: UUID,
    body: schemas.Resolve,
    by: Annotated[Actor, Depends(Allowed("resolve"))],
    svc: Svc,
    version: IfMatch,
) -> JSONResponse:
    ack = svc.incidents.resolve(
        by, incident_id, resolution=body.resolution, summary=body.summary, if_match=version
    )
    return answer(ack)


@router.post("/{incident_id}/close", summary="Close a resolved incident")
def close(
    incident_id: UUID,
    body: schemas.Close,
    by: Annotated[Actor, Depends(Allowed("close"))],
    svc: Svc,
    version: IfMatch,
) -> JSONResponse:
    return answer(svc.incidents.close_incident(by, incident_id, note=body.note, if_match=version))


@router.get("/{incident_id}", summary="The incident now, or as it stood at a version")
def get_incident(
    incident_id: UUID,
    user: Annotated[User, Depends(current_user)],
    svc: Svc,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> JSONResponse:
    incident = svc.incidents.get_incident(incident_id, version=version)
    if version is not None and incident.version < version:
        raise NotFound("version_not_found", f"the incident has only {incident.version} versions")
    return JSONResponse(incident_json(incident, user.role))
