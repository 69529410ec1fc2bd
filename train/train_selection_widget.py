#!/usr/bin/python3
"""Train the selection widget classifier and export it as ONNX for OpenCV's DNN module.

Reads the patches uiwitness-widget-patches cut (patches.u8 + patches.tsv), holds out one fold of
the screens (by image index, never a patch of a held-out screen in training), trains a small
CNN with augmentation (colours, dark themes, blur, noise, stroke width, zoom, small shifts —
never mirror images: a mirrored switch is in the other state), prints the held-out confusion
table and writes the model.

    train_selection_widget.py PATCH_DIR OUT.onnx [--epochs N] [--seed S]
"""
import argparse
import sys

import numpy as np
import torch
from torch import nn

CLASSES = ["none", "switch off", "switch on", "checkbox off", "checkbox on", "radio off", "radio on"]
SIDE = 32


def load(patch_dir):
    pixels = np.fromfile(f"{patch_dir}/patches.u8", dtype=np.uint8)
    rows = [line.rstrip("\n").split("\t") for line in open(f"{patch_dir}/patches.tsv", encoding="utf-8")]
    n = len(rows)
    if pixels.size != n * SIDE * SIDE * 3:
        sys.exit(f"{patch_dir}: {pixels.size} bytes of patches for {n} index lines")
    images = pixels.reshape(n, SIDE, SIDE, 3)
    labels = np.array([int(r[0]) for r in rows], dtype=np.int64)
    screens = np.array([int(r[2]) for r in rows], dtype=np.int64)
    return images, labels, screens


def model():
    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]

    # Flattened 4×4 features, not a global average: where the thumb sits is the switch's state.
    return nn.Sequential(
        *block(3, 16), nn.MaxPool2d(2),
        *block(16, 32), nn.MaxPool2d(2),
        *block(32, 48), nn.MaxPool2d(2),
        *block(48, 64),
        nn.Flatten(),
        nn.Linear(64 * 4 * 4, 64), nn.ReLU(), nn.Dropout(0.3),
        nn.Linear(64, len(CLASSES)),
    )


