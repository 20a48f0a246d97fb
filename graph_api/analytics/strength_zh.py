"""Chinese wording of an earned strength's explanation, from the same accumulator."""

from __future__ import annotations

from datetime import datetime

from graph_api.analytics.strength import (
    NAMED_KINDS,
    Accumulator,
    days_ago,
    kinds_by_count,
    two_way,
)
from graph_api.domain import model as m

_KIND: dict[str, str] = {
    m.InteractionKind.MEETING: "会面",
    m.InteractionKind.VISIT: "拜访",
    m.InteractionKind.EVENT: "活动",
    m.InteractionKind.CALL: "电话",
    m.InteractionKind.SERVICE: "服务",
    m.InteractionKind.COMPLAINT: "投诉",
    m.InteractionKind.CLAIM: "理赔",
    m.InteractionKind.MESSAGE: "消息",
    m.InteractionKind.EMAIL: "邮件",
    m.InteractionKind.PURCHASE: "购买",
    m.InteractionKind.BILLING: "账单",
}


def explain_zh(acc: Accumulator, now: datetime) -> str:
    """E.g. "90天内会面4次、电话1次，最近一次在6天前"."""
    kinds = kinds_by_count(acc)
    parts = [f"{_KIND[k]}{c}次" for k, c in kinds[:NAMED_KINDS]]
    rest = sum(c for _, c in kinds[NAMED_KINDS:])
    if rest:
        parts.append(f"其他互动{rest}次")
    what = "、".join(parts)
    last = days_ago(acc.last_at, now)
    when = "今天" if last == 0 else f"{last}天前"
    if acc.count == 1:
        text = f"{what}，在{when}"
    else:
        span = max(1, days_ago(acc.first_at, now))
        text = f"{span}天内{what}，最近一次在{when}"
    if acc.rep_pair and not two_way(acc):
        if acc.passive and not acc.active:
            text += "；仅客户主动联系"
        elif acc.active and not acc.passive:
            text += "；仅我方主动联系"
    return text
