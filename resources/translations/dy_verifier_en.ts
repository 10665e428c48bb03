<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AppsSection</name>
    <message>
        <location filename="../../app/settings/apps_section.py" line="60"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="61"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="63"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="64"/>
        <source>可读令牌</source>
        <translation>Token read</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="65"/>
        <source>最近使用</source>
        <translation>Last used</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="77"/>
        <source>新建应用</source>
        <translation>New app</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="78"/>
        <location filename="../../app/settings/apps_section.py" line="145"/>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="79"/>
        <source>重置密钥</source>
        <translation>Rotate secret</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="80"/>
        <location filename="../../app/settings/apps_section.py" line="147"/>
        <source>允许读取令牌</source>
        <translation>Allow token read</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="94"/>
        <source>其他系统(自助机、ERP、其他收银系统)通过签名接口核销时使用的应用。密钥只在创建或重置时显示一次。</source>
        <translation>Apps that other systems (kiosks, ERP, another POS) use to redeem through the signed API. A secret is shown only once, when created or rotated.</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="119"/>
        <source>已启用</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="119"/>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="145"/>
        <source>启用</source>
        <translation>Enable</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="120"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="120"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="147"/>
        <source>禁止读取令牌</source>
        <translation>Forbid token read</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="164"/>
        <source>已创建应用 {name}</source>
        <translation>Created app {name}</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="167"/>
        <location filename="../../app/settings/apps_section.py" line="213"/>
        <source>应用密钥</source>
        <translation>App secret</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="168"/>
        <source>应用 {name} 的 Client Key:{key}
密钥(Secret)如下:</source>
        <translation>Client key of {name}: {key}
Its secret:</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="214"/>
        <source>应用 {name} 的新密钥如下,旧密钥已立即失效:</source>
        <translation>The new secret of {name} (the old one stopped working):</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="221"/>
        <source>重置应用 {name} 的密钥?旧密钥会立即失效,使用它的系统需要换上新密钥。</source>
        <translation>Rotate the secret of {name}? The old secret stops working at once; systems using it need the new one.</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <location filename="../../app/reports/chart.py" line="200"/>
        <source>{label}:{amount},{count} 笔</source>
        <translation>{label}: {amount}, {count} redeemed</translation>
    </message>
</context>
<context>
    <name>CashiersSection</name>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="42"/>
        <location filename="../../app/settings/cashiers_section.py" line="51"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="42"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="42"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="52"/>
        <source>PIN(4–8 位数字)</source>
        <translation>PIN (4–8 digits)</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="54"/>
        <location filename="../../app/settings/cashiers_section.py" line="94"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="55"/>
        <location filename="../../app/settings/cashiers_section.py" line="94"/>
        <source>店长</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="56"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="59"/>
        <source>新 PIN</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="60"/>
        <source>修改 PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="62"/>
        <location filename="../../app/settings/cashiers_section.py" line="109"/>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="75"/>
        <source>设置收银员后,程序启动时需选择收银员并输入 PIN。店长可撤销核销、查看日报、修改设置。PIN 只保存加盐哈希。</source>
        <translation>Once cashiers exist, the program asks who is working and their PIN at start. Managers may undo redemptions, see the day report and change settings. PINs are stored only as salted hashes.</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="79"/>
        <source>添加收银员</source>
        <translation>Add a cashier</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="81"/>
        <source>选中的收银员</source>
        <translation>Selected cashier</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="95"/>
        <source>在职</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="95"/>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="109"/>
        <source>启用</source>
        <translation>Enable</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="121"/>
        <source>已添加 {name}</source>
        <translation>Added {name}</translation>
    </message>
    <message>
        <location filename="../../app/settings/cashiers_section.py" line="136"/>
        <source>已修改 {name} 的 PIN</source>
        <translation>Changed the PIN of {name}</translation>
    </message>
</context>
<context>
    <name>CounterController</name>
    <message>
        <location filename="../../app/cashier/controller.py" line="114"/>
        <source>这张券已在下方显示:按回车确认核销,Esc 取消</source>
        <translation>This coupon is already on screen: Enter redeems, Esc cancels</translation>
    </message>
    <message>
        <location filename="../../app/cashier/controller.py" line="138"/>
        <source>券码 {code}</source>
        <translation>Code {code}</translation>
    </message>
