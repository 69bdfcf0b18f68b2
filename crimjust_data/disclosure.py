"""Small-cell suppression for donor exports: no small group of defendants can be singled out.

The rule, stated once (and printed in every export's methods section):
- a case count from 1 to threshold - 1 is shown as '<threshold' (0 stays 0: nobody to single out);
- a rate is withheld when its numerator, its denominator or their difference is such a count,
  or its denominator is below the threshold (a rate of 2/40 tells the count as well as '2');
- in a table of case counts, a stage count is withheld when the cases lost since the stage
  before are such a count;
- then secondary (complementary) suppression: a report's counts add up (years to a country's
  total, countries to a region's, outcomes to the cases opened, a rate times its n to its
  numerator), so further counts are withheld until no withheld count, and no small difference,
  can be worked out from what is shown (`Linked`).
Seizure figures (kg, events) describe consignments, not people, and are never suppressed.
A threshold of 0 turns suppression off (analysts' own exports).
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crimjust_data import i18n
from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import N_, _

DEFAULT_THRESHOLD = 5
THRESHOLD_SETTING = "CRIMJUST_SMALL_CELL_THRESHOLD"
WITHHELD = N_("withheld")


def configured_threshold() -> int:
    """The deployment's threshold: CRIMJUST_SMALL_CELL_THRESHOLD, else 5."""
    text = os.environ.get(THRESHOLD_SETTING, "").strip()
    if not text:
        return DEFAULT_THRESHOLD
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise CrimjustError(
            _("{setting} must be a whole number, 0 or more, not {value!r}").format(
                setting=THRESHOLD_SETTING, value=text
            )
        )
    return value


def rule_text(threshold: int) -> str:
    """The suppression rule in one sentence, for methods sections and header blocks."""
    if threshold <= 1:
        return _("No small-cell suppression: every case count is shown as recorded.")
    return _(
        "Case counts from 1 to {largest} are shown as '<{threshold}', and a rate is withheld "
        "when its numerator, its denominator or their difference is such a count, or its "
        "denominator is below {threshold}. A stage count is also withheld when the cases lost "
        "since the stage before are such a count. Then, because the tables add up (years to a "
        "country's total, outcomes to the cases opened, countries to their region, a rate "
        "times its n to its numerator), further counts are withheld, the smallest at the most "
        "detailed level first, until none of those can be worked out by subtraction from what "
        "is shown: complementary suppression (Hundepool et al., Statistical Disclosure "
        "Control, Wiley 2012, chapter 4), checked by solving the published sums as "
        "tau-ARGUS audits a table. This is so that no small group of defendants can be "
        "singled out. Seizure figures are not suppressed."
    ).format(largest=threshold - 1, threshold=threshold)


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def count_text(count: int, threshold: int) -> str:
    """'<5' for a small count, else the count with thousands separators."""
    return f"<{threshold}" if is_small(count, threshold) else i18n.integer(count)


def rate_withheld(successes: int, n: int, threshold: int) -> bool:
    if threshold <= 1:
        return False
    return n < threshold or is_small(successes, threshold) or is_small(n - successes, threshold)


def mask_counts(frame: pd.DataFrame, columns: Iterable[str], threshold: int) -> pd.DataFrame:
    """A copy with small counts in `columns` replaced by '<threshold' (columns become text)."""
    masked = frame.copy()
    if threshold <= 1:
        return masked
    for column in columns:
        values = masked[column].astype("int64")
        masked[column] = [
            f"<{threshold}" if is_small(int(v), threshold) else int(v) for v in values
        ]
    return masked


# ---------------------------------------------------------------------------------------------
# Secondary (complementary) suppression over linked tables


@dataclass
class _Count:
    value: int
    level: int  # complements are taken from the lowest level first: cells before totals
    shown: bool  # shown somewhere; an implied count (a difference, a part no table shows) is not
    hidden: bool
    low: float = 0.0  # what a reader knows of a hidden count
    high: float = math.inf


