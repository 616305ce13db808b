import unicodedata


def email_normalise(email: str) -> str:
    """The form of an address that decides "the same person": Unicode NFKC, no surrounding
    spaces, case folded. Dots and plus-suffixes are kept: they are different mailboxes on most
    providers."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def text_clean(value: str, *, max_length: int) -> str:
    """Stored as typed (escaped on display), but without control characters or outer spaces."""
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", value) if unicodedata.category(ch) != "Cc")
    return " ".join(cleaned.split())[:max_length]