</context>
<context>
    <name>CounterResult</name>
    <message>
        <location filename="../../app/cashier/results.py" line="69"/>
        <source>另有 {n} 张确认中</source>
        <translation>{n} more still confirming</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="72"/>
        <source>另有 {n} 张未核销:{reason}</source>
        <translation>{n} not redeemed: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="78"/>
        <source>核销成功 {amount}</source>
        <translation>Redeemed {amount}</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="49"/>
        <source>{n} 张</source>
        <translation>{n} coupons</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="49"/>
        <source>1 张</source>
        <translation>1 coupon</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="89"/>
        <source>确认中…</source>
        <translation>Confirming…</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="90"/>
        <source>抖音未及时答复,正在确认结果。请勿让顾客重复出示</source>
        <translation>Douyin did not answer in time; confirming. Do not scan it again</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="91"/>
        <source>{n} 张 · {title}  结果确定后本屏自动更新</source>
        <translation>{n} × {title}  This screen updates by itself when settled</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="103"/>
        <source>抖音没有返回核销结果</source>
        <translation>Douyin returned no result</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="104"/>
        <location filename="../../app/cashier/results.py" line="113"/>
        <source>核销失败</source>
        <translation>Not redeemed</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="118"/>
        <source>正在处理</source>
        <translation>still in progress</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="122"/>
        <source>重复扫码,未再次提交</source>
        <translation>Scanned twice: not sent again</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="123"/>
        <source>{s} 秒前刚扫过这张券:{before}{extra}</source>
        <translation>This coupon was scanned {s} s ago: {before}{extra}</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="126"/>
        <source>如需重新核销,请稍等几秒后再扫</source>
        <translation>To try again, wait a few seconds and scan again</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="134"/>
        <source>无法识别</source>
        <translation>Not recognised</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="135"/>
        <source>请扫描顾客抖音券的二维码,或输入数字券码</source>
        <translation>Scan the customer&apos;s Douyin QR code or type the numeric code</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="143"/>
        <source>未设置门店</source>
        <translation>No store set</translation>
    </message>
    <message>
        <location filename="../../app/cashier/results.py" line="144"/>
        <source>请店长在 设置 &gt; 抖音账号 中选择本收银台的门店</source>
        <translation>A manager must choose this counter&apos;s store in Settings &gt; Douyin account</translation>
    </message>
</context>
<context>
    <name>CounterView</name>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="46"/>
        <source>扫码或输入券码,按回车</source>
        <translation>Scan or type a coupon code, then Enter</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="135"/>
        <source>操作方法
1. 用扫码枪扫顾客抖音里的券码二维码,或手动输入数字券码后按回车
2. 核对券信息;一单多张时按 + / − 选择张数
3. 按回车确认核销,Esc 取消
绿色 = 核销成功,红色 = 未核销(看原因),黄色 = 正在向抖音确认</source>
        <translation>How it works
1. Scan the QR code in the customer&apos;s Douyin app, or type the coupon code and press Enter
2. Check the coupon; for an order of several, choose how many with + / −
3. Press Enter to redeem, Esc to cancel
Green = redeemed, red = not redeemed (see why), amber = confirming with Douyin</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="153"/>
        <location filename="../../app/cashier/counter_view.py" line="159"/>
        <source>扫描顾客的抖音券二维码,或输入券码后按回车</source>
        <translation>Scan the customer&apos;s Douyin QR code, or type the code and press Enter</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="154"/>
        <source>请扫码</source>
        <translation>Ready to scan</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="154"/>
        <source>等待扫描顾客的团购券</source>
        <translation>Waiting for the customer&apos;s coupon</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="168"/>
        <source>正在查询券信息…</source>
        <translation>Looking up the coupon…</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="167"/>
        <source>请稍候,正在向抖音查询</source>
        <translation>One moment: asking Douyin</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="171"/>
        <source>正在核销…</source>
        <translation>Redeeming…</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="170"/>
        <source>请稍候,正在向抖音核销,不要重复扫码</source>
        <translation>One moment: redeeming with Douyin. Do not scan again</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="157"/>
        <source>回车确认核销 · + / − 调整张数 · Esc 取消</source>
        <translation>Enter redeems · + / − changes the count · Esc cancels</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="184"/>
        <source>请核对券信息</source>
        <translation>Check the coupon</translation>
    </message>
    <message>
        <location filename="../../app/cashier/counter_view.py" line="185"/>
        <source>本单可用 {n} 张 · 回车确认核销</source>
        <translation>{n} usable in this order · Enter to redeem</translation>
    </message>
