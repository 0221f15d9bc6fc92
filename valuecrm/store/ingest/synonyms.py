"""Common names of the canonical columns and values, in Chinese and English.

A source column with no mapping and no matching name is *recognised* when its name (ignoring
case, spaces and punctuation) is one of :data:`HEADERS` for a column of the table: ``客户编号``
and ``Customer No`` are ``customer_id``, ``下单时间`` and ``Order Date`` are ``ordered_at``. When
several source columns are names of one table column, the earliest in the list wins
(``实付金额`` before ``订单金额`` for the amount paid) and the others are ignored with a warning.

A value of a column with choices is recognised when it is one of :data:`VALUES` for that column
(any case): ``男`` is ``male``, ``已完成`` is ``completed``. An empty target means "no value":
``保密`` (undisclosed) in a gender column is stored empty. Every recognised column and value is
listed in the load report; nothing is renamed silently.
"""

from __future__ import annotations

from valuecrm.store.schema import TABLES

_CUSTOMER = ("客户编号", "客户ID", "客户号", "客户代码", "顾客编号", "会员号", "会员编号",
             "会员ID", "会员卡号", "用户ID", "用户编号", "Customer No", "Customer Number",
             "CustomerID", "Cust ID", "Cust No", "Client ID", "Member ID", "User ID")
_ORDER = ("订单号", "订单编号", "订单ID", "订单号码", "单号", "Order No", "Order Number",
          "OrderID", "Transaction ID", "Invoice No", "InvoiceNo")
_PRODUCT = ("商品编号", "商品ID", "商品编码", "产品编号", "产品ID", "货号", "SKU", "Product No",
            "ProductID", "Product Code", "Item ID", "StockCode")
_QUANTITY = ("数量", "件数", "商品数量", "购买数量", "Qty", "Items")
_CHANNEL = ("渠道", "销售渠道", "下单渠道", "Sales Channel")
_WHEN = ("发生时间", "时间", "日期", "Date", "Time", "Timestamp")
_COST_TO_SERVE = ("服务成本", "处理成本", "Service Cost")

