"""The after-action review (事后总结) and its improvement actions (整改措施)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.actor import Actor
from domain.errors import Invalid, NotFound, RuleBroken
from domain.event import IncidentEvent
from domain.state import IncidentState
from domain.vocabulary import Status


@dataclass(frozen=True)
class Improvement:
    """An improvement action as the review sets it."""

    action_id: UUID
    description: str
    owner: str
    due: datetime


@dataclass
class ImprovementAction:
    action_id: UUID
    description: str
    owner: str
    due: datetime
    completed_at: datetime | None = None
    completed_by: str | None = None
    note: str | None = None

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


@dataclass
class Review:
    root_cause: str
    lessons: str
    accountability: str
    recorded_at: datetime
    recorded_by: str


class ReviewRecorded(IncidentEvent):
    root_cause: str
    lessons: str
    accountability: str
    actions: list[Improvement]

    def apply(self, incident: IncidentState) -> None:
        incident.status = Status.REVIEWED
        incident.review = Review(
            self.root_cause, self.lessons, self.accountability, self.at, self.actor
        )
        incident.improvements = {
            a.action_id: ImprovementAction(a.action_id, a.description, a.owner, a.due)
            for a in self.actions
        }


class ImprovementCompleted(IncidentEvent):
    action_id: UUID
    note: str

    def apply(self, incident: IncidentState) -> None:
        action = incident.improvements[self.action_id]
        action.completed_at = self.at
        action.completed_by = self.actor
        action.note = self.note


class ReviewCommands(IncidentState):
    def record_review(
        self,
        *,
        at: datetime,
        by: Actor,
        root_cause: str,
        lessons: str,
        accountability: str,
        actions: list[Improvement],
    ) -> None:
        self._require(Status.CLOSED)
        if len({a.action_id for a in actions}) != len(actions):
            raise Invalid("duplicate_action_ids", "each improvement action needs an id of its own")
        self._record(
            ReviewRecorded,
            at,
            by,
            root_cause=root_cause,
            lessons=lessons,
            accountability=accountability,
            actions=actions,
        )

    def complete_improvement(self, *, at: datetime, by: Actor, action_id: UUID, note: str) -> None:
        try:
            action = self.improvements[action_id]
        except KeyError:
            raise NotFound("action_not_found", f"no improvement action {action_id}") from None
        if action.is_done:
            raise RuleBroken("improvement_already_completed", "the action is already completed")
        self._record(ImprovementCompleted, at, by, action_id=action_id, note=note)
