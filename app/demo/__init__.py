"""`icc serve --demo`: a day of an incident command centre, written so that a
newcomer meets every feature of the domain on the board and in the timelines.

- water (SCENARIOS §1): yesterday's water crisis, carried from the turbidity
  alarm through grading, orders, logistics, the statement, callbacks and a
  reopened complaint to the review, with one improvement action done;
- traffic (§2) and power (§3): two crises still in response, one with an
  overdue order, the other re-graded II → III → II;
- delivery (§6) and everyday (§5, §7): complaints, inquiries, suggestions and
  praise, settled or still open.

The history goes through the real use cases with a scripted clock that starts
in the past and never passes the real time.
"""

from datetime import timedelta

from app.application import IncidentApp, utc_now
from app.demo import delivery, everyday, power, traffic, water
from app.demo.cast import LOGIN_USERS
from app.demo.script import Script, ScriptedClock
from app.users import UnknownUser, UserStore
from domain.vocabulary import Role

__all__ = ["DEMO_USERS", "ScriptedClock", "demo_tokens", "load_demo"]

DEMO_USERS: tuple[tuple[str, Role], ...] = tuple((actor.name, actor.role) for actor in LOGIN_USERS)

# The water alarm went off about a day before the live crises began.
HISTORY_STARTS = timedelta(hours=28)


def demo_tokens(users: UserStore) -> list[tuple[str, Role, str]]:
    """A fresh token for every demo user (tokens are shown once, so each run makes new ones)."""
    issued = []
    for name, role in DEMO_USERS:
        try:
            token = users.rotate(name)
        except UnknownUser:
            token = users.add(name, role)
        issued.append((name, role, token))
    return issued


def load_demo(app: IncidentApp) -> int:
    """Writes the day in the order it happened; returns the number of events written."""
    real_clock = app.clock
    clock = ScriptedClock(utc_now() - HISTORY_STARTS)
    app.clock = clock
    pen = Script(app, clock)
    try:
        water.carry_through_review(pen)  # 28 h ago → 4.5 h ago
        everyday.settled_earlier(pen)  # 3 h 50 ago
        storm = traffic.signals_knocked_out(pen)  # 3 h ago
        outage = power.substation_fails(pen)  # 2 h 40 ago
        traffic.contractor_cannot_get_through(pen, storm)  # 2 h 20 ago
        power.generators_arrive(pen, outage)  # 2 h ago
        traffic.junctions_coming_back(pen, storm)  # 1 h 45 ago
        power.hospitals_on_generators(pen, outage)  # 1 h 30 ago: II → III
        delivery.rain_storm_complaints(pen)  # 1 h 20 ago
        traffic.chase_the_overdue_order(pen, storm)  # 50 min ago
        power.second_feeder_trips(pen, outage)  # 40 min ago: III → II
        everyday.fresh_reports(pen)  # the last 25 minutes
    finally:
        app.clock = real_clock
    return app.recorder.max_notification_id() or 0
