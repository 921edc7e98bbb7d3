""""What would change the verdict": the smallest set of answer or measurement changes that
flips it. Single answer changes are tried first, then pairs (up to a budget of
evaluations); each measured rule gets the break-even value of its measurement.
Only rules that read a changed answer are re-evaluated, so the search stays cheap."""

from __future__ import annotations

import ast
import itertools
import math
from typing import Any

from chooser.decide.expressions import make_evaluator, wrap
from chooser.decide.questionnaire import Question, QuestionBank, resolve_answers
from chooser.decide.recommendation import LABELS, Change, WhatIf, score
from chooser.decide.rules import RuleResult, RuleSet, evaluate_rule

MAX_SHOWN = 8


def _alternatives(question: Question, current: Any, numbers: set[float]) -> list[tuple[Any, str]]:
    """(new value, description) for every single-step change of one answer."""
    labels = {o.value: o.label for o in question.options}
    if question.type == "yes_no":
        return [(not current, f"answer {'no' if current else 'yes'} to “{question.text}”")]
    if question.type == "single":
        return [(v, f"answer “{labels[v]}” to “{question.text}”")
                for v in question.option_values if v != current]
    if question.type == "multi":
        out = []
        for v in question.option_values:
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
    return [(n, f"answer {n:g} to “{question.text}”") for n in candidates
            if lo <= n <= hi and n != current]


def _numbers_compared(rules: RuleSet, question_id: str) -> set[float]:
    """Numeric constants that rules compare this answer with: the thresholds worth trying."""
    out: set[float] = set()
    for rule in rules.rules:
        if question_id not in rule.answer_ids:
            continue
        for checked in rule.checked():
            for node in ast.walk(checked.tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                        and not isinstance(node.value, bool):
                    out.add(float(node.value))
    return out


def what_would_change(bank: QuestionBank, rules: RuleSet, values: dict[str, Any],
                      origin: dict[str, str], names: dict[str, Any],
                      base: list[RuleResult], verdict: str, *, budget: int = 4000,
                      adjust: Any = None) -> tuple[list[WhatIf], str]:
    """``adjust(rule, result, answers)``, when given, is applied to every re-evaluated
    rule as it was to ``base`` (chooser.decide.evidence.gate)."""
    rule_by_id = {rule.id: rule for rule in rules.rules}
    extra = getattr(adjust, "answer_ids", set())  # answers the adjustment itself reads
    depends = {rule.id: rule.answer_ids | (extra if rule.trial_ids else set())
               for rule in rules.rules}
    given = {qid: v for qid, v in values.items() if origin[qid] != "hidden"}
    options: dict[str, list[tuple[Any, str]]] = {}
    for q in bank.questions:
        if origin[q.id] != "hidden" and any(q.id in ids for ids in depends.values()) \
                or origin[q.id] != "hidden" and _controls_visibility(bank, q.id):
            options[q.id] = _alternatives(q, values[q.id], _numbers_compared(rules, q.id))

    def attempt(changes: dict[str, Any]) -> tuple[str, dict[str, float], float]:
        new_values, _ = resolve_answers(bank, {**given, **changes})
        changed = {k for k in new_values if new_values[k] != values[k]}
        new_names = {**names, "answers": wrap(new_values, "answers")}
        evaluator = make_evaluator(new_names)
        results = [evaluate_rule(rule_by_id[r.id], new_names, evaluator=evaluator, evidence=False)
                   if depends[r.id] & changed else r for r in base]
        if adjust is not None:
            results = [adjust(rule_by_id[r.id], r, new_values) if depends[r.id] & changed
                       else r for r in results]
        return score(results)

    def flipped(new_verdict: str) -> bool:  # a tie is not a flip; leaving a tie is
        return new_verdict != "tie" if verdict == "tie" else new_verdict not in (verdict, "tie")

    found: list[WhatIf] = []
    evaluations = 0
    for qid, alts in options.items():
        for new, text in alts:
            evaluations += 1
            v, totals, margin = attempt({qid: new})
            if flipped(v):
                found.append(_what_if([(qid, values[qid], new, text)], v, totals, margin))
    note = f"searched every single answer change ({evaluations} tried)"
    if not found:
        pairs = list(itertools.combinations(options, 2))
        tried = 0
        for a, b in pairs:
            for (va, ta), (vb, tb) in itertools.product(options[a], options[b]):
                if tried >= budget:
                    break
                tried += 1
                v, totals, margin = attempt({a: va, b: vb})
                if flipped(v):
                    found.append(_what_if([(a, values[a], va, ta), (b, values[b], vb, tb)],
                                          v, totals, margin))
        complete = tried < budget
        note += (f"; no single answer flips it, so pairs were searched ({tried} tried"
                 f"{'' if complete else ', stopped at the search budget'})")
        if not found:
            note += "; no pair of answer changes flips it either"
    found.sort(key=lambda w: (len(w.changes), -w.margin, [c.path for c in w.changes]))
    measured = _measurement_changes(rules, base, verdict)
    return found[:MAX_SHOWN] + measured, note


def _controls_visibility(bank: QuestionBank, question_id: str) -> bool:
    return any(q._condition is not None and question_id in q._condition.answer_ids
               for q in bank.questions)


def _what_if(changes: list[tuple[str, Any, Any, str]], verdict: str, totals: dict[str, float],
             margin: float) -> WhatIf:
    return WhatIf(changes=[Change(kind="answer", path=f"answers.{qid}", current=old, new=new,
                                  description=text) for qid, old, new, text in changes],
                  verdict=verdict, totals=totals, margin=margin)


def _measurement_changes(rules: RuleSet, base: list[RuleResult], verdict: str) -> list[WhatIf]:
    """For each measured rule: the measurement at which the verdict would flip."""
    if verdict == "tie":
        return []
    _, totals, _ = score(base)
    lead = totals["torch"] - totals["tensorflow"]  # > 0: torch ahead
    out = []
    for result in base:
        rule = next(r for r in rules.rules if r.id == result.id)
        if rule.measure is None or result.status not in ("fired", "needs_trial"):
            continue
        m = rule.measure
        current = result.points["torch"] - result.points["tensorflow"]
        boundary = -(lead - current)  # this rule's signed score at which the totals tie
        if abs(boundary) >= m.cap:
            continue  # even the capped maximum cannot flip it
        value = boundary / m.weight
        threshold = 2 ** value if m.compare == "ratio" else value
        quantity = (f"({m.torch}) ÷ ({m.tensorflow})" if m.compare == "ratio"
                    else f"({m.torch}) − ({m.tensorflow})")
        side = "below" if lead > 0 else "above"
        now = (result.measured or {}).get("ratio" if m.compare == "ratio" else "difference")
        now_text = f"measured {now:.3g}" if now is not None else "not measured: " + result.detail
        new_totals = {"torch": round(totals["torch"] - result.points["torch"]
                                     + max(boundary, 0.0), 3),
                      "tensorflow": round(totals["tensorflow"] - result.points["tensorflow"]
                                          + max(-boundary, 0.0), 3)}
        other = "tensorflow" if lead > 0 else "torch"
        out.append(WhatIf(
            changes=[Change(kind="measurement", path=f"rule {rule.id}: {quantity}",
                            current=now, new=f"{side} {threshold:.3g}",
                            description=f"rule {rule.id}: if {quantity} came out {side} "
                                        f"{threshold:.3g} ({now_text}), {LABELS[other]} would "
                                        "lead (at exactly that value the scores tie)")],
            verdict=other, totals=new_totals, margin=0.0))
    return out