# table -> column -> other names of it, most specific first.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "customer_id": _CUSTOMER,
        "name": ("姓名", "客户姓名", "客户名称", "会员姓名", "名字", "Full Name", "Customer Name"),
        "email": ("邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "E-mail", "Email Address",
                  "Mail"),
        "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "电话号码", "Mobile",
                  "Mobile Phone", "Telephone", "Phone Number", "Tel", "Cell"),
        "gender": ("性别", "Sex"),
        "birth_year": ("出生年份", "出生年", "出生年份年", "Year of Birth", "YOB"),
        "region": ("省份", "省", "地区", "区域", "省市", "Province", "State"),
        "city": ("城市", "所在城市", "Town"),
        "signup_channel": ("注册渠道", "来源渠道", "获客渠道", "Acquisition Channel", "Source"),
        "signup_at": ("注册时间", "注册日期", "入会时间", "入会日期", "开卡日期", "Signup Date",
                      "Registration Date", "Registered At", "Join Date", "Joined", "Created At"),
        "income_band": ("收入", "收入水平", "收入段", "Income", "Income Level"),
    },
    "customer_attributes": {
        "customer_id": _CUSTOMER,
        "name": ("属性", "属性名", "Attribute", "Attribute Name"),
        "value": ("属性值", "取值", "Attribute Value"),
        "type": ("类型", "数据类型", "Value Type"),
    },
    "products": {
        "product_id": _PRODUCT,
        "department": ("部门", "大类", "Dept"),
        "name": ("商品名称", "产品名称", "品名", "商品名", "Product Name", "Item Name",
                 "Description"),
        "category": ("类别", "品类", "商品类别", "分类", "一级类目", "Product Category"),
        "subcategory": ("子类别", "二级类目", "子分类", "Sub-category", "Sub Category"),
        "brand": ("品牌",),
        "unit_price": ("单价", "售价", "标价", "价格", "Price", "List Price"),
        "unit_cost": ("成本价", "单位成本", "进价", "Cost Price"),
    },
    "orders": {
        "order_id": _ORDER,
        "customer_id": _CUSTOMER,
        "ordered_at": ("下单时间", "订单日期", "下单日期", "订单时间", "交易时间", "交易日期",
                       "购买时间", "购买日期", "成交时间", "付款时间", "Order Date", "Order Time",
                       "Purchase Date", "Transaction Date", "InvoiceDate", *_WHEN[1:]),
        "amount": ("实付金额", "实收金额", "支付金额", "付款金额", "订单金额", "金额", "总金额",
                   "消费金额", "交易金额", "销售额", "Amount Paid", "Total", "Order Total",
                   "Total Amount", "Order Amount", "Sales", "Revenue", "Paid"),
        "cost": ("成本", "订单成本", "COGS"),
        "margin": ("毛利", "毛利润", "利润", "Gross Margin", "Profit"),
        "quantity": _QUANTITY,
        "channel": _CHANNEL,
        "status": ("订单状态", "状态", "交易状态", "Order Status"),
    },
    "guest_orders": {
        "order_id": _ORDER,
        "ordered_at": ("下单时间", "订单日期", "下单日期", "订单时间", "交易时间", "交易日期",
                       "Order Date", "Order Time", "InvoiceDate"),
        "amount": ("实付金额", "订单金额", "金额", "Order Total", "Order Amount"),
        "quantity": _QUANTITY,
        "channel": _CHANNEL,
        "status": ("订单状态", "状态", "Order Status"),
    },
    "order_lines": {
        "order_id": _ORDER,
        "line_no": ("行号", "序号", "明细行号", "Line", "Line Number"),
        "product_id": _PRODUCT,
        "quantity": _QUANTITY,
        "unit_price": ("单价", "成交价", "成交单价", "Price"),
        "amount": ("金额", "小计", "行金额", "实付金额", "Line Total", "Line Amount", "Subtotal"),
        "cost": ("成本", "行成本"),
        "discount": ("折扣", "优惠", "优惠金额", "折扣金额"),
    },
    "interactions": {
        "interaction_id": ("互动编号", "接触编号", "接触记录编号", "记录编号", "Interaction No",
                           "Contact ID"),
        "customer_id": _CUSTOMER,
        "occurred_at": _WHEN,
        "stage": ("阶段", "接触阶段", "旅程阶段", "Journey Stage"),
        "channel": _CHANNEL,
        "kind": ("类型", "方式", "接触方式", "Type"),
        "cost_to_serve": _COST_TO_SERVE,
        "duration_minutes": ("时长分钟", "时长", "通话时长", "Duration", "Minutes"),
    },
    "complaints": {
        "complaint_id": ("投诉编号", "投诉单号", "工单号", "工单编号", "Complaint No",
                         "Case ID", "Ticket ID"),
        "customer_id": _CUSTOMER,
        "order_id": _ORDER,
        "opened_at": ("投诉时间", "受理时间", "创建时间", "Opened", "Created At"),
        "resolved_at": ("解决时间", "结案时间", "完成时间", "Resolved", "Closed At"),
        "category": ("投诉类别", "问题类型", "类别", "Complaint Type"),
        "severity": ("严重程度", "等级", "Priority"),
        "compensation": ("补偿金额", "赔偿金额", "补偿", "赔偿"),
        "resolution_hours": ("处理时长小时", "处理时长", "Resolution Time"),
        "outcome_justice": ("结果公平", "结果公正"),
        "procedural_justice": ("程序公平", "程序公正"),
        "interactional_justice": ("互动公平", "互动公正", "态度"),
        "satisfaction_after": ("处理后满意度", "满意度", "Satisfaction"),
        "cost_to_serve": _COST_TO_SERVE,
    },
    "survey_responses": {
        "response_id": ("答卷编号", "问卷编号", "回答编号", "Response No"),
        "question": ("题目", "问题", "题号", "Question Code"),
        "customer_id": _CUSTOMER,
        "responded_at": ("填写时间", "作答时间", "提交时间", "Submitted At", *_WHEN[1:]),
        "survey": ("问卷", "调查", "问卷名称", "Survey Name"),
        "score": ("分数", "得分", "评分", "Rating"),
        "answer_text": ("回答", "答案", "文本回答", "意见", "Answer", "Comment"),
    },
    "campaigns": {
        "campaign_id": ("活动编号", "活动ID", "营销活动编号", "Campaign No"),
        "name": ("活动名称", "Campaign Name"),
        "kind": ("活动类型", "类型", "Type"),
        "channel": _CHANNEL,
        "started_at": ("开始时间", "开始日期", "Start", "Start Date"),
        "ended_at": ("结束时间", "结束日期", "End", "End Date"),
        "cost_per_contact": ("单次触达成本", "触达成本", "Contact Cost"),
        "offer": ("优惠内容", "权益", "Promotion"),
        "target": ("目标客群", "目标人群", "Target Group"),
        "hypothesis": ("假设", "活动假设", "Hypothesis Text"),
        "outcome": ("衡量指标", "效果指标", "Outcome Metric"),
        "expected_effect": ("预期效果", "预期提升", "Expected Lift"),
        "window_days": ("观察天数", "观察期", "Window"),
        "control_share": ("对照组比例", "控制组比例", "Holdout Share"),
        "seed": ("随机种子", "Random Seed"),
        "stratify_by": ("分层依据", "分层方式", "Strata"),
        "status": ("活动状态", "状态", "Campaign Status"),
        "planned_at": ("计划时间", "策划时间", "Planned"),
        "decision": ("决策", "决定", "Decision Taken"),
        "decision_note": ("决策说明", "决策理由", "Decision Reason"),
        "decided_at": ("决策时间", "Decided"),
    },
    "campaign_members": {
        "campaign_id": ("活动编号", "活动ID", "Campaign No"),
        "customer_id": _CUSTOMER,
        "group": ("分组", "组别", "Group Name"),
        "assigned_at": ("分组时间", "分配时间", "Assigned"),
        "contacted_at": ("触达时间", "联系时间", "Contacted"),
        "responded_at": ("响应时间", "回应时间", "Responded"),
        "stratum": ("分层", "层", "Stratum Name"),
    },
    "campaign_results": {
        "campaign_id": ("活动编号", "活动ID", "Campaign No"),
        "outcome": ("衡量指标", "效果指标", "Outcome Metric"),
        "measured_at": ("评估时间", "测量时间", "Measured"),
        "window_end": ("窗口结束", "观察期结束", "End Of Window"),
        "n_treatment": ("实验组人数", "处理组人数", "Treated"),
        "n_control": ("对照组人数", "控制组人数", "Controls"),
        "treatment_mean": ("实验组均值", "处理组均值", "Treated Mean"),
        "control_mean": ("对照组均值", "控制组均值", "Control Average"),
        "difference": ("差异", "效果", "Effect"),
        "ci_low": ("置信下限", "下限", "Lower Bound"),
        "ci_high": ("置信上限", "上限", "Upper Bound"),
        "p_value": ("P值", "显著性", "P"),
        "relative_lift": ("相对提升", "提升率", "Lift"),
        "incremental": ("增量", "增量效果", "Incremental Effect"),
        "contact_cost": ("触达总成本", "Total Contact Cost"),
        "roi": ("投资回报率", "回报率", "Return On Cost"),
        "method": ("方法", "计算方法", "Method Used"),
    },
    "coupon_redemptions": {
        "redemption_id": ("核销编号", "核销ID", "Redemption No"),
        "customer_id": _CUSTOMER,
        "coupon_id": ("优惠券编号", "券号", "Coupon No", "Coupon UPC", "Coupon Code"),
        "campaign_id": ("活动编号", "活动ID", "Campaign No"),
        "redeemed_at": ("核销时间", "使用时间", "Redemption Date", "Redeemed"),
    },
    "loyalty_ledger": {
        "entry_id": ("流水号", "积分流水号", "记录编号", "Entry No", "Transaction ID"),
        "customer_id": _CUSTOMER,
        "occurred_at": _WHEN,
        "points": ("积分", "积分变动", "Points Change"),
        "kind": ("类型", "变动类型", "Type"),
        "order_id": _ORDER[:-3],
        "tier": ("等级", "会员等级", "Member Tier", "Level"),
    },
    "referrals": {
        "referral_id": ("推荐编号", "推荐记录编号", "Referral No"),
        "referrer_id": ("推荐人", "推荐人编号", "推荐人ID", "Referrer"),
        "referred_customer_id": ("被推荐人", "被推荐人编号", "被推荐客户编号", "Referred"),
        "referred_at": ("推荐时间", "推荐日期", *_WHEN[1:]),
        "converted": ("是否转化", "已转化", "Joined"),
        "reward": ("奖励", "推荐奖励", "奖励金额"),
    },
}

