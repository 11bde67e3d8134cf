from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shegong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from shegong.core import audit, export_jobs, sessions
        from shegong.core.documents import check_document_root

        # The documents' folder (cases' and residents' files) is served by no URL.
        checks.register(check_document_root)

        # Each domain app registers its own audited models in its ready().
        audit.connect_auth_signals()
        user_logged_in.connect(sessions.mark_session_start, dispatch_uid="sessions:start")
        # The one job kind of large exports; the apps register what they export.
        export_jobs.register_kind()
