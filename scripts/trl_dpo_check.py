"""Trains TRL's DPOTrainer (LoRA, CPU) for two steps on exported preference sets.

    python scripts/trl_dpo_check.py WORK_DIR DATASET [DATASET ...]

Each DATASET is a records file as our exporters write it, or a folder holding
`pairs.jsonl`. The set is read exactly as a user of TRL reads it:
`datasets.load_dataset("json", data_files=NAME)` with the records' folder as
the working directory, so image
paths resolve the way they will on a trainer's machine. The model is a tiny
Idefics3 (the SmolVLM architecture) built from a config with random weights and
a tokenizer trained here: nothing comes from a hub. Prints one JSON object per
dataset on stdout (a line starting with RESULT), and exits non-zero when a check fails.
"""

import json
import math
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
from datasets import load_dataset  # noqa: E402
from peft import LoraConfig  # noqa: E402
from PIL import Image  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers, trainers  # noqa: E402
from transformers import (  # noqa: E402
    Idefics3Config,
    Idefics3ForConditionalGeneration,
    Idefics3ImageProcessor,
    Idefics3Processor,
    PreTrainedTokenizerFast,
)
from trl import DPOConfig, DPOTrainer  # noqa: E402

# Image side the tiny vision tower sees: 32 px in 8-px patches, 2x2 pixel shuffle -> 4 tokens per image.
IMAGE_SIDE = 32
PATCH = 8
SCALE = 2
IMAGE_SEQ_LEN = (IMAGE_SIDE // PATCH) ** 2 // SCALE**2
MAX_LENGTH = 1024  # TRL's default

# The tokens Idefics3's processor and chat template need.
SPECIAL = ["<pad>", "<s>", "</s>", "<unk>", "<image>", "<fake_token_around_image>", "<global-img>", "<end_of_utterance>"]

# A minimal Idefics3-style template: "User:" + images and text, "Assistant:" + text, each turn closed.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ message['role'] | capitalize }}:"
    "{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<image>{% else %} {{ part['text'] }}{% endif %}"
    "{% endfor %}<end_of_utterance>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}Assistant:{% endif %}"
)


def texts_of(rows):
    for row in rows:
        for field in ("prompt", "chosen", "rejected"):
            for message in row[field]:
                for part in message["content"]:
                    if part.get("type") == "text":
                        yield part["text"]


def build_model(work_dir, corpus):
    """A random-weight Idefics3 and its processor, saved to and loaded from work_dir."""
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    base = ["User", "Assistant", ":", "\n"] + list("abcdefghijklmnopqrstuvwxyz.,?!'")
    tok.train_from_iterator(list(corpus) + base, trainers.WordLevelTrainer(special_tokens=SPECIAL, min_frequency=1))
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<pad>", bos_token="<s>", eos_token="</s>", unk_token="<unk>",
        additional_special_tokens=SPECIAL[4:],
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    image_processor = Idefics3ImageProcessor(
        do_image_splitting=False, size={"longest_edge": IMAGE_SIDE}, max_image_size={"longest_edge": IMAGE_SIDE},
    )
    processor = Idefics3Processor(image_processor, tokenizer, image_seq_len=IMAGE_SEQ_LEN, chat_template=CHAT_TEMPLATE)
    config = Idefics3Config(
        vision_config={"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": 2,
                       "image_size": IMAGE_SIDE, "patch_size": PATCH},
        text_config={"model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                     "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": len(tokenizer),
                     "max_position_embeddings": 4096, "pad_token_id": tokenizer.pad_token_id},
        scale_factor=SCALE,
        image_token_id=tokenizer.convert_tokens_to_ids("<image>"),
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    model = Idefics3ForConditionalGeneration(config)
    path = os.path.join(work_dir, "tiny-idefics3")
    model.save_pretrained(path)
    processor.save_pretrained(path)
    return Idefics3ForConditionalGeneration.from_pretrained(path), Idefics3Processor.from_pretrained(path)


def check_records(rows, processor, max_length):
    """Every image path resolves from the working directory to a JPEG, one placeholder each, and every image
    token of the processed prompt fits in max_length (Idefics3 would truncate them without an error)."""
    problems = []
    image_token = processor.tokenizer.convert_tokens_to_ids("<image>")
    for i, row in enumerate(rows):
        placeholders = sum(1 for m in row["prompt"] for p in m["content"] if p.get("type") == "image")
        if placeholders != len(row["images"]):
            problems.append(f"record {i}: {placeholders} image entries for {len(row['images'])} images")
        pictures = []
        for p in row["images"]:
            if not os.path.isfile(p):
                problems.append(f"record {i}: image {p} does not resolve from {os.getcwd()}")
                continue
            with Image.open(p) as im:
                if im.format != "JPEG":
                    problems.append(f"record {i}: {p} is {im.format}, not JPEG")
                pictures.append(im.convert("RGB"))
        if len(pictures) != len(row["images"]):
            continue
        text = processor.apply_chat_template(row["prompt"], add_generation_prompt=True)
        ids = processor(images=[pictures], text=[text], return_tensors="pt")["input_ids"][0]
        if int((ids == image_token).sum()) != len(pictures) * IMAGE_SEQ_LEN:
            problems.append(f"record {i}: {int((ids == image_token).sum())} image tokens for {len(pictures)} images")
        if len(ids) > max_length:
            problems.append(f"record {i}: the prompt alone is {len(ids)} tokens, over max_length {max_length}")
    return problems


def records_file(dataset):
    """(folder, file name) of a DATASET argument."""
    return (dataset, "pairs.jsonl") if os.path.isdir(dataset) else os.path.split(dataset)


def train(dataset_path, work_dir, model, processor):
    dataset_dir, name = records_file(dataset_path)
    os.chdir(dataset_dir)
    dataset = load_dataset("json", data_files=name, split="train")
    rows = list(dataset)
    problems = check_records(rows, processor, MAX_LENGTH)
    images = sum(len(r["images"]) for r in rows)
    args = DPOConfig(
        output_dir=os.path.join(work_dir, "out-" + os.path.basename(dataset_dir) + "-" + name),
        per_device_train_batch_size=2, max_steps=2, learning_rate=5e-3, logging_steps=1, use_cpu=True,
        report_to=[], save_strategy="no", max_length=MAX_LENGTH, dataloader_num_workers=0, seed=0,
    )
    lora = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")
    trainer = DPOTrainer(model=model, args=args, train_dataset=dataset, processing_class=processor, peft_config=lora)
    trainer.train()
    logs = [h for h in trainer.state.log_history if "loss" in h]
    first = logs[0]
    if abs(first["loss"] - math.log(2)) > 1e-3:
        problems.append(f"step 0 loss {first['loss']} is not ln 2 (policy and reference should agree before any update)")
    return {
        "dataset": dataset_path, "records": len(rows), "images": images, "steps": trainer.state.global_step,
        "losses": [h["loss"] for h in logs], "rewards_chosen_0": first.get("rewards/chosen"),
        "columns": dataset.column_names, "problems": problems,
    }


def main():
    work_dir, dataset_dirs = os.path.abspath(sys.argv[1]), [os.path.abspath(d) for d in sys.argv[2:]]
    corpus = []
    for d in dataset_dirs:
        with open(os.path.join(*records_file(d)), encoding="utf8") as f:
            corpus += [t for t in texts_of(json.loads(line) for line in f if line.strip())]
    failed = False
    for d in dataset_dirs:
        model, processor = build_model(work_dir, corpus)  # a fresh model per set, so each starts at ln 2
        result = train(d, work_dir, model, processor)
        failed = failed or bool(result["problems"])
        print("RESULT " + json.dumps(result), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
