"""Every table of the data package, declared once: columns, types, Chinese headers, keys.

This is the single place where Chinese header aliases live. Readers, validators,
the Excel template, the store and the exporter all read these declarations.
The contract itself is ``shared/contracts/DATA_PACKAGE.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import yaml

from laser_policy.model import model_path

Kind = Literal["str", "int", "float", "bool", "date", "uscc", "city", "segment", "segments"]

#: years accepted anywhere in the data (policy 2024-2026, history back to 2000, plans to 2035)
YEAR_MIN = 2000
YEAR_MAX = 2035

#: an enumerated column: (canonical value, other spellings accepted on import)
Choices = tuple[tuple[str, tuple[str, ...]], ...]

LEVELS: Choices = (("national", ("国家级", "国家")), ("provincial", ("省级", "省")))


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    kind: Kind = "str"
    required: bool = False
    note_zh: str = ""
    #: other headers accepted on import besides ``name`` and ``zh``
    aliases: tuple[str, ...] = ()
    #: for money and counts: value must be >= 0
    non_negative: bool = False
    default: object = None
    #: enumerated values (canonical first, then accepted spellings); empty = free text
    choices: Choices = ()
    #: for ``city`` columns: the column holding the province (None: always Hubei)
    province: str | None = None

    @property
    def choice_lookup(self) -> dict[str, str]:
        """Every accepted spelling (and its lower case) -> canonical value."""
        out: dict[str, str] = {}
        for canonical, spellings in self.choices:
            for spelling in (canonical, *spellings):
                out[spelling] = canonical
                out[spelling.lower()] = canonical
        return out

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name, self.zh, *self.aliases)


@dataclass(frozen=True)
class Reference:
    column: str
    table: str
    target: str = "uscc"
    optional: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    #: bulk facts stored as Parquet beside the database, not through the ORM
    bulk: bool = False
    note_zh: str = ""
    checks: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _money(name: str, zh: str, *, required: bool = False, note: str = "") -> Column:
    return Column(name, zh, "float", required=required, non_negative=True, note_zh=note or "万元")


ENTERPRISES = Table(
    "enterprises",
    "企业名录",
    (
        Column("uscc", "统一社会信用代码", "uscc", required=True,
               note_zh="18位，大写，校验位符合GB 32100-2015"),
        Column("name", "企业名称", required=True),
        Column("province", "省份", default="湖北省", note_zh="默认湖北省"),
        Column("city", "市州", "city", province="province",
               note_zh="湖北省17个市州之一，如“武汉市”；可写简称“武汉”"),
        Column("segments", "产业链环节", "segments",
               note_zh="产业链环节代码或名称，多个用;分隔"),
        Column("listed_on", "上市日期", "date", note_zh="YYYY-MM-DD"),
        Column("is_laser", "激光企业", "bool", default=True, note_zh="是/否，默认是"),
    ),
    key=("uscc",),
)

FINANCIALS = Table(
    "financials",
    "年度指标",
    (
        Column("uscc", "统一社会信用代码", "uscc", required=True),
        Column("year", "年度", "int", required=True),
        _money("revenue_wan", "营业收入", required=True),
        _money("laser_revenue_wan", "激光业务收入", required=True, note="万元，不大于营业收入"),
        _money("rd_expense_wan", "研发费用"),
        Column("invention_patents", "有效发明专利", "int", non_negative=True,
               note_zh="年末拥有的激光技术有效发明专利数"),
        Column("has_rd_institution", "建有研发机构", "bool"),
        Column("above_scale", "规上企业", "bool"),
    ),
    key=("uscc", "year"),
    references=(Reference("uscc", "enterprises"),),
    checks=("laser_revenue_le_revenue",),
)

QUALIFICATIONS = Table(
    "qualifications",
    "企业资质",
    (
        Column("uscc", "统一社会信用代码", "uscc", required=True),
        Column("kind", "资质类型", required=True,
               note_zh="专精特新小巨人、制造业单项冠军、高新技术企业等"),
        Column("level", "级别", note_zh="国家级/省级",
               choices=(("国家级", ("national", "国家")), ("省级", ("provincial", "省")))),
        Column("year", "年度", "int", required=True),
    ),
    key=("uscc", "kind", "level", "year"),
    references=(Reference("uscc", "enterprises"),),
)

PRODUCTS = Table(
    "products",
    "首台套首批次",
    (
        Column("product_id", "产品编号", required=True),
        Column("developer_uscc", "研制方", "uscc", required=True),
        Column("user_uscc", "示范应用方", "uscc"),
        Column("catalog", "目录", required=True,
               note_zh="first_set_equipment（首台套）或 first_batch_material（首批次）",
               choices=(("first_set_equipment", ("首台套", "首台（套）")),
                        ("first_batch_material", ("首批次",)))),
        Column("catalog_level", "目录级别", required=True, note_zh="national 或 provincial",
               choices=LEVELS),
        Column("year", "年度", "int", required=True),
        _money("unit_price_wan", "购置单价"),
        _money("rd_cost_wan", "研发费用", note="万元，无购置单价时使用"),
        Column("name", "产品名称"),
    ),
    key=("product_id",),
    references=(
        Reference("developer_uscc", "enterprises"),
        Reference("user_uscc", "enterprises", optional=True),
    ),
)

PLATFORMS = Table(
    "platforms",
    "公共服务平台",
    (
        Column("platform_id", "平台编号", required=True),
        Column("operator_uscc", "运营单位", "uscc", required=True),
        Column("level", "认定级别", required=True, note_zh="national 或 provincial",
               choices=LEVELS),
        Column("year", "年度", "int", required=True),
        _money("external_service_revenue_wan", "对外技术服务收入", required=True),
        Column("name", "平台名称"),
    ),
    key=("platform_id", "year"),
    references=(Reference("operator_uscc", "enterprises"),),
)

PROJECTS = Table(
    "projects",
    "项目",
    (
        Column("project_id", "项目编号", required=True),
        Column("name", "项目名称", required=True),
        Column("uscc", "统一社会信用代码", "uscc", required=True),
        Column("kind", "项目类型", required=True,
               note_zh="innovation_source（原始创新策源地）、major（重大项目）、special_fund（省级专项）",
               choices=(("innovation_source", ("国家原始创新策源地", "原始创新策源地")),
                        ("major", ("重大项目",)),
                        ("special_fund", ("省级专项",)))),
        # the three channels of measure 十七 (policy model special_fund.channels)
        Column("channel", "支持渠道",
               note_zh="省预算内投资 / 省科技专项 / 省制造业专项（special_fund 时必填）",
               choices=(("省预算内投资", ()), ("省科技专项", ()), ("省制造业专项", ()))),
        Column("year", "年度", "int", required=True),
        _money("investment_wan", "项目投资", required=True),
        _money("completed_investment_wan", "已完成投资"),
        Column("stage", "进度阶段", note_zh="签约/开工/投产/达效"),
        Column("planned_completion", "计划投产日期", "date"),
        Column("city", "市州", "city"),
    ),
    key=("project_id",),
    references=(Reference("uscc", "enterprises"),),
)

AWARDS = Table(
    "awards",
    "已兑现奖补",
    (
        Column("uscc", "统一社会信用代码", "uscc", required=True),
        Column("incentive", "奖补项目", required=True,
               note_zh="revenue_milestone / first_set / service_platform / innovation_source",
               choices=(("revenue_milestone", ("营收突破奖励",)), ("first_set", ("首台套首批次",)),
                        ("service_platform", ("公共服务平台",)),
                        ("innovation_source", ("原始创新策源地",)))),
        Column("year", "年度", "int", required=True),
        _money("amount_wan", "金额", required=True),
        Column("tier", "档位"),
        Column("ref", "关联编号", note_zh="产品、平台或项目编号"),
    ),
    key=("uscc", "incentive", "year", "ref"),
    references=(Reference("uscc", "enterprises"),),
)

TRANSACTIONS = Table(
    "transactions",
    "采购交易",
    (
        Column("buyer_uscc", "采购方", "uscc", required=True),
        Column("supplier_uscc", "供应方信用代码", "uscc"),
        Column("supplier_name", "供应方名称"),
        Column("supplier_province", "供应方省份", required=True),
        Column("supplier_city", "供应方市州", "city", province="supplier_province",
               note_zh="供应方为湖北省时填市州"),
        Column("segment", "产业链环节", "segment", required=True, note_zh="产业链环节代码"),
        Column("year", "年度", "int", required=True),
        Column("date", "日期", "date"),
        _money("amount_wan", "金额", required=True),
    ),
    key=(),
    references=(Reference("buyer_uscc", "enterprises"),),
    bulk=True,
)

_POSTING = (
    Column("id", "编号", required=True),
    Column("uscc", "统一社会信用代码", "uscc", required=True),
    Column("title", "标题", required=True),
    Column("text", "内容", required=True),
    Column("segment", "产业链环节", "segment"),
    Column("city", "市州", "city"),
    Column("posted_on", "发布日期", "date"),
)

DEMANDS = Table("demands", "需求", _POSTING, key=("id",),
                references=(Reference("uscc", "enterprises"),))
OFFERS = Table("offers", "供给", _POSTING, key=("id",),
               references=(Reference("uscc", "enterprises"),))


# -- funds and guarantees of measure 十八, attracted firms and related industries (第一部分) --
def _funds_vocabulary() -> tuple[Choices, Choices]:
    """The fund ids and purpose codes of the policy model's ``funds.yaml`` (with their
    Chinese names as accepted spellings): the one place the contract reads them."""
    raw: Any = yaml.safe_load((model_path() / "funds.yaml").read_text("utf-8")) or {}
    funds: Choices = tuple(
        (str(f["id"]), (str(f["name_zh"]), *_short_fund_names(str(f["name_zh"]))))
        for f in raw.get("funds") or ())
    purposes: Choices = tuple(
        (str(code), (str(zh),)) for code, zh in ((raw.get("purposes") or {}).get("items")
                                                 or {}).items())
    return funds, purposes


def _short_fund_names(name_zh: str) -> tuple[str, ...]:
    """A fund's name also without its leading 省 and the quotes (“楚天凤鸣” → 楚天凤鸣)."""
    plain = name_zh.replace("“", "").replace("”", "").replace('"', "")
    return tuple(dict.fromkeys(n for n in (plain, plain.removeprefix("省")) if n != name_zh))


