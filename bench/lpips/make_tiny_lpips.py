#!/usr/bin/python3
"""Exports a small, randomly initialised network with the exact structure of the
reference `lpips` package's LPIPS(net='alex', version='0.1') to TorchScript, and
prints its distances on deterministic inputs. The Java test (LpipsTest) loads the
file through DJL and must reproduce the distances.

Structure, as in lpips/lpips.py and lpips/pretrained_networks.py:
  ScalingLayer (shift [-.030,-.088,-.188], scale [.458,.448,.450])
  -> AlexNet feature slices (conv11/4 + relu | maxpool, conv5 + relu | maxpool, conv3 + relu |
     conv3 + relu | conv3 + relu), here with narrow channels
  -> per layer: unit-normalise over channels (eps 1e-10), squared difference,
     1x1 conv to one channel without bias (NetLinLayer), spatial mean
  -> sum over layers.

Run with Debian's torch:  /usr/bin/python3 bench/lpips/make_tiny_lpips.py core/src/test/resources/lpips/tiny_lpips_alex.pt
"""
import math
import sys

import torch
import torch.nn as nn

torch.manual_seed(20261127)
CH = [8, 12, 16, 12, 12]   # AlexNet has [64, 192, 384, 256, 256]


class ScalingLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer('shift', torch.Tensor([-.030, -.088, -.188])[None, :, None, None])
        self.register_buffer('scale', torch.Tensor([.458, .448, .450])[None, :, None, None])

    def forward(self, inp):
        return (inp - self.shift) / self.scale


class Alex(nn.Module):
    def __init__(self):
        super().__init__()
        self.slice1 = nn.Sequential(nn.Conv2d(3, CH[0], 11, 4, 2), nn.ReLU(inplace=False))
        self.slice2 = nn.Sequential(nn.MaxPool2d(3, 2), nn.Conv2d(CH[0], CH[1], 5, padding=2), nn.ReLU(inplace=False))
        self.slice3 = nn.Sequential(nn.MaxPool2d(3, 2), nn.Conv2d(CH[1], CH[2], 3, padding=1), nn.ReLU(inplace=False))
        self.slice4 = nn.Sequential(nn.Conv2d(CH[2], CH[3], 3, padding=1), nn.ReLU(inplace=False))
        self.slice5 = nn.Sequential(nn.Conv2d(CH[3], CH[4], 3, padding=1), nn.ReLU(inplace=False))

    def forward(self, x):
        h1 = self.slice1(x)
        h2 = self.slice2(h1)
        h3 = self.slice3(h2)
        h4 = self.slice4(h3)
        h5 = self.slice5(h4)
        return [h1, h2, h3, h4, h5]


def normalize_tensor(x, eps=1e-10):
    norm_factor = torch.sqrt(torch.sum(x ** 2, dim=1, keepdim=True))
    return x / (norm_factor + eps)


class LPIPS(nn.Module):
    def __init__(self):
        super().__init__()
        self.scaling_layer = ScalingLayer()
        self.net = Alex()
        self.lins = nn.ModuleList([nn.Conv2d(c, 1, 1, stride=1, padding=0, bias=False) for c in CH])
        for lin in self.lins:   # LPIPS's learned weights are non-negative
            lin.weight.data = lin.weight.data.abs()

    def forward(self, in0, in1):
        outs0 = self.net(self.scaling_layer(in0))
        outs1 = self.net(self.scaling_layer(in1))
        val = None
        for kk in range(len(CH)):
            diff = (normalize_tensor(outs0[kk]) - normalize_tensor(outs1[kk])) ** 2
            r = self.lins[kk](diff).mean([2, 3], keepdim=True)
            val = r if val is None else val + r
        return val


def pair(n, w=64, h=64):
    """The inputs LpipsTest builds: grey values in [0, 1], then 2x - 1 and three channels."""
    a = torch.zeros(n, 3, h, w)
    b = torch.zeros(n, 3, h, w)
    for k in range(n):
        for y in range(h):
            for x in range(w):
                va = 0.5 + 0.4 * math.sin(0.3 * x * (k + 1) + 0.2 * y)
                vb = 0.5 + 0.4 * math.sin(0.3 * x * (k + 1) + 0.2 * y + 0.5 * k)
                a[k, :, y, x] = 2 * va - 1
                b[k, :, y, x] = 2 * vb - 1
    return a, b


if __name__ == '__main__':
    model = LPIPS().eval()
    a, b = pair(3)
    with torch.no_grad():
        traced = torch.jit.trace(model, (a, b))
        d = traced(a, b).flatten().tolist()
    traced.save(sys.argv[1])
    print('torch', torch.__version__)
    print('distances', ' '.join('%.8f' % v for v in d))
