"""What the engine computes, read from the policy model in ONE place.

The model declares its incentives (``incentives.yaml``: kind, table, columns,
eligibility, parameter keys, payers, ledger keys, wording); here each declaration
is joined with the numbers in force in a year (``parameters.yaml``), checked, into
an :class:`IncentiveRule`. The kinds (:mod:`laser_policy.rules.kinds`) read only
these rules, so a what-if (``model.with_overrides({...})``), a later amendment or
another policy's model changes the result without touching engine code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from laser_policy.errors import NotFoundError, PolicyModelError

PreWindow = Literal["count_as_reached", "ignore"]
PRE_WINDOW_CHOICES: tuple[str, ...] = ("count_as_reached", "ignore")


class ParameterLike(Protocol):
    """What the rules need of one policy parameter (``policy.model.Parameter``)."""

    @property
    def clause(self) -> str: ...

    def at(self, when: int) -> Any: ...


class PolicyModelLike(Protocol):
    """What the rules need of the policy model (``policy.model.PolicyModel``)."""

    @property
    def version(self) -> str: ...

    @property
    def doc_number(self) -> str: ...

    @property
    def incentives(self) -> tuple[Any, ...]: ...

    def parameter(self, name: str) -> ParameterLike: ...


@dataclass(frozen=True)
class Condition:
    """Who is eligible (a declared condition with its list parameter resolved): ``column`` of
    the item's row (``of="item"``) or of the firm's enterprises row equals ``equals`` or lies
    in ``values``; a firm's missing value counts as ``default``."""

    of: str
    column: str
    equals: bool | int | float | str | None
    values: tuple[str, ...]
    default: bool | int | float | str | None = None
    #: the parameter role ``values`` were read from (None: listed in the declaration)
    in_parameter: str | None = None


@dataclass(frozen=True)
class IncentiveRule:
    """One declared incentive with the numbers in force in one year: what its kind computes.

    ``values`` holds the kind's parameters by role (``rate``, ``cap_wan``, ``thresholds_wan``
    …); ``rule.rate`` reads one. Everything is a tuple, so a rule is hashable (a cache key)
    and survives a round trip through JSON (:meth:`IncentiveParameters.from_json`).
    """

    id: str
    kind: str
    label: str
    clause: str
    table: str
    #: role → column of ``table``
    columns: tuple[tuple[str, str], ...]
    base_kind: str
    base_label: str
    fallback_kind: str | None
    fallback_label: str | None
    eligible: tuple[Condition, ...]
    values: tuple[tuple[str, Any], ...]
    province_share: float
    #: a named division paying the rest (None: the enterprise's own city pays it)
    city_payer: str | None
    ledger_keys: tuple[str, ...]
    #: the phrases of the kind's sentence (``item_kinds`` as ``((code, label), …)``)
    wording: tuple[tuple[str, Any], ...]

    def __getattr__(self, name: str) -> Any:
        for role, value in object.__getattribute__(self, "values"):
            if role == name:
                return value
        raise AttributeError(name)

    def column(self, role: str) -> str | None:
        """The column of ``table`` playing ``role`` (None when not declared)."""
        return dict(self.columns).get(role)

    def word(self, key: str, default: Any = "") -> Any:
        """A phrase of the kind's sentence."""
        return dict(self.wording).get(key, default)

    @property
    def match_year(self) -> bool:
        """Whether the ledger matches a payment per year too (else once per item)."""
        return "year" in self.ledger_keys


