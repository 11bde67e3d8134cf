from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "shegong.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from shegong.core import audit
        from shegong.org.models import Agency, Community, Contract, ServicePoint, Station
        from shegong.org.names import names_changed

        # The cached names of the forms' selects (org.names).
        for model in (Community, ServicePoint):
            uid = f"org-names-{model.__name__}"
            post_save.connect(names_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(names_changed, sender=model, dispatch_uid=f"{uid}-deleted")

        audit.register(Station)
        audit.register(ServicePoint)
        audit.register(Agency)
        audit.register(Contract)
