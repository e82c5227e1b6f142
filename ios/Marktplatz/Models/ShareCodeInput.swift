import Foundation

/// Query parameters a link may carry the code in (the calendar feed's is `favourites`).
private let codeParameters: Set<String> = ["favourites", "code"]

/// The share code in what the scanner or the clipboard gives: a bare code (spaces and dashes
/// are fine, the core skips them), or a link carrying it in a `favourites=`/`code=` parameter
/// or as its last path segment. Nil when there is nothing to read. Mirrors Android's `shareCodeIn`.
func shareCode(in text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard trimmed.contains("://") else { return trimmed.isEmpty ? nil : trimmed }
    guard let url = URLComponents(string: trimmed) else { return nil }
    if let value = url.queryItems?.first(where: { codeParameters.contains($0.name) })?.value {
        let code = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return code.isEmpty ? nil : code
    }
    // A link with no path (just a host) carries no code.
    let last = url.path.split(separator: "/").last.map(String.init) ?? ""
    return last.isEmpty ? nil : last
}