</context>
<context>
    <name>CouponCard</name>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="38"/>
        <source>+ / − 调整张数   回车 确认核销   Esc 取消</source>
        <translation>+ / − count   Enter redeem   Esc cancel</translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="42"/>
        <source>确认核销  (回车)</source>
        <translation>Redeem  (Enter)</translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="43"/>
        <source>取消  (Esc)</source>
        <translation>Cancel  (Esc)</translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="61"/>
        <source>顾客实付</source>
        <translation>Customer paid</translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="61"/>
        <source>券面值</source>
        <translation>Coupon value</translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="61"/>
        <source>原价</source>
        <translation>Original price</translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="68"/>
        <source>本次核销</source>
        <translation>Redeem</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/cashier/coupon_card.py" line="72"/>
        <location filename="../../app/cashier/coupon_card.py" line="121"/>
        <source>张</source>
        <translation>
            <numerusform>coupon</numerusform>
            <numerusform>coupons</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="108"/>
        <source>有效期 {start} 至 {end}</source>
        <translation>Valid {start} to {end}</translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="112"/>
        <source>有效期至 {end}</source>
        <translation>Valid until {end}</translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="114"/>
        <source>本单可用 {n} 张</source>
        <translation>{n} usable in this order</translation>
    </message>
    <message>
        <location filename="../../app/cashier/coupon_card.py" line="128"/>
        <source>合计 实付 {paid} · 券面值 {value}</source>
        <translation>Total paid {paid} · value {value}</translation>
    </message>
</context>
<context>
    <name>DayReportView</name>
    <message>
        <location filename="../../app/reports/view.py" line="71"/>
        <source>日报</source>
        <translation>Day report</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="75"/>
        <location filename="../../app/reports/view.py" line="174"/>
        <location filename="../../app/reports/view.py" line="219"/>
        <source>全部门店</source>
        <translation>All stores</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="77"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="78"/>
        <source>打印 / 导出 PDF</source>
        <translation>Print / PDF</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="79"/>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="80"/>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="197"/>
        <source>读取报表失败:{reason}</source>
        <translation>Could not read the report: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="224"/>
        <source>核销日报_{span}</source>
        <translation>day-report_{span}</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="228"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="228"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="229"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="230"/>
        <source>保存日报</source>
        <translation>Save the report</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="250"/>
        <source>门店</source>
        <translation>Store</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="250"/>
        <source>日期范围</source>
        <translation>Date range</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="251"/>
        <source>生成时间</source>
        <translation>Made at</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="276"/>
        <source>已保存:&lt;a href=&quot;{link}&quot;&gt;{name}&lt;/a&gt;</source>
        <translation>Saved: &lt;a href=&quot;{link}&quot;&gt;{name}&lt;/a&gt;</translation>
    </message>
    <message>
        <location filename="../../app/reports/view.py" line="280"/>
        <source>保存失败:{reason}</source>
        <translation>Could not save: {reason}</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../../app/desktop.py" line="88"/>
        <source>未选择门店</source>
        <translation>No store chosen</translation>
    </message>
</context>
<context>
    <name>DouyinSection</name>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="39"/>
        <source>密钥保存在系统密钥库:{name}</source>
        <translation>Secrets are kept in the OS keyring: {name}</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="44"/>
        <source>没有可用的系统密钥库(当前:{name})。为安全起见,密钥不会保存到普通文件,因此现在无法保存。请在带系统密钥库的电脑上运行,或由管理员通过环境变量 DYGW_DOUYIN_CLIENT_SECRET 提供。</source>
        <translation>No usable OS keyring (in use: {name}). Secrets are never written to a plain file, so they cannot be saved here. Run on a computer with a keyring, or have an administrator set DYGW_DOUYIN_CLIENT_SECRET.</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="53"/>
        <source>已保存(不显示);留空表示不修改</source>
        <translation>Saved (hidden); leave empty to keep it</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="53"/>
        <source>client_secret</source>
        <translation>client_secret</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="61"/>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="62"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="70"/>
        <source>应用 Client Key</source>
        <translation>Client key</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="71"/>
        <source>应用 Client Secret</source>
        <translation>Client secret</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="72"/>
        <source>商户账号 ID</source>
        <translation>Merchant account ID</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="73"/>
        <source>本收银台门店</source>
        <translation>This counter&apos;s store</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="81"/>
        <source>当前为训练模式(抖音沙箱)。保存正式账号并重启后切换到正式模式。</source>
        <translation>Training mode (Douyin sandbox). Save real credentials and restart to go live.</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="83"/>
        <source>当前为正式模式:核销真实的抖音团购券。</source>
        <translation>Live mode: real Douyin coupons are redeemed.</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="102"/>
        <source>正在连接抖音…</source>
        <translation>Connecting to Douyin…</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="116"/>
        <source>连接成功:令牌有效,找到 {n} 家门店。请选择本收银台的门店后保存。</source>
        <translation>Connected: the token is valid and {n} store(s) were found. Choose this counter&apos;s store, then Save.</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="121"/>
        <source>连接失败:{why}</source>
        <translation>Connection failed: {why}</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="159"/>
        <source>无法保存:{why}</source>
        <translation>Cannot save: {why}</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="161"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../app/settings/douyin_section.py" line="155"/>
        <source>已保存到系统密钥库。重启程序后生效。</source>
        <translation>Saved in the OS keyring. Restart the program to apply.</translation>
    </message>
