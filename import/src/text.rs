//! Turns the HTML and Markdown found in schedule abstracts into clean text: paragraphs separated
//! by a blank line, list items as "• ", links kept as "text (url)".

/// A one-line value (title, name, room): whitespace runs become one space, entities decoded.
pub(crate) fn clean_line(raw: &str) -> String {
    let decoded = if raw.contains('&') {
        decode_entities(raw)
    } else {
        raw.to_string()
    };
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A multi-line text (abstract, description, biography) as clean text.
pub(crate) fn clean_text(raw: &str) -> String {
    let unified = if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw.to_string()
    };
    let plain = if looks_like_html(&unified) {
        html_to_text(&unified)
    } else if unified.contains('&') {
        decode_entities(&unified)
    } else {
        unified
    };
    tidy(&markdown_to_text(&plain))
}

/// Tags that mark text as HTML. A lone `<` (as in "a < b") or an autolink does not.
const KNOWN_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "script",
    "style",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "font",
    "center",
    "del",
    "ins",
    "mark",
    "q",
    "cite",
    "iframe",
    "video",
    "source",
    "picture",
];

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "center",
    "hr",
];

fn looks_like_html(text: &str) -> bool {
    let mut rest = text;
    while let Some(pos) = rest.find('<') {
        let after = &rest[pos + 1..];
        let after = after.strip_prefix('/').unwrap_or(after);
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let next = after[name.len()..].chars().next();
        if KNOWN_TAGS.contains(&name.as_str())
            && matches!(next, Some('>' | '/' | ' ' | '\n' | '\t'))
        {
            return true;
        }
        rest = &rest[pos + 1..];
    }
    false
}

struct Tag<'a> {
    name: String,
    closing: bool,
    attributes: &'a str,
    /// Bytes of the whole tag including `<` and `>`.
    len: usize,
}

fn parse_tag(text: &str) -> Option<Tag<'_>> {
    let body = text.strip_prefix('<')?;
    let (closing, body_start) = match body.strip_prefix('/') {
        Some(_) => (true, 2),
        None => (false, 1),
    };
    let rest = &text[body_start..];
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if !KNOWN_TAGS.contains(&name.as_str()) {
        return None;
    }
    // Find the closing '>' outside quotes.
    let mut quote = None;
    for (i, c) in rest.char_indices().skip(name.len()) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => {
                return Some(Tag {
                    name,
                    closing,
                    attributes: &rest[name_len_bytes(rest, i)..i],
                    len: body_start + i + 1,
                });
            }
            _ => {}
        }
    }
    None
}

fn name_len_bytes(rest: &str, end: usize) -> usize {
    rest[..end]
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map(|(i, _)| i)
        .unwrap_or(end)
}

fn attribute(attributes: &str, wanted: &str) -> Option<String> {
    let lower = attributes.to_ascii_lowercase();
    let mut search = 0;
    while let Some(found) = lower[search..].find(wanted) {
        let at = search + found;
        search = at + wanted.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = attributes[at + wanted.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
            _ => value.split_whitespace().next().unwrap_or_default(),
        };
        return Some(decode_entities(raw));
    }
    None
}

fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // (href, where the link text starts in `out`)
    let mut links: Vec<(Option<String>, usize)> = Vec::new();
    let mut skip_until: Option<&str> = None;
    let mut pre = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(end_tag) = skip_until {
            match rest.to_ascii_lowercase().find(end_tag) {
                Some(pos) => {
                    rest = &rest[pos..];
                    skip_until = None;
                }
                None => break,
            }
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment
                .split_once("-->")
                .map(|(_, after)| after)
                .unwrap_or("");
            continue;
        }
        if rest.starts_with('<')
            && let Some(tag) = parse_tag(rest)
        {
            let name = tag.name.as_str();
            match (name, tag.closing) {
                ("br", _) => out.push('\n'),
                ("li", false) => {
                    newline(&mut out);
                    out.push_str("• ");
                }
                ("tr" | "dt", false) => newline(&mut out),
                ("td" | "th" | "dd", false) => out.push(' '),
                ("a", false) => links.push((attribute(tag.attributes, "href"), out.len())),
                ("a", true) => {
                    if let Some((Some(href), start)) = links.pop() {
                        let label = out.get(start..).unwrap_or_default().trim().to_string();
                        let useful = href.starts_with("http") || href.starts_with("mailto:");
                        if useful && !label.contains(href.trim_start_matches("mailto:")) {
                            if label.is_empty() {
                                out.push_str(&href);
                            } else {
                                out.push_str(&format!(" ({href})"));
                            }
                        }
                    }
                }
                ("img", _) => {
                    if let Some(alt) = attribute(tag.attributes, "alt") {
                        out.push_str(&alt);
                    }
                }
                ("script" | "style", false) => {
                    skip_until = Some(if name == "script" {
                        "</script"
                    } else {
                        "</style"
                    })
                }
                ("pre", false) => {
                    paragraph(&mut out);
                    pre += 1;
                }
                ("pre", true) => {
                    pre = pre.saturating_sub(1);
                    paragraph(&mut out);
                }
                _ if BLOCK_TAGS.contains(&name) => paragraph(&mut out),
                _ => {}
            }
            rest = &rest[tag.len..];
            continue;
        }
        // Text up to the next '<' (or one literal '<').
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let cut = rest[first..]
            .find('<')
            .map(|p| p + first)
            .unwrap_or(rest.len());
        let chunk = decode_entities(&rest[..cut]);
        if pre > 0 {
            out.push_str(&chunk);
        } else {
            push_collapsed(&mut out, &chunk);
        }
        rest = &rest[cut..];
    }
    out
}

