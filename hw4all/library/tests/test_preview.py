"""The first page of a PDF as a picture; no picture, and no exception, for anything else."""

import io

import pytest
from fpdf import FPDF
from PIL import Image

from hw4all.library.preview import first_page_preview


def pdf_write(path, *, pages=1, size="A4", password=""):
    """A PDF whose first page is black in its top-left quarter and white elsewhere."""
    pdf = FPDF(format=size)
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(0, 0, pdf.w / 2, pdf.h / 2, style="F")
    pdf.output(str(path))
    return path


def test_the_first_page_of_a_pdf_becomes_a_webp_image(tmp_path):
    preview = first_page_preview(pdf_write(tmp_path / "report.pdf", pages=3), width=600)
    assert preview is not None
    image = Image.open(io.BytesIO(preview))
    assert image.format == "WEBP"
    assert image.width == 600
    assert image.height == pytest.approx(600 * 297 / 210, abs=1)
    grey = image.convert("L")
    assert grey.getpixel((100, 100)) == pytest.approx(0, abs=40)
    assert grey.getpixel((500, 800)) == pytest.approx(255, abs=40)


def test_a_very_tall_page_is_scaled_to_a_bounded_height(tmp_path):
    preview = first_page_preview(pdf_write(tmp_path / "strip.pdf", size=(100, 2000)), width=600)
    assert preview is not None
    assert Image.open(io.BytesIO(preview)).height == pytest.approx(1800, abs=1)


@pytest.mark.parametrize("content", [b"", b"Not a PDF at all, only text.", b"%PDF-1.7\n1 0 obj\n<< /Ty"])
def test_no_preview_for_what_is_not_a_readable_pdf(tmp_path, content):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    assert first_page_preview(path) is None


def test_no_preview_for_a_pdf_with_a_password(tmp_path):
    assert first_page_preview(pdf_write(tmp_path / "locked.pdf", password="reader")) is None


def test_no_preview_for_a_file_over_the_size_limit(tmp_path, settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 0
    assert first_page_preview(pdf_write(tmp_path / "report.pdf")) is None


def test_no_preview_past_the_time_limit(tmp_path):
    assert first_page_preview(pdf_write(tmp_path / "report.pdf"), time_limit=0.01) is None
