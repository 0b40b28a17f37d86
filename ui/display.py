"""How memories, dates and errors read on screen."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from core.errors import MnemoError

log = logging.getLogger("mnemo.ui")

KIND_NAMES = {
    "turn": "chat",
    "note": "note",
    "day_summary": "day summary",
    "global_summary": "summary",
    "portrait": "portrait",
    "lesson": "lesson",
    "fact": "fact",
}

SOURCE_NAMES = {
    "chat": "chat",
    "quick_capture": "quick capture",
    "user": "typed note",
    "clipboard": "clipboard",
    "import": "import",
    "assistant": "Mnemo's answer",
}


def when_text(epoch: float | None) -> str:
    """Local date and time, e.g. 2026-05-01 09:30."""
    if epoch is None:
        return "—"
    return datetime.fromtimestamp(epoch, timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")


def short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(str(kind), str(kind))


def source_name(source: str) -> str:
    base, _, detail = str(source).partition(":")
    name = SOURCE_NAMES.get(base, base)
    return f"{name} ({detail})" if detail else name


def speaker_prefix(memory) -> str:
    """'You: ' / 'Mnemo: ' for chat turns, nothing for notes."""
    if memory.kind != "turn":
        return ""
    if memory.speaker:
        return f"{memory.speaker}: "
    return "Mnemo: " if memory.role == "assistant" else "You: "


def error_text(exc: BaseException) -> str:
    """A sentence a person understands. MnemoError messages are written for people already."""
    if isinstance(exc, MnemoError):
        return str(exc)
    log.error("unexpected error", exc_info=exc)
    detail = str(exc) or type(exc).__name__
    return f"Something unexpected went wrong ({detail}). Please try again; if it keeps happening, restart Mnemo."


JOB_TITLES = {
    "decay": "Decay sweep",
    "day_summaries": "Day summaries",
    "global_summary": "Overview",
    "portrait": "Portrait",
}


def percent(value: float) -> str:
    """0.834 -> '83%' (never '0%' for something still kept a little, never above 100%)."""
    value = min(1.0, max(0.0, float(value)))
    shown = round(value * 100)
    return "<1%" if shown == 0 and value > 0 else f"{shown}%"


def within(days: float) -> str:
    """How long until something happens: 'in 3 days', 'in 5 hours', 'within the hour'."""
    hours = days * 24
    if hours < 1:
        return "within the hour"
    if days < 1:
        n = round(hours)
        return f"in {n} hour{'s' if n != 1 else ''}"
    n = round(days)
    return f"in {n} day{'s' if n != 1 else ''}"


def job_text(result) -> str:
    """A core JobResult as a status-bar sentence: 'Decay sweep: checked 12 memories: 2 forgotten'."""
    title = JOB_TITLES.get(result.job, result.job)
    if not result.ran:
        return f"{title} is already running; it will show here when it is done."
    notice = getattr(result, "notice", None)
    return f"{title}: {result.detail}." + (f" {notice}" if notice else "")


def kept_text(memory, retention: float) -> str:
    """How well a memory is remembered, for the chat's "Memories used": 'kept 83%'."""
    if str(memory.state) == "pinned":
        return "pinned, never fades"
    if str(memory.kind) not in ("turn", "note"):
        return "never fades"
    return f"kept {percent(retention)}" + (" (fading)" if str(memory.state) == "fading" else "")


def show_feedback(label, text: str, style: str) -> None:
    """A dialog's one-line feedback, styled by objectName ("feedbackOk", "feedbackError")."""
    label.setText(text)
    label.setObjectName(style)
    label.style().unpolish(label)
    label.style().polish(label)
