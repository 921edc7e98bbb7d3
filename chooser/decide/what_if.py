""" "What would change the verdict": the smallest set of answer or measurement changes that
flips it. Single answer changes are tried first, then pairs (up to a budget of
evaluations); each measured rule is checked for whether a clearly different measurement
would flip it. Changes are grouped: choices the user can still make, facts about the team
or its hardware (questions with ``kind: fact``), and measurements. An option marked
``unmaintained`` is never proposed. Only rules that read a changed answer are re-evaluated."""

from __future__ import annotations

import ast
import itertools
import math
from collections.abc import Callable
from typing import Any, Literal

from chooser.decide.answers import resolve_answers
from chooser.decide.criteria import EITHER, NONE, UNDECIDED
from chooser.decide.evaluation import make_evaluator, wrap
from chooser.decide.questionnaire import Question, QuestionBank
from chooser.decide.recommendation import LABELS, Change, WhatIf
from chooser.decide.rule_results import RuleResult, evaluate_rule, with_neutral
from chooser.decide.rules import RuleSet
from chooser.decide.scoring import Tally, tally, weigh

MAX_SHOWN = 8


def _alternatives(question: Question, current: Any, numbers: set[float]) -> list[tuple[Any, str]]:
    """(new value, description) for every single-step change of one answer."""
    labels = {o.value: o.label for o in question.options}
    never = {o.value for o in question.options if o.unmaintained} | UNDECIDED
    if question.type == "yes_no":
        return [(not current, f"answer {'no' if current else 'yes'} to “{question.text}”")]
    if question.type == "single":
        return [
            (v, f"answer “{labels[v]}” to “{question.text}”")
            for v in question.option_values
            if v != current and v not in never
        ]
    if question.type == "multi":
        out = []
        for v in question.option_values:
            if v in never and v not in current:
                continue
            if v in current:
                new = [o for o in current if o != v]
                out.append((new, f"drop “{labels[v]}” from “{question.text}”"))
            else:
                new = [o for o in question.option_values if o in current or o == v]
                out.append((new, f"add “{labels[v]}” to “{question.text}”"))
        return out
    candidates = sorted({n + d for n in numbers for d in (-1, 0, 1)} | {question.default})
    lo = question.min if question.min is not None else -math.inf
    hi = question.max if question.max is not None else math.inf
    return [
        (n, f"answer {n:g} to “{question.text}”")
        for n in candidates
        if lo <= n <= hi and n != current
    ]


def _numbers_compared(rules: RuleSet, question_id: str) -> set[float]:
    """Numeric constants that rules compare this answer with: the thresholds worth trying."""
    out: set[float] = set()
    for rule in rules.rules:
        if question_id not in rule.answer_ids:
            continue
        for checked in rule.checked_exprs():
            for node in ast.walk(checked.tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, (int, float))
                    and not isinstance(node.value, bool)
                ):
                    out.add(float(node.value))
    return out


