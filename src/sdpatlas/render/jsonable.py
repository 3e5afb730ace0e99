"""Model values as JSON-ready data (dates as ISO text, enums as their values)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum

from sdpatlas.model import PartialDate

JSON = None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]


def jsonable(value: object) -> JSON:
    """Convert a model value (dataclass, tuple, enum, date …) to plain JSON data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (PartialDate, Enum, dt.date)):
        return value.value if isinstance(value, Enum) else str(value)
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot convert {type(value).__name__} to JSON")
