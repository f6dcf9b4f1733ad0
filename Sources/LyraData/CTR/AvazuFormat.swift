/// Avazu's mobile-ads logs (Kaggle 2014, train.csv): comma-separated with a header,
/// `id,click,hour,C1,banner_pos,site_id,...` (24 columns). `id` is dropped, `click` is
/// the label, `hour` (YYMMDDHH) becomes two fields, hour of day and day (VEGA's
/// avazu_util does the same split), every other column is categorical as written.
public struct AvazuFormat: CTRTextFormat {
  public static let columns = ["id", "click", "hour", "C1", "banner_pos", "site_id", "site_domain", "site_category", "app_id", "app_domain",
                               "app_category", "device_id", "device_ip", "device_model", "device_type", "device_conn_type", "C14", "C15",
                               "C16", "C17", "C18", "C19", "C20", "C21"]
  public let fieldNames = ["hour_of_day", "day"] + Array(AvazuFormat.columns[3...])
  public let hasHeader = true
  public init() {}

  public func parse(_ line: ArraySlice<UInt8>) throws -> (label: Int32, tokens: [String]) {
    let cols = CTRTokens.split(line, UInt8(ascii: ","))
    guard cols.count == 24 else { throw CTRLineError("expected 24 comma-separated columns (id, click, hour, 21 features), got \(cols.count)") }
    let label = try CTRTokens.label(cols[1], column: 2)
    let hour = String(decoding: cols[2], as: UTF8.self)
    guard hour.count == 8, hour.allSatisfy(\.isASCII), hour.allSatisfy(\.isNumber) else {
      throw CTRLineError(column: 3, "hour: '\(hour)' is not YYMMDDHH")
    }
    var tokens = [String(hour.suffix(2)), String(hour.prefix(6))]
    for k in 3..<24 { tokens.append(String(decoding: cols[k], as: UTF8.self)) }
    return (label, tokens)
  }
}
