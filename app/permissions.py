"""THE table of which role may run which command, and who sees personal data."""

from domain.vocabulary import Kind, Role

LEADERSHIP, INTAKE, RESPONDER, LOGISTICS = (
    Role.LEADERSHIP,
    Role.INTAKE,
    Role.RESPONDER,
    Role.LOGISTICS,
)

COMMAND_ROLES: dict[str, frozenset[Role]] = {
    "report": frozenset({LEADERSHIP, INTAKE}),
    "verify": frozenset({LEADERSHIP, INTAKE}),
    "link": frozenset({LEADERSHIP, INTAKE}),
    "classify": frozenset({LEADERSHIP}),
    "issue_order": frozenset({LEADERSHIP}),
    "complete_order": frozenset({LEADERSHIP, RESPONDER, LOGISTICS}),
    "post_response": frozenset({LEADERSHIP, RESPONDER, LOGISTICS}),
    "resolve": frozenset({LEADERSHIP, INTAKE}),
    "close": frozenset({LEADERSHIP, INTAKE}),
}

# Intake handles everyday cases end to end, but a crisis is leadership's to close.
CRISIS_ONLY_LEADERSHIP = frozenset({"resolve", "close"})

SEES_PERSONAL_DATA = frozenset({LEADERSHIP, INTAKE, Role.ADMIN})


def may_run(role: Role, command: str) -> bool:
    """Whether the role may ever run the command (checked before the request body)."""
    return role in COMMAND_ROLES[command]


def may_run_on(role: Role, command: str, kind: Kind | None) -> bool:
    """Whether the role may run the command on an incident of this kind."""
    if not may_run(role, command):
        return False
    if kind is Kind.CRISIS and command in CRISIS_ONLY_LEADERSHIP:
        return role is LEADERSHIP
    return True


def sees_personal_data(role: Role) -> bool:
    return role in SEES_PERSONAL_DATA