@dataclass(frozen=True)
class IncentiveParameters:
    """Every declared incentive of one policy model, with the numbers in force in one year.

    ``params.first_set`` is the rule of that id (:class:`IncentiveRule`).
    """

    year: int
    rules_version: str
    doc_number: str
    incentives: tuple[IncentiveRule, ...]
    #: the model's id
    policy: str = ""

    def __getattr__(self, name: str) -> IncentiveRule:
        rules: tuple[IncentiveRule, ...] = object.__getattribute__(self, "incentives")
        for rule in rules:
            if rule.id == name:
                return rule
        raise AttributeError(name)

    def rule(self, incentive: str) -> IncentiveRule:
        """The rule of an incentive id."""
        for rule in self.incentives:
            if rule.id == incentive:
                return rule
        raise NotFoundError(f"奖补不存在 / no incentive {incentive!r}")

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> IncentiveParameters:
        """Rebuilt from ``dataclasses.asdict`` as JSON (lists back to tuples).

        A run recorded before incentives were declared in the model holds one
        object of numbers per incentive id (``{"revenue_milestone": {...}, …}``);
        those runs were all computed with the packaged model, whose declarations
        are joined with the recorded numbers.
        """
        if "incentives" not in doc:
            return _legacy(doc)
        rules = tuple(_rule_from_json(r) for r in doc["incentives"])
        return cls(int(doc["year"]), str(doc["rules_version"]), str(doc["doc_number"]), rules,
                   str(doc.get("policy", "")))


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _legacy(doc: Mapping[str, Any]) -> IncentiveParameters:
    from laser_policy.policy.model import load_policy

    current = parameters_from_model(load_policy(), int(doc["year"]))
    rules = []
    for rule in current.incentives:
        old = doc.get(rule.id)
        if not isinstance(old, Mapping):
            continue
        values = tuple((role, _tuples(old.get(role, value))) for role, value in rule.values)
        by_role = dict(values)
        eligible = tuple(
            dataclasses.replace(c, values=tuple(by_role[c.in_parameter])) if c.in_parameter
            else c
            for c in rule.eligible
        )
        rules.append(dataclasses.replace(
            rule, values=values, eligible=eligible, clause=str(old.get("clause", rule.clause)),
            province_share=float(old.get("province_share", rule.province_share)),
        ))
    return IncentiveParameters(int(doc["year"]), str(doc["rules_version"]),
                               str(doc["doc_number"]), tuple(rules))


def _rule_from_json(doc: Mapping[str, Any]) -> IncentiveRule:
    names = {f.name for f in dataclasses.fields(IncentiveRule)}
    kwargs = {k: _tuples(v) for k, v in doc.items() if k in names}
    kwargs["eligible"] = tuple(
        Condition(**{k: _tuples(v) for k, v in c.items()}) for c in doc["eligible"]
    )
    return IncentiveRule(**kwargs)


def _fail(name: str, message_zh: str, message_en: str, value: object) -> PolicyModelError:
    return PolicyModelError(
        f"政策参数「{name}」{message_zh}（值: {value!r}） / policy parameter {name!r} {message_en}"
    )


