"""Sessions for the pages: the token goes into an HttpOnly, SameSite=Strict cookie."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.api.schemas import Login
from app.auth import SESSION_COOKIE, current_user
from app.errors import Unauthenticated
from app.jsonio import JSONResponse
from app.users import User

router = APIRouter(prefix="/api/session", tags=["session"], default_response_class=JSONResponse)

SESSION_DAYS = 7


def who(user: User) -> dict[str, str]:
    return {"name": user.name, "role": user.role.value}


@router.post("", summary="Log in with a token")
def log_in(body: Login, request: Request) -> JSONResponse:
    user = request.app.state.services.users.authenticate(body.token)
    if user is None:
        raise Unauthenticated("unknown token")
    response = JSONResponse(who(user))
    response.set_cookie(
        SESSION_COOKIE,
        body.token,
        max_age=SESSION_DAYS * 24 * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.get("", summary="Who is logged in")
def session(user: Annotated[User, Depends(current_user)]) -> JSONResponse:
    return JSONResponse(who(user))


@router.delete("", summary="Log out")
def log_out() -> JSONResponse:
    response = JSONResponse({"logged_out": True})
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
