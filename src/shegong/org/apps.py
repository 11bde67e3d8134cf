from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "shegong.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from shegong.core import audit, cached
        from shegong.org import units
        from shegong.org.models import Agency, Community, Contract, ServicePoint, Station

        # The units users are anchored at (accounts.backends) and the cached names
        # of the forms' selects: one group.
        cached.follow(units.GROUP, *units.models(), Community, ServicePoint)

        audit.register(Station)
        audit.register(ServicePoint)
        audit.register(Agency)
        audit.register(Contract)
