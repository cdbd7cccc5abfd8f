"""`{{ code|language_name }}`: a language's name in the reader's language (core/languages.py)."""

from django import template

from reciprocity.core.languages import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return _language_name(str(code or ""))
