"""The icon in every format an installer needs, rendered from the one SVG at build time.

PNG sizes for the Linux icon theme and AppImage, .ico for the Windows executable and installer,
.icns for the macOS app. Qt draws the SVG; .ico and .icns are containers of PNG images (Windows
Vista+ and macOS 10.7+ read PNG members), so they are packed here with no other image tool.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from installers.contents import ICON_SVG

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns member types holding PNG data, by pixel size (the @2x types reuse the larger renderings)
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
              (b"ic09", 512), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512))


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding the given PNG images (size → PNG bytes)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding the given PNG images (size → PNG bytes)."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES if size in pngs)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def _render(renderer, size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def render_icons(out_dir: Path) -> Path:
    """Write localchat-<size>.png, localchat.ico, localchat.icns and localchat.svg into out_dir."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (Qt needs one to paint)
    out_dir.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(ICON_SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read the icon {ICON_SVG}")
    pngs = {}
    for size in PNG_SIZES:
        path = out_dir / f"localchat-{size}.png"
        if not _render(renderer, size).save(str(path)):
            raise SystemExit(f"could not write {path}")
        pngs[size] = path.read_bytes()
    (out_dir / "localchat.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (out_dir / "localchat.icns").write_bytes(icns_bytes(pngs))
    (out_dir / "localchat.svg").write_bytes(ICON_SVG.read_bytes())
    return out_dir
