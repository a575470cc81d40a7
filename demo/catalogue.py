"""Names and shapes of the synthetic demo district (SPEC §8). Plausible, clearly invented."""

from __future__ import annotations

# Top-level classes of the 政府收支分类科目 (expenditure functional classification) and whether the
# bureau counts each as livelihood spending (民生支出).
FUNCTION_CLASSES: list[tuple[str, str, bool]] = [
    ("201", "一般公共服务支出", False),
    ("203", "国防支出", False),
    ("204", "公共安全支出", False),
    ("205", "教育支出", True),
    ("206", "科学技术支出", False),
    ("207", "文化旅游体育与传媒支出", True),
    ("208", "社会保障和就业支出", True),
    ("210", "卫生健康支出", True),
    ("211", "节能环保支出", True),
    ("212", "城乡社区支出", True),
    ("213", "农林水支出", True),
    ("214", "交通运输支出", False),
    ("215", "资源勘探工业信息等支出", False),
    ("216", "商业服务业等支出", False),
    ("220", "自然资源海洋气象等支出", False),
    ("221", "住房保障支出", True),
    ("224", "灾害防治及应急管理支出", False),
    ("229", "其他支出", False),
]

GENERAL = "general"
GOVERNMENT_FUND = "gov_fund"
STATE_CAPITAL = "state_capital"
TRANSFER = "transfer"
FUND_SOURCES: list[tuple[str, str]] = [
    (GENERAL, "一般公共预算"),
    (GOVERNMENT_FUND, "政府性基金预算"),
    (STATE_CAPITAL, "国有资本经营预算"),
    (TRANSFER, "上级转移支付"),
]

# Budget of each function class in the demo year, in 亿元 (all fund sources). 农林水 is the
# reference district's 16.1 亿; the others are shaped so that livelihood spending lands near 80 %
# of its budget by 31 October. The previous year is these times PREVIOUS_YEAR_FACTOR, except 农林水.
CLASS_BUDGET_YI: dict[str, str] = {
    "201": "9.2",
    "204": "5.0",
    "205": "30.0",
    "206": "3.5",
    "207": "4.5",
    "208": "27.0",
    "210": "18.0",
    "211": "5.0",
    "212": "22.0",
    "213": "16.1",
    "214": "3.5",
    "215": "1.5",
    "216": "0.8",
    "220": "1.0",
    "221": "4.0",
    "224": "0.8",
}
PREVIOUS_YEAR_FACTOR = "0.93"
AGRICULTURE_CLASS = "213"

# Share of a class's projects paid from the government fund budget (the rest: general public budget,
# apart from the few projects of other sources).
GOVERNMENT_FUND_SHARE: dict[str, float] = {"212": 0.35, "213": 0.15, "220": 0.5, "221": 0.2}

