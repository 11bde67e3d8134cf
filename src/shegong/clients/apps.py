from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "shegong.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from shegong.clients import models
        from shegong.core import audit

        identity = ["id_number_encrypted", "id_number_hash", "id_number_masked"]
        audit.register(models.Resident, redact=identity)
        audit.register(models.Household)
        audit.register(models.Consent)
        audit.register(models.ClientStatus)
        audit.register(models.ResidentTag)
        # The file's description and name say what it is: recorded as "changed".
        audit.register(
            models.ResidentDocument,
            redact=["title", "original_name"],
            label=lambda d: f"{d._meta.verbose_name} · #{d.resident_id}",
        )