FUND_CHOICES, PURPOSE_CHOICES = _funds_vocabulary()

#: what became of a guarantee; 代偿 (the guarantor paid the bank) is a default
GUARANTEE_OUTCOMES: Choices = (
    ("正常", ("在保", "normal", "active")),
    ("结清", ("解保", "已结清", "repaid")),
    ("逾期", ("overdue",)),
    ("代偿", ("已代偿", "default", "compensated")),
)
DEFAULT_OUTCOME = "代偿"

FUND_INVESTMENTS = Table(
    "fund_investments",
    "基金投资",
    (
        Column("investment_id", "投资编号", required=True),
        Column("fund", "基金", required=True, choices=FUND_CHOICES,
               note_zh="funds.yaml 中的基金编号或名称，"
                       "如 optics_valley_laser_fund（光谷激光产业发展基金）"),
        Column("uscc", "统一社会信用代码", "uscc", required=True, note_zh="被投企业"),
        _money("amount_wan", "投资金额", required=True),
        Column("date", "投资日期", "date", required=True, note_zh="YYYY-MM-DD"),
        Column("purpose", "投向", required=True, choices=PURPOSE_CHOICES,
               note_zh="并购重组/技术创新/成果转化/应用示范（第十八条）"),
        Column("city", "市州", "city", note_zh="被投企业所在市州；空则取企业名录"),
        Column("segment", "产业链环节", "segment", note_zh="产业链环节代码或名称"),
    ),
    key=("investment_id",),
    references=(Reference("uscc", "enterprises"),),
    note_zh="三只基金（第十八条）对激光企业的投资",
)

