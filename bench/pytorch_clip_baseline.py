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
import time

import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, width * 4), QuickGELU(), nn.Linear(width * 4, width))
        self.ln_2 = nn.LayerNorm(width)

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class VisionTransformer(nn.Module):
    def __init__(self, image_size=224, patch=16, width=768, layers=12, heads=12, output_dim=512):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((image_size // patch) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", default="1,8,32")
    ap.add_argument("--min-seconds", type=float, default=6.0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = VisionTransformer().eval()
    results = []
    print(f"PyTorch {torch.__version__} ViT-B/16 image tower, {args.threads} threads")
    print(f"{'batch':>8} {'runs':>8} {'ms/batch':>12} {'images/s':>12}")
    with torch.no_grad():
        for batch in [int(b) for b in args.batch.split(",")]:
            x = torch.randn(batch, 3, 224, 224)
            model(x)  # warm-up
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