/// HTML whitespace: runs of spaces and newlines in text become one space.
fn push_collapsed(out: &mut String, chunk: &str) {
    for c in chunk.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !(out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn newline(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn paragraph(out: &mut String) {
    newline(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Decodes `&amp;`, `&#228;`, `&#x3D;` and the named entities schedules use; anything else stays.
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push_str(&c.as_str());
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

enum Decoded {
    Char(char),
    Str(&'static str),
}

impl Decoded {
    fn as_str(&self) -> String {
        match self {
            Decoded::Char(c) => c.to_string(),
            Decoded::Str(s) => (*s).to_string(),
        }
    }
}

fn entity(name: &str) -> Option<Decoded> {
    if let Some(number) = name.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse::<u32>().ok()?,
        };
        return char::from_u32(value)
            .filter(|c| *c != '\0')
            .map(Decoded::Char);
    }
    let text = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "shy" => "",
        "ndash" => "–",
        "mdash" => "—",
        "hellip" => "…",
        "laquo" => "«",
        "raquo" => "»",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "bull" => "•",
        "middot" => "·",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "euro" => "€",
        "times" => "×",
        "deg" => "°",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "Uuml" => "Ü",
        "szlig" => "ß",
        "eacute" => "é",
        "egrave" => "è",
        "aacute" => "á",
        "agrave" => "à",
        "ccedil" => "ç",
        "oslash" => "ø",
        "aring" => "å",
        _ => return None,
    };
    Some(Decoded::Str(text))
}

/// Conservative Markdown: only constructs that cannot be ordinary prose are rewritten.
fn markdown_to_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if is_rule(trimmed) {
            // A horizontal rule or a setext heading's underline.
            out.push('\n');
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        let body = if let Some(heading) = atx_heading(trimmed) {
            heading.to_string()
        } else if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .or_else(|| trimmed.strip_prefix("+ "))
        {
            format!("{indent}• {}", item.trim_start())
        } else if let Some(quote) = trimmed.strip_prefix('>') {
            quote.trim_start().to_string()
        } else {
            line.to_string()
        };
        out.push_str(&inline_markdown(&body));
        out.push('\n');
    }
    out
}

fn is_rule(line: &str) -> bool {
    let line = line.trim_end();
    let Some(first) = line.chars().next() else {
        return false;
    };
    matches!(first, '-' | '=' | '*' | '_')
        && line.chars().filter(|c| *c == first).count() >= 3
        && line.chars().all(|c| c == first || c == ' ')
}

fn atx_heading(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    if !rest.starts_with(' ') {
        return None;
    }
    Some(rest.trim().trim_end_matches('#').trim_end())
}

fn inline_markdown(line: &str) -> String {
    if !line.contains(['*', '_', '~', '`', '[', '<']) {
        return line.to_string();
    }
    // Twice: a link can hide inside another's target ("[a]([u](u))", seen in 39C3).
    let line = markdown_links(&markdown_links(line));
    let line = strip_pair(&line, "**");
    let line = strip_pair(&line, "__");
    let line = strip_pair(&line, "~~");
    let line = strip_pair(&line, "`");
    let line = strip_pair(&line, "*");
    let line = strip_pair(&line, "_");
    autolinks(&line)
}

/// `[text](url)` -> `text (url)`, `![alt](url)` -> `alt`.
fn markdown_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close_rel) = rest[open..].find("](") else {
            break;
        };
        let close = open + close_rel;
        let Some(end_rel) = rest[close + 2..].find(')') else {
            break;
        };
        let end = close + 2 + end_rel;
        let label = &rest[open + 1..close];
        let target = rest[close + 2..end].trim();
        // `(url "title")`: the title is dropped.
        let url = match target.split_once(' ') {
            Some((url, title)) if title.trim().starts_with('"') => url,
            _ => target,
        };
        if label.contains('[') || url.contains(' ') {
            out.push_str(&rest[..open + 1]);
            rest = &rest[open + 1..];
            continue;
        }
        let image = open > 0 && rest[..open].ends_with('!');
        out.push_str(if image {
            &rest[..open - 1]
        } else {
            &rest[..open]
        });
        if image {
            out.push_str(label);
        } else if label.is_empty() || label == url {
            out.push_str(url);
        } else {
            out.push_str(label);
            out.push_str(" (");
            out.push_str(url);
            out.push(')');
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Removes emphasis markers around a word group: the opening marker must start a word and the
/// closing one end it, so `snake_case`, `2 * 3 * 4` and `*.txt` stay as they are.
fn strip_pair(line: &str, marker: &str) -> String {
    if !line.contains(marker) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        let Some(open) = find_opening(rest, marker) else {
            out.push_str(rest);
            return out;
        };
        let inner_start = open + marker.len();
        let Some(close) = find_closing(&rest[inner_start..], marker).map(|c| c + inner_start)
        else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[inner_start..close]);
        rest = &rest[close + marker.len()..];
    }
}

fn find_opening(text: &str, marker: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = text[from..].find(marker) {
        let at = from + rel;
        let before = text[..at].chars().next_back();
        let after = text[at + marker.len()..].chars().next();
        let starts_word = before.is_none_or(|c| c.is_whitespace() || "([{\"'„“‚_*~".contains(c));
        let followed = after.is_some_and(|c| !c.is_whitespace() && !marker.starts_with(c));
        if starts_word && followed {
            return Some(at);
        }
        from = at + marker.len();
    }
    None
}

fn find_closing(text: &str, marker: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = text[from..].find(marker) {
        let at = from + rel;
        let before = text[..at].chars().next_back();
        let after = text[at + marker.len()..].chars().next();
        let ends_word = before.is_some_and(|c| !c.is_whitespace());
        let followed = after.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}\"'“”’_*~".contains(c));
        if at > 0 && ends_word && followed {
            return Some(at);
        }
        from = at + marker.len();
    }
    None
}

