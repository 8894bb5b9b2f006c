"""The roles of the employment office in the administration: granted and revoked through the same audited
services as ``manage.py office_role`` (identity/office_roles.py); a role row is never edited or deleted."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms.models import construct_instance
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from careerbreak.core.errors import DomainError
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import OfficeRole, User
from careerbreak.identity.office_roles import office_role_grant, office_role_revoke
from careerbreak.identity.oidc import assurance_level


def _acting(request: HttpRequest) -> Acting:
    user = cast(User, request.user)
    return Acting.from_request(request, user=user, assurance_level=assurance_level(request), access=None)


class OfficeRoleForm(forms.ModelForm):
    class Meta:
        model = OfficeRole
        fields = ["niss", "kind", "office"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, office = cleaned.get("kind"), cleaned.get("office")
        if kind and (kind == OfficeRole.Kind.AGENT) != (office is not None):
            self.add_error(
                "office", _("An agent works for one office; a supervisor for none (they see every office).")
            )
        return cleaned

    def _post_clean(self) -> None:
        # The service checks the role and replaces a current one: not the model's own validation, which
        # would refuse a second active role before the service could revoke the first.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


@admin.register(OfficeRole)
class OfficeRoleAdmin(admin.ModelAdmin):
    form = OfficeRoleForm
    list_display = [
        "niss",
        "kind",
        "office",
        "granted_at",
        "granted_by_niss",
        "revoked_at",
        "revoked_by_niss",
    ]
    list_filter = ["kind", "office", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["=niss"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: OfficeRole | None = None) -> list[str]:
        if obj is None:
            return []
        return ["niss", "kind", "office", "granted_at", "granted_by_niss", "revoked_at", "revoked_by_niss"]

    def save_model(self, request: HttpRequest, obj: OfficeRole, form: Any, change: bool) -> None:
        if change:
            return  # a role is never edited: revoke it and grant another
        try:
            role = office_role_grant(acting=_acting(request), niss=obj.niss, kind=obj.kind, office=obj.office)
        except DomainError as error:
            messages.error(request, str(error.message))
            return
        obj.pk = role.pk
        obj.granted_at, obj.granted_by_niss = role.granted_at, role.granted_by_niss

    def has_delete_permission(self, request: HttpRequest, obj: OfficeRole | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected roles"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[OfficeRole]) -> None:
        count = 0
        for niss in queryset.filter(revoked_at__isnull=True).values_list("niss", flat=True):
            count += office_role_revoke(acting=_acting(request), niss=niss) is not None
        messages.success(request, _("%(count)s roles revoked.") % {"count": count})
