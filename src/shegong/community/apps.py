from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "shegong.community"
    label = "community"
    verbose_name = _("Community programmes")

    def ready(self) -> None:
        from shegong.clients.services import register_merge_step
        from shegong.community import meal_models
        from shegong.community.meal_services import resident_merge_meal_money
        from shegong.community.models import Volunteer
        from shegong.community.services import resident_merge_meals
        from shegong.core import audit

        register_merge_step(resident_merge_meals)
        register_merge_step(resident_merge_meal_money)
        audit.register(Volunteer)
        # The money: who set a class, a price or a rule, and who approved a
        # settlement (the check-ins themselves are the roll call's volume).
        for model in (
            meal_models.MealEligibility,
            meal_models.CanteenPrice,
            meal_models.SubsidyRule,
            meal_models.MealCard,
            meal_models.MealSettlement,
            meal_models.SettlementAdjustment,
        ):
            audit.register(model)
