"""The log-in backend: Django's ModelBackend, with the user of each request read
together with the unit of the organisation tree it is anchored at.

Every page shows the user's station (or agency, district, city) in its header and
most views read `user.station_id`/`user.station`; reading the anchor in the same
query as the user saves one query on every request (docs/performance.md
"Per-page cost"). The user object lives for one request (AuthenticationMiddleware
loads it again on the next), so nothing read here outlives a role change.
"""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model

from shegong.core.scope import REQUEST_USER_FLAG

# The foreign keys of User that anchor a role (core.roles.LEVEL_FIELD).
ANCHOR_FIELDS = ("city", "district", "street", "agency", "station")


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related(*ANCHOR_FIELDS).get(pk=user_id)
        except User.DoesNotExist:
            return None
        setattr(user, REQUEST_USER_FLAG, True)
        return user if self.user_can_authenticate(user) else None
