"""Query and path parameters: declared once, parsed, bounded, and described in OpenAPI.

A view lists its parameters as :class:`Param` records. The same records drive
parsing (:func:`parse`), the canonical form used for caching and links
(:meth:`Args.query`), and the OpenAPI schema (:func:`openapi_parameter`).
Names a user types (partners, areas, groups, clusters) are resolved with
:mod:`sdpatlas.names`; an unknown one is a 404 with suggestions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sdpatlas.model import Dataset
from sdpatlas.names import UnknownName, fold, resolve_area, resolve_group, resolve_party
from sdpatlas.render.jsonable import JSON
from sdpatlas.web._errors import error, unknown_name

__all__ = ["KINDS", "Args", "Param", "openapi_parameter", "parse"]

Value = str | int | bool | dt.date | None | tuple[str, ...] | tuple[int, ...]

KINDS = ("partner", "area", "group", "cluster", "choice", "date", "flag", "int", "text")
MAX_TEXT = 100          # longest single value accepted
MAX_ITEMS = 30          # most values of one repeatable parameter
MAX_PARAMS = 200        # most query parameters in one request
ONE_NAME = r"^[^,]*$"  # one name (several may also be given comma-separated; empty ones ignored)
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WHOLE = re.compile(r"(-?)0*([0-9]{1,9})(?:\.0+)?")


@dataclass(frozen=True)
class Param:
    """One parameter of a view: how it is parsed, bounded and documented."""

    name: str
    kind: str
    help: str
    many: bool = False
    where: str = "query"
    choices: tuple[str, ...] = ()
    default: Value = None
    minimum: int = 0
    maximum: int = 0
    max_items: int = MAX_ITEMS
    min_items: int = 0
    required: bool = False
    example: str | None = None
    options: Callable[[Dataset], tuple[str, ...]] | None = None  # documented values

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"parameter {self.name}: kind must be one of {KINDS}")


@dataclass(frozen=True)
class Args:
    """Parsed parameters in canonical form (codes, ids, keys), with the output format."""

    values: Mapping[str, Value]
    fmt: str = "html"
    path_given: Mapping[str, str] = field(default_factory=dict)
    params: tuple[Param, ...] = ()

    def text(self, name: str) -> str | None:
        """A single text value (a code, a key, a choice)."""
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def texts(self, name: str) -> tuple[str, ...]:
        """A repeatable text parameter's values."""
        value = self.values.get(name)
        return tuple(str(v) for v in value) if isinstance(value, tuple) else ()

    def ints(self, name: str) -> tuple[int, ...]:
        """A repeatable integer parameter's values (e.g. area ids)."""
        value = self.values.get(name)
        return tuple(int(v) for v in value) if isinstance(value, tuple) else ()

    def integer(self, name: str) -> int:
        """A single integer value (with its default applied)."""
        value = self.values.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def number(self, name: str) -> int | None:
        """A single integer value, or None when absent (e.g. an area id in the path)."""
        value = self.values.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def flag(self, name: str) -> bool:
        """A yes/no value."""
        return self.values.get(name) is True

    def day(self, name: str) -> dt.date | None:
        """A date value."""
        value = self.values.get(name)
        return value if isinstance(value, dt.date) else None

    def canonical_path(self) -> dict[str, str]:
        """Path parameters in canonical form (``uk`` → ``GBR``)."""
        return {p.name: _show(self.values[p.name]) for p in self.params if p.where == "path"}

    def key(self) -> tuple[tuple[str, str], ...]:
        """A hashable, canonical form of every value (for caches and ETags)."""
        return tuple((name, _show(value)) for name, value in sorted(self.values.items()))

    def query(self, **changes: Value) -> str:
        """The canonical query string with some values changed ('' when empty)."""
        merged = {**self.values, **changes}
        pairs: list[tuple[str, str]] = []
        for p in self.params:
            if p.where != "query" or p.name not in merged:
                continue
            value = merged[p.name]
            if value is False or value in (None, (), p.default):
                continue
            items = value if isinstance(value, tuple) else (value,)
            pairs += [(p.name, _show(v)) for v in items]
        return "?" + urlencode(pairs) if pairs else ""


