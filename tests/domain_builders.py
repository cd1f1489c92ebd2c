"""Builders and assertions the domain tests share: incidents at each early stage
of their life, written as the desk and leadership would write them."""

from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.contact import Reporter
from domain.errors import DomainError, RuleBroken
from domain.incident import Incident
from domain.vocabulary import (
    Channel,
    ContactChannel,
    DismissReason,
    Kind,
    Priority,
    Resolution,
    ResponseStatus,
    Role,
)

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LEADER = Actor("王主任", Role.LEADERSHIP)
INTAKE = Actor("李客服", Role.INTAKE)
RESPONDER = Actor("抢修一队", Role.RESPONDER)
STORES = Actor("后勤孙", Role.LOGISTICS)
SPOKESPERSON = Actor("赵发言人", Role.SPOKESPERSON)
LATER = NOW + timedelta(hours=1)


def a_reporter(phone: str = "13812345678", email: str = "") -> Reporter:
    return Reporter(key_id=uuid4(), name="张桂英", phone=phone, email=email)


def reported(
    kind: Kind = Kind.COMPLAINT,
    reporter: Reporter | None = None,
    received_at: datetime | None = None,
) -> Incident:
    return Incident.report(
        incident_id=uuid4(),
        at=NOW,
        by=INTAKE,
        kind=kind,
        channel=Channel.HOTLINE,
        category="供水水质",
        title="自来水发黄",
        description="来电人反映水发黄、有异味",
        location="阳光花园 5栋",
        reporter=reporter,
        received_at=received_at,
    )


def verified(kind: Kind = Kind.COMPLAINT, reporter: Reporter | None = None) -> Incident:
    incident = reported(kind, reporter)
    incident.verify(at=NOW, by=INTAKE, note="回拨确认")
    return incident


def post_response(incident: Incident, occurred_at: datetime | None = None) -> None:
    incident.post_response(
        at=NOW,
        by=RESPONDER,
        note="到达现场",
        status=ResponseStatus.ON_SCENE,
        customer_contacted=True,
        occurred_at=occurred_at,
    )


def state_of(incident: Incident) -> dict[str, Any]:
    return {k: v for k, v in vars(incident).items() if k != "_pending_events"}


@contextmanager
def refused(incident: Incident, code: str, error: type[DomainError] = RuleBroken) -> Iterator[None]:
    """The command inside is refused with `error` and `code`, and records nothing."""
    before = deepcopy(state_of(incident))
    with pytest.raises(error) as caught:
        yield
    assert type(caught.value) is error
    assert caught.value.code == code
    assert state_of(incident) == before


def dismissed() -> Incident:
    incident = reported()
    incident.dismiss(at=NOW, by=INTAKE, reason=DismissReason.RUMOUR, duplicate_of=None, note="谣言")
    return incident


def issue_order(incident: Incident) -> None:
    incident.issue_order(
        at=NOW,
        by=LEADER,
        order_id=uuid4(),
        assignee="检测中心",
        instruction="五点取样",
        deadline=LATER,
        priority=Priority.URGENT,
    )


def resolve(incident: Incident) -> None:
    incident.resolve(at=NOW, by=INTAKE, resolution=Resolution.FIXED, summary="管网冲洗完毕")


def notify(incident: Incident) -> None:
    incident.notify_customer(at=NOW, by=INTAKE, channel=ContactChannel.PHONE, message="已处理")


def resolved(reporter: Reporter | None = None) -> Incident:
    incident = verified(reporter=reporter)
    resolve(incident)
    return incident


def closed(reporter: Reporter | None = None) -> Incident:
    incident = resolved(reporter)
    if reporter is not None:
        notify(incident)
    incident.close(at=NOW, by=INTAKE, note="")
    return incident


def reviewed() -> Incident:
    incident = closed()
    incident.record_review(
        at=NOW, by=LEADER, root_cause="管网老化", lessons="", accountability="", actions=[]
    )
    return incident