</context>
<context>
    <name>EndpointSection</name>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="27"/>
        <source>随程序启动本机核销接口</source>
        <translation>Start the local redemption API with the program</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="32"/>
        <source>自动(任一空闲端口)</source>
        <translation>Automatic (any free port)</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="34"/>
        <source>保存并应用</source>
        <translation>Save and apply</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="37"/>
        <source>生成新的内部接口密钥</source>
        <translation>New internal API key</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="44"/>
        <source>监听地址</source>
        <translation>Bind address</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="45"/>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="60"/>
        <source>内部接口密钥(X-XTJ-UID)用于本店员工工具查询流水、管理应用。只保存其摘要,生成时显示一次。</source>
        <translation>The internal API key (X-XTJ-UID) lets the store&apos;s own tools read the ledger and manage apps. Only its digest is kept; it is shown once when made.</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="73"/>
        <source>注意:非 127.0.0.1 时,局域网内其他电脑也能访问此接口(仍需签名)。</source>
        <translation>Note: on an address other than 127.0.0.1, other computers on the network can reach the API (requests must still be signed).</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="79"/>
        <source>接口运行中:{url}</source>
        <translation>API running at {url}</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="81"/>
        <source>接口未启动</source>
        <translation>API not running</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="94"/>
        <source>接口启动失败:{why}</source>
        <translation>The API did not start: {why}</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="97"/>
        <source>已保存。接口正在运行,重启程序后按新设置启动或停止。</source>
        <translation>Saved. The API is running; the new settings apply after a restart.</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="99"/>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="105"/>
        <source>新的内部接口密钥如下。之前生成的密钥已失效;环境变量 DYGW_INTERNAL_API_KEYS 中的密钥仍然有效:</source>
        <translation>The new internal API key. The previously generated key no longer works; the keys in the DYGW_INTERNAL_API_KEYS environment variable still do:</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="108"/>
        <location filename="../../app/settings/endpoint_section.py" line="121"/>
        <source>内部接口密钥</source>
        <translation>Internal API key</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="107"/>
        <source>新的内部接口密钥如下,旧密钥已失效:</source>
        <translation>The new internal API key (the old one no longer works):</translation>
    </message>
    <message>
        <location filename="../../app/settings/endpoint_section.py" line="121"/>
        <source>首次启动生成的内部接口密钥:</source>
        <translation>The internal API key made at first start:</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/common/errors.py" line="27"/>
        <source>操作超时,请稍后重试</source>
        <translation>Timed out: try again shortly</translation>
    </message>
    <message>
        <location filename="../../app/common/errors.py" line="29"/>
        <source>网络连接失败,请检查网络后重试</source>
        <translation>Network error: check the connection and try again</translation>
    </message>
    <message>
        <location filename="../../app/common/errors.py" line="30"/>
        <source>出现意外错误,已记录到日志文件。请重试,若反复出现请联系管理员。</source>
        <translation>Something went wrong and was logged. Try again; call the manager if it keeps happening.</translation>
    </message>
</context>
<context>
    <name>ExceptionHook</name>
    <message>
        <location filename="../../app/common/exception_hook.py" line="77"/>
        <source>程序出现意外错误,已记录到日志文件:
{path}

当前操作可能没有完成,请重试;若反复出现请联系管理员。</source>
        <translation>Something went wrong. Details are in the log file:
{path}

The last action may not have finished: try again, and call the manager if it keeps happening.</translation>
    </message>
