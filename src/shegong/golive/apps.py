from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoLiveConfig(AppConfig):
    name = "shegong.golive"
    label = "golive"
    verbose_name = _("Going live")

    def ready(self) -> None:
        from shegong.golive import import_jobs

        import_jobs.register()
