"""Logistics (后勤保障): requested, allocated, delivered, returned or declined;
settled when declined, returned, or delivered and used up."""

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.errors import Invalid, NotFound
from domain.incident import Incident
from domain.vocabulary import LogisticsStatus, Resolution, Resource, Status
from tests.domain_builders import LEADER, NOW, RESPONDER, STORES, refused, reported, verified

NEEDED_BY = NOW + timedelta(hours=1)

CONSUMED = [Resource.SUPPLIES, Resource.COMPENSATION_GOODS]
RETURNED = [r for r in Resource if r not in CONSUMED]


def request(
    incident: Incident,
    resource: Resource = Resource.EQUIPMENT,
    quantity: int = 4,
    needed_by: datetime = NEEDED_BY,
) -> UUID:
    request_id = uuid4()
    incident.request_logistics(
        at=NOW,
        by=RESPONDER,
        request_id=request_id,
        resource=resource,
        item="发电机",
        quantity=quantity,
        needed_by=needed_by,
        purpose="医院临时供电",
    )
    return request_id


def allocate(incident: Incident, request_id: UUID, quantity: int | None = None) -> None:
    incident.allocate_logistics(
        at=NOW, by=STORES, request_id=request_id, quantity=quantity, source="城西仓库", note=""
    )


def deliver(incident: Incident, request_id: UUID, quantity: int | None = None) -> None:
    incident.deliver_logistics(at=NOW, by=STORES, request_id=request_id, quantity=quantity, note="")


def take_back(incident: Incident, request_id: UUID, quantity: int | None = None) -> None:
    incident.return_logistics(at=NOW, by=STORES, request_id=request_id, quantity=quantity, note="")


def decline(incident: Incident, request_id: UUID) -> None:
    incident.decline_logistics(at=NOW, by=STORES, request_id=request_id, note="无库存")


def delivered(resource: Resource = Resource.EQUIPMENT) -> tuple[Incident, UUID]:
    incident = verified()
    request_id = request(incident, resource)
    allocate(incident, request_id)
    deliver(incident, request_id)
    return incident, request_id


def resolve(incident: Incident) -> None:
    incident.resolve(at=NOW, by=LEADER, resolution=Resolution.FIXED, summary="恢复供电")


def close(incident: Incident) -> None:
    incident.close(at=NOW, by=LEADER, note="")


# -- request ----------------------------------------------------------------------


def test_a_request_records_the_resource_the_quantity_and_when_it_is_needed() -> None:
    incident = verified()
    request_id = request(incident)
    asked = incident.logistics_request(request_id)
    assert (asked.status, asked.resource, asked.quantity, asked.needed_by) == (
        LogisticsStatus.REQUESTED,
        Resource.EQUIPMENT,
        4,
        NEEDED_BY,
    )
    assert (asked.requested_at, asked.requested_by) == (NOW, RESPONDER.name)


def test_logistics_need_a_verified_incident() -> None:
    incident = reported()
    with refused(incident, "not_verified"):
        request(incident)


def test_a_resolved_incident_takes_no_new_logistics_requests() -> None:
    incident = verified()
    resolve(incident)
    with refused(incident, "incident_resolved"):
        request(incident)


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_request_asks_for_at_least_one(quantity: int) -> None:
    incident = verified()
    with refused(incident, "quantity_not_positive", Invalid):
        request(incident, quantity=quantity)


def test_a_request_cannot_be_needed_by_a_time_already_past() -> None:
    incident = verified()
    with refused(incident, "needed_by_in_past", Invalid):
        request(incident, needed_by=NOW - timedelta(hours=1))


def test_a_request_needed_right_now_by_a_slightly_slow_clock_is_accepted() -> None:
    incident = verified()
    request(incident, needed_by=NOW - timedelta(minutes=1))
    assert len(incident.logistics) == 1


# -- allocate ---------------------------------------------------------------------


def test_allocation_gives_all_that_was_asked_unless_told_otherwise() -> None:
    incident = verified()
    request_id = request(incident)
    allocate(incident, request_id)
    asked = incident.logistics_request(request_id)
    assert (asked.status, asked.allocated_quantity, asked.source) == (
        LogisticsStatus.ALLOCATED,
        4,
        "城西仓库",
    )


def test_part_of_a_request_can_be_allocated() -> None:
    incident = verified()
    request_id = request(incident)
    allocate(incident, request_id, 3)
    assert incident.logistics_request(request_id).allocated_quantity == 3


@pytest.mark.parametrize("quantity", [0, 5], ids=["none", "more than asked"])
def test_allocation_is_between_one_and_what_was_asked(quantity: int) -> None:
    incident = verified()
    request_id = request(incident)
    with refused(incident, "quantity_out_of_range", Invalid):
        allocate(incident, request_id, quantity)


def test_a_request_is_allocated_only_once() -> None:
    incident = verified()
    request_id = request(incident)
    allocate(incident, request_id)
    with refused(incident, "logistics_allocated"):
        allocate(incident, request_id)


# -- deliver ----------------------------------------------------------------------


def test_delivery_brings_all_that_was_allocated_unless_told_otherwise() -> None:
    incident, request_id = delivered()
    asked = incident.logistics_request(request_id)
    assert (asked.status, asked.delivered_quantity) == (LogisticsStatus.DELIVERED, 4)


def test_delivery_cannot_bring_more_than_was_allocated() -> None:
    incident = verified()
    request_id = request(incident)
    allocate(incident, request_id, 2)
    with refused(incident, "quantity_out_of_range", Invalid):
        deliver(incident, request_id, 3)


