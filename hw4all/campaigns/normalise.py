import unicodedata


def email_normalise(email: str) -> str:
    """The form of an address that decides "the same person": Unicode NFKC, no surrounding
    spaces, case folded. Dots and plus-suffixes are kept: they are different mailboxes on most
    providers."""
    return email_clean(email).casefold()


def email_clean(email: str) -> str:
    """The address to send to: compatibility characters (full-width letters typed on an East
    Asian keyboard) become their plain forms, outer spaces go, the case is kept."""
    return unicodedata.normalize("NFKC", email).strip()


def text_clean(value: str, *, max_length: int) -> str:
    """Stored as typed (escaped on display), but without control characters or outer spaces."""
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", value) if unicodedata.category(ch) != "Cc")
    return " ".join(cleaned.split())[:max_length]
