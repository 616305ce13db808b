"""The outcome of a case's review under a criteria set's rules: plain data in, plain data out.

The rule, as the admin's help text states it too:

- An **exclusion** criterion is answered pass or fail. It passes when a strict majority of the
  reviewers who answered it pass it (two of three, two of two; one of two is a tie and fails).
  If any exclusion criterion fails, or nobody answered it, the case is **not eligible**.
- A **scored** criterion (core or qualifier) is answered 0 to its scale's maximum. Its mean is
  the mean of the reviewers' scores; a group's percentage is the weighted mean of mean / maximum
  over the group's criteria, times 100. A criterion nobody scored counts as 0; a group without
  criteria has 0 %.
- Eligible with core below the core threshold: **case study**. Core at or above it: **promising
  practice**. Core and qualifiers both at or above their thresholds: **best practice**.

Percentages are computed exactly (fractions) and compared with the thresholds before they are
rounded for display.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

EXCLUSION = "exclusion"
CORE = "core"
QUALIFIER = "qualifier"
GROUPS = (EXCLUSION, CORE, QUALIFIER)

RULE_HELP = _(
    "An exclusion criterion passes when a strict majority of the reviewers who answered it pass "
    "it (a tie fails); any failed exclusion criterion makes the case not eligible. A group's "
    "percentage is the weighted mean of each criterion's mean score divided by its scale maximum. "
    "Eligible cases below the core threshold are case studies; at or above it, promising "
    "practices; with the qualifiers also at or above their threshold, best practices."
)


class Result(enum.IntEnum):
    """The outcomes in order: a higher value is a better outcome."""

    NOT_ELIGIBLE = 0
    CASE_STUDY = 1
    PROMISING_PRACTICE = 2
    BEST_PRACTICE = 3

    @property
    def label(self) -> str:
        return str(RESULT_LABELS[self])


RESULT_LABELS = {
    Result.NOT_ELIGIBLE: _("Not eligible"),
    Result.CASE_STUDY: _("Case study"),
    Result.PROMISING_PRACTICE: _("Promising practice"),
    Result.BEST_PRACTICE: _("Best practice"),
}


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion as the outcome needs it. `scale_max` is ignored for exclusion criteria."""

    key: Hashable
    group: str
    scale_max: int = 4
    weight: int = 1

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"Unknown criterion group {self.group!r}")
        if self.group != EXCLUSION and self.scale_max < 1:
            raise ValueError("A scored criterion needs a scale maximum of at least 1")
        if self.weight < 1:
            raise ValueError("A criterion's weight is at least 1")


@dataclass(frozen=True)
class CriterionResult:
    key: Hashable
    group: str
    answers: int
    # Scored: the mean score (None when nobody scored it). Exclusion: the share of passes.
    mean: float | None
    # Exclusion only: whether a strict majority passed it.
    passed: bool | None = None


@dataclass(frozen=True)
class Outcome:
    result: Result
    exclusions_passed: bool
    core_percent: float
    qualifier_percent: float
    criteria: tuple[CriterionResult, ...]

    @property
    def label(self) -> str:
        return self.result.label


Answer = bool | int


def _group_percent(criteria: Sequence[CriterionSpec], means: Mapping[Hashable, Fraction | None]) -> Fraction:
    total_weight = sum(criterion.weight for criterion in criteria)
    if not total_weight:
        return Fraction(0)
    weighted = sum(
        (
            criterion.weight * ((means[criterion.key] or Fraction(0)) / criterion.scale_max)
            for criterion in criteria
        ),
        Fraction(0),
    )
    return weighted / total_weight * 100


def outcome(
    version_criteria: Sequence[CriterionSpec],
    scores_by_reviewer: Mapping[Hashable, Mapping[Hashable, Answer]],
    *,
    core_threshold_percent: int = 60,
    qualifier_threshold_percent: int = 60,
) -> Outcome:
    """The outcome of the reviewers' answers under the rule in this module's docstring.

    `scores_by_reviewer` maps each reviewer to their answers by criterion key: True / False for
    an exclusion criterion, an integer from 0 to the scale maximum for a scored one. A reviewer
    may leave a criterion out. An answer of the wrong kind, out of range, or for a criterion not
    in `version_criteria` raises ValueError.
    """
    by_key = {criterion.key: criterion for criterion in version_criteria}
    if len(by_key) != len(version_criteria):
        raise ValueError("Criterion keys must be unique")
    answers: dict[Hashable, list[Answer]] = {key: [] for key in by_key}
    for reviewer, scores in scores_by_reviewer.items():
        for key, answer in scores.items():
            criterion = by_key.get(key)
            if criterion is None:
                raise ValueError(f"Reviewer {reviewer!r} answered an unknown criterion {key!r}")
            if criterion.group == EXCLUSION:
                if not isinstance(answer, bool):
                    raise ValueError(f"Criterion {key!r} is answered pass (True) or fail (False)")
            elif (
                isinstance(answer, bool)
                or not isinstance(answer, int)
                or not 0 <= answer <= criterion.scale_max
            ):
                raise ValueError(f"Criterion {key!r} is scored 0 to {criterion.scale_max}")
            answers[key].append(answer)

    results = []
    means: dict[Hashable, Fraction | None] = {}
    exclusions_passed = True
    for criterion in version_criteria:
        given = answers[criterion.key]
        mean = Fraction(sum(int(answer) for answer in given), len(given)) if given else None
        means[criterion.key] = mean
        passed = None
        if criterion.group == EXCLUSION:
            passed = sum(1 for answer in given if answer) * 2 > len(given)
            exclusions_passed = exclusions_passed and passed
        results.append(
            CriterionResult(
                key=criterion.key,
                group=criterion.group,
                answers=len(given),
                mean=None if mean is None else float(mean),
                passed=passed,
            )
        )

    core = _group_percent([c for c in version_criteria if c.group == CORE], means)
    qualifier = _group_percent([c for c in version_criteria if c.group == QUALIFIER], means)
    if not exclusions_passed:
        result = Result.NOT_ELIGIBLE
    elif core < core_threshold_percent:
        result = Result.CASE_STUDY
    elif qualifier < qualifier_threshold_percent:
        result = Result.PROMISING_PRACTICE
    else:
        result = Result.BEST_PRACTICE
    return Outcome(
        result=result,
        exclusions_passed=exclusions_passed,
        core_percent=float(core),
        qualifier_percent=float(qualifier),
        criteria=tuple(results),
    )
