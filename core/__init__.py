"""The shared core below the public site (``gateway``) and the lead side (``leads``).

It holds what both features use and nothing of either: the Flask extensions, database set-up,
settings loading, i18n and locales, security headers, the base form and its template macros, the
base template, country slugs, number and date formatting and the SVG charts. It imports neither
``gateway`` nor ``leads`` (``make lint`` checks the layers).
"""
