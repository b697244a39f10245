#!/usr/bin/env python3
"""Benchmark baseline only (not part of the product): OpenAI CLIP's ViT-B/16 image tower written in
plain PyTorch (same modules as openai/CLIP model.py: conv1 without bias, class token, positional
embedding, ln_pre, 12 residual blocks of nn.MultiheadAttention + QuickGELU MLP, ln_post on the class
token, projection), random weights, fp32, a fixed number of threads.

Prints a table, then as its last line {"results": [{"batch": B, "images_per_s": X}, ...]}.
Usage: python3 bench/pytorch_clip_baseline.py [--threads 2] [--batch 1,8,32] [--min-seconds 6]
"""
import argparse
import json
import os
import time

import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class PerHeadAttention(nn.Module):
    """nn.MultiheadAttention's computation (same parameters: in_proj [3D, D] + bias, out_proj) with the
    attention core as one 2-D matrix product per (image, head). Debian's torch 1.13 (BLAS_INFO=generic)
    runs batched bmm through a slow generic path: ~48% of the whole forward pass at batch 1,
    while 2-D products go to OpenBLAS's sgemm. Numerically the same attention (checked below)."""

    def __init__(self, width, heads):
        super().__init__()
        self.mha = nn.MultiheadAttention(width, heads)
        self.heads = heads

    def forward(self, x):  # x: [S, B, D], sequence-first like OpenAI's blocks
        s, b, d = x.shape
        h = self.heads
        hd = d // h
        qkv = torch.nn.functional.linear(x, self.mha.in_proj_weight, self.mha.in_proj_bias)  # [S, B, 3D]
        q, k, v = qkv.split(d, dim=-1)
        q = q * (hd ** -0.5)
        out = torch.empty(s, b, d)
        for i in range(b):
            for j in range(h):
                cols = slice(j * hd, (j + 1) * hd)
                a = torch.softmax(q[:, i, cols] @ k[:, i, cols].t(), dim=-1)
                out[:, i, cols] = a @ v[:, i, cols]
        return self.mha.out_proj(out)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads, per_head=False):
        super().__init__()
        self.per_head = per_head
        self.attn = PerHeadAttention(width, heads) if per_head else nn.MultiheadAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, width * 4), QuickGELU(), nn.Linear(width * 4, width))
        self.ln_2 = nn.LayerNorm(width)

    def forward(self, x):
        h = self.ln_1(x)
        x = x + (self.attn(h) if self.per_head else self.attn(h, h, h, need_weights=False)[0])
        return x + self.mlp(self.ln_2(x))


class VisionTransformer(nn.Module):
    def __init__(self, image_size=224, patch=16, width=768, layers=12, heads=12, output_dim=512, per_head=False):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((image_size // patch) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, per_head) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = self.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x).permute(1, 0, 2)  # OpenAI's blocks run sequence-first
        x = self.blocks(x).permute(1, 0, 2)
        pooled = self.ln_post(x[:, 0, :])
        return pooled, pooled @ self.proj


def check_blas():
    """Older OpenBLAS builds can pick kernels that crash or compute wrong results on some CPUs: compare
    one BLAS product with the same sums done element-wise (no BLAS), and refuse to report figures
    from a broken library."""
    a = torch.randn(197, 768)
    b = torch.randn(768, 512)
    ref = (a[:, :, None] * b[None]).sum(1)
    err = (a @ b - ref).abs().max().item() / ref.abs().max().item()
    if not err < 1e-5:
        raise SystemExit(f"BLAS sanity check failed: relative error {err:.2e} (OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')})")
    return err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", default="1,8,32")
    ap.add_argument("--min-seconds", type=float, default=6.0)
    ap.add_argument("--attention", choices=["mha", "per-head"], default="per-head",
                    help="nn.MultiheadAttention as OpenAI's model.py, or the same math as per-head 2-D products"
                         " (default; avoids Debian torch's slow bmm)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    err = check_blas()
    model = VisionTransformer(per_head=args.attention == "per-head").eval()
    if args.attention == "per-head":
        # Same parameters through nn.MultiheadAttention: the per-head form must give the same features.
        torch.manual_seed(0)
        reference = VisionTransformer().eval()
        reference.load_state_dict({k.replace("attn.mha.", "attn."): v for k, v in model.state_dict().items()})
        with torch.inference_mode():
            probe = torch.randn(2, 3, 224, 224)
            diff = (model(probe)[0] - reference(probe)[0]).abs().max().item()
        if not diff < 1e-3:
            raise SystemExit(f"per-head attention differs from nn.MultiheadAttention by {diff}")
    results = []
    print(f"PyTorch {torch.__version__} ViT-B/16 image tower, {args.threads} threads, "
          f"attention {args.attention}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(auto)')}, "
          f"BLAS check rel. error {err:.1e}")
    print(f"{'batch':>8} {'runs':>8} {'ms/batch':>12} {'images/s':>12}")
    with torch.inference_mode():
        for batch in [int(b) for b in args.batch.split(",")]:
            x = torch.randn(batch, 3, 224, 224)
            pooled, _ = model(x)  # warm-up
            if not torch.isfinite(pooled).all():
                raise SystemExit("PyTorch produced non-finite features: broken BLAS?")
            runs, start = 0, time.perf_counter()
            while True:
                model(x)
                runs += 1
                elapsed = time.perf_counter() - start
                if runs >= 2 and elapsed >= args.min_seconds:
                    break
            ips = batch * runs / elapsed
            results.append({"batch": batch, "images_per_s": round(ips, 3)})
            print(f"{batch:>8} {runs:>8} {1000 * elapsed / runs:>12.1f} {ips:>12.2f}", flush=True)
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
