from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "shegong.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from shegong.core import audit, cached
        from shegong.org import names, units
        from shegong.org.models import Agency, Community, Contract, ServicePoint, Station

        # The cached names of the forms' selects.
        cached.follow(names.GROUP, Community, ServicePoint)
        # The units users are anchored at (accounts.backends).
        cached.follow(units.GROUP, *units.models())

        audit.register(Station)
        audit.register(ServicePoint)
        audit.register(Agency)
        audit.register(Contract)