</context>
<context>
    <name>ExportController</name>
    <message>
        <location filename="../../app/history/export.py" line="54"/>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../app/history/export.py" line="54"/>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../app/history/export.py" line="55"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../app/history/export.py" line="55"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/history/export.py" line="90"/>
        <source>导出时间</source>
        <translation>Exported at</translation>
    </message>
    <message>
        <location filename="../../app/history/export.py" line="93"/>
        <source>导出已取消</source>
        <translation>Export cancelled</translation>
    </message>
    <message>
        <location filename="../../app/history/export.py" line="97"/>
        <source>导出失败:{reason}</source>
        <translation>Export failed: {reason}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../app/history/filter_bar.py" line="31"/>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../app/history/filter_bar.py" line="39"/>
        <source>券码后几位 / 订单号</source>
        <translation>Code tail / order id</translation>
    </message>
    <message>
        <location filename="../../app/history/filter_bar.py" line="67"/>
        <source>全部门店</source>
        <translation>All stores</translation>
    </message>
    <message>
        <location filename="../../app/history/filter_bar.py" line="71"/>
        <source>全部收银员</source>
        <translation>All cashiers</translation>
    </message>
</context>
<context>
    <name>GeneralSection</name>
    <message>
        <location filename="../../app/settings/general_section.py" line="23"/>
        <source>核销结果播放提示音</source>
        <translation>Play a sound for each result</translation>
    </message>
    <message>
        <location filename="../../app/settings/general_section.py" line="26"/>
        <source>试听</source>
        <translation>Play</translation>
    </message>
    <message>
        <location filename="../../app/settings/general_section.py" line="29"/>
        <source>播放器:系统自带</source>
        <translation>Player: the system&apos;s own</translation>
    </message>
    <message>
        <location filename="../../app/settings/general_section.py" line="31"/>
        <source>没有找到声音播放器(winsound / afplay / paplay / aplay),提示音不会响</source>
        <translation>No sound player found (winsound / afplay / paplay / aplay): sounds stay silent</translation>
    </message>
    <message>
        <location filename="../../app/settings/general_section.py" line="35"/>
        <source>界面语言 / Language</source>
        <translation>界面语言 / Language</translation>
    </message>
    <message>
        <location filename="../../app/settings/general_section.py" line="37"/>
        <source>提示音</source>
        <translation>Sounds</translation>
    </message>
    <message>
        <location filename="../../app/settings/general_section.py" line="54"/>
        <source>练习门店</source>
        <translation>Practice store</translation>
    </message>
    <message>
        <location filename="../../app/settings/general_section.py" line="63"/>
        <source>已保存,重启程序后生效。 / Saved: restart the program to apply.</source>
        <translation>Saved: restart the program to apply.</translation>
    </message>
</context>
<context>
    <name>HistoryTableModel</name>
    <message>
        <location filename="../../app/history/model.py" line="332"/>
        <source>核销时间 {time}</source>
        <translation>Redeemed at {time}</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../app/history/view.py" line="75"/>
        <source>核销记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="80"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="82"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="86"/>
        <source>导出 Excel(.xlsx,金额单位:元)</source>
        <translation>Export Excel (.xlsx, amounts in CNY)</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="87"/>
        <source>导出 CSV(与接口导出相同字段,金额单位:分)</source>
        <translation>Export CSV (API fields, amounts in fen)</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="94"/>
        <source>这段时间没有核销记录</source>
        <translation>No redemptions in this period</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="103"/>
        <location filename="../../app/history/view.py" line="358"/>
        <location filename="../../app/history/view.py" line="374"/>
        <source>撤销核销</source>
        <translation>Undo redemption</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="109"/>
        <source>导出中 %v / %m</source>
        <translation>Exporting %v / %m</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="111"/>
        <source>取消导出</source>
        <translation>Cancel export</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="223"/>
        <source>共 {total} 条 · 核销成功 {ok} 笔,实付 {paid} · 已撤销 {undone} 笔 · 失败 {failed} 笔</source>
        <translation>{total} records · {ok} redeemed, paid {paid} · {undone} undone · {failed} failed</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="274"/>
        <source>读取核销记录失败:{reason}</source>
        <translation>Could not read the history: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="358"/>
        <source>正在撤销…</source>
        <translation>Undoing…</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="363"/>
        <source>已撤销:{product} {amount}</source>
        <translation>Undone: {product} {amount}</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="372"/>
        <source>撤销失败:{reason}</source>
        <translation>Undo failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="380"/>
        <source>核销记录_{span}</source>
        <translation>history_{span}</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="384"/>
        <source>日期范围</source>
        <translation>Date range</translation>
    </message>
    <message>
        <location filename="../../app/history/view.py" line="408"/>
        <source>已导出 {rows} 条 · &lt;a href=&quot;{folder}&quot;&gt;打开文件夹&lt;/a&gt;</source>
        <translation>Exported {rows} rows · &lt;a href=&quot;{folder}&quot;&gt;open folder&lt;/a&gt;</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="42"/>
        <source>收银员登录</source>
        <translation>Cashier login</translation>
    </message>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="51"/>
        <source>店长</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="51"/>
        <location filename="../../app/cashier/login_dialog.py" line="82"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="59"/>
        <location filename="../../app/cashier/login_dialog.py" line="83"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="62"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="68"/>
        <source>跳过,以“{name}”练习</source>
        <translation>Skip: practise as “{name}”</translation>
    </message>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="72"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="76"/>
        <source>退出程序</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="85"/>
        <location filename="../../app/cashier/login_dialog.py" line="94"/>
        <source>请选择收银员并输入 PIN</source>
        <translation>Choose the cashier and enter the PIN</translation>
    </message>
    <message>
        <location filename="../../app/cashier/login_dialog.py" line="100"/>
        <source>PIN 不正确</source>
        <translation>Wrong PIN</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/main_window.py" line="72"/>
        <location filename="../../app/main_window.py" line="93"/>
        <source>抖音团购核销</source>
        <translation>Douyin Coupons</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="72"/>
        <source>训练模式</source>
        <translation>Training mode</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="101"/>
        <source>收银核销</source>
        <translation>Counter</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="102"/>
        <source>核销记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="103"/>
        <source>日报</source>
        <translation>Day report</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="104"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="117"/>
        <source>换班 / 登录</source>
        <translation>Change cashier</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="131"/>
        <source>训练模式 — 使用抖音沙箱,不会核销真实团购券</source>
        <translation>Training mode — using the Douyin sandbox; no real coupons are redeemed</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="180"/>
        <source>此页面仅店长可用。请店长登录后查看。</source>
        <translation>Managers only. Ask a manager to log in.</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="180"/>
        <source>店长登录</source>
        <translation>Manager login</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="200"/>
        <source>此功能尚未安装</source>
        <translation>This part is not installed yet</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="209"/>
        <source>店长</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="209"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="210"/>
        <source>当前:{name}({role})</source>
        <translation>On duty: {name} ({role})</translation>
    </message>
