"""``{% load numbers %}``: ``{{ value|num }}`` (5.175, 92,5), ``{{ value|num:1 }}`` (at most one decimal),
``{{ value|fixed:2 }}`` (always two: 8,50), ``{{ value|percent }}`` (92,5%) — the one number format of
``dangbo.core.numbers``."""

from django import template

from dangbo.core import numbers

register = template.Library()


@register.filter
def num(value, places=2):
    return numbers.fmt(value, int(places))


@register.filter
def fixed(value, places=2):
    return numbers.fmt(value, int(places), fixed=True)


@register.filter
def percent(value, places=1):
    return numbers.percent(value, int(places))
