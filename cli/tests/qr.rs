//! `marktplatz qr`: the web programme's address as a QR code, in the terminal or as a PNG or
//! SVG file whose modules are the code of that address.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

const ADDRESS: &str = "https://marktplatz.example.org/e/egov-nordwest-2027/";

fn qr(args: &[&str]) -> Ran {
    run(marktplatz()
        .args([
            "qr",
            "--server",
            "https://marktplatz.example.org/",
            "--event",
        ])
        .args(args))
}

#[test]
fn the_terminal_gets_the_code_and_the_address() {
    let stdout = qr(&["egov-nordwest-2027"]).ok();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.last(), Some(&ADDRESS));
    assert!(
        stdout.contains('█') || stdout.contains('▀'),
        "drawn with blocks: {stdout}"
    );
}

#[test]
fn a_png_holds_the_modules_of_the_address_and_an_svg_is_written_by_its_extension() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("plakat.png");
    let out = qr(&["egov-nordwest-2027", "--out", png.to_str().unwrap()]).ok();
    assert_eq!(out.trim(), ADDRESS);
    let picture = marktplatz_media::decode(&std::fs::read(&png).unwrap())
        .unwrap()
        .to_luma8();
    let expected = qrcode::QrCode::new(ADDRESS.as_bytes()).unwrap();
    let width = expected.width();
    let colors = expected.to_colors();
    // Four light modules of quiet zone on each side.
    let module = picture.width() as usize / (width + 8);
    assert_eq!(picture.width(), picture.height());
    assert_eq!(picture.width() as usize, module * (width + 8));
    for y in 0..width {
        for x in 0..width {
            let centre = |i: usize| ((i + 4) * module + module / 2) as u32;
            let dark = picture.get_pixel(centre(x), centre(y)).0[0] < 128;
            assert_eq!(
                dark,
                colors[y * width + x] == qrcode::Color::Dark,
                "module ({x}, {y})"
            );
        }
    }

    let svg = dir.path().join("plakat.svg");
    qr(&["egov-nordwest-2027", "--out", svg.to_str().unwrap()]).ok();
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
}

#[test]
fn a_bad_server_or_event_is_refused_in_the_users_language() {
    let stderr =
        run(marktplatz().args(["qr", "--server", "ftp://x", "--event", "e"])).fails_with(3);
    assert!(stderr.contains("ftp://x"), "{stderr}");
    let stderr = run(german().args([
        "qr",
        "--server",
        "https://marktplatz.example.org",
        "--event",
        "a/b",
    ]))
    .fails_with(3);
    assert!(stderr.contains("keine Veranstaltungs-id"), "{stderr}");
}
