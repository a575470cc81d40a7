from django import template

from finance import formatting

register = template.Library()
register.filter("wan_yuan", formatting.wan_yuan)
register.filter("yi_yuan", formatting.yi_yuan)
register.filter("percent", formatting.percent)
register.filter("signed", formatting.signed)
register.filter("number", formatting.number)
register.filter("growth", formatting.growth)