# (name, function classes its projects fall in, the first most often; size weight; number of units)
DEPARTMENTS: list[tuple[str, tuple[str, ...], float, int]] = [
    ("区委办公室", ("201",), 1.0, 2),
    ("区人大常委会办公室", ("201",), 0.6, 1),
    ("区人民政府办公室", ("201",), 1.2, 3),
    ("区政协办公室", ("201",), 0.5, 1),
    ("区纪委监委", ("201",), 0.8, 1),
    ("区委组织部", ("201",), 0.8, 2),
    ("区委宣传部", ("207", "201"), 0.7, 2),
    ("区委统战部", ("201",), 0.4, 1),
    ("区委政法委员会", ("204",), 0.5, 1),
    ("区发展和改革委员会", ("201", "215"), 1.0, 2),
    ("区教育体育局", ("205", "207"), 12.0, 44),
    ("区科学技术局", ("206",), 2.0, 2),
    ("区工业和信息化局", ("215", "206"), 1.8, 2),
    ("区公安分局", ("204",), 4.0, 5),
    ("区民政局", ("208",), 4.0, 7),
    ("区司法局", ("204",), 0.8, 2),
    ("区财政局", ("201",), 1.5, 2),
    ("区人力资源和社会保障局", ("208",), 6.0, 6),
    ("区自然资源和规划局", ("220", "212"), 1.5, 3),
    ("区生态环境局", ("211",), 2.5, 2),
    ("区住房和城乡建设局", ("212", "221"), 6.0, 6),
    ("区交通运输局", ("214",), 2.5, 4),
    ("区水利局", ("213",), 4.0, 5),
    ("区农业农村局", ("213",), 5.0, 7),
    ("区商务局", ("216",), 0.8, 1),
    ("区文化广电和旅游局", ("207",), 1.8, 6),
    ("区卫生健康委员会", ("210",), 9.0, 24),
    ("区退役军人事务局", ("208",), 1.0, 2),
    ("区应急管理局", ("224",), 1.0, 2),
    ("区审计局", ("201",), 0.4, 1),
    ("区市场监督管理局", ("201", "204"), 1.2, 3),
    ("区统计局", ("201",), 0.3, 1),
    ("区医疗保障局", ("210",), 3.0, 2),
    ("区城市管理局", ("212",), 4.0, 5),
    ("区行政审批局", ("201",), 0.5, 1),
    ("区数据局", ("201", "206"), 0.8, 1),
    ("区信访局", ("201",), 0.3, 1),
    ("区机关事务管理中心", ("201",), 0.8, 2),
    ("区总工会", ("201",), 0.4, 1),
    ("共青团区委", ("201",), 0.2, 1),
    ("区妇女联合会", ("201",), 0.2, 1),
    ("区科学技术协会", ("206",), 0.2, 1),
    ("区残疾人联合会", ("208",), 0.6, 2),
    ("区红十字会", ("210",), 0.2, 1),
    ("区档案馆", ("201",), 0.3, 1),
    ("区融媒体中心", ("207",), 0.8, 1),
    ("区人民法院", ("204",), 1.2, 1),
    ("区人民检察院", ("204",), 0.8, 1),
    ("区供销合作总社", ("216",), 0.3, 1),
    ("区乡村振兴局", ("213",), 1.2, 1),
    ("区住房保障和房产管理中心", ("221",), 1.5, 2),
    ("区经济开发区管理委员会", ("212", "215"), 3.0, 3),
    ("区高新技术产业园区管理委员会", ("206", "212"), 2.5, 2),
    ("区滨江新区管理委员会", ("212",), 2.0, 2),
    ("区东城街道办事处", ("201", "212", "208"), 1.5, 4),
    ("区西城街道办事处", ("201", "212", "208"), 1.5, 4),
    ("区南湖街道办事处", ("201", "212", "208"), 1.3, 4),
    ("区北山镇人民政府", ("213", "212", "201"), 1.8, 5),
    ("区青石镇人民政府", ("213", "212", "201"), 1.6, 5),
    ("区临江镇人民政府", ("213", "212", "201"), 1.7, 5),
    ("区白云镇人民政府", ("213", "212", "201"), 1.5, 5),
    ("区金沙镇人民政府", ("213", "212", "201"), 1.6, 5),
    ("区丰乐镇人民政府", ("213", "212", "201"), 1.4, 5),
    ("区长安镇人民政府", ("213", "212", "201"), 1.5, 5),
]

# Departments set up in the demo year: no previous-year projects, so no previous score ("new").
NEW_DEPARTMENTS = {"区数据局", "区乡村振兴局", "区滨江新区管理委员会"}
# Exact ties on the leaderboard: every evaluated project of these scores the same in each year.
#   name: (score this year, score last year) as the four dimension scores
TIED_DEPARTMENTS: dict[str, tuple[tuple[int, int, int, int], tuple[int, int, int, int]]] = {
    "区统计局": ((17, 17, 26, 25), (16, 16, 24, 24)),  # 85 and 80: Δ = +5, C = 85
    "区信访局": ((17, 17, 26, 25), (16, 16, 24, 24)),  # the same: shares the rank exactly
    "区档案馆": ((18, 18, 26, 26), (17, 17, 25, 24)),  # 88 and 83: Δ = +5 too, ranked first by C
}
# Departments whose self-evaluations cover little of their budget ("low coverage").
LOW_COVERAGE_DEPARTMENTS = {"区商务局", "区供销合作总社"}
# The demo department head's department.
HEAD_DEPARTMENT = "区卫生健康委员会"

