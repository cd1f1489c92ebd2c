"""Writers racing on one incident: no update is lost, no rule is bypassed."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from app.application import Ack
from app.bootstrap import Store, open_store
from app.config import Settings
from app.errors import StaleVersion
from domain import commands
from domain.actor import Request
from domain.errors import RuleBroken
from domain.vocabulary import Priority
from tests.helpers import LEADER, graded_crisis_in, issue_order_in


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    opened = open_store(settings)
    yield opened
    opened.close()


@pytest.fixture
def other_process(settings: Settings) -> Iterator[Store]:
    """A second store on the same file, as a second server process would have."""
    opened = open_store(settings)
    yield opened
    opened.close()


def test_concurrent_commands_without_if_match_all_land(store: Store, other_process: Store) -> None:
    incident = graded_crisis_in(store)
    stores = [store, other_process]
    with ThreadPoolExecutor(max_workers=8) as pool:
        acks = list(pool.map(lambda n: issue_order_in(stores[n % 2], incident, n), range(16)))
    assert sorted(a.version for a in acks) == list(range(4, 20))
    assert len(store.incidents.get_incident(incident).orders) == 16


def test_two_writers_pinned_to_one_version_one_wins_the_other_gets_stale_version(
    store: Store,
) -> None:
    incident = graded_crisis_in(store)

    def attempt(n: int) -> str:
        try:
            issue_order_in(store, incident, n, if_match=3)
        except StaleVersion:
            return "stale"
        return "won"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(attempt, range(2)))
    assert outcomes == ["stale", "won"]
    assert len(store.incidents.get_incident(incident).orders) == 1


def test_a_rule_is_checked_again_after_a_lost_race(store: Store, other_process: Store) -> None:
    incident = graded_crisis_in(store)
    order = issue_order_in(store, incident).extra["order_id"]
    apps = [store.incidents, other_process.incidents]

    def complete(n: int) -> str:
        try:
            apps[n % 2].execute(LEADER, incident, commands.complete_order(order, "done"))
        except RuleBroken as refused:
            return refused.code
        return "completed"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(complete, range(4)))
    assert outcomes == ["completed", "order_not_open", "order_not_open", "order_not_open"]


def test_one_idempotency_key_raced_through_two_processes_stores_one_order(
    store: Store, other_process: Store
) -> None:
    incident = graded_crisis_in(store)
    stores = [store, other_process]
    keyed = LEADER.sending(Request("retry-me", "same-body"))
    stored = store.incidents.recorder.max_notification_id()

    def send(n: int) -> Ack:
        app = stores[n % 2].incidents
        order_id = app.new_id()  # each attempt makes its own; only one may land
        deadline = app.clock() + timedelta(hours=2)
        order = commands.issue_order(order_id, "抢修队", "抢修", deadline, Priority.URGENT)
        return app.execute(keyed, incident, order)

    with ThreadPoolExecutor(max_workers=8) as pool:
        acks = list(pool.map(send, range(8)))
    assert len({(a.version, a.extra["order_id"]) for a in acks}) == 1
    assert store.incidents.recorder.max_notification_id() == (stored or 0) + 1
