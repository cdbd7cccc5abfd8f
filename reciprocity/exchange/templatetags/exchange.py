"""`{% exchange_organisation organisation %}` and `{% exchange_application application %}`: the
exchange-file buttons of an organisation's page and an application's page, for those allowed."""

from typing import Any

from django import template

from reciprocity.applications.models import Application
from reciprocity.exchange import permissions
from reciprocity.partners.models import Organisation

register = template.Library()


@register.inclusion_tag("exchange/_organisation_actions.html", takes_context=True)
def exchange_organisation(context: dict[str, Any], organisation: Organisation) -> dict[str, Any]:
    user = context["request"].user
    return {
        "organisation": organisation,
        "may_export": bool(organisation.exchange_code)
        and permissions.can_export_organisation(user, organisation),
        "may_set_code": permissions.can_set_exchange_code(user, organisation),
        "may_import": permissions.may_import(user),
    }


@register.inclusion_tag("exchange/_application_actions.html", takes_context=True)
def exchange_application(context: dict[str, Any], application: Application) -> dict[str, Any]:
    user = context["request"].user
    return {"application": application,
            "may_export": permissions.can_export_application(user, application)}
