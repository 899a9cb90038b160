"""``incentives.yaml``: the money rules a policy declares, each of a *kind* the engine knows.

An incentive names its label, the clause (and a quote of it), its kind, the data
table and columns it reads, who is eligible, which ``parameters.yaml`` entries hold
its numbers, who pays what share, and how the ledger matches what was paid. The
engine (``laser_policy.rules.kinds``) holds one expression builder per kind and no
policy names; here the declarations are read and checked (all problems at once,
file and key path):

- the kind is known and has every column and parameter it needs, no others;
- each column exists in the data contract's table (``contracts.tables``);
- each parameter key exists in ``parameters.yaml``;
- the payers are the province or a division of the region, each share in [0, 1]
  and the shares (for every dated value of a share parameter) summing to 1;
- the clause exists and the quote is found in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from laser_policy.policy.loader import Checker
from laser_policy.policy.records import Parameter
from laser_policy.policy.region import Region

FILE = "incentives.yaml"


@dataclass(frozen=True)
class KindSpec:
    """What an incentive of one kind must declare (the engine implements each kind)."""

    label: str
    columns: tuple[str, ...]
    optional_columns: tuple[str, ...]
    parameters: tuple[str, ...]
    wording: tuple[str, ...]
    optional_wording: tuple[str, ...] = ()
    #: the ledger keys an incentive of this kind may match on
    ledger_keys: tuple[tuple[str, ...], ...] = ()


_WINDOW = ("window_start_year", "window_end_year")

#: the kinds of incentive the engine computes (rules/kinds/<kind>.py each)
KINDS: Mapping[str, KindSpec] = MappingProxyType({
    "tiered_once": KindSpec(
        label="分档一次性奖励，晋档补差 / tiered one-off reward with top-up",
        columns=("enterprise", "year", "base"),
        optional_columns=(),
        parameters=("thresholds_wan", "amounts_wan", "threshold_inclusive",
                    "pre_window_crossings", *_WINDOW),
        wording=(),
        ledger_keys=(("enterprise",),),
    ),
    "capped_rate": KindSpec(
        label="按基数比例补助，设上限 / capped rate of a base per item",
        columns=("enterprise", "item", "year", "base"),
        optional_columns=("item_name", "item_kind", "level"),
        parameters=("rate", "cap_wan", *_WINDOW),
        wording=("subject", "item_noun", "base", "rate_verb", "cap_scope", "award_verb"),
        ledger_keys=(("enterprise", "item"), ("enterprise", "item", "year")),
    ),
    "capped_rate_shared": KindSpec(
        label="按基数比例补助，双方合计设上限并分配 / capped rate of a base shared by two sides",
        columns=("item", "year", "developer", "base"),
        optional_columns=("user", "base_fallback", "item_name", "item_kind", "level"),
        parameters=("rate", "cap_wan", "developer_share", *_WINDOW),
        wording=("item_noun", "listed", "cap_scope", "developer", "user"),
        optional_wording=("item_kinds",),
        ledger_keys=(("enterprise", "item"),),
    ),
})

#: eligibility conditions: on the incentive's own table or on the firm's enterprises row
CONDITION_OF = ("item", "enterprise")
PROVINCE = "province"
#: the city (division) the enterprise is registered in
ENTERPRISE_CITY = "enterprise_city"


@dataclass(frozen=True)
class Base:
    """The amount an incentive is computed on: a column, its kind code and its label."""

    column: str
    kind: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Who is eligible: ``column`` (of the item or of the enterprise) equals a value, lies in
    a list, or lies in a list parameter (``in_parameter`` names one of the incentive's)."""

    of: str
    column: str
    equals: bool | int | float | str | None = None
    values: tuple[str, ...] = ()
    in_parameter: str | None = None


@dataclass(frozen=True)
class Payer:
    """One payer and its share: a number, a parameter key, or the rest (``share is None``)."""

    payer: str
    share: float | str | None


@dataclass(frozen=True)
class Incentive:
    """One declared incentive of a policy model."""

    id: str
    label: str
    label_en: str
    clause: str
    quote: str
    kind: str
    table: str
    #: role → column of ``table`` (``enterprise: uscc``, ``year: year`` …)
    columns: Mapping[str, str]
    base: Base
    base_fallback: Base | None
    eligible: tuple[Condition, ...]
    #: role → parameters.yaml key
    parameters: Mapping[str, str]
    payers: tuple[Payer, ...]
    #: role names the ledger matches on (``enterprise``, ``item``, ``year``)
    ledger_keys: tuple[str, ...]
    #: the phrases of this kind's explanation sentence
    wording: Mapping[str, Any]