def _show(value: Value | int | str) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def parse(data: Dataset, params: Sequence[Param], query: Sequence[tuple[str, str]],
          path: Mapping[str, str], fmt: str,
          snapshot: Callable[[dt.date], dt.date] | None = None) -> Args:
    """Validate and resolve a request's parameters; ApiError when one is bad.

    ``snapshot`` maps a date to the canonical date of its snapshot (see
    :mod:`sdpatlas.snapshots`): every answer is the same for both, so views compute, and
    caches and ETags key on, the canonical date.
    """
    if len(query) > MAX_PARAMS:
        raise error("too-many-parameters",
                    f"the query string has {len(query)} parameters; at most {MAX_PARAMS} "
                    "are accepted")
    values: dict[str, Value] = {}
    for p in params:
        if p.where == "path":
            values[p.name] = _one(data, p, path[p.name])
            continue
        raw = [v for k, v in query if k == p.name]
        value = _query_value(data, p, raw)
        if snapshot is not None and isinstance(value, dt.date):
            value = snapshot(value)
        values[p.name] = value
    return Args(values=values, fmt=fmt, params=tuple(params),
                path_given={p.name: path[p.name] for p in params if p.where == "path"})


def _query_value(data: Dataset, p: Param, raw: list[str]) -> Value:
    if not p.many:
        if len(raw) > 1:
            raise error("bad-parameter", f"give {p.name!r} once, not {len(raw)} times")
        return _one(data, p, raw[0]) if raw and raw[0] != "" else p.default
    items = _items(p, raw)
    resolved = [_one(data, p, item) for item in items if item]
    unique = tuple(dict.fromkeys(resolved))
    if all(isinstance(v, int) for v in unique):
        return tuple(int(v) for v in unique if isinstance(v, int))
    return tuple(str(v) for v in unique)


def _items(p: Param, raw: list[str]) -> list[str]:
    """The values of a repeatable parameter, each given once (an empty one is ignored)."""
    items: list[str] = []
    for value in raw:
        parts = [part.strip() for part in value.split(",")]
        if len(parts) > 1 and not all(parts):
            raise error("bad-parameter", f"{p.name!r} has an empty item in {value!r}; "
                        "separate values with single commas")
        items += parts
    if len(items) > p.max_items:
        raise error("bad-parameter", f"{p.name!r} takes at most {p.max_items} values, "
                    f"not {len(items)}")
    repeated = [item for item, count in Counter(items).items() if count > 1]
    if repeated:
        raise error("bad-parameter", f"{p.name!r} is given {repeated[0]!r} more than once; "
                    "give each value once")
    return items


def _one(data: Dataset, p: Param, text: str) -> str | int | bool | dt.date:
    longest = p.maximum if p.kind == "text" and p.maximum else MAX_TEXT
    if len(text) > longest:
        raise error("bad-parameter", f"{p.name!r} is {len(text)} characters long; "
                    f"at most {longest} are accepted")
    where = f"the {p.where} parameter {p.name!r}"
    try:
        if p.kind == "partner":
            return resolve_party(data, text).code
        if p.kind == "area":
            return resolve_area(data, text).id
        if p.kind == "group":
            return resolve_group(data, text).key
        if p.kind == "cluster":
            return _cluster(data, text)
    except UnknownName as exc:
        raise unknown_name(exc, where, p.options(data) if p.options else None) from exc
    return _plain(p, text, where)


