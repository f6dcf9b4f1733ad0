import CLua

/// The basic Lua types (`lua_type`), named as `type()` names them.
public enum LuaType: Int32, CustomStringConvertible {
  case none = -1, `nil` = 0, boolean = 1, lightUserdata = 2, number = 3, string = 4
  case table = 5, function = 6, userdata = 7, thread = 8

  public var description: String {
    switch self {
    case .none: return "no value"
    case .nil: return "nil"
    case .boolean: return "boolean"
    case .lightUserdata, .userdata: return "userdata"
    case .number: return "number"
    case .string: return "string"
    case .table: return "table"
    case .function: return "function"
    case .thread: return "thread"
    }
  }
}
