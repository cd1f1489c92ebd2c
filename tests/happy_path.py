"""Leadership's next useful step for an incident at any stage of its life: the
happy path the state machine in test_incident_properties walks, never refused."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from domain import commands
from domain.commands import Command
from domain.incident import Incident
from domain.orders import Order
from domain.review import Improvement
from domain.vocabulary import (
    CommandRole,
    ContactChannel,
    Kind,
    LogisticsStatus,
    OrderStatus,
    Resolution,
    Resource,
    ResponseStatus,
    Severity,
    StatementChannel,
    Status,
)

Draw = Callable[[st.SearchStrategy[Any]], Any]
# A step of leadership's work whose arguments are drawn only if it is the one taken.
Work = Callable[[Draw], Command]
TEXT = st.sampled_from(["", "现场已处置", "note"])
NAMES = ["王主任", "刘副主任", "抢修一队"]
FINISHED = (Status.CLOSED, Status.REVIEWED)
OPEN_ORDER = (OrderStatus.ISSUED, OrderStatus.ACKNOWLEDGED)
DUE = datetime(2026, 12, 26, 8, 0, tzinfo=UTC)


# -- the happy path: what leadership does next, never refused ----------------------------


def work_steps(incident: Incident, now: datetime) -> list[Work]:
    """Useful work that leaves the incident where it is in its life."""
    status = incident.status
    if status is Status.REPORTED:
        return [fixed(commands.verify())]
    if status is Status.DISMISSED:
        return []
    if status in FINISHED:
        return [callback, *map(fixed, improvements(incident))]
    if incident.kind is Kind.CRISIS and incident.severity is None:
        return [regrade]
    channels = st.lists(st.sampled_from(StatementChannel), min_size=1, max_size=3)
    steps: list[Work] = [
        lambda draw: commands.post_response("进展", draw(st.sampled_from(ResponseStatus))),
        lambda draw: commands.publish_statement(draw(channels), "统一口径", "王主任"),
        lambda draw: commands.notify_customer(draw(st.sampled_from(ContactChannel)), "进展"),
        *plan_steps(incident),
        *map(fixed, logistics_steps(incident)),
    ]
    if incident.kind in (Kind.COMPLAINT, Kind.CRISIS):
        steps.append(regrade)
    if status is Status.RESOLVED:
        return [*steps, callback]
    deadline = now + timedelta(hours=2)
    steps.append(lambda draw: commands.issue_order(draw(st.uuids()), NAMES[2], "抢修", deadline))
    steps.append(
        lambda draw: commands.request_logistics(
            draw(st.uuids()),
            draw(st.sampled_from(Resource)),
            "发电机",
            draw(st.integers(1, 5)),
            now,
            "",
        )
    )
    for order in incident.open_orders:
        steps.extend(order_steps(order))
    return steps


def fixed(command: Command) -> Work:
    return lambda draw: command


def callback(draw: Draw) -> Command:
    return commands.record_callback(draw(st.integers(1, 5)))


def regrade(draw: Draw) -> Command:
    return commands.classify(draw(st.sampled_from(Severity)), "")


def finish_step(incident: Incident, draw: Draw) -> Command | None:
    """A step toward the end of the incident's life; now and then back, by reopening it."""
    status = incident.status
    if status in (Status.RESOLVED, Status.CLOSED) and draw(st.integers(0, 4)) == 0:
        return commands.reopen("复发")
    if status is Status.REPORTED:
        return commands.verify()
    if status in (Status.VERIFIED, Status.RESPONDING):
        if incident.kind is Kind.CRISIS and incident.severity is None:
            return commands.classify(draw(st.sampled_from(Severity)), "")
        if incident.open_orders:
            return commands.complete_order(incident.open_orders[0].order_id, "完成")
        return commands.resolve(draw(st.sampled_from(Resolution)), "已处置")
    if status is Status.RESOLVED:
        for outstanding in incident.outstanding_logistics:
            if outstanding.status is LogisticsStatus.REQUESTED:
                return commands.decline_logistics(outstanding.request_id, "无库存")
            return commands.return_logistics(outstanding.request_id)
        reporter = incident.reporter
        if reporter is not None and reporter.has_contact and not incident.notified_of_result:
            return commands.notify_customer(ContactChannel.PHONE, "结果")
        return commands.close()
    if status is Status.CLOSED:
        action = Improvement(draw(st.uuids()), "整改", NAMES[0], DUE)
        return commands.record_review("管网老化", "", [action])
    return next(iter(improvements(incident)), None)


def improvements(incident: Incident) -> list[Command]:
    return [
        commands.complete_improvement(action.action_id)
        for action in incident.improvements.values()
        if not action.is_done
    ]


def plan_steps(incident: Incident) -> list[Work]:
    if incident.plan is None:
        if incident.severity is None or incident.status is Status.RESOLVED:
            return []
        return [fixed(commands.activate("预案", NAMES[0]))]

    def assign_someone_new(draw: Draw) -> Command:
        command_role = draw(st.sampled_from(CommandRole))
        holder = incident.roles.get(command_role)
        person = draw(st.sampled_from([p for p in NAMES if p != holder]))
        return commands.assign_role(command_role, person)

    relieve = [commands.relieve_role(held) for held in incident.roles]
    return [assign_someone_new, *map(fixed, relieve)]


def order_steps(order: Order) -> list[Work]:
    order_id, others = order.order_id, [p for p in NAMES if p != order.assignee]
    percent = st.none() | st.integers(order.percent or 0, 100)
    steps: list[Work] = [
        lambda draw: commands.progress_order(order_id, "进行中", draw(percent)),
        lambda draw: commands.reassign_order(order_id, draw(st.sampled_from(others)), "换班"),
        fixed(commands.complete_order(order_id, "完成")),
        fixed(commands.cancel_order(order_id, "")),
    ]
    if order.acknowledged_at is None:
        steps.append(fixed(commands.acknowledge_order(order_id)))
    return steps


def logistics_steps(incident: Incident) -> list[Command]:
    steps: list[Command] = []
    outstanding = {r.request_id for r in incident.outstanding_logistics}
    for asked in incident.logistics.values():
        request_id = asked.request_id
        if asked.status is LogisticsStatus.REQUESTED:
            steps.append(commands.allocate_logistics(request_id, "仓库"))
            steps.append(commands.decline_logistics(request_id, ""))
            continue
        if asked.status is LogisticsStatus.ALLOCATED:
            steps.append(commands.deliver_logistics(request_id))
        if request_id in outstanding:
            steps.append(commands.return_logistics(request_id))
    return steps
