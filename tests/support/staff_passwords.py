"""argon2 at its cheapest, for tests that create accounts and sign in by the hundred."""

from __future__ import annotations

import argon2


def fast_password_hasher(base: type[argon2.PasswordHasher]) -> type[argon2.PasswordHasher]:
    """Return a subclass of ``base`` whose defaults cost one pass over 1 MiB (argon2id)."""

    class FastPasswordHasher(base):  # type: ignore[valid-type, misc] - a class made at run time
        """argon2id at time cost 1, 1 MiB, one lane, unless told otherwise."""

        def __init__(self, time_cost=1, memory_cost=1024, parallelism=1, **options):
            super().__init__(
                time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, **options
            )

    return FastPasswordHasher
