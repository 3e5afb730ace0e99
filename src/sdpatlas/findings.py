"""Validation findings as data: a registry of kinds, each with a stable code.

Every problem the loader can report is one :class:`FindingKind` in :data:`KINDS`.
Help output, docs and tests read this registry; tests assert codes and
locations, never prose.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sdpatlas.errors import AtlasError


class Severity(StrEnum):
    """How serious a finding is: errors stop the load, the rest inform."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: stable code, severity, title and a default hint."""

    code: str
    severity: Severity
    title: str
    hint: str


KINDS: tuple[FindingKind, ...] = (
    FindingKind("yaml-syntax", Severity.ERROR, "The file is not valid YAML",
                "Fix the YAML syntax near the line shown (indentation, quotes, colons)."),
    FindingKind("yaml-alias", Severity.ERROR, "The file uses a YAML anchor or alias",
                "Write the value out in full; data files may not use `&anchors` or `*aliases`."),
    FindingKind("bad-character", Severity.ERROR,
                "The file holds a control character (such as NUL) or a lone surrogate",
                "Delete the character at the line shown; data files are plain UTF-8 text."),
    FindingKind("bad-encoding", Severity.ERROR, "The file is not valid UTF-8",
                "Save the file as UTF-8 (the line shows where the first bad byte is)."),
    FindingKind("number-too-large", Severity.ERROR, "A number does not fit a 64-bit value",
                "Use a whole number between -9223372036854775808 and 9223372036854775807 "
                "and a finite decimal, or quote the value if it is text."),
    FindingKind("not-a-dataset", Severity.ERROR, "The folder is not an SDP Atlas data folder",
                "Point --data or SDPATLAS_DATA at a folder holding taxonomy.yaml "
                "(see data/README.md)."),
    FindingKind("unreadable", Severity.ERROR, "A data file or folder cannot be read",
                "Make it readable (check its permissions) or remove it."),
    FindingKind("special-file", Severity.ERROR,
                "A data file is not a regular file (FIFO, socket, device or stray link)",
                "Replace it by a regular file; links may only lead to files inside the "
                "data folder."),
    FindingKind("file-too-large", Severity.ERROR, "A data file is larger than the limit",
                "Split the file or remove what does not belong; see data/README.md (Limits)."),
    FindingKind("dataset-too-large", Severity.ERROR,
                "The data folder holds more files or bytes than the limits",
                "Point --data at the dataset itself; see data/README.md (Limits)."),
    FindingKind("duplicate-key", Severity.ERROR, "A mapping repeats a key",
                "Keep one of the entries; YAML would silently drop the other."),
    FindingKind("missing-file", Severity.ERROR, "A required data file is missing",
                "Create the file; see data/README.md for its shape."),
    FindingKind("wrong-type", Severity.ERROR, "A value has the wrong type",
                "Use the type named in the message; see data/README.md."),
    FindingKind("missing-field", Severity.ERROR, "A required field is absent",
                "Add the field; see data/README.md."),
    FindingKind("unknown-field", Severity.ERROR, "A field is not part of the schema",
                "Remove it or fix its spelling; unknown fields are never silently dropped."),
    FindingKind("bad-value", Severity.ERROR, "A value is not one of the allowed ones",
                "Use one of the allowed values listed in the message."),
    FindingKind("bad-date", Severity.ERROR, "A date is not ISO 8601",
                "Write YYYY-MM-DD, or YYYY-MM / YYYY when only that much is known."),
    FindingKind("out-of-range", Severity.ERROR, "A number or date is outside its allowed range",
                "Use a value in the range the message names."),
    FindingKind("date-range", Severity.ERROR, "A period ends before it starts",
                "Swap or correct the dates so that `until` is not before `since`."),
    FindingKind("bad-url", Severity.ERROR, "A URL is not a web address",
                "Use an absolute http:// or https:// address."),
    FindingKind("duplicate-id", Severity.ERROR, "Two records share an id",
                "Give each record its own id."),
    FindingKind("unknown-source", Severity.ERROR, "A fact cites a source id that does not exist",
                "Add the source to sources.yaml or fix the id."),
    FindingKind("missing-source", Severity.ERROR, "A fact cites no source",
                "Add `sources: [id]` naming where the fact comes from."),
    FindingKind("unknown-area", Severity.ERROR, "An area id is not in the taxonomy",
                "Use an area id from 1 to 26 (see taxonomy.yaml)."),
    FindingKind("unknown-party", Severity.ERROR, "A party code is not in parties.yaml",
                "Add the party to parties.yaml or fix the code."),
    FindingKind("unknown-group", Severity.ERROR, "A group key is not in groups.yaml",
                "Use a key from groups.yaml."),
    FindingKind("unknown-cluster", Severity.ERROR, "An area names a cluster that does not exist",
                "Use a cluster key from taxonomy.yaml."),
    FindingKind("file-name-mismatch", Severity.ERROR,
                "A partnership file is not named by its partner",
                "Name the file after the partner code, e.g. partnerships/NOR.yaml."),
    FindingKind("unversioned", Severity.WARNING, "The dataset has no version",
                "Add dataset.yaml with `version: YYYY.MM.N` and `coverage: YYYY-MM-DD` "
                "(see data/README.md), then run `sdpatlas changelog`."),
    FindingKind("bad-version", Severity.ERROR, "The dataset's version or coverage is malformed",
                "Write `version: YYYY.MM.N` (e.g. 2026.12.0) and `coverage:` as a full date."),
    FindingKind("changelog-missing", Severity.ERROR,
                "The data changelog has no entry for the dataset's version",
                "Run `sdpatlas changelog` to record this version and what changed in it."),
    FindingKind("version-not-moved", Severity.ERROR,
                "The data changed since its version was recorded",
                "Raise `version` in dataset.yaml (e.g. 2026.12.0 → 2026.12.1) and run "
                "`sdpatlas changelog`."),
    FindingKind("coverage-incomplete", Severity.ERROR, "A signed SDP does not code every area",
                "Code every area of the taxonomy; write `unknown` where not yet assessed."),
    FindingKind("coverage-unexpected", Severity.ERROR, "A prospective partnership codes coverage",
                "Only signed agreements have coverage; remove it or set status: signed."),
    FindingKind("signed-without-date", Severity.ERROR, "A signed SDP has no `signed` event",
                "Add an event `kind: signed` with its date."),
    FindingKind("event-order", Severity.WARNING, "Lifecycle events are not in date order",
                "List events oldest first."),
    FindingKind("bad-conflict", Severity.ERROR, "A conflict is malformed",
                "Give it at least two claims, exactly one with `preferred: true`, and a reason."),
    FindingKind("conflict-mismatch", Severity.ERROR,
                "A conflict's preferred claim disagrees with the dataset",
                "Make the data and the preferred claim agree, or change which one is preferred."),
    FindingKind("unknown-reference", Severity.ERROR,
                "A conflict points at something that is not there",
                "Use entity `partnership:XXX`, `party:XXX`, `instrument:ID` or `milestone:ID`."),
    FindingKind("conflicting-claim", Severity.INFO, "Sources disagree on a fact",
                "Kept as data; the preferred claim is used. See conflicts.yaml."),
    FindingKind("unused-source", Severity.WARNING, "A source is never cited",
                "Cite it from a fact or remove it."),
)

