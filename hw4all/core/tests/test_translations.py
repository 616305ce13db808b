"""The interface is completely translated into every interface language, and the compiled
catalogues the site loads match their sources."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def entries(po_file: Path) -> list[dict[str, str]]:
    """msgid/msgstr pairs of a .po file, with plural forms joined, the header left out."""
    found, current, field = [], {}, None
    for line in po_file.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current.get("msgid"):
                found.append(current)
            current, field = {}, None
        elif line.startswith("#,"):
            current["flags"] = line
        elif line.startswith(("msgid", "msgstr")):
            field, _, rest = line.partition(" ")
            current[field] = current.get(field, "") + rest.strip().strip('"')
        elif line.startswith('"') and field:
            current[field] += line.strip('"')
    return found


@pytest.mark.parametrize("language", [code for code in settings.INTERFACE_LANGUAGES if code != "en"])
def test_every_interface_string_is_translated(language):
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    catalogue = entries(po_file)
    assert len(catalogue) > 300
    for entry in catalogue:
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        assert all(translations), f"untranslated in {language}: {entry['msgid']!r}"
        assert "fuzzy" not in entry.get("flags", ""), f"fuzzy in {language}: {entry['msgid']!r}"
        source = entry["msgid"] + entry.get("msgid_plural", "")
        for translation in translations:
            assert set(PLACEHOLDER.findall(translation)) <= set(PLACEHOLDER.findall(source)), (
                f"placeholders differ in {language}: {entry['msgid']!r}"
            )


@pytest.mark.parametrize("language", [code for code in settings.INTERFACE_LANGUAGES if code != "en"])
def test_compiled_catalogue_matches_its_source(language, tmp_path):
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(folder / "django.po")], check=True)  # noqa: S603, S607
    assert compiled.read_bytes() == (folder / "django.mo").read_bytes(), "run `make messages`"
