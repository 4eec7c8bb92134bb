#!/usr/bin/python3
"""PyTorch peer of OsteoCast's T-VAE (2-D) training step, for speed comparison.

Same architecture as org.osteocast.nn.tvae.Tvae with its defaults (the `tvae2d` preset): SVG-LP dcgan_64 encoder;
decoder with skips from the last observed week and 4x4 stride-2 transposed-convolution up-sampling (OsteoCast's
default `subpixel` computes it exactly as a padded 2x2 convolution + phase gather because DJL's Conv2dTranspose is
not implemented on PyTorch: `--upsample transposed` uses nn.ConvTranspose2d, `--upsample subpixel` OsteoCast's
formulation); output clamp(last week + residual, 0, 1) and the per-pixel log-variance as a second channel of the
finest block (offset -7, clipped to [-18.4, 0]; `--no-pixel-variance` = the `tvae2d-latent` preset); the finest
convolution has at least 16 filters, the extra ones computed and dropped, as OsteoCast's (an engine work-around);
LSTM-cell frame predictor / prior / posterior with one gate layer on [x, h] and one bias (OsteoCast's LstmCell).
Same loss: edge-aware MSE (lambda 1, sigma 1 px) + beta KL + the variance's beta-NLL on the detached error (gamma 1).
Adam, batch of sequences of 4 weeks, teacher forcing as in training. `--upsample pixel_shuffle` measures
OsteoCast's alternative (3x3 conv + pixel shuffle) instead.
Prints one JSON line per thread count and a final JSON line with the best.

Run with Debian's python3-torch:  /usr/bin/python3 bench/train/tvae_bench.py --nf 64 --batch 48 --threads 1,2
Trainable parameters (no timing; compared with OsteoCast's by TvaePeerParameterCountTest):
    /usr/bin/python3 bench/train/tvae_bench.py --count-params --nf 16,32,64 > bench/train/param_counts.txt
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def channels(nf, level):
    return nf << min(level - 1, 3)


MIN_FILTERS = 16  # OsteoCast's ConvDecoder.MIN_FILTERS
LOGVAR_OFFSET, LOGVAR_MIN, LOGVAR_MAX = -7.0, -18.4, 0.0  # OsteoCast's ConvDecoder


class Encoder(nn.Module):
    def __init__(self, size, nf, g_dim):
        super().__init__()
        self.levels = int(math.log2(size)) - 2
        blocks, cin = [], 1
        for l in range(1, self.levels + 1):
            c = channels(nf, l)
            blocks.append(nn.Sequential(nn.Conv2d(cin, c, 4, 2, 1), nn.BatchNorm2d(c), nn.LeakyReLU(0.2)))
            cin = c
        self.blocks = nn.ModuleList(blocks)
        self.last = nn.Sequential(nn.Conv2d(cin, g_dim, 4, 1, 0), nn.BatchNorm2d(g_dim), nn.Tanh())

    def forward(self, x):
        skips = []
        for b in self.blocks:
            x = b(x)
            skips.append(x)
        return self.last(x).flatten(1), skips


def subpixel(y):
    """(N, 4C, H+1, W+1) 2x2-conv output -> (N, C, 2H, 2W): phase (a, b) = channel 4c+2a+b read at offset (a, b),
    which with the matching kernel taps is a 4x4 stride-2 padding-1 transposed convolution (as OsteoCast's
    PixelShuffle.subpixel, one gather)."""
    n, c4, h1, w1 = y.shape
    c, h, w = c4 // 4, h1 - 1, w1 - 1
    oy = torch.arange(2 * h).view(-1, 1)
    ox = torch.arange(2 * w).view(1, -1)
    a, b = oy % 2, ox % 2
    idx = (((2 * a + b) * h1 + oy // 2 + a) * w1 + ox // 2 + b).reshape(1, 1, -1)
    return y.reshape(n, c, 4 * h1 * w1).gather(2, idx.expand(n, c, -1)).view(n, c, 2 * h, 2 * w)


class Decoder(nn.Module):
    def __init__(self, size, nf, g_dim, upsample="subpixel", pixel_variance=True):
        super().__init__()
        self.levels = int(math.log2(size)) - 2
        top = channels(nf, self.levels)
        self.top = top
        self.first = nn.Linear(g_dim, top * 16)
        self.first_bn = nn.BatchNorm2d(top)
        ups, norms, self.used = [], [], []
        self.upsample = upsample
        self.pixel_variance = pixel_variance
        for l in range(self.levels, 0, -1):
            out_c = channels(nf, l - 1) if l > 1 else (2 if pixel_variance else 1)
            if upsample == "transposed":
                ups.append(nn.ConvTranspose2d(2 * channels(nf, l), out_c, 4, 2, 1))
                self.used.append(out_c)
            else:
                used = 4 * out_c
                filters = MIN_FILTERS if 2 <= used < MIN_FILTERS else used
                k = 3 if upsample == "pixel_shuffle" else 2
                ups.append(nn.Conv2d(2 * channels(nf, l), filters, k, 1, 1))
                self.used.append(used)
            norms.append(nn.BatchNorm2d(out_c) if l > 1 else nn.Identity())
        self.ups = nn.ModuleList(ups)
        self.norms = nn.ModuleList(norms)

    def forward(self, g, skips, x_last):
        """Returns the forecast and its log-variance (None without the variance head)."""
        x = self.first(g).view(-1, self.top, 4, 4)
        x = F.leaky_relu(self.first_bn(x), 0.2)
        for i, l in enumerate(range(self.levels, 0, -1)):
            x = torch.cat([x, skips[l - 1]], 1)
            x = self.ups[i](x)
            if x.shape[1] != self.used[i]:
                x = x[:, :self.used[i]]
            if self.upsample == "pixel_shuffle":
                x = F.pixel_shuffle(x, 2)
            elif self.upsample == "subpixel":
                x = subpixel(x)
            if l > 1:
                x = F.leaky_relu(self.norms[i](x), 0.2)
        if not self.pixel_variance:
            return torch.clamp(x_last + x, 0, 1), None
        logvar = torch.clamp(x[:, 1:2] + LOGVAR_OFFSET, LOGVAR_MIN, LOGVAR_MAX)
        return torch.clamp(x_last + x[:, 0:1], 0, 1), logvar


class LstmCell(nn.Module):
    """One LSTM step with one gate layer on [x, h] (gate order i, f, g, o), as OsteoCast's LstmCell."""

    def __init__(self, inp, hidden):
        super().__init__()
        self.gates = nn.Linear(inp + hidden, 4 * hidden)

    def forward(self, x, state):
        h, c = state
        i, f, g, o = self.gates(torch.cat([x, h], 1)).chunk(4, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c


class LstmStack(nn.Module):
    def __init__(self, inp, hidden, out, layers, gaussian):
        super().__init__()
        self.embed = nn.Linear(inp, hidden)
        self.cells = nn.ModuleList([LstmCell(hidden, hidden) for _ in range(layers)])
        self.out = nn.Linear(hidden, out)
        self.logvar = nn.Linear(hidden, out) if gaussian else None
        self.hidden = hidden

    def zero(self, b):
        return [(torch.zeros(b, self.hidden), torch.zeros(b, self.hidden)) for _ in self.cells]

    def forward(self, x, state):
        h = self.embed(x)
        new = []
        for cell, (hh, cc) in zip(self.cells, state):
            hh, cc = cell(h, (hh, cc))
            new.append((hh, cc))
            h = hh
        if self.logvar is None:
            return torch.tanh(self.out(h)), None, new
        return self.out(h), self.logvar(h), new


class Tvae(nn.Module):
    def __init__(self, size=64, nf=64, g_dim=128, z_dim=10, rnn=256, n_past=3, upsample="subpixel",
                 pixel_variance=True):
        super().__init__()
        self.enc, self.dec = Encoder(size, nf, g_dim), Decoder(size, nf, g_dim, upsample, pixel_variance)
        self.pred = LstmStack(g_dim + z_dim, rnn, g_dim, 2, False)
        self.post = LstmStack(g_dim, rnn, z_dim, 1, True)
        self.prior = LstmStack(g_dim, rnn, z_dim, 1, True)
        self.n_past, self.g_dim, self.size = n_past, g_dim, size

    def forward(self, seq, eps):
        b, t = seq.shape[:2]
        s = self.size
        h, skips = self.enc(seq.reshape(b * t, 1, s, s))
        h = h.view(b, t, -1)
        skips = [f.view(b, t, *f.shape[1:]) for f in skips]
        sp, sq, sr = self.pred.zero(b), self.post.zero(b), self.prior.zero(b)
        preds, kls, base = [], [], []
        for i in range(1, t):
            mu, lv, sq = self.post(h[:, i], sq)
            z = mu + torch.exp(0.5 * lv) * eps[i - 1]
            mp, lp, sr = self.prior(h[:, i - 1], sr)
            g, _, sp = self.pred(torch.cat([h[:, i - 1], z], 1), sp)
            preds.append(g)
            kls.append(0.5 * (lp - lv) + (torch.exp(lv) + (mu - mp) ** 2) / (2 * torch.exp(lp)) - 0.5)
            base.append(min(i - 1, self.n_past - 1))
        steps = t - 1
        idx = slice(0, steps) if base == list(range(steps)) else base
        dec_skips = [f[:, idx].reshape(b * steps, *f.shape[2:]) for f in skips]
        x_last = seq[:, idx].reshape(b * steps, 1, s, s)
        x, logvar = self.dec(torch.stack(preds, 1).reshape(b * steps, -1), dec_skips, x_last)
        x = x.view(b, steps, 1, s, s)
        return x, torch.stack(kls), None if logvar is None else logvar.view(b, steps, 1, s, s)


class PerLayerBf16:
    """Within this context every nn.Conv2d and nn.Linear computes as OsteoCast's scripted bf16 kernels do
    (org.osteocast.nn.engine.Bf16Kernels): input, weight and bias cast to bfloat16, the layer in bfloat16, the
    output cast back to fp32; batch norm, activations and everything else stay fp32. `--autocast bf16-per-layer`
    measures what these casts cost against autocast, which keeps the activations bf16 between layers."""

    @staticmethod
    def _conv(self, x):
        b = None if self.bias is None else self.bias.to(torch.bfloat16)
        return F.conv2d(x.to(torch.bfloat16), self.weight.to(torch.bfloat16), b, self.stride, self.padding).float()

    @staticmethod
    def _linear(self, x):
        b = None if self.bias is None else self.bias.to(torch.bfloat16)
        return F.linear(x.to(torch.bfloat16), self.weight.to(torch.bfloat16), b).float()

    def __init__(self, enabled):
        self.enabled = enabled

    def __enter__(self):
        if self.enabled:
            self.saved = (nn.Conv2d.forward, nn.Linear.forward)
            nn.Conv2d.forward, nn.Linear.forward = PerLayerBf16._conv, PerLayerBf16._linear
        return self

    def __exit__(self, *exc):
        if self.enabled:
            nn.Conv2d.forward, nn.Linear.forward = self.saved


def blur_weights(week1, lam, sigma):
    r = int(math.ceil(3 * sigma))
    k = torch.exp(-torch.arange(-r, r + 1, dtype=torch.float32) ** 2 / (2 * sigma * sigma))
    k = k / k.sum()
    k2 = (k[:, None] * k[None, :])[None, None]
    num = F.conv2d(week1, k2, padding=r)
    den = F.conv2d(torch.ones_like(week1[:1]), k2, padding=r)
    return 1 + lam * num / den


def parameter_count(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def bench(nf, batch, steps, warmup, threads, size=64, weeks=4, upsample="subpixel", pixel_variance=True,
          autocast="fp32"):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Tvae(size=size, nf=nf, upsample=upsample, pixel_variance=pixel_variance)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.9, 0.999))
    seq = torch.rand(batch, weeks, 1, size, size)
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        eps = torch.randn(weeks - 1, batch, 10)
        w = blur_weights(seq[:, 0], 1.0, 1.0).view(batch, 1, 1, size, size)
        # --autocast bf16: the model's forward under CPU autocast (convolutions, linear layers and matmuls in
        # bfloat16; master weights, optimiser and the loss in fp32), as OsteoCast's --precision bf16
        # --autocast bf16-per-layer: casts around each convolution and linear layer only, as OsteoCast's kernels
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast == "bf16"), \
                PerLayerBf16(autocast == "bf16-per-layer"):
            x, kl, logvar = model(seq, eps)
        x, kl = x.float(), kl.float()
        logvar = logvar.float() if logvar is not None else None
        sq = (x - seq[:, 1:]) ** 2
        recon = (sq * w).mean() * (weeks - 1)
        loss = recon + 1e-4 * kl.mean(1).sum()
        if logvar is not None:  # beta-NLL (beta 1/2) on the detached error, as OsteoCast's TvaeLoss
            nll = ((logvar + sq.detach() * torch.exp(-logvar)) * torch.exp(0.5 * logvar).detach()).mean()
            loss = loss + 0.5 * (weeks - 1) * nll
        opt.zero_grad()
        loss.backward()
        opt.step()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    times.sort()
    ms = 1000 * times[len(times) // 2]
    return {"nf": nf, "upsample": upsample, "pixel_variance": pixel_variance, "parameters": parameter_count(model),
            "batch": batch, "threads": threads, "ms_per_step": ms, "sequences_per_s": batch / (ms / 1000),
            "autocast": autocast, "torch": torch.__version__}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--nf", default="64", help="width, or widths with --count-params (e.g. 16,32,64)")
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--upsample", default="subpixel", choices=["transposed", "subpixel", "pixel_shuffle"])
    ap.add_argument("--no-pixel-variance", action="store_true", help="the tvae2d-latent preset: no variance head")
    ap.add_argument("--autocast", default="fp32", choices=["fp32", "bf16", "bf16-per-layer"],
                    help="bf16: forward under torch.autocast('cpu', dtype=torch.bfloat16); bf16-per-layer: each "
                         "convolution and linear layer casts to bf16 and back, as OsteoCast's kernels do")
    ap.add_argument("--count-params", action="store_true", help="print the trainable parameter counts and exit")
    a = ap.parse_args()
    pv = not a.no_pixel_variance
    if a.count_params:
        print("# /usr/bin/python3 bench/train/tvae_bench.py --count-params --nf %s > bench/train/param_counts.txt" % a.nf)
        print("# trainable parameters of the PyTorch peer (torch %s): nf pixel_variance upsample parameters"
              % torch.__version__)
        for nf in [int(x) for x in a.nf.split(",")]:
            print("%d %s %s %d" % (nf, str(pv).lower(), a.upsample,
                                   parameter_count(Tvae(nf=nf, upsample=a.upsample, pixel_variance=pv))))
        return
    best = None
    for t in [int(x) for x in a.threads.split(",")]:
        r = bench(int(a.nf), a.batch, a.steps, a.warmup, t, upsample=a.upsample, pixel_variance=pv, autocast=a.autocast)
        print(json.dumps(r), flush=True)
        if best is None or r["ms_per_step"] < best["ms_per_step"]:
            best = r
    print(json.dumps({"best": best}), flush=True)


if __name__ == "__main__":
    main()
