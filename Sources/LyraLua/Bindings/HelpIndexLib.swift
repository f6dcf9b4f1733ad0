import CLua
import LyraBase

/// What `? name` needs beyond `lyra.doc`: every documented value by its full name (so
/// `? lyra.Tensor:sum`, the name docs/lua-api.md uses, finds the method although no
/// `lyra.Tensor` table exists), and the project's one "did you mean" (`LyraBase.Suggest`),
/// so a help typo gets the same cut-off as an error typo.
enum HelpIndexLib {
  static func open(_ state: LuaState) {
    state.register("lyra.docnames", help: """
      lyra.docnames() -> {[full name] = value}
      Every function or table with recorded help, by the full name it was recorded under
      ('lyra.Tensor:sum', 'lyra.nn.Linear'). Used by lyra.help to find names.
      """) { call in
      let s = call.stack
      lua_createtable(call.L, 0, 0)
      let out = s.absIndex(-1)
      s.rawGet(lyra_registryindex(), LuaState.namesKey)
      let names = s.absIndex(-1)
      s.pushNil()
      while lua_next(call.L, names) != 0 {
        // [.., value, name]: out[name] = value
        if s.type(-1) == .string {
          s.pushValue(-1)
          s.pushValue(-3)
          lua_rawset(call.L, out)
        }
        s.pop()
      }
      s.pop()
      return 1
    }

    state.register("lyra.suggest", help: """
      lyra.suggest(word, {candidates}) -> closest | nil
      The candidate a typo most likely meant: case-insensitive edit distance at most
      max(2, #word / 3), ties to the earlier candidate (the same rule as every error's hint).
      Not offered: a longer word that merely contains the candidate, or one that shares its
      start and end but differs in a middle of 3+ letters (AutoGateS1TrainerCallback is not
      QuantTrainerCallback). Offered past the cut-off: a candidate the word is the start of.
      """) { call in
      let word = try call.string(1)
      try call.table(2)
      let s = call.stack
      var candidates: [String] = []
      let n = s.rawLength(2)
      if n > 0 {
        for i in 1...n {
          s.rawGet(2, index: i)
          if s.type(-1) == .string, let c = s.toString(-1) { candidates.append(c) }
          s.pop()
        }
      }
      if let best = Suggest.closest(word, in: candidates) { call.push(best) } else { call.pushNil() }
      return 1
    }
  }
}