</context>
<context>
    <name>NewAppDialog</name>
    <message>
        <location filename="../../app/settings/apps_section.py" line="33"/>
        <source>新建核销端应用</source>
        <translation>New verifier app</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="36"/>
        <source>2–32 位小写字母、数字、_ 或 -,例如 kiosk-1</source>
        <translation>2–32 of a-z 0-9 _ -, e.g. kiosk-1</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="39"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="40"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/settings/apps_section.py" line="41"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
</context>
<context>
    <name>PracticePanel</name>
    <message>
        <location filename="../../app/cashier/practice_panel.py" line="35"/>
        <source>练习用测试券</source>
        <translation>Practice coupons</translation>
    </message>
    <message>
        <location filename="../../app/cashier/practice_panel.py" line="36"/>
        <source>点一下券码或短链接即可填入,再按回车</source>
        <translation>Click a code or link to fill it in, then press Enter</translation>
    </message>
    <message>
        <location filename="../../app/cashier/practice_panel.py" line="52"/>
        <source>券码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/cashier/practice_panel.py" line="53"/>
        <source>短链</source>
        <translation>Link</translation>
    </message>
</context>
<context>
    <name>RangePicker</name>
    <message>
        <location filename="../../app/reports/range_picker.py" line="37"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../app/reports/range_picker.py" line="38"/>
        <source>昨天</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location filename="../../app/reports/range_picker.py" line="39"/>
        <source>本周</source>
        <translation>This week</translation>
    </message>
    <message>
        <location filename="../../app/reports/range_picker.py" line="40"/>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <location filename="../../app/reports/range_picker.py" line="52"/>
        <source>至</source>
        <translation>to</translation>
    </message>
</context>
<context>
    <name>RecentList</name>
    <message>
        <location filename="../../app/cashier/recent_list.py" line="26"/>
        <source>还没有核销记录</source>
        <translation>No redemptions yet</translation>
    </message>
    <message>
        <location filename="../../app/cashier/recent_list.py" line="29"/>
        <source>最近核销</source>
        <translation>Recent redemptions</translation>
    </message>
    <message>
        <location filename="../../app/cashier/recent_list.py" line="37"/>
        <source>✓ 成功 {n} 张</source>
        <translation>✓ redeemed {n}</translation>
    </message>
    <message>
        <location filename="../../app/cashier/recent_list.py" line="38"/>
        <source>✗ 失败</source>
        <translation>✗ failed</translation>
    </message>
    <message>
        <location filename="../../app/cashier/recent_list.py" line="39"/>
        <source>… 确认中</source>
        <translation>… confirming</translation>
    </message>
