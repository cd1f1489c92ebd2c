"""When the folding of the views passes from one runner to another (the owning
process died mid-commit, say), a batch folded from a position the view has
since left is refused, so no event is folded twice."""

from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from app.bootstrap import Store, open_store
from app.config import Settings
from app.demo import load_demo
from projections.runner import Projector
from tests.postgres import postgres_settings


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = open_store(settings)
        yield opened
        opened.close()
        return
    with postgres_settings() as pg:
        opened = open_store(pg)
        yield opened
        opened.close()


def views(store: Store) -> dict[str, Any]:
    return {name: view.dump() for name, view in store.views.items()}


def test_a_runner_that_read_the_views_before_another_moved_them_is_refused(store: Store) -> None:
    load_demo(store.incidents)
    old_owner = Projector(store.incidents, store.projector.projections)
    newcomer = Projector(store.incidents, store.projector.projections)
    old_owner.resume()
    old_owner.step(100)
    # The newcomer reads where the views stand; then the old owner's last batch lands.
    newcomer.resume()
    old_owner.step(50)

    with pytest.raises(IntegrityError, match="another runner"):
        newcomer.step(300)  # folded from the position before that batch

    newcomer.resume()  # as a lane does after a failed batch
    while newcomer.step(200).read:
        pass
    live = views(store)
    store.projector.clear()
    store.projector.resume()
    while store.projector.step(500).read:
        pass
    assert views(store) == live  # every event folded exactly once
