import LyraBase
import LyraData
import LyraNN
import LyraTensor

/// `lyra.data.criteo`, `lyra.data.avazu`, `lyra.data.synthetic_ctr`, `lyra.nn.FM` and
/// `lyra.optim.LazyAdam` (issue 23). `lyra.nn.Embedding(count, dim, {sparse = true})` is in
/// NNConstructors. CTR samples reach Lua as [fields] of 1-based global ids (the row of one
/// shared embedding table, as lyra.nn.Embedding takes them) and labels 1 (no click) / 2 (click).
enum CTRLua {
  /// A CTR dataset with ids shifted to Lua's 1-based rows.
  struct OneBased: Dataset {
    let base: any Dataset
    var count: Int { base.count }
    func item(at index: Int) -> Sample {
      var s = base.item(at: index)
      s.features = s.features.map { $0 + 1 }
      return s
    }
  }

  /// `{i, j}`: a pair of integers.
  static let pair = LuaItemReader<[Int]>(what: "a pair {i, j} of integers", plural: "pairs {i, j}") { s in
    guard s.type(-1) == .table, s.rawLength(-1) == 2 else { return nil }
    var out: [Int] = []
    for k in 1...2 {
      s.rawGet(-1, index: k)
      let v = s.type(-1) == .number ? s.toInteger(-1) : nil
      s.pop()
      guard let v else { return nil }
      out.append(v)
    }
    return out
  }