</context>
<context>
    <name>SecretOnceDialog</name>
    <message>
        <location filename="../../app/settings/secret_dialog.py" line="26"/>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../app/settings/secret_dialog.py" line="38"/>
        <source>关闭后将无法再次查看,请立即妥善保存。</source>
        <translation>It cannot be shown again after closing: store it safely now.</translation>
    </message>
    <message>
        <location filename="../../app/settings/secret_dialog.py" line="43"/>
        <source>已复制到剪贴板</source>
        <translation>Copied to the clipboard</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../app/common/session.py" line="31"/>
        <source>练习收银员</source>
        <translation>Practice cashier</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <location filename="../../app/settings/settings_view.py" line="46"/>
        <source>抖音账号</source>
        <translation>Douyin account</translation>
    </message>
    <message>
        <location filename="../../app/settings/settings_view.py" line="47"/>
        <source>收银员管理</source>
        <translation>Cashiers</translation>
    </message>
    <message>
        <location filename="../../app/settings/settings_view.py" line="48"/>
        <source>本机接口</source>
        <translation>Local API</translation>
    </message>
    <message>
        <location filename="../../app/settings/settings_view.py" line="49"/>
        <source>核销端应用</source>
        <translation>Verifier apps</translation>
    </message>
    <message>
        <location filename="../../app/settings/settings_view.py" line="50"/>
        <source>数据同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../app/settings/settings_view.py" line="51"/>
        <source>通用</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../app/settings/settings_view.py" line="54"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
</context>
<context>
    <name>SummaryTableModel</name>
    <message>
        <location filename="../../app/reports/summary_model.py" line="59"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>SyncSection</name>
    <message>
        <location filename="../../app/settings/sync_section.py" line="35"/>
        <source>已保存(不显示);留空表示不修改</source>
        <translation>Saved (hidden); leave empty to keep it</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="35"/>
        <location filename="../../app/settings/sync_section.py" line="48"/>
        <source>上报密钥</source>
        <translation>Reporting key</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="36"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="40"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="47"/>
        <source>上报地址</source>
        <translation>Reporting URL</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="56"/>
        <source>核销流水会自动上报到总部(可选)。地址和密钥修改后重启程序生效。</source>
        <translation>Redemptions can be reported to head office (optional). Changes apply after a restart.</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="80"/>
        <source>未配置上报地址:不同步</source>
        <translation>No reporting URL: sync is off</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="82"/>
        <source>待上报 {backlog} 条 · 上次成功 {ok} · 上次错误 {err}</source>
        <translation>Waiting {backlog} · last success {ok} · last error {err}</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="105"/>
        <source>地址已保存;密钥无法保存:{why}</source>
        <translation>URL saved; the key could not be saved: {why}</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="107"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../app/settings/sync_section.py" line="95"/>
        <location filename="../../app/settings/sync_section.py" line="101"/>
        <source>已保存,重启程序后生效。</source>
        <translation>Saved; restart the program to apply.</translation>
    </message>
</context>
<context>
    <name>UndoDialog</name>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="55"/>
        <source>撤销核销</source>
        <translation>Undo redemption</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="63"/>
        <source>确定撤销这笔核销吗?</source>
        <translation>Undo this redemption?</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="65"/>
        <source>撤销后券会退回顾客账户,可以再次使用;此操作会记录操作人和授权人。</source>
        <translation>The coupon goes back to the customer and can be used again. Who asked and who approved is recorded.</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="68"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="69"/>
        <source>实付金额</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="70"/>
        <source>券码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="71"/>
        <source>订单号</source>
        <translation>Order id</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="72"/>
        <source>核销时间</source>
        <translation>Redeemed at</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="73"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="77"/>
        <source>撤销原因(选填),如:顾客退单、扫错券</source>
        <translation>Reason (optional), e.g. order cancelled, wrong coupon scanned</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="84"/>
        <source>店长密码</source>
        <translation>Manager PIN</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="86"/>
        <source>需要店长授权</source>
        <translation>A manager must approve</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="88"/>
        <source>店长</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="89"/>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="98"/>
        <location filename="../../app/history/undo_dialog.py" line="164"/>
        <source>确认撤销</source>
        <translation>Undo it</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="100"/>
        <source>不撤销</source>
        <translation>Keep it</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="155"/>
        <source>请选择店长并输入密码</source>
        <translation>Choose a manager and enter the PIN</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="164"/>
        <source>正在核对…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_dialog.py" line="174"/>
        <source>店长密码不正确</source>
        <translation>Wrong manager PIN</translation>
    </message>
