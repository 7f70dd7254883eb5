"""The icon in the formats the installers use: Windows .ico and macOS .icns with every size, readable."""

from __future__ import annotations

from PySide6.QtGui import QImage, QImageReader

from installers.icons import ICO_SIZES, PNG_SIZES, render_icons


def test_icons_are_rendered_in_every_size_and_format(tmp_path, qapp):
    out = render_icons(tmp_path)
    for size in PNG_SIZES:
        image = QImage(str(out / f"localchat-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # drawn, not blank
        assert image.pixelColor(0, 0).alpha() == 0  # rounded corners stay transparent

    assert widths(out / "localchat.ico") == set(ICO_SIZES)
    assert widths(out / "localchat.icns") == {16, 32, 64, 128, 256, 512}


def widths(path) -> set[int]:
    reader = QImageReader(str(path))
    found = set()
    for i in range(reader.imageCount()):
        reader.jumpToImage(i)
        found.add(reader.read().width())
    return found
