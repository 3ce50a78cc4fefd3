"""Working hours and what happens when nobody answers in time: shared by flows (a business-hours
node, a transfer's fallback) and queues (opening hours, a timeout's fallback)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class FallbackAction(StrEnum):
    """What a transfer does when nobody takes the conversation in time."""

    ABANDON = "abandon"
    OVERFLOW = "overflow"
    RETURN_TO_FLOW = "return_to_flow"


@dataclass(frozen=True)
class OpeningHours:
    time_zone: str
    weekly: Mapping[int, tuple[tuple[time, time], ...]]
    """Weekday (0 Monday) to its opening intervals, local time."""
    holidays: frozenset[date] = frozenset()

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(ZoneInfo(self.time_zone))
        if local.date() in self.holidays:
            return False
        moment = local.time().replace(tzinfo=None)
        return any(
            opens <= moment < closes for opens, closes in self.weekly.get(local.weekday(), ())
        )

    def document(self) -> dict[str, Any]:
        """As the editor writes it: `{timeZone, weekly: {monday: [[opens, closes]]}, holidays}`."""
        return {
            "timeZone": self.time_zone,
            "weekly": {
                WEEKDAYS[day]: [
                    [opens.isoformat("minutes"), closes.isoformat("minutes")]
                    for opens, closes in intervals
                ]
                for day, intervals in sorted(self.weekly.items())
            },
            "holidays": sorted(holiday.isoformat() for holiday in self.holidays),
        }


@dataclass(frozen=True)
class ScheduleProblem:
    key: str
    """The field at fault: `timeZone`, `weekly.monday` or `holidays`."""
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def parse_opening_hours(data: Mapping[str, Any]) -> tuple[OpeningHours, list[ScheduleProblem]]:
    """Working hours in the editor's shape, and what is wrong with them; what cannot be read
    is left out (an unreadable time zone reads as UTC)."""
    problems: list[ScheduleProblem] = []
    zone = _time_zone(data.get("timeZone"), problems)
    weekly: dict[int, tuple[tuple[time, time], ...]] = {}
    schedule = data.get("weekly", {})
    if not isinstance(schedule, dict):
        problems.append(ScheduleProblem("weekly", "must map weekdays to [[opens, closes], ...]"))
        schedule = {}
    for day, intervals in schedule.items():
        if day not in WEEKDAYS or not isinstance(intervals, list):
            problems.append(
                ScheduleProblem(f"weekly.{day}", "must be a weekday with a list of [opens, closes]")
            )
            continue
        parsed = []
        for interval in intervals:
            try:
                opens, closes = (time.fromisoformat(part) for part in interval)
            except (TypeError, ValueError):
                problems.append(
                    ScheduleProblem(f"weekly.{day}", f"{interval!r} is not [HH:MM, HH:MM]")
                )
                continue
            if opens >= closes:
                problems.append(
                    ScheduleProblem(f"weekly.{day}", f"{interval!r} closes before it opens")
                )
                continue
            parsed.append((opens, closes))
        weekly[WEEKDAYS.index(day)] = tuple(parsed)
    holidays = frozenset(_holidays(data.get("holidays", []), problems))
    return OpeningHours(zone, weekly, holidays), problems


def _time_zone(value: object, problems: list[ScheduleProblem]) -> str:
    if value is None:
        return "UTC"
    if not isinstance(value, str) or not value.strip():
        problems.append(ScheduleProblem("timeZone", "must be a non-empty string"))
        return "UTC"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(ScheduleProblem("timeZone", f"'{value}' is not an IANA time zone"))
        return "UTC"
    return value


def _holidays(value: object, problems: list[ScheduleProblem]) -> set[date]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.append(ScheduleProblem("holidays", "must be a list of non-empty strings"))
        return set()
    holidays = set()
    for holiday in value:
        try:
            holidays.add(date.fromisoformat(holiday))
        except ValueError:
            problems.append(ScheduleProblem("holidays", f"'{holiday}' is not a YYYY-MM-DD date"))
    return holidays
