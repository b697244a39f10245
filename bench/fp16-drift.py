#!/usr/bin/env python3
"""How far does an fp16 GPU forward move CLIP's zero-shot probabilities from fp32?

`runa selfcheck` compares runa's fp32 CPU result with probabilities that OpenAI's CLIP README
printed, which may come from a GPU run in fp16 (clip.load keeps the model in fp16 on CUDA). This
script measures that drift on random-weight CLIP models of the tiny, ViT-B/32 and ViT-B/16 shapes
with Hugging Face's CLIPModel on a CUDA GPU, and writes docs/selfcheck-fp16-drift.json, from which
runa's tolerances are derived (see runa-core dev.runa.selfcheck.Tolerance and README "Verify on
real weights"). Not used at run time.

What is compared, per model shape and attention implementation (eager = explicit matmul/softmax
as nn.MultiheadAttention did; sdpa = fused kernels):
  - weights: HF's random initialisation (LayerNorm gains/biases perturbed so none is an identity),
    rounded to fp16 once; both runs use these same fp16-representable weights, as OpenAI's released
    checkpoints are fp16 and the Hugging Face conversions hold exactly those values in fp32.
  - fp32 reference: the model in fp32 on the GPU with TF32 off (as a CPU computes it).
  - fp16: model.half(), pixels cast to fp16 (OpenAI: image.type(self.dtype)); embeddings,
    normalisation, logits (scale * cosine) and softmax all in fp16, as OpenAI's README code runs
    on CUDA; "fp16 encoders" additionally reports the encoders' part alone (head in fp32).
  - logit scale 100 (= exp of the trained checkpoint's logit_scale); 8 synthetic images; prompt
    sets of 3 and 100 random token sequences of 2-12 tokens between start and end tokens.
Reported: max |delta logit| (fp16 - fp32, scale 100), max |ln(p16/p32)| over probabilities, and
max |delta p|.

Run: python3 bench/fp16-drift.py OUT.json   (needs torch with CUDA and transformers)
"""
import json
import math
import sys

import torch
from transformers import CLIPConfig, CLIPModel

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False

SHAPES = {
    "tiny": dict(v=(64, 256, 4, 2, 32, 8), t=(32, 128, 4, 2), proj=24),
    "vit-b-32": dict(v=(768, 3072, 12, 12, 224, 32), t=(512, 2048, 8, 12), proj=512),
    "vit-b-16": dict(v=(768, 3072, 12, 12, 224, 16), t=(512, 2048, 8, 12), proj=512),
}
MEAN = torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(3, 1, 1)
STD = torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(3, 1, 1)


def config(shape, attn):
    vw, vi, vh, vl, size, patch = shape["v"]
    tw, ti, th, tl = shape["t"]
    cfg = CLIPConfig(
        text_config=dict(hidden_size=tw, intermediate_size=ti, num_attention_heads=th, num_hidden_layers=tl,
                         max_position_embeddings=77, vocab_size=49408, hidden_act="quick_gelu",
                         bos_token_id=49406, eos_token_id=49407, pad_token_id=1),
        vision_config=dict(hidden_size=vw, intermediate_size=vi, num_attention_heads=vh, num_hidden_layers=vl,
                           image_size=size, patch_size=patch, hidden_act="quick_gelu"),
        projection_dim=shape["proj"], logit_scale_init_value=math.log(100.0))
    return cfg


def new_model(shape, attn):
    try:
        return CLIPModel._from_config(config(shape, attn), attn_implementation=attn)
    except TypeError:
        cfg = config(shape, attn)
        cfg._attn_implementation = attn
        return CLIPModel(cfg)


