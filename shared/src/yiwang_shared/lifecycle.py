"""Declared state machines: every aggregate with a lifecycle (an application, a ticket, a catalogue
item, a bad-review case) states once which action leads from which state where, and everything else
— the refusal of a wrong action, the API's `allowed_actions`, the documentation — asks it.

    APPLICATION = Lifecycle(
        "application",
        states=get_args(ApplicationStatus),
        actions=get_args(ApplicationAction),
        transitions={"submitted": {"accept": "accepted", "withdraw": "withdrawn"}, ...},
    )
    APPLICATION.allowed("submitted")          # ["accept", "withdraw"] in the declared order
    APPLICATION.target("submitted", "accept")  # "accepted", or raises TransitionRefused

A service turns `TransitionRefused` into its own 409 problem, in Chinese, naming what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

StateT = TypeVar("StateT", bound=str)
ActionT = TypeVar("ActionT", bound=str)


class TransitionRefused(Exception):
    """An action that the aggregate's current state does not allow."""

    def __init__(self, lifecycle: str, state: str, action: str, allowed: list[str]) -> None:
        super().__init__(f"{lifecycle}: {action!r} is not allowed in {state!r} (allowed: {allowed})")
        self.lifecycle = lifecycle
        self.state = state
        self.action = action
        self.allowed = allowed


@dataclass(frozen=True)
class Edge:
    """One transition: `action` leads from `source` to `target`."""

    source: str
    action: str
    target: str


class Lifecycle(Generic[StateT, ActionT]):
    """The declared state machine of one kind of aggregate."""

    def __init__(
        self,
        name: str,
        *,
        states: Iterable[StateT],
        actions: Iterable[ActionT],
        transitions: Mapping[StateT, Mapping[ActionT, StateT]],
    ) -> None:
        self.name = name
        self.states: tuple[StateT, ...] = tuple(states)
        self.actions: tuple[ActionT, ...] = tuple(actions)
        self._check(transitions)
        order: dict[str, int] = {action: i for i, action in enumerate(self.actions)}
        self._moves: dict[str, dict[str, StateT]] = {
            state: dict(sorted(moves.items(), key=lambda item: order[item[0]]))
            for state, moves in transitions.items()
        }

    def _check(self, transitions: Mapping[StateT, Mapping[ActionT, StateT]]) -> None:
        # A typo in a table must fail at import, not as a silent "not allowed" at run time.
        states, actions = set(self.states), set(self.actions)
        for source, moves in transitions.items():
            if source not in states:  # not user-facing: raised at import, before any request
                raise ValueError(f"{self.name}: undeclared state {source!r}")
            for action, target in moves.items():
                if action not in actions:  # not user-facing
                    raise ValueError(f"{self.name}: undeclared action {action!r} from {source!r}")
                if target not in states:  # not user-facing
                    raise ValueError(f"{self.name}: undeclared state {target!r} after {action!r}")

    def allowed(self, state: str) -> list[ActionT]:
        """The actions `state` allows, in the declared order of actions."""
        return list(self._moves.get(state, {}))  # type: ignore[arg-type]

    def can(self, state: str, action: str) -> bool:
        """Whether `action` is allowed in `state`."""
        return action in self._moves.get(state, {})

    def target(self, state: str, action: str) -> StateT:
        """Where `action` leads from `state`; raises TransitionRefused when it is not allowed."""
        moves = self._moves.get(state, {})
        if action not in moves:
            raise TransitionRefused(self.name, state, action, list(moves))
        return moves[action]

    def sources(self, action: str) -> list[StateT]:
        """The states in which `action` is allowed, in the declared order of states."""
        return [state for state in self.states if action in self._moves.get(state, {})]

    @property
    def final_states(self) -> list[StateT]:
        """The states nothing leaves."""
        return [state for state in self.states if not self._moves.get(state)]

    def edges(self) -> list[Edge]:
        """Every transition, for documentation and tests."""
        return [
            Edge(source, action, target)
            for source in self.states
            for action, target in self._moves.get(source, {}).items()
        ]
