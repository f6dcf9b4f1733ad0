import Foundation

/// Which link targets notebook HTML may put into `href`: http(s), mailto and relative
/// links. Anything else (`javascript:`, `data:`, `vbscript:`, `file:`) is dropped and the
/// link's text is shown plain.
///
/// Why an allow-list: a notebook is shared as HTML; a `[click](javascript:...)` in a
/// markdown cell would run script in the reader's browser. Browsers ignore ASCII tabs
/// and newlines inside a scheme and accept any case (`JaVa\tScRiPt:`), so the scheme is
/// read after removing control characters and spaces, and compared lower-cased.
enum LinkPolicy {
  static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

  /// The URL when it may be a link target, else nil.
  static func safeHref(_ url: String) -> String? {
    let squeezed = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
    guard let colon = squeezed.firstIndex(of: ":") else { return url } // no scheme: relative
    let head = squeezed[..<colon]
    // A ':' after a '/', '?' or '#' belongs to the path or query: a relative link.
    if head.contains(where: { "/?#".contains($0) }) { return url }
    return allowedSchemes.contains(head.lowercased()) ? url : nil
  }
}
