// Chinese first, English second: the page's words, and the enums' display labels (the API's
// enumLabels when it has them, this table otherwise).
import { graphql } from "./api.js";

const WORDS = {
  title: ["关系探索", "Relationship explorer"],
  searchPlaceholder: ["搜索客户：姓名、拼音、职务…", "Search: name, alias, title…"],
  noHits: ["没有找到", "Nothing found"],
  card: ["客户视图", "360° view"],
  deciders: ["关键决策人", "Key deciders"],
  intros: ["引荐路径", "Introductions"],
  crossSell: ["交叉销售", "Cross-sell"],
  fit: ["适应", "Fit"],
  zoomIn: ["放大", "Zoom in"],
  zoomOut: ["缩小", "Zoom out"],
  expandAll: ["全部展开", "Expand all"],
  collapseAll: ["全部折叠", "Collapse all"],
  subsidiaries: ["含分支机构", "Subsidiaries"],
  influence: ["影响关系", "Influence"],
  legend: ["图例", "Legend"],
  loading: ["加载中…", "Loading…"],
  pickParty: ["搜索一个客户开始。", "Search for a customer to start."],
  noChart: ["该客户没有组织架构图。", "No org chart for this party."],
  employment: ["任职", "Employment"],
  household: ["家庭", "Household"],
  holdings: ["持有产品", "Holdings"],
  householdHoldings: ["家庭持有", "Household holdings"],
  groupHoldings: ["集团汇总持有", "Group roll-up holdings"],
  interactions: ["互动", "Interactions"],
  signals: ["信号", "Signals"],
  contact: ["联系方式", "Contact"],
  coverage: ["我方覆盖", "Our coverage"],
  relationships: ["关系", "Relationships"],
  structure: ["组织结构", "Structure"],
  opportunities: ["商机", "Open opportunities"],
  tier: ["客户层级", "Tier"],
  radCell: ["RAD 格", "RAD cell"],
  sleeping: ["沉睡", "Sleeping"],
  awake: ["活跃", "Active"],
  escalated: ["已升级至", "escalated to"],
  profile: ["资料完整度", "Profile score"],
  missing: ["缺少", "missing"],
  masked: ["已遮蔽", "masked"],
  maskedHint: ["您的角色无权查看此项", "withheld from your role"],
  phone: ["电话", "Phone"],
  email: ["邮箱", "Email"],
  homeAddress: ["住址", "Home address"],
  birthDate: ["生日", "Birth date"],
  orgType: ["类型", "Type"],
  industry: ["行业", "Industry"],
  city: ["城市", "City"],
  employees: ["员工数", "Employees"],
  none: ["无", "none"],
  days: ["天", "days"],
  introduceMe: ["谁能引荐？", "Who can introduce me?"],
  introTarget: ["引荐目标", "Target"],
  noPath: ["没有找到引荐路径", "No introduction path found"],
  noSuggestions: ["没有建议", "No suggestions"],
  evidence: ["依据", "Evidence"],
  popularity: ["（按热门程度兜底）", "(popularity fallback)"],
  assessment: ["TAS 评估", "TAS assessment"],
  tas9: ["TAS 9 决策层支持我们吗？", "TAS 9: does the decision layer support us?"],
  tas10: ["TAS 10 每个层级都有关系吗？", "TAS 10: relationships at every level?"],
  risks: ["风险", "Risks"],
  levels: ["层级覆盖", "Coverage by level"],
  level: ["层", "Level"],
  grade: ["等级", "Grade"],
  people: ["人", "people"],
  covered: ["已覆盖", "covered"],
  score: ["得分", "score"],
  signIn: ["请输入您的 API 密钥或令牌", "Enter your API key or token"],
  signInHint: [
    "生产模式：每个请求都需要凭证。密钥只保存在本标签页会话中，不会出现在网址里。",
    "Production mode: every request needs credentials. The key stays in this tab's session, never in the URL.",
  ],
  signInButton: ["登录", "Sign in"],
  signOut: ["退出", "Sign out"],
  devMode: ["开发模式：开放访问", "Development mode: open"],
  prodMode: ["生产模式", "Production mode"],
  error: ["出错了", "Error"],
  external: ["外部影响者", "External influencers"],
  reportsTo: ["汇报", "reports to"],
  influences: ["影响", "influences"],
  showReports: ["展开下属", "Show reports"],
  hidden: ["人未显示", "not shown"],
  drawn: ["已绘制", "Drawn"],
  of: ["/", "of"],
  uncovered: ["未覆盖的决策人", "Uncovered decider"],
  opponent: ["反对者", "Opponent"],
  levelGap: ["无覆盖的层级", "Level without coverage"],
  coveredLegend: ["我方覆盖（越粗越强）", "Covered by our reps (thicker: stronger)"],
  openMap: ["查看组织架构", "Open org chart"],
  since: ["自", "since"],
  account: ["客户", "Account"],
  onPath: ["路径", "Path"],
  strength: ["强度", "strength"],
  yes: ["是", "Yes"],
  no: ["否", "No"],
};

let lang = "zh";
export function setLanguage(code) {
  lang = code === "en" ? "en" : "zh";
}
export function language() {
  return lang;
}
export function t(word) {
  const pair = WORDS[word];
  if (!pair) return word;
  return lang === "en" ? pair[1] : pair[0];
}

