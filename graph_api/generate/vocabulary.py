"""The generator's vocabulary: names, places, industries, titles and the data set's date."""

from __future__ import annotations

from datetime import date, timedelta, timezone

AS_OF = date(2026, 11, 1)  # the data set's "today" (the demo's asOf), not the clock's
CST = timezone(timedelta(hours=8))


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

GENDER = {"F": "FEMALE", "M": "MALE"}
SUBJECTS = {
    "VISIT": "拜访", "CALL": "电话跟进", "MEETING": "方案交流会", "EMAIL": "邮件沟通",
    "MESSAGE": "微信沟通", "COMPLAINT": "客户投诉", "CLAIM": "理赔申请", "SERVICE": "业务办理",
    "PURCHASE": "产品购买", "BILLING": "账单查询", "EVENT": "客户活动",
}  # fmt: skip


def surname_of(name: str) -> tuple[str, str]:
    """The (surname, Latin) pair a Chinese name starts with; the first surname if none."""
    for s in SURNAMES:
        if name.startswith(s[0]):
            return s
    return SURNAMES[0]


# Competitors of the generated bank (id, name, Latin alias) and the strategies against them.
COMPETITORS = [
    ("comp-001", "YY银行", "YY Bank"),
    ("comp-002", "ZZ租赁", "ZZ Leasing"),
    ("comp-003", "WW证券", "WW Securities"),
    ("comp-004", "VV保险", "VV Insurance"),
]
STRATEGIES = [
    ("FRONTAL", "我们的报价与方案均占优"),
    ("FLANKING", "把重心转向我们的结算网络"),
    ("FRAGMENTING", "拆分项目,先拿下结算部分"),
    ("DEFENSIVE", "守住现有授信份额"),
    ("DEVELOPMENT", "为明年的并购项目打基础"),
]