  static func open(_ state: LuaState) {
    for (name, format, what) in [("criteo", CriteoFormat() as CTRTextFormat, "Criteo's tab-separated logs (label, I1..I13, C1..C26)"),
                                 ("avazu", AvazuFormat() as CTRTextFormat, "Avazu's train.csv (id, click, hour, 21 categorical columns)")] {
      state.register("lyra.data.\(name)", help: """
        lyra.data.\(name){path = FILE [, min_frequency = 1, on_error = 'skip', max_lines = N, cache_path = FILE]} -> dataset, report
        \(what), read in two streaming passes into a memory-mapped binary cache (FILE.lyractr;
        reused while the file and options are unchanged). Tokens seen fewer than min_frequency
        times share their field's out-of-vocabulary id; Criteo integers v > 2 become floor(ln(v)^2).
        Malformed lines are skipped and counted (on_error = 'skip') or stop the read (on_error =
        'refuse'), named file:line. Samples: [fields] 1-based ids into one table of ds:input_dim()
        rows (report.input_dim); labels 1 = no click, 2 = click. report = {samples, skipped,
        errors = {first few}, input_dim, fields, from_cache}.
        Example: local ds, r = lyra.data.\(name){path = 'day_0.txt', min_frequency = 10}
        """) { call in
        guard let o = try call.options(1) else { throw call.expected(1, "table with path =") }
        guard let path = try o.string("path") else { throw LuaArgumentError(1, "option 'path' (the log file) is required") }
        var opts = CTRReadOptions()
        if let m = try o.int("min_frequency") {
          guard m >= 1 else { throw LuaArgumentError(1, "min_frequency must be at least 1, got \(m)") }
          opts.minFrequency = m
        }
        if let e = try o.string("on_error") {
          guard let v = CTRReadOptions.OnError(rawValue: e) else { throw LuaArgumentError(1, "on_error must be 'skip' or 'refuse', got '\(e)'") }
          opts.onError = v
        }
        if let m = try o.int("max_lines") {
          guard m >= 1 else { throw LuaArgumentError(1, "max_lines must be positive, got \(m)") }
          opts.maxLines = m
        }
        opts.cachePath = try o.string("cache_path")
        try o.finish()
        let (ds, report) = try CTRTextReader.read(path, format: format, options: opts)
        DataLua.push(DatasetBox(OneBased(base: ds), name: path, classes: ["0", "1"]), call)
        call.stack.push(LuaValue.table(array: [], fields: [
          "samples": .integer(report.samples), "skipped": .integer(report.skipped),
          "errors": .table(array: report.firstErrors.map { .string($0) }, fields: [:]),
          "input_dim": .integer(ds.fieldSizes.reduce(0, +)), "fields": .integer(ds.fieldCount), "from_cache": .boolean(report.fromCache),
        ]))
        return 2
      }
    }

    state.register("lyra.data.synthetic_ctr", help: """
      lyra.data.synthetic_ctr{[fields = 8, cardinality = 10, samples = 20000, planted = 3, pairs = {{i, j}, ...},
                              latent_dim = 2, strength = 1.5, seed = 0, test = false]} -> dataset, pairs, input_dim
      CTR data with planted pairwise interactions (the ground truth AutoFIS should find):
      logit = bias + sum of per-value weights + strength * sum over planted pairs (i, j) of <u_i[x_i], u_j[x_j]>.
      pairs: the planted field pairs, 1-based ({{2, 3}, ...}); given, they replace the drawn ones.
      test = true draws fresh samples of the same model (a test set). Deterministic from seed.
      Samples are [fields] 1-based ids into one table of input_dim rows; labels 1 / 2 (click).
      Example: local ds, planted, n = lyra.data.synthetic_ctr{samples = 5000, seed = 1}
      """) { call in
      var g = SyntheticCTR()
      if let o = try call.options(1) {
        g.fields = try o.int("fields") ?? g.fields
        g.cardinality = try o.int("cardinality") ?? g.cardinality
        g.samples = try o.int("samples") ?? g.samples
        g.plantedCount = try o.int("planted") ?? g.plantedCount
        if let p = try o.list("pairs", pair) { g.pairs = p.map { ($0[0] - 1, $0[1] - 1) } }
        g.latentDim = try o.int("latent_dim") ?? g.latentDim
        g.strength = try o.number("strength") ?? g.strength
        g.seed = try o.seed("seed") ?? 0
        if try o.bool("test") == true { g.sampleStream = 4 }
        try o.finish()
      }
      let ds: CTRDataset, planted: [(Int, Int)]
      do {
        planted = try g.plantedPairs()
        ds = try g.make()
      } catch let e as DataError { throw LuaFailure(e.message) }
      DataLua.push(DatasetBox(OneBased(base: ds), name: "synthetic_ctr", classes: ["0", "1"]), call)
      call.stack.push(LuaValue.table(array: planted.map { .table(array: [.integer($0.0 + 1), .integer($0.1 + 1)], fields: [:]) }, fields: [:]))
      call.push(ds.inputDim)
      return 3
    }

    state.register("lyra.nn.FM", help: """
      lyra.nn.FM() -> module
      The second-order term of a factorization machine: field embeddings [N, F, D] -> [N, 1],
      sum over field pairs i < j of <e_i, e_j>, computed as 0.5 * sum_d((sum_i e_id)^2 - sum_i e_id^2).
      Example: local logit = lyra.nn.FM():forward(emb:forward(ids))
      """) { call in
      if call.count > 0 { throw LuaArgumentError(1, "lyra.nn.FM takes no arguments") }
      ModuleLua.push(FactorizationMachine(), call.stack)
      return 1
    }

    state.register("lyra.optim.LazyAdam", help: """
      lyra.optim.LazyAdam(tables [, {lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8}]) -> optimizer
      Adam for sparse embedding tables (lyra.nn.Embedding(n, d, {sparse = true}), one or a list):
      a step updates only the rows looked up since the last step, moments included (TensorFlow's
      LazyAdam, PyTorch's SparseAdam). Pair it with a dense optimiser over the other parameters.
      Example: local sparse = lyra.optim.LazyAdam(emb, {lr = 0.01}); ... loss:backward(); sparse:step()
      """) { call in
      var tables: [SparseEmbedding] = []
      if let m = call.stack.toObject(1, as: Module.self) {
        guard let t = m as? SparseEmbedding else { throw LuaArgumentError(1, "expected a sparse embedding (lyra.nn.Embedding(n, d, {sparse = true}))") }
        tables = [t]
      } else {
        try call.table(1)
        for k in 0..<call.stack.rawLength(1) {
          call.stack.rawGet(1, index: k + 1)
          let m = call.stack.toObject(-1, as: Module.self) as? SparseEmbedding
          call.stack.pop()
          guard let m else { throw LuaArgumentError(1, "entry \(k + 1) is not a sparse embedding (lyra.nn.Embedding(n, d, {sparse = true}))") }
          tables.append(m)
        }
      }
      guard !tables.isEmpty else { throw LuaArgumentError(1, "no tables given") }
      let o = try call.options(2)
      let lr = try o?.number("lr") ?? 1e-3
      let betas = try o?.pair("betas", LuaItem.number, "{beta1, beta2} in [0, 1)") { $0 >= 0 && $0 < 1 && $1 >= 0 && $1 < 1 } ?? (0.9, 0.999)
      let eps = try o?.number("eps") ?? 1e-8
      try o?.finish()
      guard lr > 0, eps > 0 else { throw LuaArgumentError(2, "lr and eps must be positive") }
      call.push(object: OptimizerBox(LazyAdam(tables, lr: lr, beta1: betas.0, beta2: betas.1, eps: eps)), className: OptimLua.className)
      return 1
    }
  }
}
