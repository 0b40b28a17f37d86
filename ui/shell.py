"""What the File-menu flows (import, export, model choice) need from the window they live in,
as an interface: they are handed the main window but know it only as a `Shell`, so the window
can import them without their importing it back."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .chat_view import ChatView


class Shell(Protocol):
    """A QWidget (dialogs are parented to it) that offers these."""

    chat: "ChatView"

    def notify(self, text: str) -> None:
        """A short notice in the status bar."""

    def show_problem(self, message: str, offer_model: bool = False) -> None:
        """Show the chat with `message` in it; the message stays in the status bar."""

    def set_state_tip(self, text: str) -> None:
        """The tooltip of the state label in the status bar (e.g. the model's path)."""
