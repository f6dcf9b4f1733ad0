/// A monochrome dot canvas drawn with Unicode braille (2×4 dots per character), for
/// plot previews in a terminal.
struct BrailleCanvas {
  let cols: Int, rows: Int
  var dots: [Bool]
  var width: Int { cols * 2 }
  var height: Int { rows * 4 }

  init(cols: Int, rows: Int) {
    self.cols = max(1, cols)
    self.rows = max(1, rows)
    dots = [Bool](repeating: false, count: self.cols * 2 * self.rows * 4)
  }

  /// Sets dot (x, y), y = 0 at the top; outside points are ignored.
  mutating func set(_ x: Int, _ y: Int) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    dots[y * width + x] = true
  }

  /// A straight line (Bresenham).
  mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
    var x = x0, y = y0
    let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
    var err = dx + dy
    var guardSteps = 0
    while guardSteps < 100_000 {
      set(x, y)
      if x == x1 && y == y1 { break }
      let e2 = 2 * err
      if e2 >= dy { err += dy; x += sx }
      if e2 <= dx { err += dx; y += sy }
      guardSteps += 1
    }
  }

  /// Bit of each dot within a braille cell, indexed [row][col] (Unicode's numbering).
  static let bits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

  func lines() -> [String] {
    (0..<rows).map { r in
      var s = ""
      for c in 0..<cols {
        var v: UInt32 = 0
        for dy in 0..<4 { for dx in 0..<2 where dots[(r * 4 + dy) * width + c * 2 + dx] { v |= BrailleCanvas.bits[dy][dx] } }
        s.unicodeScalars.append(Unicode.Scalar(0x2800 + v)!)
      }
      return s
    }
  }
}
