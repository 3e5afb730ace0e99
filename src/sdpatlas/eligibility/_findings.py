"""Finding kinds of the eligibility package: rules-file and bill-of-materials problems.

They extend :data:`sdpatlas.findings.KINDS` (which covers YAML syntax, field types,
unknown sources, parties and groups) with the codes only rules and bills of materials
need. Each finding has a stable code, a location (file, line, field) and a hint.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdpatlas import findings
from sdpatlas.errors import AtlasError
from sdpatlas.findings import FindingKind, Severity
from sdpatlas.render.words import count

KINDS: tuple[FindingKind, ...] = (
    FindingKind("unknown-milestone", Severity.ERROR,
                "A rule names a milestone that is not in milestones.yaml",
                "Use an id from milestones.yaml, or remove it from the stage's `milestones`."),
    FindingKind("unknown-act", Severity.ERROR, "A provision names an act not listed under `acts`",
                "Use the key of an act listed under `acts` (e.g. safe, tfeu)."),
    FindingKind("bad-window", Severity.ERROR, "A rule stops applying before it starts",
                "Make `applies.until` later than `applies.from`, or drop it."),
    FindingKind("rule-incomplete", Severity.ERROR, "A rule lacks what its kind needs",
                "See the comment at the top of data/rules/safe.yaml for what each kind needs."),
    FindingKind("bom-unreadable", Severity.ERROR, "The bill of materials cannot be read",
                "Give a UTF-8 CSV file with a header row."),
    FindingKind("bom-columns", Severity.ERROR, "The header lacks a required column",
                "Use the columns component, cost, origin and (optionally) supplier."),
    FindingKind("bom-cost", Severity.ERROR, "A cost is missing, not a number or negative",
                "Write the cost as a plain non-negative number, e.g. 1250.50 (no currency sign)."),
    FindingKind("bom-country", Severity.ERROR, "A country is missing or unknown",
                "Use an ISO 3166 code (DEU, DE) or an English country name."),
    FindingKind("bom-empty", Severity.ERROR, "The bill of materials has no cost to check",
                "Give at least one line with a cost above zero."),
)

_ALL = {kind.code: kind for kind in (*findings.KINDS, *KINDS)}


@dataclass(frozen=True)
class Finding(findings.Finding):
    """A located finding whose code may come from either registry."""

    @property
    def kind(self) -> FindingKind:
        """The registered kind of this finding."""
        return _ALL[self.code]


def finding(code: str, message: str, *, file: str = "", line: int | None = None,
            field: str = "", hint: str = "") -> Finding:
    """Build a finding of a registered kind; KeyError for an unregistered code."""
    kind = _ALL[code]
    return Finding(code=code, message=message, file=file, line=line, field=field,
                   hint=hint or kind.hint)


class RulesError(AtlasError):
    """The rules file could not be loaded; ``findings`` says why and where."""

    code = "rules-invalid"

    def __init__(self, problems: tuple[findings.Finding, ...]) -> None:
        self.findings = problems
        errors = [f for f in problems if f.severity is Severity.ERROR]
        first = str(errors[0]) if errors else "no details"
        super().__init__(f"{count(len(errors), 'error')} in the SAFE rules; first: {first}")


class BomError(AtlasError):
    """The bill of materials has bad rows; ``findings`` names each file and line."""

    code = "bom-invalid"

    def __init__(self, problems: tuple[Finding, ...], more: int = 0) -> None:
        self.findings = problems
        self.more = more
        first = str(problems[0]) if problems else "no details"
        total = len(problems) + more
        super().__init__(f"{count(total, 'problem')} in the bill of materials; first: {first}")