GUARANTEES = Table(
    "guarantees",
    "融资担保",
    (
        Column("guarantee_id", "担保编号", required=True),
        Column("uscc", "统一社会信用代码", "uscc", required=True, note_zh="借款企业"),
        Column("guarantor", "担保机构", required=True, note_zh="政府性融资担保机构名称"),
        Column("bank", "贷款银行"),
        _money("amount_wan", "担保金额", required=True),
        Column("start_date", "起始日期", "date", required=True, note_zh="YYYY-MM-DD"),
        Column("end_date", "到期日期", "date", note_zh="YYYY-MM-DD，不早于起始日期"),
        Column("outcome", "担保结果", default="正常", choices=GUARANTEE_OUTCOMES,
               note_zh="正常/结清/逾期/代偿，默认正常"),
    ),
    key=("guarantee_id",),
    references=(Reference("uscc", "enterprises"),),
    checks=("end_not_before_start",),
    note_zh="政府性融资担保机构为激光中小微企业提供的贷款担保（第十八条）",
)

ATTRACTED_FIRMS = Table(
    "attracted_firms",
    "招引企业",
    (
        Column("name", "企业名称", required=True),
        Column("uscc", "统一社会信用代码", "uscc", note_zh="已登记的填写"),
        Column("segment", "产业链环节", "segment", required=True, note_zh="产业链环节代码或名称"),
        Column("date", "落户日期", "date", required=True, note_zh="YYYY-MM-DD"),
        Column("city", "落户市州", "city", required=True),
        Column("origin", "来源地", required=True, note_zh="迁出的省份或国家，如“广东省”“德国”"),
    ),
    key=("name", "city"),
    note_zh="招引落户湖北的激光上下游企业（第一部分）",
)