_REQUIRED = ("label", "label_en", "clause", "quote", "kind", "table", "columns", "parameters",
             "payers", "ledger")
_OPTIONAL = ("eligible", "wording", "note")


def region_divisions(region: Region | None) -> tuple[str, ...]:
    """The divisions a payer may name: those of the folder's region.yaml, else (a folder
    without one, e.g. a city's policy beside the province's) the packaged model's region."""
    if region is None:
        from laser_policy.contracts.cities import HUBEI_DIVISIONS

        return HUBEI_DIVISIONS
    return region.division_names


def read_incentives(
    ck: Checker,
    raw: Any,
    *,
    src: Any,
    parameters: Mapping[str, Parameter],
    divisions: tuple[str, ...],
    check_parameter_keys: bool = True,
) -> tuple[Incentive, ...]:
    """``{id: {...}}`` → the incentives, in file order; problems go to ``ck``.

    ``src`` is the :class:`~laser_policy.policy.provisions.Sources` quotes are checked
    against; ``divisions`` the region's divisions a payer may name.
    """
    out: list[Incentive] = []
    with ck.item():
        entries = ck.mapping(FILE, "", raw, (), tuple(raw) if isinstance(raw, dict) else ())
        for ident, body in entries.items():
            with ck.item():
                out.append(_incentive(ck, str(ident), body, src, parameters, divisions,
                                      check_parameter_keys))
    return tuple(out)


class _Entry:
    """Reads one incentive's entry; every problem goes to the checker with its key path."""

    def __init__(self, ck: Checker, ident: str, table: Any, spec: KindSpec,
                 parameters: Mapping[str, Parameter]) -> None:
        from laser_policy.contracts.tables import TABLES

        self.ck, self.ident, self.table, self.spec = ck, ident, table, spec
        self.parameters = parameters
        self.enterprise_columns = frozenset(TABLES["enterprises"].column_names)

    def column(self, path: str, value: Any, *, of_enterprise: bool = False) -> str:
        """A column of the incentive's table (or of enterprises) in the data contract."""
        name = self.ck.string(FILE, path, value)
        label = "enterprises" if of_enterprise else self.table.name
        known = self.enterprise_columns if of_enterprise else self.table.column_names
        if name not in known:
            self.ck.add(FILE, path, f"表「{label}」没有列「{name}」",
                        f"table {label!r} has no column {name!r}")
        return name

    def base(self, path: str, value: Any) -> Base:
        b = self.ck.mapping(FILE, path, value, ("column", "kind", "label"))
        return Base(self.column(f"{path}.column", b["column"]),
                    self.ck.string(FILE, f"{path}.kind", b["kind"]),
                    self.ck.string(FILE, f"{path}.label", b["label"]))

    def columns(self, raw: Any) -> tuple[dict[str, str], dict[str, Base]]:
        path = f"{self.ident}.columns"
        cols = self.ck.mapping(FILE, path, raw, self.spec.columns, self.spec.optional_columns)
        columns: dict[str, str] = {}
        bases: dict[str, Base] = {}
        for role, value in cols.items():
            if role in ("base", "base_fallback"):
                with self.ck.item():
                    bases[role] = self.base(f"{path}.{role}", value)
                    columns[role] = bases[role].column
            else:
                columns[role] = self.column(f"{path}.{role}", value)
        return columns, bases

    def parameter_keys(self, raw: Any, check_keys: bool) -> dict[str, str]:
        path = f"{self.ident}.parameters"
        extra = tuple(k for k in raw if k not in self.spec.parameters) \
            if isinstance(raw, dict) else ()
        keys = self.ck.mapping(FILE, path, raw, self.spec.parameters, extra)
        out: dict[str, str] = {}
        for role, key in keys.items():
            name = self.ck.string(FILE, f"{path}.{role}", key)
            if check_keys and name not in self.parameters:
                self.ck.add(FILE, f"{path}.{role}", f"parameters.yaml 中没有参数「{name}」",
                            f"parameter {name!r} is not in parameters.yaml")
            out[role] = name
        return out

    def condition(self, path: str, raw: Any, params: Mapping[str, str]) -> Condition:
        ck = self.ck
        c = ck.mapping(FILE, path, raw, ("column",), ("of", "equals", "in", "in_parameter"))
        of = ck.choice(FILE, f"{path}.of", c.get("of", "item"), CONDITION_OF)
        if sum(k in c for k in ("equals", "in", "in_parameter")) != 1:
            ck.fail(FILE, path, "须恰好给出 equals、in、in_parameter 之一",
                    "give exactly one of equals, in, in_parameter")
        name = self.column(f"{path}.column", c["column"], of_enterprise=of == "enterprise")
        in_param = None
        if "in_parameter" in c:
            in_param = ck.string(FILE, f"{path}.in_parameter", c["in_parameter"])
            if in_param not in params:
                ck.add(FILE, f"{path}.in_parameter",
                       f"「{in_param}」不是本奖补 parameters 中的名称",
                       f"{in_param!r} is not one of this incentive's parameters")
        equals = c.get("equals")
        if equals is not None and not isinstance(equals, bool | int | float | str):
            ck.fail(FILE, f"{path}.equals", "应为单个值", "expected a single value")
        values = ck.strings(FILE, f"{path}.in", c["in"]) if "in" in c else ()
        return Condition(of, name, equals, values, in_param)

    def ledger(self, raw: Any) -> tuple[str, ...]:
        path = f"{self.ident}.ledger"
        led = self.ck.mapping(FILE, path, raw, ("match",))
        keys = self.ck.strings(FILE, f"{path}.match", led["match"])
        if keys not in self.spec.ledger_keys:
            allowed = " | ".join("[" + ", ".join(k) + "]" for k in self.spec.ledger_keys)
            self.ck.add(FILE, f"{path}.match", f"此类奖补的台账匹配键应为 {allowed}",
                        f"this kind matches the ledger on {allowed}")
        return keys

    def wording(self, raw: Any) -> dict[str, Any]:
        path = f"{self.ident}.wording"
        words = self.ck.mapping(FILE, path, raw or {}, self.spec.wording,
                                self.spec.optional_wording)
        for key, value in words.items():
            if key == "item_kinds":
                with self.ck.item():
                    names = self.ck.mapping(FILE, f"{path}.{key}", value, (), tuple(value or ()))
                    for k, v in names.items():
                        self.ck.string(FILE, f"{path}.{key}.{k}", v)
            else:
                self.ck.string(FILE, f"{path}.{key}", value, empty=True)
        return dict(words)


