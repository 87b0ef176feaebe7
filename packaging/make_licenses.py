"""Write resources/licenses/*.txt: a short header (component, licence, project address) and the notice.

The notices are taken word for word from the installed packages' own licence files (so run it in the build
environment after `pip install` of the project's dependencies); the full LGPL-3.0 and GPL-3.0 texts come from
Debian's /usr/share/common-licenses when there. Run: `python packaging/make_licenses.py`. The files are kept
in the repository; re-run it when a dependency changes.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "licenses"
COMMON = Path("/usr/share/common-licenses")

MIT = """Copyright (c) 2026 the Antirisk authors

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of
the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
IN THE SOFTWARE.
"""

QT_NOTICE = """This program uses Qt 6 (The Qt Company Ltd. and other contributors) and Qt for Python (PySide6 and
Shiboken6, The Qt Company Ltd.) under the GNU Lesser General Public License version 3 (LGPL-3.0). The full texts
of the LGPL-3.0 and of the GNU General Public License version 3, which it extends, are in LGPL-3.0.txt and
GPL-3.0.txt in this folder.

Qt and PySide6 are not changed. They are linked dynamically and sit in the program's folder as separate files
(Linux: _internal/PySide6/Qt/lib/libQt6*.so.6 and _internal/PySide6/*.so; Windows: _internal\\PySide6\\Qt6*.dll
and _internal\\PySide6\\*.pyd), so you may replace them with your own build of the same version of Qt and PySide6.

Version: Qt and PySide6 {version}.

How to get the source code of Qt and PySide6 of this version:
  - Qt: https://download.qt.io/official_releases/qt/ (the archive qt-everywhere-src-{version}), or the git
    repositories at https://code.qt.io/ (tag v{version});
  - PySide6 and Shiboken6: https://download.qt.io/official_releases/QtForPython/ (the source archive
    pyside-setup-everywhere-src-{version}), or https://code.qt.io/cgit/pyside/pyside-setup.git (tag v{version}).
If you cannot download them, ask whoever gave you this program: for three years from the day you got it they
must send you the same sources on a data carrier for no more than the cost of making the copy.
"""

SYSTEM_NOTICE = """SQLite (https://sqlite.org/) is in the public domain.

Qt uses ICU, the International Components for Unicode (https://icu.unicode.org/), under the Unicode License
(Unicode-3.0, formerly the ICU License): Copyright (c) 2016 and later Unicode, Inc. and others. Babel's locale
data comes from the Unicode CLDR (https://cldr.unicode.org/) under the same licence.

The Linux build also carries shared libraries taken from the Linux distribution it was built on (for example
libcups, GnuTLS, libxcb helpers, libxkbcommon, FreeType, fontconfig, zlib, zstd, libstdc++). Each is under its
own free licence (mostly LGPL, MIT or BSD); their sources are available from that distribution, for Debian at
https://sources.debian.org/. The Windows build carries the Microsoft Visual C++ runtime files that come with
Python and Qt, redistributable under Microsoft's terms for them.
"""


def dist_license(dist: str, *names: str) -> str:
    """The text of a licence file inside an installed distribution (the first of `names` that exists)."""
    files = metadata.distribution(dist).files or []
    for wanted in names:
        for file in files:
            if file.name == wanted or str(file).endswith("/" + wanted):
                return Path(file.locate()).read_text(encoding="utf-8", errors="replace")
    raise SystemExit(f"{dist}: none of {names} found; install the project's dependencies first")


def package_file(module: str, *parts: str) -> str:
    mod = __import__(module)
    return Path(mod.__file__).parent.joinpath(*parts).read_text(encoding="utf-8", errors="replace")


def header(name: str, licence: str, url: str, version: str | None = None) -> str:
    lines = [name + (f" {version}" if version else ""), f"Licence: {licence}", f"Project: {url}", "", ""]
    return "\n".join(lines)


def version(dist: str) -> str:
    return metadata.version(dist)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    pyside = version("PySide6-Essentials")
    major_minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    python_license = Path(sys.base_prefix) / "lib" / f"python{major_minor}" / "LICENSE.txt"
    if not python_license.exists():
        python_license = Path(sys.base_prefix) / "LICENSE.txt"  # Windows
    files = {
        "antirisk.txt": header("Antirisk", "MIT", "the program's repository") + MIT,
        "python.txt": header("Python", "PSF-2.0 (Python Software Foundation License)", "https://www.python.org/",
                             sys.version.split()[0]) + python_license.read_text(encoding="utf-8"),
        "qt-pyside6.txt": header("Qt 6, PySide6, Shiboken6", "LGPL-3.0", "https://www.qt.io/ , "
                                 "https://wiki.qt.io/Qt_for_Python", pyside) + QT_NOTICE.format(version=pyside),
        "openpyxl.txt": header("openpyxl", "MIT", "https://foss.heptapod.net/openpyxl/openpyxl", version("openpyxl"))
        + dist_license("openpyxl", "LICENCE.rst")
        + "\n\n" + header("et_xmlfile", "MIT", "https://foss.heptapod.net/openpyxl/et_xmlfile",
                          version("et_xmlfile"))
        + dist_license("et_xmlfile", "LICENCE.rst"),
        "reportlab.txt": header("ReportLab", "BSD-3-Clause", "https://www.reportlab.com/opensource/",
                                version("reportlab")) + dist_license("reportlab", "LICENSE", "license.txt"),
        "pillow.txt": header("Pillow", "MIT-CMU (HPND)", "https://python-pillow.github.io/", version("pillow"))
        + dist_license("pillow", "LICENSE"),
        "babel.txt": header("Babel", "BSD-3-Clause", "https://babel.pocoo.org/", version("babel"))
        + dist_license("babel", "LICENSE")
        + "\n\nThe locale data (babel/locale-data) comes from the Unicode CLDR:\n\n"
        + package_file("babel", "locale-data", "LICENSE.unicode"),
        "platformdirs.txt": header("platformdirs", "MIT", "https://github.com/tox-dev/platformdirs",
                                   version("platformdirs")) + dist_license("platformdirs", "LICENSE"),
        "defusedxml.txt": header("defusedxml", "PSF-2.0", "https://github.com/tiran/defusedxml",
                                 version("defusedxml")) + dist_license("defusedxml", "LICENSE"),
        "source-sans-pro.txt": header("Source Sans Pro (font, from the font-source-sans-pro package)", "OFL-1.1",
                                      "https://github.com/adobe-fonts/source-sans")
        + package_file("font_source_sans_pro", "files", "LICENSE.txt"),
        "other-python.txt": "\n\n".join(
            header(name, licence, url, version(dist)) + dist_license(dist, *names)
            for name, dist, licence, url, names in (
                ("rl_accel (ReportLab's C speed-ups)", "rl_accel", "BSD", "https://www.reportlab.com/opensource/",
                 ("LICENSE.txt",)),
                ("charset-normalizer", "charset-normalizer", "MIT", "https://github.com/jawah/charset_normalizer",
                 ("LICENSE",)),
            )
        ),
        "system-libraries.txt": header("SQLite, ICU and the system libraries", "various", "see below")
        + SYSTEM_NOTICE,
    }
    for name, source in (("LGPL-3.0.txt", "LGPL-3"), ("GPL-3.0.txt", "GPL-3")):
        if (COMMON / source).exists():
            files[name] = (COMMON / source).read_text(encoding="utf-8")
        elif not (OUT / name).exists():
            raise SystemExit(f"{name}: put the text from https://www.gnu.org/licenses/ into {OUT}")
    for name, text in files.items():
        (OUT / name).write_text(text.rstrip() + "\n", encoding="utf-8")
        print(f"{OUT / name}: {len(text)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
