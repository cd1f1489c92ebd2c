"""THE table of which role may run which command, and who sees personal data.

It follows DESIGN.md's "who uses it": auditors write nothing; responders act
on orders, post updates and ask for logistics but cannot grade, order or
publish; only the spokesperson or leadership publishes; intake handles
everyday cases end to end, but a crisis is leadership's to resolve and close.
"""

from domain.vocabulary import Kind, Role

LEAD = frozenset({Role.LEADERSHIP})
DESK = frozenset({Role.LEADERSHIP, Role.INTAKE})
FIELD = frozenset({Role.LEADERSHIP, Role.RESPONDER, Role.LOGISTICS})
STORES = frozenset({Role.LEADERSHIP, Role.LOGISTICS})
PUBLISHERS = frozenset({Role.LEADERSHIP, Role.SPOKESPERSON})

COMMAND_ROLES: dict[str, frozenset[Role]] = {
    # intake
    "report": DESK,
    "verify": DESK,
    "dismiss": DESK,
    "link": DESK,
    # leadership
    "classify": LEAD,
    "activate": LEAD,
    "assign_role": LEAD,
    "relieve_role": LEAD,
    "issue_order": LEAD,
    "reassign_order": LEAD,
    "cancel_order": LEAD,
    # the field
    "acknowledge_order": FIELD,
    "progress_order": FIELD,
    "complete_order": FIELD,
    "post_response": FIELD,
    "request_logistics": FIELD,
    # logistics
    "allocate_logistics": STORES,
    "deliver_logistics": STORES,
    "return_logistics": STORES,
    "decline_logistics": STORES,
    # the public and the customer
    "publish_statement": PUBLISHERS,
    "notify_customer": DESK,
    "record_callback": DESK,
    # the end of the case
    "resolve": DESK,
    "close": DESK,
    "reopen": DESK,
    "record_review": LEAD,
    "complete_improvement": LEAD,
    # a citizen's right to erasure: an administrator's act, never leadership's
    "erase_personal_data": frozenset({Role.ADMIN}),
}

CRISIS_ONLY_LEADERSHIP = frozenset({"resolve", "close", "reopen"})

SEES_PERSONAL_DATA = frozenset({Role.LEADERSHIP, Role.INTAKE, Role.ADMIN})


def may_run(role: Role, command: str) -> bool:
    """Whether the role may ever run the command (checked before the request body)."""
    return role in COMMAND_ROLES[command]


def may_run_on(role: Role, command: str, kind: Kind | None) -> bool:
    """Whether the role may run the command on an incident of this kind."""
    if not may_run(role, command):
        return False
    if kind is Kind.CRISIS and command in CRISIS_ONLY_LEADERSHIP:
        return role is Role.LEADERSHIP
    return True


def sees_personal_data(role: Role) -> bool:
    return role in SEES_PERSONAL_DATA


# The evaluation figures are for leadership and the evaluation group (auditors).
READS_FIGURES = frozenset({Role.LEADERSHIP, Role.AUDITOR, Role.ADMIN})


def reads_figures(role: Role) -> bool:
    return role in READS_FIGURES


# Anyone may read their own open orders; everyone's is for those who chase or audit them.
READS_EVERYONES_ORDERS = frozenset({Role.LEADERSHIP, Role.AUDITOR, Role.ADMIN})
READS_LOGISTICS_QUEUE = frozenset({Role.LOGISTICS, Role.LEADERSHIP, Role.AUDITOR, Role.ADMIN})


def reads_everyones_orders(role: Role) -> bool:
    return role in READS_EVERYONES_ORDERS


def reads_logistics_queue(role: Role) -> bool:
    return role in READS_LOGISTICS_QUEUE