def images(n, size, gen):
    out = []
    for i in range(n):
        # smooth colour fields plus noise: a spread of pixel statistics like photos and diagrams
        yy, xx = torch.meshgrid(torch.linspace(0, 1, size), torch.linspace(0, 1, size), indexing="ij")
        base = torch.stack([
            0.5 + 0.5 * torch.sin(6.28 * (xx * (i + 1) + yy * 0.5)),
            0.5 + 0.5 * torch.cos(6.28 * (yy * (i % 3 + 1))),
            (xx + yy) / 2])
        img = (base * 0.8 + 0.2 * torch.rand(3, size, size, generator=gen)).clamp(0, 1)
        if i % 4 == 3:
            img = (img > 0.5).float()  # a high-contrast, diagram-like picture
        out.append((img - MEAN) / STD)
    return torch.stack(out)


def texts(n, gen):
    ids = torch.zeros(n, 77, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(2, 13, (1,), generator=gen))
        ids[i, 0] = 49406
        ids[i, 1:k + 1] = torch.randint(1, 49406, (k,), generator=gen)
        ids[i, k + 1] = 49407
    return ids


def embed(model, pixels, ids):
    img = model.visual_projection(model.vision_model(pixel_values=pixels).pooler_output)
    txt = model.text_projection(model.text_model(input_ids=ids).pooler_output)
    return img, txt


def head(img, txt, scale):
    img = img / img.norm(dim=-1, keepdim=True)
    txt = txt / txt.norm(dim=-1, keepdim=True)
    logits = scale * img @ txt.t()
    return logits, logits.softmax(dim=-1)


def measure(name, attn, seed=0):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    shape = SHAPES[name]
    model = new_model(shape, attn).eval()
    with torch.no_grad():
        for n, p in model.named_parameters():
            if ("layer_norm" in n or "layrnorm" in n) and n.endswith("weight"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=gen))
            elif ("layer_norm" in n or "layrnorm" in n) and n.endswith("bias"):
                p.copy_(0.02 * torch.randn(p.shape, generator=gen))
        model = model.half().float().cuda()  # fp16-representable weights, as the released checkpoints
    size = shape["v"][4]
    pixels = images(8, size, gen).cuda()
    result = {"model": name, "attention": attn, "used": str(getattr(model.config, "_attn_implementation", "?"))}
    with torch.no_grad():
        m16 = new_model(shape, attn).eval().cuda()
        m16.load_state_dict(model.state_dict())
        m16 = m16.half()
        for prompts in (3, 100):
            ids = texts(prompts, gen).cuda()
            i32, t32 = embed(model, pixels, ids)
            l32, p32 = head(i32.double(), t32.double(), 100.0)
            i16, t16 = embed(m16, pixels.half(), ids)
            l16, p16 = head(i16, t16, torch.tensor(100.0, dtype=torch.float16, device="cuda"))
            l16e, p16e = head(i16.double(), t16.double(), 100.0)
            rel = lambda a, b: float(((a.double() - b.double()).norm(dim=-1) / b.double().norm(dim=-1)).max())
            keep = p32 > 1e-4
            result[f"prompts_{prompts}"] = {
                "image_embedding_max_rel_err": rel(i16, i32),
                "text_embedding_max_rel_err": rel(t16, t32),
                "fp16_max_abs_dlogit": float((l16.double() - l32).abs().max()),
                "fp16_encoders_max_abs_dlogit": float((l16e - l32).abs().max()),
                "fp16_max_abs_ln_p_ratio": float((p16.double()[keep] / p32[keep]).log().abs().max()),
                "fp16_max_abs_dp": float((p16.double() - p32).abs().max()),
                "fp32_logit_range": [float(l32.min()), float(l32.max())],
                "fp32_max_p": float(p32.max()),
            }
    return result


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "fp16-drift.json"
    results = []
    for name in SHAPES:
        for attn in ("eager", "sdpa"):
            try:
                r = measure(name, attn)
            except Exception as e:  # an attention implementation this transformers lacks
                r = {"model": name, "attention": attn, "error": repr(e)}
            print(json.dumps(r), flush=True)
            results.append(r)
    doc = {
        "what": __doc__.strip().splitlines()[0],
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0),
        "results": results,
    }
    import transformers
    doc["transformers"] = transformers.__version__
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
