"""The browser pages: static files from web/, which log in and follow the socket."""

from fastapi import APIRouter
from fastapi.responses import FileResponse

from web import STATIC

router = APIRouter(include_in_schema=False)


@router.get("/")
def board_page() -> FileResponse:
    return FileResponse(STATIC / "board.html")


@router.get("/login")
def login_page() -> FileResponse:
    return FileResponse(STATIC / "login.html")