def _number(name: str, value: object, *, share: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(name, "应为数值", "must be a number", value)
    number = float(value)
    if number < 0 or (share and number > 1):
        expected = ("应在0到1之间", "must lie in [0, 1]") if share else ("不能为负", "must be >= 0")
        raise _fail(name, expected[0], expected[1], value)
    return number


def _numbers(name: str, value: object) -> tuple[float, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise _fail(name, "应为非空数值列表", "must be a non-empty list of numbers", value)
    return tuple(_number(name, v) for v in value)


def _strings(name: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise _fail(name, "应为非空文字列表", "must be a non-empty list of strings", value)
    return tuple(str(v) for v in value)


def _year(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(name, "应为年份（整数）", "must be a year (integer)", value)
    return value


class _Reader:
    """Reads the parameters in force in ``year``."""

    def __init__(self, model: PolicyModelLike, year: int) -> None:
        self.model = model
        self.year = year

    def value(self, name: str) -> Any:
        try:
            parameter = self.model.parameter(name)
        except LookupError as exc:
            raise PolicyModelError(
                f"政策模型缺少参数「{name}」 / policy model has no parameter {name!r}"
            ) from exc
        return parameter.at(self.year)


def _bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _fail(name, "应为 true/false", "must be true/false", value)
    return value


def _choice(name: str, value: object) -> str:
    if value not in PRE_WINDOW_CHOICES:
        raise _fail(name, f"应为 {PRE_WINDOW_CHOICES} 之一",
                    f"must be one of {PRE_WINDOW_CHOICES}", value)
    return str(value)


#: how each parameter role of a kind is checked (roles not listed: a list of texts)
_ROLE_CHECKS: dict[str, Any] = {
    "thresholds_wan": _numbers,
    "amounts_wan": _numbers,
    "rate": lambda n, v: _number(n, v, share=True),
    "developer_share": lambda n, v: _number(n, v, share=True),
    "cap_wan": _number,
    "window_start_year": _year,
    "window_end_year": _year,
    "threshold_inclusive": _bool,
    "pre_window_crossings": _choice,
}


def _values(r: _Reader, keys: Mapping[str, str]) -> dict[str, Any]:
    """The declared parameters (role → key) in force, each checked for its role."""
    out = {role: _ROLE_CHECKS.get(role, _strings)(key, r.value(key)) for role, key in keys.items()}
    if "thresholds_wan" in out and "amounts_wan" in out:
        thresholds, amounts = out["thresholds_wan"], out["amounts_wan"]
        if len(thresholds) != len(amounts):
            raise _fail(keys["amounts_wan"], "档数应与 thresholds_wan 相同",
                        "must have as many tiers as thresholds_wan", amounts)
        if list(thresholds) != sorted(set(thresholds)) or list(amounts) != sorted(amounts):
            raise _fail(keys["thresholds_wan"], "与奖励金额应按档位从低到高严格递增",
                        "and amounts_wan must increase tier by tier", thresholds)
    if out.get("window_end_year", 0) < out.get("window_start_year", 0):
        raise _fail(keys["window_end_year"], "不能早于 window_start_year",
                    "must not precede window_start_year", out["window_end_year"])
    return out


def _share(r: _Reader, share: Any) -> float:
    if isinstance(share, str):
        return _number(share, r.value(share), share=True)
    return float(share)


def _rule(r: _Reader, incentive: Any) -> IncentiveRule:
    """One declaration (``policy.incentives.Incentive``) with its numbers in force."""
    from laser_policy.contracts.tables import TABLES

    values = _values(r, incentive.parameters)
    province = sum(_share(r, p.share) for p in incentive.payers
                   if p.payer == "province" and p.share is not None)
    if any(p.payer == "province" and p.share is None for p in incentive.payers):
        province = 1.0 - sum(_share(r, p.share) for p in incentive.payers if p.share is not None)
    others = [p.payer for p in incentive.payers if p.payer not in ("province", "enterprise_city")]
    enterprises = TABLES["enterprises"]
    eligible = []
    for c in incentive.eligible:
        listed = tuple(values[c.in_parameter]) if c.in_parameter else tuple(c.values)
        default = enterprises.column(c.column).default if c.of == "enterprise" else None
        if not isinstance(default, bool | int | float | str):
            default = None
        eligible.append(Condition(c.of, c.column, c.equals, listed, default, c.in_parameter))
    fallback = incentive.base_fallback
    wording = tuple(
        (k, tuple(v.items()) if isinstance(v, Mapping) else v) for k, v in incentive.wording.items()
    )
    return IncentiveRule(
        id=incentive.id,
        kind=incentive.kind,
        label=incentive.label,
        clause=incentive.clause,
        table=incentive.table,
        columns=tuple(incentive.columns.items()),
        base_kind=incentive.base.kind,
        base_label=incentive.base.label,
        fallback_kind=None if fallback is None else fallback.kind,
        fallback_label=None if fallback is None else fallback.label,
        eligible=tuple(eligible),
        values=tuple(values.items()),
        province_share=_number(f"{incentive.id}.payers", province, share=True),
        city_payer=others[0] if others else None,
        ledger_keys=tuple(incentive.ledger_keys),
        wording=wording,
    )


def parameters_from_model(model: PolicyModelLike, year: int) -> IncentiveParameters:
    """The model's declared incentives with the numbers in force in ``year``, checked.

    Raises :class:`PolicyModelError` naming the parameter when a value is missing
    or malformed.
    """
    reader = _Reader(model, year)
    return IncentiveParameters(
        year=year,
        rules_version=str(model.version),
        doc_number=str(model.doc_number),
        incentives=tuple(_rule(reader, incentive) for incentive in model.incentives),
        policy=str(getattr(model, "id", "")),
    )


@dataclass(frozen=True)
class ParameterSchedule:
    """The parameters in force year by year: an entitlement of year Y is computed with Y's.

    A later amendment (a parameter value in force from a later date) then changes
    the years after it and leaves the earlier ones as they were.
    """

    by_year: tuple[tuple[int, IncentiveParameters], ...]
    #: the policy model's version the parameters were read from
    rules_version: str

    def groups(self) -> list[tuple[IncentiveParameters, tuple[int, ...]]]:
        """Years that share the same numbers, each group with its latest year's parameters."""
        grouped: dict[IncentiveParameters, tuple[IncentiveParameters, tuple[int, ...]]] = {}
        for year, params in self.by_year:
            key = dataclasses.replace(params, year=0)
            _, years = grouped.get(key, (params, ()))
            grouped[key] = (params, (*years, year))
        return list(grouped.values())


def parameter_schedule(model: PolicyModelLike, years: Iterable[int]) -> ParameterSchedule:
    """The parameters in force in each of ``years``; years before any value is in force
    (before the policy was issued) have no parameters and so nothing due."""
    entries = []
    for year in sorted(set(years)):
        try:
            entries.append((year, parameters_from_model(model, year)))
        except NotFoundError:
            continue
    return ParameterSchedule(tuple(entries), str(model.version))
