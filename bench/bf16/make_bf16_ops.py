#!/usr/bin/python3
"""Writes the TorchScript module of OsteoCast's bfloat16 kernels (Bf16Kernels in nn.engine).

DJL 0.36's PyTorch engine cannot hold a bf16 tensor, so each function takes fp32 tensors,
casts them to bfloat16 inside libtorch, computes there and returns fp32. The module has no
weights of its own: the model's fp32 parameters (master weights) are passed in as arguments,
and autograd records the casts, so gradients come back in fp32.

Stride and padding travel as one int64 tensor [stride_h, stride_w, pad_h, pad_w] (DJL passes
tensors only when a scripted method runs in training mode).

Run with Debian's torch:
  /usr/bin/python3 bench/bf16/make_bf16_ops.py core/src/main/resources/org/osteocast/nn/engine/bf16_ops.pt
"""
import sys
from typing import List

import torch


class Bf16Ops(torch.nn.Module):

    @torch.jit.export
    def conv2d(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, sp: torch.Tensor) -> torch.Tensor:
        s: List[int] = [int(sp[0]), int(sp[1])]
        p: List[int] = [int(sp[2]), int(sp[3])]
        return torch.conv2d(x.to(torch.bfloat16), w.to(torch.bfloat16), b.to(torch.bfloat16), s, p).float()

    @torch.jit.export
    def conv2d_nobias(self, x: torch.Tensor, w: torch.Tensor, sp: torch.Tensor) -> torch.Tensor:
        s: List[int] = [int(sp[0]), int(sp[1])]
        p: List[int] = [int(sp[2]), int(sp[3])]
        return torch.conv2d(x.to(torch.bfloat16), w.to(torch.bfloat16), None, s, p).float()

    @torch.jit.export
    def conv_transpose2d(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, sp: torch.Tensor) -> torch.Tensor:
        s: List[int] = [int(sp[0]), int(sp[1])]
        p: List[int] = [int(sp[2]), int(sp[3])]
        return torch.conv_transpose2d(x.to(torch.bfloat16), w.to(torch.bfloat16), b.to(torch.bfloat16), s, p).float()

    @torch.jit.export
    def linear(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.linear(x.to(torch.bfloat16), w.to(torch.bfloat16), b.to(torch.bfloat16)).float()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_bf16_ops.py OUT.pt")
    m = torch.jit.script(Bf16Ops())
    m.save(sys.argv[1])
    # a check on a fixed input: bf16 against fp32
    torch.manual_seed(1)
    x, w, b = torch.randn(2, 8, 16, 16), torch.randn(16, 8, 4, 4) * 0.1, torch.randn(16) * 0.1
    sp = torch.tensor([2, 2, 1, 1])
    y = m.conv2d(x, w, b, sp)
    ref = torch.conv2d(x, w, b, 2, 1)
    print("torch", torch.__version__, "conv2d max |bf16 - fp32|", float((y - ref).abs().max()), "max |y|",
          float(ref.abs().max()))


if __name__ == "__main__":
    main()
