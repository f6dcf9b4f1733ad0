"""Writes the .pth fixtures of Tests/fixtures/pth ONCE (checked in; the product and its tests
never run Python). Run: /work/.venv-ref/bin/python scripts/bench/make_pth_fixtures.py

convnet.pth   a tiny conv net's state dict as VEGA saves it: {'state_dict': OrderedDict with
              'module.' prefixes (DataParallel), 'epoch': 3}; named children (conv, bn, fc)
              that Lyra's Sequential calls 0, 1, 4 (so names differ and order+shape decides);
              fc.weight is a transposed (non-contiguous) view and fc.bias a slice at an
              offset of a larger storage. convnet.json: the input and PyTorch's output (eval).
convnet_legacy.pth  net.state_dict() in torch's legacy (pre-1.6) format, no wrapper or prefix.
dtypes.pth    an OrderedDict of f32/f64/f16/bf16/int64 tensors, a strided view, a scalar;
              dtypes.json: each one's values as float64, flattened in row-major order.
hostile/*     hand-made pickles in real torch.save zips that a restricted reader must refuse.
"""
import collections, io, json, os, struct, zipfile
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "fixtures", "pth")
os.makedirs(os.path.join(OUT, "hostile"), exist_ok=True)
torch.manual_seed(19)

net = nn.Sequential(collections.OrderedDict([
    ("conv", nn.Conv2d(1, 2, 3, padding=1)), ("bn", nn.BatchNorm2d(2)), ("relu", nn.ReLU()),
    ("flat", nn.Flatten()), ("fc", nn.Linear(2 * 4 * 4, 3))]))
with torch.no_grad():
    net.bn.running_mean.copy_(torch.tensor([0.1, -0.2]))
    net.bn.running_var.copy_(torch.tensor([0.5, 2.0]))
    net.bn.weight.copy_(torch.tensor([1.5, 0.7]))
    net.bn.bias.copy_(torch.tensor([0.3, -0.1]))
    w = net.fc.weight.detach().clone()
    net.fc.weight = nn.Parameter(w.t().contiguous().t())          # strides (1, 3)
    big = torch.randn(8)
    big[2:5] = net.fc.bias.detach()
    net.fc.bias = nn.Parameter(big[2:5])                           # storage offset 2
assert not net.fc.weight.is_contiguous() and net.fc.bias.storage_offset() == 2
net.eval()
x = torch.randn(2, 1, 4, 4)
y = net(x)
sd = collections.OrderedDict(("module." + k, v) for k, v in net.state_dict().items())
torch.save({"state_dict": sd, "epoch": 3}, os.path.join(OUT, "convnet.pth"))
json.dump({"input_shape": list(x.shape), "input": x.flatten().tolist(),
           "output_shape": list(y.shape), "output": y.detach().flatten().tolist()},
          open(os.path.join(OUT, "convnet.json"), "w"))

base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 8
tensors = collections.OrderedDict([
    ("f32", torch.tensor([[1.5, -2.0], [0.25, 3.0]])),
    ("f64", torch.tensor([1.0 / 3, -7.5], dtype=torch.float64)),
    ("f16", torch.tensor([0.5, -1.25, 65504.0], dtype=torch.float16)),
    ("bf16", torch.tensor([1.0, -3.5, 0.0078125], dtype=torch.bfloat16)),
    ("i64", torch.tensor([3, -4, 1 << 40], dtype=torch.int64)),
    ("strided", base[:, 1::2]),            # shape [3, 2], strides (4, 2), offset 1
    ("transposed", base.t()),              # shape [4, 3], strides (1, 4)
    ("scalar", torch.tensor(2.5)),
])
torch.save(tensors, os.path.join(OUT, "dtypes.pth"))
json.dump({k: {"shape": list(v.shape), "values": v.double().flatten().tolist()} for k, v in tensors.items()},
          open(os.path.join(OUT, "dtypes.json"), "w"))

# The legacy format (torch < 1.6, as torchvision's older downloads): the same state dict.
torch.save(net.state_dict(), os.path.join(OUT, "convnet_legacy.pth"), _use_new_zipfile_serialization=False)

def archive(name, pickle_bytes, blobs=None, compression=zipfile.ZIP_STORED):
    """A zip laid out as torch.save lays it out, holding a hand-made pickle."""
    with zipfile.ZipFile(os.path.join(OUT, "hostile", name), "w", compression) as z:
        z.writestr("archive/data.pkl", pickle_bytes)
        z.writestr("archive/byteorder", "little")
        for k, v in (blobs or {}).items():
            z.writestr("archive/data/" + k, v)
        z.writestr("archive/version", "3\n")

P2 = b"\x80\x02"
archive("global_os_system.pth", P2 + b"cos\nsystem\nX\x04\x00\x00\x00echoq\x00\x85q\x01Rq\x02.")
archive("global_builtins_eval.pth", P2 + b"cbuiltins\neval\nX\x03\x00\x00\x001+1\x85R.")
archive("inst.pth", P2 + b"(ios\nsystem\n.")
archive("obj.pth", P2 + b"(cos\nsystem\nS'echo'\no.")
archive("reduce_unlisted.pth", P2 + b"}q\x00X\x01\x00\x00\x00a\x8c\x08builtins\x8c\x05print\x93s.")
archive("memo_out_of_range.pth", P2 + b"}q\x00h\x07.")
archive("deep_nesting.pth", P2 + b"]" * 100000 + b"a" * 99999 + b".")
archive("truncated_pickle.pth", P2 + b"}q\x00(X\x01\x00\x00\x00a")
archive("huge_string.pth", P2 + b"X\xff\xff\xff\x7fabc.")
# A storage that declares 2^40 float elements, backed by an 8-byte blob.
archive("huge_storage.pth", P2 + b"ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\nFloatStorage\n"
        b"X\x01\x00\x00\x000X\x03\x00\x00\x00cpu\x8a\x06\x00\x00\x00\x00\x00\x01tQK\x00\x8a\x06\x00\x00\x00\x00\x00\x01\x85K\x01\x85\x89"
        b"ccollections\nOrderedDict\n)RtR.", {"0": b"\0" * 8})
# A view whose strides reach past its storage (4 floats, shape [3] stride [2] needs 5).
archive("view_out_of_storage.pth", P2 + b"ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\nFloatStorage\n"
        b"X\x01\x00\x00\x000X\x03\x00\x00\x00cpu\x8a\x01\x04tQK\x00K\x03\x85K\x02\x85\x89"
        b"ccollections\nOrderedDict\n)RtR.", {"0": b"\0" * 16})
# A well-formed pickle in a deflated entry (torch.save never writes one; zip tools may).
archive("deflated.pth", P2 + b"}q\x00.", compression=zipfile.ZIP_DEFLATED)
good = open(os.path.join(OUT, "dtypes.pth"), "rb").read()
open(os.path.join(OUT, "hostile", "truncated_zip.pth"), "wb").write(good[: len(good) // 2])
# A zip whose central directory claims a 4 GiB entry in a tiny file (zip-bomb-ish declared size).
zb = bytearray(good)
cd = zb.rfind(b"PK\x01\x02")
while cd >= 0:
    struct.pack_into("<II", zb, cd + 20, 0xFFFFFFF0, 0xFFFFFFF0)
    cd = zb.rfind(b"PK\x01\x02", 0, cd)
open(os.path.join(OUT, "hostile", "declared_huge_entry.pth"), "wb").write(bytes(zb))
print("written to", os.path.abspath(OUT))
