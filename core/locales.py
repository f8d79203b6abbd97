"""The site's languages: English at the root, translations under a prefix."""

DEFAULT_LANG = "en"
TRANSLATION_LANGS: tuple[str, ...] = ("de", "sv")
LANGUAGES: tuple[str, ...] = (DEFAULT_LANG, *TRANSLATION_LANGS)
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "sv": "Svenska"}
