#!/usr/bin/env python3
"""Colour contrast of both apps, measured from their colour definitions (WCAG 2.1 AA).

The apps cannot be run here, so the contrast is computed from what defines their colours:
the Android fallback schemes in Theme.kt (light and dark), the colours the Android screens
hard-code, and the iOS asset-catalogue colours (any and dark appearance) against the iOS system
backgrounds. Each pair is a foreground the screens draw on a background they draw it on; text
needs 4.5:1 (1.4.3), outlines and icons that are controls or carry state 3:1 (1.4.11).

Also fails when
- a scheme leaves a role the screens use (MaterialTheme.colorScheme.X) or a listed role to
  Material's baseline defaults, which this check cannot see;
- the iOS sources use a system colour (.orange, .red, Color.green, ...) that fails on white;
- the accessibility statements (Kotlin and Swift) state other minimums than measured here.

Not measured: Android 12+ dynamic colour (from the wallpaper) and the track colours from the
programme; the statement says so.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "android/app/src/main/kotlin/de/marktplatz/app/ui/theme/Theme.kt"
ANDROID_UI = ROOT / "android/app/src/main/kotlin"
GALLERY_SCREEN = ANDROID_UI / "de/marktplatz/app/ui/screens/GalleryScreen.kt"
QR_ANDROID = ANDROID_UI / "de/marktplatz/app/ui/components/QrCodeImage.kt"
IOS = ROOT / "ios/Marktplatz"
ASSETS = IOS / "Resources/Assets.xcassets"
GALLERY_VIEW = IOS / "Views/GalleryView.swift"
STATEMENT_KT = ANDROID_UI / "de/marktplatz/app/model/AccessibilityStatementModel.kt"
STATEMENT_SWIFT = IOS / "Models/AccessibilityStatementModel.swift"

TEXT, NON_TEXT = 4.5, 3.0
SCRIM_ALPHA = 0.6
# Tinted backgrounds on iOS, on a grouped cell: (where, text colour, tint, tint's opacity).
TINTED = (
    [("state capsule (OrganiserView)", name, name, 0.15) for name in ("Warning", "Danger", "Success")]
    + [
        ("active filter chip (AgendaFilterBar, StationsView)", "AccentColor", "AccentColor", 0.2),
        ("inactive filter chip (AgendaFilterBar)", "AccentColor", "SecondaryText", 0.12),
        ("search highlight in a context line (SearchModel)", "SecondaryText", "AccentColor", 0.2),
    ]
)

# Roles every fallback scheme sets itself (Material 3 1.3, the BOM's version).
ROLES = """primary onPrimary primaryContainer onPrimaryContainer inversePrimary secondary onSecondary
secondaryContainer onSecondaryContainer tertiary onTertiary tertiaryContainer onTertiaryContainer
error onError errorContainer onErrorContainer background onBackground surface onSurface
surfaceVariant onSurfaceVariant surfaceTint inverseSurface inverseOnSurface outline outlineVariant
scrim surfaceBright surfaceDim surfaceContainerLowest surfaceContainerLow surfaceContainer
surfaceContainerHigh surfaceContainerHighest""".split()

# The surfaces text and icons of the screens sit on: the screen, list items and top bars
# (surface), the navigation bar and menus (surfaceContainer), dialogs (surfaceContainerHigh),
# cards (surfaceContainerHighest) and the rest of the container family. surfaceBright and
# surfaceDim are set but no component of Material 3 1.3 the app uses draws them.
SURFACES = ["background", "surface", "surfaceContainerLowest", "surfaceContainerLow", "surfaceContainer",
            "surfaceContainerHigh", "surfaceContainerHighest"]

# (foreground, background, minimum, where) for the Android schemes.
ANDROID_PAIRS = (
    [("onSurface", bg, TEXT, "body text") for bg in SURFACES]
    + [("onSurfaceVariant", bg, TEXT, "secondary text, hints") for bg in SURFACES]
    + [("primary", bg, TEXT, "section headers, topics, text buttons") for bg in SURFACES]
    + [("error", bg, TEXT, "problems, cancelled, clashes") for bg in SURFACES]
    + [("tertiary", bg, TEXT, "change markers") for bg in ["surface", "surfaceContainerHighest"]]
    + [("outline", bg, NON_TEXT, "text field and outlined button borders") for bg in SURFACES]
    + [
        ("onBackground", "background", TEXT, "screen text"),
        ("onPrimary", "primary", TEXT, "filled buttons"),
        ("onPrimaryContainer", "primaryContainer", TEXT, "containers"),
        ("onSurface", "primaryContainer", TEXT, "search highlight in a title"),
        ("onSurfaceVariant", "primaryContainer", TEXT, "search highlight in a context line"),
        ("onSecondary", "secondary", TEXT, "secondary buttons"),
        ("onSecondaryContainer", "secondaryContainer", TEXT, "tonal buttons, chips, nav indicator, initials"),
        ("onTertiary", "tertiary", TEXT, "tertiary"),
        ("onTertiaryContainer", "tertiaryContainer", TEXT, "important announcements, change banner"),
        ("onSurfaceVariant", "tertiaryContainer", TEXT, "announcement date"),
        ("onError", "error", TEXT, "error buttons"),
        ("onErrorContainer", "errorContainer", TEXT, "urgent announcements"),
        ("onSurfaceVariant", "errorContainer", TEXT, "announcement date"),
        ("onSurfaceVariant", "surfaceVariant", TEXT, "gallery placeholder icon"),
        ("inverseOnSurface", "inverseSurface", TEXT, "snackbars"),
        ("inversePrimary", "inverseSurface", TEXT, "snackbar action"),
        ("primary", "surface", NON_TEXT, "favourite star, switches, progress"),
        ("onSurfaceVariant", "surface", NON_TEXT, "icon buttons"),
        ("primary", "surfaceContainerHighest", NON_TEXT, "icons on cards"),
    ]
)

# iOS system backgrounds (UIKit's values): plain and grouped screens, and their cells.
IOS_BACKGROUNDS = {
    "light": {"systemBackground": "#FFFFFF", "secondarySystemBackground": "#F2F2F7",
              "systemGroupedBackground": "#F2F2F7", "grouped cell": "#FFFFFF"},
    "dark": {"systemBackground": "#000000", "secondarySystemBackground": "#1C1C1E",
             "systemGroupedBackground": "#000000", "grouped cell": "#1C1C1E",
             "grouped cell, elevated (sheets)": "#2C2C2E"},
}
IOS_TEXT_COLOURS = ["AccentColor", "Warning", "Danger", "Success", "SecondaryText"]
SYSTEM_COLOUR = re.compile(r"(?<![\w\"])(?:Color)?\.(orange|yellow|red|green|blue|mint|teal|cyan|pink|purple|indigo|brown|gray)\b"
                           r"|foregroundStyle\(\.(secondary|tertiary|quaternary)\)|Color\.(secondary)\b")


def rgb(hex_colour):
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def hexed(c):
    return "#" + "".join(f"{round(v * 255):02X}" for v in c)


def luminance(c):
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ratio(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(colour, alpha, background):
    """`colour` at `alpha` composited over an opaque `background`."""
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(colour, background))


class Report:
    def __init__(self):
        self.rows = []
        self.failures = []

    def pair(self, platform, theme, fg_name, fg, bg_name, bg, minimum, where):
        r = ratio(fg, bg)
        ok = r >= minimum
        self.rows.append((platform, theme, fg_name, hexed(fg), bg_name, hexed(bg), r, minimum, where, ok))
        if not ok:
            self.failures.append(f"{platform} {theme}: {fg_name} on {bg_name} is {r:.2f}:1, needs {minimum}:1 ({where})")

    def fail(self, message):
        self.failures.append(message)

    def minimum(self, platform, kind):
        """The lowest text ratio, or (NON_TEXT) the lowest of all: icons share the text colours."""
        values = [row[6] for row in self.rows if row[0] == platform and (kind == NON_TEXT or row[7] == kind)]
        return min(values) if values else None

    def print(self):
        print(f"{'platform':8} {'theme':5} {'foreground':24} {'':7} {'background':34} {'':7} {'ratio':>6} {'need':>4}  where")
        for p, t, fn, fh, bn, bh, r, m, w, ok in self.rows:
            mark = "" if ok else "  FAIL"
            print(f"{p:8} {t:5} {fn:24} {fh:7} {bn:34} {bh:7} {r:6.2f} {m:4}  {w}{mark}")


def android_schemes(report):
    text = THEME.read_text()
    schemes = {}
    for name, theme in (("Light", "light"), ("Dark", "dark")):
        block = re.search(rf"private val {name} = \w+ColorScheme\((.*?)\n\)", text, re.S)
        if not block:
            report.fail(f"Theme.kt: no `private val {name} = ...ColorScheme(...)`")
            continue
        roles = {}
        for role, value in re.findall(r"(\w+) = Color\(0x([0-9A-Fa-f]{8})\)", block.group(1)):
            if value[:2].upper() != "FF":
                report.fail(f"Theme.kt {name}.{role}: not opaque (0x{value})")
            roles[role] = rgb(value[2:])
        for role in ROLES:
            if role not in roles:
                report.fail(f"Theme.kt {name}: {role} is not set (Material's baseline default would show)")
        schemes[theme] = roles
    used = set()
    for source in ANDROID_UI.rglob("*.kt"):
        used.update(re.findall(r"MaterialTheme\.colorScheme\.(\w+)", source.read_text()))
    for role in sorted(used - set(ROLES)):
        report.fail(f"the screens use colorScheme.{role}, which check_contrast.py does not know")
    for theme, roles in schemes.items():
        for fg, bg, minimum, where in ANDROID_PAIRS:
            if fg in roles and bg in roles:
                report.pair("android", theme, fg, roles[fg], bg, roles[bg], minimum, where)
    return used


def android_fixed(report):
    white, black = rgb("#FFFFFF"), rgb("#000000")
    gallery = GALLERY_SCREEN.read_text()
    if f"Color.Black.copy(alpha = {SCRIM_ALPHA}f)" not in gallery:
        report.fail(f"GalleryScreen.kt: the caption's scrim is no longer Color.Black.copy(alpha = {SCRIM_ALPHA}f)")
    scrim = over(black, SCRIM_ALPHA, white)
    for theme in ("light", "dark"):
        report.pair("android", theme, "white caption", white, f"{int(SCRIM_ALPHA * 100)} % black over a white photo",
                    scrim, TEXT, "gallery caption, close button")
        if "Color.Black" in QR_ANDROID.read_text() or "Color.White" in QR_ANDROID.read_text():
            report.pair("android", theme, "QR module black", black, "white quiet zone", white, NON_TEXT, "QR code")


def colorset(name):
    """(light, dark) of an asset-catalogue colour, as RGB tuples."""
    data = json.loads((ASSETS / f"{name}.colorset/Contents.json").read_text())
    light = dark = None
    for entry in data["colors"]:
        comps = entry["color"]["components"]
        value = tuple(int(comps[k], 16) / 255 if comps[k].startswith("0x") else float(comps[k])
                      for k in ("red", "green", "blue"))
        if float(entry["color"]["components"].get("alpha", "1")) != 1.0:
            raise ValueError(f"{name}: not opaque")
        appearances = {(a["appearance"], a["value"]) for a in entry.get("appearances", [])}
        if ("luminosity", "dark") in appearances:
            dark = value
        elif not appearances:
            light = value
    if light is None or dark is None:
        raise ValueError(f"{name}: needs an any-appearance and a dark colour")
    return light, dark


def ios(report):
    for name in IOS_TEXT_COLOURS:
        try:
            light, dark = colorset(name)
        except (OSError, ValueError, KeyError) as e:
            report.fail(f"iOS colour {name}: {e}")
            continue
        for theme, colour in (("light", light), ("dark", dark)):
            for bg_name, bg in IOS_BACKGROUNDS[theme].items():
                report.pair("ios", theme, name, colour, bg_name, rgb(bg), TEXT, "text")
    for index, theme in enumerate(("light", "dark")):
        cell = rgb(IOS_BACKGROUNDS[theme]["grouped cell"])
        for where, text, tint, alpha in TINTED:
            try:
                fg, behind = colorset(text)[index], colorset(tint)[index]
            except (OSError, ValueError, KeyError):
                continue  # reported above
            report.pair("ios", theme, text, fg, f"{tint} at {int(alpha * 100)} % on the cell",
                        over(behind, alpha, cell), TEXT, where)
    white, black = rgb("#FFFFFF"), rgb("#000000")
    if f"Color.black.opacity({SCRIM_ALPHA})" not in GALLERY_VIEW.read_text():
        report.fail(f"GalleryView.swift: the caption's scrim is no longer Color.black.opacity({SCRIM_ALPHA})")
    for theme in ("light", "dark"):
        report.pair("ios", theme, "white caption", white, f"{int(SCRIM_ALPHA * 100)} % black over a white photo",
                    over(black, SCRIM_ALPHA, white), TEXT, "gallery caption, close button")
        report.pair("ios", theme, "QR module black", black, "white quiet zone", white, NON_TEXT, "QR code")
    for source in sorted(IOS.rglob("*.swift")):
        for number, line in enumerate(source.read_text().splitlines(), 1):
            code = line.split("//", 1)[0]
            for match in SYSTEM_COLOUR.finditer(code):
                report.fail(f"{source.relative_to(ROOT)}:{number}: system colour {match.group(0)} "
                            "(fails 4.5:1 on white or black): use a named colour from Assets.xcassets")


def statements(report):
    """The statements' figures: the measured minimums, rounded down (never more than measured)."""
    for platform, path, pattern in (
        ("android", STATEMENT_KT, r"MEASURED_MIN_(TEXT|NON_TEXT)_CONTRAST\s*=\s*([0-9.]+)"),
        ("ios", STATEMENT_SWIFT, r"measuredMin(Text|NonText)Contrast\s*=\s*([0-9.]+)"),
    ):
        stated = {kind.upper().replace("NONTEXT", "NON_TEXT"): float(v) for kind, v in re.findall(pattern, path.read_text())}
        for kind, need in (("TEXT", TEXT), ("NON_TEXT", NON_TEXT)):
            measured = report.minimum(platform, need)
            if measured is None:
                continue
            expected = int(measured * 10) / 10
            if stated.get(kind) != expected:
                report.fail(f"{path.relative_to(ROOT)}: states {kind.lower()} contrast {stated.get(kind)}, "
                            f"measured minimum is {measured:.2f} (state {expected})")


def self_test():
    """The formula against known values: black on white 21:1, system orange on white 2.2:1."""
    assert abs(ratio(rgb("#000000"), rgb("#FFFFFF")) - 21) < 1e-9
    assert abs(ratio(rgb("#FF9500"), rgb("#FFFFFF")) - 2.2) < 0.05
    assert abs(ratio(rgb("#FF3B30"), rgb("#FFFFFF")) - 3.55) < 0.05


def main():
    self_test()
    report = Report()
    android_schemes(report)
    android_fixed(report)
    ios(report)
    statements(report)
    report.print()
    for platform in ("android", "ios"):
        print(f"{platform}: minimum text {report.minimum(platform, TEXT):.2f}:1, "
              f"non-text {report.minimum(platform, NON_TEXT):.2f}:1, both themes")
    if report.failures:
        print("\ncontrast: FAILED", file=sys.stderr)
        for failure in report.failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print(f"contrast: {len(report.rows)} pairs pass (text {TEXT}:1, non-text {NON_TEXT}:1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
