"""Reading a ResNet-50-sized PyTorch checkpoint: torch.load(weights_only=True) against
Lyra's lyra.load_pth, same file, same machine, best of 5 each (comparison script; Python is
allowed only under scripts/bench). Run after a release build:

  swift build -c release --product lyra --scratch-path .build-rel-NAME
  /work/.venv-ref/bin/python scripts/bench/pth_load.py .build-rel-NAME/release/lyra

The checkpoint is torchvision's ResNet-50 layout (161 float tensors, 25.6 M values, plus
int64 num_batches_tracked) with random values, written to a temporary folder in both the
zip and the legacy format; 'module.'-prefixed and wrapped as VEGA saves it.
"""
import collections, os, subprocess, sys, tempfile, time
import torch

def resnet50_state():
    sd = collections.OrderedDict()
    def conv(name, cin, cout, k):
        sd[name + ".weight"] = torch.randn(cout, cin, k, k)
    def bn(name, c):
        for p in ("weight", "bias", "running_mean", "running_var"):
            sd[f"{name}.{p}"] = torch.randn(c)
        sd[name + ".num_batches_tracked"] = torch.tensor(0)
    conv("conv1", 3, 64, 7); bn("bn1", 64)
    cin = 64
    for li, (blocks, width) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)], 1):
        for b in range(blocks):
            p = f"layer{li}.{b}"
            conv(p + ".conv1", cin, width, 1); bn(p + ".bn1", width)
            conv(p + ".conv2", width, width, 3); bn(p + ".bn2", width)
            conv(p + ".conv3", width, width * 4, 1); bn(p + ".bn3", width * 4)
            if b == 0:
                conv(p + ".downsample.0", cin, width * 4, 1); bn(p + ".downsample.1", width * 4)
            cin = width * 4
    sd["fc.weight"] = torch.randn(1000, 2048)
    sd["fc.bias"] = torch.randn(1000)
    return sd

def best(f, n=5):
    t = []
    for _ in range(n):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
    return min(t)

lyra = sys.argv[1] if len(sys.argv) > 1 else ".build/release/lyra"
sd = resnet50_state()
print("values:", sum(v.numel() for v in sd.values() if v.is_floating_point()), "tensors:", len(sd))
with tempfile.TemporaryDirectory() as d:
    for fmt, zipfmt in (("zip", True), ("legacy", False)):
        path = os.path.join(d, fmt + ".pth")
        torch.save({"state_dict": collections.OrderedDict(("module." + k, v) for k, v in sd.items()), "epoch": 1},
                   path, _use_new_zipfile_serialization=zipfmt)
        torch.set_num_threads(1)
        tt = best(lambda: torch.load(path, weights_only=True))
        lua = ("local best = math.huge; for i = 1, 5 do local c = lyra.clock(); local t = lyra.load_pth('%s'); "
               "best = math.min(best, lyra.clock() - c) end; print(best)") % path
        tl = float(subprocess.check_output([lyra, "-e", lua]).decode().split()[-1])
        print(f"{fmt:6s}  {os.path.getsize(path) / 2**20:6.1f} MiB  torch.load(weights_only=True) {tt * 1000:7.1f} ms   "
              f"lyra.load_pth {tl * 1000:7.1f} ms   ratio lyra/torch {tl / tt:5.2f}")
