// LyraKernels: raw-pointer numeric kernels (convolution, pooling, normalisation,
// resampling) with no tensor or autograd types, so each is tested alone against a
// naive reference and LyraTensor wires them into ops.