_BY_CODE = {kind.code: kind for kind in KINDS}


@dataclass(frozen=True)
class Finding:
    """A located finding: what, where (file, line, field) and how to fix it."""

    code: str
    message: str
    file: str = ""
    line: int | None = None
    field: str = ""
    hint: str = ""

    @property
    def kind(self) -> FindingKind:
        """The registered kind of this finding."""
        return _BY_CODE[self.code]

    @property
    def severity(self) -> Severity:
        """The severity of the finding's kind."""
        return self.kind.severity

    @property
    def location(self) -> str:
        """``file:line`` (or just the file) for messages."""
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "hint": self.hint or self.kind.hint,
        }

    def __str__(self) -> str:
        where = f"{self.location}: " if self.file else ""
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{self.severity} {self.code}{field}: {self.message}"


def finding(code: str, message: str, **where: object) -> Finding:
    """Build a finding of a registered kind; KeyError for an unregistered code."""
    kind = _BY_CODE[code]
    hint = str(where.pop("hint", kind.hint))
    line = where.pop("line", None)
    return Finding(
        code=code,
        message=message,
        file=str(where.pop("file", "")),
        line=line if isinstance(line, int) else None,
        field=str(where.pop("field", "")),
        hint=hint,
    )


class DatasetError(AtlasError):
    """The dataset could not be loaded; ``findings`` says why and where."""

    code = "dataset-invalid"

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        self.findings = findings
        errors = [f for f in findings if f.severity is Severity.ERROR]
        first = str(errors[0]) if errors else "no details"
        super().__init__(f"{len(errors)} error(s) in the dataset; first: {first}")
