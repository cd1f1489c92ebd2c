"""The permission table, every role against every command."""

import pytest

from app.permissions import COMMAND_ROLES, may_run, may_run_on, sees_personal_data
from domain.vocabulary import Kind, Role

EXPECTED: dict[str, set[Role]] = {
    "report": {Role.LEADERSHIP, Role.INTAKE},
    "verify": {Role.LEADERSHIP, Role.INTAKE},
    "link": {Role.LEADERSHIP, Role.INTAKE},
    "classify": {Role.LEADERSHIP},
    "issue_order": {Role.LEADERSHIP},
    "complete_order": {Role.LEADERSHIP, Role.RESPONDER, Role.LOGISTICS},
    "post_response": {Role.LEADERSHIP, Role.RESPONDER, Role.LOGISTICS},
    "resolve": {Role.LEADERSHIP, Role.INTAKE},
    "close": {Role.LEADERSHIP, Role.INTAKE},
}


def test_the_table_covers_exactly_the_commands_built() -> None:
    assert set(COMMAND_ROLES) == set(EXPECTED)


@pytest.mark.parametrize("command", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_run_exactly_its_commands(role: Role, command: str) -> None:
    assert may_run(role, command) is (role in EXPECTED[command])


def test_auditors_write_nothing() -> None:
    assert not any(may_run(Role.AUDITOR, command) for command in COMMAND_ROLES)


@pytest.mark.parametrize("command", ["resolve", "close"])
def test_only_leadership_resolves_or_closes_a_crisis(command: str) -> None:
    assert may_run_on(Role.INTAKE, command, Kind.COMPLAINT)
    assert not may_run_on(Role.INTAKE, command, Kind.CRISIS)
    assert may_run_on(Role.LEADERSHIP, command, Kind.CRISIS)


@pytest.mark.parametrize("role", list(Role))
def test_personal_data_is_seen_only_by_those_who_contact_the_reporter(role: Role) -> None:
    assert sees_personal_data(role) is (role in {Role.LEADERSHIP, Role.INTAKE, Role.ADMIN})
