// The `LyraData` layer (docs/architecture.md#models-and-data): datasets, readers (IDX, CIFAR-10 binary, CSV),
// a seeded prefetching `DataLoader` and the AutoAugment/PBA augmentation ops.
//
// Batches are plain Swift values (`Batch`) so this layer does not depend on the tensor
// type; a higher layer turns them into tensors.
//
// Typical use:
// ```swift
// let train = try FashionMNIST(split: .train)              // normalised (x/255 − 0.2860)/0.3530
// let loader = DataLoader(train, batchSize: 128, shuffle: true, seed: 0)
// for batch in loader { /* batch.data: [Float], batch.shape: [128, 1, 28, 28], batch.labels */ }
//
// // Augmented: raw [0, 255] pixels, a PBA sub-policy, then normalisation.
// var raw = try FashionMNIST(split: .train, normalized: false)
// let policy = try AugmentTransform(named: [("Rotate", 0.5, 3), ("Cutout", 0.8, 6)])
// let augmented = DataLoader(raw, batchSize: 128, shuffle: true, seed: 0,
//                            transform: Compose([policy, Normalize(.fashionMNIST)]))
// ```
