#!/usr/bin/env python3
"""Opens a Soft run's saved models outside Soft and compares them with Soft's own outputs.

Soft writes its models as Hugging Face folders (config.json, model.safetensors, tokenizer files with the item tokens
as added tokens) and its LoRA stages as PEFT adapters (adapter_config.json with trainable_token_indices for the item
rows, adapter_model.safetensors). This script reads the reference outputs that

    dotnet run -c Release --project benchmarks/Soft.Benchmarks -- hf-reference --run RUN --out REF.json

wrote (for each served method: the model folder, the adapter folder, a few prompts with Soft's token ids, and the
log-probabilities of every vocabulary id after each prompt), opens each model and adapter independently and checks
that it gives the same log-probabilities.

Backends (--backend, default auto: transformers where it imports, else torch):
  transformers  AutoModelForCausalLM + AutoTokenizer + peft.PeftModel, as a user of those libraries would open the
                folders; also checks that the tokenizer encodes each prompt to Soft's ids.
  torch         PyTorch alone: reads safetensors, config.json, the tokenizer's added tokens and the PEFT files by
                their published formats and runs the LLaMA forward pass written here (HF's LlamaForCausalLM
                semantics; LoRA W + (alpha / r) B A, PEFT's trainable tokens replacing rows, tied head re-tied).
                It cannot check the text tokenizer (only the item tokens' ids).
Exit status 0 when every method matches within --tolerance (nats, default 5e-4), 1 otherwise.
"""
import argparse
import json
import math
import os
import re
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        dtype = DTYPES[entry["dtype"]]
        raw = bytearray(data[start:end])
        tensors[name] = torch.frombuffer(raw, dtype=dtype).reshape(entry["shape"]).clone() if raw else torch.zeros(entry["shape"], dtype=dtype)
    return tensors


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class TorchLlama:
    """LlamaForCausalLM's forward pass in float32, from a folder's config.json and model.safetensors."""

    def __init__(self, folder):
        self.config = json.load(open(os.path.join(folder, "config.json")))
        if self.config.get("model_type") != "llama":
            raise SystemExit(f"{folder}: the torch backend reads LLaMA folders only, not {self.config.get('model_type')}")
        if self.config.get("rope_scaling"):
            raise SystemExit(f"{folder}: the torch backend does not implement rope_scaling")
        self.w = read_safetensors(os.path.join(folder, "model.safetensors"))
        self.tied = self.config.get("tie_word_embeddings", False) or "lm_head.weight" not in self.w
        vocab = self.config["vocab_size"]
        rows = self.w["model.embed_tokens.weight"].shape[0]
        if rows != vocab:
            raise SystemExit(f"{folder}: config.json says vocab_size {vocab}, model.embed_tokens.weight has {rows} rows")

    def apply_adapter(self, folder):
        config = json.load(open(os.path.join(folder, "adapter_config.json")))
        if config.get("peft_type") != "LORA" or config.get("use_dora") or config.get("lora_bias"):
            raise SystemExit(f"{folder}: the torch backend applies plain LoRA adapters only")
        weights = read_safetensors(os.path.join(folder, "adapter_model.safetensors"))
        r, alpha = config["r"], config["lora_alpha"]
        scale = alpha / math.sqrt(r) if config.get("use_rslora") else alpha / r
        prefix = "base_model.model."
        applied = 0
        for name, a in weights.items():
            if not name.endswith(".lora_A.weight"):
                continue
            module = name[len(prefix):-len(".lora_A.weight")]
            b = weights[name.replace(".lora_A.", ".lora_B.")]
            rank = config.get("rank_pattern", {}).get(module.split(".")[-1], r)
            module_scale = scale if rank == r else (alpha / math.sqrt(rank) if config.get("use_rslora") else alpha / rank)
            self.w[module + ".weight"] = self.w[module + ".weight"] + module_scale * (b @ a)
            applied += 1
        for module, indices in (config.get("trainable_token_indices") or {}).items():
            key = next(k for k in weights if k.endswith(f"{module}.token_adapter.trainable_tokens_delta"))
            target = key[len(prefix):-len(".token_adapter.trainable_tokens_delta")] + ".weight"
            rows = weights[key]
            if rows.shape[0] != len(indices):
                raise SystemExit(f"{folder}: {key} has {rows.shape[0]} rows for {len(indices)} trainable_token_indices")
            self.w[target] = self.w[target].index_copy(0, torch.tensor(indices), rows)
            applied += 1
        # PEFT re-ties a tied head to the embedding's trainable tokens; an untied head's rows come as their own key.
        return applied

    def log_probabilities(self, ids):
        c, w = self.config, self.w
        heads, kv_heads = c["num_attention_heads"], c.get("num_key_value_heads", c["num_attention_heads"])
        head_dim = c.get("head_dim") or c["hidden_size"] // heads
        eps = c.get("rms_norm_eps", 1e-6)
        theta = c.get("rope_theta", 10000.0)
        t = len(ids)
        h = w["model.embed_tokens.weight"][torch.tensor(ids)]
        inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
        freqs = torch.arange(t).float()[:, None] * inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[:, None, :], emb.sin()[:, None, :]
        mask = torch.full((t, t), float("-inf")).triu(1)
        for i in range(c["num_hidden_layers"]):
            p = f"model.layers.{i}."

            def linear(x, name):
                y = x @ w[p + name + ".weight"].T
                return y + w[p + name + ".bias"] if p + name + ".bias" in w else y

            x = rms_norm(h, w[p + "input_layernorm.weight"], eps)
            q = linear(x, "self_attn.q_proj").view(t, heads, head_dim)
            k = linear(x, "self_attn.k_proj").view(t, kv_heads, head_dim)
            v = linear(x, "self_attn.v_proj").view(t, kv_heads, head_dim)
            q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
            k = k.repeat_interleave(heads // kv_heads, dim=1)
            v = v.repeat_interleave(heads // kv_heads, dim=1)
            scores = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(head_dim) + mask
            attention = torch.einsum("hqk,khd->qhd", scores.softmax(-1), v).reshape(t, heads * head_dim)
            h = h + linear(attention, "self_attn.o_proj")
            x = rms_norm(h, w[p + "post_attention_layernorm.weight"], eps)
            h = h + linear(torch.nn.functional.silu(linear(x, "mlp.gate_proj")) * linear(x, "mlp.up_proj"), "mlp.down_proj")
        h = rms_norm(h, w["model.norm.weight"], eps)
        head = w["model.embed_tokens.weight"] if self.tied else w["lm_head.weight"]
        return (h[-1] @ head.T).log_softmax(-1)


def added_tokens(folder):
    """The folder's added tokens, content -> id, from every file that can hold them (they must agree)."""
    found = {}

    def add(content, token_id, source):
        if found.setdefault(content, token_id) != token_id:
            raise SystemExit(f"{folder}: {source} gives '{content}' the id {token_id}, another file {found[content]}")

    path = os.path.join(folder, "added_tokens.json")
    if os.path.exists(path):
        for content, token_id in json.load(open(path)).items():
            add(content, token_id, "added_tokens.json")
    path = os.path.join(folder, "tokenizer_config.json")
    if os.path.exists(path):
        for token_id, entry in (json.load(open(path)).get("added_tokens_decoder") or {}).items():
            add(entry["content"], int(token_id), "tokenizer_config.json")
    path = os.path.join(folder, "tokenizer.json")
    if os.path.exists(path):
        for entry in json.load(open(path)).get("added_tokens") or []:
            add(entry["content"], entry["id"], "tokenizer.json")
    return found


def check_item_tokens_torch(folder, reference, prompt):
    tokens = added_tokens(folder)
    for item in reference["items"] or []:
        if tokens.get(item["token"]) != item["id"]:
            raise SystemExit(f"{folder}: item token {item['token']} has id {tokens.get(item['token'])} in the tokenizer files, {item['id']} in Soft")
    pattern = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    in_text = [tokens[m] for m in re.findall(pattern, prompt["text"])] if pattern else []
    in_ids = [i for i in prompt["ids"] if i in set(tokens.values())]
    if in_text != in_ids:
        raise SystemExit(f"{folder}: the prompt's added tokens {in_text} are not the ids Soft encoded {in_ids}")


def run_torch(reference, tolerance):
    results = []
    for method in reference["methods"]:
        model = TorchLlama(method["model"])
        # The control: the base model alone must differ from Soft's numbers, or the adapter check proves nothing.
        control = TorchLlama(method["model"]) if method["adapter"] else None
        if method["adapter"]:
            model.apply_adapter(method["adapter"])
        worst, control_gap = 0.0, float("inf")
        for prompt in method["prompts"]:
            check_item_tokens_torch(method["model"], reference, prompt)
            ours = torch.tensor(prompt["logProbabilities"])
            theirs = model.log_probabilities(prompt["ids"])
            worst = max(worst, (ours - theirs).abs().max().item())
            if control is not None:
                control_gap = min(control_gap, (ours - control.log_probabilities(prompt["ids"])).abs().max().item())
        if control is not None:
            print(f"  {method['method']}: without its adapter the base model differs by {control_gap:.2f} nats at least (per prompt, max over ids)")
            if control_gap <= 10 * tolerance:
                print(f"  {method['method']}: the adapter barely changes the model, so this check cannot tell whether it was applied")
                worst = float("inf")
        results.append((method["method"], worst))
    return results


def run_transformers(reference):
    from transformers import AutoModelForCausalLM, AutoTokenizer
    results = []
    for method in reference["methods"]:
        tokenizer = AutoTokenizer.from_pretrained(method["model"])
        model = AutoModelForCausalLM.from_pretrained(method["model"], torch_dtype=torch.float32)
        if method["adapter"]:
            from peft import PeftModel
            model = PeftModel.from_pretrained(model, method["adapter"])
        model.eval()
        for item in reference["items"] or []:
            if tokenizer.convert_tokens_to_ids(item["token"]) != item["id"]:
                raise SystemExit(f"{method['model']}: transformers gives {item['token']} the id {tokenizer.convert_tokens_to_ids(item['token'])}, Soft {item['id']}")
        worst = 0.0
        for prompt in method["prompts"]:
            encoded = tokenizer(prompt["text"]).input_ids
            if encoded != prompt["ids"]:
                print(f"  {method['method']}: transformers encodes the prompt to {len(encoded)} ids, Soft to {len(prompt['ids'])}; first difference at {next((i for i, (a, b) in enumerate(zip(encoded, prompt['ids'])) if a != b), min(len(encoded), len(prompt['ids'])))}")
                worst = float("inf")
            with torch.no_grad():
                theirs = model(torch.tensor([prompt["ids"]])).logits[0, -1].float().log_softmax(-1)
            ours = torch.tensor(prompt["logProbabilities"])
            worst = max(worst, (ours - theirs).abs().max().item())
        results.append((method["method"], worst))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reference", help="the JSON that benchmarks hf-reference wrote")
    parser.add_argument("--backend", choices=["auto", "transformers", "torch"], default="auto")
    # float32 logits summed in another order: Soft and PyTorch differ by ~1e-4 nats at log-probabilities near -24.
    parser.add_argument("--tolerance", type=float, default=5e-4)
    args = parser.parse_args()
    reference = json.load(open(args.reference))
    backend = args.backend
    if backend == "auto":
        try:
            import transformers  # noqa: F401
            backend = "transformers"
        except ImportError:
            backend = "torch"
    print(f"backend: {backend} (torch {torch.__version__}); run: {reference['run']}")
    results = run_transformers(reference) if backend == "transformers" else run_torch(reference, args.tolerance)
    failed = 0
    for name, worst in results:
        ok = worst <= args.tolerance
        failed += not ok
        print(f"  {name}: max |log p(Soft) - log p({backend})| = {worst:.2e} over {len(reference['methods'][0]['prompts'])} prompts x every id: {'ok' if ok else 'MISMATCH'}")
    print(f"{len(results) - failed} matched, {failed} did not")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