RELATED_OUTPUT = Table(
    "related_output",
    "相关产业规模",
    (
        Column("year", "年度", "int", required=True),
        Column("city", "市州", "city", note_zh="空表示全省合计"),
        Column("industry", "相关产业", required=True,
               note_zh="高端制造、光伏锂电、消费电子、医疗美容、国防军工等"),
        Column("output_yi", "产业规模", "float", required=True, non_negative=True,
               note_zh="亿元"),
    ),
    key=("year", "city", "industry"),
    note_zh="激光应用带动的相关产业规模（第一部分，亿元）",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        ENTERPRISES, FINANCIALS, QUALIFICATIONS, PRODUCTS, PLATFORMS, PROJECTS,
        AWARDS, TRANSACTIONS, DEMANDS, OFFERS,
        FUND_INVESTMENTS, GUARANTEES, ATTRACTED_FIRMS, RELATED_OUTPUT,
    )
}


def table(name: str) -> Table:
    return TABLES[name]


INCENTIVE_IDS = ("revenue_milestone", "first_set", "service_platform", "innovation_source")


def awards_accepting(incentives: Iterable[tuple[str, str]]) -> Table:
    """The awards table whose ``incentive`` column accepts exactly the given incentives
    (``(id, Chinese label)`` of every policy in force, as the edge passes them): the id, the
    label and, for an id the contract already knows, its accepted spellings."""
    known = dict(AWARDS.column("incentive").choices)
    choices: list[tuple[str, tuple[str, ...]]] = []
    for ident, label in incentives:
        if ident in (c for c, _ in choices):
            continue
        spellings = tuple(dict.fromkeys(s for s in (*known.get(ident, ()), label) if s != ident))
        choices.append((ident, spellings))
    column = replace(AWARDS.column("incentive"), choices=tuple(choices),
                     note_zh=" / ".join(c for c, _ in choices))
    return replace(AWARDS, columns=tuple(column if c.name == "incentive" else c
                                         for c in AWARDS.columns))

#: the output table of ``incentives compute`` (DATA_PACKAGE.md "entitlements")
ENTITLEMENT_COLUMNS = (
    "uscc", "name", "incentive", "year", "role", "amount_wan", "province_wan", "city_wan",
    "clause", "explanation",
)
