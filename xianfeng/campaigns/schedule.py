"""Real dates of a campaign: phases from offsets or fixed dates, tasks' deadlines and occurrences.

Pure functions over the template schema, no database. A template written for an old plan carries
that plan's fixed dates (2010-06-21 …); run again, the calendar keeps its shape and moves so that
the template's first fixed date falls on the campaign's start date, unless the dates are kept as
written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from xianfeng.campaigns.templating import schema as s

ONE_DAY = datetime.timedelta(days=1)
CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


@dataclass(frozen=True)
class PhaseDates:
    slug: str
    starts_on: datetime.date
    ends_on: datetime.date


def fixed_date_shift(
    template: s.CampaignTemplate, starts_on: datetime.date, *, keep_dates: bool
) -> datetime.timedelta:
    """How far the template's fixed dates move: its earliest phase date lands on `starts_on`."""
    fixed = [phase.starts.date for phase in template.phases if phase.starts.date is not None]
    if keep_dates or not fixed:
        return datetime.timedelta(0)
    return starts_on - min(fixed)


def phase_dates(phase: s.Phase, starts_on: datetime.date, shift: datetime.timedelta) -> PhaseDates:
    if phase.starts.date is not None:
        first = phase.starts.date + shift
    else:
        first = starts_on + datetime.timedelta(days=phase.starts.offset_days or 0)
    if phase.duration_days is not None:
        last = first + datetime.timedelta(days=phase.duration_days - 1)
    elif phase.ends is not None and phase.ends.date is not None:
        last = phase.ends.date + shift
    else:
        assert phase.ends is not None and phase.ends.offset_days is not None
        last = starts_on + datetime.timedelta(days=phase.ends.offset_days)
    return PhaseDates(phase.slug, first, max(first, last))


def campaign_phase_dates(
    template: s.CampaignTemplate, starts_on: datetime.date, *, keep_dates: bool = False
) -> list[PhaseDates]:
    shift = fixed_date_shift(template, starts_on, keep_dates=keep_dates)
    return [phase_dates(phase, starts_on, shift) for phase in template.phases]


def _clamp(day: datetime.date, first: datetime.date, last: datetime.date) -> datetime.date:
    return min(max(day, first), last)


def _periods(
    cadence: str, first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The periods of a recurring task inside a phase; the last one may be cut by the phase end."""
    starts: list[datetime.date] = []
    k = 0
    while True:
        if cadence == "weekly":
            start = first + datetime.timedelta(weeks=k)
        else:
            # Counted from the phase start each time, so 31 January → 28 February → 31 March.
            start = first + relativedelta(months=CADENCE_MONTHS[cadence] * k)
        if start > last:
            break
        starts.append(start)
        k += 1
    ends = [following - ONE_DAY for following in starts[1:]] + [last]
    return list(zip(starts, ends, strict=True))


def task_due_dates(
    task: s.Task, phase: PhaseDates, shift: datetime.timedelta
) -> list[datetime.date]:
    """One deadline per occurrence: once → one; weekly, monthly … → one per period in the phase."""
    due = task.due
    if task.cadence == "once":
        periods = [(phase.starts_on, phase.ends_on)]
    else:
        periods = _periods(task.cadence, phase.starts_on, phase.ends_on)
    dates = []
    for first, last in periods:
        if due is None or due.at_phase_end:
            dates.append(last)
        elif due.offset_days is not None:
            dates.append(_clamp(first + datetime.timedelta(days=due.offset_days), first, last))
        else:
            assert due.date is not None
            dates.append(_clamp(due.date + shift, first, last))
    return dates
