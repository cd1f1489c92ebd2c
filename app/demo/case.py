"""One incident of the demo. Each method runs the command it is named after through
`IncidentApp.execute`, so the product's own rules and role checks apply.
"""

from datetime import datetime, timedelta
from uuid import UUID

from app.demo.case_tasks import TaskCommands
from domain.actor import Actor
from domain.incident import Incident
from domain.review import Improvement
from domain.vocabulary import (
    CommandRole,
    ContactChannel,
    DismissReason,
    Resolution,
    ResponseStatus,
    Severity,
    StatementChannel,
)


class Case(TaskCommands):
    # -- intake -----------------------------------------------------------

    def verify(self, by: Actor, note: str) -> None:
        self.run(by, "verify", lambda i, at, by: i.verify(at=at, by=by, note=note))

    def dismiss(
        self, by: Actor, reason: DismissReason, note: str, duplicate_of: "Case | None" = None
    ) -> None:
        original = self.app.get_incident(duplicate_of.id) if duplicate_of else None
        self.run(
            by,
            "dismiss",
            lambda i, at, by: i.dismiss(
                at=at, by=by, reason=reason, duplicate_of=original, note=note
            ),
        )

    def link(self, by: Actor, crisis: "Case") -> None:
        parent = self.app.referenced(crisis.id)
        self.run(by, "link", lambda i, at, by: i.link(at=at, by=by, parent=parent))

    # -- leadership -------------------------------------------------------

    def grade(self, by: Actor, severity: Severity, scope: str, risk: str, rationale: str) -> None:
        self.run(
            by,
            "classify",
            lambda i, at, by: i.classify(
                at=at, by=by, severity=severity, scope=scope, risk=risk, rationale=rationale
            ),
        )

    def activate(self, by: Actor, plan: str, commander: str) -> None:
        self.run(
            by,
            "activate",
            lambda i, at, by: i.activate(at=at, by=by, plan=plan, commander=commander),
        )

    def assign(self, by: Actor, post: CommandRole, holder: str) -> None:
        self.run(
            by,
            "assign_role",
            lambda i, at, by: i.assign_role(at=at, by=by, command_role=post, person=holder),
        )

    def relieve(self, by: Actor, post: CommandRole) -> None:
        self.run(
            by, "relieve_role", lambda i, at, by: i.relieve_role(at=at, by=by, command_role=post)
        )

    # -- the field ----------------------------------------------------------

    def respond(
        self,
        by: Actor,
        note: str,
        status: ResponseStatus,
        *,
        customer_contacted: bool = False,
        happened_minutes_ago: float | None = None,
    ) -> None:
        """`happened_minutes_ago`: a field update sent late keeps when it really happened."""
        late = None if happened_minutes_ago is None else timedelta(minutes=happened_minutes_ago)
        self.run(
            by,
            "post_response",
            lambda i, at, by: i.post_response(
                at=at,
                by=by,
                note=note,
                status=status,
                customer_contacted=customer_contacted,
                occurred_at=None if late is None else at - late,
            ),
        )

    # -- the public and the customer -----------------------------------------

    def publish(
        self, by: Actor, channels: list[StatementChannel], text: str, approved_by: str
    ) -> None:
        self.run(
            by,
            "publish_statement",
            lambda i, at, by: i.publish_statement(
                at=at, by=by, channels=channels, text=text, approved_by=approved_by
            ),
        )

    def notify(self, by: Actor, channel: ContactChannel, message: str) -> None:
        self.run(
            by,
            "notify_customer",
            lambda i, at, by: i.notify_customer(at=at, by=by, channel=channel, message=message),
        )

    def call_back(
        self, by: Actor, satisfaction: int, comment: str, via: ContactChannel = ContactChannel.PHONE
    ) -> None:
        self.run(
            by,
            "record_callback",
            lambda i, at, by: i.record_callback(
                at=at, by=by, satisfaction=satisfaction, comment=comment, via=via
            ),
        )

    # -- the end of the case --------------------------------------------------

    def resolve(self, by: Actor, resolution: Resolution, summary: str) -> None:
        self.run(
            by,
            "resolve",
            lambda i, at, by: i.resolve(at=at, by=by, resolution=resolution, summary=summary),
        )

    def close(self, by: Actor, note: str) -> None:
        self.run(by, "close", lambda i, at, by: i.close(at=at, by=by, note=note))

    def reopen(self, by: Actor, reason: str) -> None:
        self.run(by, "reopen", lambda i, at, by: i.reopen(at=at, by=by, reason=reason))

    def review(
        self,
        by: Actor,
        *,
        root_cause: str,
        lessons: str,
        accountability: str,
        actions: list[tuple[str, str, float]],
    ) -> list[UUID]:
        """`actions`: (description, owner, due in days); returns the actions' ids."""
        action_ids = [self.app.new_id() for _ in actions]

        def decide(incident: Incident, at: datetime, by: Actor) -> None:
            planned = [
                Improvement(action_id, what, owner, at + timedelta(days=days))
                for action_id, (what, owner, days) in zip(action_ids, actions, strict=True)
            ]
            incident.record_review(
                at=at,
                by=by,
                root_cause=root_cause,
                lessons=lessons,
                accountability=accountability,
                actions=planned,
            )

        self.run(by, "record_review", decide)
        return action_ids

    def complete_improvement(self, by: Actor, action_id: UUID, note: str) -> None:
        self.run(
            by,
            "complete_improvement",
            lambda i, at, by: i.complete_improvement(at=at, by=by, action_id=action_id, note=note),
        )