def what_would_change(
    bank: QuestionBank,
    rules: RuleSet,
    values: dict[str, Any],
    origin: dict[str, str],
    names: dict[str, Any],
    base: list[RuleResult],
    verdict: str,
    *,
    budget: int = 4000,
    adjust: Callable[[RuleResult, dict[str, Any]], RuleResult] | None = None,
    adjust_reads: frozenset[str] = frozenset(),
) -> tuple[list[WhatIf], str]:
    """``adjust(result, answers)``, when given, is applied to every re-evaluated rule after
    weighing, as it was to ``base`` (chooser.decide.evidence.gate); it reads the answers
    ``adjust_reads`` for rules that read trials."""
    rule_by_id = {rule.id: rule for rule in rules.rules}
    depends = {
        rule.id: rule.answer_ids | (set(adjust_reads) if rule.trial_ids else set())
        for rule in rules.rules
    }
    given = {qid: v for qid, v in values.items() if origin[qid] in ("answered", "probe")}
    options: dict[str, list[tuple[Any, str]]] = {}
    for q in bank.questions:
        if origin[q.id] != "hidden" and (
            any(q.id in ids for ids in depends.values()) or _controls_visibility(bank, q.id)
        ):
            options[q.id] = _alternatives(q, values[q.id], _numbers_compared(rules, q.id))
    facts = {q.id for q in bank.questions if q.kind == "fact"}

    def attempt(changes: dict[str, Any]) -> Tally:
        new_values, new_origin = resolve_answers(bank, {**given, **changes})
        changed = {k for k in new_values if new_values[k] != values[k]} | set(changes)
        new_names = {**names, "answers": wrap(new_values, "answers")}
        evaluator = make_evaluator(new_names)
        results = [
            evaluate_rule(rule_by_id[r.id], new_names, evaluator=evaluator, evidence=False)
            if depends[r.id] & changed
            else r
            for r in base
        ]
        results = weigh(rules, results, new_origin)
        if adjust is not None:
            results = [adjust(r, new_values) if depends[r.id] & changed else r for r in results]
        return tally(rules, results)

    def flipped(t: Tally) -> bool:  # "either" is not a flip; leaving "either" is
        return t.verdict not in (verdict, EITHER, NONE)

    found: list[WhatIf] = []
    evaluations = 0
    for qid, alts in options.items():
        for new, text in alts:
            evaluations += 1
            t = attempt({qid: new})
            if flipped(t):
                found.append(_what_if([(qid, values[qid], new, text)], t, facts))
    note = f"searched every single answer change ({evaluations} tried)"
    if not found:
        tried = 0
        for a, b in itertools.combinations(options, 2):
            for (va, ta), (vb, tb) in itertools.product(options[a], options[b]):
                if tried >= budget:
                    break
                tried += 1
                t = attempt({a: va, b: vb})
                if flipped(t):
                    found.append(
                        _what_if([(a, values[a], va, ta), (b, values[b], vb, tb)], t, facts)
                    )
        complete = tried < budget
        note += (
            f"; no single answer flips it, so pairs were searched ({tried} tried"
            f"{'' if complete else ', stopped at the search budget'})"
        )
        if not found:
            note += "; no pair of answer changes flips it either"
    found.sort(
        key=lambda w: (w.group != "choice", len(w.changes), -w.margin, [c.path for c in w.changes])
    )
    choices = [w for w in found if w.group == "choice"][:MAX_SHOWN]
    fact_changes = [w for w in found if w.group == "fact"][:MAX_SHOWN]
    return choices + fact_changes + _measurement_changes(rules, base, verdict), note


def _controls_visibility(bank: QuestionBank, question_id: str) -> bool:
    return any(
        q._condition is not None and question_id in q._condition.answer_ids for q in bank.questions
    )


def _what_if(changes: list[tuple[str, Any, Any, str]], t: Tally, facts: set[str]) -> WhatIf:
    group: Literal["fact", "choice"] = (
        "fact" if any(qid in facts for qid, *_ in changes) else "choice"
    )
    return WhatIf(
        changes=[
            Change(kind="answer", path=f"answers.{qid}", current=old, new=new, description=text)
            for qid, old, new, text in changes
        ],
        group=group,
        verdict=t.verdict,
        totals=t.totals,
        margin=t.margin,
    )


def _measurement_changes(rules: RuleSet, base: list[RuleResult], verdict: str) -> list[WhatIf]:
    """For each measured rule (run or still waiting for its trials): would a measurement that
    clearly favoured another framework (score 1 for it, 0 for the rest) flip the verdict?"""
    current = tally(rules, base)
    out = []
    for result in base:
        rule = next(r for r in rules.rules if r.id == result.id)
        if (
            rule.measure is None
            or result.status not in ("fired", "needs_trial")
            or not result.weighed
        ):
            continue
        for fw in current.standing:
            if fw == verdict or fw not in rule.measure.values:  # it measures only those listed
                continue
            scores = with_neutral({other: float(other == fw) for other in rule.measure.values})
            swapped = [
                r.model_copy(update={"status": "fired", "scores": scores})
                if r.id == result.id
                else r
                for r in base
            ]
            t = tally(rules, swapped)
            if t.verdict not in (verdict, EITHER, NONE):
                gap = "halving" if rule.measure.compare == "ratio" else "gap"
                out.append(
                    WhatIf(
                        group="measurement",
                        verdict=t.verdict,
                        totals=t.totals,
                        margin=t.margin,
                        changes=[
                            Change(
                                kind="measurement",
                                path=f"rule {rule.id}",
                                current=(result.measured or {}).get(fw),
                                new=f"{LABELS[fw]} best by a clear {gap}",
                                description=f"rule {rule.id}: if the measurement came out "
                                f"clearly in {LABELS[fw]}'s favour (the others a full "
                                f"{rule.measure.span:g} {gap} behind), {LABELS[t.verdict]}"
                                " would lead",
                            )
                        ],
                    )
                )
    return out
