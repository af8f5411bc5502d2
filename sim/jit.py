"""``njit``: numba's compiler (results cached on disk), or, where numba is missing, a no-op
decorator so the same functions run as plain Python."""

from __future__ import annotations

try:  # pragma: no cover - exercised when numba is installed
    from numba import njit
except ImportError:  # pragma: no cover
    def njit(*args, **kwargs):
        if args and callable(args[0]):
            return args[0]
        return lambda f: f

__all__ = ["njit"]
