//! Times many imports of one small file (the fuzzers' case): `cargo run --profile bench -p
//! marktplatz-import --example import_small -- FORMAT FILE [RUNS]`; prints the median per call.

use std::time::Instant;

use marktplatz_import::{Format, ImportOptions, import};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let format = args
        .next()
        .and_then(|f| Format::parse(&f))
        .ok_or("FORMAT FILE [RUNS]")?;
    let bytes = std::fs::read(args.next().ok_or("FORMAT FILE [RUNS]")?)?;
    let runs: usize = args.next().map_or(Ok(10_000), |r| r.parse())?;
    let options = ImportOptions {
        format: Some(format),
        timezone: Some("Europe/Berlin".to_string()),
        days: vec![chrono::NaiveDate::from_ymd_opt(2027, 3, 4).ok_or("a date")?],
        ..ImportOptions::default()
    };
    let mut times = Vec::with_capacity(runs);
    let mut accepted = 0;
    for _ in 0..runs {
        let started = Instant::now();
        accepted += usize::from(import(&bytes, &options).is_ok());
        times.push(started.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{format}: {} bytes, {runs} runs ({accepted} accepted): median {:.1} µs, best {:.1} µs",
        bytes.len(),
        times[runs / 2],
        times[0]
    );
    Ok(())
}
