# ruff: noqa: E501  (a table of sentences: wrapping them would only hurt reading)
"""English for the history (核销记录) and day report (日报) strings: the contexts of app/history/
and app/reports/ (the rest is app/tools/en_glossary.py's). `python -m app.i18n.build` collects the
strings, writes this English into the shared .ts and compiles the .qm (see app.i18n.build.fill).

`private_catalogue(folder)` builds a .qm of these two packages alone, for tests and screenshots
that must not depend on the shared catalogue having been rebuilt.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from app.i18n.build import Glossary, contexts_in, fill, tool

PACKAGES = ("history", "reports")

EN: Glossary = {
    # history: screen
    "核销记录": "History",
    "刷新": "Refresh",
    "导出": "Export",
    "导出 Excel(.xlsx,金额单位:元)": "Export Excel (.xlsx, amounts in CNY)",
    "导出 CSV(与接口导出相同字段,金额单位:分)": "Export CSV (API fields, amounts in fen)",
    "这段时间没有核销记录": "No redemptions in this period",
    "撤销核销": "Undo redemption",
    "导出中 %v / %m": "Exporting %v / %m",
    "取消导出": "Cancel export",
    "共 {total} 条 · 核销成功 {ok} 笔,实付 {paid} · 已撤销 {undone} 笔 · 失败 {failed} 笔": "{total} records · {ok} redeemed, paid {paid} · {undone} undone · {failed} failed",
    "读取核销记录失败:{reason}": "Could not read the history: {reason}",
    "正在撤销…": "Undoing…",
    "已撤销:{product} {amount}": "Undone: {product} {amount}",
    "撤销失败:{reason}": "Undo failed: {reason}",
    "核销记录_{span}": "history_{span}",
    '已导出 {rows} 条 · <a href="{folder}">打开文件夹</a>': 'Exported {rows} rows · <a href="{folder}">open folder</a>',
    "导出时间": "Exported at",
    "导出已取消": "Export cancelled",
    "导出失败:{reason}": "Export failed: {reason}",
    # history: filters and columns
    "全部状态": "All statuses",
    "券码后几位 / 订单号": "Code tail / order id",
    "全部门店": "All stores",
    "全部收银员": "All cashiers",
    "核销时间 {time}": "Redeemed at {time}",
    "时间": "Time",
    "状态": "Status",
    "商品": "Product",
    "实付金额": "Paid",
    "收银员": "Cashier",
    "门店": "Store",
    "券码": "Code",
    "订单号": "Order id",
    "来源": "Source",
    "核销成功": "Redeemed",
    "确认中": "Confirming",
    "核销失败": "Failed",
    "已撤销": "Undone",
    # history: undo
    "选择一条核销成功的记录即可撤销": "Select a redeemed row to undo it",
    "这条核销已撤销": "This redemption was undone",
    "只有核销成功的记录可以撤销": "Only redeemed rows can be undone",
    "缺少核销时间,无法撤销": "No redemption time: cannot undo",
    "已超过抖音允许的撤销时限": "Past Douyin's undo window",
    "可撤销,剩余 {left}": "Undo possible for {left}",
    "确定撤销这笔核销吗?": "Undo this redemption?",
    "撤销后券会退回顾客账户,可以再次使用;此操作会记录操作人和授权人。": "The coupon goes back to the customer and can be used again. Who asked and who approved is recorded.",
    "核销时间": "Redeemed at",
    "撤销原因(选填),如:顾客退单、扫错券": "Reason (optional), e.g. order cancelled, wrong coupon scanned",
    "店长密码": "Manager PIN",
    "需要店长授权": "A manager must approve",
    "店长": "Manager",
    "密码": "PIN",
    "确认撤销": "Undo it",
    "不撤销": "Keep it",
    "请选择店长并输入密码": "Choose a manager and enter the PIN",
    "正在核对…": "Checking…",
    "店长密码不正确": "Wrong manager PIN",
    # date ranges
    "今天": "Today",
    "昨天": "Yesterday",
    "本周": "This week",
    "本月": "This month",
    "至": "to",
    # day report
    "日报": "Day report",
    "打印 / 导出 PDF": "Print / PDF",
    "导出 Excel": "Export Excel",
    "导出 CSV": "Export CSV",
    "读取报表失败:{reason}": "Could not read the report: {reason}",
    "核销日报_{span}": "day-report_{span}",
    "PDF 文件 (*.pdf)": "PDF files (*.pdf)",
    "Excel 工作簿 (*.xlsx)": "Excel workbooks (*.xlsx)",
    "CSV 文件 (*.csv)": "CSV files (*.csv)",
    "保存日报": "Save the report",
    "日期范围": "Date range",
    "生成时间": "Made at",
    '已保存:<a href="{link}">{name}</a>': 'Saved: <a href="{link}">{name}</a>',
    "保存失败:{reason}": "Could not save: {reason}",
    "合计": "Total",
    "核销笔数": "Redeemed",
    "券面价值": "Coupon value",
    "优惠金额": "Discount",
    "失败": "Failed",
    "记录数": "Records",
    "(未记录收银员)": "(no cashier recorded)",
    "按日": "By day",
    "日期": "Date",
    "按门店": "By store",
    "按来源": "By source",
    "按收银员": "By cashier",
    "这段时间没有核销": "No redemptions in this period",
    "{h}时": "{h}h",
    "{day} 各时段实付金额(¥)": "{day}: paid by hour (¥)",
    "{start} 至 {end} 每日实付金额(¥)": "{start} to {end}: paid by day (¥)",
    "核销日报": "Day report",
    "核销报表": "Redemption report",
    "金额为核销成功的记录之和(撤销的不计入);数据与内部接口的汇总报表出自同一查询。": "Amounts are sums of redeemed rows (undone ones excluded); the figures come from the same query as the internal API's summary.",
    "{label}:{amount},{count} 笔": "{label}: {amount}, {count} redeemed",
}


def sources() -> list[str]:
    app = Path(__file__).resolve().parents[1]
    return sorted(str(p) for package in PACKAGES for p in (app / package).glob("*.py") if p.name != "i18n_en.py")


def private_catalogue(folder: Path) -> tuple[Path, list[str]]:
    """lupdate + fill + lrelease over the two packages only: (.qm path, sources without English)."""
    ts = folder / "history_reports_en.ts"
    qm = ts.with_suffix(".qm")
    subprocess.run([tool("pyside6-lupdate"), *sources(), "-ts", str(ts)], check=True, capture_output=True)
    _filled, missing = fill(ts, EN, contexts_in(ts, PACKAGES))
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm, missing

