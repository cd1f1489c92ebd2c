"""What leadership decides about an incident: its grade, the response plan and
who holds which post in the command structure."""

from datetime import datetime

from domain.actor import Actor
from domain.errors import RuleBroken
from domain.event import IncidentEvent
from domain.state import ACTIVE, IncidentState
from domain.vocabulary import CommandRole, Kind, Severity, Status

GRADABLE = (Kind.COMPLAINT, Kind.CRISIS)


class Classified(IncidentEvent):
    severity: Severity
    scope: str
    risk: str
    rationale: str

    def apply(self, incident: IncidentState) -> None:
        incident.severity = self.severity
        incident.scope = self.scope
        incident.risk = self.risk
        if incident.kind is Kind.COMPLAINT:
            incident.kind = Kind.CRISIS  # grading a complaint escalates it
        if incident.status is Status.VERIFIED:
            incident.status = Status.RESPONDING


class CommandActivated(IncidentEvent):
    plan: str
    commander: str

    def apply(self, incident: IncidentState) -> None:
        incident.plan = self.plan
        incident.commander = self.commander
        incident.roles[CommandRole.COMMANDER] = self.commander
        incident.status = Status.RESPONDING


class RoleAssigned(IncidentEvent):
    command_role: CommandRole
    person: str

    def apply(self, incident: IncidentState) -> None:
        incident.roles[self.command_role] = self.person
        if self.command_role is CommandRole.COMMANDER:
            incident.commander = self.person


class RoleRelieved(IncidentEvent):
    command_role: CommandRole
    person: str

    def apply(self, incident: IncidentState) -> None:
        del incident.roles[self.command_role]
        if self.command_role is CommandRole.COMMANDER:
            incident.commander = None


class LeadershipCommands(IncidentState):
    def classify(
        self, *, at: datetime, by: Actor, severity: Severity, scope: str, risk: str, rationale: str
    ) -> None:
        # Re-grading is allowed at every open stage after verification.
        self._require(*ACTIVE, Status.RESOLVED)
        if self.kind not in GRADABLE:
            raise RuleBroken("not_gradable", f"a {self.kind.value} is not graded")
        self._record(
            Classified, at, by, severity=severity, scope=scope, risk=risk, rationale=rationale
        )

    def activate(self, *, at: datetime, by: Actor, plan: str, commander: str) -> None:
        self._require(*ACTIVE)
        if self.severity is None:
            raise RuleBroken("not_graded", "the plan can only be activated on a graded incident")
        if self.plan is not None:
            raise RuleBroken("plan_already_active", f"the plan {self.plan} is already active")
        self._record(CommandActivated, at, by, plan=plan, commander=commander)

    def assign_role(
        self, *, at: datetime, by: Actor, command_role: CommandRole, person: str
    ) -> None:
        self._require_plan()
        if self.roles.get(command_role) == person:
            raise RuleBroken("role_already_held", f"{person} already holds {command_role.value}")
        self._record(RoleAssigned, at, by, command_role=command_role, person=person)

    def relieve_role(self, *, at: datetime, by: Actor, command_role: CommandRole) -> None:
        self._require_plan()
        if command_role not in self.roles:
            raise RuleBroken("role_not_assigned", f"nobody holds {command_role.value}")
        person = self.roles[command_role]
        self._record(RoleRelieved, at, by, command_role=command_role, person=person)

    def _require_plan(self) -> None:
        self._require(*ACTIVE, Status.RESOLVED)
        if self.plan is None:
            raise RuleBroken("plan_not_active", "activate the response plan before naming roles")