def _incentive(
    ck: Checker, ident: str, raw: Any, src: Any, parameters: Mapping[str, Parameter],
    divisions: tuple[str, ...], check_keys: bool,
) -> Incentive:
    from laser_policy.contracts.tables import TABLES

    f = FILE
    body = ck.mapping(f, ident, raw, _REQUIRED, _OPTIONAL)
    before = len(ck.problems)
    kind = ck.string(f, f"{ident}.kind", body["kind"])
    spec = KINDS.get(kind)
    if spec is None:
        ck.fail(f, f"{ident}.kind", f"未知的奖补类型「{kind}」（已知: {', '.join(KINDS)}）",
                f"unknown incentive kind {kind!r} (known: {', '.join(KINDS)})")
    clause = ck.string(f, f"{ident}.clause", body["clause"])
    quote = ck.string(f, f"{ident}.quote", body["quote"])
    src.check(ck, f, ident, clause, quote)
    table_name = ck.string(f, f"{ident}.table", body["table"])
    table = TABLES.get(table_name)
    if table is None:
        ck.fail(f, f"{ident}.table", f"数据包中没有表「{table_name}」",
                f"the data package has no table {table_name!r}")
    entry = _Entry(ck, ident, table, spec, parameters)
    columns: dict[str, str] = {}
    bases: dict[str, Base] = {}
    params: dict[str, str] = {}
    eligible: list[Condition] = []
    ledger_keys: tuple[str, ...] = ()
    wording: dict[str, Any] = {}
    with ck.item():
        columns, bases = entry.columns(body["columns"])
    with ck.item():
        params = entry.parameter_keys(body["parameters"], check_keys)
    for i, cond in enumerate(body.get("eligible") or []):
        with ck.item():
            eligible.append(entry.condition(f"{ident}.eligible[{i}]", cond, params))
    payers = _payers(ck, f"{ident}.payers", body["payers"], parameters, divisions)
    with ck.item():
        ledger_keys = entry.ledger(body["ledger"])
    with ck.item():
        wording = entry.wording(body.get("wording"))
    if len(ck.problems) != before or "base" not in bases:
        ck.skip()
    return Incentive(
        id=ident,
        label=ck.string(f, f"{ident}.label", body["label"]),
        label_en=ck.string(f, f"{ident}.label_en", body["label_en"]),
        clause=clause,
        quote=quote,
        kind=kind,
        table=table_name,
        columns=MappingProxyType(columns),
        base=bases["base"],
        base_fallback=bases.get("base_fallback"),
        eligible=tuple(eligible),
        parameters=MappingProxyType(params),
        payers=payers,
        ledger_keys=ledger_keys,
        wording=MappingProxyType(wording),
    )


