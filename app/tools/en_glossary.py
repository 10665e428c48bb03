# ruff: noqa: E501  (a table of sentences: wrapping them would only hurt reading)
"""English for the counter, settings and shell strings; `python -m app.tools.en_glossary` writes
them into resources/translations/dy_verifier_en.ts (only where a message has no translation yet),
then run `python -m app.i18n.build` to compile. Strings of other modules are left to their owners.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.common.paths import resource

EN: dict[str, str] = {
    # shell
    "抖音团购核销": "Douyin Coupons",
    "收银员管理": "Cashiers",
    "训练模式": "Training mode",
    "收银核销": "Counter",
    "核销记录": "History",
    "日报": "Day report",
    "设置": "Settings",
    "换班 / 登录": "Change cashier",
    "训练模式 — 使用抖音沙箱,不会核销真实团购券": "Training mode — using the Douyin sandbox; no real coupons are redeemed",
    "此页面仅店长可用。请店长登录后查看。": "Managers only. Ask a manager to log in.",
    "店长登录": "Manager login",
    "此功能尚未安装": "This part is not installed yet",
    "店长": "Manager",
    "收银员": "Cashier",
    "当前:{name}({role})": "On duty: {name} ({role})",
    "未选择门店": "No store chosen",
    # counter
    "扫码或输入券码,按回车": "Scan or type a coupon code, then Enter",
    "操作方法\n1. 用扫码枪扫顾客抖音里的券码二维码,或手动输入数字券码后按回车\n2. 核对券信息;一单多张时按 + / − 选择张数\n"
    "3. 按回车确认核销,Esc 取消\n绿色 = 核销成功,红色 = 未核销(看原因),黄色 = 正在向抖音确认": "How it works\n1. Scan the QR code in the customer's Douyin app, or type the coupon code and press Enter\n"
    "2. Check the coupon; for an order of several, choose how many with + / −\n"
    "3. Press Enter to redeem, Esc to cancel\n"
    "Green = redeemed, red = not redeemed (see why), amber = confirming with Douyin",
    "扫描顾客的抖音券二维码,或输入券码后按回车": "Scan the customer's Douyin QR code, or type the code and press Enter",
    "请扫码": "Ready to scan",
    "等待扫描顾客的团购券": "Waiting for the customer's coupon",
    "正在查询券信息…": "Looking up the coupon…",
    "请稍候,正在向抖音查询": "One moment: asking Douyin",
    "正在核销…": "Redeeming…",
    "请稍候,正在向抖音核销,不要重复扫码": "One moment: redeeming with Douyin. Do not scan again",
    "回车确认核销 · + / − 调整张数 · Esc 取消": "Enter redeems · + / − changes the count · Esc cancels",
    "请核对券信息": "Check the coupon",
    "本单可用 {n} 张 · 回车确认核销": "{n} usable in this order · Enter to redeem",
    "这张券已在下方显示:按回车确认核销,Esc 取消": "This coupon is already on screen: Enter redeems, Esc cancels",
    "+ / − 调整张数   回车 确认核销   Esc 取消": "+ / − count   Enter redeem   Esc cancel",
    "确认核销  (回车)": "Redeem  (Enter)",
    "取消  (Esc)": "Cancel  (Esc)",
    "顾客实付": "Customer paid",
    "券面值": "Coupon value",
    "原价": "Original price",
    "本次核销": "Redeem",
    "张": "coupon(s)",
    "有效期 {start} 至 {end}": "Valid {start} to {end}",
    "有效期至 {end}": "Valid until {end}",
    "本单可用 {n} 张": "{n} usable in this order",
    "合计 实付 {paid} · 券面值 {value}": "Total paid {paid} · value {value}",
    "还没有核销记录": "No redemptions yet",
    "最近核销": "Recent redemptions",
    "✓ 成功 {n} 张": "✓ redeemed {n}",
    "✗ 失败": "✗ failed",
    "… 确认中": "… confirming",
    "练习用测试券": "Practice coupons",
    "点一下券码或短链接即可填入,再按回车": "Click a code or link to fill it in, then press Enter",
    "券码": "Code",
    "短链": "Link",
    # results
    "另有 {n} 张确认中": "{n} more still confirming",
    "另有 {n} 张未核销:{reason}": "{n} not redeemed: {reason}",
    "核销成功 {amount}": "Redeemed {amount}",
    "{n} 张": "{n} coupon(s)",
    "确认中…": "Confirming…",
    "抖音未及时答复,正在确认结果。请勿让顾客重复出示": "Douyin did not answer in time; confirming. Do not scan it again",
    "{n} 张 · {title}  结果确定后本屏自动更新": "{n} × {title}  This screen updates by itself when settled",
    "抖音没有返回核销结果": "Douyin returned no result",
    "核销失败": "Not redeemed",
    "正在处理": "still in progress",
    "重复扫码,未再次提交": "Scanned twice: not sent again",
    "{s} 秒前刚扫过这张券:{before}{extra}": "This coupon was scanned {s} s ago: {before}{extra}",
    "如需重新核销,请稍等几秒后再扫": "To try again, wait a few seconds and scan again",
    "无法识别": "Not recognised",
    "请扫描顾客抖音券的二维码,或输入数字券码": "Scan the customer's Douyin QR code or type the numeric code",
    "未设置门店": "No store set",
    "请店长在 设置 > 抖音账号 中选择本收银台的门店": "A manager must choose this counter's store in Settings > Douyin account",
    # errors
    "操作超时,请稍后重试": "Timed out: try again shortly",
    "网络连接失败,请检查网络后重试": "Network error: check the connection and try again",
    "出现意外错误,已记录到日志文件。请重试,若反复出现请联系管理员。": "Something went wrong and was logged. Try again; call the manager if it keeps happening.",
    "程序出现意外错误,已记录到日志文件:\n{path}\n\n当前操作可能没有完成,请重试;若反复出现请联系管理员。": "Something went wrong. Details are in the log file:\n{path}\n\n"
    "The last action may not have finished: try again, and call the manager if it keeps happening.",
    # login
    "收银员登录": "Cashier login",
    "PIN": "PIN",
    "登录": "Log in",
    "跳过,以“{name}”练习": "Skip: practise as “{name}”",
    "取消": "Cancel",
    "退出程序": "Quit",
    "请选择收银员并输入 PIN": "Choose the cashier and enter the PIN",
    "PIN 不正确": "Wrong PIN",
    # settings
    "抖音账号": "Douyin account",
    "本机接口": "Local API",
    "核销端应用": "Verifier apps",
    "数据同步": "Sync",
    "通用": "General",
    "密钥保存在系统密钥库:{name}": "Secrets are kept in the OS keyring: {name}",
    "没有可用的系统密钥库(当前:{name})。为安全起见,密钥不会保存到普通文件,因此现在无法保存。请在带系统密钥库的电脑上运行,"
    "或由管理员通过环境变量 DYGW_DOUYIN_CLIENT_SECRET 提供。": "No usable OS keyring (in use: {name}). Secrets are never written to a plain file, so they cannot be saved "
    "here. Run on a computer with a keyring, or have an administrator set DYGW_DOUYIN_CLIENT_SECRET.",
    "已保存(不显示);留空表示不修改": "Saved (hidden); leave empty to keep it",
    "client_secret": "client_secret",
    "测试连接": "Test connection",
    "保存": "Save",
    "应用 Client Key": "Client key",
    "应用 Client Secret": "Client secret",
    "商户账号 ID": "Merchant account ID",
    "本收银台门店": "This counter's store",
    "当前为训练模式(抖音沙箱)。保存正式账号并重启后切换到正式模式。": "Training mode (Douyin sandbox). Save real credentials and restart to go live.",
    "当前为正式模式:核销真实的抖音团购券。": "Live mode: real Douyin coupons are redeemed.",
    "正在连接抖音…": "Connecting to Douyin…",
    "连接成功:令牌有效,找到 {n} 家门店。请选择本收银台的门店后保存。": "Connected: the token is valid and {n} store(s) were found. Choose this counter's store, then Save.",
    "连接失败:{why}": "Connection failed: {why}",
    "无法保存:{why}": "Cannot save: {why}",
    "已保存到系统密钥库。重启程序后生效。": "Saved in the OS keyring. Restart the program to apply.",
    "姓名": "Name",
    "角色": "Role",
    "状态": "Status",
    "PIN(4–8 位数字)": "PIN (4–8 digits)",
    "添加": "Add",
    "新 PIN": "New PIN",
    "修改 PIN": "Change PIN",
    "停用": "Disable",
    "启用": "Enable",
    "设置收银员后,程序启动时需选择收银员并输入 PIN。店长可撤销核销、查看日报、修改设置。PIN 只保存加盐哈希。": "Once cashiers exist, the program asks who is working and their PIN at start. Managers may undo "
    "redemptions, see the day report and change settings. PINs are stored only as salted hashes.",
    "添加收银员": "Add a cashier",
    "选中的收银员": "Selected cashier",
    "在职": "Active",
    "已启用": "Active",
    "已停用": "Disabled",
    "已添加 {name}": "Added {name}",
    "已修改 {name} 的 PIN": "Changed the PIN of {name}",
    "随程序启动本机核销接口": "Start the local redemption API with the program",
    "保存并应用": "Save and apply",
    "生成新的内部接口密钥": "New internal API key",
    "监听地址": "Bind address",
    "端口": "Port",
    "自动(任一空闲端口)": "Automatic (any free port)",
    "内部接口密钥(X-XTJ-UID)用于本店员工工具查询流水、管理应用。只保存其摘要,生成时显示一次。": "The internal API key (X-XTJ-UID) lets the store's own tools read the ledger and manage apps. "
    "Only its digest is kept; it is shown once when made.",
    "注意:非 127.0.0.1 时,局域网内其他电脑也能访问此接口(仍需签名)。": "Note: on an address other than 127.0.0.1, other computers on the network can reach the API "
    "(requests must still be signed).",
    "接口运行中:{url}": "API running at {url}",
    "接口未启动": "API not running",
    "接口启动失败:{why}": "The API did not start: {why}",
    "已保存。接口正在运行,重启程序后按新设置启动或停止。": "Saved. The API is running; the new settings apply after a restart.",
    "已保存。": "Saved.",
    "内部接口密钥": "Internal API key",
    "新的内部接口密钥如下,旧密钥已失效:": "The new internal API key (the old one no longer works):",
    "首次启动生成的内部接口密钥:": "The internal API key made at first start:",
    "名称": "Name",
    "代码": "Code",
    "可读令牌": "Token read",
    "最近使用": "Last used",
    "新建应用": "New app",
    "重置密钥": "Rotate secret",
    "允许读取令牌": "Allow token read",
    "禁止读取令牌": "Forbid token read",
    "其他系统(自助机、ERP、其他收银系统)通过签名接口核销时使用的应用。密钥只在创建或重置时显示一次。": "Apps that other systems (kiosks, ERP, another POS) use to redeem through the signed API. "
    "A secret is shown only once, when created or rotated.",
    "是": "Yes",
    "否": "No",
    "已创建应用 {name}": "Created app {name}",
    "应用密钥": "App secret",
    "应用 {name} 的 Client Key:{key}\n密钥(Secret)如下:": "Client key of {name}: {key}\nIts secret:",
    "应用 {name} 的新密钥如下,旧密钥已立即失效:": "The new secret of {name} (the old one stopped working):",
    "重置应用 {name} 的密钥?旧密钥会立即失效,使用它的系统需要换上新密钥。": "Rotate the secret of {name}? The old secret stops working at once; systems using it need the new one.",
    "新建核销端应用": "New verifier app",
    "2–32 位小写字母、数字、_ 或 -,例如 kiosk-1": "2–32 of a-z 0-9 _ -, e.g. kiosk-1",
    "说明": "Description",
    "券码 {code}": "Code {code}",
    "复制": "Copy",
    "关闭后将无法再次查看,请立即妥善保存。": "It cannot be shown again after closing: store it safely now.",
    "已复制到剪贴板": "Copied to the clipboard",
    "上报密钥": "Reporting key",
    "立即同步": "Sync now",
    "上报地址": "Reporting URL",
    "核销流水会自动上报到总部(可选)。地址和密钥修改后重启程序生效。": "Redemptions can be reported to head office (optional). Changes apply after a restart.",
    "未配置上报地址:不同步": "No reporting URL: sync is off",
    "待上报 {backlog} 条 · 上次成功 {ok} · 上次错误 {err}": "Waiting {backlog} · last success {ok} · last error {err}",
    "地址已保存;密钥无法保存:{why}": "URL saved; the key could not be saved: {why}",
    "已保存,重启程序后生效。": "Saved; restart the program to apply.",
    "核销结果播放提示音": "Play a sound for each result",
    "试听": "Play",
    "播放器:系统自带": "Player: the system's own",
    "没有找到声音播放器(winsound / afplay / paplay / aplay),提示音不会响": "No sound player found (winsound / afplay / paplay / aplay): sounds stay silent",
    "界面语言 / Language": "界面语言 / Language",
    "提示音": "Sounds",
    "练习门店": "Practice store",
    "已保存,重启程序后生效。 / Saved: restart the program to apply.": "Saved: restart the program to apply.",
}


def apply(ts_path: str | None = None) -> tuple[int, int]:
    path = ts_path or str(resource("translations", "dy_verifier_en.ts"))
    tree = ET.parse(path)
    filled = missing = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or (translation.text and translation.get("type") != "unfinished"):
            continue
        if source in EN:
            translation.text = EN[source]
            translation.attrib.pop("type", None)
            filled += 1
        else:
            missing += 1
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return filled, missing


if __name__ == "__main__":
    done, left = apply()
    print(f"filled {done}, left {left} for their owners")
