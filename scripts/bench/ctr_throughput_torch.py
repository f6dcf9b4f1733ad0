"""The DeepFM of ctr_throughput.lua in PyTorch (the reference for its samples/s): sparse
nn.Embedding tables with SparseAdam, the FM term, an MLP with Adam; same shapes and batch.
Usage: python scripts/bench/ctr_throughput_torch.py [steps = 30]"""
import sys
import time

import torch

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 30
F, V, D, B = 39, 100000, 16, 1024
torch.manual_seed(0)
emb = torch.nn.Embedding(V, D, sparse=True)
lin = torch.nn.Embedding(V, 1, sparse=True)
mlp = torch.nn.Sequential(torch.nn.Linear(F * D, 200), torch.nn.ReLU(), torch.nn.Linear(200, 200), torch.nn.ReLU(),
                          torch.nn.Linear(200, 1))
sparse = torch.optim.SparseAdam(list(emb.parameters()) + list(lin.parameters()), lr=1e-3)
dense = torch.optim.Adam(mlp.parameters(), lr=1e-3)
crit = torch.nn.BCEWithLogitsLoss()
batches = [(torch.randint(0, V, (B, F)), torch.randint(0, 2, (B, 1)).float()) for _ in range(4)]


def fm(e):
    s = e.sum(1)
    return 0.5 * (s * s - (e * e).sum(1)).sum(1, keepdim=True)


def step(k):
    x, y = batches[k % len(batches)]
    dense.zero_grad()
    sparse.zero_grad()
    e = emb(x)
    logit = lin(x).sum(1) + fm(e) + mlp(e.reshape(B, F * D))
    crit(logit, y).backward()
    dense.step()
    sparse.step()


for k in range(3):
    step(k)
t0 = time.perf_counter()
for k in range(steps):
    step(k)
dt = time.perf_counter() - t0
print(f"torch {torch.__version__} DeepFM ({torch.get_num_threads()} threads): {steps} steps of {B} in {dt:.2f} s: {steps * B / dt:.0f} samples/s")
