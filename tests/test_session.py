"""Logging in and out of the pages with a token kept in an HttpOnly cookie."""

from fastapi.testclient import TestClient

from app.auth import SESSION_COOKIE
from domain.vocabulary import Role


def test_a_wrong_token_is_401_and_sets_no_cookie(client: TestClient) -> None:
    response = client.post("/api/session", json={"token": "icc_guess"})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"
    assert "set-cookie" not in response.headers
    assert client.get("/api/session").status_code == 401


def test_a_good_token_sets_an_httponly_strict_cookie(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    response = client.post("/api/session", json={"token": tokens[Role.LEADERSHIP]})
    assert response.status_code == 200
    assert response.json() == {"name": "leadership-user", "role": "leadership"}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert client.get("/api/session").json()["role"] == "leadership"
    assert client.get("/api/board").status_code == 200


def test_logging_out_ends_the_session(client: TestClient, tokens: dict[Role, str]) -> None:
    client.post("/api/session", json={"token": tokens[Role.INTAKE]})
    assert client.delete("/api/session").status_code == 200
    assert client.get("/api/session").status_code == 401
    assert client.get("/api/board").status_code == 401


def test_the_session_cookie_carries_the_role_into_commands(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    client.post("/api/session", json={"token": tokens[Role.AUDITOR]})
    refused = client.post("/api/incidents", json={"kind": "praise"})
    assert refused.status_code == 403
