"""SAFE participation: every party's route on a date, and one party's decision with its trace.

The logic is :mod:`sdpatlas.eligibility`; this module only translates its values. Each answer
is built once by :mod:`sdpatlas.render.questions_safe`: the JSON of
``/api/v1/eligibility/{code}`` is ``sdpatlas eligibility CODE --format json``, the items of
``/api/v1/eligibility`` are ``sdpatlas eligibility --all --format json``, each CSV is the
command's CSV and the page's table is the same table.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sdpatlas.model import Dataset
from sdpatlas.render.jsonable import JSON
from sdpatlas.web._endpoint import Ctx, Endpoint, Result
from sdpatlas.web._errors import error
from sdpatlas.web._params import Param
from sdpatlas.web.views._common import CODE, schema, source_records

if TYPE_CHECKING:
    from sdpatlas.eligibility import RuleSet
    from sdpatlas.web._site import Site

# The engine is imported when a SAFE page is first asked for, not at start-up.

AS_OF = Param("as_of", "date", "Answer as of this date (YYYY-MM-DD; default: today).",
              example="2026-03-20")
COUNTRY = Param("country", "partner", "Show this party's decision under the table (code, "
                "name or alias).", example="CAN")
DECISION_KEYS = ("country", "as_of", "may_borrow", "may_join_common_procurement", "route",
                 "participation_agreement", "missing", "caveats", "trace")

_RULES: dict[tuple[str, str], RuleSet] = {}


def rules_for(data_dir: Path, data: Dataset) -> RuleSet:
    """The dataset's SAFE rules, read once per process and dataset version."""
    from sdpatlas.eligibility import load_rules

    key = (str(data_dir), data.content_hash)
    if key not in _RULES:
        _RULES[key] = load_rules(data_dir, data)
    return _RULES[key]


def served_rules(site: Site) -> RuleSet:
    """The dataset's SAFE rules for a page; ApiError ``no-rules`` when it has none usable."""
    from sdpatlas.eligibility import RulesError

    try:
        return rules_for(site.data_dir, site.data)
    except RulesError as exc:
        raise error("no-rules", f"this dataset's SAFE rules cannot be read: {exc.message}; "
                    "`sdpatlas validate` shows where") from None


def eligibility_view(ctx: Ctx) -> Result:
    """Every party's route into SAFE on the date; with ``country``, that party's answer too."""
    from sdpatlas.eligibility import evaluate_all
    from sdpatlas.eligibility._answer import answer_sentences
    from sdpatlas.render.questions_safe import decisions as decisions_answer
    from sdpatlas.render.questions_safe import horizon

    site = ctx.site
    on = ctx.args.day("as_of") or site.today
    rules = served_rules(site)
    decisions = evaluate_all(site.data, rules, on)
    answer = decisions_answer(decisions)
    code = ctx.args.text("country")
    chosen = next((d for d in decisions if d.country == code), None)
    payload: dict[str, JSON] = {"as_of": on.isoformat(), "items": answer.payload,
                                "decision": chosen.as_dict() if chosen else None}
    return Result(payload, "SAFE participation", table=answer.table, context={
        "decisions": decisions, "rows": answer.table.records(), "on": on, "chosen": chosen,
        "answer": answer_sentences(chosen) if chosen else (), "horizon": horizon(rules, on),
        "sources": source_records(site.data, _cited(chosen.as_dict()) if chosen else ())})


def decision_view(ctx: Ctx) -> Result:
    """One party's SAFE answer: route, rights, agreement stages, caveats and the trace."""
    from sdpatlas.eligibility import evaluate
    from sdpatlas.eligibility._answer import UNCHECKED_MARK, UNCHECKED_NOTE, answer_sentences
    from sdpatlas.render.questions_safe import decision as decision_answer
    from sdpatlas.render.questions_safe import horizon

    site = ctx.site
    on = ctx.args.day("as_of") or site.today
    rules = served_rules(site)
    decision = evaluate(site.data, rules, ctx.args.text("code") or "", on)
    answer = decision_answer(decision)
    payload = answer.payload
    assert isinstance(payload, dict)
    return Result(payload, f"{decision.name}: SAFE participation", table=answer.table,
                  context={"d": decision, "on": on,
                           "answer": (*answer_sentences(decision), *horizon(rules, on)),
                           "unchecked_mark": UNCHECKED_MARK, "unchecked_note": UNCHECKED_NOTE,
                           "sources": source_records(site.data, _cited(payload))})


def _cited(value: JSON) -> tuple[str, ...]:
    """Every source id a decision's JSON cites, first-cited first."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                found += [str(s) for s in item]
            else:
                found += _cited(item)
    elif isinstance(value, list):
        for item in value:
            found += _cited(item)
    return tuple(dict.fromkeys(found))


ENDPOINTS = (
    Endpoint(
        name="eligibility", view=eligibility_view, page="/eligibility",
        api="/api/v1/eligibility", template="eligibility.html", csv=True, nav="SAFE",
        params=(AS_OF, COUNTRY),
        summary="Who can take part in SAFE, on a date",
        description="For every party of the dataset: its route into SAFE common procurement "
                    "(member_state, treated_as_member_state, candidate, sdp or none), whether "
                    "it may borrow, its participation agreement and what is missing first, as "
                    "`sdpatlas eligibility --all` gives them. With `country`, `decision` holds "
                    "that party's full answer.",
        schema=schema("as_of", "items", "decision", lists=("items",))),
    Endpoint(
        name="eligibility-country", view=decision_view, section="eligibility",
        page="/eligibility/{code}", api="/api/v1/eligibility/{code}",
        template="eligibility_country.html", csv=True, params=(CODE, AS_OF),
        summary="One party's SAFE answer, with its trace",
        description="Whether and how the party can take part in SAFE on the date: `route`, "
                    "`may_borrow`, `may_join_common_procurement`, `participation_agreement` "
                    "and its `stages`, what is `missing`, `caveats` (discretionary ones "
                    "flagged) and the `trace`: every rule with its provision, sources, "
                    "confidence, outcome and the facts it used. The same JSON as `sdpatlas "
                    "eligibility CODE --format json`; the CSV is the trace. The answer is "
                    "the same for every date between two of the party's own dated facts (or "
                    "the rules' dates of application): `as_of` is the first day of that "
                    "period.",
        schema=schema(*DECISION_KEYS, lists=("missing", "caveats", "trace")),
        reads=("party",)),
)
