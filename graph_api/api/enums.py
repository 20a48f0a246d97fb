"""The domain enums, registered with strawberry once, before any type uses them.

Every value is described with the domain term it stands for (DOMAIN.md), so GraphiQL's
docs pane and generated clients show 决 beside DECISION_MAKER.
"""

from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry

from graph_api.domain import deciders as d
from graph_api.domain import job_change as jc
from graph_api.domain import model as m
from graph_api.domain import org_chart as oc
from graph_api.domain import portfolio as pf
from graph_api.domain import signals as s
from graph_api.domain import tas as t
from graph_api.domain import view as v
from graph_api.domain import writes as w


def register(
    enum: type[Enum], description: str, values: Mapping[str, str], name: str | None = None
) -> None:
    """Registers a domain enum with its description and one for each value (all of them:
    a value added to the domain without its meaning fails here, at import)."""
    strawberry.enum(enum, name=name, description=description)
    missing = [e.name for e in enum if e.name not in values]
    if missing or set(values) - {e.name for e in enum}:
        raise TypeError(f"{enum.__name__}: describe exactly its values (missing {missing})")
    definition: Any = getattr(enum, "__strawberry_definition__")  # noqa: B009
    for value in definition.values:
        value.description = values[value.name]


register(
    m.PartyKind,
    "A party is a person or an organization.",
    {"PERSON": "A person (个人客户).", "ORGANIZATION": "An organization (机构客户)."},
)
register(
    m.OrgType,
    "Place of an organization in its structure.",
    {
        "GROUP": "A group (集团): the top of a structure.",
        "HEAD_OFFICE": "A head office (总部/总公司).",
        "BRANCH": "A branch (分公司/分行) of a head office.",
        "SUBSIDIARY": "A subsidiary (子公司): a separate legal entity owned by the group.",
        "DEPARTMENT": "A department (部门) inside an organization.",
        "COMPANY": "A company outside any known structure.",
        "INSTITUTE": "A research institute or supervising body (科研院所/监理).",
    },
)
register(
    m.Tier,
    "客户分层: STRATEGIC (Top-10), MID_STRATEGIC, NON_STRATEGIC.",
    {
        "STRATEGIC": "战略客户: Top-10, 3-year account plan, senior visit at least monthly.",
        "MID_STRATEGIC": "中战略客户: annual plan, visited at least quarterly.",
        "NON_STRATEGIC": "非战略客户: no plan, visited when an opportunity appears.",
    },
)
register(
    m.FamilyKind,
    "Family link, read from the viewed party.",
    {
        "SPOUSE": "Spouse (配偶).",
        "PARENT": "The other is the viewed person's parent (父母).",
        "CHILD": "The other is the viewed person's child (子女).",
        "SIBLING": "Sibling (兄弟姐妹).",
        "OTHER": "Another family link (其他亲属).",
    },
)
register(
    m.BuyingRole,
    "Buying-centre role: 决 审 研 咨 用.",
    {
        "DECISION_MAKER": "决: decides (economic buyer).",
        "APPROVER": "审: approves or signs off (often finance, the CEO).",
        "EVALUATOR": "研: evaluates (technical or research evaluation).",
        "INFLUENCER": "咨: is consulted, advises (coach, gatekeeper, adviser).",
        "USER": "用: uses the product.",
    },
)
register(
    m.Attitude,
    "Attitude to us: + = - X.",
    {
        "SUPPORTER": "+: supports us.",
        "NEUTRAL": "=: neutral.",
        "NON_SUPPORTER": "-: does not support us.",
        "OPPONENT": "X: opposes us actively.",
    },
)
register(
    m.InfluenceLevel,
    "A person's influence on the buying decision.",
    {"HIGH": "High influence.", "MEDIUM": "Medium influence.", "LOW": "Low influence."},
)
register(
    m.PathLinkType,
    "A kind of link a relationship path may use (relationshipPath, warmIntroductions: "
    "linkTypes). Personal links only: FAMILY, INFLUENCES, KNOWS, COVERS.",
    {
        "WORKS_FOR": "A person and the organization they work for (only to reach an "
        "organization at an end: organizations are not passed through).",
        "REPORTS_TO": "A person and their manager (0.7).",
        "COLLEAGUE": "Two people of one team (0.5), one reporting line two levels apart "
        "(0.4) or one unit (1 / (1 + log2 headcount)); derived from WORKS_FOR and REPORTS_TO.",
        "FAMILY": "Family (spouse 0.9, parent or child 0.8, sibling 0.7, other 0.5).",
        "INFLUENCES": "One person influences another (stored strength).",
        "KNOWS": "Two people know each other (stored strength).",
        "COVERS": "One of our reps covers a person (stored strength).",
    },
)
register(
    m.RepRole,
    "AE outside sales, SR inside sales.",
    {
        "AE": "Account executive: outside sales, owns the top accounts, visits.",
        "SR": "Sales representative: inside sales, phone coverage of the long tail.",
        "SE": "Solution engineer.",
        "MANAGER": "Sales manager of reps or account teams.",
    },
)
register(
    m.ProductSegment,
    "The customers a product is for.",
    {"RETAIL": "Retail (零售): people.", "CORPORATE": "Corporate (对公): organizations."},
)
register(
    m.HoldingStatus,
    "State of a holding.",
    {
        "ACTIVE": "In force (policy, account or loan running).",
        "CLOSED": "Ended: formerly held.",
        "PENDING": "Applied for, not yet in force.",
    },
)
register(
    m.OpportunityStage,
    "Funnel level, with its win probability.",
    {
        "IDENTIFIED": "Identified: 10%.",
        "CONTACTED": "Contacted: 25%.",
        "QUALIFIED": "Qualified: 50%.",
        "DEVELOPED": "Developed: 75%.",
        "COMMITTED": "Committed: 90%.",
        "WON": "Won: 100%.",
        "LOST": "Lost: 0%.",
    },
)
register(
    m.InteractionKind,
    "Kind of a contact with a customer.",
    {
        "VISIT": "A visit (拜访).",
        "CALL": "A phone call.",
        "MEETING": "A meeting.",
        "EMAIL": "An e-mail.",
        "MESSAGE": "A message (WeChat, SMS).",
        "COMPLAINT": "A complaint (投诉).",
        "CLAIM": "An insurance claim (理赔).",
        "SERVICE": "A service contact.",
        "PURCHASE": "A purchase.",
        "BILLING": "Billing or repayment.",
        "EVENT": "An event the customer attended.",
    },
)
register(
    m.InteractionDirection,
    "Who started a contact.",
    {"ACTIVE": "We started it (主动).", "PASSIVE": "The customer started it (被动)."},
)
register(
    m.InteractionPurpose,
    "What a contact was for.",
    {
        "DEVELOPMENT": "Developing the relationship or a deal (发展).",
        "TRANSACTIONAL": "Handling a transaction or service (事务).",
    },
)
register(
    m.Channel,
    "A communication channel.",
    {
        "PHONE": "Phone.",
        "EMAIL": "E-mail.",
        "VISIT": "In person.",
        "WECHAT": "WeChat (微信).",
        "SMS": "Text message.",
        "MAIL": "Post.",
        "ONLINE": "Online (web, app).",
    },
)
register(
    m.Gender,
    "A person's gender.",
    {"FEMALE": "Female (女).", "MALE": "Male (男).", "OTHER": "Other or not stated."},
)
register(
    v.RelationshipKind,
    "An informal link, read from the viewed party.",
    {
        "INFLUENCES": "The viewed party influences the other (the other listens).",
        "INFLUENCED_BY": "The viewed party listens to the other (政治圈).",
        "KNOWS": "Acquaintance, undirected.",
    },
)
register(
    s.Escalation,
    "Who must hear of a sleeping customer.",
    {
        "NONE": "No one: not sleeping, or within one review window.",
        "MANAGEMENT": "Management: two review windows without follow-up (沉睡客户).",
        "HEAD_OF_SALES": "The head of sales: as MANAGEMENT, and the customer is grade 5.",
    },
)
register(
    oc.ChartLinkType,
    "REPORTS_TO: source reports to target. INFLUENCES: target listens to source.",
    {
        "REPORTS_TO": "The source reports to the target (formal line).",
        "INFLUENCES": "The target listens to the source (informal influence, 政治圈).",
    },
)
register(
    d.RoleSource,
    "Where a buying-centre marker comes from.",
    {
        "OPPORTUNITY": "Marked on the opportunity itself.",
        "ACCOUNT": "Marked on the account or one of its units.",
    },
)
register(
    d.ScoreComponent,
    "A component of a decider's score.",
    {
        "ROLE": "The declared buying role and influence level.",
        "FORMAL": "Position and span of control along reporting lines.",
        "INFORMAL": "Centrality among who listens to whom.",
    },
)
register(
    d.RiskKind,
    "A gap in our position in the buying centre.",
    {
        "NO_SUPPORTER_IN_DECISION_LAYER": "TAS 9: no one in the decision layer supports us.",
        "OPPOSED_DECIDER": "A decider opposes us (X).",
        "UNCOVERED_DECIDER": "No rep of ours covers a decider.",
        "WEAKLY_COVERED_DECIDER": "Our coverage of a decider is weak.",
        "LEVEL_WITHOUT_COVERAGE": "TAS 10: a level of the hierarchy without our coverage.",
    },
)
register(
    d.Severity,
    "How much a risk matters.",
    {"HIGH": "Act first.", "MEDIUM": "Act soon."},
)
register(
    w.LinkKind,
    "A kind of link between nodes of the graph.",
    {
        "EMPLOYMENT": "A person works for an organization (WORKS_FOR).",
        "REPORTING_LINE": "A person reports to another (REPORTS_TO).",
        "FAMILY": "A family link (FAMILY).",
        "BENEFICIARY": "A person is a beneficiary of a policy (BENEFICIARY_OF).",
        "BUYING_ROLE": "A buying-centre marker (BUYING_ROLE).",
        "INFLUENCE": "Who listens to whom (INFLUENCES).",
        "ACQUAINTANCE": "Acquaintance between parties (KNOWS).",
        "COVERAGE": "One of our reps covers a customer person (COVERS).",
        "TEAM_MEMBER": "A rep is a member of an account team (MEMBER_OF).",
        "TEAM_ACCOUNT": "An account team covers an account (COVERS_ACCOUNT).",
        "COMPETITOR_COVERAGE": "A competitor's relationship with a customer person.",
        "COMPETITOR_OPPORTUNITY": "A competitor in one of our opportunities (COMPETES_FOR).",
    },
)
register(
    w.EntityKind,
    "A kind of node or link the mutations write.",
    {
        "PERSON": "A person.",
        "ORGANIZATION": "An organization.",
        "HOLDING": "A holding (policy, account, loan).",
        "INTERACTION": "A contact with customers.",
        "EMPLOYMENT": "An employment link.",
        "REPORTING_LINE": "A reporting line.",
        "FAMILY": "A family link.",
        "BENEFICIARY": "A beneficiary link.",
        "BUYING_ROLE": "A buying-centre marker.",
        "INFLUENCE": "An influence link.",
        "ACQUAINTANCE": "An acquaintance link.",
        "COVERAGE": "A coverage link.",
        "REP": "One of our reps.",
        "ACCOUNT_TEAM": "An account team.",
        "PRODUCT": "A product of ours.",
        "OPPORTUNITY": "A sales opportunity.",
        "BUSINESS_EVENT": "A business event of a customer.",
        "AFFINITY_RULE": "A product suggestion rule.",
        "TEAM_MEMBER": "A team membership.",
        "TEAM_ACCOUNT": "An account of a team.",
        "COMPETITOR_COVERAGE": "A competitor's coverage of a customer person.",
        "COMPETITOR_OPPORTUNITY": "A competitor in an opportunity.",
        "TAS_ANSWER": "An answer of the account team to a TAS question.",
    },
)
register(
    w.ArchivableKind,
    "A kind of node that can be archived (soft-deleted: gone from every read, its links and "
    "history kept) and restored.",
    {
        "PERSON": "A person.",
        "ORGANIZATION": "An organization.",
        "REP": "One of our reps.",
        "ACCOUNT_TEAM": "An account team.",
        "PRODUCT": "A product of ours.",
        "OPPORTUNITY": "A sales opportunity.",
        "BUSINESS_EVENT": "A business event of a customer.",
        "AFFINITY_RULE": "A product suggestion rule.",
    },
)
register(
    w.AuditAction,
    "What a change did to its node or link.",
    {
        "CREATE": "Created it.",
        "UPDATE": "Changed it.",
        "DELETE": "Removed it.",
        "ARCHIVE": "Archived it: gone from every read, its links and history kept.",
        "RESTORE": "Restored it from the archive.",
        "MERGE": "Merged a duplicate party into it (or it into another).",
        "ERASE": "Erased the person's personal data (the values are not kept here either).",
    },
)
register(
    pf.DecisionLayerGap,
    "A gap in an account's declared decision layer (决/审 on it or on its opportunities).",
    {
        "NO_SUPPORTER": "People are marked 决 or 审, and none of them supports us (+).",
        "UNCOVERED": "Someone marked 决 or 审 is covered by no rep of ours.",
    },
)
register(
    pf.PortfolioOrder,
    "The order of a portfolio list; ties by id.",
    {
        "NAME": "By name, A to Z (code-point order).",
        "NAME_DESC": "By name, Z to A.",
        "PROFILE_SCORE": "By profile score, lowest first.",
        "PROFILE_SCORE_DESC": "By profile score, highest first.",
        "LAST_FOLLOW_UP": "By the last follow-up (interaction, else customer since), longest "
        "ago first; never followed up first of all.",
        "LAST_FOLLOW_UP_DESC": "By the last follow-up, most recent first.",
    },
)
register(
    t.TasAnswer,
    "An answer to a TAS question.",
    {"YES": "Yes (是).", "NO": "No (否).", "UNKNOWN": "Not known, or no longer current (未知)."},
)
register(
    t.AnswerSource,
    "Where a TAS answer comes from.",
    {
        "GRAPH": "Computed from the graph's facts.",
        "TEAM": "Recorded by the account team (recordTasAnswer or the import).",
        "NONE": "Nobody has answered.",
    },
)
register(
    t.TasHeading,
    "The four groups of the 14 TAS questions (seed 000).",
    {
        "REAL": "是否有真实商机? Is there a real opportunity? (questions 1-4)",
        "COMPETITIVE": "是否有竞争力? Can we compete? (questions 5-8)",
        "WINNABLE": "是否可以成功? Can we win? (questions 9-11)",
        "WORTH": "是否值得去赢? Is it worth winning? (questions 12-14)",
    },
)
register(
    t.CompetitiveStrategy,
    "竞争策略: the strategy chosen against the competition in an opportunity.",
    {
        "FRONTAL": "正面策略: meet the customer head on, with a clear advantage.",
        "FLANKING": "侧面策略: shift the project's focus to new aspects of our solution.",
        "FRAGMENTING": "分化策略: divide the project, focus on the problems we solve.",
        "DEFENSIVE": "防御策略: protect us from the competitor's attacks.",
        "DEVELOPMENT": "拓展策略: lay the ground for future contracts.",
    },
)
register(
    t.Closer,
    "Who is closer to a customer person: we or a competitor.",
    {
        "US": "Our strongest coverage is stronger than any competitor's.",
        "COMPETITOR": "A competitor's relationship is stronger than ours (or we have none).",
        "TIE": "Equally strong.",
        "NOBODY": "Neither we nor a recorded competitor covers them.",
    },
)
register(
    t.CriterionStatus,
    "Whether an exit criterion of a funnel stage is met.",
    {
        "MET": "Met.",
        "NOT_MET": "Not met: the opportunity is not ready for the next stage.",
        "UNKNOWN": "Not known from the graph or the recorded answers.",
    },
)
register(
    jc.Target,
    "What a buying role is placed on.",
    {"ACCOUNT": "An account (the organization).", "OPPORTUNITY": "One opportunity."},
)
register(
    jc.GapReason,
    "Why an account or opportunity needs a new person after a job change.",
    {
        "NO_ONE_LEFT": "No one else holds the decision role (决 or 审) the person held there.",
        "NO_SUPPORTER_LEFT": "The person was the last supporter (+) there.",
    },
)
register(
    jc.WorkRelation,
    "How a colleague was linked to the person at the old job.",
    {
        "MANAGER": "The person reported to them.",
        "DIRECT_REPORT": "They reported to the person.",
    },
    name="JobChangeWorkRelation",
)