def _plain(p: Param, text: str, where: str) -> str | int | bool | dt.date:
    if p.kind == "text":  # free text (``maximum``: its longest length), kept as given
        return text
    if p.kind == "choice":
        if text not in p.choices:
            code = "not-found" if p.where == "path" else "bad-parameter"
            raise error(code, f"{where} must be one of {', '.join(p.choices)}, not {text!r}",
                        p.choices)
        return text
    if p.kind == "flag":
        if text not in (*_TRUE, *_FALSE):
            raise error("bad-parameter", f"{where} must be 1 or 0, not {text!r}")
        return text in _TRUE
    if p.kind == "date":
        return _date(text, where)
    return _int(p, text, where)


def _date(text: str, where: str) -> dt.date:
    if not ISO_DATE.fullmatch(text):
        raise error("bad-parameter", f"{where} must be a date as YYYY-MM-DD, not {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise error("bad-parameter",
                    f"{where} must be a day of the calendar, not {text!r} ({exc})") from None


def _int(p: Param, text: str, where: str) -> int:
    whole = WHOLE.fullmatch(text)  # "60.0" is a whole number too (as JSON Schema says)
    if whole is None:
        raise error("bad-parameter", f"{where} must be a whole number, not {text!r}")
    number = int(whole.group(1) + whole.group(2))
    if not p.minimum <= number <= p.maximum:
        raise error("bad-parameter",
                    f"{where} must lie between {p.minimum} and {p.maximum}, not {number}")
    return number


def _cluster(data: Dataset, text: str) -> str:
    names = {fold(n): c.key for c in data.clusters for n in (c.key, c.label)}
    key = fold(text)
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    raise UnknownName("cluster", text, tuple(dict.fromkeys(names[c] for c in close)))


def openapi_parameter(p: Param, data: Dataset) -> dict[str, JSON]:
    """The OpenAPI 3.1 description of one parameter."""
    schema = _schema(p, data)
    if p.many:
        enum = schema.get("enum")
        if isinstance(enum, list) and not p.min_items:  # an empty item (as forms send) is ignored
            schema = {**schema, "enum": [*enum, ""]}
        schema = {"type": "array", "items": schema, "maxItems": p.max_items,
                  "uniqueItems": True}
        if p.min_items:
            schema["minItems"] = p.min_items
    out: dict[str, JSON] = {"name": p.name, "in": p.where,
                            "required": p.where == "path" or p.required,
                            "description": p.help, "schema": schema}
    if p.many:
        out["style"], out["explode"] = "form", True
    elif p.where == "query":
        out["allowEmptyValue"] = True  # an empty value means the default (as forms send it)
    if p.example is not None:
        out["example"] = [p.example] if p.many else p.example
    return out


def _schema(p: Param, data: Dataset) -> dict[str, JSON]:
    fixed: dict[str, dict[str, JSON]] = {
        "choice": _with_default({"type": "string", "enum": list(p.choices)}, p),
        "group": {"type": "string", "enum": [g.key for g in data.groups]},
        "cluster": {"type": "string", "enum": [c.key for c in data.clusters]},
        "date": {"type": "string", "format": "date"},
        "flag": {"type": "string", "enum": [v for v in (*_FALSE, *_TRUE) if v]},
        "int": _with_default({"type": "integer", "minimum": p.minimum, "maximum": p.maximum},
                             p),
        "text": {"type": "string", "maxLength": p.maximum or MAX_TEXT},
        "area": {"type": "string", "maxLength": MAX_TEXT, "pattern": ONE_NAME,
                 "description": "An area number (1–26), key or label."},
    }
    if p.kind in fixed:
        return fixed[p.kind]
    schema: dict[str, JSON] = {
        "type": "string", "maxLength": MAX_TEXT, "pattern": ONE_NAME,
        "description": "A partner's ISO 3166-1 alpha-3 code, name or alias."}
    if p.options is not None:  # the names that make sense here; others are refused with a reason
        schema["enum"] = list(p.options(data))
    return schema


def _with_default(schema: dict[str, JSON], p: Param) -> dict[str, JSON]:
    if isinstance(p.default, (str, int)) and not isinstance(p.default, bool):
        schema["default"] = p.default
    return schema
