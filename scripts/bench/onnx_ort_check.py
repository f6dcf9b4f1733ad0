#!/usr/bin/env python3
# Independent check (not part of the product, not a test): every module issue 17 made
# exportable is built and exported by Lyra (m:to_onnx from a Lua script run by the lyra
# binary), the file is run in ONNX Runtime, and ORT's output is compared with Lyra's own
# output on the same random inputs (the export's sizes, and dimension 0 one larger, since
# the file leaves it symbolic). Prints the max absolute error per module.
#
#   /work/.venv-ref/bin/python scripts/bench/onnx_ort_check.py [--lyra PATH] [--keep DIR]
#
# Needs onnxruntime and numpy in the Python that runs it (the reference venv has both);
# LYRA (or --lyra) names the binary, default .build/debug/lyra. Exit status 1 when any
# module differs by more than 1e-4 or fails in ORT.
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as ort

# name, Lua constructor, input sizes, opset. Lua dims are 1-based (Softmax, Unflatten).
CASES = [
    ("LayerNorm", "nn.LayerNorm(6)", [2, 4, 6], 13),
    ("LayerNorm_opset17", "nn.LayerNorm({4, 6})", [2, 4, 6], 17),
    ("GroupNorm", "nn.GroupNorm(2, 6)", [2, 6, 5, 5], 13),
    ("InstanceNorm2d", "nn.InstanceNorm2d(3, {affine = true})", [2, 3, 5, 4], 13),
    ("Conv1d", "nn.Conv1d(4, 6, 3, {stride = 2, padding = 2, dilation = 2, groups = 2})", [2, 4, 11], 13),
    ("ConvTranspose2d", "nn.ConvTranspose2d(4, 6, 3, {stride = 2, padding = 1, output_padding = 1, groups = 2})", [2, 4, 5, 4], 13),
    ("MaxPool1d", "nn.MaxPool1d(3, {stride = 2, padding = 1})", [2, 3, 10], 13),
    ("AdaptiveMaxPool2d_1", "nn.AdaptiveMaxPool2d(1)", [2, 3, 6, 9], 13),
    ("AdaptiveMaxPool2d_2x3", "nn.AdaptiveMaxPool2d({2, 3})", [2, 3, 6, 9], 13),
    ("Dropout2d", "nn.Dropout2d(0.5)", [2, 3, 4, 4], 13),
    ("Upsample_nearest_x2", "nn.Upsample(2)", [2, 2, 3, 4], 13),
    ("Upsample_nearest_size", "nn.Upsample({size = {5, 7}})", [2, 2, 3, 4], 13),
    ("Upsample_bilinear", "nn.Upsample({size = {7, 9}, mode = 'bilinear'})", [2, 2, 3, 4], 13),
    ("Upsample_bilinear_corners", "nn.Upsample(2, 'bilinear', {align_corners = true})", [2, 2, 3, 4], 13),
    ("View", "nn.View(4, 6)", [2, 3, 8], 13),
    ("Unflatten", "nn.Unflatten(2, {2, -1})", [2, 6, 4], 13),
    ("PReLU", "nn.PReLU(3)", [2, 3, 4, 4], 13),
    ("ELU", "nn.ELU(0.7)", [2, 3, 4], 13),
    ("Softplus", "nn.Softplus(2, 15)", [2, 3, 4], 13),
    ("Hardtanh", "nn.Hardtanh(-0.5, 0.8)", [2, 3, 4], 13),
    ("Softmax", "nn.Softmax(2)", [2, 3, 4], 13),
    ("LogSoftmax", "nn.LogSoftmax(-1)", [2, 3, 4], 13),
    ("RNN", "nn.RNN(5, 4, {num_layers = 2})", [6, 2, 5], 13),
    ("RNN_relu", "nn.RNN(5, 4, {nonlinearity = 'relu', batch_first = true})", [2, 6, 5], 13),
    ("LSTM", "nn.LSTM(5, 4, {num_layers = 2})", [6, 2, 5], 13),
    ("LSTM_batch_first", "nn.LSTM(5, 4, {batch_first = true})", [2, 6, 5], 13),
    ("GRU", "nn.GRU(5, 4, {num_layers = 2})", [6, 2, 5], 13),
    ("GRU_batch_first", "nn.GRU(5, 4, {batch_first = true})", [2, 6, 5], 13),
    ("MultiheadAttention", "nn.MultiheadAttention(8, 2)", [5, 2, 8], 13),
    ("MultiheadAttention_batch_first", "nn.MultiheadAttention(8, 4, {batch_first = true})", [2, 5, 8], 13),
    ("TransformerEncoderLayer", "nn.TransformerEncoderLayer(8, 2, {dim_feedforward = 16})", [5, 2, 8], 13),
    ("TransformerEncoderLayer_opset17", "nn.TransformerEncoderLayer(8, 2, {dim_feedforward = 16})", [5, 2, 8], 17),
    ("TransformerEncoderLayer_prenorm_gelu",
     "nn.TransformerEncoderLayer(8, 2, {dim_feedforward = 16, activation = 'gelu', norm_first = true, batch_first = true})",
     [2, 5, 8], 17),
    ("TransformerEncoder",
     "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, {dim_feedforward = 12, batch_first = true}), 2, {norm = true})",
     [2, 5, 8], 17),
]