// The seed's marks: role and attitude as account teams write them.
export const ROLE_MARK = {
  DECISION_MAKER: "决",
  APPROVER: "审",
  EVALUATOR: "研",
  INFLUENCER: "咨",
  USER: "用",
};
export const ATTITUDE_MARK = { SUPPORTER: "+", NEUTRAL: "=", NON_SUPPORTER: "-", OPPONENT: "X" };

const BUILT_IN = {
  BuyingRole: {
    DECISION_MAKER: ["决策者", "Decision maker"],
    APPROVER: ["审批者", "Approver"],
    EVALUATOR: ["评估者", "Evaluator"],
    INFLUENCER: ["咨询者", "Influencer"],
    USER: ["使用者", "User"],
  },
  Attitude: {
    SUPPORTER: ["支持", "Supporter"],
    NEUTRAL: ["中立", "Neutral"],
    NON_SUPPORTER: ["不支持", "Non-supporter"],
    OPPONENT: ["反对", "Opponent"],
  },
  InfluenceLevel: { HIGH: ["高", "High"], MEDIUM: ["中", "Medium"], LOW: ["低", "Low"] },
  FamilyKind: {
    SPOUSE: ["配偶", "Spouse"],
    PARENT: ["父母", "Parent"],
    CHILD: ["子女", "Child"],
    SIBLING: ["兄弟姐妹", "Sibling"],
    OTHER: ["其他亲属", "Other"],
  },
  Tier: {
    STRATEGIC: ["战略客户", "Strategic"],
    MID_STRATEGIC: ["准战略客户", "Mid-strategic"],
    NON_STRATEGIC: ["非战略客户", "Non-strategic"],
  },
  CrossSellEvidenceKind: {
    HOUSEHOLD: ["家庭", "Household"],
    EMPLOYER: ["雇主", "Employer"],
    GROUP: ["集团", "Group"],
    SIMILAR_CUSTOMERS: ["相似客户", "Similar customers"],
    RULE: ["关联规则", "Affinity rule"],
    OPPORTUNITY: ["商机", "Opportunity"],
    POPULARITY: ["热门", "Popularity"],
  },
  RiskKind: {
    NO_SUPPORTER_IN_DECISION_LAYER: ["决策层无支持者", "No supporter in the decision layer"],
    OPPOSED_DECIDER: ["决策人反对", "Opposed decider"],
    UNCOVERED_DECIDER: ["决策人未覆盖", "Uncovered decider"],
    WEAKLY_COVERED_DECIDER: ["决策人覆盖弱", "Weakly covered decider"],
    LEVEL_WITHOUT_COVERAGE: ["层级无覆盖", "Level without coverage"],
  },
  Severity: { HIGH: ["高", "High"], MEDIUM: ["中", "Medium"], LOW: ["低", "Low"] },
  RelationshipKind: {
    INFLUENCES: ["影响", "Influences"],
    INFLUENCED_BY: ["受其影响", "Influenced by"],
    KNOWS: ["认识", "Knows"],
  },
  InteractionKind: {
    VISIT: ["拜访", "Visit"],
    CALL: ["电话", "Call"],
    MEETING: ["会议", "Meeting"],
    EMAIL: ["邮件", "Email"],
    MESSAGE: ["消息", "Message"],
    COMPLAINT: ["投诉", "Complaint"],
    CLAIM: ["理赔", "Claim"],
    SERVICE: ["服务", "Service"],
    PURCHASE: ["购买", "Purchase"],
    BILLING: ["账单", "Billing"],
    EVENT: ["活动", "Event"],
  },
  OpportunityStage: {
    IDENTIFIED: ["已识别", "Identified"],
    CONTACTED: ["已接触", "Contacted"],
    QUALIFIED: ["已确认", "Qualified"],
    DEVELOPED: ["方案中", "Developed"],
    COMMITTED: ["已承诺", "Committed"],
    WON: ["赢单", "Won"],
    LOST: ["丢单", "Lost"],
  },
  OrgType: {
    GROUP: ["集团", "Group"],
    HEAD_OFFICE: ["总公司", "Head office"],
    BRANCH: ["分公司", "Branch"],
    SUBSIDIARY: ["子公司", "Subsidiary"],
    DEPARTMENT: ["部门", "Department"],
    COMPANY: ["公司", "Company"],
    INSTITUTE: ["机构", "Institute"],
  },
  Escalation: {
    NONE: ["无", "None"],
    MANAGEMENT: ["管理层", "Management"],
    HEAD_OF_SALES: ["销售负责人", "Head of sales"],
  },
};

// enumLabels from the API, by language: {"BuyingRole": {"DECISION_MAKER": "决策者"}}.
const fromApi = { zh: null, en: null };

export async function loadEnumLabels() {
  if (fromApi[lang]) return;
  try {
    const { data, errors } = await graphql("{ enumLabels { enum value label } }");
    if (errors.length || !data.enumLabels) return; // an API without labels: the built-in table
    const table = {};
    for (const { enum: name, value, label } of data.enumLabels) {
      (table[name] ||= {})[value] = label;
    }
    fromApi[lang] = table;
  } catch {
    // Same: the page stays usable with the table above.
  }
}

export function label(enumName, value) {
  if (value == null) return "";
  const api = fromApi[lang]?.[enumName]?.[value];
  if (api) return api;
  const pair = BUILT_IN[enumName]?.[value];
  if (pair) return lang === "en" ? pair[1] : pair[0];
  return value;
}

export function round(value, digits = 2) {
  if (value == null || Number.isNaN(value)) return "";
  return Number(value).toFixed(digits).replace(/\.?0+$/, "") || "0";
}
