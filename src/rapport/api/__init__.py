"""The versioned JSON API under /api/v1/: django-ninja, token or session auth, one error shape."""
