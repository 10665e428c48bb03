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
    return {
        Column.TIME: QCoreApplication.translate("history", "时间"),
        Column.STATUS: QCoreApplication.translate("history", "状态"),
        Column.PRODUCT: QCoreApplication.translate("history", "商品"),
        Column.AMOUNT: QCoreApplication.translate("history", "实付金额"),
        Column.CASHIER: QCoreApplication.translate("history", "收银员"),
        Column.POI: QCoreApplication.translate("history", "门店"),
        Column.CODE: QCoreApplication.translate("history", "券码"),
        Column.ORDER: QCoreApplication.translate("history", "订单号"),
        Column.APP: QCoreApplication.translate("history", "来源"),
    }[column]