LUA = r"""
local nn = lyra.nn
local dir = arg[1]
local function dump(path, t)
  local f = assert(io.open(path, 'w'))
  local v = t:contiguous():view(-1):totable()
  for i = 1, #v do f:write(string.format('%.9g\n', v[i])) end
  f:close()
end
local cases = {
@CASES@
}
for _, c in ipairs(cases) do
  lyra.manual_seed(1)
  local m = c.make()
  lyra.no_grad(function() for _, p in ipairs(m:parameters()) do lyra.normal_(p, 0, 0.5) end end)
  m:eval()
  local ok, err = pcall(function()
    m:to_onnx(dir .. '/' .. c.name .. '.onnx', c.sizes, {opset = c.opset})
    local x = lyra.randn(table.unpack(c.sizes))
    local y = m(x)
    dump(dir .. '/' .. c.name .. '.in', x)
    dump(dir .. '/' .. c.name .. '.out', y)
    -- Dimension 0 is symbolic in the file: a second input one larger there.
    local sizes2 = {table.unpack(c.sizes)}
    sizes2[1] = sizes2[1] + 1
    local x2 = lyra.randn(table.unpack(sizes2))
    dump(dir .. '/' .. c.name .. '.in2', x2)
    dump(dir .. '/' .. c.name .. '.out2', m(x2))
  end)
  if not ok then io.stderr:write(c.name .. ': ' .. tostring(err) .. '\n') end
end
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lyra", default=os.environ.get("LYRA", ".build/debug/lyra"))
    ap.add_argument("--keep", help="write the files here instead of a temporary folder")
    args = ap.parse_args()
    out = args.keep or tempfile.mkdtemp(prefix="lyra-ort-")
    os.makedirs(out, exist_ok=True)
    rows = ",\n".join('  {name = "%s", make = function() return %s end, sizes = {%s}, opset = %d}'
                      % (n, lua, ", ".join(map(str, s)), o) for n, lua, s, o in CASES)
    script = os.path.join(out, "export.lua")
    with open(script, "w") as f:
        f.write(LUA.replace("@CASES@", rows))
    subprocess.run([args.lyra, script, out], check=True)
    print(f"onnxruntime {ort.__version__}; max |ORT - Lyra| per module over both inputs")
    failed = 0
    for name, _, sizes, opset in CASES:
        path = os.path.join(out, name + ".onnx")
        if not os.path.exists(path):
            print(f"{name:40s} opset {opset}  NOT EXPORTED")
            failed += 1
            continue
        try:
            sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            err = 0.0
            for suffix, lead in (("", 0), ("2", 1)):
                shape = [sizes[0] + lead] + sizes[1:]
                x = np.loadtxt(os.path.join(out, f"{name}.in{suffix}"), dtype=np.float32).reshape(shape)
                want = np.loadtxt(os.path.join(out, f"{name}.out{suffix}"), dtype=np.float32).ravel()
                got = sess.run(None, {sess.get_inputs()[0].name: x})[0].ravel()
                err = max(err, float(np.max(np.abs(got - want))) if got.shape == want.shape else float("inf"))
        except Exception as e:  # noqa: BLE001 - report and go on
            print(f"{name:40s} opset {opset}  ORT FAILED: {e}")
            failed += 1
            continue
        ok = err <= 1e-4
        failed += 0 if ok else 1
        print(f"{name:40s} opset {opset}  {err:.3g}{'' if ok else '  MISMATCH'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
