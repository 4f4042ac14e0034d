"""The same SimCLR training step in PyTorch, for comparing against `Trainer bench`.

Encoders, projection head (Linear-BN-ReLU-Linear, 512 -> 128), NT-Xent over 2N views, Adam; the
augmentation is the engine's batched per-image pipeline (affine_grid crop+flip, colour jitter with
HSV hue, grayscale, normalisation). Counts both views: images/s = 2 * B * steps / seconds.

    python3 scripts/bench_pytorch.py --cases compact-cnn:256,resnet18:64 --steps 10 [--precision fp32,bf16] [--json]

bf16 is PyTorch's idiom for it on a CPU: autocast to bfloat16. --channels-last auto (the default) lays
out inputs and weights channels-last as the engine's auto does on a CPU, in both precisions.
FLOPs per image are counted like the engine's FlopCounter (2 per multiply-add of convolutions and
linear layers, training step = 3 forward passes) so that the two can be checked against each other.
"""
import argparse, json, math, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def stage(i, o, s):
    return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


def compact_cnn():
    return nn.Sequential(stage(3, 32, 2), stage(32, 64, 2), stage(64, 128, 1), stage(128, 256, 2),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten()), 256


def tiny_cnn(size=32):
    side = (size + 3) // 4
    return nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                         nn.Flatten(), nn.Linear(32 * side * side, 128)), 128


class Block(nn.Module):
    def __init__(self, i, o, s):
        super().__init__()
        self.conv1 = nn.Conv2d(i, o, 3, s, 1, bias=False); self.bn1 = nn.BatchNorm2d(o)
        self.conv2 = nn.Conv2d(o, o, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(o)
        self.downsample = None
        if s != 1 or i != o:
            self.downsample = nn.Sequential(nn.Conv2d(i, o, 1, s, bias=False), nn.BatchNorm2d(o))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)), inplace=True)
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)), inplace=True)


def resnet18():
    layers = [nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True)]
    for i, o, s in [(64, 64, 1), (64, 128, 2), (128, 256, 2), (256, 512, 2)]:
        layers += [Block(i, o, s), Block(o, o, 1)]
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten()), 512


def gray(x):
    return (0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]).unsqueeze(1)


def augment(u8, size=32):
    b = u8.shape[0]
    x = u8.float() / 255
    area = torch.empty(b, 10).uniform_(0.08, 1)
    ratio = torch.empty(b, 10).uniform_(math.log(3 / 4), math.log(4 / 3)).exp()
    w, h = (area * ratio).sqrt(), (area / ratio).sqrt()
    fits = (w <= 1) & (h <= 1)
    first = fits.int().argmax(1, keepdim=True)
    anyf = fits.any(1)
    w = torch.where(anyf, w.gather(1, first).squeeze(1), torch.ones(b))
    h = torch.where(anyf, h.gather(1, first).squeeze(1), torch.ones(b))
    cx = torch.rand(b) * (1 - w) + w / 2
    cy = torch.rand(b) * (1 - h) + h / 2
    flip = torch.where(torch.rand(b) < 0.5, -1.0, 1.0)
    z = torch.zeros(b)
    theta = torch.stack([w * flip, z, cx * 2 - 1, z, h, cy * 2 - 1], 1).view(b, 2, 3)
    grid = F.affine_grid(theta, [b, 3, size, size], align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    apply = torch.rand(b) < 0.8
    def factor(lo, hi, ident):
        return torch.where(apply, torch.empty(b).uniform_(lo, hi), torch.full((b,), ident)).view(b, 1, 1, 1)
    bri, con, sat, hue = factor(0.6, 1.4, 1.0), factor(0.6, 1.4, 1.0), factor(0.6, 1.4, 1.0), factor(-0.1, 0.1, 0.0)
    x = (x * bri).clamp_(0, 1)
    m = gray(x).mean([1, 2, 3], keepdim=True)
    x = ((x - m) * con + m).clamp_(0, 1)
    g = gray(x)
    x = ((x - g) * sat + g).clamp_(0, 1)
    r, gg, bb = x.unbind(1)
    maxc, minc = x.amax(1), x.amin(1)
    eq = maxc == minc
    cr = maxc - minc
    ones = torch.ones_like(maxc)
    s = cr / torch.where(eq, ones, maxc)
    d = torch.where(eq, ones, cr)
    rc, gc, bc = (maxc - r) / d, (maxc - gg) / d, (maxc - bb) / d
    isr = maxc == r
    isg = (maxc == gg) & ~isr
    isb = ~(isr | (maxc == gg))
    hh = ((isr * (bc - gc) + isg * (2 + rc - bc) + isb * (4 + gc - rc)) / 6 + 1).remainder(1)
    hh = (hh + hue.view(b, 1, 1)).remainder(1)
    n = torch.tensor([5.0, 3.0, 1.0]).view(1, 3, 1, 1)
    k = (n + hh.unsqueeze(1) * 6).remainder(6)
    x = maxc.unsqueeze(1) - maxc.unsqueeze(1) * s.unsqueeze(1) * torch.minimum(k, 4 - k).clamp(0, 1)
    gapply = (torch.rand(b) < 0.2).view(b, 1, 1, 1)
    x = torch.where(gapply, gray(x).expand_as(x), x)
    return (x - 0.5) / 0.25


def nt_xent(z1, z2, t=0.5):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    logits = (z @ z.t()) / t
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, targets)


