"""The log-in backend: Django's ModelBackend, with the user of each request given
the unit of the organisation tree it is anchored at.

Every page shows the user's station (or agency, district, city) in its header and
most views read `user.station_id`/`user.station`. The units come from the cache
(org.units), not from a join: on PostgreSQL the user joined to its five possible
units cost about 0.5 ms of planning on every request (docs/performance.md, "CPU
per request"). The user object lives for one request (AuthenticationMiddleware
loads it again on the next), so nothing read here outlives a role change.
"""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model

from shegong.core.scope import REQUEST_USER_FLAG
from shegong.org import units

# The foreign keys of User that anchor a role (core.roles.LEVEL_FIELD).
ANCHOR_FIELDS = ("city", "district", "street", "agency", "station")


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.get(pk=user_id)
        except User.DoesNotExist:
            return None
        for name in ANCHOR_FIELDS:
            field = User._meta.get_field(name)
            key = getattr(user, field.attname)
            if key is not None:
                field.set_cached_value(user, units.unit(field.related_model, key))
        setattr(user, REQUEST_USER_FLAG, True)
        return user if self.user_can_authenticate(user) else None
