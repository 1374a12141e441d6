"""Upload a file with stock pywikibot's ``Site.upload`` and print what the wiki reports.

Usage: python pwb_upload.py FILE TITLE CHUNK_SIZE  (PYWIKIBOT_DIR set by the caller).
Prints one JSON line: ok, size, sha1, mime, url, thumburl of a 40 px thumbnail.
"""
import json
import sys

import pywikibot

path, title, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
site = pywikibot.Site()
site.login()
page = pywikibot.FilePage(site, title)
ok = site.upload(page, source_filename=path, comment="upload by pywikibot",
                 text="Envoyé par un robot.", ignore_warnings=True, chunk_size=chunk,
                 report_success=False)
page = pywikibot.FilePage(site, title)
info = page.latest_file_info
print(json.dumps({"ok": ok, "size": info.size, "sha1": info.sha1, "mime": info.mime,
                  "url": page.get_file_url(), "thumburl": page.get_file_url(url_width=40)}))
