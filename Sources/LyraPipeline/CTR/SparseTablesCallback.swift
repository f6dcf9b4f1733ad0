import LyraNN
import LyraNets

/// Built in, priority 150: steps the model's `SparseEmbedding` tables with lazy Adam after
/// every training step (the dense optimiser skips them: their `grad` stays nil). The rate
/// is `net_optim.net_lr` when given, else the optimiser's current rate (its schedule
/// included). Does nothing for a model without sparse tables.
final class SparseTablesCallback: TrainerCallback {
  override var priority: Int { 150 }
  private var adam: LazyAdam?

  override func beforeTrain() throws {
    guard let model = trainer?.model else { return }
    let tables = model.namedModules().compactMap { $0.module as? SparseEmbedding }
    adam = tables.isEmpty ? nil : LazyAdam(tables, lr: trainer?.optimizer?.lr ?? 1e-3)
  }

  override func afterTrainStep(_ step: Int) throws {
    guard let adam, let t = trainer else { return }
    adam.lr = t.config.ctr?.netLR ?? t.optimizer?.lr ?? adam.lr
    adam.step()
  }
}
