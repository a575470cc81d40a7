# ruff: noqa: E501 - a message and its translation stay on one line, however long
r"""Simplified Chinese for the UI's English message ids: the bureau's own terms, and the ONE place a
Chinese translation is written.

One direction: ZH → django.po → django.mo. `make messages` runs makemessages (the code's msgids into
zh_Hans/LC_MESSAGES/django.po), then this script, which writes every msgstr of django.po from ZH and
drops the obsolete entries, then compilemessages (django.po → django.mo). Never edit django.po or
django.mo by hand: the next `make messages` overwrites them.

To translate a new message, add `"English msgid": "中文",` at the end of ZH and run `make messages`.
- A plural message (ngettext, {% blocktranslate count %}) is keyed by its singular msgid; its one
  Chinese form fills msgstr[0] (Chinese has one plural form).
- A message with a context (pgettext, {% translate … context "c" %}) is keyed "c\x04msgid", as gettext
  keys it in the .mo.
The script writes the .po, then fails naming every msgid that ZH lacks and every ZH key that no msgid
uses any more (delete those). tests/ops/test_translations.py checks the same, and that django.mo
matches django.po.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

PO_PATH = Path(__file__).resolve().parent / "zh_Hans" / "LC_MESSAGES" / "django.po"
WRAP_WIDTH = 79  # gettext's own width, as makemessages writes

ZH = {
    "This proposal was withdrawn: its evaluation no longer counts.": "该建议已撤回：其评价不再作为依据。",
    # organisation and money
    "Organisation and money": "组织与资金",
    "Projects and standards": "项目与标准",
    "Performance": "绩效",
    "year": "年度",
    "current year": "当前年度",
    "figures as of": "数据截止日",
    "fiscal year": "预算年度",
    "fiscal years": "预算年度",
    "Fiscal year": "预算年度",
    "department": "预算主管部门",
    "departments": "预算主管部门",
    "department head": "部门负责人",
    "department heads": "部门负责人",
    "has a head": "已设负责人",
    "has no head": "未设负责人",
    "budget unit": "预算单位",
    "budget units": "预算单位",
    "projects": "预算项目",
    "project": "预算项目",
    "payments": "支付记录",
    "payment": "支付记录",
    "evaluations": "绩效评价",
    "evaluation": "绩效评价",
    "Evaluations": "绩效评价",
    "indicators": "绩效指标",
    "indicator": "三级指标",
    "kind": "类型",
    "file name": "文件名",
    "SHA-256 checksum": "SHA-256 校验值",
    "imported by": "导入人",
    "imported at": "导入时间",
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "rolled back at": "回滚时间",
    "import batch": "导入批次",
    "import batches": "导入批次",
    "department code": "部门编码",
    "department name": "部门名称",
    "unit code": "单位编码",
    "unit name": "单位名称",
    "class code": "科目编码",
    "class name": "科目名称",
    "counts as livelihood spending": "计入民生支出",
    "function class": "支出功能分类",
    "function classes": "支出功能分类",
    "code": "编码",
    "name": "名称",
    "fund source": "资金来源",
    "fund sources": "资金来源",
    "central": "中央",
    "provincial": "省级",
    "grant code": "直达资金编码",
    "grant name": "直达资金名称",
    "source level": "下达层级",
    "amount (yuan)": "金额（元）",
    "amount (cents)": "金额（分）",
    "received on": "下达日期",
    "central direct fund grant": "中央直达资金",
    "central direct fund grants": "中央直达资金",
    "voucher number": "凭证号",
    "paid on": "支付日期",
    "user": "用户",
    "department membership": "部门负责人关联",
    "department memberships": "部门负责人关联",
    "Amount (10k yuan)": "金额（万元）",
    "Budget (10k yuan)": "预算（万元）",
    "Spent (10k yuan)": "已支出（万元）",
    "Submitted (10k yuan)": "送审金额（万元）",
    "Approved (10k yuan)": "审定金额（万元）",
    "Cut (10k yuan)": "核减额（万元）",
    "Cumulative spent (10k yuan)": "累计支出（万元）",
    "Current budget (10k yuan)": "当前预算（万元）",
    "Proposed budget (10k yuan)": "建议预算（万元）",
    "Final budget (10k yuan)": "最终预算（万元）",
    # projects
    "livelihood": "民生",
    "development policy": "发展类政策",
    "government investment": "政府投资",
    "operating": "运转",
    "qualitative": "定性",
    "proposed (project pool)": "储备（项目库）",
    "approved (in the budget)": "已纳入预算",
    "cancelled": "已取消",
    "project code": "项目编码",
    "project name": "项目名称",
    "unit": "预算单位",
    "category": "项目类别",
    "budget (yuan)": "预算金额（元）",
    "funded from central direct grant": "使用中央直达资金",
    "status": "状态",
    "The grant belongs to another fiscal year.": "该直达资金属于其他预算年度。",
    "overall goal": "总体目标",
    "performance target": "绩效目标",
    "performance targets": "绩效目标",
    "level-1 indicator": "一级指标",
    "level-2 indicator": "二级指标",
    "direction": "方向",
    "target value": "目标值",
    "unit of measure": "计量单位",
    "weight (points)": "分值",
    "actual value": "实际值",
    "officer's judgement (0–1)": "定性完成度（0–1）",
    "Completion of a qualitative indicator, between 0 and 1.": "定性指标的完成程度，介于 0 与 1 之间。",
    "expenditure quota standard": "支出定额标准",
    "expenditure quota standards": "支出定额标准",
    "indicator template": "绩效指标标准",
    "indicator templates": "绩效指标标准",
    # performance
    "excellent": "优",
    "good": "良",
    "fair": "中",
    "poor": "差",
    "unit self-evaluation": "单位自评",
    "key evaluation by the bureau": "财政重点评价",
    "department-wide evaluation": "部门整体评价",
    "ex-ante assessment": "事前绩效评估",
    "livelihood project": "民生项目",
    "major government investment ex-ante evaluation": "重大政府投资前期评估",
    "draft": "草稿",
    "submitted": "已提交",
    "finalised": "已定稿",
    "key evaluation sub-category": "重点评价类别",
    "decision": "决策",
    "process": "过程",
    "output": "产出",
    "benefit": "效益",
    "decision maximum": "决策满分",
    "process maximum": "过程满分",
    "output maximum": "产出满分",
    "benefit maximum": "效益满分",
    "Scores": "得分",
    "Maxima": "满分",
    "total score": "总分",
    "grade": "等级",
    "evaluator": "评价机构",
    "evaluated on": "评价日期",
    "review opinion number": "审核意见书编号",
    "reviewed on": "审核日期",
    "submitted amount (yuan)": "送审金额（元）",
    "approved amount (yuan)": "审定金额（元）",
    "budget review": "预算评审",
    "budget reviews": "预算评审",
    "running": "运行中",
    "succeeded": "成功",
    "failed": "失败",
    "as of": "截止日期",
    "started at": "开始时间",
    "finished at": "结束时间",
    "row counts": "行数",
    "duration (ms)": "耗时（毫秒）",
    "error": "错误",
    "recompute run": "重算批次",
    "recompute runs": "重算批次",
    "whole district": "全区",
    "normal": "正常",
    "attention": "关注",
    "serious": "严重",
    "scope": "范围",
    "scope id": "范围编号",
    "scope name": "范围名称",
    "department id": "部门编号",
    "spent (yuan)": "已支出（元）",
    "spending progress": "支出进度",
    "time progress": "时间进度",
    "gap (percentage points)": "进度差（百分点）",
    "warning level": "预警等级",
    "zero spending": "零支出",
    "overspent": "超预算支出",
    "snapshots": "快照",
    "progress": "进度",
    "monthly": "月度",
    "leaderboard": "排行榜",
    "coverage": "评价覆盖率",
    "progress snapshot": "进度快照",
    "progress snapshots": "进度快照",
    "month": "月份",
    "cumulative spent (yuan)": "累计支出（元）",
    "monthly cumulative spending": "月度累计支出",
    "score": "绩效得分",
    "previous year's score": "上年得分",
    "increment": "增量",
    "increment rank": "增量排名",
    "absolute rank": "总分排名",
    "rank change since previous run": "较上次排名变化",
    "new (no previous year's score)": "新进（无上年得分）",
    "department budget (yuan)": "部门预算（元）",
    "evaluated budget (yuan)": "已评价预算（元）",
    "low coverage": "覆盖率低",
    "weakest dimension": "最弱维度",
    "leaderboard entry": "排行榜条目",
    "leaderboard entries": "排行榜条目",
    "keep and give priority": "保留并优先安排",
    "keep": "保留",
    "cut": "核减",
    "cut or cancel": "核减或取消",
    "pending": "待处理",
    "accepted": "已采纳",
    "changed": "已调整",
    "rejected": "不采纳",
    "budget year adjusted": "调整的预算年度",
    "proposed action": "建议措施",
    "current budget (yuan)": "当前预算（元）",
    "proposed budget (yuan)": "建议预算（元）",
    "final budget (yuan)": "最终预算（元）",
    "decided by": "决定人",
    "decided at": "决定时间",
    "note": "备注",
    "budget adjustment": "预算调整",
    "budget adjustments": "预算调整",
    # recompute engine
    "projects at attention level": "关注级项目数",
    "projects at serious level": "严重级项目数",
    "zero-spending projects": "零支出项目数",
    "overspent projects": "超预算项目数",
    "previous year's budget (yuan)": "上年预算（元）",
    "spent in the same period of last year (yuan)": "上年同期支出（元）",
    "budget growth": "预算同比增长",
    "spending growth on the same period": "支出同比增长",
    "position": "位次",
    "project part": "项目得分部分",
    "evaluated projects": "已评价项目数",
    "decision (share of maximum)": "决策（得分率）",
    "process (share of maximum)": "过程（得分率）",
    "output (share of maximum)": "产出（得分率）",
    "benefit (share of maximum)": "效益（得分率）",
    "same date last year": "上年同期日期",
    "general public budget spending (yuan)": "一般公共预算支出（元）",
    "livelihood spending (yuan)": "民生支出（元）",
    "livelihood share": "民生支出占比",
    "general public budget spending, same period last year (yuan)": "上年同期一般公共预算支出（元）",
    "livelihood spending, same period last year (yuan)": "上年同期民生支出（元）",
    "livelihood spending growth": "民生支出同比增长",
    "direct funds received (yuan)": "直达资金下达（元）",
    "direct funds allocated (yuan)": "直达资金分配（元）",
    "direct funds spent (yuan)": "直达资金支出（元）",
    "direct funds allocation progress": "直达资金分配进度",
    "direct funds spending progress": "直达资金支出进度",
    "review opinions": "审核意见书（份）",
    "submitted (yuan)": "送审金额（元）",
    "cut (yuan)": "核减额（元）",
    "overall cut rate": "综合核减率",
    "headline figures of a run": "重算核心指标",
    "headline figures of runs": "重算核心指标",
    "project score": "项目得分",
    "pull on the score (yuan × points)": "拉低得分程度（元×分）",
    "weak project": "短板项目",
    "weak projects": "短板项目",
    "self-evaluation total": "自评总分",
    "key evaluation total": "重点评价总分",
    "budget execution rate": "预算执行率",
    "self-evaluation exceeds the key evaluation": "自评高于重点评价",
    "excellent with low execution": "自评为优但执行率低",
    "inflated self-evaluation": "自评偏差",
    "inflated self-evaluations": "自评偏差",
    "requested generation": "请求代数",
    "computed generation": "已算代数",
    "last change requested at": "最近变更时间",
    "recompute state": "重算状态",
    "recompute states": "重算状态",
    # pages
    "Budget performance dashboard": "预算绩效管理看板",
    "District Finance Bureau": "区财政局",
    "Budget performance dashboard · administration": "预算绩效管理看板 · 管理后台",
    "Master data": "基础数据",
    "Admin": "管理后台",
    "Log out": "退出",
    "Log in": "登录",
    "No fiscal year yet": "尚无预算年度",
    "Department": "部门",
    "Nothing to show.": "暂无数据。",
    "District Finance Bureau · budget performance management": "区财政局 · 预算绩效管理",
    "Your username and password didn't match. Please try again.": "用户名或密码不正确，请重试。",
    "Username": "用户名",
    "Password": "密码",
    # import and export (SPEC §7)
    "model": "模型",
    "object id": "对象编号",
    "line": "行号",
    "action": "操作",
    "previous values": "原值",
    "new values": "新值",
    "imported row": "导入行",
    "imported rows": "导入行",
    "received": "已接收",
    "validating": "校验中",
    "ready to apply": "待导入",
    "has errors": "有错误",
    "applied": "已导入",
    "file content": "文件内容",
    "size (bytes)": "大小（字节）",
    "uploaded by": "上传人",
    "uploaded at": "上传时间",
    "runs in the background": "后台处理",
    "apply requested at": "申请导入时间",
    "rows": "行数",
    "rows checked": "已校验行数",
    "to create": "待新增",
    "to update": "待更新",
    "problems": "问题",
    "problems found": "问题数",
    "columns found": "识别的列",
    "ignored columns": "未使用的列",
    "import job": "导入任务",
    "import jobs": "导入任务",
    "Kind of data": "数据类型",
    "File (XLSX or CSV)": "文件（XLSX 或 CSV）",
    "The file is empty (0 bytes).": "文件为空（0 字节）。",
    "The file holds no rows of data, only a header or nothing at all.": (
        "文件中没有数据行，只有表头或什么都没有。"
    ),
    "The file is %(size)s bytes; the limit is %(limit)s bytes.": (
        "文件大小为 %(size)s 字节，超过上限 %(limit)s 字节。"
    ),
    "Upload an .xlsx or a .csv file; “%(name)s” is neither.": (
        "请上传 .xlsx 或 .csv 文件；“%(name)s”不是这两种格式。"
    ),
    "The file is not a readable XLSX workbook: %(detail)s": "该文件不是可读取的 XLSX 工作簿：%(detail)s",
    (
        "The workbook unpacks to more than %(limit)s bytes; it is refused to protect the server. Save the da"
        "ta as a smaller workbook or as CSV."
    ): ("该工作簿解压后超过 %(limit)s 字节，为保护服务器已拒绝。请将数据另存为较小的工作簿或 CSV 文件。"),
    (
        "The first sheet states that it spans %(rows)s rows (%(ref)s); at most %(limit)s rows are accepted. "
        "Delete the empty rows below the data, or copy the data to a new sheet, and save again."
    ): (
        "第一个工作表声明其范围为 %(rows)s 行（%(ref)s），最多只接受 %(limit)s 行。请删除数据下方的空行，或"
        "将数据复制到新工作表后重新保存。"
    ),
    "The file has more than %(limit)s rows of data; split it into smaller files.": (
        "文件数据超过 %(limit)s 行，请拆分为多个较小的文件。"
    ),
    (
        "The header cells %(cells)s are merged; every column needs its own header cell. Unmerge the cells an"
        "d give each column its header."
    ): ("表头单元格 %(cells)s 为合并单元格；每一列都需要单独的表头。请取消合并并为每列填写表头。"),
    "The cells %(cells)s are merged; only the first holds a value. Unmerge them.": (
        "单元格 %(cells)s 为合并单元格，只有第一个单元格有值。请取消合并。"
    ),
    "The file is not a text (CSV) file: it contains binary data.": (
        "该文件不是文本（CSV）文件：其中含有二进制数据。"
    ),
    "The file's text is neither UTF-8 nor GBK/GB18030; save it as CSV UTF-8 and try again.": (
        "文件编码既不是 UTF-8 也不是 GBK/GB18030；请另存为“CSV UTF-8”后重试。"
    ),
    "The CSV file cannot be read: %(detail)s": "无法读取该 CSV 文件：%(detail)s",
    "The column “%(column)s” (%(zh)s) is missing from the header.": "表头缺少“%(zh)s”（%(column)s）列。",
    "The column “%(column)s” appears twice in the header.": "表头中“%(column)s”列出现了两次。",
    "A value is required.": "此项必填。",
    "At most %(limit)s characters; this value has %(length)s.": (
        "最多 %(limit)s 个字符，此值有 %(length)s 个。"
    ),
    "%(value)s is negative; it must be 0 or more.": "%(value)s 为负数，不能小于 0。",
    "%(value)s has more than %(places)s decimal places.": "%(value)s 的小数位超过 %(places)s 位。",
    "%(value)s is too large.": "%(value)s 数值过大。",
    "%(value)s is outside %(low)s–%(high)s.": "%(value)s 超出 %(low)s–%(high)s 的范围。",
    "“%(value)s” is not a valid date (use YYYY-MM-DD).": "“%(value)s”不是有效日期（格式为 YYYY-MM-DD）。",
    "“%(value)s” is not one of: %(choices)s.": "“%(value)s”不是以下取值之一：%(choices)s。",
    "There is no fiscal year %(value)s.": "没有 %(value)s 预算年度。",
    "There is no department with code %(value)s.": "没有编码为 %(value)s 的部门。",
    "There is no budget unit with code %(value)s.": "没有编码为 %(value)s 的预算单位。",
    "There is no project %(value)s in fiscal year %(year)s.": "%(year)s 年度没有编码为 %(value)s 的项目。",
    "There is no function class with code %(value)s.": "没有编码为 %(value)s 的支出功能分类。",
    "There is no fund source %(value)s.": "没有资金来源“%(value)s”。",
    "There is no central direct fund grant %(value)s in fiscal year %(year)s.": (
        "%(year)s 年度没有编码为 %(value)s 的中央直达资金。"
    ),
    "%(key)s appears again: line %(first)s has the same key.": (
        "%(key)s 重复出现：第 %(first)s 行已有相同的键。"
    ),
    "%(value)s is above the maximum of %(maximum)s for this dimension.": (
        "%(value)s 超过该维度的满分 %(maximum)s。"
    ),
    "Give either a project code or a department code, not both and not neither.": (
        "项目编码与部门编码须且只能填写其中一个。"
    ),
    "“%(kind)s” is of a project: give its project code.": "“%(kind)s”针对项目，请填写项目编码。",
    "A department-wide evaluation is of a department: give its department code.": (
        "部门整体评价针对部门，请填写部门编码。"
    ),
    (
        "A key evaluation needs its sub-category (key_category); it cannot be told from this project's categ"
        "ory."
    ): ("财政重点评价需要填写重点评价类别（key_category），无法根据该项目的类别推定。"),
    "Only a key evaluation has a sub-category.": "只有财政重点评价才有重点评价类别。",
    "A department-wide key evaluation is of a department, not a project.": (
        "部门整体重点评价针对部门，而不是项目。"
    ),
    "A quantitative indicator (≥, ≤, =) needs a target value.": "定量指标（≥、≤、=）需要填写目标值。",
    "The grant %(value)s belongs to another fiscal year.": "直达资金 %(value)s 属于其他预算年度。",
    "Only the latest import of a kind can be rolled back; roll back %(latest)s first.": (
        "只能回滚同类数据的最近一次导入；请先回滚 %(latest)s。"
    ),
    "This import was already rolled back.": "该次导入已经回滚。",
    (
        "%(count)s rows that this import wrote were changed afterwards (for example line %(line)s); rolling "
        "back would overwrite those changes, so nothing was rolled back."
    ): (
        "该次导入写入的 %(count)s 行此后又被修改（例如第 %(line)s 行）；回滚会覆盖这些修改，因此未作任何回滚"
        "。"
    ),
    (
        "%(count)s %(what)s now refer to rows that this import created (for example line %(line)s); remove t"
        "hem first, so nothing was rolled back."
    ): (
        "现有 %(count)s 条%(what)s引用了该次导入新增的行（例如第 %(line)s 行）；请先删除它们。未作任何回滚。"
    ),
    "The database refused the change (%(detail)s); nothing was changed.": (
        "数据库拒绝了此次修改（%(detail)s），未作任何更改。"
    ),
    "The import was not applied; see the problems below.": "导入未执行，请查看下方的问题。",
    "Nothing to change: every row is already as in the file.": "无需更改：每一行都已与文件一致。",
    "Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.": (
        "导入完成：新增 %(created)s 行，更新 %(updated)s 行，未变 %(unchanged)s 行。"
    ),
    "Line": "行号",
    "Column": "列",
    "Problem": "问题",
    "Rolled back %(batch)s: %(deleted)s rows deleted, %(restored)s rows restored.": (
        "已回滚 %(batch)s：删除 %(deleted)s 行，恢复 %(restored)s 行。"
    ),
    "Import": "导入",
    "Import data": "导入数据",
    (
        "Upload an XLSX or CSV file (UTF-8 or GBK) with English or Chinese headers. You see every problem be"
        "fore anything is changed; the import is then applied all-or-nothing."
    ): (
        "上传 XLSX 或 CSV 文件（UTF-8 或 GBK 编码），表头可用中文或英文。更改任何数据之前，您会先看到全部问"
        "题；导入时要么全部写入，要么全部不写入。"
    ),
    "Check the file": "校验文件",
    "Your uploads not yet applied": "您尚未导入的上传",
    "Uploaded at": "上传时间",
    "Kind": "类型",
    "File": "文件",
    "Status": "状态",
    "Templates and exports": "模板与导出",
    "Empty template, Chinese headers": "空白模板（中文表头）",
    "Empty template, English headers": "空白模板（英文表头）",
    "Export of the stored data": "导出现有数据",
    "Export by year or department": "按年度或部门导出",
    "Recent imports": "最近的导入",
    "Imported at": "导入时间",
    "By": "导入人",
    "Created": "新增",
    "Updated": "更新",
    "Unchanged": "未变",
    "rolled back %(when)s": "已于 %(when)s 回滚",
    "Roll back": "回滚",
    "Nothing imported yet.": "尚无导入。",
    (
        "Only the latest import of each kind can be rolled back; rolling back restores exactly what it chang"
        "ed."
    ): ("每类数据只能回滚最近一次导入；回滚将原样恢复该次导入所作的更改。"),
    "%(size)s, uploaded %(when)s": "%(size)s，上传于 %(when)s",
    "Applying the file…": "正在导入文件…",
    "Checking the file…": "正在校验文件…",
    "This page updates itself.": "本页面会自动刷新。",
    "Rows": "行数",
    "To create": "待新增",
    "To update": "待更新",
    "Columns not used by this kind of import:": "此类导入不使用的列：",
    "Applied as": "已导入为",
    "Apply: create %(created)s, update %(updated)s": "执行导入：新增 %(created)s 行，更新 %(updated)s 行",
    "Problems found: %(count)s. Nothing is changed until they are fixed.": (
        "发现 %(count)s 个问题，修正之前不会更改任何数据。"
    ),
    "The first %(shown)s are listed here.": "此处列出前 %(shown)s 个。",
    "Download the problems as CSV": "下载问题清单（CSV）",
    "Rolled back at": "回滚时间",
    "Roll back this import": "回滚此次导入",
    "Rows written by this import": "此次导入写入的行",
    "Action": "操作",
    "Row id": "行编号",
    "Values before": "原值",
    "Previous": "上一页",
    "Next": "下一页",
    "Page %(number)s of %(total)s": "第 %(number)s 页，共 %(total)s 页",
    "Export": "导出",
    "Export data": "导出数据",
    (
        "Files in the import format, with the rows you may see. Choose a year and a department to narrow the"
        "m down."
    ): ("导入格式的文件，只含您有权查看的数据。可按年度和部门筛选。"),
    "Year": "年度",
    "All years": "全部年度",
    "All departments": "全部部门",
    "Filter": "筛选",
    "Download": "下载",
    (
        "The server could not finish this import; nothing was changed. Upload the file again, or tell the "
        "administrator if it happens again."
    ): "服务器未能完成此次导入，未作任何更改。请重新上传文件；如再次出现，请告知管理员。",
    # dashboard pages (SPEC §6)
    "10k yuan": "万元",
    "100m yuan": "亿元",
    "Projects": "预算项目",
    "Project count": "项目数",
    "District average": "全区平均",
    "Outcome": "处理结果",
    "Score C (points)": "得分 C（分）",
    "Month %(month)s": "%(month)s月",
    "Cumulative spending": "累计支出",
    "%{x}: %{y:,.2f} 10k yuan spent (%{customdata[0]:.1f}% of budget)": "%{x}：累计支出 %{y:,.2f} 万元（占预算 %{customdata[0]:.1f}%）",
    "Budget × time progress": "预算 × 时间进度",
    "%{x}: %{y:,.2f} 10k yuan at time progress": "%{x}：按时间进度应支出 %{y:,.2f} 万元",
    "Cumulative spending by month, %(year)s": "%(year)s年各月末累计支出",
    "%{y}: %{x:,.2f} of %{customdata[0]:,.2f} 100m yuan (%{customdata[1]:.1f}%)": "%{y}：已支出 %{x:,.2f} 亿元，预算 %{customdata[0]:,.2f} 亿元（%{customdata[1]:.1f}%）",
    "Spending by function class (★ livelihood)": "按支出功能分类的支出（★ 民生支出）",
    "gap, pp": "差距（百分点）",
    "%{x}: %{y} evaluations": "%{x}：%{y} 项评价",
    "Grade": "评价等级",
    "Increment of the score on last year": "绩效得分较上年增量",
    "Δ score (points)": "得分增量 Δ（分）",
    "%{x}: %{y:.2f} points": "%{x}：%{y:.2f} 分",
    "Score over the years": "历年绩效得分",
    "Decision": "决策",
    "Process": "过程",
    "Output": "产出",
    "Benefit": "效益",
    "Dimension profile (share of maximum)": "一级指标得分率",
    "Share of maximum, percent": "得分率（百分比）",
    "Search code or name": "搜索编码或名称",
    "Function class": "支出功能分类",
    "Fund source": "资金来源",
    "Category": "项目类别",
    "Warning level": "预警等级",
    "Flag": "标记",
    "Key category": "重点评价类别",
    "Changed budget (10k yuan)": "调整后预算（万元）",
    "Note": "备注",
    "Give the changed budget in 10k yuan.": "请填写调整后的预算（万元）。",
    "yes": "是",
    "Project code": "项目编码",
    "Project": "预算项目",
    "Budget unit": "预算单位",
    "Spending progress": "支出进度",
    "Gap (pp)": "差距（百分点）",
    "Warning": "预警",
    "Last year's score": "上年得分",
    "Since last run": "较上次变化",
    "Coverage": "评价覆盖率",
    "Low coverage": "覆盖率低",
    "new": "新增",
    "up": "上升",
    "down": "下降",
    "Unit code": "单位编码",
    "Zero spending": "零支出",
    "Overspent": "超支",
    "No project has a warning.": "没有预警项目。",
    "Grant code": "资金编码",
    "Grant": "直达资金",
    "Received (10k yuan)": "下达（万元）",
    "Allocated (10k yuan)": "已分配（万元）",
    "Allocation progress": "分配进度",
    "Project or department": "项目或部门",
    "Total": "合计",
    "Evaluated on": "评价日期",
    "Self-evaluation": "自评得分",
    "Key evaluation": "重点评价得分",
    "Execution rate": "预算执行率",
    "Above the key evaluation": "高于重点评价",
    "Excellent with low execution": "评为优但执行率低",
    "No self-evaluation looks inflated.": "未发现自评虚高。",
    "Proposal": "建议",
    "Decided by": "决定人",
    "Decide": "处理",
    "No proposals for this year.": "本年度没有调整建议。",
    "Spending progress by department and unit": "各部门、单位支出进度",
    "Spending progress of the %(count)s largest departments and their units": "预算规模前 %(count)s 位部门及其单位的支出进度",
    "Finalised evaluations by grade, %(year)s": "%(year)s年已定稿评价的等级分布",
    "Payment": "支付记录",
    "Evaluation": "绩效评价",
    "deleted": "删除",
    "import or system": "导入或系统",
    "%(project)s: %(decision)s.": "%(project)s：%(decision)s。",
    "Choose a fiscal year.": "请选择预算年度。",
    "No figures computed yet.": "尚未计算。",
    "Computed %(when)s as of %(as_of)s in %(seconds)s s.": "已于 %(when)s 按截至 %(as_of)s 的数据完成计算，用时 %(seconds)s 秒。",
    "The last recompute failed: %(error)s": "上次重算失败：%(error)s",
    "Main": "主导航",
    "My department": "本部门",
    "Overview": "总览",
    "Leaderboard": "排行榜",
    "Warnings": "预警",
    "Budget adjustments": "预算调整",
    "Direct funds": "直达资金",
    "Accept": "采纳",
    "Change": "调整",
    "Clear": "清除",
    "Show": "显示",
    "Figures as of %(as_of)s · computed %(when)s": "数据截至 %(as_of)s · 计算于 %(when)s",
    "Stale: changes are waiting for a recompute.": "数据已过时：有变更等待重算。",
    "No figures have been computed for this year yet.": "本年度尚未计算。",
    "The last recompute failed; these are the figures of the run before it.": "上次重算失败；显示的是之前一次计算的结果。",
    "Recompute now": "立即重算",
    "Queued; waiting for the worker…": "已排队，等待后台计算…",
    "Done. Reload to see the new figures.": "完成。刷新页面查看新数据。",
    "Reload": "刷新",
    "The recompute could not be queued.": "无法提交重算任务。",
    "%(counter)s rows": "共 %(counter)s 行",
    "Proposed from the finalised evaluations of %(year)s: excellent — keep and give priority; good — keep; fair — cut; poor — cut or cancel.": "依据%(year)s年已定稿的评价结果提出：优——保留并优先安排；良——保留；中——核减；差——核减或取消。",
    "No finalised evaluation": "无已定稿评价",
    "No projects this year, so no score and no rank.": "本年度无项目，暂无得分和排名。",
    "last year %(score)s": "上年 %(score)s",
    "no score last year": "上年无得分",
    "Evaluation coverage": "评价覆盖率",
    "Low coverage: the score rests on few evaluated funds.": "覆盖率低：得分所依据的评价资金较少。",
    "%(n)s of %(total)s projects evaluated": "已评价 %(n)s / %(total)s 个项目",
    "Spending vs time progress": "支出进度 / 时间进度",
    "Weak spots": "短板",
    "Weakest dimension: <strong>%(weakest_dimension)s</strong> (lowest mean score as a share of its maximum).": "最弱一级指标：<strong>%(weakest_dimension)s</strong>（平均得分率最低）。",
    "The projects that pull the score down most (budget × (C − project score)):": "拉低得分最多的项目（预算 × (C − 项目得分)）：",
    "score %(score)s, budget %(budget)s (10k yuan)": "得分 %(score)s，预算 %(budget)s 万元",
    "No project pulls the score down.": "没有拉低得分的项目。",
    "Budget units": "预算单位",
    "Central direct funds, %(year)s": "%(year)s年中央直达资金",
    "Received": "下达",
    "Allocated": "已分配",
    "%(amount)s (100m yuan)": "%(amount)s 亿元",
    "Spent": "已支出",
    "Performance evaluations, %(year)s": "%(year)s年绩效评价",
    "Key evaluations": "重点评价",
    "Sub-category": "类别",
    "Finalised": "已定稿",
    "Funds involved (100m yuan)": "涉及资金（亿元）",
    "No finalised key evaluations.": "没有已定稿的重点评价。",
    "Self-evaluation check": "自评质量核查",
    "Self-evaluations more than the allowed margin above the key evaluation of the same project, or graded excellent with a low budget execution rate.": "自评得分超出同一项目重点评价得分允许幅度的，或评为优但预算执行率低的项目。",
    "All evaluations": "全部评价",
    "Incremental performance leaderboard, %(year)s": "%(year)s年增量绩效排行榜",
    "Your department, %(name)s, is highlighted.": "已高亮显示本部门（%(name)s）。",
    "District overview, %(year)s": "%(year)s年全区总览",
    "Headline figures": "主要指标",
    "Budget": "预算",
    "%(n)s projects": "%(n)s 个项目",
    "to %(as_of)s": "截至 %(as_of)s",
    "gap %(gap)s pp": "差距 %(gap)s 个百分点",
    "Livelihood share": "民生支出占比",
    "%(spent)s (100m yuan)": "%(spent)s 亿元",
    "Direct funds allocated": "直达资金分配进度",
    "%(allocated)s of %(received)s (100m yuan)": "已分配 %(allocated)s / 下达 %(received)s 亿元",
    "Direct funds spent": "直达资金支出进度",
    "%(serious)s serious, %(attention)s attention; %(zero)s zero-spending, %(over)s overspent": "严重 %(serious)s 个，关注 %(attention)s 个；零支出 %(zero)s 个，超支 %(over)s 个",
    "Budget reviews": "预算评审",
    "%(n)s opinions, %(submitted)s submitted, %(cut)s cut (100m yuan)": "评审意见 %(n)s 份，送审 %(submitted)s 亿元，核减 %(cut)s 亿元",
    "Central direct fund grant": "中央直达资金",
    "Performance indicators": "绩效指标",
    "Level 1": "一级指标",
    "Level 2": "二级指标",
    "Indicator": "三级指标",
    "Direction": "方向",
    "Target": "目标值",
    "Actual": "实际值",
    "Weight (points)": "分值",
    "judged %(j)s": "评定 %(j)s",
    "No indicators.": "暂无绩效指标。",
    "Evaluator": "评价机构",
    "No evaluations.": "暂无绩效评价。",
    "Where the figures came from": "数据来源",
    "Imported": "导入时间",
    "rolled back": "已回滚",
    "Change history": "变更记录",
    "When": "时间",
    "Who": "操作人",
    "What": "对象",
    "Old → new": "原值 → 新值",
    "No recorded changes.": "暂无变更记录。",
    "Projects, %(year)s": "%(year)s年预算项目",
    "Spending warnings, %(year)s": "%(year)s年支出进度预警",
    "Projects whose spending progress lags time progress (attention, serious), projects that have paid nothing after the first quarter, and overspent projects.": "支出进度落后于时间进度的项目（关注、严重），一季度后仍无支出的项目，以及超支项目。",
    "By department": "按部门",
    "Serious": "严重",
    "Attention": "关注",
    # security: login throttling, sessions, and django-axes in Django admin
    (
        "Too many failed logins for this username or from this address. Logging in is paused for "
        "%(minutes)s minutes; please try again later."
    ): "该用户名或该地址登录失败次数过多，登录已暂停 %(minutes)s 分钟，请稍后再试。",
    "Your session has expired. Please log in again.": "会话已过期，请重新登录。",
    "Login throttling": "登录限制",
    "access attempt": "登录尝试",
    "access attempts": "登录尝试",
    "Access Attempt": "登录尝试",
    "access attempt expiration": "登录尝试过期时间",
    "access attempt expirations": "登录尝试过期时间",
    "access failure": "登录失败记录",
    "access failures": "登录失败记录",
    "access log": "登录日志",
    "access logs": "登录日志",
    "Access lock out": "登录锁定",
    "Attempt Remaining": "剩余尝试次数",
    "Attempt Time": "尝试时间",
    "Clean up expired attempts": "清理过期的登录尝试",
    "Expires At": "过期时间",
    "Failed Logins": "失败次数",
    "Form Data": "表单数据",
    "GET Data": "GET 数据",
    "HTTP Accept": "HTTP Accept 请求头",
    "IP Address": "IP 地址",
    "Locked Out": "已锁定",
    "Logout Time": "退出时间",
    "Meta Data": "元数据",
    "Not set": "未设置",
    "Path": "路径",
    "POST Data": "POST 数据",
    "Session key hash (sha256)": "会话密钥哈希（SHA-256）",
    "The time when access attempt expires and is no longer valid.": "该登录尝试记录过期失效的时间。",
    "User Agent": "浏览器标识",
    # --- exports ---
    "The key evaluation's grade if there is one, else the self-evaluation's": "有财政重点评价的取其等级，否则取单位自评等级",
    "self-evaluation: %(grade)s": "自评：%(grade)s",
    "ex-ante: %(grade)s": "事前评估：%(grade)s",
    # --- imports ---
    "Lines": "行号",
    "%(what)s (%(rows)s rows)": "%(what)s（%(rows)s 条）",
    "%(created)s created, %(updated)s updated": "新增 %(created)s 条、更新 %(updated)s 条",
    "Entered by hand or by the demo seed: no import file changed this project or its payments, indicators or evaluations.": "手工录入或演示数据：没有导入文件修改过此项目及其支付记录、绩效指标和绩效评价。",
    "“%(value)s” is not a number: write digits, with thousands commas if you like, one decimal point and an optional sign, such as -1,234.56.": "“%(value)s”不是数字：请只写数字，可用千分位逗号、一个小数点和正负号，例如 -1,234.56。",
    "“%(value)s” is not a year: write its four digits, such as 2021.": "“%(value)s”不是有效年度：请写四位数字，例如 2021。",
    # --- reader ---
    (
        "The first sheet has a cell at %(ref)s, row %(rows)s; at most %(limit)s rows are accepted. "
        "Delete what lies below the data, or copy the data to a new sheet, and save again."
    ): (
        "第一个工作表在 %(ref)s（第 %(rows)s 行）有单元格，最多只接受 %(limit)s 行。请删除数据下方的内容，"
        "或将数据复制到新工作表后重新保存。"
    ),
    (
        "The first sheet has a cell at %(ref)s, column %(columns)s; at most %(limit)s columns are accepted. "
        "Delete what lies to the right of the data, or copy the data to a new sheet, and save again."
    ): (
        "第一个工作表在 %(ref)s（第 %(columns)s 列）有单元格，最多只接受 %(limit)s 列。请删除数据右侧的内容，"
        "或将数据复制到新工作表后重新保存。"
    ),
    (
        "The first sheet spans %(cells)s cells up to %(ref)s; at most %(limit)s are accepted. "
        "Delete what lies beyond the data, or split the file."
    ): "第一个工作表的范围到 %(ref)s 共 %(cells)s 个单元格，最多只接受 %(limit)s 个。请删除数据以外的内容，或拆分文件。",
    (
        "Checking this file needs more memory than one import may use (%(limit)s MB); nothing was changed. "
        "Split the file, or save it as CSV."
    ): "检查此文件所需内存超过单次导入的上限（%(limit)s MB），未作任何更改。请拆分文件，或另存为 CSV。",
    (
        "Your large file “%(file)s” is still being checked or applied; wait until it is done before you "
        "upload another large file."
    ): "您的大文件“%(file)s”仍在检查或导入中；请待其完成后再上传另一个大文件。",
    (
        "The process working on this file stopped without finishing (it was restarted, or the file needed "
        "more memory than it had); nothing was changed. Upload the file again, or split it into smaller "
        "files; tell the administrator if it happens again."
    ): (
        "处理此文件的进程未完成即已停止（进程被重启，或文件所需内存超出可用内存），未作任何更改。"
        "请重新上传文件，或将其拆分为较小的文件；如再次出现，请告知管理员。"
    ),
    "last sign of life": "最近活动时间",
    "validation attempts": "检查次数",
    "reason of failure": "失败原因",
    # --- adjustments ---
    "review": "复核",
    "self-evaluation above the key evaluation": "自评高于重点评价",
    "reasons for review": "复核原因",
    "This proposal is already decided.": "该建议已处理。",
    "A proposal under review has no figure to accept: give your own figure (Change) or do not adopt it.": "复核建议没有可采纳的金额：请填写金额后点“调整”，或不采纳。",
    "Many proposals at once can only be accepted or not adopted.": "批量处理只能采纳或不采纳。",
    "Give one reason for deciding many proposals at once.": "批量处理须填写理由。",
    "The proposals changed since you confirmed (%(now)s now, %(confirmed)s confirmed): nothing was decided.": "确认后建议已变化（现有 %(now)s 条，确认时 %(confirmed)s 条）：未作任何处理。",
    "No proposal to decide.": "没有可处理的建议。",
    "%(count)s of them are already decided.": "其中 %(count)s 条已处理。",
    "%(count)s of them ask for review, which has no figure to accept: decide those one by one.": "其中 %(count)s 条为复核建议，没有可采纳的金额：请逐条处理。",
    "Nothing was decided.": "未作任何处理。",
    "You typed an amount but did not press Change: press Change to record it, or clear it to accept the proposed budget or not adopt the proposal.": "已填写金额但未点“调整”：请点“调整”记录该金额，或清空金额后再采纳建议预算或不采纳。",
    "Do not adopt": "不采纳",
    "Reason": "理由",
    "Tick the proposals to decide, or choose every pending one of the filter.": "请勾选要处理的建议，或选择处理筛选结果中全部待处理的建议。",
    "District": "全区",
    "The filter is not valid: nothing was decided.": "筛选条件无效：未作任何处理。",
    "%(count)s of the ticked proposals are no longer there (withdrawn by a recompute): nothing was decided. Reload the page and tick again.": "勾选的建议中有 %(count)s 条已不存在（重算时已撤回）：未作任何处理。请刷新页面后重新勾选。",
    "No pending proposal in this filter: nothing to decide.": "筛选结果中没有待处理的建议。",
    "%(count)s proposals: %(decision)s.": "%(count)s 条建议：%(decision)s。",
    "Applying the results of %(year)s to the %(target_year)s budget": "%(year)s年评价结果应用于%(target_year)s年预算",
    "A project whose self-evaluation looks inflated gets review instead, with the reason, and keeps its budget until decided.": "自评虚高的项目改为“复核”并注明原因，处理前预算不变。",
    "Accept, change or do not adopt each proposal, or tick many and decide them at once.": "可逐条采纳、调整或不采纳，也可勾选多条一并处理。",
    "Effect on the %(target_year)s budget": "对%(target_year)s年预算的影响",
    "district: %(before)s → %(after)s 10k yuan": "全区：%(before)s → %(after)s 万元",
    "Before: the current budgets of the projects with a proposal. After decisions: accepted and changed decisions applied, every other project at its current budget. After all proposals: the pending proposals applied as well (under review: unchanged). Not adopted: unchanged. In 10k yuan.": "调整前：有调整建议的项目的当前预算之和。按已处理：已采纳和已调整的按处理结果计，其余按当前预算计。按全部建议：待处理的建议也按建议预算计（复核的不变）。不采纳的不变。单位：万元。",
    "Proposals": "建议数",
    "Pending": "待处理",
    "Before": "调整前",
    "After decisions": "按已处理",
    "After all proposals": "按全部建议",
    "Decide many at once": "批量处理",
    "Decide the ticked rows…": "处理勾选的建议…",
    "Decide all %(counter)s pending rows of this filter…": "处理筛选结果中全部 %(counter)s 条待处理建议…",
    "You confirm on the next page.": "下一步确认后才生效。",
    "Confirm the decisions": "确认批量处理",
    "%(decision)s: %(counter)s proposals for the %(target_year)s budget, each recorded as if decided singly.": "%(decision)s：%(target_year)s年预算的 %(counter)s 条建议，每条分别记录，与逐条处理相同。",
    "Next year's budget of these projects after the decision (10k yuan)": "处理后这些项目的下年预算（万元）",
    "%(counter)s of them are already decided: nothing will be decided. Go back and untick them.": "其中 %(counter)s 条已处理：将不作任何处理。请返回取消勾选。",
    "%(counter)s of them ask for review, which has no figure to accept: nothing will be accepted. Filter by proposal to leave them out, or decide them one by one.": "其中 %(counter)s 条为复核建议，没有可采纳的金额：将不作任何采纳。请按“建议”筛选排除，或逐条处理。",
    "Confirm": "确认",
    "Back, decide nothing": "返回，不作处理",
    # --- display ---
    "unchanged on the same period last year": "与上年同期持平",
    "up %(growth)s on the same period last year": "同比增长 %(growth)s",
    "down %(growth)s on the same period last year": "同比下降 %(growth)s",
    "%{x}: %{y:,.2f} 100m yuan spent (%{customdata[0]:.1f}% of budget)": "%{x}：累计支出 %{y:,.2f} 亿元（占预算 %{customdata[0]:.1f}%）",
    "%{x}: %{y:,.2f} 100m yuan at time progress": "%{x}：按时间进度应支出 %{y:,.2f} 亿元",
    "Number of evaluations": "评价数（个）",
    "The project's cumulative spending by month, %(year)s": "%(year)s年本项目各月末累计支出",
    "%{label}<br>budget %{value:,.2f} 10k yuan<br>spent %{customdata[0]:,.2f} 10k yuan<br>gap %{customdata[1]} pp (%{customdata[2]})": "%{label}<br>预算 %{value:,.2f} 万元<br>已支出 %{customdata[0]:,.2f} 万元<br>差距 %{customdata[1]} 个百分点（%{customdata[2]}）",
    "%(spent)s (100m yuan), %(growth)s": "%(spent)s 亿元，%(growth)s",
    "Projects with a warning": "预警项目",
    "; %(n)s of them counted twice (for instance zero-spending and serious)": "；其中 %(n)s 个项目重复计入（如零支出且严重滞后）",
    "Every department with a warned project. A project can count twice: a zero-spending project is also serious, so the four counts can add up to more than the projects with a warning.": "列出所有有预警项目的部门。一个项目可能重复计入：零支出项目同时属于严重滞后，因此四项之和可能大于预警项目数。",
    "Performance score (C)": "绩效得分（C）",
    "Change on last year (Δ)": "比上年增减（Δ）",
    "Rank by change (Δ)": "增量排名（按 Δ）",
    "Rank by score (C)": "得分排名（按 C）",
    "rank by score %(rank)s / %(total)s": "得分排名 %(rank)s / %(total)s",
    "Low coverage: see the legend": "评价覆盖率低，见表上方说明",
    "Departments are ranked by how much their performance score changed on last year (Δ), not by the score itself: a department that improves moves up. ▲ ▼ show the move since the previous run.": "各部门按绩效得分比上年的增减（Δ）排名，而不是按得分本身：得分提高的部门名次上升。▲ ▼ 表示与上次计算相比的名次变化。",
    "No department has a performance score for %(previous_year)s, the year before, so every department is listed as new: a change Δ needs last year's score. This year they are listed by their score C; the ranking by change starts next year.": "%(previous_year)s年（上一年度）没有任何部门的绩效得分，而增减（Δ）需要上年得分，因此本年度所有部门均列为“新增”，按绩效得分（C）排列；增量排名从下一年度开始。",
    "It is new this year and has no rank by change.": "本部门为本年度新增，没有增量排名。",
    "Rank by change %(rank)s / %(total)s (Δ %(delta)s).": "增量排名 %(rank)s / %(total)s（Δ %(delta)s）。",
    "Rank by score %(rank)s / %(total)s.": "得分排名 %(rank)s / %(total)s。",
    "How the ranking is computed (weights %(project)s / %(department)s, coverage threshold %(threshold)s)": "排名如何计算（权重 %(project)s / %(department)s，覆盖率阈值 %(threshold)s）",
    "Performance score C = %(project)s × the project part + %(department)s × the department-wide evaluation. A department without a finalised department-wide evaluation has the project part as its score.": "绩效得分 C = %(project)s × 项目部分 + %(department)s × 部门整体评价得分；没有已定稿部门整体评价的部门，以项目部分作为得分。",
    "The project part is the mean of the projects' scores weighted by their budgets: the bureau's key evaluation where there is one, else the unit's self-evaluation. Only finalised evaluations count; a department none of whose projects is evaluated has no score.": "项目部分为各项目得分按预算金额加权的平均值：有财政重点评价的取重点评价得分，否则取单位自评得分。只计已定稿的评价；没有任何项目经过评价的部门没有得分。",
    "Change Δ = this year's score C − last year's score C.": "增减 Δ = 本年绩效得分 C − 上年绩效得分 C。",
    "Departments are ranked by Δ, highest first. With equal Δ, the higher score C comes first. With equal Δ and equal C, departments share a rank (the next rank is skipped) and are listed by department code.": "按 Δ 从高到低排名；Δ 相同的，绩效得分 C 高者在前；Δ 与 C 都相同的并列同一名次（其后名次顺延跳过），按部门编码排列。",
    "A department without last year's score is listed as new, after the ranked ones: it has a rank by score but no rank by change.": "没有上年得分的部门列为“新增”，排在有增量排名的部门之后：有得分排名，没有增量排名。",
    "Coverage = evaluated budget ÷ the department's budget. Below %(threshold)s the department is marked ⚠ low coverage: it keeps its rank, but its score rests on few evaluated funds.": "评价覆盖率 = 已评价项目预算 ÷ 部门预算。低于 %(threshold)s 的部门标注 ⚠ 覆盖率低：名次保留，但其得分所依据的已评价资金较少。",
    "28 / 61 reads: 28th of the 61 departments that have a rank.": "“28 / 61”表示在 61 个有名次的部门中排第 28 名。",
    "low coverage: evaluated projects cover less than %(threshold)s of the department's budget, so its score rests on few evaluations; it keeps its rank.": "覆盖率低：已评价项目预算不足部门预算的 %(threshold)s，得分所依据的评价较少；名次保留。",
    # --- hardening ---
    "Page not found": "页面不存在",
    "There is no such page, or it is not one your role may see (a department head sees only their own department). Check the address, or go back and choose from the menu.": "没有这个页面，或者您的角色无权查看（部门负责人只能查看本部门）。请检查网址，或返回后从菜单中选择。",
    "Not allowed": "无权操作",
    "Your account may not do this. If you think it should, ask the bureau's administrator.": "您的账号无权进行此操作。如确需此权限，请联系局里的系统管理员。",
    "The form had expired. Reload the page and send it again.": "表单已过期。请刷新页面后重新提交。",
    "Bad request": "请求有误",
    "The address could not be read": "无法识别该网址",
    "The page was asked for with a value it does not accept. Nothing was changed. Go back and choose again from the page's own controls.": "网址中含有页面不接受的值，未作任何修改。请返回后使用页面上的选项重新选择。",
    "The address holds a character that no search or filter accepts.": "网址中含有任何查询或筛选都不接受的字符。",
    "Something went wrong": "出错了",
    "Something went wrong on our side": "系统内部出错",
    "The page could not be shown, and the error has been recorded. Try again in a moment; if it happens again, tell the bureau's administrator what you were doing.": "页面无法显示，错误已记录。请稍后重试；如再次出现，请告知局里的系统管理员您当时在做什么。",
    "Back to the overview": "返回总览",
    "Your account has no role in the dashboard, so it shows no figures. Ask the bureau's administrator for one.": "您的账号在看板中尚未分配角色，因此不显示任何数据。请联系局里的系统管理员分配角色。",
    "Column headers": "列标题",
    "In the page's language": "与页面语言相同",
    "Apply to the downloads": "应用于下载文件",
    "The payment date %(date)s is outside fiscal year %(year)s: a payment of %(year)s is dated from %(year)s-01-01 to %(year)s-12-31.": "支付日期 %(date)s 不在 %(year)s 预算年度内：%(year)s 年度的支付记录日期应在 %(year)s-01-01 至 %(year)s-12-31 之间。",
    "The payment date %(date)s is after %(as_of)s, the date the figures of %(year)s are computed as of: the payment is imported, but counts in the figures only once they are computed as of a later date.": "支付日期 %(date)s 晚于 %(year)s 年度的数据截止日 %(as_of)s：该支付记录可以导入，但要等数据截止日调整到该日期之后才计入各项数据。",
    "Voucher %(voucher)s already belongs to project %(stored)s; this line gives project %(given)s. A voucher is never moved to another project: correct the line, or reverse the payment in its project and pay the other project under a new voucher.": "凭证号 %(voucher)s 已属于项目 %(stored)s，本行填写的是项目 %(given)s。凭证不能转到其他项目：请更正本行，或在原项目中红字冲销该笔支付，再以新凭证号向另一项目支付。",
    "The payments of project %(project)s would sum to %(total)s yuan up to %(date)s, below zero: a reversal may take back at most what was paid up to its date.": "项目 %(project)s 截至 %(date)s 的支付合计将为 %(total)s 元，低于零：红字冲销的金额不能超过该日期前已支付的金额。",
    "The column “%(column)s” gives its amounts in %(unit)s; amounts are imported in 元 (yuan). Convert them to 元 and name the column “%(expected)s”.": "“%(column)s”列的金额单位是%(unit)s；导入的金额单位为元。请换算为元，并将列名改为“%(expected)s”。",
    "warnings": "提示",
    "warnings found": "提示条数",
    "changes": "修改内容",
    "A payment of fiscal year %(year)s is dated in %(year)s.": "%(year)s 预算年度的支付记录，支付日期应在 %(year)s 年内。",
    "The project's payments to %(date)s would sum to %(total)s yuan, below zero: a reversal may take back at most what was paid up to its date.": "该项目截至 %(date)s 的支付合计将为 %(total)s 元，低于零：红字冲销的金额不能超过该日期前已支付的金额。",
    "Worth a look: %(count)s. The file can still be applied.": "请留意 %(count)s 条提示；文件仍可导入。",
    "Worth a look: %(count)s.": "请留意 %(count)s 条提示。",
    "What the import changed": "本次导入修改的内容",
    "What applying the file would change": "导入后将修改的内容",
    "The first %(shown)s of %(count)s rows to update are listed here.": "共 %(count)s 行将被更新，此处列出前 %(shown)s 行。",
    "Record": "记录",
    "Increase or decrease": "增减额",
    "%{y}: Δ %{customdata[0]} points": "%{y}：Δ %{customdata[0]} 分",
    # layering (issue 16)
    "Demo district": "演示辖区",
    "unit membership": "单位填报人关联",
    "unit memberships": "单位填报人关联",
    "Computed self-evaluation": "系统计算的自评得分",
    "points": "分",
    "execution %(execution)s of 10 · indicators %(indicators)s of 90": "预算执行 %(execution)s/10 分 · 绩效指标 %(indicators)s/90 分",
    # unitrole (issue 17, the unit filler role)
    "My unit's projects": "本单位项目",
    "Back to your unit's projects": "返回本单位项目",
    "The projects of your unit, %(unit)s (%(department)s).": "本单位（%(department)s %(unit)s）的项目。",
    "Files in the import format, with the rows of your unit, %(unit)s. Choose a year to narrow them down.": (
        "按导入格式导出，仅含本单位（%(unit)s）的数据。可选择年度缩小范围。"
    ),
    "There is no such page, or it is not one your role may see (a unit filler sees only their own unit's "
    "projects, evaluations and files, and no department-wide page). Check the address, or go back and "
    "choose from the menu.": (
        "没有这个页面，或者您的角色无权查看（单位填报人只能查看本单位的项目、绩效评价和导出文件，"
        "不能查看部门或全区的页面）。请检查网址，或返回后从菜单中选择。"
    ),
    # --- Issue 17: the workflow, rounds, to-do lists and self-evaluations (lead) ---
    "What was achieved (实际完成情况)": "实际完成情况",
    "Judgement (0–1)": "完成程度判断（0–1）",
    "Actual value": "实际完成值",
    "Reasons for the deviation and corrective measures": "偏差原因分析及改进措施",
    "what was achieved": "实际完成情况",
    "finalised evaluation": "已定稿评价",
    "self-evaluation": "单位自评",
    "self-evaluations": "单位自评",
    "not started": "未开始",
    "The project has no indicators to evaluate.": "该项目没有可评价的绩效指标。",
    "Describe what was achieved against the goal.": "请填写年度总体目标的实际完成情况。",
    "Give the reasons for the deviation and the corrective measures of: %(names)s.": "请填写以下指标的偏差原因分析及改进措施：%(names)s。",
    "This self-evaluation is with the reviewers: it can be changed once returned.": "该自评正在审核中，退回后方可修改。",
    "Self-evaluations": "单位自评",
    "Saved. The scores below are computed from what you entered.": "已保存。下方得分根据所填内容自动计算。",
    "You cannot change this self-evaluation now.": "当前不能修改该自评。",
    "Save the self-evaluation before submitting it.": "请先保存自评，再提交。",
    "This project's self-evaluation has not been started.": "该项目尚未开始自评。",
    "reasons for the deviation and corrective measures": "偏差原因分析及改进措施",
    "Given in the self-evaluation wherever the indicator earns less than its weight.": "自评中得分低于分值的指标须填写。",
    "To do": "待办",
    "%(n)s waiting": "%(n)s 项待办",
    "Rounds": "填报轮次",
    "Performance cycle": "绩效管理流程",
    "Project expenditure performance self-evaluation": "项目支出绩效自评表",
    "State": "状态",
    "deadline": "截止日期",
    "overdue": "已逾期",
    "finalised by import": "已通过导入定稿",
    "Returned by %(who)s on %(when)s:": "%(who)s 于 %(when)s 退回：",
    "A finalised self-evaluation of this project was imported: %(total)s points, %(grade)s. The form below is computed from the project's current figures.": "该项目已导入定稿的单位自评：%(total)s 分，%(grade)s。下表按项目当前数据计算。",
    "Enter what was achieved and each indicator's actual value. Every score is computed; where an indicator earns less than its weight, give the reasons and the corrective measures.": "请填写实际完成情况和各项指标的实际完成值。得分全部自动计算；得分低于分值的指标须填写偏差原因分析及改进措施。",
    "Please correct the marked fields.": "请修改标出的内容。",
    "Implementing unit": "实施单位",
    "Funds (10k yuan)": "项目资金（万元）",
    "Budget at the start of the year": "年初预算数",
    "Budget for the year": "全年预算数",
    "Spent to %(date)s": "全年执行数（截至 %(date)s）",
    "Points": "分值",
    "Score": "得分",
    "Overall goal for the year": "年度总体目标",
    "Expected (approved target)": "预期目标",
    "No goal was declared.": "未申报总体目标。",
    "What was achieved": "实际完成情况",
    "Indicators": "绩效指标",
    "Target for the year": "年度指标值",
    "Weight": "分值",
    "Needed: the score is below the weight.": "须填写：得分低于分值。",
    "reason missing": "缺偏差原因",
    "The project has no indicators: declare its targets first.": "该项目没有绩效指标：请先申报绩效目标。",
    "Total (execution and indicators)": "总分（执行率与指标）",
    "Save draft": "保存草稿",
    "Timeline": "流转记录",
    "No steps yet.": "暂无记录。",
    "Reason (needed to return or reopen)": "理由（退回或重新打开时必填）",
    "Rounds and deadlines": "填报轮次与截止日期",
    "Open a round": "开启填报轮次",
    "Open the round": "开启",
    "Round": "轮次",
    "No round is open yet.": "尚未开启任何轮次。",
    "past the deadline": "已过截止日期",
    "Records": "记录数",
    "With the unit": "单位填报中",
    "Waiting for the department": "待主管部门审核",
    "Waiting for the bureau": "待财政审核",
    "Approved": "已审核通过",
    "Overdue": "逾期",
    "No records in this round for you.": "本轮次中没有您可见的记录。",
    "Your role has no records to fill or review.": "您的角色没有需要填报或审核的记录。",
    "Nothing is waiting for you.": "暂无待办事项。",
    "Unit": "单位",
    "Deadline": "截止日期",
    "The first %(shown)s of %(count)s.": "显示前 %(shown)s 条，共 %(count)s 条。",
    "Nothing waiting.": "暂无待办。",
    "Workflow": "填报审核流程",
    "As of (monitoring)": "监控截至日期",
    "submitted to the department": "已提交主管部门",
    "forwarded to the bureau": "已报送财政",
    "approved": "已审核通过",
    "returned": "已退回",
    "submit": "提交",
    "forward": "审核报送",
    "approve": "审核通过",
    "return": "退回",
    "reopen": "重新打开",
    "create": "创建",
    "finalise": "定稿",
    "refuse": "不予入库",
    "import": "导入",
    "monitoring": "运行监控",
    "Monitoring rounds only.": "仅运行监控轮次填写。",
    "opened by": "开启人",
    "opened at": "开启时间",
    "round": "轮次",
    "rounds": "轮次",
    "state": "状态",
    "state changed at": "状态变更时间",
    "from": "原状态",
    "to": "新状态",
    "by": "操作人",
    "at": "时间",
    "reason": "理由",
    "transition": "流转",
    "transitions": "流转记录",
    "Only the bureau opens rounds.": "只有财政局可以开启轮次。",
    "Rounds of this kind cannot be opened yet.": "暂不能开启此类轮次。",
    "There is no fiscal year %(year)s.": "没有 %(year)s 预算年度。",
    "A monitoring round needs the date it reports as of.": "运行监控轮次需要填写监控截至日期。",
    "The as-of date must fall in the year, and the deadline after it.": "截至日期须在该年度内，截止日期须在其后。",
    "That round is already open.": "该轮次已开启。",
    "the unit": "预算单位",
    "the department": "主管部门",
    "the bureau": "财政局",
    "“%(action)s” is not an action of this workflow.": "“%(action)s”不是本流程的操作。",
    "The reason is longer than %(n)s characters.": "理由超过 %(n)s 个字符。",
    "This record is not in your scope.": "该记录不在您的权限范围内。",
    "A record that is “%(state)s” cannot be given “%(action)s”.": "状态为“%(state)s”的记录不能执行“%(action)s”。",
    "Only %(role)s may %(action)s a record that is “%(state)s”.": "只有%(role)s可以对状态为“%(state)s”的记录执行“%(action)s”。",
    "Give a reason to %(action)s.": "请填写%(action)s的理由。",
    "Done: %(action)s.": "已完成：%(action)s。",
    "Round opened: %(round)s, %(count)s records.": "已开启轮次：%(round)s，共 %(count)s 条记录。",
    "Open to return": "打开（可退回）",
    "Open": "打开",
    "Self-evaluation form": "单位自评表",
    "Saved and submitted to your department.": "已保存并提交主管部门。",
    "Saved, not submitted: %(why)s": "已保存，未提交：%(why)s",
    "Save and submit to the department": "保存并提交主管部门",
    "Evaluations to score and finalise": "待评分定稿的绩效评价",
    "This project's self-evaluation is being filled or reviewed in the app: it is finalised by its approval, not by an import.": (  # noqa: E501
        "该项目的单位自评正在系统中填报或审核：须经审核通过定稿，不能通过导入定稿。"
    ),
    "Approved: %(total)s points (%(grade)s) count in the figures, as approved. The form below is computed from the project's current figures.": (  # noqa: E501
        "已审核通过：按审核时的 %(total)s 分（%(grade)s）计入统计。下表按项目当前数据计算。"
    ),
    "A finalised evaluation needs all four scores; only a draft may leave one blank.": (
        "已定稿的评价须填写全部四项得分；只有草稿可以留空。"
    ),
    "%(n)s submission of this department is past its round's deadline and not yet approved.": (
        "本部门有 %(n)s 项填报已过截止日期仍未审核通过。"
    ),
    # sedl (issue 17 item 4, self-evaluation downloads): the national form's own terms carry the
    # context "national form"; then the links and messages around it.
    "national form\x04Project expenditure performance self-evaluation form": "项目支出绩效自评表",
    "national form\x04(Year %(year)s)": "（%(year)s年度）",
    "national form\x04Project name": "项目名称",
    "national form\x04Supervising department": "主管部门",
    "national form\x04Implementing unit": "实施单位",
    "national form\x04Project funds (10k yuan)": "项目资金（万元）",
    "national form\x04Budget at the start of the year": "年初预算数",
    "national form\x04Budget for the year": "全年预算数",
    "national form\x04Executed in the year": "全年执行数",
    "national form\x04Points": "分值",
    "national form\x04Execution rate": "执行率",
    "national form\x04Score": "得分",
    "national form\x04Total funds of the year": "年度资金总额",
    "national form\x04Overall goal of the year": "年度总体目标",
    "national form\x04Expected goal": "预期目标",
    "national form\x04What was achieved": "实际完成情况",
    "national form\x04Performance indicators": "绩效指标",
    "national form\x04Level-1 indicator": "一级指标",
    "national form\x04Level-2 indicator": "二级指标",
    "national form\x04Level-3 indicator": "三级指标",
    "national form\x04Target for the year": "年度指标值",
    "national form\x04Actual value": "实际完成值",
    "national form\x04Reasons for the deviation and corrective measures": "偏差原因分析及改进措施",
    "national form\x04Total score": "总分",
    "national form\x04Grade": "等级",
    "national form\x04qualitative": "定性",
    "national form\x04The project has no indicators.": "项目无绩效指标。",
    "national form\x04Executed to": "执行数截至",
    "national form\x04State": "状态",
    "national form\x04not started": "未填报",
    "national form\x04No self-evaluations to download for this year.": "本年度没有可下载的自评表。",
    "Download the form (XLSX)": "下载自评表（XLSX）",
    "Print on A4": "A4 打印",
    "All self-evaluations of %(unit)s (XLSX)": "%(unit)s 全部自评表（XLSX）",
    "Self-evaluations of %(year)s, a sheet per project (XLSX)": "%(year)s年度自评表，每个项目一张工作表（XLSX）",
    "Print this page from the browser (Ctrl+P): it fits one A4 page across.": "请用浏览器打印本页（Ctrl+P），宽度按一张 A4 纸排版。",
    "Name one budget unit (?unit=) or one department (?department=).": "请指定一个预算单位（?unit=）或一个主管部门（?department=），二者选一。",
    # evals (issue 17 item 3, SPEC §12.2: evaluations scored in the app)
    "%(dimension)s (of %(maximum)s)": "%(dimension)s（满分 %(maximum)s）",
    "%(dimension)s must lie between 0 and %(maximum)s.": "%(dimension)s须在 0 至 %(maximum)s 之间。",
    "Key evaluations only.": "仅用于财政重点评价。",
    "For a department-wide evaluation, or a key evaluation of the whole department.": (
        "用于部门整体评价，或对整个部门的财政重点评价。"
    ),
    "Choose the sub-category of the key evaluation.": "请选择重点评价的类别。",
    "Choose the department evaluated.": "请选择被评价的部门。",
    "Choose the project evaluated.": "请选择被评价的项目。",
    "imported by %(user)s from file %(file)s, line %(line)s": "由 %(user)s 从文件 %(file)s 第 %(line)s 行导入",
    "findings": "存在问题",
    "recommendations": "改进建议",
    "An evaluation is of a project or of a department, not of both.": "评价对象为项目或部门，不能同时为两者。",
    "A department-wide evaluation is of a department.": "部门整体评价的对象须为部门。",
    "A self-evaluation or an ex-ante assessment is of a project.": "单位自评和事前绩效评估的对象须为项目。",
    "A key evaluation has a sub-category; no other kind has one.": "重点评价须有类别，其他类型不设类别。",
    "A department-wide key evaluation is of a department.": "部门整体重点评价的对象须为部门。",
    "Each score lies between 0 and its maximum.": "各项得分须在 0 至其满分之间。",
    "Finalising needs every score.": "定稿须填齐全部得分。",
    "The project already has an evaluation of this kind for this year.": "该项目本年度已有此类评价。",
    "The department already has an evaluation of this kind for this year.": "该部门本年度已有此类评价。",
    "Only the bureau creates key, department-wide and ex-ante evaluations.": (
        "财政重点评价、部门整体评价和事前绩效评估只能由财政局创建。"
    ),
    "A finalised evaluation is read-only: reopen it to change it.": "已定稿的评价为只读：如需修改，请先重新打开。",
    "“%(action)s” is not a step of an evaluation.": "“%(action)s”不是评价的操作。",
    "This evaluation is finalised already.": "该评价已定稿。",
    "Finalising needs every score: %(missing)s missing.": "定稿须填齐全部得分：缺少%(missing)s。",
    "Only a finalised evaluation can be reopened.": "只有已定稿的评价可以重新打开。",
    "Give a reason to reopen the evaluation.": "请填写重新打开评价的理由。",
    "This evaluation is not in your scope.": "该评价不在您的权限范围内。",
    "A self-evaluation is filled by its unit in its own form and finalised by approving it.": (
        "单位自评由单位在自评表中填写，审核通过后定稿。"
    ),
    "Only the bureau scores, finalises and reopens evaluations.": "只有财政局可以评分、定稿和重新打开评价。",
    "The evaluation is saved as a draft.": "评价已保存为草稿。",
    "This evaluation is read-only for you.": "您对该评价只有查看权限。",
    "The scores are saved.": "得分已保存。",
    "New evaluation of this project": "新建本项目的评价",
    "Dimension": "一级指标",
    "Maximum": "满分",
    "not scored yet": "尚未评分",
    "Findings": "存在问题",
    "Recommendations": "改进建议",
    "Enter the scores": "录入得分",
    "Save": "保存",
    "New evaluation": "新建评价",
    "New evaluation, %(year)s": "新建评价（%(year)s 年度）",
    "A key evaluation (with its sub-category) or an ex-ante assessment of a project of this year, or a "
    "department-wide evaluation of a department. Scores may be left blank in a draft; finalising needs "
    "every score.": (
        "本年度项目的财政重点评价（须选类别）或事前绩效评估，或部门的部门整体评价。"
        "草稿可暂不填写得分；定稿须填齐全部得分。"
    ),
    "Save as draft": "保存为草稿",
    "between the items of a list\x04, ": "、",
    "import of file %(file)s rolled back by %(user)s": "文件 %(file)s 的导入已由 %(user)s 撤销",
    "The unit's self-evaluation form, with its timeline": "单位自评表及其流程记录",
    # pool (issue 17 item 5, SPEC §12.4: the project pool and ex-ante assessment)
    "requested amount (yuan)": "申报金额（元）",
    "reason for refusal": "不予入库理由",
    "Project name": "项目名称",
    "Requested amount (yuan)": "申报金额（元）",
    "Overall performance goal": "总体绩效目标",
    "Give the project a name.": "请填写项目名称。",
    "Only a budget unit proposes projects for the pool.": "只有预算单位可以申报储备项目。",
    "Proposed for %(year)s as %(code)s: the bureau assesses it before it can enter the budget.": (
        "已申报为%(year)s年储备项目，编号%(code)s：经财政事前绩效评估后方可纳入预算。"
    ),
    "Project pool: proposals to approve or refuse": "项目储备：待审定的申报项目",
    "Give the approved amount in yuan.": "请填写批准金额（元）。",
    "The approved amount (yuan): %(problem)s": "批准金额（元）：%(problem)s",
    "The ex-ante assessment graded it %(grade)s (%(total)s points): a project enters the budget only "
    "with %(fair)s or better.": "事前绩效评估等级为%(grade)s（%(total)s分）：评估等级为%(fair)s及以上的项目方可纳入预算。",
    "Its ex-ante assessment is not finalised yet: a project enters the budget only once it is.": (
        "事前绩效评估尚未定稿：评估定稿后项目方可纳入预算。"
    ),
    "It has no ex-ante assessment: the bureau assesses a project before it enters the budget.": (
        "尚无事前绩效评估：项目纳入预算前须经财政事前绩效评估。"
    ),
    "“%(action)s” is not an action of the project pool.": "“%(action)s”不是项目储备的操作。",
    "Only the bureau approves or refuses a project of the pool.": "只有财政部门可以批准或拒绝储备项目。",
    "A project that is “%(status)s” cannot be approved or refused.": "“%(status)s”的项目不能再批准或拒绝。",
    "Not approved. %(problem)s": "未批准。%(problem)s",
    "approved amount %(amount)s (10k yuan)": "批准金额%(amount)s万元",
    "Give a reason to refuse.": "拒绝须填写理由。",
    "no ex-ante assessment": "无事前评估",
    "Requested (10k yuan)": "申报金额（万元）",
    "Ex-ante assessment": "事前绩效评估",
    "No proposals.": "暂无申报项目。",
    "Assess (ex-ante)": "开展事前评估",
    "Project pool": "项目储备",
    "Requested": "申报金额",
    "Approved amount": "批准金额",
    "Reason for refusal": "不予入库理由",
    "Approval is not possible yet.": "暂不能批准。",
    "Approved amount (yuan)": "批准金额（元）",
    "Reason (needed to refuse)": "理由（拒绝时必填）",
    "Approve into the budget": "批准纳入预算",
    "Refuse": "拒绝",
    "Projects proposed for next year's budget. The bureau assesses each one (ex-ante assessment) and "
    "approves it into the budget, with the approved amount, or refuses it. A proposal counts in no figure "
    "until it is approved.": (
        "申报纳入下一年度预算的项目。财政部门对每个项目开展事前绩效评估，按批准金额纳入预算或不予入库。"
        "项目批准前不计入任何统计数据。"
    ),
    "Propose a project for %(year)s": "申报%(year)s年储备项目",
    "Propose a project": "申报储备项目",
    "For your unit, %(unit)s (%(department)s). The bureau assesses the proposal (ex-ante assessment) "
    "before it can enter the budget.": "申报单位：%(unit)s（%(department)s）。经财政事前绩效评估后方可纳入预算。",
    "Propose": "申报",
    # wp-standards: the standards library (SPEC §13, /standards/)
    "Standards": "双标准",
    "Standards library": "标准库（双标准）",
    "Indicator standards (per department and project category) that projects' targets start from, and "
    "expenditure quota standards (per year) that budgets are checked against.": (
        "绩效指标标准（按部门和项目类别）是项目绩效目标的起点；支出定额标准（按年度）用于核定预算。"
    ),
    "Indicator templates": "绩效指标标准",
    "Indicator template": "绩效指标标准",
    "Quota standards": "支出定额标准",
    "Quota standard": "支出定额标准",
    "Add a quota standard": "新增支出定额标准",
    "Add an indicator template": "新增绩效指标标准",
    "New quota standard": "新增支出定额标准",
    "New indicator template": "新增绩效指标标准",
    "Search indicator or level": "搜索指标名称或层级",
    "Search name or unit": "搜索名称或计量单位",
    "Level-1 indicator": "一级指标",
    "Level-2 indicator": "二级指标",
    "Target value": "指标值",
    "Unit of measure": "计量单位",
    "Amount (yuan)": "金额（元）",
    "Edit": "编辑",
    "Delete": "删除",
    "Recent changes": "最近修改",
    "Saved: %(name)s.": "已保存：%(name)s。",
    "Deleted: %(name)s.": "已删除：%(name)s。",
    "Nothing was saved: correct the marked fields.": "未保存：请更正标出的字段。",
    "The standards library is for the bureau and the departments.": "标准库仅供财政局和各部门使用。",
    "Only budget officers keep the standards library.": "标准库仅由财政局预算人员维护。",
    # lead (issue 18: target declarations, their checks and versions)
    "产出指标 (output)": "产出指标",
    "成本指标 (cost)": "成本指标",
    "效益指标 (benefit)": "效益指标",
    "满意度指标 (satisfaction)": "满意度指标",
    "version": "版本",
    "quota standard": "定额标准",
    "quantity": "数量",
    "explanation of the warnings": "对提示事项的说明",
    "Why the targets depart from the template or the quota standard; the reviewers read it.": (
        "说明目标与模板或定额标准不一致的原因，供审核人员查看。"
    ),
    "created at": "创建时间",
    "created by": "创建人",
    "superseded at": "被替代时间",
    "target declaration": "绩效目标申报",
    "target declarations": "绩效目标申报",
    "declaration": "申报",
    "from the template": "来自模板",
    "declared indicator": "申报指标",
    "declared indicators": "申报指标",
    "The weights add up to %(total)s; they must add up to exactly 90 (the execution rate holds the other 10). "
    "Change them by %(change)s.": "指标分值合计为%(total)s，须恰好为90分（预算执行率占其余10分）。请调整%(change)s分。",
    "a target value": "目标值",
    "a unit of measure": "计量单位",
    "Row %(line)s, “%(name)s”: a quantitative indicator needs %(what)s.": "第%(line)s行“%(name)s”：定量指标须填写%(what)s。",
    " and ": "和",
    "an output": "一个产出",
    "a benefit": "一个效益",
    "Add %(what)s indicator (level 1 “%(level)s”): every declaration needs one.": (
        "请添加%(what)s指标（一级指标“%(level)s”）：每份申报至少须有一个。"
    ),
    "Rows %(lines)s are all named “%(name)s”: give each indicator a name of its own.": (
        "第%(lines)s行都名为“%(name)s”：每个指标须有各自的名称。"
    ),
    "The template's indicator “%(name)s” (%(level1)s / %(level2)s) is left out.": (
        "模板中的指标“%(name)s”（%(level1)s / %(level2)s）未申报。"
    ),
    "Row %(line)s, “%(name)s”: the target %(target)s is weaker than the template's %(direction)s %(standard)s.": (
        "第%(line)s行“%(name)s”：目标值%(target)s弱于模板的%(direction)s %(standard)s。"
    ),
    "The budget of %(budget)s yuan differs from %(quantity)s %(unit)s × %(amount)s yuan (%(standard)s, "
    "“%(name)s”) = %(expected)s yuan by %(off)s, more than %(limit)s.": (
        "预算%(budget)s元与%(quantity)s%(unit)s × %(amount)s元（%(standard)s“%(name)s”）= %(expected)s元"
        "相差%(off)s，超过%(limit)s。"
    ),
    "Explain the warnings before submitting: the reviewers read why the targets depart from them.": (
        "提交前请对提示事项作出说明：审核人员将查看目标与标准不一致的原因。"
    ),
    "Give the overall goal (年度总体目标).": "请填写年度总体目标。",
    "A later version is in force; revise that one instead.": "已有更新的版本生效，请对生效版本进行调整。",
    "A revision of these targets is under way; return or approve it first.": "该目标正在调整中，请先退回或审核通过调整版本。",
    "revision of version %(version)s": "对第%(version)s版的调整",
    "These targets are under review or approved; they can no longer be changed.": "该目标已在审核中或已审核通过，不能再修改。",
    "The department has no template for this category yet; enter the indicators yourself.": (
        "本部门尚无该类别项目的指标模板，请自行填写指标。"
    ),
    "Performance targets": "绩效目标",
    # lead (issue 19: monitoring reports)
    "policy change (政策调整)": "政策调整",
    "implementation (项目实施)": "项目实施",
    "funding (资金拨付)": "资金拨付",
    "other (其他)": "其他",
    "monitoring report": "绩效监控报告",
    "monitoring reports": "绩效监控报告",
    "report": "报告",
    "achieved to date (累计完成值)": "累计完成值",
    "expected for the year (全年预计完成值)": "全年预计完成值",
    "expected completion (0–1)": "预计完成程度（0–1）",
    "For a qualitative indicator: the unit's judgement of the year's completion, 0 to 1.": (
        "定性指标：单位对全年完成程度的判断，取0至1之间。"
    ),
    "cause of the shortfall": "偏差原因",
    "the cause, in words": "原因说明",
    "corrective measure (纠偏措施)": "纠偏措施",
    "monitoring line": "监控指标",
    "monitoring lines": "监控指标",
    # wp-mon-figures (issue 19: monitoring figures in the recompute, SPEC §14.1)
    "double deviation in monitoring (双偏差)": "绩效监控双偏差",
    "monitoring round": "监控轮次",
    "monitoring as of": "监控截至日期",
    "expected target completion": "预计目标完成度",
    "gap at the monitoring date (percentage points)": "监控日进度差（百分点）",
    "projects with an approved monitoring report": "监控报告已审核通过的项目数",
    "projects with a target deviation": "目标偏差项目数",
    "projects with a spending deviation": "支出偏差项目数",
    "projects with a double deviation": "双偏差项目数",
    "Expected target completion": "预计目标完成度",
    "Gap at the monitoring date (pp)": "监控日进度差（百分点）",
    "No project has a double deviation.": "没有双偏差项目。",
    "Monitoring as of %(date)s": "绩效监控（截至%(date)s）",
    "double deviations": "个双偏差",
    "%(target)s target and %(spending)s spending deviations among %(n)s approved reports": (
        "已审核的%(n)s份报告中，目标偏差%(target)s个，支出偏差%(spending)s个"
    ),
    "Double deviations (双偏差) in monitoring: expected to miss their targets and seriously behind on spending.": (
        "绩效监控双偏差项目：预计完不成绩效目标，且支出进度严重滞后。"
    ),
    "expected completion %(completion)s, gap %(gap)s pp": "预计完成度%(completion)s，进度差%(gap)s个百分点",
    "Double deviations (双偏差)": "双偏差项目",
    "Projects of the monitoring round as of %(date)s whose approved report expects them to miss their targets and whose spending was seriously behind at that date.": (
        "截至%(date)s的监控轮次中，已审核的监控报告预计完不成绩效目标、且当日支出进度严重滞后的项目。"
    ),
    "Spending warnings": "支出预警",
}


def key(entry: polib.POEntry) -> str:
    """The entry's key in ZH: its msgid, after its context and gettext's separator when it has one."""
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"


def translate(po: polib.POFile) -> tuple[list[str], list[str]]:
    """Write every msgstr of `po` from ZH and drop its obsolete entries.

    Returns the keys that ZH lacks (their msgstr is left empty) and the ZH keys no entry uses. A fuzzy
    guess of makemessages (a similar old message's translation, with the old msgid as "#| msgid") is
    replaced by ZH's translation, or by nothing, like any other msgstr.
    """
    for entry in po.obsolete_entries():
        po.remove(entry)
    missing = []
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        text = ZH.get(key(entry), "")
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if not text:
            missing.append(key(entry))
    used = {key(entry) for entry in po}
    return missing, [k for k in ZH if k not in used]


def main() -> int:
    po = polib.pofile(str(PO_PATH), wrapwidth=WRAP_WIDTH)
    missing, unused = translate(po)
    po.save()
    for k in missing:
        print(f"untranslated, add it to ZH in locale/glossary.py: {k!r}", file=sys.stderr)
    for k in unused:
        print(f"no msgid uses it, delete it from ZH in locale/glossary.py: {k!r}", file=sys.stderr)
    return 1 if missing or unused else 0


if __name__ == "__main__":
    sys.exit(main())
