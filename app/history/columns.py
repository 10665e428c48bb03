"""The history table's columns, in the order a manager reads a row."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QCoreApplication


class Column(Enum):
    TIME = "time"
    STATUS = "status"
    PRODUCT = "product"
    AMOUNT = "amount"
    CASHIER = "cashier"
    POI = "poi"
    CODE = "code"
    ORDER = "order"
    APP = "app"


COLUMNS: tuple[Column, ...] = tuple(Column)

# Starting widths in pixels; fixed so the view never measures a million rows to size a column.
WIDTHS: dict[Column, int] = {
    Column.TIME: 170,
    Column.STATUS: 90,
    Column.PRODUCT: 220,
    Column.AMOUNT: 100,
    Column.CASHIER: 100,
    Column.POI: 150,
    Column.CODE: 90,
    Column.ORDER: 180,
    Column.APP: 100,
}


def header_text(column: Column) -> str:
    tr = QCoreApplication.translate
    return {
        Column.TIME: tr("history", "时间"),
        Column.STATUS: tr("history", "状态"),
        Column.PRODUCT: tr("history", "商品"),
        Column.AMOUNT: tr("history", "实付金额"),
        Column.CASHIER: tr("history", "收银员"),
        Column.POI: tr("history", "门店"),
        Column.CODE: tr("history", "券码"),
        Column.ORDER: tr("history", "订单号"),
        Column.APP: tr("history", "来源"),
    }[column]