def _payer(ck: Checker, path: str, item: Any, parameters: Mapping[str, Parameter],
           allowed: tuple[str, ...]) -> Payer:
    body = ck.mapping(FILE, path, item, ("payer", "share"))
    who = ck.string(FILE, f"{path}.payer", body["payer"])
    if who not in allowed:
        ck.add(FILE, f"{path}.payer",
               f"出资方「{who}」不是省级（province）、企业所在市州（enterprise_city）"
               f"或本地区的行政区划",
               f"payer {who!r} is not the province, the enterprise's city "
               f"(enterprise_city) or a division of the region")
    share = body["share"]
    if share == "rest":
        return Payer(who, None)
    if isinstance(share, str):
        if share not in parameters:
            ck.fail(FILE, f"{path}.share", f"parameters.yaml 中没有参数「{share}」",
                    f"parameter {share!r} is not in parameters.yaml")
        return Payer(who, share)
    number = float(ck.number(FILE, f"{path}.share", share))
    if not 0 <= number <= 1:
        ck.fail(FILE, f"{path}.share", f"份额 {share} 应在0到1之间",
                f"share {share} must lie in [0, 1]")
    return Payer(who, number)


def _payers(
    ck: Checker, path: str, raw: Any, parameters: Mapping[str, Parameter],
    divisions: tuple[str, ...],
) -> tuple[Payer, ...]:
    """The payers: the province or a division of the region, shares summing to 1."""
    f = FILE
    if not isinstance(raw, list) or not raw:
        ck.fail(f, path, "应为非空列表", "expected a non-empty list")
    allowed = (PROVINCE, ENTERPRISE_CITY, *divisions)
    out: list[Payer] = []
    for i, item in enumerate(raw):
        with ck.item():
            out.append(_payer(ck, f"{path}[{i}]", item, parameters, allowed))
    if len(out) != len(raw):
        ck.skip()
    rest = [q for q in out if q.share is None]
    names = [q.payer for q in out]
    if len(set(names)) != len(names):
        ck.fail(f, path, "同一出资方出现两次", "a payer is listed twice")
    if len(rest) > 1:
        ck.fail(f, path, "至多一个出资方的份额为 rest", "at most one payer may take the rest")
    if sum(q.payer != PROVINCE for q in out) > 1:
        ck.fail(f, path, "除省级外至多一个出资方（市州）",
                "at most one payer besides the province (a city)")
    for total in _share_totals(out, parameters):
        if rest and total > 1 + 1e-9:
            ck.fail(f, path, f"份额合计 {total:g} 超过1", f"shares sum to {total:g}, above 1")
        if not rest and abs(total - 1) > 1e-9:
            ck.fail(f, path, f"份额合计 {total:g}，应为1", f"shares sum to {total:g}, not 1")
    return tuple(out)


def _share_totals(payers: list[Payer], parameters: Mapping[str, Parameter]) -> list[float]:
    """The sum of the given shares for every dated value of the share parameters."""
    dates = sorted({d for q in payers if isinstance(q.share, str)
                    for d, _ in parameters[q.share].values})
    points: list[dt.date | None] = [*dates] if dates else [None]
    totals = []
    for when in points:
        total = 0.0
        for q in payers:
            if isinstance(q.share, str):
                value = parameters[q.share].at(when) if when else parameters[q.share].values[0][1]
                total += float(value) if isinstance(value, int | float) else 0.0
            elif q.share is not None:
                total += q.share
        totals.append(total)
    return totals