class Linked:
    """A report's case counts, the sums that tie them, and which of them are withheld.

    Every count is added with its true value (`count`), the small-cell rule withholds some
    (`withhold`, `difference`), and `sum` states each total the report's tables imply. Then
    `protect` withholds further counts, the smallest non-zero ones at the lowest level that
    share a sum with a count that could be worked out, until none can: the complementary
    suppression of Hundepool et al., Statistical Disclosure Control (Wiley 2012), ch. 4,
    checked as tau-ARGUS audits a table (a hidden count is exposed when the published sums
    and what a reader knows of each hidden count, 0 or more and 1 to threshold - 1 for a
    small one, leave it a single value).
    """

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self._counts: dict[Hashable, _Count] = {}
        self._sums: list[tuple[Hashable, tuple[Hashable, ...]]] = []
        self._sums_of: dict[Hashable, list[int]] = {}  # the sums each count is in
        self._with: dict[Hashable, list[Hashable]] = {}  # hidden along with the key
        self._sensitive: set[Hashable] = set()  # small counts and differences: never exposed
        self.further: set[Hashable] = set()  # withheld by `protect`
        self.widened: set[Hashable] = set()  # small, but shown as withheld by `protect`
        self._changes = 0  # withheld or widened so far
        self._changed: dict[Hashable, int] = {}  # when each count was

    def count(self, key: Hashable, value: int, level: int, *, shown: bool = True) -> None:
        """A count the report shows (or, `shown` False, one that only its sums imply)."""
        if key in self._counts:
            raise ValueError(f"the count {key!r} is added twice")
        self._counts[key] = _Count(int(value), level, shown, hidden=not shown)

    def withheld(self) -> set[Hashable]:
        """The shown counts withheld."""
        return {k for k, c in self._counts.items() if c.hidden and c.shown}

    def value(self, key: Hashable) -> int:
        return self._counts[key].value

    def hidden(self, key: Hashable) -> bool:
        return self._counts[key].hidden

    def hide_with(self, key: Hashable, *others: Hashable) -> None:
        """Whenever `key` is withheld, so are `others` (a rate's numerator with its n)."""
        self._with.setdefault(key, []).extend(others)
        if self._counts[key].hidden and self._counts[key].shown:
            for other in others:
                self._hide(other)

    def withhold(self, key: Hashable) -> None:
        """Withhold a shown count by the small-cell rule. A small one is known to be 1 to
        threshold - 1 ('<5') and must not be worked out; another is known to be 0 or more."""
        count = self._counts[key]
        if is_small(count.value, self.threshold):
            count.low, count.high = 1, self.threshold - 1
            self._sensitive.add(key)
        self._hide(key)

    def keep_secret(self, key: Hashable) -> None:
        """A count the report does not show that must not be worked out either."""
        if self._counts[key].shown:
            raise ValueError(f"{key!r} is shown: withhold it instead")
        self._sensitive.add(key)

    def difference(
        self, key: Hashable, whole: Hashable, parts: Sequence[Hashable], withhold: Hashable
    ) -> None:
        """`whole` minus `parts`, a small count: withhold `withhold` (one of `parts`) and keep
        the difference secret (opened 9, charged 7: the 2 not charged)."""
        if key not in self._counts:
            value = self.value(whole) - sum(self.value(p) for p in parts)
            self.count(key, value, 0, shown=False)
            self.sum(whole, [*parts, key])
            self.keep_secret(key)
        self.withhold(withhold)

    def sum(self, total: Hashable, parts: Sequence[Hashable]) -> None:
        """`total` is the sum of `parts` in every report these counts come from."""
        found = sum(self._counts[p].value for p in parts)
        if found != self._counts[total].value:
            raise ValueError(f"{total!r} is {self._counts[total].value}, its parts add to {found}")
        for key in {total, *parts}:
            self._sums_of.setdefault(key, []).append(len(self._sums))
        self._sums.append((total, tuple(parts)))

    def _hide(self, key: Hashable) -> None:
        count = self._counts[key]
        if count.hidden:
            return
        count.hidden = True
        self._changed[key], self._changes = self._changes, self._changes + 1
        for other in self._with.get(key, ()):
            self._hide(other)

    def protect(self) -> set[Hashable]:
        """Withhold further counts until no small count or small difference can be worked
        out from the shown ones, then show again the withheld counts that can be (they tell
        nothing more); returns the further counts withheld."""
        before = self.withheld()
        check: Iterable[int] = range(len(self._sums))  # the sums to look at again
        while True:
            quick = self._given_away(check)
            if quick:
                touched: set[Hashable] = set()  # the counts of sums given a new unknown
                for key, i in quick.items():
                    if touched & self._neighbours([key]):
                        continue  # may be protected already: checked again next round
                    chosen = self._in_sum(i)
                    touched |= self._neighbours([chosen])
                check = sorted({i for key in touched | set(quick) for i in self._sums_of[key]})
                continue
            system = _System.of(self, self._sensitive)
            exposed = system.determined()
            if not exposed:
                break
            touched = set()
            for key in sorted(exposed, key=repr):
                if touched & self._neighbours(self._neighbours([key])):
                    continue  # may be protected already: checked again next round
                if (chosen := self._fix(system, key)) is not None:
                    touched |= self._neighbours([chosen])
            if not touched:
                raise ValueError(f"no count can be withheld to protect {sorted(exposed, key=repr)}")
            check = sorted({i for key in touched for i in self._sums_of[key]})
        for key in _System.of(self, self.withheld() - self._sensitive).determined():
            self._counts[key].hidden = False
        self.further = self.withheld() - before
        return self.further

    def determined(self, keys: Iterable[Hashable]) -> set[Hashable]:
        """Those of the hidden `keys` that the shown counts and the sums leave a single value
        (see _System)."""
        return _System.of(self, set(keys)).determined()

    def _neighbours(self, keys: Iterable[Hashable]) -> set[Hashable]:
        """The counts that share a sum with one of `keys`, and those."""
        found = set(keys)
        for key in list(found):
            for i in self._sums_of.get(key, ()):
                found.add(self._sums[i][0])
                found.update(self._sums[i][1])
        return found

    def _given_away(self, sums: Iterable[int]) -> dict[Hashable, int]:
        """Sensitive counts that one sum gives away, with that sum: alone unknown in it (total
        minus the rest), or with unknowns that can only take their bounds (four '<5' adding
        up to 4). A quick first pass: _System finds the rest."""
        found: dict[Hashable, int] = {}
        for i in sums:
            total, parts = self._sums[i]
            signed = [(total, 1), *((p, -1) for p in parts)]
            unknown = [(self._counts[k], k, a) for k, a in signed if self._counts[k].hidden]
            if not any(k in self._sensitive for _c, k, _a in unknown):
                continue
            rest = -sum(a * self._counts[k].value for k, a in signed if not self._counts[k].hidden)
            low = sum(a * (c.low if a > 0 else c.high) for c, _k, a in unknown)
            high = sum(a * (c.high if a > 0 else c.low) for c, _k, a in unknown)
            if len(unknown) == 1 or rest in (low, high):
                for c, k, _a in unknown:
                    if k in self._sensitive and c.low < c.high:  # '<2' is 1 by the rule itself
                        found.setdefault(k, i)
        return found

    def _rank(self, key: Hashable) -> tuple[bool, int, int, str]:
        """Complements are the smallest non-zero counts at the lowest level (cells first)."""
        count = self._counts[key]
        return (count.value == 0, count.level, count.value, repr(key))

    def _in_sum(self, i: int) -> Hashable:
        """Withhold a count of sum `i`, which gives a sensitive one away: its smallest shown
        count; when all are withheld, its highest-level small one is shown as 'withheld'
        instead of '<5' (four '<5' adding up to a '<5' total are 1 each)."""
        members = [self._sums[i][0], *self._sums[i][1]]
        shown = [k for k in members if not self._counts[k].hidden]
        if shown:
            chosen = min(shown, key=self._rank)
            self._hide(chosen)
            return chosen
        bounded = [k for k in members if self._counts[k].shown and self._counts[k].high < math.inf]
        if not bounded:
            raise ValueError(f"no count of {members!r} can be withheld to protect the others")
        chosen = max(bounded, key=lambda k: (self._counts[k].level, repr(k)))
        self._widen(chosen)
        return chosen

    def _widen(self, key: Hashable) -> None:
        self._counts[key].low, self._counts[key].high = 0.0, math.inf
        self.widened.add(key)
        self._changed[key], self._changes = self._changes, self._changes + 1

    def _fix(self, system: _System, key: Hashable) -> Hashable | None:
        """Withhold what lets `key` be worked out from several sums at once: the sums that
        prove it cannot move (a certificate from a linear program) get a further unknown,
        the smallest shown count that breaks the proof; failing that, one of the small counts
        held at a bound in the proof is shown as 'withheld'."""
        sums, blocking = system.certificate(key)
        members = {m for i in sums for m in (self._sums[i][0], *self._sums[i][1])}
        if any(self._changed.get(k, -1) >= system.changes for k in members):
            return None  # a fix for another count in this round changed the proof already
        if not sums:  # no proof found (a rounding edge): the counts of its own sums
            members = self._neighbours([key])
            shown = [k for k in members if not self._counts[k].hidden and self._counts[k].value]
            if shown:
                chosen = min(shown, key=self._rank)
                self._hide(chosen)
                return chosen
            blocking = [k for k in members if self._counts[k].hidden]
        breaking = []
        for k in members:
            count = self._counts[k]
            if count.hidden:
                continue
            weight = sum(
                y * (1 if k == self._sums[i][0] else 0) - y * self._sums[i][1].count(k)
                for i, y in sums.items()
            )
            # a zero withheld can only grow: it breaks the proof only if that helps
            if (count.value and abs(weight) > 1e-9) or weight < -1e-9:
                breaking.append(k)
        if breaking:
            chosen = min(breaking, key=self._rank)
            self._hide(chosen)
            return chosen
        widen = [
            k
            for k in blocking
            if self._counts[k].shown and k != key and self._counts[k].high < math.inf
        ]
        if not widen:
            return None
        chosen = min(widen, key=lambda k: (self._counts[k].level, self._counts[k].value, repr(k)))
        self._widen(chosen)
        return chosen


