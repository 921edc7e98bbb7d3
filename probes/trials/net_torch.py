"""The classic MNIST ConvNet in PyTorch: the same layers, in the same order, as
``net_tensorflow.py``.

torch works channels-first (N, 1, 28, 28), so ``flatten`` reads the 20x4x4 feature map
in (channel, height, width) order. torch's default initialisers (Kaiming-uniform with
a=sqrt(5), fan-in biases) are kept: each framework as its own documentation writes it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)  # 1 -> 10 channels, 24x24
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)  # 10 -> 20 channels, 8x8
        self.conv2_drop = nn.Dropout2d(0.5)  # drops whole channels
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(F.max_pool2d(self.conv1(x), 2))  # 12x12
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))  # 4x4
        x = torch.flatten(x, 1)  # 20 * 4 * 4 = 320
        x = F.relu(self.fc1(x))
        x = F.dropout(x, 0.5, training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)  # paired with F.nll_loss


def loss_fn(log_probs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return F.nll_loss(log_probs, labels)
