from django.contrib import admin

from shegong.core.admin import ScopedAdmin
from shegong.org.models import (
    Agency,
    City,
    Community,
    Contract,
    District,
    ServicePoint,
    SpecialProject,
    Station,
    Street,
)


@admin.register(City)
class CityAdmin(ScopedAdmin):
    list_display = ["name", "code"]


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    list_display = ["name", "code", "city"]
    search_fields = ["name", "code"]


@admin.register(Street)
class StreetAdmin(ScopedAdmin):
    list_display = ["name", "kind", "district"]
    list_filter = ["district", "kind"]
    search_fields = ["name"]


@admin.register(Community)
class CommunityAdmin(ScopedAdmin):
    list_display = ["name", "street"]
    search_fields = ["name"]
    autocomplete_fields = ["street"]


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    list_display = ["name", "credit_code", "phone"]
    search_fields = ["name", "credit_code"]


@admin.register(Station)
class StationAdmin(ScopedAdmin):
    list_display = ["code", "name", "street", "agency", "is_active"]
    list_filter = ["is_active", "street__district"]
    search_fields = ["code", "name", "street__name"]
    autocomplete_fields = ["street", "agency"]
    list_select_related = ["street", "agency"]


@admin.register(SpecialProject)
class SpecialProjectAdmin(ScopedAdmin):
    list_display = ["code", "name", "domain", "agency"]
    search_fields = ["code", "name"]


@admin.register(Contract)
class ContractAdmin(ScopedAdmin):
    list_display = [
        "code",
        "buyer",
        "agency",
        "station",
        "special_project",
        "starts_on",
        "ends_on",
        "amount",
    ]
    search_fields = ["code", "buyer", "agency__name"]
    autocomplete_fields = ["agency", "station", "special_project"]
    list_select_related = ["agency", "station", "special_project"]


@admin.register(ServicePoint)
class ServicePointAdmin(ScopedAdmin):
    list_display = ["code", "name", "station", "community", "is_active"]
    list_filter = ["is_active", "station__street__district"]
    search_fields = ["code", "name", "station__name", "community__name"]
    autocomplete_fields = ["station", "community", "staff"]
    list_select_related = ["station", "community"]
