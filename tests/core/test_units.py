"""One size formatter: binary units with their own names, the same text for the same number of
bytes wherever a size is shown, and no other formatter in the package."""

import re
from pathlib import Path

import pytest

from localchat.core.units import GIB, MIB, size_text, speed_text

PACKAGE = Path(__file__).resolve().parents[2] / "localchat"


@pytest.mark.parametrize("n, text", [
    (0, "0 bytes"),
    (1, "1 byte"),
    (1023, "1,023 bytes"),
    (1024, "1 KiB"),
    (773_025_920, "737 MiB"),  # Llama 3.2 1B Q4_0 (Hugging Face: 773 MB)
    (4_108_928_000, "3.8 GiB"),  # Nous Hermes 2 Mistral 7B Q4_0 (Hugging Face: 4.11 GB)
    (16 * GIB, "16.0 GiB"),  # a "16 GB" laptop
    (12 * GIB, "12.0 GiB"),  # a "12 GB" graphics card
    (3 * 1024 * GIB, "3.0 TiB"),
    (-5 * MIB, "-5 MiB"),
])
def test_sizes_read_as_memory_is_counted(n, text):
    assert size_text(n) == text


def test_a_number_never_rounds_up_into_four_digits_of_its_unit():
    assert size_text(999.6 * MIB) == "1.0 GiB"
    assert size_text(1023 * 1024) == "1 MiB"
    assert size_text(GIB - 1) == "1.0 GiB"


def test_a_speed_is_a_size_per_second():
    assert speed_text(12 * MIB) == "12 MiB/s"


# a format expression that divides by a unit and then names one: `{n / GIB:.1f} GB`
_OTHER_FORMATTER = re.compile(
    r"\{[^{}]*/\s*(?:GIB|MIB|KIB|1e9|1e6|1e3|1024\b|1000\b|2\s*\*\*)[^{}]*\}\s*[KMGT]i?B\b", re.IGNORECASE)
# the engine is being reorganised; its memory message moves to size_text with that work
KNOWN: set[str] = set()


def test_no_other_size_formatter_in_the_package():
    found = []
    for path in PACKAGE.rglob("*.py"):
        name = path.relative_to(PACKAGE).as_posix()
        if name == "core/units.py" or name in KNOWN:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _OTHER_FORMATTER.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "sizes shown to people go through units.size_text:\n" + "\n".join(found)
