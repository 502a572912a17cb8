from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Invitation, Membership, Organization, OrganizationChange, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    """Read-only: roles and deactivation go through the organisation's admins (Team page),
    whose rules (the last admin stays) live in accounts.services."""

    model = Membership
    extra = 0
    can_delete = False
    fields = ["user", "role", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrganizationChangeInline(admin.TabularInline):
    model = OrganizationChange
    extra = 0
    can_delete = False
    readonly_fields = ["changed_at", "changed_by", "field", "old_value", "new_value"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "plan",
        "verified_at",
        "career_page_enabled",
        "my_own_contracts_enabled",
        "created_at",
    ]
    list_filter = ["plan", "career_page_enabled", "my_own_contracts_enabled"]
    search_fields = ["name", "slug"]
    readonly_fields = ["provider_customer_id", "created_at", "updated_at"]
    inlines = [MembershipInline, OrganizationChangeInline]
    actions = ["verify"]

    def save_model(self, request, obj, form, change):
        before = (
            services.organization_snapshot(Organization.objects.get(pk=obj.pk)) if change else {}
        )
        super().save_model(request, obj, form, change)
        services.organization_record_support_changes(org=obj, before=before, by=request.user)

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request, queryset):
        for org in queryset.filter(verified_at__isnull=True):
            services.organization_verify(org=org, by=request.user)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token_hash"]


@admin.register(OrganizationChange)
class OrganizationChangeAdmin(admin.ModelAdmin):
    list_display = ["organization", "field", "old_value", "new_value", "changed_by", "changed_at"]
    list_filter = ["field"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