def augment(batch, gen):
    """batch: float N×3×H×W in 0..1: photometric changes, stroke widths, zoom, shifts."""
    n = batch.shape[0]
    # Channel order shuffled: a blue accent becomes red or green, the shapes stay.
    perm = torch.stack([torch.randperm(3, generator=gen) for _ in range(n)])
    batch = torch.stack([batch[i, perm[i]] for i in range(n)])
    # Dark themes: invert a third of them.
    invert = (torch.rand(n, 1, 1, 1, generator=gen) < 0.33).float()
    batch = invert * (1 - batch) + (1 - invert) * batch
    # Contrast and brightness.
    contrast = 0.6 + 0.8 * torch.rand(n, 1, 1, 1, generator=gen)
    bright = 0.2 * (torch.rand(n, 1, 1, 1, generator=gen) - 0.5)
    mean = batch.mean(dim=(1, 2, 3), keepdim=True)
    batch = (batch - mean) * contrast + mean + bright
    # Grey now and then: some vendors draw widgets in greys only.
    grey = (torch.rand(n, 1, 1, 1, generator=gen) < 0.15).float()
    batch = grey * batch.mean(dim=1, keepdim=True).expand_as(batch) + (1 - grey) * batch
    # Softening (scaled or compressed screenshots) and sensor-free noise.
    if torch.rand(1, generator=gen).item() < 0.5:
        kernel = torch.tensor([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=torch.float32) / 16
        kernel = kernel.view(1, 1, 3, 3).repeat(3, 1, 1, 1)
        soft = nn.functional.conv2d(nn.functional.pad(batch, (1, 1, 1, 1), mode="replicate"), kernel, groups=3)
        pick = (torch.rand(n, 1, 1, 1, generator=gen) < 0.5).float()
        batch = pick * soft + (1 - pick) * batch
    batch = batch + 0.02 * torch.randn(batch.shape, generator=gen)
    # Stroke widths differ between designs and densities: thicken or thin dark and light strokes
    # by a pixel now and then (a 2×2 max or min filter).
    pick = torch.rand(n, 1, 1, 1, generator=gen)
    padded = nn.functional.pad(batch, (0, 1, 0, 1), mode="replicate")
    grown = nn.functional.max_pool2d(padded, 2, stride=1)
    shrunk = -nn.functional.max_pool2d(-padded, 2, stride=1)
    batch = torch.where(pick < 0.15, grown, torch.where(pick < 0.3, shrunk, batch))
    # Sizes: the candidate box is found only roughly, so zoom by 0.85–1.2 about the centre.
    zoom = 0.85 + 0.35 * torch.rand(n, generator=gen)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = 1 / zoom
    theta[:, 1, 1] = 1 / zoom
    grid = nn.functional.affine_grid(theta, list(batch.shape), align_corners=False)
    batch = nn.functional.grid_sample(batch, grid, mode="bilinear", padding_mode="border",
                                      align_corners=False)
    # Shift by up to 2 px (replicated border).
    padded = nn.functional.pad(batch, (2, 2, 2, 2), mode="replicate")
    dx, dy = torch.randint(0, 5, (2,), generator=gen).tolist()
    batch = padded[:, :, dy:dy + SIDE, dx:dx + SIDE]
    return batch.clamp(0, 1)


def to_tensor(images):
    return torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0


def confusion(net, images, labels):
    net.eval()
    table = np.zeros((len(CLASSES), len(CLASSES)), dtype=np.int64)
    with torch.no_grad():
        for start in range(0, len(images), 2048):
            x = to_tensor(images[start:start + 2048])
            pred = net(x).argmax(dim=1).numpy()
            for t, p in zip(labels[start:start + 2048], pred):
                table[t, p] += 1
    return table


def report(table):
    head = "truth / predicted"
    print(f"{head:>18} " + " ".join(f"{c[:9]:>9}" for c in CLASSES))
    for i, c in enumerate(CLASSES):
        print(f"{c:>18} " + " ".join(f"{v:>9}" for v in table[i]))
    widget = slice(1, len(CLASSES))
    tp_any = table[widget, widget].sum()
    found = table[:, widget].sum()
    real = table[widget, :].sum()
    exact = np.trace(table[widget, widget])
    print(f"widgets: precision {tp_any / max(1, found):.3f} recall {tp_any / max(1, real):.3f}; "
          f"kind and state right on {exact / max(1, tp_any):.3f} of those found")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("patches")
    ap.add_argument("out")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--holdout-fold", type=int, default=0, help="screens with index %% 5 == this are held out")
    ap.add_argument("--all", action="store_true", help="train on every fold (after measuring)")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    gen = torch.Generator().manual_seed(args.seed)
    images, labels, screens = load(args.patches)
    held = (screens % 5) == args.holdout_fold
    train_idx = np.arange(len(labels)) if args.all else np.nonzero(~held)[0]
    print(f"{len(labels)} patches from {screens.max() + 1} screens; training on {len(train_idx)}, "
          f"holding out {held.sum()} (fold {args.holdout_fold}{', trained on too' if args.all else ''})")
    for i, c in enumerate(CLASSES):
        print(f"  {c:>12}: {(labels == i).sum()}")

    # Each class drawn about equally often, "none" twice as often (it is most of a screen).
    counts = np.bincount(labels[train_idx], minlength=len(CLASSES)).astype(np.float64)
    weight_of_class = 1.0 / np.maximum(counts, 1)
    weight_of_class[0] *= 2
    sample_weights = torch.from_numpy(weight_of_class[labels[train_idx]])
    steps = len(train_idx) // 256

    net = model()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.epochs * steps)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    x_all = to_tensor(images[train_idx])
    y_all = torch.from_numpy(labels[train_idx])
    for epoch in range(args.epochs):
        net.train()
        draw = torch.multinomial(sample_weights, steps * 256, replacement=True, generator=gen)
        total = 0.0
        for s in range(steps):
            idx = draw[s * 256:(s + 1) * 256]
            x = augment(x_all[idx], gen)
            loss = loss_fn(net(x), y_all[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / steps:.4f}", flush=True)

    if held.any():
        print(f"held-out screens (fold {args.holdout_fold}):")
        report(confusion(net, images[held], labels[held]))

    net.eval()
    exported = nn.Sequential(net, nn.Softmax(dim=1))
    dummy = torch.zeros(1, 3, SIDE, SIDE)
    torch.onnx.export(exported, dummy, args.out, input_names=["patch"], output_names=["probability"],
                      dynamic_axes={"patch": {0: "n"}, "probability": {0: "n"}}, opset_version=11)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
