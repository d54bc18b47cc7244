"""The explanation trail's words: every line's Chinese detail, built from the structured hit
its rule returned (a reason code and the values it names)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from assessment._internal.base.arith import Q, exact_text, readable
from assessment._internal.base.memo import by_identity
from assessment._internal.load.conditions import table_key
from assessment._internal.rules.hits import Hit
from assessment.results import RuleText
from assessment.scheme import Scheme

__all__ = ["facts_text", "rule_texts", "worded"]

_STATUS = {
    "complete": "已完成",
    "incomplete": "未完成",
    "closed_late": "逾期销号",
    "closed_early": "提前销号",
}


def _q(value: object) -> Q:
    assert isinstance(value, int | Fraction)  # the rules put exact numbers here
    return value


def _finding(hit: Hit) -> str:
    event, day, name, equals = hit.words
    return f"{event} 最近一次({day})记录 {name} = {table_key(equals)}"


def _event(hit: Hit) -> str:
    event = hit.subject
    item = getattr(event, "item", None)
    extra = f" 事项 {item}" if item else ""
    if hit.words == ("cohandler",):  # an item-scoped event, scored for a co-handler
        extra += "(协办)"
    return f"{getattr(event, 'type', '')} {getattr(event, 'date', '')}{extra}"


def _missed(hit: Hit) -> str:
    period, deadline = hit.words
    return f"{period} 未报送(截止 {deadline})"


def _late(hit: Hit) -> str:
    period, deadline, submitted = hit.words
    return f"{period} 逾期报送(截止 {deadline},{submitted} 报送)"


def _threshold(hit: Hit) -> str:
    counts, n = hit.words
    return f"{counts} 累计第 {n} 次"


def _adjustment(hit: Hit) -> str:
    (reason,) = hit.words
    return f"调整理由: {reason}"


def _item(ident: object, role: object) -> str:
    return f"事项 {ident}{'(协办)' if role == 'cohandler' else ''}"


def _item_status(hit: Hit) -> str:
    ident, role, status, due = hit.words
    return f"{_item(ident, role)} {_STATUS[str(status)]}(期限 {due})"


def _overdue(hit: Hit) -> str:
    ident, role, days, due = hit.words
    return f"{_item(ident, role)} 逾期 {days} 天(期限 {due})"


def _rate(hit: Hit) -> str:
    items, rate, full_at = hit.words
    return f"{items} 项中比率 {readable(_q(rate) * 100)}%,低于 {readable(_q(full_at) * 100)}%"


def _not_assessed(hit: Hit) -> str:
    (missing,) = hit.words
    assert isinstance(missing, tuple)
    return f"未承担 {'、'.join(missing)}: 不参加考核排名"


def _reweighted(hit: Hit) -> str:
    (label,) = hit.words
    return f"{label}: 未承担,分值按比例转为其他承担任务的事项"


@lru_cache(maxsize=256)  # units repeat a few categories and shares
def _share(label: str, share: Q) -> str:
    return f"{label}(分值 {readable(share)})"


def _why(settled_by: object, completion: object, when: object, due: object) -> str:
    """How an item's completion was settled."""
    if settled_by == "assessed":
        return f"年终考评完成度 {readable(_q(completion))}"
    if settled_by == "closed":
        return f"{when} 销号"
    if settled_by == "closed_late":
        return f"逾期销号({when},期限 {due})"
    return f"未办结(期限 {due})"


def _nothing_due(hit: Hit) -> str:
    label, share = hit.words
    return f"{_share(str(label), _q(share))}: 尚无到期事项,得全部分值"


def _all_or_nothing(hit: Hit) -> str:
    label, share, items = hit.words
    assert isinstance(items, tuple)
    names = "、".join(f"{ident} {_why(*rest)}" for ident, *rest in items)
    return f"{_share(str(label), _q(share))} 全部或零: {names}"


def _item_part(hit: Hit) -> str:
    label, share, ident, settled_by, completion, when, due, counted, weight = hit.words
    part = f"计 {counted} 项之一" if weight == 1 else f"权重 {readable(_q(weight))}"
    why = _why(settled_by, completion, when, due)
    return f"{_share(str(label), _q(share))} 事项 {ident} {why}, {part}"


_ALL_ITEMS = {"complete": "全部按时完成", "closed_early": "全部提前销号"}


def _all_items(hit: Hit) -> str:
    counted, status = hit.words
    return f"计 {counted} 项督查事项{_ALL_ITEMS[str(status)]}"


def _no_items(hit: Hit) -> str:
    (paid,) = hit.words
    outcome = "按方案照样计分" if paid else "不得此项分数"
    return f"无应计的督查事项(未承担或尚未到期): {outcome}"


_WORDING: dict[str, Callable[[Hit], str]] = {
    "finding": _finding,
    "event": _event,
    "missed": _missed,
    "late": _late,
    "threshold": _threshold,
    "adjustment": _adjustment,
    "item_status": _item_status,
    "overdue": _overdue,
    "rate": _rate,
    "not_assessed": _not_assessed,
    "reweighted": _reweighted,
    "nothing_due": _nothing_due,
    "all_or_nothing": _all_or_nothing,
    "item_part": _item_part,
    "all_items": _all_items,
    "no_items": _no_items,
}


def worded(hit: Hit) -> str:
    """The line's detail, as the explanation shows it."""
    text = _WORDING[hit.reason](hit)
    return text if hit.instead is None else f"{text};{_instead(hit.instead)}"


_MATTER = {"item": "同一事项", "event": "同一事件", "unit": "本单位"}
_CHOICE = {"highest": "取最高", "first": "按先发生的计"}


def _instead(instead: tuple[object, ...]) -> str:
    """Which rule of its exclusive group counted instead of this line's, and with what."""
    scope, choice, name, points = instead
    shown = readable(_q(points))
    signed = shown if _q(points) < 0 else f"+{shown}"
    return (
        f"{_MATTER[str(scope)]}不重复计分({_CHOICE[str(choice)]}),"
        f"已按「{name}」计 {signed} 分,本条不计"
    )


_COMMON = frozenset({"id", "type", "unit", "date"})


def facts_text(hit: Hit) -> dict[str, str]:
    """The deciding values behind a line, as text: those its rule named, or else the own
    fields of the one event it is about (a commendation's level, an adjustment's reason)."""
    pairs = hit.facts
    if not pairs and hit.subject is not None:
        subject = hit.subject
        pairs = tuple(
            (name, getattr(subject, name))
            for name in getattr(subject, "__dataclass_fields__", ())
            if name not in _COMMON
        )
    return {name: _text(value) for name, value in pairs if value is not None}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Fraction):
        return exact_text(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value else "0"
    if isinstance(value, tuple | list):
        return ";".join(_text(part) for part in value)
    return str(value)


@by_identity()
def rule_texts(scheme: Scheme) -> tuple[RuleText, ...]:
    """Every rule in its author's words (its sentence, note and evidence), once per report:
    the lines name their rule, and these words stand behind each of them."""
    return tuple(
        RuleText(
            id=rule.id,
            section=section.id,
            name=rule.name,
            clause=rule.clause,
            text=rule.text,
            note=rule.note,
            evidence=rule.evidence,
        )
        for section, rule in scheme.rules()
    )
