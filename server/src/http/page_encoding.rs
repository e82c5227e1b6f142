//! Change pages compressed once per page and head for the page cache (`page_cache`): the
//! encoding a request gets is negotiated here from its `Accept-Encoding` (zstd, else gzip, else
//! none), so every client of one kind shares one cached copy. The copy is made at a level that
//! keeps the first device waiting a fraction of a second ([`Effort::Quick`]), then made again
//! at the best level off the request path ([`Effort::Best`]) for every later device (measured in
//! `docs/adr/0010-performance.md`, issue 23 part 4). Answers outside the cache keep
//! tower-http's compression at its defaults.

use std::io::Write;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};

/// Bodies smaller than this are sent as they are: compressing them saves less than the
/// `content-encoding` and `vary` headers cost (the compression layer of the other routes uses
/// it too).
pub const COMPRESS_FROM_BYTES: u64 = 1024;

/// How hard a page is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effort {
    /// On the request path: about 0.1–0.2 s for a 2 MiB page on this machine's cores.
    Quick,
    /// Off the request path, once per page and head: 1.5–2.5 s for a 2 MiB page, about 5 %
    /// fewer bytes than `Quick` for zstd.
    Best,
}

impl Effort {
    fn zstd_level(self) -> i32 {
        match self {
            Effort::Quick => 12,
            Effort::Best => 19,
        }
    }

    fn gzip_level(self) -> u32 {
        match self {
            Effort::Quick => 6,
            Effort::Best => 9,
        }
    }
}

/// How a cached page travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PageEncoding {
    Zstd,
    Gzip,
    Identity,
}

impl PageEncoding {
    /// The best encoding `headers` accept: zstd, then gzip, then none. A coding listed with
    /// `q=0` is refused; `*` stands for any coding not listed.
    pub fn negotiate(headers: &HeaderMap) -> PageEncoding {
        let mut zstd = None;
        let mut gzip = None;
        let mut any = None;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or_default().trim();
                let accepted = parts.all(|param| {
                    let param = param.trim();
                    // `q=0`, `q=0.0`, `q=0.000`: refused; anything else is a preference.
                    !(param.starts_with("q=") || param.starts_with("Q="))
                        || param[2..].trim().parse::<f32>().map_or(true, |q| q > 0.0)
                });
                let slot = if coding.eq_ignore_ascii_case("zstd") {
                    &mut zstd
                } else if coding.eq_ignore_ascii_case("gzip") {
                    &mut gzip
                } else if coding == "*" {
                    &mut any
                } else {
                    continue;
                };
                *slot = Some(accepted);
            }
        }
        if zstd.or(any) == Some(true) {
            PageEncoding::Zstd
        } else if gzip.or(any) == Some(true) {
            PageEncoding::Gzip
        } else {
            PageEncoding::Identity
        }
    }

    /// The encoding's name (`identity` for none), as the page cache keys it.
    pub fn name(self) -> &'static str {
        self.token().unwrap_or("identity")
    }

    fn token(self) -> Option<&'static str> {
        match self {
            PageEncoding::Zstd => Some("zstd"),
            PageEncoding::Gzip => Some("gzip"),
            PageEncoding::Identity => None,
        }
    }
}

/// Whether a body of `len` bytes is sent compressed as `encoding`.
pub fn compresses(encoding: PageEncoding, len: usize) -> bool {
    encoding != PageEncoding::Identity && len as u64 >= COMPRESS_FROM_BYTES
}

/// `body` compressed as `encoding` with `effort` (`body` itself for `Identity`). CPU-bound
/// (up to seconds for a large page at `Best`): call it on a blocking thread.
pub fn compress(body: &[u8], encoding: PageEncoding, effort: Effort) -> std::io::Result<Bytes> {
    Ok(Bytes::from(match encoding {
        PageEncoding::Zstd => zstd::bulk::compress(body, effort.zstd_level())?,
        PageEncoding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(body.len() / 3),
                flate2::Compression::new(effort.gzip_level()),
            );
            encoder.write_all(body)?;
            encoder.finish()?
        }
        PageEncoding::Identity => body.to_vec(),
    }))
}

/// `body` encoded as `encoding` at `Effort::Quick` (bodies under `COMPRESS_FROM_BYTES` as they
/// are), with `headers` made to say so: `None` when the body stays as it is. CPU-bound: call it
/// on a blocking thread.
pub fn encode(
    body: &[u8],
    encoding: PageEncoding,
    headers: &mut HeaderMap,
) -> std::io::Result<Option<Bytes>> {
    let Some(token) = encoding
        .token()
        .filter(|_| compresses(encoding, body.len()))
    else {
        return Ok(None);
    };
    let compressed = compress(body, encoding, Effort::Quick)?;
    headers.remove(header::CONTENT_LENGTH);
    headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(Some(compressed))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Read;

    use super::*;

    fn accepting(values: &[&str]) -> PageEncoding {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).unwrap(),
            );
        }
        PageEncoding::negotiate(&headers)
    }

    #[test]
    fn zstd_is_preferred_then_gzip_and_refusals_count() {
        assert_eq!(accepting(&["gzip, zstd"]), PageEncoding::Zstd);
        assert_eq!(accepting(&["gzip", "zstd"]), PageEncoding::Zstd);
        assert_eq!(accepting(&["gzip, deflate, br"]), PageEncoding::Gzip);
        assert_eq!(accepting(&["zstd;q=0, gzip;q=0.5"]), PageEncoding::Gzip);
        assert_eq!(accepting(&["ZSTD ; q=0.1"]), PageEncoding::Zstd);
        assert_eq!(accepting(&["*"]), PageEncoding::Zstd);
        assert_eq!(accepting(&["*, zstd;q=0"]), PageEncoding::Gzip);
        assert_eq!(accepting(&["gzip;q=0.0, zstd;q=0"]), PageEncoding::Identity);
        assert_eq!(accepting(&["identity"]), PageEncoding::Identity);
        assert_eq!(accepting(&[]), PageEncoding::Identity);
    }

    #[test]
    fn pages_come_back_whole_and_small_bodies_stay_plain() {
        let page: Vec<u8> = (0..4000)
            .flat_map(|n| format!("{{\"seq\":{n},\"title\":\"Vortrag {n}\"}},").into_bytes())
            .collect();
        for encoding in [PageEncoding::Zstd, PageEncoding::Gzip] {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(page.len()));
            let encoded = encode(&page, encoding, &mut headers).unwrap().unwrap();
            assert!(encoded.len() < page.len() / 5, "{encoding:?}");
            assert!(headers.get(header::CONTENT_LENGTH).is_none());
            assert_eq!(headers[header::VARY], "accept-encoding");
            let mut back = Vec::new();
            if encoding == PageEncoding::Zstd {
                assert_eq!(headers[header::CONTENT_ENCODING], "zstd");
                back = zstd::decode_all(&encoded[..]).unwrap();
            } else {
                assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
                flate2::read::GzDecoder::new(&encoded[..])
                    .read_to_end(&mut back)
                    .unwrap();
            }
            assert_eq!(back, page);
            let best = compress(&page, encoding, Effort::Best).unwrap();
            assert!(best.len() <= encoded.len(), "{encoding:?}");
        }
        let mut headers = HeaderMap::new();
        assert!(
            encode(b"{\"small\":true}", PageEncoding::Zstd, &mut headers)
                .unwrap()
                .is_none()
        );
        assert!(
            encode(&page, PageEncoding::Identity, &mut headers)
                .unwrap()
                .is_none()
        );
        assert!(headers.is_empty());
    }
}
