"""Synthetic data sets in the import format: realistic shape, deterministic for a seed, streamed.

`write_dataset(path, parties, seed)` writes a JSON document (PATH ending in .json) or a
folder of CSV files; the same seed gives byte-identical output. Rows go straight to the
output (CSV) or to one spool file per section (JSON), so memory stays bounded by one
customer cluster, whatever the number of parties.

What is generated (ratios measured on 100k parties are in docs/MODEL.md):
- our catalogue (the demo's 14 products and 5 rules, extended) and our sales force: a head
  of sales, a manager per region, account executives, inside sales and solution engineers;
- customer accounts: single companies, groups with head office, branches, subsidiaries and
  departments, research institutes; each with one org chart (a tree of reporting lines,
  titles and departments by level), buying-centre markers, informal influence (incl.
  outside advisers from the institutes), acquaintances, households of the contacts, our
  coverage and account teams, opportunities with their buying centres, events,
  interactions, and corporate holdings that follow the group;
- retail households: spouses, children, parents, siblings, employers among the customer
  organizations, holdings whose co-occurrence follows age, affluence, household and
  employer (an accident policy leads to a life policy, a mortgage to life cover, a payroll
  employer to a credit card), beneficiaries, interactions, a few private-banking deals.

Ids are sequential (`p-0000001`, `o-000001`, ...), so a link to any earlier party needs no
memory: every number below the counter exists.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from graph_api.bulk.formats import open_writer, output_format
from graph_api.bulk.spec import FORMAT_NAME, FORMAT_VERSION, SECTION_BY_NAME

Row = dict[str, Any]
Sink = Callable[[str, Row], None]

AS_OF = date(2026, 11, 1)  # the data set's "today" (the demo's asOf), not the clock's
_CST = timezone(timedelta(hours=8))

# ----- vocabulary -----------------------------------------------------------------------


def _pairs(text: str) -> list[tuple[str, str]]:
    """'张:Zhang 王:Wang' -> [('张', 'Zhang'), ('王', 'Wang')]"""
    return [(a, b) for a, b in (item.split(":") for item in text.split())]


SURNAMES = _pairs(
    "张:Zhang 王:Wang 李:Li 赵:Zhao 刘:Liu 陈:Chen 杨:Yang 黄:Huang 周:Zhou 吴:Wu "
    "徐:Xu 孙:Sun 马:Ma 朱:Zhu 胡:Hu 郭:Guo 何:He 林:Lin 高:Gao 罗:Luo 郑:Zheng 梁:Liang "
    "谢:Xie 宋:Song 唐:Tang 许:Xu 韩:Han 冯:Feng 邓:Deng 曹:Cao"
)
GIVEN_FEMALE = _pairs(
    "芳:Fang 娜:Na 敏:Min 静:Jing 丽:Li 艳:Yan 霞:Xia 慧:Hui 婷:Ting 雪:Xue 琳:Lin "
    "颖:Ying 倩:Qian 洁:Jie 梅:Mei 晓:Xiao 玲:Ling 燕:Yan"
)
GIVEN_MALE = _pairs(
    "伟:Wei 强:Qiang 磊:Lei 军:Jun 洋:Yang 勇:Yong 杰:Jie 涛:Tao 明:Ming 超:Chao "
    "刚:Gang 立:Li 平:Ping 辉:Hui 鹏:Peng 浩:Hao 斌:Bin 宇:Yu 志:Zhi 翠:Cui 山:Shan"
)
ORG_WORDS = _pairs(
    "华:Hua 盛:Sheng 中:Zhong 金:Jin 宏:Hong 达:Da 新:Xin 远:Yuan 海:Hai 天:Tian "
    "泰:Tai 恒:Heng 信:Xin 通:Tong 安:An 东:Dong 方:Fang 瑞:Rui 鼎:Ding 博:Bo 德:De 润:Run"
)
# Industry: (name, Latin, short word in org names, trade-oriented, capital-intensive).
INDUSTRIES: list[tuple[str, str, str, bool, bool]] = [
    ("制造业", "Manufacturing", "制造", True, True),
    ("金融", "Finance", "金融", False, False),
    ("零售", "Retail", "商贸", True, False),
    ("能源", "Energy", "能源", False, True),
    ("物流", "Logistics", "物流", True, False),
    ("医药", "Pharma", "医药", False, False),
    ("科技", "Technology", "科技", False, False),
    ("地产", "Real Estate", "置业", False, True),
    ("建筑", "Construction", "建设", False, True),
]
REGION_CITIES: dict[str, list[str]] = {
    "华南": ["深圳", "广州", "东莞"],
    "华东": ["上海", "杭州", "南京", "苏州"],
    "华北": ["北京", "天津"],
    "华中": ["武汉", "长沙"],
    "西南": ["成都", "重庆"],
    "西北": ["西安"],
    "东北": ["沈阳", "大连"],
}
REGIONS = list(REGION_CITIES)
DISTRICTS = ["高新区", "经开区", "中心区", "滨海新区", "东城区", "西城区", "南湖区", "北辰区"]
ESTATES = ["金色花园", "阳光小区", "碧海湾", "翠苑", "锦绣家园", "枫林苑", "滨江花园"]
SOURCES = ["网点", "转介绍", "代发工资", "市场活动", "官网", "电话营销", "合作伙伴"]
TIMES = ["工作日上午", "工作日下午", "工作日晚上", "周末"]
OCCUPATIONS = ["教师", "医生", "工程师", "会计", "律师", "个体经营", "公务员", "销售", "退休"]
STAFF_TITLES = ["主管", "专员", "工程师", "会计", "销售代表", "分析师", "助理", "员工"]
ACQUAINTANCE = ["同学", "校友", "前同事", "球友", "同乡", "邻居", "商会"]
# Functions of the executive team: (title, department, buying role its people lean to).
FUNCTIONS: list[tuple[str, str, str]] = [
    ("首席财务官 CFO", "财务部", "APPROVER"),
    ("首席运营官 COO", "运营中心", "USER"),
    ("首席技术官 CTO", "技术部", "EVALUATOR"),
    ("首席信息官 CIO", "IT部", "EVALUATOR"),
    ("采购总监", "采购部", "INFLUENCER"),
    ("副总裁", "战略部", "INFLUENCER"),
    ("首席市场官 CMO", "市场部", "USER"),
    ("法务总监", "法务部", "APPROVER"),
    ("人力资源总监", "人力资源部", "USER"),
    ("首席风险官 CRO", "风险管理部", "APPROVER"),
]
ATTITUDES = ["SUPPORTER", "NEUTRAL", "NON_SUPPORTER", "OPPONENT"]
ATTITUDE_WEIGHTS = [30, 40, 20, 10]
STAGES = ["IDENTIFIED", "CONTACTED", "QUALIFIED", "DEVELOPED", "COMMITTED", "WON", "LOST"]
STAGE_WEIGHTS = [25, 20, 18, 12, 7, 10, 8]
EVENTS: list[tuple[str, str]] = [
    ("OVERSEAS_EXPANSION", "将在未来两年内在海外新增生产线"),
    ("NEW_PLANT", "新建生产基地"),
    ("IPO", "启动上市计划"),
    ("MERGER", "拟收购同业公司"),
    ("EXPANSION_HIRING", "计划年内扩招员工"),
    ("LEADERSHIP_CHANGE", "更换总经理"),
]

# Our catalogue: the demo's products (same ids and rows) first, then more of the same lines.
PRODUCTS: list[Row] = [
    {"id": "prod-accident", "name": "意外险", "category": "保险", "line": "INSURANCE",
     "segment": "RETAIL", "description": "Accident insurance"},
    {"id": "prod-life", "name": "人寿险", "category": "保险", "line": "INSURANCE",
     "segment": "RETAIL", "description": "Life insurance"},
    {"id": "prod-private-banking", "name": "私人银行", "category": "财富管理", "line": "WEALTH",
     "segment": "RETAIL", "description": "Private banking"},
    {"id": "prod-wealth", "name": "理财产品", "category": "财富管理", "line": "WEALTH",
     "segment": "RETAIL", "description": "Wealth management products"},
    {"id": "prod-credit-card", "name": "信用卡", "category": "零售信贷",
     "line": "RETAIL_CREDIT", "segment": "RETAIL"},
    {"id": "prod-mortgage", "name": "住房贷款", "category": "零售信贷", "line": "RETAIL_CREDIT",
     "segment": "RETAIL"},
    {"id": "prod-infra-loan", "name": "基建贷款", "category": "信贷", "line": "CREDIT",
     "segment": "CORPORATE", "description": "Infrastructure loan"},
    {"id": "prod-commercial-loan", "name": "商业贷款", "category": "信贷", "line": "CREDIT",
     "segment": "CORPORATE", "description": "Commercial loan"},
    {"id": "prod-lc", "name": "信用证", "category": "国际结算", "line": "SETTLEMENT",
     "segment": "CORPORATE", "description": "Letters of credit"},
    {"id": "prod-fx", "name": "外汇管理", "category": "国际结算", "line": "SETTLEMENT",
     "segment": "CORPORATE", "description": "FX management"},
    {"id": "prod-ma", "name": "收购兼并", "category": "投资银行", "line": "INVESTMENT_BANKING",
     "segment": "CORPORATE", "description": "M&A advisory"},
    {"id": "prod-fin-advisory", "name": "财务顾问", "category": "投资银行",
     "line": "INVESTMENT_BANKING", "segment": "CORPORATE", "description": "Financial advisory"},
    {"id": "prod-payroll", "name": "代发工资", "category": "现金管理", "line": "CASH_MANAGEMENT",
     "segment": "CORPORATE", "description": "Payroll services"},
    {"id": "prod-annuity", "name": "企业年金", "category": "养老金", "line": "PENSION",
     "segment": "CORPORATE", "description": "Enterprise annuity"},
    {"id": "prod-health", "name": "健康险", "category": "保险", "line": "INSURANCE",
     "segment": "RETAIL", "description": "Health insurance"},
    {"id": "prod-car-insurance", "name": "车险", "category": "保险", "line": "INSURANCE",
     "segment": "RETAIL", "description": "Motor insurance"},
    {"id": "prod-education", "name": "教育金", "category": "保险", "line": "INSURANCE",
     "segment": "RETAIL", "description": "Education savings plan"},
    {"id": "prod-fund", "name": "基金", "category": "财富管理", "line": "WEALTH",
     "segment": "RETAIL", "description": "Mutual funds"},
    {"id": "prod-car-loan", "name": "汽车贷款", "category": "零售信贷", "line": "RETAIL_CREDIT",
     "segment": "RETAIL"},
    {"id": "prod-personal-pension", "name": "个人养老金", "category": "养老金", "line": "PENSION",
     "segment": "RETAIL"},
    {"id": "prod-cash-management", "name": "现金管理", "category": "现金管理",
     "line": "CASH_MANAGEMENT", "segment": "CORPORATE", "description": "Cash pooling"},
    {"id": "prod-trade-finance", "name": "贸易融资", "category": "国际结算", "line": "SETTLEMENT",
     "segment": "CORPORATE", "description": "Trade finance"},
    {"id": "prod-guarantee", "name": "保函", "category": "信贷", "line": "CREDIT",
     "segment": "CORPORATE", "description": "Bank guarantees"},
    {"id": "prod-supply-chain", "name": "供应链金融", "category": "信贷", "line": "CREDIT",
     "segment": "CORPORATE", "description": "Supply-chain finance"},
    {"id": "prod-bond", "name": "债券承销", "category": "投资银行", "line": "INVESTMENT_BANKING",
     "segment": "CORPORATE", "description": "Bond underwriting"},
    {"id": "prod-group-insurance", "name": "团体保险", "category": "保险", "line": "INSURANCE",
     "segment": "CORPORATE", "description": "Group insurance for employees"},
]  # fmt: skip

AFFINITY_RULES: list[Row] = [
    {"id": "rule-expansion-credit", "whenEventKind": "OVERSEAS_EXPANSION",
     "suggestsProductIds": ["prod-infra-loan", "prod-commercial-loan"],
     "reason": "新增海外生产线需要融资: 基建贷款、商业贷款", "weight": 0.8},
    {"id": "rule-expansion-settlement", "whenEventKind": "OVERSEAS_EXPANSION",
     "suggestsProductIds": ["prod-lc", "prod-fx"],
     "reason": "海外生产线带来国际结算: 信用证、外汇管理", "weight": 0.7},
    {"id": "rule-expansion-ib", "whenEventKind": "OVERSEAS_EXPANSION",
     "suggestsProductIds": ["prod-ma", "prod-fin-advisory"],
     "reason": "海外扩张可能涉及并购与财务顾问", "weight": 0.5},
    {"id": "rule-accident-life", "whenProductId": "prod-accident",
     "suggestsProductIds": ["prod-life"], "reason": "意外险客户常升级到人寿保障", "weight": 0.4},
    {"id": "rule-payroll-card", "whenProductId": "prod-payroll",
     "suggestsProductIds": ["prod-credit-card"],
     "reason": "代发工资客户的员工是零售信用卡的潜在客户", "weight": 0.3},
    {"id": "rule-mortgage-life", "whenProductId": "prod-mortgage",
     "suggestsProductIds": ["prod-life"], "reason": "房贷客户需要寿险保障还款能力", "weight": 0.5},
    {"id": "rule-wealth-fund", "whenProductId": "prod-wealth",
     "suggestsProductIds": ["prod-fund"], "reason": "理财客户常配置基金", "weight": 0.4},
    {"id": "rule-car-loan-insurance", "whenProductId": "prod-car-loan",
     "suggestsProductIds": ["prod-car-insurance"], "reason": "车贷客户需要车险", "weight": 0.6},
    {"id": "rule-lc-fx", "whenProductId": "prod-lc",
     "suggestsProductIds": ["prod-fx", "prod-trade-finance"],
     "reason": "信用证客户需要外汇管理和贸易融资", "weight": 0.5},
    {"id": "rule-loan-cash", "whenProductId": "prod-commercial-loan",
     "suggestsProductIds": ["prod-cash-management"], "reason": "贷款客户的资金归集", "weight": 0.4},
    {"id": "rule-payroll-annuity", "whenProductId": "prod-payroll",
     "suggestsProductIds": ["prod-annuity", "prod-group-insurance"],
     "reason": "代发工资客户的员工福利: 企业年金、团体保险", "weight": 0.3},
    {"id": "rule-new-plant", "whenEventKind": "NEW_PLANT",
     "suggestsProductIds": ["prod-infra-loan", "prod-commercial-loan", "prod-group-insurance"],
     "reason": "新建生产基地需要项目融资和员工保障", "weight": 0.6},
    {"id": "rule-ipo", "whenEventKind": "IPO",
     "suggestsProductIds": ["prod-bond", "prod-fin-advisory"],
     "reason": "上市计划需要财务顾问和债券承销", "weight": 0.6},
    {"id": "rule-merger", "whenEventKind": "MERGER",
     "suggestsProductIds": ["prod-ma", "prod-fin-advisory"],
     "reason": "收购需要并购顾问", "weight": 0.7},
    {"id": "rule-hiring", "whenEventKind": "EXPANSION_HIRING",
     "suggestsProductIds": ["prod-payroll", "prod-group-insurance"],
     "reason": "扩招带来代发工资和团体保险需求", "weight": 0.5},
]  # fmt: skip

_AMOUNT = {  # median amount per product (lognormal around it), in CNY
    "prod-accident": 2_000, "prod-life": 30_000, "prod-private-banking": 8_000_000,
    "prod-wealth": 300_000, "prod-credit-card": 50_000, "prod-mortgage": 1_500_000,
    "prod-health": 5_000, "prod-car-insurance": 6_000, "prod-education": 20_000,
    "prod-fund": 200_000, "prod-car-loan": 150_000, "prod-personal-pension": 12_000,
    "prod-infra-loan": 200_000_000, "prod-commercial-loan": 20_000_000, "prod-lc": 5_000_000,
    "prod-fx": 10_000_000, "prod-ma": 50_000_000, "prod-fin-advisory": 2_000_000,
    "prod-payroll": 3_000_000, "prod-annuity": 8_000_000, "prod-cash-management": 30_000_000,
    "prod-trade-finance": 8_000_000, "prod-guarantee": 5_000_000,
    "prod-supply-chain": 10_000_000, "prod-bond": 500_000_000, "prod-group-insurance": 1_000_000,
}  # fmt: skip
_INSURANCE = {p["id"] for p in PRODUCTS if p["line"] == "INSURANCE"}
_CORPORATE = [p["id"] for p in PRODUCTS if p["segment"] == "CORPORATE"]


# ----- shapes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountShape:
    """One customer account: its structure and how densely its people are connected."""

    people: int  # contacts in the org chart
    kind: str = "COMPANY"  # COMPANY, GROUP or INSTITUTE
    branches: int = 0  # under the head office
    subsidiaries: int = 0  # under the group
    departments: int = 0  # organization units under the head office (or the company)
    fan_out_top: int = 6  # direct reports of the head
    fan_out: int = 5  # direct reports of everyone else
    markers: int = 0  # buying-centre markers on the account
    influence: int = 0  # informal influence links among the people
    advisers: int = 0  # outside advisers (institute people) the decision layer listens to
    acquaintances: int = 0  # acquaintance links among the people
    households: int = 0  # contacts with a household (spouse, children, parents)
    children: float = 1.0  # mean children per household
    team: int = 0  # reps in the account team (0: no team)
    covered: int = 0  # people covered by the team's reps
    opportunities: int = 0
    interactions: int = 0
    events: int = 0
    tier: str | None = None


@dataclass(frozen=True)
class Account:
    """What a caller may need to address a generated account (benchmarks pick ids from it)."""

    root_id: str
    head_id: str
    people: tuple[str, ...]  # org chart order: the head first, breadth first
    levels: tuple[int, ...]  # 1 = the head
    team_id: str | None
    opportunity_ids: tuple[str, ...]


@dataclass
class _Person:
    id: str
    surname: tuple[str, str]
    gender: str
    birth: date
    city: str
    region: str
    address: str
    affluence: float  # 0..1, percentile-like
    executive: bool = False
    payroll_employer: bool = False
    children: int = 0
    held: set[str] = field(default_factory=set)


@dataclass
class _Unit:
    id: str
    kind: str
    parent: int | None
    city: str
    region: str
    held: set[str] = field(default_factory=set)


# ----- the generator --------------------------------------------------------------------


class Generator:
    """Emits rows of a synthetic data set to `sink(section, row)`, in a deterministic order."""

    def __init__(self, sink: Sink, seed: int, *, reps: int = 25) -> None:
        self.sink = sink
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        self.counts: dict[str, int] = dict.fromkeys(SECTION_BY_NAME, 0)
        self.people = 0
        self.orgs = 0
        self.budget: int | None = None
        self._holdings = 0
        self._interactions = 0
        self._opportunities = 0
        self._events = 0
        self._teams = 0
        # Employers of retail customers: indices of companies, head offices, branches.
        self._employers: list[int] = []
        self._payroll_employers: set[int] = set()
        self._advisers: deque[str] = deque(maxlen=400)
        self._reps_by_region: dict[str, dict[str, list[str]]] = {}
        self._managers: dict[str, str] = {}
        # A head of sales, a manager per region and at least one AE, SR and SE in each region.
        self._catalogue_and_reps(max(reps, 1 + 4 * len(REGIONS)))

    # ----- emitting

    def emit(self, section: str, row: Row) -> None:
        self.counts[section] += 1
        self.sink(section, row)

    @property
    def parties(self) -> int:
        return self.people + self.orgs

    def _room(self, wanted: int) -> int:
        if self.budget is None:
            return wanted
        return max(0, min(wanted, self.budget - self.parties))

    # ----- catalogue, sales force

    def _catalogue_and_reps(self, n_reps: int) -> None:
        for p in PRODUCTS:
            self.emit("products", dict(p))
        for r in AFFINITY_RULES:
            self.emit("affinityRules", dict(r))
        rng = self.rng
        head = "rep-00000"
        self.emit(
            "reps",
            {
                "id": head,
                "name": self._name(rng.choice("FM"))[0],
                "email": "head.sales@xxbank.cn",
                "role": "MANAGER",
                "region": "总部",
            },
        )
        for k, region in enumerate(REGIONS):
            rid = f"rep-{k + 1:05d}"
            self._managers[region] = rid
            self._reps_by_region[region] = {"AE": [], "SR": [], "SE": []}
            self.emit(
                "reps",
                {
                    "id": rid,
                    "name": self._name(rng.choice("FM"))[0],
                    "email": f"{rid}@xxbank.cn",
                    "role": "MANAGER",
                    "region": region,
                    "managerId": head,
                },
            )
        for i in range(len(REGIONS) + 1, n_reps):
            rid = f"rep-{i:05d}"
            region = REGIONS[i % len(REGIONS)]
            by_role = self._reps_by_region[region]
            # Each region has at least one of each role before the mix (40/45/15) applies.
            missing = [r for r in ("AE", "SR", "SE") if not by_role[r]]
            role = missing[0] if missing else rng.choices(("AE", "SR", "SE"), (40, 45, 15))[0]
            by_role[role].append(rid)
            self.emit(
                "reps",
                {
                    "id": rid,
                    "name": self._name(rng.choice("FM"))[0],
                    "email": f"{rid}@xxbank.cn",
                    "role": role,
                    "region": region,
                    "managerId": self._managers[region],
                },
            )

    # ----- small draws

    def _name(self, gender: str, surname: tuple[str, str] | None = None) -> tuple[str, str]:
        rng = self.rng
        s, sp = surname or rng.choice(SURNAMES)
        pool = GIVEN_FEMALE if gender == "F" else GIVEN_MALE
        parts = rng.sample(pool, rng.choice((1, 2, 2)))
        return s + "".join(g for g, _ in parts), f"{sp} {''.join(p for _, p in parts)}"

    def _date_between(self, start: date, end: date) -> date:
        days = (end - start).days
        return start + timedelta(days=self.rng.randint(0, max(days, 0)))

    def _amount(self, product: str, scale: float = 1.0) -> float:
        median = _AMOUNT[product] * scale
        value = median * math.exp(self.rng.gauss(0, 0.8))
        step = 1000.0 if value >= 10_000 else 100.0
        return max(step, round(value / step) * step)

    def _strength(self, low: float = 0.1, high: float = 1.0) -> float:
        return round(self.rng.uniform(low, high), 2)

    def _place(self, region: str | None = None) -> tuple[str, str]:
        region = region or self.rng.choice(REGIONS)
        return region, self.rng.choice(REGION_CITIES[region])

    def _team(self, region: str, size: int) -> list[tuple[str, str]]:
        """Distinct reps of the region: an AE, an SR and an SE first, then AEs and SRs."""
        by_role = self._reps_by_region[region]
        chosen = [(self.rng.choice(by_role[r]), r) for r in ("AE", "SR", "SE") if by_role[r]]
        chosen = chosen[:size]
        taken = {rep for rep, _ in chosen}
        others = [(rep, r) for r in ("AE", "SR") for rep in by_role[r] if rep not in taken]
        return chosen + self.rng.sample(others, min(size - len(chosen), len(others)))

    def _rep(self, region: str, role: str) -> str:
        reps = self._reps_by_region[region][role]
        return self.rng.choice(reps)

    # ----- people

    def _person(
        self,
        *,
        gender: str | None = None,
        age: int | None = None,
        surname: tuple[str, str] | None = None,
        region: str | None = None,
        city: str | None = None,
        address: str | None = None,
        affluence: float | None = None,
        occupation: str | None = None,
        executive: bool = False,
    ) -> _Person:
        rng = self.rng
        self.people += 1
        pid = f"p-{self.people:07d}"
        gender = gender or rng.choice("FM")
        age = age if age is not None else rng.randint(25, 70)
        birth = self._date_between(
            date(AS_OF.year - age - 1, AS_OF.month, 2), date(AS_OF.year - age, AS_OF.month, 1)
        )
        if region is None or city is None:
            region, city = self._place(region)
        if address is None:
            address = (
                f"{city}{rng.choice(DISTRICTS)}{rng.choice(ESTATES)}"
                f"{rng.randint(1, 30)}-{rng.randint(101, 2808)}"
            )
        if affluence is None:
            affluence = rng.random() ** 1.5  # most customers are not affluent
            if executive:
                affluence = 0.6 + 0.4 * rng.random()
        name, alias = self._name(gender, surname)
        row: Row = {"id": pid, "name": name, "aliases": [alias], "gender": _GENDER[gender]}
        # Profile completeness varies: a few customers are fully documented, many are not.
        documented = rng.random()
        if documented > 0.15:
            row["birthDate"] = birth.isoformat()
        if documented > 0.1 and age >= 18:
            row["phone"] = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
        if documented > 0.45 and age >= 18:
            row["email"] = f"{alias.split()[1].lower()}.{pid[2:]}@example.cn"
        if documented > 0.6:
            row["homeAddress"] = address
        row["city"] = city
        row["region"] = region
        if occupation is not None and age >= 18:
            row["occupation"] = occupation
        elif documented > 0.4 and age >= 18:
            row["occupation"] = "退休" if age >= 62 else rng.choice(OCCUPATIONS[:-1])
        if documented > 0.5 and age >= 18:
            row["preferredChannel"] = rng.choice(("PHONE", "WECHAT", "VISIT", "EMAIL", "SMS"))
        if documented > 0.75 and age >= 18:
            row["preferredTime"] = rng.choice(TIMES)
        if documented > 0.5:
            row["source"] = rng.choice(SOURCES)
        if age >= 18:
            if affluence > 0.97:
                row["tier"] = "STRATEGIC" if affluence > 0.995 else "MID_STRATEGIC"
            elif documented > 0.3:
                row["tier"] = "NON_STRATEGIC"
            if documented > 0.3:
                row["grade"] = min(5, 1 + int(affluence * 5))
            if documented > 0.2:
                row["customerSince"] = self._date_between(date(2008, 1, 1), AS_OF).isoformat()
        if executive and rng.random() < 0.1:
            row["confidential"] = True
        self.emit("people", row)
        return _Person(
            pid,
            surname or _surname_of(name),
            gender,
            birth,
            city,
            region,
            address,
            affluence,
            executive=executive,
        )

    def _household(self, head: _Person, children_mean: float = 1.0) -> list[_Person]:
        """The head's relatives: spouse, children, sometimes a parent or a sibling."""
        rng = self.rng
        members: list[_Person] = []
        head_age = AS_OF.year - head.birth.year
        spouse: _Person | None = None
        if self._room(1) and (head_age >= 24 and rng.random() < 0.8):
            spouse = self._person(
                gender="M" if head.gender == "F" else "F",
                age=max(20, head_age + rng.randint(-5, 5)),
                region=head.region,
                city=head.city,
                address=head.address,
                affluence=min(1.0, max(0.0, head.affluence + rng.gauss(0, 0.1))),
            )
            members.append(spouse)
            self._family(head.id, spouse.id, "SPOUSE")
        n_children = min(3, int(rng.expovariate(1 / children_mean))) if children_mean else 0
        for _ in range(self._room(n_children) if head_age >= 24 else 0):
            age = max(0, min(head_age - 22, rng.randint(0, 40)))
            father_surname = (
                head.surname if head.gender == "M" or spouse is None else (spouse.surname)
            )
            child = self._person(
                age=age,
                surname=father_surname,
                region=head.region,
                city=head.city if age < 22 else None,
                address=head.address if age < 22 else None,
                affluence=head.affluence * 0.7,
            )
            members.append(child)
            head.children += 1
            # CHILD rows appear too: the importer stores them as PARENT from the parent.
            if rng.random() < 0.5:
                self._family(head.id, child.id, "PARENT")
            else:
                self._family(child.id, head.id, "CHILD")
            if spouse is not None:
                spouse.children += 1
                self._family(spouse.id, child.id, "PARENT")
        if self._room(1) and head_age < 55 and rng.random() < 0.1:
            parent = self._person(
                age=head_age + rng.randint(24, 34),
                surname=head.surname,
                region=head.region,
                affluence=head.affluence,
            )
            members.append(parent)
            self._family(parent.id, head.id, "PARENT")
        if self._room(1) and rng.random() < 0.06:
            sibling = self._person(age=max(18, head_age + rng.randint(-8, 8)), surname=head.surname)
            members.append(sibling)
            self._family(head.id, sibling.id, rng.choice(("SIBLING", "SIBLING", "OTHER")))
        return members

    def _family(self, a: str, b: str, kind: str) -> None:
        self.emit("family", {"fromId": a, "toId": b, "kind": kind})

    def _person_holdings(self, p: _Person, household: set[str]) -> list[tuple[str, str]]:
        """Retail holdings whose co-occurrence follows age, affluence, household, employer;
        returns (holding id, product) of each."""
        rng = self.rng
        age = AS_OF.year - p.birth.year
        a = p.affluence
        held: list[str] = []

        def maybe(product: str, probability: float) -> bool:
            if rng.random() < probability:
                held.append(product)
                return True
            return False

        def has(product: str) -> float:
            return 1.0 if product in household else 0.0

        if age < 18:
            maybe("prod-accident", 0.12)
            maybe("prod-education", 0.1)
        else:
            maybe("prod-credit-card", 0.3 + 0.25 * p.payroll_employer + 0.15 * a)
            mortgage = 28 <= age <= 58 and maybe(
                "prod-mortgage", 0.05 if has("prod-mortgage") else 0.28 + 0.1 * a
            )
            car = maybe("prod-car-loan", 0.06 + 0.04 * a)
            maybe("prod-car-insurance", 0.12 + 0.6 * car)
            accident = maybe("prod-accident", 0.1 + 0.05 * p.executive)
            maybe("prod-life", 0.06 + 0.35 * accident + 0.25 * mortgage + 0.25 * has("prod-life"))
            maybe("prod-health", 0.08 + 0.08 * (p.children > 0) + 0.2 * has("prod-health"))
            if p.children:
                maybe("prod-education", 0.25)
            wealth = maybe("prod-wealth", 0.03 + 0.35 * a * a + 0.2 * has("prod-wealth"))
            maybe("prod-fund", 0.02 + 0.4 * wealth + 0.1 * a)
            if a > 0.93:  # private banking is for the few
                maybe("prod-private-banking", 0.08 + 0.25 * p.executive + 0.15 * wealth)
            maybe("prod-personal-pension", 0.03 + 0.07 * (age >= 40))
        since = p.birth + timedelta(days=18 * 365)
        made = [(self._holding(p.id, x, since_from=since, scale=0.5 + a), x) for x in held]
        p.held.update(held)
        household.update(held)
        return made

    def _holding(self, party: str, product: str, *, since_from: date, scale: float = 1.0) -> str:
        rng = self.rng
        self._holdings += 1
        hid = f"h-{self._holdings:08d}"
        start = max(since_from, date(2005, 1, 1))
        row: Row = {"id": hid, "partyId": party, "productId": product}
        if rng.random() < 0.9:
            row["since"] = self._date_between(start, AS_OF - timedelta(days=10)).isoformat()
        if rng.random() < 0.85:
            row["amount"] = self._amount(product, scale)
        row["status"] = rng.choices(("ACTIVE", "CLOSED", "PENDING"), (90, 7, 3))[0]
        if product in _INSURANCE:
            row["reference"] = f"POL{rng.randint(0, 10**10 - 1):010d}"
        self.emit("holdings", row)
        return hid

    def _beneficiaries(self, relatives: Sequence[_Person], hid: str) -> None:
        if not relatives:
            return
        chosen = relatives[: self.rng.choice((1, 1, 2))]
        for r in chosen:
            self.emit(
                "beneficiaries",
                {"personId": r.id, "holdingId": hid, "share": round(1 / len(chosen), 4)},
            )

    def _household_holdings(self, members: Sequence[_Person]) -> None:
        household: set[str] = set()
        for m in members:
            # Life and accident policies name relatives (not the elderly) as beneficiaries.
            relatives = [r for r in members if r is not m and AS_OF.year - r.birth.year < 60]
            for hid, product in self._person_holdings(m, household):
                if product in ("prod-life", "prod-accident") and self.rng.random() < 0.7:
                    self._beneficiaries(relatives, hid)

    # ----- organizations

    def _org(self, row: Row) -> str:
        self.orgs += 1
        oid = f"o-{self.orgs:06d}"
        self.emit("organizations", {"id": oid, **row})
        return oid

    def account(self, shape: AccountShape) -> Account:
        """One customer account, its people, their households and everything around them."""
        rng = self.rng
        industry, latin, word, trade, capital = rng.choice(INDUSTRIES)
        if shape.kind == "INSTITUTE":
            industry, latin, word, trade, capital = ("建筑", "Engineering", "工程", False, False)
        region, city = self._place()
        w1, w2 = rng.sample(ORG_WORDS, 2)
        brand = w1[0] + w2[0]
        brand_latin = w1[1] + w2[1].lower()
        units: list[_Unit] = []
        tier = shape.tier
        # Buying power follows the structure: groups buy most.
        base = {"GROUP": 3_000_000.0, "COMPANY": 300_000.0, "INSTITUTE": 150_000.0}[shape.kind]
        annual = round(base * math.exp(rng.gauss(0, 1.1)) * (1 + shape.people / 200), -3)
        if tier is None and shape.kind != "INSTITUTE":
            tier = (
                "STRATEGIC"
                if annual > 30_000_000
                else "MID_STRATEGIC"
                if annual > 3_000_000
                else "NON_STRATEGIC"
            )

        def unit(
            kind: str,
            name: str,
            alias: str,
            parent: int | None,
            place: tuple[str, str],
            top: bool = False,
        ) -> int:
            row: Row = {"name": name, "aliases": [alias], "orgType": kind}
            if parent is not None:
                row["parentId"] = units[parent].id
            row.update(industry=industry, region=place[0], city=place[1])
            if kind != "DEPARTMENT":
                row["address"] = f"{place[1]}{rng.choice(DISTRICTS)}{rng.randint(1, 999)}号"
                if rng.random() < 0.7:
                    row["phone"] = f"0{rng.randint(10, 999)}-{rng.randint(0, 99_999_999):08d}"
            if top:
                row["website"] = f"https://www.{brand_latin.lower()}{self.orgs + 1}.cn"
                row["employees"] = int(shape.people * rng.uniform(5, 40)) + 10
                row["annualPurchase"] = annual
                row["shareOfWallet"] = round(rng.betavariate(1.3, 3.0), 3)
                if tier is not None:
                    row["tier"] = tier
                    row["grade"] = {"STRATEGIC": 5, "MID_STRATEGIC": rng.choice((3, 4))}.get(
                        tier, rng.choice((1, 2, 2, 3))
                    )
                row["customerSince"] = self._date_between(date(2005, 1, 1), AS_OF).isoformat()
                if rng.random() < 0.6:
                    row["preferredChannel"] = rng.choice(("VISIT", "PHONE", "EMAIL"))
                if rng.random() < 0.6:
                    row["source"] = rng.choice(SOURCES)
            elif kind in ("BRANCH", "SUBSIDIARY") and rng.random() < 0.5:
                row["annualPurchase"] = round(annual * rng.uniform(0.05, 0.3), -3)
                row["shareOfWallet"] = round(rng.betavariate(1.3, 3.0), 3)
            oid = self._org(row)
            units.append(_Unit(oid, kind, parent, place[1], place[0]))
            if kind in ("COMPANY", "HEAD_OFFICE", "BRANCH", "SUBSIDIARY"):
                self._employers.append(self.orgs)
            return len(units) - 1

        place = (region, city)
        if shape.kind == "GROUP":
            root = unit("GROUP", f"{brand}{word}集团", f"{brand_latin} Group", None, place, True)
            main = unit(
                "HEAD_OFFICE",
                f"{brand}{word}集团{city}总公司",
                f"{brand_latin} {latin} HQ",
                root,
                place,
            )
        elif shape.kind == "INSTITUTE":
            root = main = unit(
                "INSTITUTE",
                f"{city}{brand}工程监理研究院",
                f"{brand_latin} Institute",
                None,
                place,
                True,
            )
        else:
            root = main = unit(
                "COMPANY",
                f"{city}{brand}{word}有限公司",
                f"{brand_latin} {latin} Co.",
                None,
                place,
                True,
            )
        subunits: list[int] = []
        for _ in range(self._room(shape.subsidiaries)):
            sub_place = self._place()
            w3 = rng.choice(ORG_WORDS)
            subunits.append(
                unit(
                    "SUBSIDIARY",
                    f"{brand}{w3[0]}{word}有限公司",
                    f"{brand_latin}{w3[1].lower()} {latin}",
                    root,
                    sub_place,
                )
            )
        for _ in range(self._room(shape.branches)):
            br_region, br_city = self._place()
            subunits.append(
                unit(
                    "BRANCH",
                    f"{brand}{word}{br_city}分公司",
                    f"{brand_latin} {latin} branch",
                    main,
                    (br_region, br_city),
                )
            )
        for k in range(self._room(shape.departments)):
            dept = FUNCTIONS[k % len(FUNCTIONS)][1] if k < len(FUNCTIONS) else f"事业部{k}"
            subunits.append(
                unit(
                    "DEPARTMENT", f"{brand}{word}{dept}", f"{brand_latin} dept {k + 1}", main, place
                )
            )

        # The org chart: one tree, breadth first; level-2 people are the executive team, each
        # level-3 subtree works in one of the sub-units (round robin), everyone above in the
        # main unit.
        n = self._room(shape.people)
        parent_of: list[int] = [-1]
        level: list[int] = [1]
        frontier, nxt = [0], 1
        while nxt < n:
            new_frontier = []
            for mgr in frontier:
                for _ in range(shape.fan_out_top if mgr == 0 else shape.fan_out):
                    if nxt >= n:
                        break
                    parent_of.append(mgr)
                    level.append(level[mgr] + 1)
                    new_frontier.append(nxt)
                    nxt += 1
            frontier = new_frontier or [nxt - 1]
        function_of: list[int] = [0] * n
        unit_of: list[int] = [main] * n
        level3 = 0
        for i in range(1, n):
            if level[i] == 2:
                function_of[i] = (i - 1) % len(FUNCTIONS)
            else:
                function_of[i] = function_of[parent_of[i]]
            if level[i] == 3:
                unit_of[i] = subunits[level3 % len(subunits)] if subunits else main
                level3 += 1
            elif level[i] > 3:
                unit_of[i] = unit_of[parent_of[i]]
        people: list[_Person] = []
        for i in range(n):
            u = units[unit_of[i]]
            fn_title, dept, _ = FUNCTIONS[function_of[i]]
            if i == 0:
                title = {"GROUP": "董事长", "INSTITUTE": "院长"}.get(shape.kind, "总经理 CEO")
                dept = "总经理办公室"
            elif level[i] == 2:
                title = fn_title
            elif level[i] == 3:
                title = {
                    "BRANCH": "分公司总经理",
                    "SUBSIDIARY": "总经理",
                    "DEPARTMENT": "部门总监",
                }.get(u.kind, "总监")
            elif level[i] == 4:
                title = "经理"
            else:
                title = rng.choice(STAFF_TITLES)
            if shape.kind == "INSTITUTE" and i > 0:
                title = rng.choice(("总工程师", "监理工程师", "研究员", "高级工程师"))
            age = rng.randint(45, 62) if level[i] <= 2 else rng.randint(24, 60)
            p = self._person(
                age=age,
                region=u.region,
                city=u.city,
                occupation=title,
                executive=level[i] <= 3 and "经理" not in title[-2:],
            )
            people.append(p)
            row: Row = {
                "personId": p.id,
                "organizationId": u.id,
                "title": title,
                "department": dept,
            }
            if rng.random() < 0.7:
                row["since"] = self._date_between(date(2000, 1, 1), AS_OF).isoformat()
            row["primary"] = True
            self.emit("employment", row)
            if i > 0:
                self.emit("reporting", {"personId": p.id, "managerId": people[parent_of[i]].id})
        if shape.kind == "INSTITUTE":
            self._advisers.extend(p.id for p in people)
        # Board seats elsewhere: a few executives also sit on another customer's board.
        for p in people[: min(n, 1 + shape.fan_out_top)]:
            if self._employers and rng.random() < 0.03:
                other = rng.choice(self._employers)
                if other <= self.orgs - len(units):  # another account's organization
                    self.emit(
                        "employment",
                        {
                            "personId": p.id,
                            "organizationId": f"o-{other:06d}",
                            "title": "董事",
                            "primary": False,
                        },
                    )

        # Corporate holdings: the root decides, branches and subsidiaries follow the group.
        self._org_holdings(units, root, trade, capital, shape)
        payroll = any("prod-payroll" in u.held for u in units)
        if payroll:
            self._payroll_employers.update(int(u.id[2:]) for u in units)
        for p in people:
            p.payroll_employer = payroll

        # Buying-centre markers: the head decides; the executive team by its function; below,
        # evaluators, influencers and users, more often near the top.
        marked = self._pick_upper(n, level, shape.markers)
        for i in marked:
            self.emit(
                "buyingRoles",
                self._marker(people[i].id, level[i], function_of[i], {"accountId": units[root].id}),
            )

        # Informal influence: mostly a subordinate or peer the boss listens to, some anywhere.
        links: set[tuple[int, int]] = set()
        attempts = 0
        while len(links) < min(shape.influence, n * (n - 1)) and attempts < shape.influence * 5:
            attempts += 1
            x = rng.randrange(1, n) if n > 1 else 0
            if rng.random() < 0.6 and x > 0:
                boss = parent_of[x]
                if boss > 0 and rng.random() < 0.4:
                    boss = parent_of[boss]
                pair = (x, boss)
            else:
                pair = (x, rng.randrange(n))
            if pair[0] != pair[1]:
                links.add(pair)
        for a, b in sorted(links):
            self.emit(
                "influence",
                {
                    "fromId": people[a].id,
                    "toId": people[b].id,
                    "strength": self._strength(),
                    "kind": rng.choice(("POLITICAL", "TECHNICAL", "PERSONAL")),
                },
            )
        decision_layer = [i for i in range(n) if level[i] <= 3][:50]
        if shape.advisers and decision_layer:
            if len(self._advisers) < shape.advisers and self._room(1):
                self.account(
                    AccountShape(people=max(shape.advisers, 5), kind="INSTITUTE", fan_out_top=8)
                )
            pool = list(self._advisers)
            for adviser in rng.sample(pool, min(shape.advisers, len(pool))):
                self.emit(
                    "influence",
                    {
                        "fromId": adviser,
                        "toId": people[rng.choice(decision_layer)].id,
                        "strength": self._strength(0.5, 0.95),
                        "kind": "ADVISORY",
                    },
                )

        known: set[tuple[int, int]] = set()
        attempts = 0
        while len(known) < shape.acquaintances and n > 1 and attempts < shape.acquaintances * 5:
            attempts += 1
            a, b = sorted(rng.sample(range(n), 2))
            known.add((a, b))
        for a, b in sorted(known):
            self.emit(
                "acquaintance",
                {
                    "fromId": people[a].id,
                    "toId": people[b].id,
                    "strength": self._strength(),
                    "context": rng.choice(ACQUAINTANCE),
                },
            )

        # Households of the contacts, and the retail holdings of everyone.
        with_household = set(rng.sample(range(n), min(n, shape.households)))
        for i, p in enumerate(people):
            members = [p]
            if i in with_household and self._room(1):
                members += self._household(p, shape.children)
            self._household_holdings(members)

        # Our side: the account team, coverage, opportunities, interactions, events.
        team_reps: list[str] = []
        team_id: str | None = None
        if shape.team:
            self._teams += 1
            team_id = f"team-{self._teams:05d}"
            manager = self._managers[units[root].region]
            self.emit(
                "accountTeams",
                {"id": team_id, "name": f"{units[root].id} 客户组", "managerId": manager},
            )
            for rep, role in self._team(units[root].region, shape.team):
                team_reps.append(rep)
                self.emit("teamMembers", {"teamId": team_id, "repId": rep, "role": role})
            self.emit("teamAccounts", {"teamId": team_id, "partyId": units[root].id})
            if shape.kind == "GROUP" and rng.random() < 0.3 and subunits:
                # A branch with a team of its own, besides the group's.
                self.emit("teamAccounts", {"teamId": team_id, "partyId": units[subunits[0]].id})
        covering = team_reps or [self._rep(units[root].region, rng.choice(("AE", "SR")))]
        covered = sorted(set(marked) | set(self._pick_upper(n, level, shape.covered)))
        covered = covered[: max(shape.covered, 0)] if shape.covered else []
        for k, i in enumerate(covered):
            self.emit(
                "coverage",
                {
                    "repId": covering[k % len(covering)],
                    "personId": people[i].id,
                    "strength": self._strength(0.2, 1.0),
                    "kind": rng.choice(("BUSINESS", "BUSINESS", "PERSONAL", "SOCIAL")),
                },
            )

        opp_ids: list[str] = []
        for _ in range(shape.opportunities):
            opp_ids.append(
                self._opportunity(
                    units[root].id,
                    root_held=units[root].held,
                    people=people,
                    levels=level,
                    functions=function_of,
                    owner=covering[0],
                )
            )
        for _ in range(shape.events):
            self._event(units[root].id)
        for _ in range(shape.interactions):
            who = [people[i] for i in rng.sample(range(n), min(n, rng.choice((1, 1, 2, 3))))]
            org = units[rng.choice([root, main, *subunits[:3]])].id
            self._interaction(
                [org, *(p.id for p in who)],
                covering,
                rng.choice(opp_ids) if opp_ids and rng.random() < 0.4 else None,
                engaged=tier in ("STRATEGIC", "MID_STRATEGIC"),
            )
        return Account(
            root_id=units[root].id,
            head_id=people[0].id if people else "",
            people=tuple(p.id for p in people),
            levels=tuple(level[:n]),
            team_id=team_id,
            opportunity_ids=tuple(opp_ids),
        )

    def _pick_upper(self, n: int, level: Sequence[int], k: int) -> list[int]:
        """k people, the head first, then more likely the higher up they are."""
        if k <= 0 or n == 0:
            return []
        weights = [1.0 / (level[i] ** 2) for i in range(1, n)]
        chosen = {0}
        candidates = list(range(1, n))
        while len(chosen) < min(k, n) and candidates:
            i = self.rng.choices(range(len(candidates)), weights)[0]
            chosen.add(candidates.pop(i))
            weights.pop(i)
        return sorted(chosen)

    def _marker(self, person: str, level: int, function: int, target: Row) -> Row:
        rng = self.rng
        if level == 1:
            role = "DECISION_MAKER"
        elif level == 2:
            role = FUNCTIONS[function][2] if rng.random() < 0.7 else "INFLUENCER"
        else:
            role = rng.choices(
                ("EVALUATOR", "INFLUENCER", "USER", FUNCTIONS[function][2]), (3, 2, 3, 2)
            )[0]
        row: Row = {
            "personId": person,
            **target,
            "role": role,
            "attitude": rng.choices(ATTITUDES, ATTITUDE_WEIGHTS)[0],
            "influence": "HIGH" if level <= 2 else "MEDIUM" if level == 3 else "LOW",
        }
        if rng.random() < 0.1:
            row["note"] = rng.choice(("关注交付周期", "倾向竞争对手", "重视价格", "技术把关人"))
        return row

    def _org_holdings(
        self, units: list[_Unit], root: int, trade: bool, capital: bool, shape: AccountShape
    ) -> None:
        rng = self.rng
        big = shape.people >= 30 or shape.kind == "GROUP"
        for k, u in enumerate(units):
            if u.kind == "DEPARTMENT" or (u.kind == "INSTITUTE" and rng.random() < 0.5):
                continue
            inherited = units[u.parent].held if u.parent is not None else set()
            if u.kind == "HEAD_OFFICE":
                inherited = units[root].held
            held: list[str] = []

            def maybe(
                product: str,
                probability: float,
                inherited: set[str] = inherited,
                held: list[str] = held,
            ) -> bool:
                p = probability if not inherited else 0.5 * probability
                if product in inherited:
                    p = max(p, 0.45)
                if rng.random() < p:
                    held.append(product)
                    return True
                return False

            maybe("prod-cash-management", 0.45 + 0.2 * big)
            payroll = maybe("prod-payroll", 0.2 + 0.3 * big)
            loan = maybe("prod-commercial-loan", 0.3)
            maybe("prod-infra-loan", 0.25 if capital and big else 0.02)
            lc = maybe("prod-lc", 0.3 if trade else 0.05)
            maybe("prod-fx", 0.6 if lc else 0.06)
            maybe("prod-trade-finance", 0.4 if lc else 0.02)
            maybe("prod-guarantee", 0.08 + 0.1 * capital)
            maybe("prod-supply-chain", 0.15 if trade else 0.03)
            ma = maybe("prod-ma", 0.1 if shape.kind == "GROUP" else 0.02)
            maybe("prod-fin-advisory", 0.04 + 0.4 * ma + 0.05 * loan)
            maybe("prod-bond", 0.08 if shape.kind == "GROUP" and k == root else 0.0)
            maybe("prod-annuity", 0.03 + 0.3 * (payroll and big))
            maybe("prod-group-insurance", 0.05 + 0.2 * payroll)
            scale = 1.0 if k == root else 0.3
            for product in held:
                self._holding(u.id, product, since_from=date(2005, 1, 1), scale=scale)
            u.held.update(held)

    def _opportunity(
        self,
        account: str,
        *,
        root_held: set[str],
        people: Sequence[_Person],
        levels: Sequence[int],
        functions: Sequence[int],
        owner: str,
        retail: Sequence[str] = (),
    ) -> str:
        rng = self.rng
        self._opportunities += 1
        oid = f"opp-{self._opportunities:06d}"
        stage = rng.choices(STAGES, STAGE_WEIGHTS)[0]
        if retail:
            products = list(retail)
            amount = self._amount(products[0])
        else:
            candidates = [p for p in _CORPORATE if p not in root_held] or _CORPORATE
            products = sorted(rng.sample(candidates, min(len(candidates), rng.choice((1, 2, 3)))))
            amount = self._amount(products[0], 0.5)
        if stage in ("WON", "LOST"):
            close = self._date_between(AS_OF - timedelta(days=365), AS_OF - timedelta(days=1))
        else:
            close = self._date_between(AS_OF + timedelta(days=14), AS_OF + timedelta(days=540))
        names = {"prod-ma": "并购项目", "prod-bond": "债券发行", "prod-infra-loan": "基建融资"}
        self.emit(
            "opportunities",
            {
                "id": oid,
                "name": f"{account} {names.get(products[0], '业务')} {self._opportunities}",
                "accountId": account,
                "stage": stage,
                "amount": amount,
                "closeDate": close.isoformat(),
                "ownerId": owner,
                "productIds": products,
            },
        )
        n = len(people)
        if n and not retail:
            for i in self._pick_upper(n, levels, min(n, rng.randint(2, 8))):
                self.emit(
                    "buyingRoles",
                    self._marker(people[i].id, levels[i], functions[i], {"opportunityId": oid}),
                )
        return oid

    def _event(self, org: str) -> None:
        rng = self.rng
        self._events += 1
        kind, title = rng.choice(EVENTS)
        when = self._date_between(AS_OF - timedelta(days=300), AS_OF)
        self.emit(
            "events",
            {
                "id": f"ev-{self._events:06d}",
                "organizationId": org,
                "kind": kind,
                "title": f"{org} {title}",
                "date": when.isoformat(),
            },
        )

    def _interaction(
        self, parties: list[str], reps: Sequence[str], opportunity: str | None, engaged: bool
    ) -> None:
        rng = self.rng
        self._interactions += 1
        kind = rng.choices(
            (
                "VISIT",
                "CALL",
                "MEETING",
                "EMAIL",
                "MESSAGE",
                "COMPLAINT",
                "CLAIM",
                "SERVICE",
                "PURCHASE",
                "BILLING",
                "EVENT",
            ),
            (18, 25, 10, 12, 10, 4, 2, 8, 4, 4, 3)
            if engaged
            else (6, 25, 2, 10, 15, 6, 4, 16, 8, 6, 2),
        )[0]
        passive = kind in ("COMPLAINT", "CLAIM", "SERVICE", "BILLING")
        # Engaged accounts were met recently; the long tail includes sleeping customers.
        days = rng.expovariate(1 / (25 if engaged else 160))
        at = datetime.combine(AS_OF, datetime.min.time(), _CST) - timedelta(
            days=min(days, 1500), minutes=rng.randint(0, 9 * 60)
        )
        at = at.replace(hour=max(8, min(20, at.hour)), second=0, microsecond=0)
        channel = {
            "VISIT": "VISIT",
            "MEETING": "VISIT",
            "EMAIL": "EMAIL",
            "MESSAGE": "WECHAT",
            "EVENT": "VISIT",
        }.get(kind, "PHONE")
        row: Row = {
            "id": f"i-{self._interactions:08d}",
            "kind": kind,
            "at": at.isoformat(),
            "direction": "PASSIVE" if passive or rng.random() < 0.1 else "ACTIVE",
            "purpose": "TRANSACTIONAL"
            if passive or kind in ("PURCHASE",)
            else ("DEVELOPMENT" if rng.random() < 0.8 else "TRANSACTIONAL"),
            "channel": channel,
            "subject": _SUBJECTS[kind],
            "partyIds": parties,
        }
        if reps:
            row["repIds"] = sorted(
                set(rng.sample(list(reps), min(len(reps), rng.choice((1, 1, 2)))))
            )
        if opportunity is not None:
            row["opportunityId"] = opportunity
        self.emit("interactions", row)

    # ----- retail households

    def retail_household(self) -> None:
        rng = self.rng
        head = self._person(age=rng.randint(22, 78))
        members = [head, *self._household(head)]
        adults = [m for m in members if AS_OF.year - m.birth.year >= 18]
        for m in adults[:2]:
            if self._employers and rng.random() < 0.45:
                org = rng.choice(self._employers)
                m.payroll_employer = org in self._payroll_employers
                row: Row = {
                    "personId": m.id,
                    "organizationId": f"o-{org:06d}",
                    "title": rng.choice(STAFF_TITLES),
                    "primary": True,
                }
                self.emit("employment", row)
        self._household_holdings(members)
        # People know people: some acquaintance with any earlier customer.
        for m in adults:
            if self.people > 100 and rng.random() < 0.15:
                other = rng.randrange(1, self.people - len(members) + 1)
                self.emit(
                    "acquaintance",
                    {
                        "fromId": f"p-{other:07d}",
                        "toId": m.id,
                        "strength": self._strength(),
                        "context": rng.choice(ACQUAINTANCE),
                    },
                )
        region = head.region
        affluent = head.affluence > 0.9
        sr: str | None = None
        if affluent or rng.random() < 0.05:
            sr = self._rep(region, "SR")
            self.emit(
                "coverage",
                {
                    "repId": sr,
                    "personId": head.id,
                    "strength": self._strength(0.2, 0.9),
                    "kind": "BUSINESS",
                },
            )
        opp: str | None = None
        if affluent and rng.random() < 0.15:
            offer = "prod-private-banking" if head.affluence > 0.97 else "prod-wealth"
            if offer not in head.held:
                opp = self._opportunity(
                    head.id,
                    root_held=set(),
                    people=(),
                    levels=(),
                    functions=(),
                    owner=sr or self._rep(region, "SR"),
                    retail=[offer],
                )
        for m in adults:
            for _ in range(min(6, int(rng.expovariate(1 / 1.3)))):
                rep = sr or self._rep(m.region, "SR")
                self._interaction(
                    [m.id], [rep] if rng.random() < 0.8 else [], opp, engaged=affluent
                )

    # ----- the whole data set

    def run(self, parties: int) -> None:
        """Customer accounts and retail households until there are `parties` parties, about
        one in ten of them an organization."""
        self.budget = parties
        while self.parties < parties:
            # A group needs two units at least; near the end, households fill the count.
            if (self.orgs * 10 < self.parties or self.parties == 0) and parties - self.parties > 2:
                self.account(self._random_shape())
            else:
                self.retail_household()
        self.budget = None

    def _random_shape(self) -> AccountShape:
        rng = self.rng
        r = rng.random()

        def heavy(scale: float, cap: int) -> int:
            # Pareto: most accounts have a few contacts, a few have hundreds.
            return min(cap, int(scale * rng.paretovariate(1.6)))

        if r < 0.03:
            people = rng.randint(3, 10)
            return AccountShape(
                people=people,
                kind="INSTITUTE",
                fan_out_top=8,
                acquaintances=people // 2,
                households=people // 3,
                interactions=rng.randint(0, 2),
            )
        if r < 0.78:
            people = heavy(1.2, 300)
            kind = "COMPANY"
            branches = subsidiaries = departments = 0
            if people >= 40:
                departments = rng.randint(2, 6)
            elif people >= 12 and rng.random() < 0.3:
                branches = rng.randint(1, 3)
        elif r < 0.96:
            people = 4 + heavy(4.0, 800)
            kind = "GROUP"
            branches = rng.randint(1, 4)
            subsidiaries = rng.randint(0, 2)
            departments = rng.randint(0, 3) if people > 30 else 0
        else:
            people = 30 + heavy(30.0, 3000)
            kind = "GROUP"
            branches = rng.randint(3, 12)
            subsidiaries = rng.randint(2, 6)
            departments = rng.randint(3, 8)
        tier_guess = "big" if kind == "GROUP" else "small"
        engaged = tier_guess == "big" or people >= 20
        return AccountShape(
            people=people,
            kind=kind,
            branches=branches,
            subsidiaries=subsidiaries,
            departments=departments,
            fan_out_top=rng.randint(3, 8),
            fan_out=rng.randint(3, 7),
            markers=min(people, 2 + people // 25 + rng.randint(0, 3)) if people >= 3 else 0,
            influence=int(people * rng.uniform(0.2, 1.2)),
            advisers=rng.randint(1, 4) if people >= 30 else int(rng.random() < 0.1),
            acquaintances=int(people * rng.uniform(0.1, 0.6)),
            households=int(people * rng.uniform(0.3, 0.6)),
            team=rng.randint(2, 4) if engaged else 0,
            covered=min(people, 1 + people // 8) if engaged else int(rng.random() < 0.3),
            opportunities=(rng.randint(1, 3) if engaged else int(rng.random() < 0.15)),
            interactions=(rng.randint(6, 30) if engaged else rng.randint(0, 4)),
            events=int(rng.random() < (0.3 if engaged else 0.03)),
        )


_GENDER = {"F": "FEMALE", "M": "MALE"}
_SUBJECTS = {
    "VISIT": "拜访", "CALL": "电话跟进", "MEETING": "方案交流会", "EMAIL": "邮件沟通",
    "MESSAGE": "微信沟通", "COMPLAINT": "客户投诉", "CLAIM": "理赔申请", "SERVICE": "业务办理",
    "PURCHASE": "产品购买", "BILLING": "账单查询", "EVENT": "客户活动",
}  # fmt: skip


def _surname_of(name: str) -> tuple[str, str]:
    for s in SURNAMES:
        if name.startswith(s[0]):
            return s
    return SURNAMES[0]


@dataclass(frozen=True)
class Generated:
    path: Path
    format: str
    rows: dict[str, int]
    parties: int
    people: int
    organizations: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def generate_rows(parties: int, seed: int, sink: Sink) -> Generator:
    """Runs the generator into `sink`; returns it (its counts) when done."""
    gen = Generator(sink, seed, reps=max(25, parties // 400))
    gen.run(parties)
    return gen


def write_dataset(
    path: Path, parties: int, seed: int, *, csv_folder: bool | None = None
) -> Generated:
    """Writes a generated data set of `parties` parties to `path` (see `output_format`)."""
    fmt = output_format(path, csv_folder)
    meta = {
        "description": f"generated by graph-api generate: {parties} parties, seed {seed}",
        "generator": {"parties": parties, "seed": seed},
        "asOf": AS_OF.isoformat(),
    }
    writer = open_writer(path, fmt, meta)
    try:
        gen = generate_rows(parties, seed, writer.add)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return Generated(path, fmt, dict(gen.counts), gen.parties, gen.people, gen.orgs)


def document(gen_fn: Callable[[Generator], Any], seed: int, *, reps: int = 25) -> Row:
    """An import document, in memory, of whatever `gen_fn` makes with a fresh generator
    (benchmarks that need one particular account rather than a whole data set)."""
    doc: Row = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    sections: dict[str, list[Row]] = {name: [] for name in SECTION_BY_NAME}
    gen = Generator(lambda section, row: sections[section].append(row), seed, reps=reps)
    doc["result"] = gen_fn(gen)
    doc.update(sections)
    return doc