class _System:
    """The sums over a Linked's unknowns (hidden counts whose bounds leave them free), as a
    sparse matrix, split into components that share no unknown; only the components holding
    a count asked about.

    In the LP relaxation a reader would solve (each hidden count within its bounds, every sum
    holding), a count is fixed when no direction of change that keeps every sum and bound
    moves it: a count at a bound that no feasible direction moves off it (one linear program
    for all), then one whose unit vector is a combination of the sums over the rest (exact
    elimination per component).
    """

    def __init__(self, linked: Linked, asked: set[Hashable]) -> None:
        from scipy import sparse  # a second's import: only when needed

        self.linked = linked
        self.changes = linked._changes  # counts changed after this are not in the sums below
        counts = linked._counts
        unknown = [k for k, c in counts.items() if c.hidden and c.low < c.high]
        index = {k: i for i, k in enumerate(unknown)}
        rows: list[tuple[int, dict[int, float]]] = []
        for i, (total, parts) in enumerate(linked._sums):
            row: dict[int, float] = {}
            for k, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
                if k in index:
                    row[index[k]] = row.get(index[k], 0.0) + sign
            if any(row.values()):
                rows.append((i, row))
        rows = _without_slack(rows, [counts[k] for k in unknown], [k in asked for k in unknown])
        groups = [
            (members, component)
            for members, component in _components(len(unknown), rows)
            if asked.intersection(unknown[v] for v in members)
        ]
        order = [v for members, _rows in groups for v in members]
        where = {v: i for i, v in enumerate(order)}
        kept = [row for _members, component in groups for row in component]
        entries = [
            (r, where[v], sign) for r, (_i, row) in enumerate(kept) for v, sign in row.items()
        ]
        self.matrix = sparse.csc_array(
            ([e[2] for e in entries], ([e[0] for e in entries], [e[1] for e in entries])),
            shape=(len(kept), len(order)),
        )
        self.keys = [unknown[v] for v in order]
        self.column = {k: i for i, k in enumerate(self.keys)}
        self.sums = [i for _members, component in groups for i, _row in component]
        self.asked = asked
        self.groups: list[tuple[range, range]] = []  # (columns, rows) of each component
        column = row = 0
        for members, component in groups:
            self.groups.append(
                (range(column, column + len(members)), range(row, row + len(component)))
            )
            column, row = column + len(members), row + len(component)
        values = [counts[k] for k in self.keys]
        self.at_low = [i for i, c in enumerate(values) if c.value == c.low]
        self.at_high = [i for i, c in enumerate(values) if c.value == c.high]
        self.low, self.high = set(self.at_low), set(self.at_high)
        self.by_row = np.split(self.matrix.tocsr().indices, self.matrix.tocsr().indptr[1:-1])
        self.by_column = np.split(self.matrix.indices, self.matrix.indptr[1:-1])

    @classmethod
    def of(cls, linked: Linked, asked: set[Hashable]) -> _System:
        return cls(linked, asked)

    def determined(self) -> set[Hashable]:
        from scipy import optimize, sparse

        pinned = _stuck_at_bounds(optimize, sparse, self.matrix, self.at_low, self.at_high)
        rows = self.matrix.tocsr()
        for columns, group in self.groups:
            free = [j for j in columns if j not in pinned]
            part = rows[group.start : group.stop][:, free]
            sums = [
                dict(zip(part.indices[a:b].tolist(), part.data[a:b].tolist(), strict=True))
                for a, b in itertools.pairwise(part.indptr)
            ]
            pinned |= {free[i] for i in _unit_vectors_spanned(sums)}
        return {self.keys[j] for j in pinned} & self.asked

    def certificate(self, key: Hashable) -> tuple[dict[int, float], list[Hashable]]:
        """Why `key` cannot move (up; down when at its upper bound): weights y on the sums
        such that y'M has a positive entry for it, is zero on the counts free to move, and
        pushes every count held at a bound against it. Returns the sums (Linked._sums index:
        weight) and the counts at a bound the proof leans on; the sparsest such proof."""
        j = self.column[key]
        sign = -1.0 if self.linked._counts[key].value == self.linked._counts[key].high else 1.0
        rows = list(next(rows for cols, rows in self.groups if j in cols))
        columns = {int(c) for r in rows for c in self.by_row[r]}
        return self._proof(rows, sorted(columns), j, sign) or ({}, [])

    def _proof(
        self, rows: list[int], columns: list[int], j: int, sign: float
    ) -> tuple[dict[int, float], list[Hashable]] | None:
        from scipy import optimize, sparse

        block = self.matrix[rows][:, columns].T.tocsr()  # a row per count, a column per sum
        m = block.shape[1]
        v = columns.index(j)
        ge = [i for i, c in enumerate(columns) if c != j and c in self.low]
        le = [i for i, c in enumerate(columns) if c != j and c in self.high]
        eq = [i for i, c in enumerate(columns) if c != j and c not in self.low | self.high]
        both = sparse.hstack([block, -block]).tocsr()  # y = y+ - y-, both >= 0
        result = optimize.linprog(
            np.ones(2 * m),
            A_ub=sparse.vstack([-both[ge], both[le]]) if ge or le else None,
            b_ub=np.zeros(len(ge) + len(le)) if ge or le else None,
            A_eq=sparse.vstack([both[[v]], both[eq]]),
            b_eq=np.concatenate([[sign], np.zeros(len(eq))]),
            bounds=(0, None),
            method="highs",
        )
        if result.status != 0:
            return None
        y = result.x[:m] - result.x[m:]
        weights = {self.sums[rows[r]]: float(y[r]) for r in np.flatnonzero(np.abs(y) > 1e-9)}
        leaning = block @ y
        held = [self.keys[columns[i]] for i in np.flatnonzero(np.abs(leaning) > 1e-9) if i != v]
        return weights, held


