"""The store across restarts: nothing acknowledged is lost, the board never double counts."""

from datetime import UTC, datetime

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from app.bootstrap import Store, open_store
from app.config import Settings
from domain.orders import OrderIssued
from domain.vocabulary import Priority, Role
from projections.board_view import BoardProjection
from tests.helpers import graded_crisis_in, issue_order_in


def crisis_with_orders(store: Store, orders: int) -> None:
    incident = graded_crisis_in(store)
    for n in range(orders):
        issue_order_in(store, incident, n)


def board_now(store: Store) -> dict[str, object]:
    return store.board.board(store.follower.tracking_name("board"), datetime.now(UTC))


def test_a_restart_keeps_every_event_and_the_board_resumes_without_double_counting(
    settings: Settings,
) -> None:
    first = open_store(settings)
    crisis_with_orders(first, orders=2)
    assert first.follower.catch_up() == 5
    first.close()

    second = open_store(settings)
    assert second.incidents.recorder.max_notification_id() == 5
    crisis_with_orders(second, orders=1)
    assert second.follower.catch_up() == 4  # only the new events are folded
    board = board_now(second)
    assert board["position"] == 9
    assert sorted(row["open_orders"] for row in board["rows"]) == [1, 2]  # type: ignore[index]

    incremental = board_now(second)["rows"]
    assert second.follower.rebuild() == 9
    assert board_now(second)["rows"] == incremental
    second.close()


def test_an_event_already_on_the_board_is_refused_and_changes_nothing(settings: Settings) -> None:
    store = open_store(settings)
    crisis_with_orders(store, orders=1)
    store.follower.catch_up()
    before = board_now(store)
    notification = store.incidents.recorder.select_notifications(start=4, limit=1)[0]
    event = store.incidents.mapper.to_domain_event(notification)
    assert isinstance(event, OrderIssued)
    with pytest.raises(IntegrityError):
        store.projector.projection("board").process_event(
            event, Tracking(store.follower.tracking_name("board"), notification.id)
        )
    assert board_now(store) == before
    store.close()


def test_a_fold_that_fails_midway_leaves_neither_row_nor_position(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(settings)
    crisis_with_orders(store, orders=1)
    name = store.follower.tracking_name("board")

    class Crash(Exception):
        pass

    def crash(*_: object) -> None:
        raise Crash

    # The tracking row is already written when the fold runs; the crash must undo it.
    monkeypatch.setattr("projections.board_view.fold", crash)
    with pytest.raises(Crash):
        store.follower.catch_up()
    assert store.board.max_tracking_id(name) is None
    assert board_now(store)["rows"] == []
    monkeypatch.undo()

    assert store.follower.catch_up() == 4
    assert board_now(store)["rows"][0]["open_orders"] == 1  # type: ignore[index]
    store.close()


def test_stored_events_keep_their_types_through_orjson(settings: Settings) -> None:
    store = open_store(settings)
    crisis_with_orders(store, orders=1)
    notification = store.incidents.recorder.select_notifications(start=4, limit=1)[0]
    assert b'"_type_":"Priority"' in notification.state
    event = store.incidents.mapper.to_domain_event(notification)
    assert isinstance(event, OrderIssued)
    assert event.priority is Priority.URGENT
    assert event.role is Role.LEADERSHIP
    assert event.deadline.tzinfo is not None
    store.close()


def test_a_view_whose_fold_changed_is_folded_again_from_scratch(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(settings)
    crisis_with_orders(store, orders=1)
    store.follower.catch_up()
    before = board_now(store)["rows"]
    store.close()

    monkeypatch.setattr(BoardProjection, "version", BoardProjection.version + 1)
    store = open_store(settings)
    assert store.follower.catch_up() == 4  # the new version starts at the beginning
    assert board_now(store)["rows"] == before  # and its old rows were not counted again
    store.close()
