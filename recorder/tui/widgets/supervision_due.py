"""Supervision due or overdue, in words, for the team view: a line naming who is overdue and
who is due within a week (``recorder.services.supervision.team_supervision``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from textual.content import Content

from recorder.tui.format import line

if TYPE_CHECKING:
    from recorder.services.supervision import WorkerSupervision


def overdue_line(names: Mapping[int, str], dues: "Mapping[int, WorkerSupervision]") -> Content:
    """Who is overdue for supervision and who is due within a week, in words: "Supervision
    overdue: Priya Raman (by 13 days). Due within 7 days: Tom Okafor (today, ASYE
    fortnightly)." """
    shown = sorted(
        (ws for ws in dues.values() if ws.worker_id in names),
        key=lambda ws: (ws.due.days, names[ws.worker_id]),
    )

    def who(ws: "WorkerSupervision") -> str:
        n = ws.due.days
        asye = f", ASYE {ws.due.band.split(' (')[0]}" if ws.asye else ""
        if n < 0:
            when = f"by {-n} day{'s' if n != -1 else ''}"
        elif n == 0:
            when = "today"
        else:
            when = f"in {n} day{'s' if n != 1 else ''}"
        return f"{names[ws.worker_id]} ({when}{asye})"

    late = [who(ws) for ws in shown if ws.due.days < 0]
    soon = [who(ws) for ws in shown if 0 <= ws.due.days <= 7]
    parts = [
        Content.assemble(line("Supervision overdue:", "bold"), " ", line("; ".join(late) + "."))
        if late
        else line("Supervision: nobody is overdue.", "bold")
    ]
    if soon:
        parts.append(
            Content.assemble(line("Due within 7 days:", "bold"), " ", line("; ".join(soon) + "."))
        )
    return Content(" ").join(parts)