def test_nothing_is_delivered_before_it_is_allocated() -> None:
    incident = verified()
    request_id = request(incident)
    with refused(incident, "logistics_requested"):
        deliver(incident, request_id)


def test_a_request_is_delivered_only_once() -> None:
    incident, request_id = delivered()
    with refused(incident, "logistics_delivered"):
        deliver(incident, request_id)


# -- return -----------------------------------------------------------------------


def test_what_was_delivered_can_be_returned() -> None:
    incident, request_id = delivered()
    take_back(incident, request_id)
    asked = incident.logistics_request(request_id)
    assert (asked.status, asked.returned_quantity) == (LogisticsStatus.RETURNED, 4)


def test_an_allocation_can_be_returned_without_being_delivered() -> None:
    incident = verified()
    request_id = request(incident)
    allocate(incident, request_id, 2)
    take_back(incident, request_id)
    assert incident.logistics_request(request_id).returned_quantity == 2


def test_no_more_can_come_back_than_was_sent() -> None:
    incident = verified()
    request_id = request(incident)
    allocate(incident, request_id, 3)
    deliver(incident, request_id, 2)
    with refused(incident, "quantity_out_of_range", Invalid):
        take_back(incident, request_id, 3)


def test_nothing_comes_back_before_it_is_allocated() -> None:
    incident = verified()
    request_id = request(incident)
    with refused(incident, "logistics_requested"):
        take_back(incident, request_id)


def test_a_request_is_returned_only_once() -> None:
    incident, request_id = delivered()
    take_back(incident, request_id)
    with refused(incident, "logistics_returned"):
        take_back(incident, request_id)


# -- decline ----------------------------------------------------------------------


def test_a_request_can_be_declined_with_a_reason() -> None:
    incident = verified()
    request_id = request(incident)
    decline(incident, request_id)
    asked = incident.logistics_request(request_id)
    assert (asked.status, asked.note) == (LogisticsStatus.DECLINED, "无库存")


def test_only_a_request_awaiting_allocation_can_be_declined() -> None:
    incident = verified()
    request_id = request(incident)
    allocate(incident, request_id)
    with refused(incident, "logistics_allocated"):
        decline(incident, request_id)


def test_a_declined_request_cannot_be_allocated() -> None:
    incident = verified()
    request_id = request(incident)
    decline(incident, request_id)
    with refused(incident, "logistics_declined"):
        allocate(incident, request_id)


RequestCommand = Callable[[Incident, UUID], None]
REQUEST_COMMANDS: dict[str, RequestCommand] = {
    "allocate": allocate,
    "deliver": deliver,
    "return": take_back,
    "decline": decline,
}


@pytest.mark.parametrize("command", list(REQUEST_COMMANDS))
def test_a_request_the_incident_does_not_have_is_not_found(command: str) -> None:
    incident = verified()
    request(incident)
    with refused(incident, "request_not_found", NotFound):
        REQUEST_COMMANDS[command](incident, uuid4())


# -- settled or outstanding -----------------------------------------------------------


@pytest.mark.parametrize("resource", CONSUMED)
def test_consumables_are_settled_on_delivery(resource: Resource) -> None:
    incident, _ = delivered(resource)
    assert incident.outstanding_logistics == []


@pytest.mark.parametrize("resource", RETURNED)
def test_other_resources_are_outstanding_until_they_come_back(resource: Resource) -> None:
    incident, request_id = delivered(resource)
    assert [r.request_id for r in incident.outstanding_logistics] == [request_id]
    take_back(incident, request_id)
    assert incident.outstanding_logistics == []


def test_an_allocated_request_is_outstanding_even_for_consumables() -> None:
    incident = verified()
    request_id = request(incident, Resource.SUPPLIES)
    allocate(incident, request_id)
    assert [r.request_id for r in incident.outstanding_logistics] == [request_id]


def test_a_request_awaiting_allocation_is_outstanding_until_declined() -> None:
    incident = verified()
    request_id = request(incident)
    assert [r.request_id for r in incident.outstanding_logistics] == [request_id]
    decline(incident, request_id)
    assert incident.outstanding_logistics == []


def test_an_incident_cannot_be_closed_while_generators_are_still_out() -> None:
    incident, _ = delivered(Resource.EQUIPMENT)
    resolve(incident)
    with refused(incident, "logistics_outstanding"):
        close(incident)


def test_an_incident_closes_once_the_generators_are_back() -> None:
    incident, request_id = delivered(Resource.EQUIPMENT)
    resolve(incident)
    take_back(incident, request_id)
    close(incident)
    assert incident.status is Status.CLOSED


def test_delivered_bottled_water_does_not_hold_up_closing() -> None:
    incident, _ = delivered(Resource.SUPPLIES)
    resolve(incident)
    close(incident)
    assert incident.status is Status.CLOSED


def test_an_unanswered_request_holds_up_closing() -> None:
    incident = verified()
    request(incident)
    resolve(incident)
    with refused(incident, "logistics_outstanding"):
        close(incident)


def test_a_request_id_already_used_cannot_be_requested_again() -> None:
    incident = verified()
    request_id = request(incident)
    with refused(incident, "request_exists"):
        incident.request_logistics(
            at=NOW,
            by=RESPONDER,
            request_id=request_id,
            resource=Resource.SUPPLIES,
            item="桶装水",
            quantity=1,
            needed_by=NEEDED_BY,
            purpose="",
        )


def test_nothing_moves_on_a_closed_incidents_requests() -> None:
    incident, request_id = delivered(Resource.SUPPLIES)
    resolve(incident)
    close(incident)
    with refused(incident, "incident_closed"):
        take_back(incident, request_id)
