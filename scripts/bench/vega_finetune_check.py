"""Fine-tuning from a VEGA-style PyTorch checkpoint, checked end to end (comparison script;
the product and its tests never run Python). PyTorch trains a small conv net on 6,000
Fashion-MNIST images for one epoch, saves it as VEGA does ({'state_dict': {'module.…'},
'epoch'}, names features.*/classifier.* that differ from Lyra's), and predicts the first
1,000 test images; Lyra loads the file into its own Sequential with lyra.load_weights_into
and predicts the same images. Prints both accuracies and how many predictions agree.

  /work/.venv-ref/bin/python scripts/bench/vega_finetune_check.py [path/to/lyra]
"""
import collections, gzip, json, os, subprocess, sys, tempfile
import numpy as np
import torch
import torch.nn as nn

ROOT = "/usr/share/datasets/fashion-mnist"
def idx(name):
    with gzip.open(os.path.join(ROOT, name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

def norm(x):  # Lyra's Fashion-MNIST normalisation
    return torch.tensor((x.astype(np.float32) / 255 - 0.2860) / 0.3530).unsqueeze(1)

torch.manual_seed(0)
xtr, ytr = norm(idx("train-images-idx3-ubyte.gz")[:6000]), torch.tensor(idx("train-labels-idx1-ubyte.gz")[:6000].astype(np.int64))
xte, yte = norm(idx("t10k-images-idx3-ubyte.gz")[:1000]), idx("t10k-labels-idx1-ubyte.gz")[:1000].astype(np.int64)
net = nn.Sequential(collections.OrderedDict([
    ("features", nn.Sequential(collections.OrderedDict([
        ("conv", nn.Conv2d(1, 8, 3, padding=1)), ("bn", nn.BatchNorm2d(8)), ("relu", nn.ReLU()), ("pool", nn.MaxPool2d(2))]))),
    ("flat", nn.Flatten()), ("classifier", nn.Linear(8 * 14 * 14, 10))]))
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
net.train()
for i in range(0, 6000, 64):
    opt.zero_grad()
    nn.functional.cross_entropy(net(xtr[i:i + 64]), ytr[i:i + 64]).backward()
    opt.step()
net.eval()
with torch.no_grad():
    torch_pred = net(xte).argmax(1).numpy()

lyra = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/lyra"
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "model_0.pth")
    torch.save({"state_dict": collections.OrderedDict(("module." + k, v) for k, v in net.state_dict().items()), "epoch": 1}, path)
    lua = f"""
      local nn = lyra.nn
      local m = nn.Sequential(nn.Conv2d(1, 8, 3, {{padding = 1}}), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(8 * 14 * 14, 10))
      io.stderr:write(lyra.load_weights_into(m, '{path}'), '\\n')
      m:eval()
      local ds = lyra.data.fashion_mnist{{split = 'test'}}
      local out = {{}}
      for i = 1, 1000 do
        local x = ds:get(i)
        local y = m(x:view(1, 1, 28, 28)):view(-1)
        local best, arg = -math.huge, 0
        for k = 1, 10 do if y[k] > best then best, arg = y[k], k - 1 end end
        out[i] = arg
      end
      print(lyra.json.encode(out))
    """
    r = subprocess.run([lyra, "-e", lua], capture_output=True, text=True, check=True)
    print(r.stderr.strip())
    lyra_pred = np.array(json.loads(r.stdout))
print(f"PyTorch accuracy {np.mean(torch_pred == yte):.3f}, Lyra accuracy {np.mean(lyra_pred == yte):.3f}, "
      f"same prediction on {int(np.sum(torch_pred == lyra_pred))} of 1000 test images")
