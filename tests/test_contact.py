"""Talking to the public: the reporter's contact, the unified statement per
channel (统一口径), telling the customer the result, and the callback (回访)."""

from typing import Any
from uuid import uuid4

import pytest

from domain.contact import Callback, Reporter
from domain.errors import Invalid
from domain.incident import Incident
from domain.vocabulary import (
    ContactChannel,
    Resolution,
    ResponseStatus,
    StatementChannel,
)
from tests.domain_builders import INTAKE, LEADER, NOW, SPOKESPERSON, refused, reported, verified


def reporter(phone: str = "13812345678", email: str = "") -> Reporter:
    return Reporter(key_id=uuid4(), name="张桂英", phone=phone, email=email)


def resolved() -> Incident:
    incident = verified()
    incident.resolve(at=NOW, by=INTAKE, resolution=Resolution.FIXED, summary="已冲洗管网")
    return incident


def closed() -> Incident:
    incident = resolved()
    notify(incident)
    incident.close(at=NOW, by=INTAKE, note="")
    return incident


def reviewed() -> Incident:
    incident = closed()
    incident.record_review(
        at=NOW, by=LEADER, root_cause="", lessons="", accountability="", actions=[]
    )
    return incident


def publish(incident: Incident, text: str, *channels: StatementChannel) -> None:
    incident.publish_statement(
        at=NOW, by=SPOKESPERSON, channels=list(channels), text=text, approved_by="王主任"
    )


def notify(incident: Incident) -> None:
    incident.notify_customer(at=NOW, by=INTAKE, channel=ContactChannel.SMS, message="已处理完毕")


def call_back(incident: Incident, satisfaction: int) -> None:
    incident.record_callback(
        at=NOW, by=INTAKE, satisfaction=satisfaction, comment="满意", via=ContactChannel.PHONE
    )


# -- the reporter -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "email"),
    [("13812345678", ""), ("", "zhang@example.cn"), ("13812345678", "zhang@example.cn")],
)
def test_a_reporter_with_a_phone_or_an_email_left_a_contact(phone: str, email: str) -> None:
    assert reporter(phone, email).has_contact


def test_a_reporter_who_gave_only_a_name_left_no_contact() -> None:
    assert not reporter("", "").has_contact


# -- statements -------------------------------------------------------------------


def test_a_statement_is_published_on_the_channels_it_names() -> None:
    incident = verified()
    publish(incident, "正在抢修", StatementChannel.SMS, StatementChannel.WEBSITE)
    (statement,) = incident.statements
    assert (statement.channels, statement.text, statement.approved_by) == (
        [StatementChannel.SMS, StatementChannel.WEBSITE],
        "正在抢修",
        "王主任",
    )
    assert (statement.published_at, statement.published_by) == (NOW, SPOKESPERSON.name)


def test_a_statement_needs_at_least_one_channel() -> None:
    incident = verified()
    with refused(incident, "no_channels", Invalid):
        publish(incident, "正在抢修")


def test_a_channel_named_twice_is_published_on_once() -> None:
    incident = verified()
    publish(incident, "正在抢修", StatementChannel.SMS, StatementChannel.SMS)
    assert incident.statements[0].channels == [StatementChannel.SMS]


def test_the_latest_statement_on_a_channel_is_the_one_in_force() -> None:
    incident = verified()
    publish(incident, "正在抢修", StatementChannel.SMS, StatementChannel.WEBSITE)
    publish(incident, "已恢复供水", StatementChannel.SMS)
    in_force = {channel: s.text for channel, s in incident.statement_by_channel.items()}
    assert in_force == {StatementChannel.SMS: "已恢复供水", StatementChannel.WEBSITE: "正在抢修"}


def test_statements_need_a_verified_incident() -> None:
    incident = reported()
    with refused(incident, "not_verified"):
        publish(incident, "谣言", StatementChannel.OFFICIAL_ACCOUNT)


def test_a_statement_can_still_be_published_after_resolution() -> None:
    incident = resolved()
    publish(incident, "已恢复", StatementChannel.COMMUNITY_NOTICE)
    assert len(incident.statements) == 1


def test_nothing_is_published_on_a_closed_incident() -> None:
    incident = closed()
    with refused(incident, "incident_closed"):
        publish(incident, "已恢复", StatementChannel.HOTLINE_IVR)


# -- telling the customer -------------------------------------------------------------


def test_telling_the_customer_during_the_response_is_not_telling_the_result() -> None:
    incident = verified()
    notify(incident)
    assert len(incident.notices) == 1
    assert not incident.notified_of_result


def test_telling_the_customer_after_resolution_tells_them_the_result() -> None:
    incident = resolved()
    notify(incident)
    assert incident.notified_of_result


def test_the_customer_is_not_notified_about_an_unverified_report() -> None:
    incident = reported()
    with refused(incident, "not_verified"):
        notify(incident)


def test_the_customer_is_not_notified_once_the_incident_is_closed() -> None:
    incident = closed()
    with refused(incident, "incident_closed"):
        notify(incident)


def test_reopening_makes_the_result_the_customer_was_told_stale() -> None:
    incident = resolved()
    notify(incident)
    incident.reopen(at=NOW, by=INTAKE, reason="仍有异味")
    assert not incident.notified_of_result


# -- callbacks --------------------------------------------------------------------


def test_a_callback_records_the_satisfaction_the_comment_and_how_it_was_made() -> None:
    incident = resolved()
    call_back(incident, 4)
    assert incident.callbacks == [Callback(4, "满意", ContactChannel.PHONE, NOW, INTAKE.name)]


@pytest.mark.parametrize("satisfaction", [1, 5])
def test_satisfaction_is_scored_from_one_to_five(satisfaction: int) -> None:
    incident = resolved()
    call_back(incident, satisfaction)
    assert incident.callbacks[0].satisfaction == satisfaction


@pytest.mark.parametrize("satisfaction", [0, 6, -1])
def test_satisfaction_outside_one_to_five_is_refused(satisfaction: int) -> None:
    incident = resolved()
    with refused(incident, "satisfaction_out_of_range", Invalid):
        call_back(incident, satisfaction)


def test_a_callback_comes_after_the_incident_is_resolved() -> None:
    incident = verified()
    incident.post_response(
        at=NOW,
        by=INTAKE,
        note="已联系用户",
        status=ResponseStatus.IN_PROGRESS,
        customer_contacted=True,
        occurred_at=None,
    )
    with refused(incident, "not_resolved"):
        call_back(incident, 3)


@pytest.mark.parametrize("build", [closed, reviewed], ids=["closed", "reviewed"])
def test_a_callback_can_be_recorded_after_closing_and_after_the_review(build: Any) -> None:
    incident: Incident = build()
    call_back(incident, 5)
    assert len(incident.callbacks) == 1
