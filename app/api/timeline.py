"""The after-action timeline of one incident, read from its stored view."""

from typing import Annotated, Literal
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Header, Query

from app.auth import current_user
from app.jsonio import JSONResponse
from app.services import Services, services
from app.users import User
from domain.errors import Invalid
from projections.summaries import language_from

router = APIRouter(prefix="/api", tags=["timeline"], default_response_class=JSONResponse)


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, ZoneInfoNotFoundError):
        raise Invalid("bad_tz", f"{name!r} is not a time zone, e.g. Asia/Shanghai") from None


CONTENT_LANGUAGE = {"zh": "zh-CN", "en": "en"}


@router.get(
    "/incidents/{incident_id}/timeline",
    summary="Every event of the incident (and of complaints linked to it), with phase durations",
)
def get_timeline(
    incident_id: UUID,
    _: Annotated[User, Depends(current_user)],
    svc: Annotated[Services, Depends(services)],
    accept_language: Annotated[str | None, Header()] = None,
    lang: Annotated[
        Literal["zh", "en"] | None, Query(description="overrides Accept-Language")
    ] = None,
    tz: Annotated[
        str,
        Query(max_length=64, description="time zone of the times in summaries, e.g. Asia/Shanghai"),
    ] = "UTC",
    min_position: Annotated[
        int | None,
        Query(ge=0, description="wait (up to 5 s) until the timeline reflects this log position"),
    ] = None,
) -> JSONResponse:
    svc.caught_up_to(min_position)
    language = lang or language_from(accept_language)
    body = svc.live_timeline(incident_id, language, zone_named(tz))
    return JSONResponse(body, headers={"Content-Language": CONTENT_LANGUAGE[language]})
