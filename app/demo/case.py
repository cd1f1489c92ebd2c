"""One incident of the demo. Each method runs the command it is named after through
`IncidentApp.execute`, so the product's own rules and role checks apply.
"""

from datetime import timedelta
from uuid import UUID

from app.demo.case_tasks import TaskCommands
from domain import commands
from domain.actor import Actor
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
        self.run(by, commands.verify(note=note))

    def dismiss(
        self, by: Actor, reason: DismissReason, note: str, duplicate_of: "Case | None" = None
    ) -> None:
        original = self.app.get_incident(duplicate_of.id) if duplicate_of else None
        self.run(by, commands.dismiss(reason=reason, duplicate_of=original, note=note))

    def link(self, by: Actor, crisis: "Case") -> None:
        parent = self.app.referenced(crisis.id)
        self.run(by, commands.link(parent=parent))

    # -- leadership -------------------------------------------------------

    def grade(self, by: Actor, severity: Severity, scope: str, risk: str, rationale: str) -> None:
        self.run(
            by, commands.classify(severity=severity, scope=scope, risk=risk, rationale=rationale)
        )

    def activate(self, by: Actor, plan: str, commander: str) -> None:
        self.run(by, commands.activate(plan=plan, commander=commander))

    def assign(self, by: Actor, post: CommandRole, holder: str) -> None:
        self.run(by, commands.assign_role(command_role=post, person=holder))

    def relieve(self, by: Actor, post: CommandRole) -> None:
        self.run(by, commands.relieve_role(command_role=post))

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
            commands.post_response(
                note=note,
                status=status,
                customer_contacted=customer_contacted,
                occurred_at=None if late is None else self.app.clock() - late,
            ),
        )

    # -- the public and the customer -----------------------------------------

    def publish(
        self, by: Actor, channels: list[StatementChannel], text: str, approved_by: str
    ) -> None:
        self.run(
            by, commands.publish_statement(channels=channels, text=text, approved_by=approved_by)
        )

    def notify(self, by: Actor, channel: ContactChannel, message: str) -> None:
        self.run(by, commands.notify_customer(channel=channel, message=message))

    def call_back(
        self, by: Actor, satisfaction: int, comment: str, via: ContactChannel = ContactChannel.PHONE
    ) -> None:
        self.run(by, commands.record_callback(satisfaction=satisfaction, comment=comment, via=via))

    # -- the end of the case --------------------------------------------------

    def resolve(self, by: Actor, resolution: Resolution, summary: str) -> None:
        self.run(by, commands.resolve(resolution=resolution, summary=summary))

    def close(self, by: Actor, note: str) -> None:
        self.run(by, commands.close(note=note))

    def reopen(self, by: Actor, reason: str) -> None:
        self.run(by, commands.reopen(reason=reason))

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

        now = self.app.clock()
        planned = [
            Improvement(action_id, what, owner, now + timedelta(days=days))
            for action_id, (what, owner, days) in zip(action_ids, actions, strict=True)
        ]
        self.run(
            by,
            commands.record_review(
                root_cause=root_cause,
                lessons=lessons,
                accountability=accountability,
                actions=planned,
            ),
        )
        return action_ids

    def complete_improvement(self, by: Actor, action_id: UUID, note: str) -> None:
        self.run(by, commands.complete_improvement(action_id=action_id, note=note))
