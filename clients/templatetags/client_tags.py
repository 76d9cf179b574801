from typing import Any

from django import template

register = template.Library()


@register.filter
def dict_get(mapping: dict[Any, Any], key: Any) -> Any:
    """Look a key up in a dict from a template: {{ lights|dict_get:session.pk }}."""
    return mapping.get(key)
