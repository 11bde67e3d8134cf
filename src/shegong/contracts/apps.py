from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "shegong.contracts"
    label = "contracts"
    verbose_name = _("Tenders and contracts")

    def ready(self) -> None:
        from shegong.contracts import finance, models
        from shegong.core import audit
        from shegong.evaluation import computed

        computed.register(finance.COMPUTATION)

        for model in (
            models.Tender,
            models.Bid,
            models.ContractTerms,
            models.Instalment,
            models.Spending,
            models.RenewalDecision,
        ):
            audit.register(model)