def forward_flops_per_image(model, size=32):
    flops = [0]
    def hook(m, inputs, output):
        flops[0] += 2 * output.numel() * m.weight[0].numel()
    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    model.train()
    for h in handles:
        h.remove()
    return flops[0]


def blas_library():
    """The BLAS shared object this process actually loaded (reference BLAS or OpenBLAS)."""
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower() and ".so" in line}
        return ", ".join(sorted(libs)) or "none"
    except OSError:
        return "unknown"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cases", default="compact-cnn:256,resnet18:64")
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--precision", default="fp32")
    p.add_argument("--channels-last", default="auto", choices=["auto", "true", "false"])
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    results = []
    if not a.json:
        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: {blas_library()}")
    for case, precision in [(c, q) for c in a.cases.split(",") for q in a.precision.split(",")]:
        name, batch = case.split(":"); batch = int(batch)
        encoder, dim = {"compact-cnn": compact_cnn, "tiny-cnn": tiny_cnn, "resnet18": resnet18}[name]()
        head = nn.Sequential(nn.Linear(dim, 512, bias=False), nn.BatchNorm1d(512), nn.ReLU(inplace=True), nn.Linear(512, 128))
        model = nn.Sequential(encoder, head)
        flops = 3 * forward_flops_per_image(model)
        bf16 = precision == "bf16"
        channels_last = a.channels_last != "false"
        if channels_last:
            model = model.to(memory_format=torch.channels_last)
        opt = torch.optim.Adam(model.parameters(), lr=3e-4, weight_decay=1e-6)
        images = torch.randint(0, 256, (batch, 3, 32, 32), dtype=torch.uint8)
        def step():
            with torch.no_grad():
                views = torch.cat([augment(images), augment(images)])
            if channels_last:
                views = views.contiguous(memory_format=torch.channels_last)
            opt.zero_grad()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                z = model(views)
            loss = nt_xent(*z.float().chunk(2))
            loss.backward(); opt.step()
            return loss.item()
        for _ in range(a.warmup): step()
        train_time = aug_time = 0.0
        for _ in range(a.rounds):
            t = time.perf_counter()
            for _ in range(a.steps): step()
            train_time += time.perf_counter() - t
            t = time.perf_counter()
            with torch.no_grad():
                for _ in range(a.steps): augment(images)
            aug_time += time.perf_counter() - t
        train = 2 * batch * a.steps * a.rounds / train_time
        aug = batch * a.steps * a.rounds / aug_time
        results.append({"model": name, "batchSize": batch, "precision": precision, "channelsLast": channels_last, "trainImagesPerSecond": train,
                        "augmentImagesPerSecond": aug, "trainFlopsPerImage": flops})
        if not a.json:
            print(f"{name:<12} {batch:5} {precision:<5} {'NHWC' if channels_last else 'NCHW'} train {train:8.0f} img/s  {train * flops / 1e9:7.1f} GFLOP/s  augment {aug:8.0f} img/s")
    if a.json:
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library(), "results": results}))


if __name__ == "__main__":
    main()