/// `<https://example.org>` -> `https://example.org`.
fn autolinks(line: &str) -> String {
    if !line.contains("<http") && !line.contains("<mailto:") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        let candidate = &rest[open + 1..];
        match candidate.find('>') {
            Some(close)
                if (candidate.starts_with("http") || candidate.starts_with("mailto:"))
                    && !candidate[..close].contains(' ') =>
            {
                out.push_str(&rest[..open]);
                out.push_str(&candidate[..close]);
                rest = &candidate[close + 1..];
            }
            _ => {
                out.push_str(&rest[..open + 1]);
                rest = candidate;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Trailing spaces removed, at most one blank line between paragraphs, no blank start or end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_run > 0 {
                out.push('\n');
            }
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fosdem_style_escaped_html_becomes_paragraphs_and_links() {
        let html = "<p>Currently LLVM saves\nregisters.</p>\n<p>See <a href=\"https://github.com/llvm/llvm-project/pull/90819\">the PR</a> &amp; more.</p><ul><li>one</li><li>two</li></ul>";
        assert_eq!(
            clean_text(html),
            "Currently LLVM saves registers.\n\nSee the PR (https://github.com/llvm/llvm-project/pull/90819) & more.\n\n• one\n• two"
        );
    }

    #[test]
    fn link_whose_text_is_the_url_is_not_repeated() {
        let html = "<p><a href=\"https://fosdem.org\">https://fosdem.org</a></p>";
        assert_eq!(clean_text(html), "https://fosdem.org");
    }

    #[test]
    fn br_tags_and_scripts() {
        let html = "Eins<br />Zwei<br/><br>Drei<script>alert(1)</script> Ende";
        assert_eq!(clean_text(html), "Eins\nZwei\n\nDrei Ende");
    }

    #[test]
    fn markdown_headings_lists_links_and_emphasis() {
        let md = "# BACKSTORY\n---------------\nSo here:\n- I bought a **console**\n* and a _headset_\n\nOur location: [OpenStreetMap](https://osm.org/x)\n";
        assert_eq!(
            clean_text(md),
            "BACKSTORY\n\nSo here:\n• I bought a console\n• and a headset\n\nOur location: OpenStreetMap (https://osm.org/x)"
        );
    }

    #[test]
    fn markdown_seen_in_39c3() {
        assert_eq!(
            clean_text("[![Vegan Chaos](https://x.org/a.png \"Vegan Chaos\")](https://x.org/v)"),
            "Vegan Chaos (https://x.org/v)"
        );
        assert_eq!(
            clean_text("kann [bei Teil 2]([https://x.org/t2](https://x.org/t2)) weitermachen."),
            "kann bei Teil 2 (https://x.org/t2) weitermachen."
        );
        assert_eq!(
            clean_text("_**Optional**: bring a laptop_"),
            "Optional: bring a laptop"
        );
        assert_eq!(
            clean_text("**IMPORTANT NOTE:** blinking"),
            "IMPORTANT NOTE: blinking"
        );
    }

    #[test]
    fn prose_that_looks_a_bit_like_markup_is_left_alone() {
        let prose = "Use snake_case_names, compute 2 * 3 * 4, match *.txt and a < b > c.";
        assert_eq!(clean_text(prose), prose);
        assert_eq!(clean_text("#hashtag at the start"), "#hashtag at the start");
    }

    #[test]
    fn windows_line_ends_and_blank_runs() {
        assert_eq!(clean_text("a\r\n\r\n\r\n\r\nb\rc  \n"), "a\n\nb\nc");
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("aff&#x3D;schedule &amp; &#228; &bogus; & x"),
            "aff=schedule & ä &bogus; & x"
        );
        assert_eq!(
            clean_line("  Online &amp;\n in-person "),
            "Online & in-person"
        );
    }

    #[test]
    fn fenced_code_is_kept_verbatim() {
        assert_eq!(clean_text("```\nlet *x* = 1;\n```"), "let *x* = 1;");
    }
}
