"""Small lookups the Today page needs: a group of actions by name, and how many more."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.reminders.selectors import ShownAction, TodayList

register = template.Library()


@register.filter
def group_items(actions: TodayList, name: str) -> list[ShownAction]:
    return actions.group(name)


@register.filter
def group_more(actions: TodayList, name: str) -> int:
    return actions.more(name)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