</context>
<context>
    <name>history</name>
    <message>
        <location filename="../../app/history/columns.py" line="40"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../app/history/columns.py" line="41"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/history/columns.py" line="42"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../app/history/columns.py" line="43"/>
        <source>实付金额</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../app/history/columns.py" line="44"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../app/history/columns.py" line="45"/>
        <source>门店</source>
        <translation>Store</translation>
    </message>
    <message>
        <location filename="../../app/history/columns.py" line="46"/>
        <source>券码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../app/history/columns.py" line="47"/>
        <source>订单号</source>
        <translation>Order id</translation>
    </message>
    <message>
        <location filename="../../app/history/columns.py" line="48"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../app/history/formatting.py" line="30"/>
        <source>核销成功</source>
        <translation>Redeemed</translation>
    </message>
    <message>
        <location filename="../../app/history/formatting.py" line="31"/>
        <source>确认中</source>
        <translation>Confirming</translation>
    </message>
    <message>
        <location filename="../../app/history/formatting.py" line="32"/>
        <source>核销失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../app/history/formatting.py" line="33"/>
        <source>已撤销</source>
        <translation>Undone</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_gate.py" line="24"/>
        <source>选择一条核销成功的记录即可撤销</source>
        <translation>Select a redeemed row to undo it</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_gate.py" line="26"/>
        <source>这条核销已撤销</source>
        <translation>This redemption was undone</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_gate.py" line="28"/>
        <source>只有核销成功的记录可以撤销</source>
        <translation>Only redeemed rows can be undone</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_gate.py" line="30"/>
        <source>缺少核销时间,无法撤销</source>
        <translation>No redemption time: cannot undo</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_gate.py" line="33"/>
        <source>已超过抖音允许的撤销时限</source>
        <translation>Past Douyin&apos;s undo window</translation>
    </message>
    <message>
        <location filename="../../app/history/undo_gate.py" line="34"/>
        <source>可撤销,剩余 {left}</source>
        <translation>Undo possible for {left}</translation>
    </message>
</context>
<context>
    <name>reports</name>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="33"/>
        <source>核销笔数</source>
        <translation>Redeemed</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="34"/>
        <source>实付金额</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="35"/>
        <source>券面价值</source>
        <translation>Coupon value</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="36"/>
        <source>优惠金额</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="37"/>
        <source>已撤销</source>
        <translation>Undone</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="38"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="39"/>
        <source>确认中</source>
        <translation>Confirming</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="40"/>
        <source>记录数</source>
        <translation>Records</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="61"/>
        <source>(未记录收银员)</source>
        <translation>(no cashier recorded)</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="62"/>
        <source>按日</source>
        <translation>By day</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="62"/>
        <location filename="../../app/reports/pdf.py" line="72"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="63"/>
        <source>按门店</source>
        <translation>By store</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="63"/>
        <location filename="../../app/reports/pdf.py" line="71"/>
        <source>门店</source>
        <translation>Store</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="64"/>
        <source>按来源</source>
        <translation>By source</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="64"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="65"/>
        <source>按收银员</source>
        <translation>By cashier</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="65"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="77"/>
        <source>这段时间没有核销</source>
        <translation>No redemptions in this period</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="84"/>
        <source>{h}时</source>
        <translation>{h}h</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="85"/>
        <source>{day} 各时段实付金额(¥)</source>
        <translation>{day}: paid by hour (¥)</translation>
    </message>
    <message>
        <location filename="../../app/reports/breakdowns.py" line="91"/>
        <source>{start} 至 {end} 每日实付金额(¥)</source>
        <translation>{start} to {end}: paid by day (¥)</translation>
    </message>
    <message>
        <location filename="../../app/reports/pdf.py" line="70"/>
        <location filename="../../app/reports/pdf.py" line="142"/>
        <source>核销日报</source>
        <translation>Day report</translation>
    </message>
    <message>
        <location filename="../../app/reports/pdf.py" line="70"/>
        <source>核销报表</source>
        <translation>Redemption report</translation>
    </message>
    <message>
        <location filename="../../app/reports/pdf.py" line="73"/>
        <source>生成时间</source>
        <translation>Made at</translation>
    </message>
    <message>
        <location filename="../../app/reports/pdf.py" line="74"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../app/reports/pdf.py" line="75"/>
        <source>金额为核销成功的记录之和(撤销的不计入);数据与内部接口的汇总报表出自同一查询。</source>
        <translation>Amounts are sums of redeemed rows (undone ones excluded); the figures come from the same query as the internal API&apos;s summary.</translation>
    </message>
</context>
</TS>