UNIT_NAMES: dict[str, list[str]] = {
    "区教育体育局": [
        "区实验小学",
        "区第一实验小学",
        "区第二实验小学",
        "区东城小学",
        "区西城小学",
        "区南湖小学",
        "区北山小学",
        "区青石小学",
        "区临江小学",
        "区白云小学",
        "区金沙小学",
        "区丰乐小学",
        "区长安小学",
        "区育才小学",
        "区新华小学",
        "区城北小学",
        "区第一中学",
        "区第二中学",
        "区实验初级中学",
        "区东城初级中学",
        "区西城初级中学",
        "区南湖初级中学",
        "区北山初级中学",
        "区青石初级中学",
        "区临江初级中学",
        "区白云初级中学",
        "区金沙初级中学",
        "区丰乐初级中学",
        "区长安初级中学",
        "区中等专业学校",
        "区特殊教育学校",
        "区实验幼儿园",
        "区机关幼儿园",
        "区东城幼儿园",
        "区西城幼儿园",
        "区南湖幼儿园",
        "区北山中心幼儿园",
        "区青石中心幼儿园",
        "区临江中心幼儿园",
        "区白云中心幼儿园",
        "区教师发展中心",
        "区青少年活动中心",
        "区体育运动学校",
    ],
    "区卫生健康委员会": [
        "区人民医院",
        "区中医院",
        "区妇幼保健院",
        "区疾病预防控制中心",
        "区卫生监督所",
        "区急救中心",
        "区第二人民医院",
        "区精神卫生中心",
        "区血站",
        "东城社区卫生服务中心",
        "西城社区卫生服务中心",
        "南湖社区卫生服务中心",
        "北山镇卫生院",
        "青石镇卫生院",
        "临江镇卫生院",
        "白云镇卫生院",
        "金沙镇卫生院",
        "丰乐镇卫生院",
        "长安镇卫生院",
        "区康复医院",
        "区口腔医院",
        "区老年病医院",
        "区卫生健康信息中心",
    ],
}
GENERIC_UNIT_SUFFIXES = [
    "服务中心",
    "信息中心",
    "综合执法大队",
    "事务中心",
    "管理所",
    "技术推广站",
    "培训中心",
]

# Project items by function class: (item name, category).
PROJECT_ITEMS: dict[str, list[tuple[str, str]]] = {
    "201": [
        ("办公运转经费", "operating"),
        ("信息系统运维", "operating"),
        ("档案数字化", "operating"),
        ("政务服务大厅运行", "operating"),
        ("公务用车运行维护", "operating"),
        ("办公楼维修", "investment"),
    ],
    "203": [("民兵训练", "operating")],
    "204": [
        ("平安建设", "livelihood"),
        ("社会治安防控体系建设", "investment"),
        ("法律援助", "livelihood"),
        ("执法装备购置", "operating"),
    ],
    "205": [
        ("生均公用经费", "livelihood"),
        ("义务教育学校运转保障", "livelihood"),
        ("校舍维修改造", "investment"),
        ("教师培训", "livelihood"),
        ("学生资助", "livelihood"),
        ("学前教育普惠补助", "livelihood"),
        ("课后服务补助", "livelihood"),
        ("教育信息化建设", "development"),
    ],
    "206": [
        ("科技创新券", "development"),
        ("科技型企业培育", "development"),
        ("科创项目招引奖励", "development"),
        ("研发平台建设", "development"),
    ],
    "207": [
        ("公共文化服务", "livelihood"),
        ("全民健身设施", "investment"),
        ("文物保护", "livelihood"),
        ("融媒体平台运维", "operating"),
    ],
    "208": [
        ("城乡低保金", "livelihood"),
        ("特困人员供养", "livelihood"),
        ("养老服务补贴", "livelihood"),
        ("就业补助", "livelihood"),
        ("职业技能培训补贴", "livelihood"),
        ("残疾人两项补贴", "livelihood"),
        ("优抚对象补助", "livelihood"),
    ],
    "210": [
        ("基本公共卫生服务", "livelihood"),
        ("疫情防控经费", "livelihood"),
        ("家庭医生签约服务", "livelihood"),
        ("医疗设备购置", "investment"),
        ("核酸检测基地建设", "investment"),
        ("妇幼健康服务", "livelihood"),
        ("城乡居民医保补助", "livelihood"),
    ],
    "211": [
        ("大气污染防治", "livelihood"),
        ("水环境治理", "livelihood"),
        ("化工产业安全环保整治", "development"),
        ("生态修复", "investment"),
    ],
    "212": [
        ("城市道路维护", "investment"),
        ("园林绿化养护", "livelihood"),
        ("环卫保洁作业", "livelihood"),
        ("老旧小区改造", "investment"),
        ("市政设施维修", "investment"),
        ("污水管网建设", "investment"),
    ],
    "213": [
        ("高标准农田建设", "investment"),
        ("农村人居环境整治", "livelihood"),
        ("村级组织运转保障", "operating"),
        ("一事一议财政奖补", "livelihood"),
        ("乡村振兴示范村创建", "development"),
        ("河道疏浚整治", "investment"),
        ("涉农补贴发放", "livelihood"),
        ("动物防疫", "livelihood"),
    ],
    "214": [("农村公路养护", "investment"), ("公交运营补贴", "livelihood"), ("交通设施维护", "investment")],
    "215": [
        ("实体经济高质量发展扶持", "development"),
        ("企业技术改造补助", "development"),
        ("安全生产专项资金", "development"),
    ],
    "216": [("商贸流通扶持", "development"), ("电子商务发展", "development")],
    "220": [("耕地占补平衡", "investment"), ("挂钩复垦", "investment"), ("国土空间规划编制", "development")],
    "221": [
        ("公共租赁住房运营", "livelihood"),
        ("农村危房改造", "livelihood"),
        ("住房保障补贴", "livelihood"),
    ],
    "224": [("应急物资储备", "operating"), ("防汛防台", "livelihood"), ("安全生产监管", "operating")],
}

