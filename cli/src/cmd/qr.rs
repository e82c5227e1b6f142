//! `marktplatz qr`: a QR code of an event's web programme (`URL/e/EVENT/`) for posters and the
//! entrance, drawn in the terminal or written as PNG or SVG. The QR code helpers here are the
//! ones `token --link` uses for its sign-in link too.

use std::path::{Path, PathBuf};

use qrcode::QrCode;

use crate::error::{CliError, CmdResult};
use crate::i18n::{errors, messages as msg};
use crate::{note, out};

/// A PNG's pixels per module: a 45-module code becomes about 500 pixels square, sharp when
/// printed at A4.
const PNG_SCALE: u32 = 12;

#[derive(clap::Args)]
pub struct Args {
    /// The server's base URL as attendees reach it, like `https://marktplatz.example.org`.
    #[arg(long, value_name = "URL")]
    server: String,
    /// The event's id.
    #[arg(long, value_name = "ID")]
    event: String,
    /// Write the QR code to this file, PNG or SVG by its extension (.png, .svg); without it
    /// the code is drawn in the terminal.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> CmdResult {
    let base = base_url(&args.server)?;
    if !marktplatz_model::wire::is_valid_event_id(&args.event) {
        return Err(CliError::invalid(msg::qr_bad_event(&args.event)));
    }
    let address = format!("{base}/e/{}/", args.event);
    let code = qr_code(&address)?;
    match &args.out {
        Some(path) => {
            write_qr(&code, path)?;
            out!("{address}")
        }
        None => {
            out!("{}", terminal(&code))?;
            out!("{address}")
        }
    }
}

/// `base` without its trailing '/', when it is an http(s) base URL (no query, no fragment).
pub fn base_url(base: &str) -> Result<&str, CliError> {
    let base = base.trim_end_matches('/');
    let scheme = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"));
    let plain = scheme.is_some_and(|rest| !rest.is_empty())
        && !base
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#');
    if plain {
        Ok(base)
    } else {
        Err(CliError::invalid(msg::console_link_bad_base(base)))
    }
}

pub fn qr_code(text: &str) -> Result<QrCode, CliError> {
    QrCode::new(text.as_bytes()).map_err(|e| CliError::invalid(format!("QR code: {e}")))
}

/// The code drawn with half-height blocks, two modules a character, for a terminal.
pub fn terminal(code: &QrCode) -> String {
    code.render::<qrcode::render::unicode::Dense1x2>()
        .quiet_zone(true)
        .build()
}

/// Writes the code as SVG, or as PNG when `path` ends in `.png`.
pub fn write_qr(code: &QrCode, path: &Path) -> CmdResult {
    let png = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    let bytes = if png {
        marktplatz_media::encode_modules_png(&modules(code), PNG_SCALE)
            .map_err(|e| CliError::failure(format!("PNG: {e}")))?
    } else {
        code.render::<qrcode::render::svg::Color<'_>>()
            .build()
            .into_bytes()
    };
    std::fs::write(path, bytes)
        .map_err(|e| CliError::failure(errors::io(&msg::writing(path), &e)))?;
    note!("{}", msg::qr_written(&path.display().to_string()));
    Ok(())
}

/// The code's modules as rows of dark (`true`) and light, with the four-module quiet zone
/// scanners need around it.
fn modules(code: &QrCode) -> Vec<Vec<bool>> {
    const QUIET: usize = 4;
    let width = code.width();
    let colors = code.to_colors();
    let side = width + 2 * QUIET;
    (0..side)
        .map(|y| {
            (0..side)
                .map(|x| {
                    let inside =
                        (QUIET..QUIET + width).contains(&x) && (QUIET..QUIET + width).contains(&y);
                    inside && colors[(y - QUIET) * width + (x - QUIET)] == qrcode::Color::Dark
                })
                .collect()
        })
        .collect()
}