_UNKNOWN = ("未知", "保密", "不详", "unknown", "n/a")
# column name -> canonical value ("" = no value) -> other spellings (compared in lower case).
VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "gender": {
        "female": ("女", "女性", "女士", "f", "w", "woman", "women"),
        "male": ("男", "男性", "先生", "m", "man", "men"),
        "other": ("其他", "其它"),
        "": _UNKNOWN,
    },
    "status": {
        # not paid or shipped: an order in transit may still be cancelled or returned
        "completed": ("已完成", "完成", "交易成功", "已收货", "已签收", "成功", "complete",
                      "done", "delivered", "fulfilled"),
        "cancelled": ("已取消", "取消", "交易关闭", "已关闭", "canceled", "void", "voided"),
        "returned": ("已退货", "退货", "退款", "已退款", "退货退款", "refund", "refunded",
                     "return"),
    },
    "group": {
        "treatment": ("实验组", "处理组", "干预组", "测试组", "test"),
        "control": ("对照组", "控制组", "空白组", "holdout", "hold-out"),
    },
    "stage": {
        "information": ("信息", "信息收集", "了解"),
        "enquiry": ("咨询", "询问", "inquiry"),
        "selection": ("选择", "挑选", "选购"),
        "order": ("下单", "订购"),
        "delivery": ("配送", "交付", "送货", "物流"),
        "payment": ("支付", "付款"),
        "after_sales": ("售后", "售后服务", "after-sales", "after sales", "aftersales"),
    },
    "kind": {
        "acquisition": ("获客", "拉新"),
        "retention": ("留存", "维系", "保留"),
        "winback": ("赢回", "召回", "挽回", "win-back", "win back"),
        "cross_sell": ("交叉销售", "cross-sell", "cross sell"),
        "up_sell": ("追加销售", "向上销售", "up-sell", "upsell"),
        "loyalty": ("忠诚", "忠诚度"),
        "earn": ("获得", "赚取", "累积"),
        "redeem": ("兑换", "使用", "抵扣"),
        "expire": ("过期", "失效"),
        "adjust": ("调整",),
        "other": ("其他", "其它"),
    },
}


def header_names(table: str) -> dict[str, tuple[str, ...]]:
    """Column -> its other names, for the columns of ``table``."""
    return HEADERS.get(table, {})


def value_names(table: str, column: str) -> dict[str, str]:
    """``{spelling in lower case: canonical value}`` recognised in ``table.column``."""
    if column not in TABLES[table].column_names:
        return {}
    spec = TABLES[table].column(column)
    if not spec.choices:
        return {}
    allowed = set(spec.choices) | ({""} if not spec.required else set())
    return {name.lower(): canonical
            for canonical, names in VALUES.get(column, {}).items() if canonical in allowed
            for name in names}
