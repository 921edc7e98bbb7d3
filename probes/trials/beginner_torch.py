"""PyTorch as a beginner writes it: ``python -m probes.trials.beginner_torch [flags]``.

The seed article's style, next to the tuned ``torch_trial`` (docs/trials.md, "Variants"):
a ``Dataset`` that turns each image into a normalised float tensor when it is asked for
one (a per-sample transform, as ``torchvision.transforms.ToTensor`` + ``Normalize`` do),
a ``DataLoader(batch_size=64, shuffle=True)`` with every other setting at its default
(no workers, the last partial batch kept), torch's default thread count and a plain
loop, on the GPU when there is one (the seed article picks its device so). The network
is the same ``Net``; the data are the same images (probes/mnist.py); samples/s is timed
in the same windows after the same warm-up, so the figure compares with the tuned one.
Single process only.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from probes.energy import EnergyMeter
from probes.mnist import MEAN, STD
from probes.protocol import run_main
from probes.trials import common
from probes.trials.net_torch import Net


class ToNormalizedTensor:
    """One image (28x28 uint8) -> a (1, 28, 28) float tensor in standard units."""

    def __call__(self, image: np.ndarray) -> torch.Tensor:
        tensor = torch.tensor(image, dtype=torch.float32).unsqueeze(0) / 255.0
        return (tensor - MEAN) / STD


class MnistDataset(Dataset):
    def __init__(self, images: np.ndarray, labels: np.ndarray, transform=None) -> None:
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int):
        image = self.images[index]
        if self.transform is not None:
            image = self.transform(image)
        return image, int(self.labels[index])


def build_model() -> Net:
    return Net()


def train(model, device, loader, optimizer, steps: int, on_step) -> float | None:
    """``steps`` optimizer steps over as many epochs as it takes; the last loss."""
    model.train()
    loss = None
    done = 0
    while done < steps:
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            output = model(images)
            loss = F.nll_loss(output, labels)
            loss.backward()
            optimizer.step()
            done += 1
            on_step(done, len(labels), loss)
            if done == steps:
                break
    return float(loss.item()) if loss is not None else None


def test(model, device, loader) -> float:
    model.train(False)  # evaluation mode: dropout off
    correct = 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            correct += (model(images).argmax(dim=1) == labels).sum().item()
    return correct / len(loader.dataset)


def main() -> dict:
    args = common.build_parser("beginner_torch", __doc__.splitlines()[0]).parse_args()
    common.positive(args)
    if args.mode != "single" or args.rounds != 1 or args.wait_between_rounds:
        raise ValueError("the beginner variant runs single-process, in one round")
    use_cuda = torch.cuda.is_available() and args.device != "cpu"
    if args.device == "cuda" and not use_cuda:
        raise RuntimeError(f"--device cuda, but torch {torch.__version__} sees no CUDA GPU")
    device = torch.device("cuda" if use_cuda else "cpu")  # as the seed article picks it
    if args.threads:  # the suite's thread budget; alone, torch's default is kept
        torch.set_num_threads(args.threads)
    reporter = common.ProgressReporter(0)
    reporter.phase("startup", message="loading data (beginner: Dataset + DataLoader)")
    data = common.prepare_data(args)
    steps = common.budget_steps(args, len(data.train_labels))
    reporter.total = steps

    torch.manual_seed(args.seed)
    transform = ToNormalizedTensor()
    train_set = MnistDataset(data.train_images, data.train_labels.astype(np.int64), transform)
    test_set = MnistDataset(data.test_images, data.test_labels.astype(np.int64), transform)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=1000)
    model = build_model().to(device)
    optimizer = (
        torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
        if args.optimizer == "sgd"
        else torch.optim.Adam(model.parameters(), lr=args.lr)
    )

    sync = torch.cuda.synchronize if use_cuda else None  # time the GPU's work, not its queue
    meter = common.ThroughputMeter(args.warmup_steps, args.window_steps, sync=sync)
    first: list[float] = []
    samples = [0]

    def on_step(step: int, batch: int, loss) -> None:
        meter.step(batch)
        samples[0] += batch
        if not first:
            first.append(common.seconds_since_process_start())
        reporter.train(step, loss.item, samples_per_second=meter.last_window())

    energy = EnergyMeter()
    meter.start()
    final_loss = train(model, device, train_loader, optimizer, steps, on_step)
    train_time = meter.elapsed()
    energy.stop()
    reporter.phase("eval", step=steps, of=steps, message=f"{len(test_set)} held-out images")
    accuracy = test(model, device, test_loader)

    result = common.base_result(
        args,
        framework="torch",
        versions={"torch": torch.__version__},
        data=data,
        world_size=1,
        device=device.type,
        steps=steps,
    )
    params = [p.detach().cpu().numpy() for p in model.parameters()]
    result.update(
        {
            "variant": "beginner",
            "device_name": torch.cuda.get_device_name(device) if use_cuda else "cpu",
            "backend": None,
            "threads_per_rank": torch.get_num_threads(),
            "threads_asked": args.threads or None,
            "channels_last": False,
            **common.measured_fields(
                speed=meter.summary(),
                accuracy=accuracy,
                final_loss=final_loss,
                first_step_s=first[0] if first else None,
                train_time=train_time,
                rss_per_rank=[common.peak_rss_bytes()],
                checksums=[common.param_checksum(params)],
                tensorboard_dir=None,
            ),
            **energy.fields(samples[0]),
        }
    )
    return result


if __name__ == "__main__":
    run_main(main)