Row = tuple[int, dict[int, float]]  # a sum (its index in Linked._sums): unknown -> coefficient


def _without_slack(rows: list[Row], counts: list[_Count], asked: list[bool]) -> list[Row]:
    """The sums less those with an unknown in no other sum, strictly inside its bounds and not
    asked about: it takes up any change of the others, so the sum tells nothing of them."""
    while True:
        seen: dict[int, int] = {}
        for _i, row in rows:
            for v in row:
                seen[v] = seen.get(v, 0) + 1
        slack = {
            v
            for v, n in seen.items()
            if n == 1 and not asked[v] and counts[v].low < counts[v].value < counts[v].high
        }
        kept = [(i, row) for i, row in rows if not slack.intersection(row)]
        if len(kept) == len(rows):
            return rows
        rows = kept


def _components(size: int, rows: list[Row]) -> list[tuple[list[int], list[Row]]]:
    """The sums split into groups that share no unknown, each with its unknowns."""
    parent = list(range(size))

    def root(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for _i, row in rows:
        first, *rest = row
        for v in rest:
            parent[root(v)] = root(first)
    groups: dict[int, tuple[list[int], list[Row]]] = {}
    for v in range(size):
        groups.setdefault(root(v), ([], []))[0].append(v)
    for i, row in rows:
        groups[root(next(iter(row)))][1].append((i, row))
    return [group for group in groups.values() if group[1]]


def _stuck_at_bounds(
    optimize: Any, sparse: Any, matrix: Any, at_low: list[int], at_high: list[int]
) -> set[int]:
    """Of the unknowns at a bound, those no feasible direction moves off it: maximise how many
    move (each by up to 1; directions form a cone, so one solution moves every one that can)."""
    if not at_low and not at_high:
        return set()
    n, bounded = matrix.shape[1], [*at_low, *at_high]
    k = len(bounded)
    # s_j - d_j <= 0 at a lower bound, s_j + d_j <= 0 at an upper one
    moves = sparse.hstack(
        [
            sparse.csr_array(
                ([-1.0] * len(at_low) + [1.0] * len(at_high), (range(k), bounded)), shape=(k, n)
            ),
            sparse.identity(k, format="csr"),
        ]
    )
    limits: list[tuple[float | None, float | None]] = [(None, None)] * n
    for j in at_low:
        limits[j] = (0, None)
    for j in at_high:
        limits[j] = (None, 0)
    result = optimize.linprog(
        np.concatenate([np.zeros(n), -np.ones(k)]),
        A_ub=moves,
        b_ub=np.zeros(k),
        A_eq=sparse.hstack([matrix, sparse.csr_array((matrix.shape[0], k))]),
        b_eq=np.zeros(matrix.shape[0]),
        bounds=[*limits, *([(0, 1)] * k)],
        method="highs",
    )
    if result.status != 0:
        raise ValueError(f"the disclosure check failed: {result.message}")
    return {j for j, moved in zip(bounded, result.x[n:], strict=True) if moved < 0.5}


_PRIME = 2_147_483_647  # 2**31 - 1: the sums' small integer coefficients never vanish mod it


def _unit_vectors_spanned(rows: list[dict[int, float]]) -> set[int]:
    """The columns whose unit vector is a combination of `rows` (sparse, integer coefficients):
    a count the sums pin down. Exact Gauss-Jordan elimination modulo a large prime, the rows
    kept sparse; dense floating-point factorisations were slower and start threads."""
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> its row, reduced, pivot 1
    holders: dict[int, set[int]] = {}  # column -> the pivots whose row has it
    for given in rows:
        row = {c: int(v) % _PRIME for c, v in given.items() if int(v) % _PRIME}
        for column in [c for c in row if c in pivots]:  # pivot rows hold no other pivot
            _subtract(row, row.get(column, 0), pivots[column])
        if not row:
            continue
        pivot = min(row, key=lambda c: (len(holders.get(c, ())), c))  # the least fill-in
        inverse = pow(row[pivot], _PRIME - 2, _PRIME)
        row = {c: v * inverse % _PRIME for c, v in row.items()}
        for other in list(holders.get(pivot, ())):
            before = set(pivots[other])
            _subtract(pivots[other], pivots[other][pivot], row)
            for c in before - set(pivots[other]):
                holders[c].discard(other)
            for c in set(pivots[other]) - before:
                holders.setdefault(c, set()).add(other)
        pivots[pivot] = row
        for c in row:
            holders.setdefault(c, set()).add(pivot)
    return {c for c, row in pivots.items() if len(row) == 1}


def _subtract(row: dict[int, int], factor: int, other: dict[int, int]) -> None:
    """row -= factor * other, modulo _PRIME, in place."""
    if not factor:
        return
    for c, v in other.items():
        value = (row.get(c, 0) - factor * v) % _PRIME
        if value:
            row[c] = value
        else:
            row.pop(c, None)


# The rates' (numerator, n) in metrics.COUNT_NAMES
RATES = {
    "prosecution": ("charged_in_window", "cohort"),
    "conviction": ("convicted", "court_outcome"),
}


@dataclass(frozen=True)
class Withheld:
    """Which of a snapshot's case counts are withheld, by key: ('cell', iso3, year, column),
    ('country', iso3, count), ('region', region, count), ('all', count), with the counts of
    metrics.COUNT_NAMES, CASE_COLUMNS and, for the selection, 'too_recent' and the Kaplan-Meier
    tile's 'km_n' and 'km_pending'."""

    threshold: int
    keys: frozenset[Hashable] = frozenset()
    further: int = 0  # withheld only so that others cannot be worked out
    wide: frozenset[Hashable] = frozenset()  # small, but shown as 'withheld' to protect others
    funnel_left_out: tuple[str, ...] = ()  # regions whose funnel would show a withheld count

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    def text(self, key: Hashable, value: int) -> str:
        """The count as shown: '<5' when small, 'withheld' when withheld for another reason."""
        if key not in self.keys:
            return i18n.integer(value)
        if is_small(value, self.threshold) and key not in self.wide:
            return f"<{self.threshold}"
        return _(WITHHELD)

    def cell(self, key: Hashable, value: int) -> int | str:
        """As `text`, a number when shown (for the cases table's cells)."""
        return self.text(key, value) if key in self.keys else int(value)


NONE_WITHHELD = Withheld(0)
