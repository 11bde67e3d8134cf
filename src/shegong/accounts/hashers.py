"""The password hasher: argon2id with OWASP's recommended parameters for an
interactive log-in (Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1),
instead of Django's defaults (m = 100 MiB, t = 2, p = 8).

Why: Django's defaults took 0.7–1.4 s of a gunicorn worker per log-in on the
2-core machine (docs/performance.md, "Load test"), so a morning's rush of log-ins
held every worker. OWASP's parameters keep argon2id's memory-hardness against
GPU cracking at a fifth of the memory and one lane; `shegong bench --only login`
prints the ratio. A hash made with other parameters is still checked, and
rehashed with these on the user's next successful log-in (Django's `must_update`).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    # The algorithm name stays "argon2": every stored hash remains readable.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
