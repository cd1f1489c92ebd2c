"""The browser pages: static files from web/, which log in and follow the socket."""

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import FileResponse

from web import STATIC

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    # Pages change with the code: never let a browser keep an old one.
    return FileResponse(STATIC / f"{name}.html", headers={"Cache-Control": "no-cache"})


@router.get("/")
def board_page() -> FileResponse:
    return _page("board")


@router.get("/login")
def login_page() -> FileResponse:
    return _page("login")


@router.get("/intake")
def intake_page() -> FileResponse:
    return _page("intake")


@router.get("/orders")
def orders_page() -> FileResponse:
    return _page("orders")


@router.get("/incidents/{incident_id}")
def incident_page(incident_id: UUID) -> FileResponse:
    return _page("incident")


@router.get("/figures")
def figures_page() -> FileResponse:
    return _page("figures")