# Central direct funds (中央直达资金) received: (name, source level, 亿元); they sum to 5.29 亿.
DIRECT_FUND_GRANTS: list[tuple[str, str, str, str]] = [
    ("义务教育补助经费（直达）", "central", "1.32", "205"),
    ("城乡居民基本医疗保险补助（直达）", "central", "0.98", "210"),
    ("基本公共卫生服务补助（直达）", "provincial", "0.87", "210"),
    ("困难群众救助补助（直达）", "central", "1.05", "208"),
    ("就业补助资金（直达）", "provincial", "0.62", "208"),
    ("农村危房改造补助（直达）", "central", "0.45", "221"),
]

# Per-pupil public funding standards (生均公用经费): this year and last year, 元 per pupil per year.
QUOTA_STANDARDS: list[tuple[str, str, int, int]] = [
    ("幼儿园生均公用经费", "元/生·年", 870, 770),
    ("小学生均公用经费", "元/生·年", 840, 770),
    ("初中生均公用经费", "元/生·年", 1200, 1070),
]

# The bureau's 24 key evaluations: sub-category -> count.
KEY_EVALUATIONS = {"livelihood": 12, "development_policy": 3, "investment_ex_ante": 3, "department_wide": 6}
# Budgets of the 18 project-level key evaluations, in 万元 (the department-wide ones add their
# departments' budgets; one project takes the remainder so that funds involved are 18.97 亿).
KEY_PROJECT_BUDGETS_WAN = [
    9800,
    7600,
    6500,
    5200,
    4800,
    4500,
    4200,
    3900,
    3600,
    3400,
    3200,
    3000,  # livelihood
    6200,
    4100,
    3300,  # development policy
    12500,
    9400,
    7800,  # major government investment, ex-ante
]
EVALUATORS = ["区财政局绩效评价中心", "第三方评价机构（甲）", "第三方评价机构（乙）", "第三方评价机构（丙）"]

INDICATORS: list[tuple[str, str, str, str, str, int]] = [
    # level1, level2, name, direction, unit, weight; the four share the 90 indicator points
    ("产出指标", "数量指标", "服务覆盖人次", "gte", "人次", 40),
    ("成本指标", "经济成本指标", "单位服务成本", "lte", "元", 25),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "gte", "%", 15),
    ("效益指标", "社会效益指标", "社会效益", "qualitative", "", 10),
]
