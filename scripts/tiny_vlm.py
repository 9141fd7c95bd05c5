"""Builds a tiny vision-language model for tests against a real `transformers serve`.

    python scripts/tiny_vlm.py OUT_DIR

An Idefics3 (the SmolVLM architecture) with random weights from a fixed seed: a
two-layer text model of width 64 and a one-layer vision tower that sees 32-px
images (4 image tokens each after the pixel shuffle), so a CPU answers a request
with several frames in a fraction of a second. Its BPE tokenizer is trained
here on a small built-in corpus (printable ASCII encodes, anything else is <unk>), and
the folder holds everything `from_pretrained` and `transformers serve` need:
weights, config, generation config, tokenizer, image processor, processor and
chat template. Nothing comes from a model hub. The answers are gibberish by
design: the tests check the protocol, not the content.
"""

import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: E402
from transformers import (  # noqa: E402
    GenerationConfig,
    Idefics3Config,
    Idefics3ForConditionalGeneration,
    Idefics3ImageProcessorPil,
    Idefics3Processor,
    PreTrainedTokenizerFast,
)

SEED = 0
IMAGE_SIDE = 32  # the vision tower's input side; every frame is resized to it
PATCH = 8
SCALE = 2  # Idefics3's pixel shuffle: (32/8)^2 patches / 2^2 = 4 tokens per image
IMAGE_SEQ_LEN = (IMAGE_SIDE // PATCH) ** 2 // SCALE**2
VOCAB_SIZE = 600

# Tokens the Idefics3 processor looks up (the row/column tags are used only when images are split into tiles).
SPECIAL = ["<pad>", "<s>", "</s>", "<unk>", "<image>", "<fake_token_around_image>", "<global-img>", "<end_of_utterance>"]
SPECIAL += [f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)]

# SmolVLM-style turns: "User:" + images and text, "Assistant:" + text, each closed by <end_of_utterance>.
# Content may be a plain string or a list of parts (the way `transformers serve` hands OpenAI messages over).
CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{{ message['role'] | capitalize }}:"
    "{% if message['content'] is string %} {{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' or part['type'] == 'image_url' %}<image>"
    "{% elif part['type'] == 'text' %} {{ part['text'] }}{% endif %}"
    "{% endfor %}{% endif %}"
    "<end_of_utterance>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}Assistant:{% endif %}"
)

# Training text for the tokenizer: the kind of words the workbench's queries and answers use.
CORPUS = [
    "User: Describe what happens in the video. Assistant: A person picks up a bottle and puts it on the table.",
    "What color is the car that passes first? The car is red, then a blue truck follows it.",
    "How many people are in the scene? There are two people walking to the left.",
    "Which is further left, the cup or the phone? The cup is further left than the phone.",
    "Which is higher, the lamp or the clock? The clock is higher on the wall.",
    "Does the man open the door before or after he sits down? He opens the door first.",
    "The video shows a street at night with cars, a bus, a bicycle and pedestrians crossing.",
    "A woman is cooking in a kitchen; she cuts vegetables, stirs a pot and tastes the soup.",
    "Is the dog running towards the camera? No, the dog is running away from the camera.",
    "In the first frames the box is closed; at the end of the clip it is open and empty.",
    "Count the bottles on the shelf: one, two, three, four, five, six, seven, eight, nine, ten.",
    "The answer is yes. The answer is no. I cannot tell from these frames.",
    "frame 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 seconds minutes left right top bottom",
]


def build_tokenizer():
    # Metaspace BPE over printable ASCII, no byte fallback: every token decodes to readable text (a random model's
    # answers are words and word pieces, never broken UTF-8 or control characters); other characters encode as <unk>.
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE, special_tokens=SPECIAL, initial_alphabet=[chr(c) for c in range(33, 127)],
        min_frequency=1, show_progress=False,
    )
    tok.train_from_iterator(CORPUS, trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<pad>", bos_token="<s>", eos_token="<end_of_utterance>", unk_token="<unk>",
        additional_special_tokens=SPECIAL[4:], model_max_length=4096,
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def build(out_dir):
    torch.manual_seed(SEED)
    tokenizer = build_tokenizer()
    image_processor = Idefics3ImageProcessorPil(  # the default backend needs torchvision
        do_image_splitting=False, size={"longest_edge": IMAGE_SIDE}, max_image_size={"longest_edge": IMAGE_SIDE},
    )
    processor = Idefics3Processor(image_processor, tokenizer, image_seq_len=IMAGE_SEQ_LEN, chat_template=CHAT_TEMPLATE)
    eou = tokenizer.convert_tokens_to_ids("<end_of_utterance>")
    config = Idefics3Config(
        vision_config={"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": 2,
                       "image_size": IMAGE_SIDE, "patch_size": PATCH},
        text_config={"model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                     "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": len(tokenizer),
                     "max_position_embeddings": 4096, "pad_token_id": tokenizer.pad_token_id,
                     "bos_token_id": tokenizer.bos_token_id, "eos_token_id": eou},
        scale_factor=SCALE,
        image_token_id=tokenizer.convert_tokens_to_ids("<image>"),
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=eou,
        tie_word_embeddings=False,
    )
    model = Idefics3ForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id, eos_token_id=eou, pad_token_id=tokenizer.pad_token_id,
        # Sampling on by default, as chat models ship: a request's temperature 0 makes it greedy, its seed repeatable.
        # No max_new_tokens: `transformers serve` raises any default under 1024 to 1024, so clients send max_tokens.
        do_sample=True, temperature=1.0, top_p=1.0, top_k=0,
    )
    model.save_pretrained(out_dir)
    processor.save_pretrained(out_dir)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/tiny_vlm.py OUT_DIR")
    build(sys.argv[1])
