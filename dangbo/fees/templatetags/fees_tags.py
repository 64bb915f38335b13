from django import template

register = template.Library()


@register.filter
def vnd(value):
    """An amount in VND with dot thousands separators, as Vietnamese write it: 100.000."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""
