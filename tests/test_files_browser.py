"""Uploading a photo in real headless Chromium (Debian's, driven by Playwright): sign up,
Special:Upload with a licence, the file page shows the image (decoded by the browser), its
licence and its coordinates; an article shows it as a thumbnail that the browser loads."""
from __future__ import annotations

import pytest

from files_helpers import jpeg


@pytest.mark.browser
def test_upload_photo_in_browser(live_server, browser, tmp_path) -> None:
    base = live_server
    photo = tmp_path / "lavoir.jpg"
    photo.write_bytes(jpeg(900, 600, gps=(48.3904, -4.4861), exif={0x010F: "Kodak"}))
    page = browser.new_page(locale="fr-FR")
    page.goto(f"{base}/wiki/Spécial:Créer_un_compte")
    page.fill("#wpName2", "Yann")
    page.fill("#wpPassword2", "un-long-mot-de-passe")
    page.fill("#wpRetype", "un-long-mot-de-passe")
    page.click("#wpCreateaccount")
    page.wait_for_load_state()
    page.goto(f"{base}/wiki/Spécial:Téléverser")
    page.set_input_files("#wpUploadFile", str(photo))
    page.fill("#wpDestFile", "Lavoir du Moulin.jpg")
    page.fill("#wpUploadDescription", "Le lavoir du moulin en 1950")
    page.fill("#wpAuthor", "Yann")
    page.select_option("#wpLicense", "temoignage-cc-by-nd")
    page.click("button[name=wpUpload]")
    page.wait_for_load_state()
    assert "/wiki/Fichier:Lavoir_du_Moulin.jpg" in page.url
    assert "témoignage signé : CC BY-ND 4.0" in page.inner_text("#file-licence")
    image = page.locator("#file img")
    image.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth", image.element_handle()) \
        in (800, 900, 1200)  # the 800 px screen image (or a srcset candidate)
    assert "48.390400, -4.486100" in page.inner_text("#mw_metadata")
    page.goto(f"{base}/w/index.php?title=Lavoir_du_Moulin&action=edit")
    page.fill("#wpTextbox1", "[[Fichier:Lavoir du Moulin.jpg|vignette|Le lavoir]]")
    page.click("#wpSave")
    page.wait_for_load_state()
    thumb = page.locator(".thumb img")
    thumb.wait_for()
    page.wait_for_function("() => document.querySelector('.thumb img').complete")
    width = page.evaluate("() => document.querySelector('.thumb img').naturalWidth")
    assert 180 <= width < 900  # a real thumbnail, not the original
