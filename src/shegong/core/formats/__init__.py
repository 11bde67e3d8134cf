"""The platform's formats (settings.FORMAT_MODULE_PATH), over Django's locale ones:
one date format throughout (2026-03-08, as the forms take it and the exports
write it) and figures grouped by thousands (12,345), in Chinese and in English.
Formats not set here (the input formats) are Django's."""
